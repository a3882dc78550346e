package plan_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// pathwaysFixture writes COPE pathways and referrals straight into the district's tables and
// refreshes the pathways' facts, as a pathway write would.
type pathwaysFixture struct {
	d     *district
	store *facts.Store
}

func (f pathwaysFixture) sql(fn func(g *gorm.DB) error) {
	f.d.t.Helper()
	schema, _ := tenancy.SchemaName(f.d.slug)
	if err := f.d.db.InSchema(context.Background(), schema, fn); err != nil {
		f.d.t.Fatal(err)
	}
}

func (f pathwaysFixture) id(q string, args ...any) string {
	f.d.t.Helper()
	var id string
	f.sql(func(g *gorm.DB) error { return g.Raw(q, args...).Scan(&id).Error })
	return id
}

// pathway opens a COPE pathway of person (a new one when "") engaged on day, closed on
// closed (when not "") for reason, NEET at start, and in neetClose at closure.
func (f pathwaysFixture) pathway(person, engaged, closed, reason, neetClose string) (string, string) {
	if person == "" {
		person = f.id(`INSERT INTO persons (created_by) VALUES ('test') RETURNING id`)
	}
	stage, closedOn := "aggancio", any(nil)
	if closed != "" {
		stage, closedOn = "chiusura", closed
	}
	return person, f.id(`INSERT INTO pathways (person_id, programme, stage, engaged_on, closed_on, closure_reason, neet_start, neet_close)
		VALUES (?, 'cope', ?, ?, ?, ?, 'nessuno', ?) RETURNING id`, person, stage, engaged, closedOn, reason, neetClose)
}

// referral sends and accepts a referral of the pathway on the given days.
func (f pathwaysFixture) referral(pathwayID, sent, accepted string) {
	id := f.id(`INSERT INTO referrals (pathway_id, person_id, service_id, service_name, organization_id, organization_name,
		consent_party, urgency, shared, contact_preference, status, sent_by, sent_by_name)
		SELECT id, person_id, gen_random_uuid(), 'Servizio', gen_random_uuid(), 'Ente', 'ente', 'ordinaria',
			'{nome}', 'di_persona', 'accettato', 't', 't' FROM pathways WHERE id = ? RETURNING id`, pathwayID)
	f.sql(func(g *gorm.DB) error {
		return g.Exec(`INSERT INTO referral_steps (referral_id, status, at, by_id, by_name) VALUES
			(?, 'inviato', ?::date + time '10:00', 't', 't'), (?, 'accettato', ?::date + time '10:00', 't', 't')`,
			id, sent, id, accepted).Error
	})
}

func (f pathwaysFixture) refresh() {
	f.d.t.Helper()
	err := tenancy.NewScope(f.d.db).Tx(f.d.ctx, f.d.udp, func(tx *tenancy.Tx) error {
		return f.store.Refresh(f.d.ctx, tx, facts.PathwaysSection)
	})
	noError(f.d.t, err)
}

// boundDistrict is the plan service as cmd/ambiti builds it: the facts with the pathways'
// section and the shipped programmes.
func boundDistrict(t *testing.T) (*district, pathwaysFixture) {
	d := newDistrict(t)
	programmes, err := pathway.ProgrammeLabels()
	noError(t, err)
	store := facts.NewStore(d.db, plan.FactsSection(), pathway.FactsSection(nil))
	d.svc = plan.NewService(tenancy.NewScope(d.db), store).WithProgrammes(programmes)
	return d, pathwaysFixture{d: d, store: store}
}

// A bound indicator equals, year by year of the plan's period and over the whole period, the
// figure counted by hand from the pathways written: engaged people, pathways started and
// closed, referrals accepted, the share who left the NEET condition; small counts suppressed,
// the people who withdrew their consent to research left out.
func TestBoundIndicatorsCountThePathways(t *testing.T) {
	t.Parallel()
	d, f := boundDistrict(t)
	// 2024: six people engaged, one of them twice (7 pathways).
	var ids []string
	for i := 0; i < 6; i++ {
		_, id := f.pathway("", fmt.Sprintf("2024-0%d-10", i+1), "", "", "")
		ids = append(ids, id)
	}
	var first string
	f.sql(func(g *gorm.DB) error {
		return g.Raw(`SELECT person_id::text FROM pathways WHERE id = ?`, ids[0]).Scan(&first).Error
	})
	f.pathway(first, "2024-09-01", "", "", "")
	// 2025: five closed, three into work (NEET left), two who withdrew; five new people engaged;
	// six referrals sent and accepted.
	f.sql(func(g *gorm.DB) error {
		for i, id := range ids[:5] {
			reason, neet := "lavoro_studio", "lavoro"
			if i >= 3 {
				reason, neet = "rinuncia", "nessuno"
			}
			err := g.Exec(`UPDATE pathways SET stage = 'chiusura', closed_on = ?, closure_reason = ?, neet_close = ? WHERE id = ?`,
				fmt.Sprintf("2025-0%d-15", i+1), reason, neet, id).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
	for i := 0; i < 5; i++ {
		_, id := f.pathway("", fmt.Sprintf("2025-0%d-20", i+2), "", "", "")
		f.referral(id, fmt.Sprintf("2025-0%d-25", i+2), fmt.Sprintf("2025-0%d-28", i+2))
	}
	f.referral(ids[5], "2025-10-01", "2025-10-02")
	// Not counted: a person who withdrew the research consent.
	w, _ := f.pathway("", "2025-03-01", "", "", "")
	f.sql(func(g *gorm.DB) error {
		return g.Exec(`INSERT INTO consents (person_id, purpose, given, notice_version, recorded_by, recorded_by_name)
			VALUES (?, 'ricerca', false, 'v1', 't', 't')`, w).Error
	})
	f.refresh()

	p, err := d.svc.CreatePlan(d.ctx, d.udp, plan.PlanInput{Title: "Piano COPE", StartYear: 2024, EndYear: 2026})
	noError(t, err)
	o, err := d.svc.CreateObjective(d.ctx, d.udp, p.ID, plan.Objective{Title: "Giovani NEET", AreaCode: "A"})
	noError(t, err)
	bind := func(name, figure string, target *float64) plan.Indicator {
		in, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: name, Target: target,
			Binding: plan.Binding{Programme: "cope", Figure: figure}})
		noError(t, err)
		return in
	}
	bind("Giovani agganciati", "engaged", ptr(20.0))
	bind("Percorsi avviati", "started", nil)
	bind("Percorsi chiusi", "closed", nil)
	bind("Rinunce", "closed:rinuncia", nil)
	bind("Invii accettati", "referrals_accepted", nil)
	bind("Uscita dalla condizione NEET", "neet_left_share", nil)
	bind("Benessere", "ons4_change:life_satisfaction", nil)

	od, err := d.svc.ObjectiveDetail(d.ctx, d.udp, o.ID)
	noError(t, err)
	show := func(v plan.BoundValue) string {
		switch {
		case v.Suppressed:
			return "<5"
		case v.Value == nil:
			return "-"
		}
		return fmt.Sprint(*v.Value)
	}
	want := map[string]string{ // 2024 2025 2026 period
		"Giovani agganciati":           "6 5 0 11",
		"Percorsi avviati":             "7 5 0 12",
		"Percorsi chiusi":              "0 5 0 5",
		"Rinunce":                      "0 <5 0 <5",
		"Invii accettati":              "0 6 0 6",
		"Uscita dalla condizione NEET": "- 60 - 60",
		"Benessere":                    "- - - -",
	}
	for _, in := range od.Indicators {
		if in.Bound == nil {
			t.Fatalf("%s: no bound values", in.Name)
		}
		b := in.Bound
		got := fmt.Sprintf("%s %s %s %s", show(b.Years[0]), show(b.Years[1]), show(b.Years[2]), show(b.Period))
		if got != want[in.Name] || b.Period.Period != "2024-2026" || b.Years[1].Period != "2025" {
			t.Errorf("%s = %s (%s), want %s", in.Name, got, b.Period.Period, want[in.Name])
		}
		if in.Name == "Giovani agganciati" && (in.Latest == nil || in.Latest.Value != 11 || in.Progress == nil || *in.Progress != 55) {
			t.Errorf("engaged: latest %+v progress %v, want 11 and 55%%", in.Latest, in.Progress)
		}
		if b.ProgrammeName == "" {
			t.Errorf("%s: no programme name", in.Name)
		}
	}

	// A manual value of a bound indicator is refused; unbinding makes it manual again.
	engaged := od.Indicators[0]
	_, err = d.svc.RecordMeasurement(d.ctx, d.udp, engaged.ID, plan.MeasurementInput{Period: "2025", Value: ptr(3.0)})
	wantField(t, err, "indicator")
	_, err = d.svc.UpdateIndicator(d.ctx, d.udp, engaged.ID, func(in *plan.Indicator) error { in.Binding = plan.Binding{}; return nil })
	noError(t, err)
	_, err = d.svc.RecordMeasurement(d.ctx, d.udp, engaged.ID, plan.MeasurementInput{Period: "2025", Value: ptr(3.0)})
	noError(t, err)
}

// A district whose pathways' facts were never computed shows a bound indicator's years with
// no value, and the binding is checked: its shape, the programme, the closure reason.
func TestBindingIsCheckedAndMayHaveNoFiguresYet(t *testing.T) {
	t.Parallel()
	d, _ := boundDistrict(t)
	_, o := d.draft("Piano")
	in, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Avviati",
		Binding: plan.Binding{Programme: "cope", Figure: "started"}})
	noError(t, err)
	od, err := d.svc.ObjectiveDetail(d.ctx, d.udp, o.ID)
	noError(t, err)
	if b := od.Indicators[0].Bound; b == nil || len(b.Years) != 3 || b.Years[0].Value != nil || b.Period.Value != nil || od.Indicators[0].Latest != nil {
		t.Errorf("bound values without facts: %+v", b)
	}
	for _, b := range []plan.Binding{
		{Programme: "cope"}, {Figure: "engaged"}, {Programme: "cope", Figure: "iscritti"},
		{Programme: "cope", Figure: "ons4_change:felicita"}, {Programme: "cope", Figure: "engaged:2025"},
		{Programme: "COPE!", Figure: "engaged"}, {Programme: "sconosciuto", Figure: "engaged"},
		{Programme: "cope", Figure: "closed:trasloco"},
	} {
		_, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "X", Binding: b})
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || e.Field != "binding" {
			t.Errorf("binding %+v: error %v, want invalid binding", b, err)
		}
		_, err = d.svc.UpdateIndicator(d.ctx, d.udp, in.ID, func(x *plan.Indicator) error { x.Binding = b; return nil })
		wantField(t, err, "binding")
	}
	// The import file binds too, and refuses measurements of a bound indicator.
	bound := func(ms ...plan.MeasurementImport) func(*plan.ImportObjective) {
		return func(o *plan.ImportObjective) {
			o.Indicators = []plan.ImportIndicator{{Kind: plan.Result, Name: "Agganciati",
				Binding: &plan.ImportBinding{Programme: "cope", Figure: "engaged"}, Measurements: ms}}
		}
	}
	_, err = d.svc.Import(d.ctx, importer, smallImport(nil, bound(plan.MeasurementImport{Period: "2022", Value: 3})))
	wantField(t, err, "plans[0].objectives[2].indicators[0].indicator")
	_, err = d.svc.Import(d.ctx, importer, smallImport(nil, func(o *plan.ImportObjective) {
		o.Indicators = []plan.ImportIndicator{{Kind: plan.Result, Name: "X", Binding: &plan.ImportBinding{Programme: "cope", Figure: "closed:trasloco"}}}
	}))
	wantField(t, err, "plans[0].objectives[2].indicators[0].binding")
	_, err = d.svc.Import(d.ctx, importer, smallImport(nil, bound()))
	noError(t, err)
}

// The Trento demo plan carries C.O.P.E.'s own indicators bound to the COPE pathways, beside
// the figures the project card gives (kept as manual measurements and in the notes).
func TestTrentoDemoPlanBindsCOPEIndicators(t *testing.T) {
	t.Parallel()
	d, _ := boundDistrict(t)
	d.slug = "trento"
	d.ctx = d.in(d.ctx, "trento")
	d.udp = d.person("udp-trento", "Ufficio di Piano", "", "udp")
	f := readImport(t, filepath.Join("..", "..", "deploy", "demo", "trento.yaml"))
	_, err := d.svc.Import(d.ctx, importer, f)
	noError(t, err)
	plans, _, err := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{Page: plan.Page{Limit: 10}})
	noError(t, err)
	bound := map[string]string{}
	for _, p := range plans {
		dossier, err := d.svc.Dossier(d.ctx, d.udp, p.ID)
		noError(t, err)
		for _, o := range dossier.Objectives {
			for _, in := range o.Indicators {
				if in.Binding.Bound() {
					bound[in.Name] = in.Binding.Programme + "/" + in.Binding.Figure
					if in.Bound == nil || len(in.Bound.Years) != p.EndYear-p.StartYear+1 {
						t.Errorf("%s: bound values %+v", in.Name, in.Bound)
					}
				}
			}
		}
	}
	for name, want := range map[string]string{
		"Giovani agganciati dal progetto C.O.P.E.":                   "cope/engaged",
		"Invii alla rete accettati":                                  "cope/referrals_accepted",
		"Uscita dalla condizione NEET":                               "cope/neet_left_share",
		"Variazione del benessere (ONS4: soddisfazione per la vita)": "cope/ons4_change:life_satisfaction",
	} {
		if bound[name] != want {
			t.Errorf("%s bound to %q, want %q", name, bound[name], want)
		}
	}
}
