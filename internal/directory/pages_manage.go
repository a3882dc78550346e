package directory

import (
	"bytes"
	"encoding/json"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/web"
)

// The management pages: the services a person keeps (all for the Ufficio di Piano, its own
// organisation's for a partner), those to verify, and the partners' proposed changes. They
// call the same service methods as the API, as the person logged in.

// tabs are the management pages, those the person may open, marking the current one.
func tabs(p *web.Page) []web.NavItem {
	var out []web.NavItem
	for _, t := range []struct{ href, key, act string }{
		{"/risorse/gestione", "directory.tab.services", actOwn},
		{"/risorse/da-verificare", "directory.tab.stale", actOwn},
		{"/risorse/proposte", "directory.tab.changes", actReview},
	} {
		if p.Can(object, t.act) {
			out = append(out, web.NavItem{Href: t.href, Label: p.T(t.key), Current: p.Path == t.href})
		}
	}
	return out
}

type manageData struct {
	Tabs     []web.NavItem
	Services []ServiceRecord
	Total    int64
	Pager    pager
}

func (pg *pages) manage(c echo.Context) error {
	p := pg.web.NewPage(c, "page.directory_manage.title")
	n := pageOf(c)
	ss, total, err := pg.svc.Services(c.Request().Context(), pg.actor(c), ServiceFilter{Keeps: true, Page: Page{Limit: pageSize, Offset: (n - 1) * pageSize}})
	if err != nil {
		return err
	}
	p.Crumbs = []web.Crumb{{Href: "/risorse", Label: p.T("nav.directory")}}
	p.Data = manageData{Tabs: tabs(p), Services: ss, Total: total, Pager: newPager("/risorse/gestione", c.QueryParams(), n, total)}
	return pg.web.Render(c, "directory/manage", p)
}

type staleData struct {
	Tabs     []web.NavItem
	Services []StaleService
	Total    int64
	Pager    pager
}

func (pg *pages) stale(c echo.Context) error {
	p := pg.web.NewPage(c, "page.directory_stale.title")
	n := pageOf(c)
	ss, total, err := pg.svc.Stale(c.Request().Context(), pg.actor(c), Page{Limit: pageSize, Offset: (n - 1) * pageSize})
	if err != nil {
		return err
	}
	p.Crumbs = []web.Crumb{{Href: "/risorse", Label: p.T("nav.directory")}, {Href: "/risorse/gestione", Label: p.T("nav.directory_manage")}}
	p.Data = staleData{Tabs: tabs(p), Services: ss, Total: total, Pager: newPager("/risorse/da-verificare", c.QueryParams(), n, total)}
	return pg.web.Render(c, "directory/stale", p)
}

// changeView is a proposed change with each field's value before and after, as text.
type changeView struct {
	Change
	Fields []fieldView
}

type fieldView struct{ Field, Before, After string }

type changesData struct {
	Tabs    []web.NavItem
	Changes []changeView
	Total   int64
}

// changesPage prepares the page of the pending changes (also shown again after a refusal).
func (pg *pages) changesPage(c echo.Context) (*web.Page, error) {
	p := pg.web.NewPage(c, "page.directory_changes.title")
	cs, total, err := pg.svc.Changes(c.Request().Context(), pg.actor(c), ChangeFilter{Status: ChangePending, Page: Page{Limit: 100}})
	if err != nil {
		return nil, err
	}
	d := changesData{Tabs: tabs(p), Total: total}
	for _, ch := range cs {
		v := changeView{Change: ch}
		for _, f := range ch.Fields {
			v.Fields = append(v.Fields, fieldView{Field: f.Field, Before: valueText(f.Before), After: valueText(f.After)})
		}
		d.Changes = append(d.Changes, v)
	}
	p.Crumbs = []web.Crumb{{Href: "/risorse", Label: p.T("nav.directory")}, {Href: "/risorse/gestione", Label: p.T("nav.directory_manage")}}
	p.Data = d
	p.Form = &web.Form{Values: url.Values{}}
	return p, nil
}

func (pg *pages) changes(c echo.Context) error {
	p, err := pg.changesPage(c)
	if err != nil {
		return err
	}
	return pg.web.Render(c, "directory/changes", p)
}

// valueText is a field's JSON value as a person reads it: a text without quotes, nothing as
// "—", anything else (lists of schedules, phones…) as compact JSON.
func valueText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s == "" {
			return "—"
		}
		return s
	}
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return "—"
	}
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

func (pg *pages) approve(c echo.Context) error {
	id := c.Param("id")
	_, err := pg.svc.ApproveChange(c.Request().Context(), pg.actor(c), id)
	if err != nil {
		return pg.failChange(c, url.Values{}, err, "change-"+id)
	}
	return web.SeeOther(c, "/risorse/proposte", "directory_approved")
}

func (pg *pages) reject(c echo.Context) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		_, err = pg.svc.RejectChange(c.Request().Context(), pg.actor(c), id, v.Get("note"))
	}
	if err != nil {
		return pg.failChange(c, v, err, "note-"+id)
	}
	return web.SeeOther(c, "/risorse/proposte", "directory_rejected")
}

// failChange shows the changes again with the refusal next to the change's form (field).
func (pg *pages) failChange(c echo.Context, v url.Values, err error, field string) error {
	e, ok := apperr.As(err)
	if !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) {
		return err
	}
	p, perr := pg.changesPage(c)
	if perr != nil {
		return perr
	}
	return pg.web.FailForm(c, "directory/changes", p, v, e.WithField(field))
}

// back is where an action on a service returns to: the list it was pressed on.
func back(v url.Values) string {
	if v.Get("from") == "da-verificare" {
		return "/risorse/da-verificare"
	}
	return "/risorse/gestione"
}

func (pg *pages) publish(on bool) echo.HandlerFunc {
	flash := map[bool]string{true: "directory_published", false: "directory_unpublished"}[on]
	return func(c echo.Context) error {
		v, err := web.FormValues(c)
		if err != nil {
			return err
		}
		if _, err := pg.svc.SetPublished(c.Request().Context(), pg.actor(c), c.Param("id"), on); err != nil {
			return err
		}
		return web.SeeOther(c, back(v), flash)
	}
}

func (pg *pages) confirm(c echo.Context) error {
	v, err := web.FormValues(c)
	if err != nil {
		return err
	}
	if _, err := pg.svc.Confirm(c.Request().Context(), pg.actor(c), c.Param("id")); err != nil {
		return err
	}
	return web.SeeOther(c, back(v), "directory_confirmed")
}
