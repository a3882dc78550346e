package pathway

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The coordinator's matching: a pathway's link workers ranked with their reasons and a one-click
// assignment (which posts to the board's assign route), and the link workers' profiles the
// ranking weighs (match.go, profiles.go).

func (pg *pages) matchPages() []route.Route {
	return []route.Route{
		web.PageRoute(http.MethodGet, "/percorsi/:id/abbinamento", route.OnDistrict, object, actMatch,
			"Abbinamento del percorso a un link worker / Matching a pathway to a link worker", pg.matchPage),
		web.PageRoute(http.MethodGet, "/percorsi/link-worker", route.OnDistrict, object, actMatch,
			"Profili dei link worker / Link workers' profiles", pg.profilesPage),
		web.PageRoute(http.MethodGet, "/percorsi/link-worker/:id", route.OnDistrict, object, actMatch,
			"Modifica il profilo di un link worker / Edit a link worker's profile", pg.profilePage),
		web.PageRoute(http.MethodPost, "/percorsi/link-worker/:id", route.OnDistrict, object, actMatch,
			"Salva il profilo di un link worker / Save a link worker's profile", pg.profilePost),
	}
}

// matchNav is the profiles' entry of the navigation, for the coordinator.
func matchNav(p *web.Page) []web.NavItem {
	if !p.Can(object, actMatch) {
		return nil
	}
	return []web.NavItem{{Href: "/percorsi/link-worker", Label: p.T("pathway.nav.profiles")}}
}

type matchData struct {
	Matches
	ProgrammeName string
	StageName     string
	Closed        bool
	SkillsFrom    string // in words
	Needed        string // the needed skills' names
	SkillOptions  []web.Option
	Rows          []matchRow
}

type matchRow struct {
	Match
	Current bool // the pathway's link worker now
	Reasons []reasonView
}

type reasonView struct {
	Text, Points string
	Negative     bool
}

func (pg *pages) matchPage(c echo.Context) error {
	ctx, a := c.Request().Context(), pg.actor(c)
	var skills []string // nil: from the assessments
	if c.QueryParam("scelta") != "" {
		skills = []string{}
		for _, sk := range c.QueryParams()["skills"] {
			skills = append(skills, splitCodes(sk)...)
		}
	}
	m, err := pg.svc.Match(ctx, a, c.Param("id"), skills)
	if err != nil {
		return err
	}
	who := m.PersonName
	if m.Erased {
		who = "—"
	}
	p := pg.web.NewPage(c, "pathway.match.title", who)
	p.Crumbs = []web.Crumb{{Href: "/percorsi/assegnazioni", Label: p.T("pathway.board.title")},
		{Href: "/percorsi/" + m.Pathway.ID, Label: who}}
	prog := pg.svc.programmes[m.Pathway.Programme]
	d := matchData{Matches: m, ProgrammeName: pg.programmeName(p, prog.Code), StageName: labelOf(p, prog.Stages, m.Pathway.Stage),
		Closed: m.Pathway.ClosedOn != "", SkillsFrom: p.T("pathway.match.skills_from." + m.SkillsFrom)}
	d.Needed = pg.skillNames(p, m.Skills)
	for _, sk := range prog.Skills {
		d.SkillOptions = append(d.SkillOptions, web.Option{Value: sk.Code, Label: name(p, sk.Label), Selected: slices.Contains(m.Skills, sk.Code)})
	}
	for _, w := range m.Workers {
		row := matchRow{Match: w, Current: w.ID == m.Pathway.AssignedTo}
		for _, r := range w.Reasons {
			row.Reasons = append(row.Reasons, reasonView{Text: pg.reasonText(p, r), Points: signed(r.Points), Negative: r.Points < 0})
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	return pg.web.Render(c, "pathway/matching", p)
}

// reasonText puts a reason in words: its text with its arguments, skill codes named.
func (pg *pages) reasonText(p *web.Page, r Reason) string {
	args := make([]any, len(r.Args))
	for i, x := range r.Args {
		args[i] = x
	}
	switch r.Code {
	case ReasonSkillsHad:
		if len(args) == 3 {
			args[2] = pg.skillNames(p, strings.Split(r.Args[2], ","))
		}
	case ReasonSkillsMissing:
		if len(args) == 1 {
			args[0] = pg.skillNames(p, strings.Split(r.Args[0], ","))
		}
	}
	return p.T("pathway.match.reason."+r.Code, args...)
}

// skillNames are the skills' names in the page's language, joined; "—" for none.
func (pg *pages) skillNames(p *web.Page, codes []string) string {
	if len(codes) == 0 {
		return "—"
	}
	vocab := pg.svc.programmes.Skills()
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = labelOf(p, vocab, c)
	}
	return strings.Join(names, ", ")
}

// signed is a reason's points with their sign: "+30", "0", "−25".
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "−" + strconv.Itoa(-n)
	}
	return "0"
}

type profilesData struct {
	Rows []profileView
}

type profileView struct {
	LinkWorker
	MunicipalityNames, LanguageNames, SkillNames string
}

func (pg *pages) profilesPage(c echo.Context) error {
	ws, err := pg.svc.LinkWorkers(c.Request().Context(), pg.actor(c))
	if err != nil {
		return err
	}
	p := pg.web.NewPage(c, "pathway.profiles.title")
	p.Crumbs = []web.Crumb{{Href: "/percorsi/assegnazioni", Label: p.T("pathway.board.title")}}
	var d profilesData
	for _, w := range ws {
		v := profileView{LinkWorker: w, MunicipalityNames: orDash(strings.Join(w.Municipalities, ", ")),
			LanguageNames: orDash(strings.Join(w.Languages, ", ")), SkillNames: pg.skillNames(p, w.Skills)}
		d.Rows = append(d.Rows, v)
	}
	p.Data = d
	return pg.web.Render(c, "pathway/profiles", p)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

type profileFormData struct {
	Worker       LinkWorker
	Comuni       []web.Option
	SkillOptions []web.Option
}

func (pg *pages) profilePage(c echo.Context) error {
	p, w, err := pg.profileForm(c)
	if err != nil {
		return err
	}
	v := url.Values{"capacity": {strconv.Itoa(w.Capacity)}, "languages": {strings.Join(w.Languages, ", ")},
		"municipalities": w.Municipalities, "skills": w.Skills}
	return pg.renderProfile(c, p, w, v)
}

func (pg *pages) profilePost(c echo.Context) error {
	p, w, err := pg.profileForm(c)
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err != nil {
		return err
	}
	in := ProfileInput{Municipalities: v["municipalities"], Languages: splitCodes(v.Get("languages")), Skills: v["skills"]}
	if s := strings.TrimSpace(v.Get("capacity")); s != "" {
		if in.Capacity, err = strconv.Atoi(s); err != nil {
			err = apperr.Invalidf("capacity", "capacità: un numero da 1 a 200", "capacity: a number from 1 to 200")
		}
	}
	if err == nil {
		_, err = pg.svc.SetProfile(c.Request().Context(), pg.actor(c), w.ID, in)
	}
	if err == nil {
		return web.SeeOther(c, "/percorsi/link-worker", "pathway_profile")
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		return err
	}
	p.Form = &web.Form{Values: v, Err: e}
	p.Status = http.StatusUnprocessableEntity
	return pg.renderProfile(c, p, w, v)
}

// profileForm finds link worker :id (404 for anyone else) and starts the form's page.
func (pg *pages) profileForm(c echo.Context) (*web.Page, LinkWorker, error) {
	ws, err := pg.svc.LinkWorkers(c.Request().Context(), pg.actor(c))
	if err != nil {
		return nil, LinkWorker{}, err
	}
	i := slices.IndexFunc(ws, func(w LinkWorker) bool { return w.ID == c.Param("id") })
	if i < 0 {
		return nil, LinkWorker{}, errWorkerNotFound
	}
	p := pg.web.NewPage(c, "pathway.profiles.edit_title", ws[i].Name)
	p.Crumbs = []web.Crumb{{Href: "/percorsi/link-worker", Label: p.T("pathway.profiles.title")}}
	return p, ws[i], nil
}

// renderProfile shows the form with v's values: the comuni and skills chosen are marked.
func (pg *pages) renderProfile(c echo.Context, p *web.Page, w LinkWorker, v url.Values) error {
	names, err := pg.svc.Municipalities(c.Request().Context(), pg.actor(c))
	if err != nil {
		return err
	}
	if p.Form == nil {
		p.Form = &web.Form{Values: v}
	}
	d := profileFormData{Worker: w}
	for _, n := range names {
		d.Comuni = append(d.Comuni, web.Option{Value: n, Label: n, Selected: slices.Contains(v["municipalities"], n)})
	}
	for _, sk := range pg.svc.programmes.Skills() {
		d.SkillOptions = append(d.SkillOptions, web.Option{Value: sk.Code, Label: name(p, sk), Selected: slices.Contains(v["skills"], sk.Code)})
	}
	sort.Slice(d.SkillOptions, func(i, j int) bool { return d.SkillOptions[i].Label < d.SkillOptions[j].Label })
	p.Data = d
	return pg.web.Render(c, "pathway/profiles_edit", p)
}
