package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/route"
)

// Inviter records roles for people who have not logged in yet (auth.Service): they are bound
// at their first login by e-mail or codice fiscale.
type Inviter interface {
	Invite(ctx context.Context, domain, contact, role, by string) error
	Invitations(ctx context.Context, domain string) ([]auth.Invitation, error)
	CancelInvitation(ctx context.Context, domain string, id int64) error
}

// inviter is the directory as an Inviter, when it is one.
func (w *Web) inviter() Inviter {
	i, _ := w.People.(Inviter)
	return i
}

func (w *Web) invitationRoutes() []route.Route {
	return []route.Route{
		PageRoute(http.MethodPost, "/amministrazione/inviti", route.OnDistrict, "members", "manage", "Invita una persona prima del suo primo accesso / Invite someone before their first login", w.invite),
		PageRoute(http.MethodPost, "/amministrazione/inviti/:id/annulla", route.OnDistrict, "members", "manage", "Annulla un invito / Withdraw an invitation", w.cancelInvitation),
	}
}

func (w *Web) invite(c echo.Context) error {
	v, err := FormValues(c)
	if err == nil {
		role := v.Get("invite-role")
		switch {
		case w.inviter() == nil:
			err = apperr.New(apperr.Unavailable, "inviti non disponibili", "invitations unavailable")
		case !roles.ValidDistrict(role):
			err = apperr.Join(contactCheck(v.Get("invite-contact")), apperr.Invalidf("invite-role", "Scegliere il ruolo della persona invitata", "Choose the invited person's role"))
		default:
			by := ""
			if p, ok := auth.PrincipalFrom(c.Request().Context()); ok {
				by = p.IdentityID
			}
			err = w.inviter().Invite(c.Request().Context(), domain(c), v.Get("invite-contact"), role, by)
			if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
				err = e.WithField("invite-contact")
			}
		}
	}
	if err != nil {
		p, perr := w.membersPage(c)
		if perr != nil {
			return perr
		}
		return w.FailForm(c, "members", p, v, err)
	}
	return SeeOther(c, "/amministrazione/utenti", "invited")
}

// contactCheck refuses an empty contact alongside another refusal (the full check is auth's).
func contactCheck(contact string) error {
	if contact == "" {
		return apperr.Invalidf("invite-contact", "Indicare l'indirizzo e-mail o il codice fiscale della persona", "Enter the person's e-mail address or fiscal code")
	}
	return nil
}

func (w *Web) cancelInvitation(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || w.inviter() == nil {
		return apperr.New(apperr.NotFound, "invito non trovato", "invitation not found")
	}
	if err := w.inviter().CancelInvitation(c.Request().Context(), domain(c), id); err != nil {
		return err
	}
	return SeeOther(c, "/amministrazione/utenti", "invitation_cancelled")
}
