package pathway

import (
	"embed"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// pageFiles are the templates (templates/pages/<name>.html) and the texts (locales/<lang>.json,
// keys prefixed "pathway.") of the room's pages.
//
//go:embed templates locales
var pageFiles embed.FS

// pages are the room's pages, over the same Service as the API; one page family per file
// (pages_dpo.go: the data protection officer's).
type pages struct {
	svc *Service
	web *web.Web
}

// Pages is the room's part of the user interface, for the shell to register.
func Pages(svc *Service) web.Feature {
	return web.Feature{Name: "pathway", Files: pageFiles, Nav: nav,
		Pages: func(w *web.Web) []route.Route {
			return (&pages{svc: svc, web: w}).routes()
		}}
}

// actor is who is acting, as the request chain established it.
func (pg *pages) actor(c echo.Context) actor.Actor { return actor.From(c.Request().Context()) }

// nav are the room's entries of the main navigation, on a district's host: only what the
// person may open.
func nav(_ echo.Context, p *web.Page) []web.NavItem {
	if p.District == nil {
		return nil
	}
	var items []web.NavItem
	items = append(items, caseloadNav(p)...)
	items = append(items, inboxNav(p)...)
	items = append(items, matchNav(p)...)
	items = append(items, dpoNav(p)...)
	return items
}

// routes lists the room's pages, by family; each line shows the permission it needs, the
// same as the API operation the page calls.
func (pg *pages) routes() []route.Route {
	var rs []route.Route
	rs = append(rs, pg.caseloadPages()...)
	rs = append(rs, pg.pathwayPages()...)
	rs = append(rs, pg.recordPages()...)
	rs = append(rs, pg.boardPages()...)
	rs = append(rs, pg.statsPages()...)
	rs = append(rs, pg.dpoPages()...)
	rs = append(rs, pg.referralPages()...)
	rs = append(rs, pg.matchPages()...)
	return rs
}

// name is a programme's label in the page's language.
func name(p *web.Page, l Label) string {
	if p.Lang == web.English && l.NameEN != "" {
		return l.NameEN
	}
	return l.Name
}

// labelOf is the name of code among ls, the code itself when unknown.
func labelOf(p *web.Page, ls []Label, code string) string {
	for _, l := range ls {
		if l.Code == code {
			return name(p, l)
		}
	}
	return code
}

// labelOptions are ls as the choices of a select, with an empty first one.
func labelOptions(p *web.Page, ls []Label) []web.Option {
	out := []web.Option{{Value: "", Label: p.T("form.choose")}}
	for _, l := range ls {
		out = append(out, web.Option{Value: l.Code, Label: name(p, l)})
	}
	return out
}

// programmeName is the label of a programme by code.
func (pg *pages) programmeName(p *web.Page, code string) string {
	if prog, ok := pg.svc.programmes[code]; ok {
		return name(p, Label{Code: prog.Code, Name: prog.Name, NameEN: prog.NameEN})
	}
	return code
}

// stageName is the label of a stage of a programme.
func (pg *pages) stageName(p *web.Page, programme, stage string) string {
	return labelOf(p, pg.svc.programmes[programme].Stages, stage)
}

// programmeOptions are the shipped programmes as choices.
func (pg *pages) programmeOptions(p *web.Page) []web.Option {
	var ls []Label
	for _, prog := range pg.svc.programmes.Sorted() {
		ls = append(ls, Label{Code: prog.Code, Name: prog.Name, NameEN: prog.NameEN})
	}
	return labelOptions(p, ls)
}

// vocab is the catalogue prefix of one of the room's vocabularies ("pathway.<parts>"), for
// web.Page.Options; built from parts so that the texts' check reads no key in it.
func vocab(parts ...string) string { return "pathway." + strings.Join(parts, ".") }

// inForm names an invalid input's field as the page's form names it: prefix + the service's
// field with "-" for "." ("meeting-held_on", "person-codice_fiscale"), so that the error shows
// next to it when one page holds several forms with fields of the same name.
func inForm(prefix string, err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Field == "" {
		return err
	}
	return e.WithField(prefix + strings.ReplaceAll(e.Field, ".", "-"))
}
