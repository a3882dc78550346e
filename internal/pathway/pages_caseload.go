package pathway

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The caseload: a link worker's own pathways, every pathway of the district for the
// coordinator, with who needs to be heard this week first.

func caseloadNav(p *web.Page) []web.NavItem {
	var items []web.NavItem
	if p.Can(object, actRead) {
		items = append(items, web.NavItem{Href: "/percorsi", Label: p.T("pathway.nav.caseload")})
	}
	if p.Can(object, actAssign) {
		items = append(items, web.NavItem{Href: "/percorsi/assegnazioni", Label: p.T("pathway.nav.board")})
	}
	if p.Can(object, actStats) {
		items = append(items, web.NavItem{Href: "/percorsi/statistiche", Label: p.T("pathway.nav.stats")})
	}
	return items
}

func (pg *pages) caseloadPages() []route.Route {
	return []route.Route{
		web.PageRoute(http.MethodGet, "/percorsi", route.OnDistrict, object, actRead,
			"Percorsi: il proprio carico, o tutti per il coordinatore / Caseload", pg.caseloadPage),
		web.PageRoute(http.MethodGet, "/percorsi/nuovo", route.OnDistrict, object, actWrite,
			"Apri un percorso / Open a pathway", pg.openPage),
		web.PageRoute(http.MethodPost, "/percorsi/nuovo", route.OnDistrict, object, actWrite,
			"Apri un percorso / Open a pathway", pg.openPost),
	}
}

// caseloadLimit is how many pathways the page lists.
const caseloadLimit = 200

// caseRow is one line of the caseload, with its labels in the page's language.
type caseRow struct {
	CaseloadItem
	ProgrammeName, StageName string
}

type caseloadData struct {
	Due, All     []caseRow
	Total        int64
	Everyone     bool // the reader sees every pathway: show the filters and the link worker
	MayOpen      bool
	Programmes   []web.Option
	Stages       []web.Option
	Workers      []web.Option
	FilterActive bool
	Capped       bool // more pathways than the page lists
}

func (pg *pages) caseloadPage(c echo.Context) error {
	p := pg.web.NewPage(c, "pathway.caseload.title")
	q := c.QueryParams()
	p.Form = &web.Form{Values: q}
	ctx, a := c.Request().Context(), pg.actor(c)
	d := caseloadData{Everyone: a.Can(object, actReadAll), MayOpen: a.Can(object, actAssign) || mayOpenOwn(a)}
	f := CaseloadFilter{Programme: q.Get("programme"), Stage: q.Get("stage"), AssignedTo: q.Get("assigned_to"),
		IncludeClosed: web.Truthy(q.Get("closed")), Limit: caseloadLimit}
	d.FilterActive = f.Programme != "" || f.Stage != "" || f.AssignedTo != "" || f.IncludeClosed
	if d.Everyone {
		d.Programmes = pg.programmeOptions(p)
		d.Stages = pg.stageOptions(p)
		if a.Can(object, actAssign) {
			ws, err := pg.svc.Workers(ctx, a)
			if err != nil {
				return err
			}
			d.Workers = workerOptions(p, ws)
		}
	}
	items, total, err := pg.svc.Caseload(ctx, a, f)
	if err != nil {
		p.Data = d
		return pg.web.FailForm(c, "pathway/caseload", p, q, err)
	}
	d.Total = total
	d.Capped = total > int64(len(items))
	for _, it := range items {
		r := caseRow{CaseloadItem: it, ProgrammeName: pg.programmeName(p, it.Programme), StageName: pg.stageName(p, it.Programme, it.Stage)}
		if it.DueThisWeek {
			d.Due = append(d.Due, r)
		}
		d.All = append(d.All, r)
	}
	p.Data = d
	return pg.web.Render(c, "pathway/caseload", p)
}

// stageOptions are the stages of every programme, by programme.
func (pg *pages) stageOptions(p *web.Page) []web.Option {
	out := []web.Option{{Value: "", Label: p.T("form.choose")}}
	seen := map[string]bool{}
	for _, prog := range pg.svc.programmes.Sorted() {
		for _, l := range prog.Stages {
			if seen[l.Code] {
				continue
			}
			seen[l.Code] = true
			out = append(out, web.Option{Value: l.Code, Label: name(p, l)})
		}
	}
	return out
}

// workerOptions are the link workers as choices, with their open caseload.
func workerOptions(p *web.Page, ws []Worker) []web.Option {
	out := []web.Option{{Value: "", Label: p.T("form.choose")}}
	for _, w := range ws {
		out = append(out, web.Option{Value: w.ID, Label: p.T("pathway.worker.option", w.Name, w.Open)})
	}
	return out
}

type openData struct {
	Programmes, Sources, NEET, Sexes, Municipalities []web.Option
}

// openView prepares the form that opens a pathway: health staff may write records but never
// open one (403, as the API).
func (pg *pages) openView(c echo.Context) (*web.Page, error) {
	ctx, a := c.Request().Context(), pg.actor(c)
	if !a.Can(object, actAssign) && !mayOpenOwn(a) {
		return nil, errForbidden
	}
	p := pg.web.NewPage(c, "pathway.open.title")
	p.Crumbs = []web.Crumb{{Href: "/percorsi", Label: p.T("pathway.caseload.title")}}
	d := openData{Programmes: pg.programmeOptions(p),
		NEET:  p.Options(vocab("neet"), []string{"studio", "lavoro", "formazione", "nessuno"}, true),
		Sexes: p.Options(vocab("sex"), []string{"F", "M", "X"}, true)}
	// The sources of every programme, by programme: the service checks the pair.
	seen := map[string]bool{}
	var sources []Label
	for _, prog := range pg.svc.programmes.Sorted() {
		for _, l := range prog.Sources {
			if !seen[l.Code] {
				seen[l.Code] = true
				sources = append(sources, l)
			}
		}
	}
	d.Sources = labelOptions(p, sources)
	names, err := pg.svc.Municipalities(ctx, a)
	if err != nil {
		return nil, err
	}
	d.Municipalities = []web.Option{{Value: "", Label: p.T("form.choose")}}
	for _, n := range names {
		d.Municipalities = append(d.Municipalities, web.Option{Value: n, Label: n})
	}
	p.Data = d
	return p, nil
}

func (pg *pages) openPage(c echo.Context) error {
	p, err := pg.openView(c)
	if err != nil {
		return err
	}
	v := url.Values{}
	v.Set("engaged_on", pg.svc.today().Format(time.DateOnly))
	v.Set("person-language", "it")
	p.Form = &web.Form{Values: v}
	return pg.web.Render(c, "pathway/open", p)
}

func (pg *pages) openPost(c echo.Context) error {
	p, err := pg.openView(c)
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err == nil {
		err = consentTicked(v)
	}
	var out Pathway
	if err == nil {
		in := OpenInput{Programme: v.Get("programme"), Source: v.Get("source"), EngagedOn: v.Get("engaged_on"),
			NEETStart: v.Get("neet_start"), NoticeVersion: v.Get("notice_version"),
			Person: &PersonInput{GivenName: v.Get("person-given_name"), FamilyName: v.Get("person-family_name"),
				CodiceFisc: v.Get("person-codice_fiscale"), BirthDate: v.Get("person-birth_date"), Sex: v.Get("person-sex"),
				Municipality: v.Get("person-municipality"), Language: v.Get("person-language"),
				Contacts: Contacts{Phone: v.Get("person-contacts-phone"), Email: v.Get("person-contacts-email")}}}
		out, err = pg.svc.OpenPathway(c.Request().Context(), pg.actor(c), in)
		err = inForm("", err)
	}
	if err != nil {
		return pg.web.FailForm(c, "pathway/open", p, v, err)
	}
	return web.SeeOther(c, "/percorsi/"+out.ID, "pathway_opened")
}

// consentTicked refuses the form unless the person's consent to the processing is confirmed:
// a pathway is opened only with it.
func consentTicked(v url.Values) error {
	if web.Truthy(v.Get("consent")) {
		return nil
	}
	return apperr.Invalidf("consent", "conferma che l'informativa è stata consegnata e che la persona acconsente",
		"confirm that the notice was given and the person consents")
}
