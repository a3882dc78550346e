package pathway

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The referrals' pages: the partners' inbox (/invii: the referrals addressed to the user's
// organisation, only what the sender shared, and the buttons to answer), the pathway page's
// forms (send, cancel, the answer of an organisation with no users here, the coordinatore's
// urgent override) and the DPO's list of overrides. They call the same service methods as the API.

func inboxNav(p *web.Page) []web.NavItem {
	if p.Can(object, actInbox) {
		return []web.NavItem{{Href: "/invii", Label: p.T("pathway.nav.inbox")}}
	}
	return nil
}

func (pg *pages) referralPages() []route.Route {
	const p = "/percorsi/:id"
	return []route.Route{
		web.PageRoute(http.MethodGet, "/invii", route.OnDistrict, object, actInbox,
			"Invii ricevuti dalla propria organizzazione / The organisation's referrals", pg.inboxPage),
		web.PageRoute(http.MethodGet, "/invii/:id", route.OnDistrict, object, actInbox,
			"Un invio ricevuto / A referral received", pg.inboxReferralPage),
		web.PageRoute(http.MethodPost, "/invii/:id/accetta", route.OnDistrict, object, actInbox,
			"Accetta l'invio / Accept the referral", pg.inboxStep(refAccepted)),
		web.PageRoute(http.MethodPost, "/invii/:id/rifiuta", route.OnDistrict, object, actInbox,
			"Rifiuta l'invio / Refuse the referral", pg.inboxStep(refRefused)),
		web.PageRoute(http.MethodPost, "/invii/:id/concludi", route.OnDistrict, object, actInbox,
			"Concludi l'invio / Conclude the referral", pg.inboxStep(refConcluded)),
		web.PageRoute(http.MethodPost, p+"/invii", route.OnDistrict, object, actRefer,
			"Invia la persona a un servizio della rete / Refer the person to a service", pg.sendReferralPost),
		web.PageRoute(http.MethodPost, p+"/invii/:rid/annulla", route.OnDistrict, object, actRefer,
			"Annulla un invio / Cancel a referral", pg.senderStepPost(refCancelled)),
		web.PageRoute(http.MethodPost, p+"/invii/:rid/esito", route.OnDistrict, object, actRefer,
			"Registra la risposta di un'organizzazione senza utenti / Record the answer of an organisation without users",
			pg.senderStepPost("")),
		web.PageRoute(http.MethodPost, p+"/deroga", route.OnDistrict, object, actOverride,
			"Deroga urgente al consenso alla condivisione (72 ore) / Urgent override of the consent to share", pg.overridePost),
		web.PageRoute(http.MethodPost, p+"/deroghe/:oid/revoca", route.OnDistrict, object, actOverride,
			"Revoca una deroga / Revoke an override", pg.revokeOverridePost),
		web.PageRoute(http.MethodGet, "/dpo/deroghe", route.OnDistrict, objAudit, actAudit,
			"Deroghe urgenti al consenso / Urgent consent overrides", pg.overridesPage),
	}
}

// stepInput reads a step's form: the version shown, the reason, the outcome and its note.
func stepInput(v url.Values) ReferralStepInput {
	return ReferralStepInput{Version: version(v), Reason: v.Get("reason"), Outcome: v.Get("outcome"), Note: v.Get("note")}
}

// stepFn is the service's method for a step.
func (pg *pages) stepFn(to string) func(c echo.Context, id string, in ReferralStepInput) error {
	m := map[string]func(context.Context, actor.Actor, string, ReferralStepInput) (Referral, error){
		refAccepted: pg.svc.AcceptReferral, refRefused: pg.svc.RefuseReferral,
		refConcluded: pg.svc.ConcludeReferral, refCancelled: pg.svc.CancelReferral,
	}[to]
	return func(c echo.Context, id string, in ReferralStepInput) error {
		_, err := m(c.Request().Context(), pg.actor(c), id, in)
		return err
	}
}

// --- the partners' inbox ---

// inboxRow is a referral of the inbox with its codes in words.
type inboxRow struct {
	InboxReferral
	UrgencyName, StatusName, OutcomeName, PreferenceName string
}

func inboxRowOf(p *web.Page, r InboxReferral) inboxRow {
	x := inboxRow{InboxReferral: r, UrgencyName: p.T("pathway.referral.urgency." + r.Urgency),
		StatusName: p.T("pathway.referral.status." + r.Status), PreferenceName: p.T("pathway.referral.preference." + r.ContactPreference)}
	if r.Outcome != "" {
		x.OutcomeName = p.T("pathway.referral.outcome." + r.Outcome)
	}
	return x
}

type inboxData struct {
	Items    []inboxRow
	Statuses []web.Option
}

func (pg *pages) inboxPage(c echo.Context) error {
	p := pg.web.NewPage(c, "pathway.inbox.title")
	q := c.QueryParams()
	p.Form = &web.Form{Values: q}
	d := inboxData{Statuses: p.Options(vocab("referral", "status"), referralStatuses, true)}
	d.Statuses[0].Label = p.T("pathway.inbox.all")
	items, err := pg.svc.Inbox(c.Request().Context(), pg.actor(c), InboxFilter{Status: q.Get("stato")})
	if err != nil {
		p.Data = d
		return pg.web.FailForm(c, "pathway/inbox", p, q, inForm("stato", stripField(err)))
	}
	for _, r := range items {
		d.Items = append(d.Items, inboxRowOf(p, r))
	}
	p.Data = d
	return pg.web.Render(c, "pathway/inbox", p)
}

// stripField drops the service's field name, so that inForm names the page's own.
func stripField(err error) error {
	if e, ok := apperr.As(err); ok && e.Field != "" {
		return e.WithField("")
	}
	return err
}

type inboxReferralData struct {
	inboxRow
	Outcomes []web.Option
}

// inboxReferralView reads the referral and prepares its page.
func (pg *pages) inboxReferralView(c echo.Context, id string) (*web.Page, error) {
	r, err := pg.svc.InboxReferral(c.Request().Context(), pg.actor(c), id)
	if err != nil {
		return nil, err
	}
	p := pg.web.NewPage(c, "pathway.inbox.referral_title", r.ServiceName)
	p.Crumbs = []web.Crumb{{Href: "/invii", Label: p.T("pathway.inbox.title")}}
	p.Data = inboxReferralData{inboxRow: inboxRowOf(p, r), Outcomes: p.Options(vocab("referral", "outcome"), referralOutcomes, true)}
	return p, nil
}

func (pg *pages) inboxReferralPage(c echo.Context) error {
	p, err := pg.inboxReferralView(c, c.Param("id"))
	if err != nil {
		return err
	}
	p.Form = &web.Form{Values: url.Values{}}
	return pg.web.Render(c, "pathway/inbox_referral", p)
}

// inboxStep answers a referral from the inbox's page.
func (pg *pages) inboxStep(to string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Param("id")
		v, err := web.FormValues(c)
		if err == nil {
			err = pg.stepFn(to)(c, id, stepInput(v))
		}
		if err != nil {
			p, derr := pg.inboxReferralView(c, id)
			if derr != nil {
				return derr
			}
			return pg.web.FailForm(c, "pathway/inbox_referral", p, v, err)
		}
		return web.SeeOther(c, "/invii/"+id, "pathway_referral_step")
	}
}

// --- the pathway page's forms ---

// referralView is a referral on the pathway page, with its codes in words.
type referralView struct {
	Referral
	UrgencyName, StatusName, OutcomeName, PreferenceName string
	SharedNames                                          []string
	Steps                                                []referralStepView
	MayAnswer                                            bool // the organisation has no users here: the sender records its answer
}

type referralStepView struct {
	ReferralStep
	StatusName, OutcomeName string
}

func referralViewOf(p *web.Page, r Referral) referralView {
	x := referralView{Referral: r, UrgencyName: p.T("pathway.referral.urgency." + r.Urgency),
		StatusName: p.T("pathway.referral.status." + r.Status), PreferenceName: p.T("pathway.referral.preference." + r.ContactPreference),
		MayAnswer: r.PartnerCode == "" && r.Open()}
	if r.Outcome != "" {
		x.OutcomeName = p.T("pathway.referral.outcome." + r.Outcome)
	}
	for _, f := range r.Shared {
		x.SharedNames = append(x.SharedNames, p.T("pathway.referral.share."+f))
	}
	for _, st := range r.Steps {
		sv := referralStepView{ReferralStep: st, StatusName: p.T("pathway.referral.status." + st.Status)}
		if st.Outcome != "" {
			sv.OutcomeName = p.T("pathway.referral.outcome." + st.Outcome)
		}
		x.Steps = append(x.Steps, sv)
	}
	return x
}

// shareBox is a checkbox of what a referral shares.
type shareBox struct {
	Code, Label string
	Checked     bool
}

// shareBoxes are the checkboxes, checked as chosen (nil: the default, all but the contact).
func shareBoxes(p *web.Page, chosen []string) []shareBox {
	if chosen == nil {
		chosen = []string{shareName, shareAgeBand, shareReason}
	}
	out := make([]shareBox, 0, len(shareables))
	for _, f := range shareables {
		out = append(out, shareBox{Code: f, Label: p.T("pathway.referral.share." + f), Checked: slices.Contains(chosen, f)})
	}
	return out
}

// overrideView is an override on the pathway page.
type overrideView struct {
	Override
	Active bool
}

// referralForms fills the pathway page's data for the referrals' section, the override and
// the consent's parties.
func (pg *pages) referralForms(c echo.Context, p *web.Page, d *pathwayData) error {
	ctx, a := c.Request().Context(), pg.actor(c)
	for _, r := range d.Detail.Referrals {
		d.Referrals = append(d.Referrals, referralViewOf(p, r))
	}
	now := pg.svc.now()
	for _, o := range d.Detail.Overrides {
		d.Overrides = append(d.Overrides, overrideView{Override: o, Active: o.Active(now)})
	}
	d.MayRefer = a.Can(object, actRefer) && !d.HealthView
	d.MayOverride = a.Can(object, actOverride) && !d.HealthView
	d.PartyNames = map[string]string{PartyHealth: p.T("pathway.consent.party." + PartyHealth)}
	if d.HealthView || !d.MayWrite {
		return nil
	}
	orgs, err := pg.svc.Organisations(ctx, a)
	if err != nil {
		return err
	}
	d.Parties = []web.Option{{Value: PartyHealth, Label: d.PartyNames[PartyHealth]}}
	d.OverrideOrgs = []web.Option{{Value: "", Label: p.T("form.choose")}}
	for _, o := range orgs {
		d.PartyNames[o.Party] = o.Name
		d.Parties = append(d.Parties, web.Option{Value: o.Party, Label: o.Name})
		d.OverrideOrgs = append(d.OverrideOrgs, web.Option{Value: o.ID, Label: o.Name})
	}
	if !d.MayRefer {
		return nil
	}
	svcs, err := pg.svc.ReferralServices(ctx, a)
	if err != nil {
		return err
	}
	var groups []web.OptGroup
	for _, s := range svcs {
		if n := len(groups); n == 0 || groups[n-1].Label != s.OrganizationName {
			groups = append(groups, web.OptGroup{Label: s.OrganizationName})
		}
		g := &groups[len(groups)-1]
		g.Options = append(g.Options, web.Option{Value: s.ID, Label: s.Name})
	}
	d.ReferralServices = groups
	d.ServiceEmpty = web.Option{Value: "", Label: p.T("form.choose")}
	d.Urgencies = p.Options(vocab("referral", "urgency"), []string{urgencyOrdinary, urgencyUrgent}, false)
	d.Preferences = p.Options(vocab("referral", "preference"), contactPreferences, true)
	d.StepOutcomes = p.Options(vocab("referral", "outcome"), referralOutcomes, true)
	d.ShareBoxes = shareBoxes(p, nil)
	return nil
}

func (pg *pages) sendReferralPost(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		in := ReferralInput{ServiceID: v.Get("referral-service_id"), Urgency: v.Get("referral-urgency"),
			Reason: v.Get("referral-reason"), Shared: v["referral-shared"], ContactPreference: v.Get("referral-contact_preference"),
			Contact: v.Get("referral-contact")}
		if in.Shared == nil {
			in.Shared = []string{} // nothing ticked is a choice, not the default
		}
		_, err = pg.svc.SendReferral(c.Request().Context(), pg.actor(c), id, in)
		err = inForm("referral-", err)
	}
	if err != nil {
		return pg.failPathway(c, id, v, err)
	}
	return back(c, id, "referrals", "pathway_referral_sent")
}

// senderStepPost is a step the sender's side takes from the pathway page: to, or (to "")
// the step the form names (accettato, rifiutato, concluso) for an organisation with no users here.
func (pg *pages) senderStepPost(to string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, rid := c.Param("id"), c.Param("rid")
		v, err := web.FormValues(c)
		if err == nil {
			step := to
			if step == "" {
				step = v.Get("step")
				if !slices.Contains([]string{refAccepted, refRefused, refConcluded}, step) {
					step, err = "", apperr.Invalidf("step", "scegliere la risposta dell'organizzazione", "choose the organisation's answer")
				}
			}
			if err == nil {
				err = pg.stepFn(step)(c, rid, stepInput(v))
			}
			err = inForm("step-", err)
		}
		if err != nil {
			return pg.failPathway(c, id, v, err)
		}
		return back(c, id, "referrals", "pathway_referral_step")
	}
}

func (pg *pages) overridePost(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		in := OverrideInput{OrganizationID: v.Get("override-organization_id"), Reason: v.Get("override-reason")}
		if in.OrganizationID == "" {
			err = apperr.Invalidf("override-organization_id", "scegliere l'organizzazione", "choose the organisation")
		} else {
			_, err = pg.svc.GrantOverride(c.Request().Context(), pg.actor(c), v.Get("person_id"), in)
			err = inForm("override-", err)
		}
	}
	if err != nil {
		return pg.failPathway(c, id, v, err)
	}
	return back(c, id, "referrals", "pathway_override")
}

func (pg *pages) revokeOverridePost(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		_, err = pg.svc.RevokeOverride(c.Request().Context(), pg.actor(c), c.Param("oid"))
	}
	if err != nil {
		return pg.failPathway(c, id, v, err)
	}
	return back(c, id, "referrals", "pathway_override_revoked")
}

// --- the DPO's list ---

type overridesData struct {
	Items []overrideView
}

func (pg *pages) overridesPage(c echo.Context) error {
	p := pg.web.NewPage(c, "pathway.overrides.title")
	list, err := pg.svc.Overrides(c.Request().Context(), pg.actor(c))
	if err != nil {
		return err
	}
	d := overridesData{}
	now := pg.svc.now()
	for _, o := range list {
		d.Items = append(d.Items, overrideView{Override: o, Active: o.Active(now)})
	}
	p.Data = d
	return pg.web.Render(c, "pathway/dpo_overrides", p)
}
