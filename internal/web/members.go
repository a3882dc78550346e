package web

import (
	"net/url"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/authz/roles"
)

type memberRow struct {
	ID, Username, Name, Email, Organisation string
	Roles                                   []string
	Grantable                               []Option
	LastSeen                                string
	Self                                    bool
}

type membersData struct {
	Members     []memberRow
	Invitations []invitationRow
	Roles       []Option // the district's roles, for the invitation form (no default)
}

type invitationRow struct {
	ID            int64
	Contact, Role string
	Created       string
}

func (w *Web) membersPage(c echo.Context) (*Page, error) {
	p := w.NewPage(c, "page.members.title")
	dom := domain(c)
	ms, err := w.People.Members(c.Request().Context(), dom)
	if err != nil {
		return nil, err
	}
	f := Formatter{p.Lang}
	var d membersData
	for _, m := range ms {
		held := w.Authz.Roles(m.ID, dom)
		r := memberRow{ID: m.ID, Username: m.Username, Name: m.Name, Email: m.Email, Organisation: m.Organisation, Roles: held,
			LastSeen: f.DateTime(m.LastSeenAt), Self: p.User != nil && p.User.IdentityID == m.ID}
		for _, role := range roles.District {
			has := false
			for _, h := range held {
				has = has || h == role
			}
			if !has {
				r.Grantable = append(r.Grantable, Option{Value: role, Label: p.T("role." + role)})
			}
		}
		d.Members = append(d.Members, r)
	}
	sort.SliceStable(d.Members, func(i, j int) bool { return d.Members[i].Name < d.Members[j].Name })
	d.Roles = []Option{{Value: "", Label: p.T("form.choose")}}
	for _, role := range roles.District {
		d.Roles = append(d.Roles, Option{Value: role, Label: p.T("role." + role)})
	}
	if inv := w.inviter(); inv != nil && p.Can("members", "manage") {
		is, err := inv.Invitations(c.Request().Context(), dom)
		if err != nil {
			return nil, err
		}
		for _, i := range is {
			d.Invitations = append(d.Invitations, invitationRow{ID: i.ID, Contact: i.Contact(), Role: p.T("role." + i.Role), Created: f.DateTime(i.CreatedAt)})
		}
	}
	p.Data = d
	p.Form = &Form{Values: url.Values{}}
	return p, nil
}

func (w *Web) members(c echo.Context) error {
	p, err := w.membersPage(c)
	if err != nil {
		return err
	}
	return w.Render(c, "members", p)
}

func (w *Web) memberRole(c echo.Context) error {
	v, err := FormValues(c)
	if err != nil {
		return err
	}
	ctx, dom := c.Request().Context(), domain(c)
	m, err := w.People.Member(ctx, dom, c.Param("id"))
	if err != nil {
		return err
	}
	role, op := v.Get("role"), v.Get("op")
	if roles.ValidDistrict(role) && (op == "grant" || op == "revoke") && v.Get("confirm") != "1" {
		return w.confirmRole(c, m.ID, m.Name, op, role)
	}
	switch {
	case !roles.ValidDistrict(role):
		err = apperr.Invalidf("role", "Scegliere il ruolo da assegnare o revocare", "Choose the role to grant or revoke")
	case op == "revoke":
		err = w.Authz.RevokeGuarded(ctx, m.ID, role, dom, roles.UdP)
	case op == "grant":
		by := ""
		if p, ok := auth.PrincipalFrom(ctx); ok {
			by = p.IdentityID
		}
		err = w.Authz.Grant(ctx, m.ID, role, dom, by)
	default:
		err = apperr.Invalidf("op", "operazione non valida", "invalid operation")
	}
	if err != nil {
		p, perr := w.membersPage(c)
		if perr != nil {
			return perr
		}
		return w.FailForm(c, "members", p, v, err)
	}
	flash := "role_granted"
	if v.Get("op") == "revoke" {
		flash = "role_revoked"
	}
	return SeeOther(c, "/amministrazione/utenti", flash)
}

// domain is the authorization domain of the request.
func domain(c echo.Context) string { return authz.Domain(c) }

// roleConfirmation is the question asked before a role is granted or revoked: a role opens or
// closes what a person may see and do in the district at once.
type roleConfirmation struct {
	Question, Action, Op, Role string
}

func (w *Web) confirmRole(c echo.Context, id, name, op, role string) error {
	p := w.NewPage(c, "page.members_confirm.title")
	question := "members.confirm_grant"
	if op == "revoke" {
		question = "members.confirm_revoke"
	}
	p.Data = roleConfirmation{Question: p.T(question, p.T("role."+role), name),
		Action: "/amministrazione/utenti/" + id + "/ruoli", Op: op, Role: role}
	return w.Render(c, "members_confirm", p)
}
