package pathway_test

import (
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/region"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The regional facts count the district's pathways by programme and stage in the transaction
// that changes them, without people's data; a failed write leaves them as they were.
func TestPathwayFactsFollowTheWrites(t *testing.T) {
	r := newRoom(t)
	store := facts.NewStore(r.db, pathway.FactsSection(r.keys))
	r.svc.WithFacts(store)
	read := func() facts.PathwaysSummary {
		t.Helper()
		ds, err := store.Districts(r.ctx, "lombardia")
		roomNoError(t, err)
		for _, d := range ds {
			if d.Slug == roomDistrict {
				var s facts.PathwaysSummary
				ok, err := d.Sections[facts.PathwaysSection].Decode(facts.PathwaysVersion, &s, nil)
				roomNoError(t, err)
				if ok {
					return s
				}
			}
		}
		return facts.PathwaysSummary{}
	}
	if got := read(); len(got.Open)+len(got.Closed) != 0 {
		t.Fatalf("facts before any pathway: %+v", got)
	}
	a := r.openCOPE(t, r.coord, "Anna", "Esempio", "")
	r.openCOPE(t, r.coord, "Bruno", "Esempio", "")
	if got := read(); got.Open["cope:aggancio"] != 2 {
		t.Fatalf("after two openings: %+v", got)
	}
	_, err := r.svc.MoveStage(r.ctx, r.coord, a.ID, "abbinamento", a.Version)
	roomNoError(t, err)
	if got := read(); got.Open["cope:aggancio"] != 1 || got.Open["cope:abbinamento"] != 1 {
		t.Fatalf("after a stage move: %+v", got)
	}
	// A refused write (a stale version) changes nothing.
	_, err = r.svc.MoveStage(r.ctx, r.coord, a.ID, "valutazione", a.Version)
	if err == nil {
		t.Fatal("a stale version was accepted")
	}
	if got := read(); got.Open["cope:abbinamento"] != 1 || got.Open["cope:valutazione"] != 0 {
		t.Fatalf("after a refused move: %+v", got)
	}
	// The region's table shows them suppressed: one pathway per stage is "<5".
	ds, err := region.NewStore(store).Districts(r.ctx, "lombardia")
	roomNoError(t, err)
	for _, d := range ds {
		if d.Slug == roomDistrict {
			if c := d.Pathways["cope:aggancio"]; !c.Suppressed {
				t.Errorf("the region sees %+v for one pathway in aggancio, want it suppressed", c)
			}
			return
		}
	}
	t.Fatal("the district is missing from its region's table")
}

// The facts' figures per programme and year, counted by hand from a fixture written straight
// into the tables: pathways engaged and closed in two years, one person with two pathways,
// one who withdrew the research consent, one anonymised, referrals' steps and ONS4 measures.
func TestPathwayFactsYears(t *testing.T) {
	r := newRoom(t)
	store := facts.NewStore(r.db, pathway.FactsSection(r.keys))
	f := factsFixture{r: r, t: t}
	a := f.person()
	f.pathway(a, "2024-03-01", "2024-11-30", "lavoro_studio", "nessuno", "lavoro")
	f.pathway(a, "2024-12-01", "", "", "nessuno", "")
	b := f.pathway(f.person(), "2024-05-10", "2025-02-01", "rinuncia", "nessuno", "nessuno")
	c := f.pathway(f.person(), "2025-01-15", "2025-06-01", "obiettivi_raggiunti", "studio", "studio")
	d := f.pathway(f.person(), "2025-03-01", "", "", "nessuno", "")
	// Left out: a withdrawn research consent, an anonymised pathway.
	w := f.person()
	f.pathway(w, "2025-03-01", "2025-04-01", "rinuncia", "nessuno", "lavoro")
	f.exec(`INSERT INTO consents (person_id, purpose, given, notice_version, recorded_by, recorded_by_name)
		VALUES (?, 'ricerca', false, 'v1', 't', 't')`, w)
	anon := f.pathway(f.person(), "2025-01-01", "2025-02-01", "rinuncia", "nessuno", "")
	f.exec(`UPDATE pathways SET anonymised_at = now() WHERE id = ?`, anon)
	// Referrals: b sent in 2024 and accepted in 2025; d sent, accepted and concluded in 2025;
	// the anonymised pathway's referral is not counted.
	f.referral(b, "inviato@2024-12-20", "accettato@2025-01-05")
	f.referral(d, "inviato@2025-04-01", "accettato@2025-04-03", "concluso@2025-09-01")
	f.referral(anon, "inviato@2025-01-10")
	// ONS4 of c: baseline 2025-01-20, follow-ups in 2025 and 2026 (the last counts, in 2026);
	// of d: baseline and closing measure in 2025, anxiety both times.
	f.ons4(c, "baseline", "2025-01-20", 4, -1)
	f.ons4(c, "follow_up", "2025-05-20", 5, -1)
	f.ons4(c, "chiusura", "2026-01-10", 7, -1)
	f.ons4(d, "baseline", "2025-03-05", 6, 8)
	f.ons4(d, "follow_up", "2025-10-05", 5, 3)
	err := tenancy.NewScope(r.db).Tx(r.ctx, r.coord, func(tx *tenancy.Tx) error {
		return store.Refresh(r.ctx, tx, facts.PathwaysSection)
	})
	roomNoError(t, err)
	s := f.read(store)
	cope := s.Programmes["cope"]
	if cope.Name == "" || len(cope.Stages) != 7 || cope.Reasons[0].Code != "obiettivi_raggiunti" {
		t.Fatalf("programme labels: %+v", cope)
	}
	if _, ok := s.Programmes["vmd"]; ok {
		t.Errorf("a programme without pathways appears: %+v", s.Programmes["vmd"])
	}
	y24, y25, y26 := cope.Years["2024"], cope.Years["2025"], cope.Years["2026"]
	want := []struct {
		name      string
		got, want int
	}{
		{"2024 started", y24.Started, 3}, {"2024 engaged", y24.Engaged, 2},
		{"2025 started", y25.Started, 2}, {"2025 engaged", y25.Engaged, 2},
		{"2024 closed lavoro_studio", y24.Closed["lavoro_studio"], 1},
		{"2025 closed rinuncia", y25.Closed["rinuncia"], 1}, {"2025 closed obiettivi", y25.Closed["obiettivi_raggiunti"], 1},
		{"2024 neet at start", y24.NEETAtStart, 1}, {"2024 neet left", y24.NEETLeft, 1},
		{"2025 neet at start", y25.NEETAtStart, 1}, {"2025 neet left", y25.NEETLeft, 0},
		{"2024 sent", y24.ReferralsSent, 1}, {"2024 accepted", y24.ReferralsAccepted, 0},
		{"2025 sent", y25.ReferralsSent, 1}, {"2025 accepted", y25.ReferralsAccepted, 2},
		{"2025 concluded", y25.ReferralsConcluded, 1},
	}
	for _, w := range want {
		if w.got != w.want {
			t.Errorf("%s = %d, want %d", w.name, w.got, w.want)
		}
	}
	if m := y26.ONS4Change["life_satisfaction"]; m.N != 1 || m.Sum != 3 {
		t.Errorf("2026 life satisfaction change %+v, want 3 over 1", m)
	}
	if m := y25.ONS4Change["happiness"]; m.N != 1 || m.Sum != -1 {
		t.Errorf("2025 happiness change %+v, want -1 over 1", m)
	}
	if m := y25.ONS4Change["anxiety"]; m.N != 1 || m.Sum != -5 {
		t.Errorf("2025 anxiety change %+v, want -5 over 1", m)
	}
	if m, ok := y26.ONS4Change["anxiety"]; ok {
		t.Errorf("anxiety measured once has a change: %+v", m)
	}
	if s.Closed["cope:rinuncia"] != 1 || s.Open["cope:aggancio"] != 2 {
		t.Errorf("open %v closed %v", s.Open, s.Closed)
	}
}

// factsFixture writes pathways and their records as rows, without the service's rules.
type factsFixture struct {
	r *room
	t *testing.T
	n int
}

func (f *factsFixture) exec(q string, args ...any) {
	f.t.Helper()
	f.r.sql(f.t, func(g *gorm.DB) error { return g.Exec(q, args...).Error })
}

func (f *factsFixture) scan(q string, args ...any) string {
	f.t.Helper()
	var id string
	f.r.sql(f.t, func(g *gorm.DB) error { return g.Raw(q, args...).Scan(&id).Error })
	return id
}

func (f *factsFixture) person() string {
	return f.scan(`INSERT INTO persons (created_by) VALUES ('test') RETURNING id`)
}

// pathway inserts a COPE pathway, closed when closed is not "".
func (f *factsFixture) pathway(person, engaged, closed, reason, neetStart, neetClose string) string {
	stage, closedOn := "aggancio", any(nil)
	if closed != "" {
		stage, closedOn = "chiusura", closed
	}
	return f.scan(`INSERT INTO pathways (person_id, programme, stage, engaged_on, closed_on, closure_reason, neet_start, neet_close)
		VALUES (?, 'cope', ?, ?, ?, ?, ?, ?) RETURNING id`, person, stage, engaged, closedOn, reason, neetStart, neetClose)
}

// referral inserts a referral of the pathway with its steps, each "status@date".
func (f *factsFixture) referral(pathwayID string, steps ...string) {
	status, _, _ := strings.Cut(steps[len(steps)-1], "@")
	outcome := ""
	if status == "concluso" {
		outcome = "partecipa"
	}
	id := f.scan(`INSERT INTO referrals (pathway_id, person_id, service_id, service_name, organization_id, organization_name,
		consent_party, urgency, shared, contact_preference, status, outcome, sent_by, sent_by_name)
		SELECT id, person_id, gen_random_uuid(), 'Servizio', gen_random_uuid(), 'Ente', 'ente', 'ordinaria',
			'{nome}', 'di_persona', ?, ?, 't', 't' FROM pathways WHERE id = ? RETURNING id`, status, outcome, pathwayID)
	for _, s := range steps {
		st, day, _ := strings.Cut(s, "@")
		f.exec(`INSERT INTO referral_steps (referral_id, status, at, by_id, by_name) VALUES (?, ?, ?::date + time '12:00', 't', 't')`,
			id, st, day)
	}
}

// ons4 stores a measurement: every item at v, anxiety at anxiety (none when negative).
func (f *factsFixture) ons4(pathwayID, occasion, on string, v, anxiety int) {
	f.t.Helper()
	person := f.scan(`SELECT person_id::text FROM pathways WHERE id = ?`, pathwayID)
	err := tenancy.NewScope(f.r.db).Tx(f.r.ctx, f.r.coord, func(tx *tenancy.Tx) error {
		k, err := f.r.keys.Session(tx)
		if err != nil {
			return err
		}
		seal := func(field string, n int) []byte {
			if n < 0 {
				return nil
			}
			b, err := k.Seal(person, field, strconv.Itoa(n))
			roomNoError(f.t, err)
			return b
		}
		return tx.Exec(`INSERT INTO outcome_measures (pathway_id, instrument, occasion, measured_on, life_satisfaction_enc,
			worthwhile_enc, happiness_enc, anxiety_enc, recorded_by) VALUES (?, 'ons4', ?, ?, ?, ?, ?, ?, 'test')`,
			pathwayID, occasion, on, seal("life_satisfaction_enc", v), seal("worthwhile_enc", v), seal("happiness_enc", v),
			seal("anxiety_enc", anxiety)).Error
	})
	roomNoError(f.t, err)
}

func (f *factsFixture) read(store *facts.Store) facts.PathwaysSummary {
	f.t.Helper()
	ds, err := store.Districts(f.r.ctx, "lombardia")
	roomNoError(f.t, err)
	for _, d := range ds {
		if d.Slug == roomDistrict {
			var s facts.PathwaysSummary
			ok, err := d.Sections[facts.PathwaysSection].Decode(facts.PathwaysVersion, &s, nil)
			roomNoError(f.t, err)
			if ok {
				return s
			}
		}
	}
	f.t.Fatal("no pathways facts")
	return facts.PathwaysSummary{}
}
