package pathway_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
)

// recWritten is how many rows the records part has written in the district, all kinds.
func (d *recDistrict) recWritten(t *testing.T) int64 {
	t.Helper()
	return d.recCount(t, `SELECT (SELECT count(*) FROM assessments) + (SELECT count(*) FROM goals)
		+ (SELECT count(*) FROM activities) + (SELECT count(*) FROM pathway_meetings) + (SELECT count(*) FROM outcome_measures)
		+ (SELECT count(*) FROM projects) + (SELECT count(*) FROM project_signatures) + (SELECT count(*) FROM pathway_events)
		+ (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM pathways WHERE next_follow_up IS NOT NULL)`)
}

// Every endpoint refuses bad input with an Invalid naming the field (a Conflict for a state),
// and writes nothing at all.
func TestRecBadInput(t *testing.T) {
	d := recNew(t)
	person := d.recPerson(t, recYearsAgo(25))
	cope := d.recPathway(t, person, "cope", d.lw)
	vmd := d.recPathway(t, d.recPerson(t, recYearsAgo(70)), "vmd", d.lw)
	goal, err := d.svc.AddGoal(d.ctx, d.lw, cope, pathway.Goal{Text: "Patente", StartedOn: recDay(-3)})
	recNoError(t, err)
	act, err := d.svc.AddActivity(d.ctx, d.lw, cope, pathway.Activity{Kind: "attivita", Description: "Corso", StartedOn: recDay(-3)})
	recNoError(t, err)
	proj, err := d.svc.SaveProject(d.ctx, d.lw, vmd, pathway.ProjectInput{})
	recNoError(t, err)
	_, err = d.svc.AddONS4(d.ctx, d.lw, cope, pathway.ONS4{Occasion: "baseline", MeasuredOn: recDay(0),
		LifeSatisfaction: recInt(1), Worthwhile: recInt(1), Happiness: recInt(1), Anxiety: recInt(1)})
	recNoError(t, err)

	ctx, lw := d.ctx, d.lw
	assess := func(in pathway.Assessment) error { _, err := d.svc.AddAssessment(ctx, lw, vmd, in); return err }
	addGoal := func(in pathway.Goal) error { _, err := d.svc.AddGoal(ctx, lw, cope, in); return err }
	updGoal := func(in pathway.Goal) error { _, err := d.svc.UpdateGoal(ctx, lw, cope, goal.ID, in); return err }
	addAct := func(in pathway.Activity) error { _, err := d.svc.AddActivity(ctx, lw, cope, in); return err }
	updAct := func(in pathway.Activity) error { _, err := d.svc.UpdateActivity(ctx, lw, cope, act.ID, in); return err }
	meet := func(in pathway.Meeting) error { _, err := d.svc.AddMeeting(ctx, lw, cope, in); return err }
	ons := func(in pathway.ONS4) error { _, err := d.svc.AddONS4(ctx, lw, cope, in); return err }
	okONS := func(edit func(*pathway.ONS4)) pathway.ONS4 {
		m := pathway.ONS4{Occasion: "follow_up", MeasuredOn: recDay(0), LifeSatisfaction: recInt(5), Worthwhile: recInt(5), Happiness: recInt(5), Anxiety: recInt(5)}
		edit(&m)
		return m
	}
	save := func(in pathway.ProjectInput) error { _, err := d.svc.SaveProject(ctx, lw, vmd, in); return err }
	sign := func(party string) error { _, err := d.svc.SignProject(ctx, lw, vmd, proj.ID, party); return err }
	okAssess := pathway.Assessment{Domain: "abitazione", AssessedOn: recDay(0), Level: 1}
	with := func(edit func(*pathway.Assessment)) pathway.Assessment { a := okAssess; edit(&a); return a }

	cases := []struct {
		name  string
		call  func() error
		code  apperr.Code
		field string
	}{
		{"assessment: unknown domain", func() error { return assess(with(func(a *pathway.Assessment) { a.Domain = "lavoro_formazione" })) }, apperr.Invalid, "domain"},
		{"assessment: level 4", func() error { return assess(with(func(a *pathway.Assessment) { a.Level = 4 })) }, apperr.Invalid, "level"},
		{"assessment: level -1", func() error { return assess(with(func(a *pathway.Assessment) { a.Level = -1 })) }, apperr.Invalid, "level"},
		{"assessment: no date", func() error { return assess(with(func(a *pathway.Assessment) { a.AssessedOn = "" })) }, apperr.Invalid, "assessed_on"},
		{"assessment: tomorrow", func() error { return assess(with(func(a *pathway.Assessment) { a.AssessedOn = recDay(1) })) }, apperr.Invalid, "assessed_on"},
		{"assessment: not a date", func() error { return assess(with(func(a *pathway.Assessment) { a.AssessedOn = "27/11/2026" })) }, apperr.Invalid, "assessed_on"},
		{"assessment: wrong assessor", func() error { return assess(with(func(a *pathway.Assessment) { a.AssessorKind = "sanitaria" })) }, apperr.Invalid, "assessor_kind"},
		{"assessment: long notes", func() error {
			return assess(with(func(a *pathway.Assessment) { a.Notes = strings.Repeat("x", 10001) }))
		}, apperr.Invalid, "notes"},
		{"goal: no text", func() error { return addGoal(pathway.Goal{StartedOn: recDay(0)}) }, apperr.Invalid, "text"},
		{"goal: bad status", func() error { return addGoal(pathway.Goal{Text: "x", Status: "fatto", StartedOn: recDay(0)}) }, apperr.Invalid, "status"},
		{"goal: no start", func() error { return addGoal(pathway.Goal{Text: "x"}) }, apperr.Invalid, "started_on"},
		{"goal: reached without end", func() error { return addGoal(pathway.Goal{Text: "x", Status: "raggiunto", StartedOn: recDay(0)}) }, apperr.Invalid, "ended_on"},
		{"goal: open with end", func() error { return addGoal(pathway.Goal{Text: "x", StartedOn: recDay(-1), EndedOn: recDay(0)}) }, apperr.Invalid, "ended_on"},
		{"goal: target before start", func() error { return addGoal(pathway.Goal{Text: "x", StartedOn: recDay(0), TargetOn: recDay(-1)}) }, apperr.Invalid, "target_on"},
		{"goal: unknown domain", func() error { return addGoal(pathway.Goal{Text: "x", StartedOn: recDay(0), Domain: "autonomia"}) }, apperr.Invalid, "domain"},
		{"goal update: bad status", func() error { return updGoal(pathway.Goal{Status: "fatto"}) }, apperr.Invalid, "status"},
		{"goal update: end in future", func() error { return updGoal(pathway.Goal{Status: "abbandonato", EndedOn: recDay(2)}) }, apperr.Invalid, "ended_on"},
		{"goal update: unknown goal", func() error {
			_, err := d.svc.UpdateGoal(ctx, lw, cope, uuid.NewString(), pathway.Goal{Text: "y"})
			return err
		}, apperr.NotFound, ""},
		{"goal update: not an id", func() error { _, err := d.svc.UpdateGoal(ctx, lw, cope, "1", pathway.Goal{Text: "y"}); return err }, apperr.NotFound, ""},
		{"activity: bad kind", func() error { return addAct(pathway.Activity{Kind: "corso", Description: "x", StartedOn: recDay(0)}) }, apperr.Invalid, "kind"},
		{"activity: referral without service", func() error { return addAct(pathway.Activity{Kind: "invio", StartedOn: recDay(0)}) }, apperr.Invalid, "service_id"},
		{"activity: unknown service", func() error {
			return addAct(pathway.Activity{Kind: "invio", ServiceID: uuid.NewString(), StartedOn: recDay(0)})
		}, apperr.Invalid, "service_id"},
		{"activity: service not an id", func() error { return addAct(pathway.Activity{Kind: "invio", ServiceID: "abc", StartedOn: recDay(0)}) }, apperr.Invalid, "service_id"},
		{"activity: no description", func() error { return addAct(pathway.Activity{Kind: "attivita", StartedOn: recDay(0)}) }, apperr.Invalid, "description"},
		{"activity: bad status", func() error {
			return addAct(pathway.Activity{Kind: "attivita", Description: "x", Status: "fatta", StartedOn: recDay(0)})
		}, apperr.Invalid, "status"},
		{"activity: concluded without end", func() error {
			return addAct(pathway.Activity{Kind: "attivita", Description: "x", Status: "conclusa", StartedOn: recDay(0)})
		}, apperr.Invalid, "ended_on"},
		{"activity: start in future", func() error {
			return addAct(pathway.Activity{Kind: "attivita", Description: "x", StartedOn: recDay(3)})
		}, apperr.Invalid, "started_on"},
		{"activity update: kind changes", func() error { return updAct(pathway.Activity{Kind: "invio"}) }, apperr.Invalid, "kind"},
		{"activity update: end before start", func() error { return updAct(pathway.Activity{Status: "conclusa", EndedOn: recDay(-10)}) }, apperr.Invalid, "ended_on"},
		{"activity update: unknown", func() error {
			_, err := d.svc.UpdateActivity(ctx, lw, cope, uuid.NewString(), pathway.Activity{Status: "in_corso"})
			return err
		}, apperr.NotFound, ""},
		{"meeting: no date", func() error { return meet(pathway.Meeting{Kind: "incontro"}) }, apperr.Invalid, "held_on"},
		{"meeting: tomorrow", func() error { return meet(pathway.Meeting{HeldOn: recDay(1), Kind: "incontro"}) }, apperr.Invalid, "held_on"},
		{"meeting: bad kind", func() error { return meet(pathway.Meeting{HeldOn: recDay(0), Kind: "cena"}) }, apperr.Invalid, "kind"},
		{"meeting: follow-up in the past", func() error {
			return meet(pathway.Meeting{HeldOn: recDay(0), Kind: "incontro", NextFollowUp: recDay(-1)})
		}, apperr.Invalid, "next_follow_up"},
		{"meeting: follow-up not a date", func() error {
			return meet(pathway.Meeting{HeldOn: recDay(0), Kind: "incontro", NextFollowUp: "domani"})
		}, apperr.Invalid, "next_follow_up"},
		{"ons4: missing item", func() error { return ons(okONS(func(m *pathway.ONS4) { m.LifeSatisfaction = nil })) }, apperr.Invalid, "life_satisfaction"},
		{"ons4: 11", func() error { return ons(okONS(func(m *pathway.ONS4) { m.Worthwhile = recInt(11) })) }, apperr.Invalid, "worthwhile"},
		{"ons4: -1", func() error { return ons(okONS(func(m *pathway.ONS4) { m.Happiness = recInt(-1) })) }, apperr.Invalid, "happiness"},
		{"ons4: adult without anxiety", func() error { return ons(okONS(func(m *pathway.ONS4) { m.Anxiety = nil })) }, apperr.Invalid, "anxiety"},
		{"ons4: bad occasion", func() error { return ons(okONS(func(m *pathway.ONS4) { m.Occasion = "mensile" })) }, apperr.Invalid, "occasion"},
		{"ons4: second baseline", func() error { return ons(okONS(func(m *pathway.ONS4) { m.Occasion = "baseline" })) }, apperr.Conflict, "occasion"},
		{"ons4: no date", func() error { return ons(okONS(func(m *pathway.ONS4) { m.MeasuredOn = "" })) }, apperr.Invalid, "measured_on"},
		{"ons4: programme without it", func() error {
			_, err := d.svc.AddONS4(ctx, lw, vmd, okONS(func(*pathway.ONS4) {}))
			return err
		}, apperr.Conflict, "programme"},
		{"project: support without kind", func() error {
			return save(pathway.ProjectInput{Supports: []pathway.Support{{Provider: "Coop"}}})
		}, apperr.Invalid, "supports[0].kind"},
		{"project: support without provider", func() error {
			return save(pathway.ProjectInput{Supports: []pathway.Support{{Kind: "SAD", Provider: "Coop"}, {Kind: "ADI"}}})
		}, apperr.Invalid, "supports[1].provider"},
		{"project: long commitment", func() error {
			return save(pathway.ProjectInput{Commitments: pathway.Commitments{Comune: strings.Repeat("c", 4001)}})
		}, apperr.Invalid, "commitments.comune"},
		{"project: COPE has none", func() error { _, err := d.svc.SaveProject(ctx, lw, cope, pathway.ProjectInput{}); return err }, apperr.Conflict, "programme"},
		{"sign: unknown party", func() error { return sign("sindaco") }, apperr.Invalid, "party"},
		{"sign: no party", func() error { return sign("") }, apperr.Invalid, "party"},
		{"sign: unknown project", func() error { _, err := d.svc.SignProject(ctx, lw, vmd, uuid.NewString(), "comune"); return err }, apperr.NotFound, ""},
		{"unknown pathway", func() error {
			_, err := d.svc.AddGoal(ctx, lw, uuid.NewString(), pathway.Goal{Text: "x", StartedOn: recDay(0)})
			return err
		}, apperr.NotFound, ""},
		{"pathway not an id", func() error {
			_, err := d.svc.AddMeeting(ctx, lw, "x", pathway.Meeting{HeldOn: recDay(0), Kind: "incontro"})
			return err
		}, apperr.NotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := d.recWritten(t)
			recWant(t, c.call(), c.code, c.field)
			if after := d.recWritten(t); after != before {
				t.Fatalf("rows written: %d → %d", before, after)
			}
		})
	}
}

// The API binds bodies strictly: a wrong type or an unknown field is a 4xx naming it, and an
// ONS4 item that is not a whole number never reaches the service.
func TestRecAPIBodies(t *testing.T) {
	d := recNew(t)
	cope := d.recPathway(t, d.recPerson(t, recYearsAgo(20)), "cope", d.lw)
	routes := pathway.NewAPI(d.svc).Routes()
	call := func(method, path, body string, params ...string) *httptest.ResponseRecorder {
		t.Helper()
		for _, r := range routes {
			if r.Method != method || r.Path != path {
				continue
			}
			e := echo.New()
			req := httptest.NewRequest(method, "/", strings.NewReader(body)).WithContext(actor.With(d.ctx, d.lw))
			rec := httptest.NewRecorder()
			c := e.NewContext(req, rec)
			names, values := []string{"id"}, []string{cope}
			for i := 0; i+1 < len(params); i += 2 {
				names, values = append(names, params[i]), append(values, params[i+1])
			}
			c.SetParamNames(names...)
			c.SetParamValues(values...)
			if err := r.Handler(c); err != nil {
				e, _ := apperr.As(err)
				if e == nil {
					t.Fatalf("%s %s: %v", method, path, err)
				}
				rec.Code = map[apperr.Code]int{apperr.Invalid: 400, apperr.NotFound: 404, apperr.Conflict: 409, apperr.Forbidden: 403}[e.Code]
				rec.Body.Reset()
				rec.Body.WriteString(e.Field)
			}
			return rec
		}
		t.Fatalf("no route %s %s", method, path)
		return nil
	}
	const p = "/api/v1/pathways/:id"
	before := d.recWritten(t)
	for _, c := range []struct{ method, path, body, field string }{
		{"POST", p + "/outcomes", `{"occasion":"baseline","measured_on":"` + recDay(0) + `","life_satisfaction":7.5,"worthwhile":1,"happiness":1,"anxiety":1}`, "life_satisfaction"},
		{"POST", p + "/outcomes", `{"occasion":"baseline","measured_on":"` + recDay(0) + `","life_satisfaction":"7","worthwhile":1,"happiness":1,"anxiety":1}`, "life_satisfaction"},
		{"POST", p + "/meetings", `{"held_on":"` + recDay(0) + `","kind":"incontro","mood":"ok"}`, "mood"},
		{"POST", p + "/goals", `{"text":1}`, "text"},
		{"POST", p + "/projects/:pid/sign", `{"party":["asst"]}`, "party"},
		{"POST", p + "/assessments", `{"domain":"casa","level":"alto"}`, "level"},
		{"POST", p + "/assessments", ``, ""},
	} {
		rec := call(c.method, c.path, c.body, "pid", uuid.NewString())
		if rec.Code < 400 || rec.Code >= 500 || !strings.Contains(rec.Body.String(), c.field) {
			t.Errorf("%s %s %s: %d %q, want 4xx naming %q", c.method, c.path, c.body, rec.Code, rec.Body.String(), c.field)
		}
	}
	if after := d.recWritten(t); after != before {
		t.Fatalf("rows written by refused bodies: %d → %d", before, after)
	}
	rec := call("POST", p+"/outcomes", `{"occasion":"baseline","measured_on":"`+recDay(0)+`","life_satisfaction":7,"worthwhile":6,"happiness":5,"anxiety":4}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("a good ONS4: %d %s", rec.Code, rec.Body.String())
	}
}
