package pathway

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The records' forms of the pathway page (a meeting, a goal, an activity or referral, an
// assessment, the project and its signatures) and the ONS4 entry, a page of its own. Each
// field is named "<form>.<the service's field>", so an invalid input shows next to its field.

func (pg *pages) recordPages() []route.Route {
	post := func(path, summary string, h echo.HandlerFunc) route.Route {
		return web.PageRoute(http.MethodPost, "/percorsi/:id"+path, route.OnDistrict, object, actWrite, summary, h)
	}
	return []route.Route{
		post("/incontri", "Registra un incontro / Record a meeting", pg.meetingPost),
		post("/obiettivi", "Nuovo obiettivo / New goal", pg.goalPost),
		post("/attivita", "Nuova attività o invio / New activity or referral", pg.activityPost),
		post("/valutazioni", "Registra una valutazione / Record an assessment", pg.assessmentPost),
		post("/progetto", "Salva il Progetto Individualizzato / Save the Individual Project", pg.projectPost),
		post("/progetto/:pid/firma", "Firma il Progetto Individualizzato / Sign the Individual Project", pg.signPost),
		web.PageRoute(http.MethodGet, "/percorsi/:id/ons4", route.OnDistrict, object, actWrite,
			"Misura ONS4 del benessere / ONS4 well-being entry", pg.ons4Page),
		post("/ons4", "Registra una misura ONS4 / Record an ONS4 measurement", pg.ons4Post),
	}
}

// recordPost reads the form, records it through fn and comes back to the page's anchor; a
// refusal shows the page again with the error next to its field.
func (pg *pages) recordPost(c echo.Context, prefix, anchor, flash string, fn func(url.Values) error) error {
	id := c.Param("id")
	v, err := web.FormValues(c)
	if err == nil {
		err = inForm(prefix, fn(v))
	}
	if err != nil {
		return pg.failPathway(c, id, v, err)
	}
	return back(c, id, anchor, flash)
}

func (pg *pages) meetingPost(c echo.Context) error {
	return pg.recordPost(c, "meeting-", "meetings", "pathway_meeting", func(v url.Values) error {
		in := Meeting{HeldOn: v.Get("meeting-held_on"), Kind: v.Get("meeting-kind"), Notes: v.Get("meeting-notes"),
			NextFollowUp: v.Get("meeting-next_follow_up")}
		_, err := pg.svc.AddMeeting(c.Request().Context(), pg.actor(c), c.Param("id"), in)
		return err
	})
}

func (pg *pages) goalPost(c echo.Context) error {
	return pg.recordPost(c, "goal-", "goals", "pathway_goal", func(v url.Values) error {
		in := Goal{Domain: v.Get("goal-domain"), Text: v.Get("goal-text"), Status: v.Get("goal-status"),
			StartedOn: v.Get("goal-started_on"), TargetOn: v.Get("goal-target_on")}
		_, err := pg.svc.AddGoal(c.Request().Context(), pg.actor(c), c.Param("id"), in)
		return err
	})
}

func (pg *pages) activityPost(c echo.Context) error {
	return pg.recordPost(c, "activity-", "activities", "pathway_activity", func(v url.Values) error {
		in := Activity{Kind: v.Get("activity-kind"), Description: v.Get("activity-description"),
			StartedOn: v.Get("activity-started_on"), Status: v.Get("activity-status"), ServiceID: v.Get("activity-service_id")}
		_, err := pg.svc.AddActivity(c.Request().Context(), pg.actor(c), c.Param("id"), in)
		return err
	})
}

func (pg *pages) assessmentPost(c echo.Context) error {
	return pg.recordPost(c, "assessment-", "assessments", "pathway_assessment", func(v url.Values) error {
		level, err := web.RequiredInt(url.Values{"level": {v.Get("assessment-level")}}, "level", "livello di bisogno: da 0 a 3", "level of need: 0 to 3")
		if err != nil {
			return err
		}
		var needs []string
		for _, n := range strings.Split(v.Get("assessment-needs"), "\n") {
			if n = strings.TrimSpace(n); n != "" {
				needs = append(needs, n)
			}
		}
		in := Assessment{Domain: v.Get("assessment-domain"), AssessedOn: v.Get("assessment-assessed_on"), Level: level,
			Needs: needs, Notes: v.Get("assessment-notes")}
		_, err = pg.svc.AddAssessment(c.Request().Context(), pg.actor(c), c.Param("id"), in)
		return err
	})
}

// projectSupportRows is how many supports the project form offers (empty rows are ignored).
const projectSupportRows = 5

func (pg *pages) projectPost(c echo.Context) error {
	return pg.recordPost(c, "project-", "projects", "pathway_project", func(v url.Values) error {
		in := ProjectInput{Supports: []Support{}, Commitments: Commitments{Person: v.Get("project-commitments-persona"),
			Family: v.Get("project-commitments-famiglia"), Comune: v.Get("project-commitments-comune"), ASST: v.Get("project-commitments-asst")}}
		var rows []int // the form's row of each support kept
		for i := range projectSupportRows {
			f := "project-supports[" + strconv.Itoa(i) + "]-"
			s := Support{Kind: v.Get(f + "kind"), Provider: v.Get(f + "provider"), Frequency: v.Get(f + "frequency"), Funding: v.Get(f + "funding")}
			if strings.TrimSpace(s.Kind+s.Provider+s.Frequency+s.Funding) == "" {
				continue
			}
			in.Supports = append(in.Supports, s)
			rows = append(rows, i)
		}
		_, err := pg.svc.SaveProject(c.Request().Context(), pg.actor(c), c.Param("id"), in)
		return supportRow(err, rows)
	})
}

// supportRow names a refused support by its row of the form (the service counts the rows
// kept, the form every row, empty ones included).
func supportRow(err error, rows []int) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	for k, i := range rows {
		prefix := "supports[" + strconv.Itoa(k) + "]"
		if strings.HasPrefix(e.Field, prefix) {
			return e.WithField("supports[" + strconv.Itoa(i) + "]" + strings.TrimPrefix(e.Field, prefix))
		}
	}
	return err
}

func (pg *pages) signPost(c echo.Context) error {
	return pg.recordPost(c, "sign.", "projects", "pathway_signed", func(v url.Values) error {
		_, err := pg.svc.SignProject(c.Request().Context(), pg.actor(c), c.Param("id"), c.Param("pid"), v.Get("party"))
		return err
	})
}

// The ONS4 items in the questionnaire's order, with their catalogue keys.
var ons4Fields = []string{"life_satisfaction", "worthwhile", "happiness", "anxiety"}

// ons4Item is one question: a fieldset of eleven radio buttons.
type ons4Item struct {
	Field, Legend, Note, Error, Value string
	Scores                            []int
}

type ons4Data struct {
	PathwayID, PersonName string
	Items                 []ons4Item
	Occasions             []web.Option
}

// ons4View prepares the ONS4 entry of pathway id (only if the reader may see it).
func (pg *pages) ons4View(c echo.Context, v url.Values, err error) (*web.Page, error) {
	det, derr := pg.svc.Detail(c.Request().Context(), pg.actor(c), c.Param("id"))
	if derr != nil {
		return nil, derr
	}
	p := pg.web.NewPage(c, "pathway.ons4.title")
	p.Crumbs = []web.Crumb{{Href: "/percorsi", Label: p.T("pathway.caseload.title")},
		{Href: "/percorsi/" + det.Pathway.ID, Label: det.Person.GivenName + " " + det.Person.FamilyName}}
	p.Form = &web.Form{Values: v}
	if e, ok := apperr.As(err); ok {
		p.Form.Err = e
	}
	d := ons4Data{PathwayID: det.Pathway.ID, PersonName: det.Person.GivenName + " " + det.Person.FamilyName,
		Occasions: p.Options(vocab("ons4", "occasion"), []string{"baseline", "follow_up", "chiusura"}, true)}
	for _, f := range ons4Fields {
		it := ons4Item{Field: f, Legend: p.T("pathway.ons4.q." + f), Error: p.ErrorFor(f), Value: v.Get(f)}
		if f == "anxiety" {
			it.Note = p.T("pathway.ons4.anxiety_note")
		}
		for i := 0; i <= 10; i++ {
			it.Scores = append(it.Scores, i)
		}
		d.Items = append(d.Items, it)
	}
	p.Data = d
	return p, nil
}

func (pg *pages) ons4Page(c echo.Context) error {
	v := url.Values{}
	v.Set("measured_on", pg.svc.today().Format("2006-01-02"))
	v.Set("occasion", "follow_up")
	p, err := pg.ons4View(c, v, nil)
	if err != nil {
		return err
	}
	return pg.web.Render(c, "pathway/ons4", p)
}

func (pg *pages) ons4Post(c echo.Context) error {
	v, err := web.FormValues(c)
	if err == nil {
		in := ONS4{Occasion: v.Get("occasion"), MeasuredOn: v.Get("measured_on")}
		ptrs := in.items()
		for i, f := range ons4Fields {
			if *ptrs[i], err = web.IntValue(v, f, "un numero intero da 0 a 10", "a whole number from 0 to 10"); err != nil {
				break
			}
		}
		if err == nil {
			_, err = pg.svc.AddONS4(c.Request().Context(), pg.actor(c), c.Param("id"), in)
		}
	}
	if err != nil {
		if e, ok := apperr.As(err); !ok || (e.Code != apperr.Invalid && e.Code != apperr.Conflict) || v == nil {
			return err
		}
		p, verr := pg.ons4View(c, v, err)
		if verr != nil {
			return verr
		}
		return pg.web.FailForm(c, "pathway/ons4", p, v, err)
	}
	return back(c, c.Param("id"), "outcomes", "pathway_ons4")
}
