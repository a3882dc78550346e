package directory

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/web"
)

// The public pages: anyone searches the district's published directory and reads a service,
// without logging in. They read as pg.public, so a person logged in sees what citizens see.

type searchData struct {
	Hits                []ServiceRecord
	Total               int64
	Searched            bool // any criterion given
	Pager               pager
	Needs, Comuni, Days []web.Option
}

// weekdayCodes are the days of the search's "open on" filter, as the search reads them.
var weekdayCodes = []string{"mo", "tu", "we", "th", "fr", "sa", "su"}

func (pg *pages) search(c echo.Context) error {
	p := pg.web.NewPage(c, "page.directory.title")
	ctx := c.Request().Context()
	v := c.QueryParams()
	comuni, err := pg.svc.Comuni(ctx, pg.public)
	if err != nil {
		return err
	}
	d := searchData{Days: p.Options("directory.day", weekdayCodes, false)}
	d.Days = append([]web.Option{{Value: "", Label: p.T("directory.search.any_day")}}, d.Days...)
	d.Needs = []web.Option{{Value: "", Label: p.T("directory.search.any_need")}}
	for _, t := range pg.svc.Taxonomy().Terms {
		d.Needs = append(d.Needs, web.Option{Value: t.Code, Label: p.T("directory.need." + t.Code)})
	}
	d.Comuni = []web.Option{{Value: "", Label: p.T("directory.search.any_comune")}}
	for _, name := range comuni {
		d.Comuni = append(d.Comuni, web.Option{Value: name, Label: name})
	}
	for _, k := range []string{"q", "need", "age", "comune", "day", "free"} {
		d.Searched = d.Searched || v.Get(k) != ""
	}
	p.Form = &web.Form{Values: v}
	n := pageOf(c)
	q := Query{Text: v.Get("q"), Need: v.Get("need"), Comune: v.Get("comune"), Day: v.Get("day"), Free: web.Truthy(v.Get("free")),
		Page: Page{Limit: pageSize, Offset: (n - 1) * pageSize}}
	q.Age, err = web.IntValue(v, "age", "età in anni, un numero intero", "age in years, a whole number")
	var hits []Hit
	if err == nil {
		hits, d.Total, err = pg.svc.Search(ctx, pg.public, q)
	}
	if e, ok := apperr.As(err); ok && e.Code == apperr.Invalid {
		p.Form.Err, p.Status = e, http.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	for _, h := range hits {
		d.Hits = append(d.Hits, h.Service)
	}
	d.Pager = newPager("/risorse", v, n, d.Total)
	p.Data = d
	return pg.web.Render(c, "directory/search", p)
}

// serviceView is one published service as its page shows it.
type serviceView struct {
	Service   ServiceRecord
	Ages      string   // "da 11 a 17 anni"; "" without limits
	Schedules []string // each schedule in words
}

func (pg *pages) show(c echo.Context) error {
	s, err := pg.svc.Published(c.Request().Context(), pg.public, c.Param("id"))
	if err != nil {
		return err
	}
	p := pg.web.NewPage(c, "page.directory_service.title", s.Name)
	p.Crumbs = []web.Crumb{{Href: "/risorse", Label: p.T("nav.directory")}}
	d := serviceView{Service: s}
	switch lo, hi := s.MinimumAge, s.MaximumAge; {
	case lo != nil && hi != nil:
		d.Ages = p.T("directory.ages.range", *lo, *hi)
	case lo != nil:
		d.Ages = p.T("directory.ages.from", *lo)
	case hi != nil:
		d.Ages = p.T("directory.ages.to", *hi)
	}
	for _, sc := range s.Schedules {
		if w := sc.InWords(p.Lang); w != "" {
			d.Schedules = append(d.Schedules, w)
		}
	}
	p.Data = d
	return pg.web.Render(c, "directory/service", p)
}
