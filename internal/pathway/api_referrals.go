package pathway

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/route"
)

// referralRoutes are the referrals to the directory's services, the partners' inbox and the
// urgent overrides of the consent to share. Accepting, refusing and concluding are open to
// both sides at the guard (the receiving organisation's users: inbox; the sender's side when
// the organisation has no users here: refer); the handler refuses anyone else (403) before
// reading the body, and the service decides which side the actor is on for this referral.
func (h *API) referralRoutes() []route.Route {
	const r = v + "/referrals/:id"
	return []route.Route{
		op("POST", v+"/pathways/:id/referrals", actRefer,
			"Invia la persona a un servizio della rete (serve il consenso alla condivisione o una deroga) / Refer the person to a service",
			h.sendReferral).WithBody(ReferralInput{}).Returning(Referral{}),
		op("GET", v+"/pathways/:id/referrals", actRead, "Invii di un percorso, con i passaggi / A pathway's referrals",
			h.pathwayReferrals).Returning([]Referral{}),
		op("GET", v+"/referrals/inbox", actInbox,
			"Invii ricevuti dalla propria organizzazione, dal più recente (?status=) / The organisation's referrals",
			h.inbox).Returning([]InboxReferral{}),
		op("GET", r, actInbox, "Un invio ricevuto: solo i dati condivisi / A referral received: the shared fields only",
			h.inboxReferral).Returning(InboxReferral{}),
		stepOp("accept", "Accetta l'invio / Accept the referral", h.svc.AcceptReferral),
		stepOp("refuse", "Rifiuta l'invio, con il motivo / Refuse the referral, with the reason", h.svc.RefuseReferral),
		stepOp("conclude", "Concludi l'invio con l'esito / Conclude the referral with its outcome", h.svc.ConcludeReferral),
		op("POST", r+"/cancel", actRefer, "Annulla l'invio, con il motivo / Cancel the referral, with the reason",
			stepHandler(h.svc.CancelReferral)).WithBody(ReferralStepInput{}).Returning(Referral{}),
		op("POST", v+"/persons/:id/consent-overrides", actOverride,
			"Deroga urgente al consenso alla condivisione, per 72 ore, con il motivo / Urgent override of the consent to share, 72 hours",
			h.grantOverride).WithBody(OverrideInput{}).Returning(Override{}),
		op("POST", v+"/consent-overrides/:id/revoke", actOverride, "Revoca una deroga / Revoke an override",
			h.revokeOverride).WithBody(revokeBody{}).Returning(Override{}),
		dpoOp("GET", v+"/dpo/consent-overrides", objAudit, actAudit,
			"Deroghe urgenti al consenso, con il motivo e gli invii fatti / Urgent consent overrides",
			h.overrides).Returning([]Override{}),
	}
}

// stepOp is a step the receiving organisation takes (or the sender's side for an organisation
// with no users here): no permission at the guard, the handler's instead.
func stepOp(step, summary string, fn func(context.Context, actor.Actor, string, ReferralStepInput) (Referral, error)) route.Route {
	rt := op("POST", v+"/referrals/:id/"+step, "", summary, stepHandler(fn)).WithBody(ReferralStepInput{}).Returning(Referral{})
	rt.Object = ""
	return rt
}

func stepHandler(fn func(context.Context, actor.Actor, string, ReferralStepInput) (Referral, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, a := recordWho(c)
		if !MayTakeReferralSteps(a) {
			return errForbidden
		}
		var in ReferralStepInput
		if err := route.Bind(c, &in); err != nil {
			return err
		}
		out, err := fn(ctx, a, c.Param("id"), in)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, out)
	}
}

func (h *API) sendReferral(c echo.Context) error {
	var in ReferralInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SendReferral(c.Request().Context(), h.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (h *API) pathwayReferrals(c echo.Context) error {
	out, err := h.svc.PathwayReferrals(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return route.List(c, out, int64(len(out)), len(out), 0)
}

func (h *API) inbox(c echo.Context) error {
	out, err := h.svc.Inbox(c.Request().Context(), h.actor(c), InboxFilter{Status: c.QueryParam("status")})
	if err != nil {
		return err
	}
	return route.List(c, out, int64(len(out)), len(out), 0)
}

func (h *API) inboxReferral(c echo.Context) error {
	out, err := h.svc.InboxReferral(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *API) grantOverride(c echo.Context) error {
	var in OverrideInput
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	out, err := h.svc.GrantOverride(c.Request().Context(), h.actor(c), c.Param("id"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// revokeBody is a revocation's body: an empty object (who revokes and when are recorded).
type revokeBody struct{}

func (h *API) revokeOverride(c echo.Context) error {
	var in revokeBody
	if err := route.Bind(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RevokeOverride(c.Request().Context(), h.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (h *API) overrides(c echo.Context) error {
	out, err := h.svc.Overrides(c.Request().Context(), h.actor(c))
	if err != nil {
		return err
	}
	return route.List(c, out, int64(len(out)), len(out), 0)
}
