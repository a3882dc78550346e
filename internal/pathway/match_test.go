package pathway_test

import (
	"slices"
	"testing"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/pathway"
)

// matchRoom is the room with four link workers: Lucia covers the person's comune, speaks
// Arabic and guides to work; Marco covers it but is full (capacity 1, one open pathway); Anna
// has Lucia's skills and language but covers another comune; Zeno has no profile.
func matchRoom(t *testing.T) (*room, pathway.Pathway) {
	t.Helper()
	r := newRoom(t)
	r.svc.WithStaff(roomStaff{{ID: "lw-1", Name: "Lucia Link"}, {ID: "lw-2", Name: "Marco Link"},
		{ID: "lw-3", Name: "Anna Altrove"}, {ID: "lw-4", Name: "Zeno Senza"}})
	set := func(id string, in pathway.ProfileInput) {
		t.Helper()
		_, err := r.svc.SetProfile(r.ctx, r.coord, id, in)
		roomNoError(t, err)
	}
	set("lw-1", pathway.ProfileInput{Municipalities: []string{roomComune, "Brione"}, Capacity: 10, Languages: []string{"ar", "fr"}, Skills: []string{"orientamento_lavoro"}})
	set("lw-2", pathway.ProfileInput{Municipalities: []string{roomComune}, Capacity: 1, Skills: []string{"sport"}})
	set("lw-3", pathway.ProfileInput{Municipalities: []string{"Caino"}, Languages: []string{"ar"}, Skills: []string{"orientamento_lavoro"}})
	r.openCOPE(t, r.lw2, "Piero", "Esempio", "") // Marco's one open pathway: he is full
	person := roomYoung("Amina", "Esempio", "")
	person.Language = "ar"
	p, err := r.svc.OpenPathway(r.ctx, r.coord, copeInput(person))
	roomNoError(t, err)
	_, err = r.svc.AddAssessment(r.ctx, r.coord, p.ID, pathway.Assessment{Domain: "lavoro_formazione", AssessedOn: roomToday(), Level: 3})
	roomNoError(t, err)
	_, err = r.svc.AddAssessment(r.ctx, r.coord, p.ID, pathway.Assessment{Domain: "casa", AssessedOn: roomToday(), Level: 1})
	roomNoError(t, err)
	return r, p
}

// TestMatchRanksByTheReasons: the scores are the sums of the documented weights, and the
// reasons say why (territory, caseload, language, skills from the assessment).
func TestMatchRanksByTheReasons(t *testing.T) {
	r, p := matchRoom(t)
	m, err := r.svc.Match(r.ctx, r.coord, p.ID, nil)
	roomNoError(t, err)
	// lavoro_formazione at level 3 asks for its two skills; casa at level 1 asks for none.
	if m.SkillsFrom != pathway.SkillsFromAssessments || !slices.Equal(m.Skills, []string{"orientamento_lavoro", "scuola_formazione"}) {
		t.Fatalf("needed skills = %v from %s", m.Skills, m.SkillsFrom)
	}
	if m.Municipality != roomComune || m.Language != "ar" {
		t.Errorf("person = %q %q", m.Municipality, m.Language)
	}
	want := []struct {
		id    string
		score int
		codes []string
	}{
		{"lw-1", 30 + 30 + 15 + 12, []string{pathway.ReasonTerritoryCovered, pathway.ReasonCaseload, pathway.ReasonLanguageSpoken, pathway.ReasonSkillsHad, pathway.ReasonSkillsMissing}},
		{"lw-3", 0 + 30 + 15 + 12, []string{pathway.ReasonTerritoryNotCovered, pathway.ReasonCaseload, pathway.ReasonLanguageSpoken, pathway.ReasonSkillsHad, pathway.ReasonSkillsMissing}},
		{"lw-4", 0 + 30 + 0 + 0, []string{pathway.ReasonNoProfile, pathway.ReasonTerritoryNotCovered, pathway.ReasonCaseload, pathway.ReasonLanguageNotSpoken, pathway.ReasonSkillsMissing}},
		{"lw-2", 30 - 25 + 0 + 0, []string{pathway.ReasonTerritoryCovered, pathway.ReasonFull, pathway.ReasonLanguageNotSpoken, pathway.ReasonSkillsMissing}},
	}
	if len(m.Workers) != len(want) {
		t.Fatalf("%d workers, want %d", len(m.Workers), len(want))
	}
	for i, w := range want {
		got := m.Workers[i]
		var codes []string
		sum := 0
		for _, rs := range got.Reasons {
			codes = append(codes, rs.Code)
			sum += rs.Points
		}
		if got.ID != w.id || got.Score != w.score || !slices.Equal(codes, w.codes) {
			t.Errorf("#%d = %s %d %v, want %s %d %v", i+1, got.ID, got.Score, codes, w.id, w.score, w.codes)
		}
		if sum != got.Score {
			t.Errorf("%s: the reasons' points sum to %d, the score is %d", got.ID, sum, got.Score)
		}
	}
	if !m.Workers[3].Full || m.Workers[3].Open != 1 {
		t.Errorf("Marco: full %v, open %d", m.Workers[3].Full, m.Workers[3].Open)
	}

	// The query's skills replace the assessment's: Lucia and Anna have all of them.
	m, err = r.svc.Match(r.ctx, r.coord, p.ID, []string{"orientamento_lavoro"})
	roomNoError(t, err)
	if m.SkillsFrom != pathway.SkillsFromQuery || m.Workers[0].ID != "lw-1" || m.Workers[0].Score != 100 || m.Workers[1].Score != 70 {
		t.Errorf("with the query's skills: %s %+v", m.SkillsFrom, m.Workers[:2])
	}
	// No skills needed: the 25 points are everyone's, the rest ranks them.
	m, err = r.svc.Match(r.ctx, r.coord, p.ID, []string{})
	roomNoError(t, err)
	if m.SkillsFrom != pathway.SkillsFromNone || m.Workers[1].Score != 30+15+25 || m.Workers[2].Score != 30+25 {
		t.Errorf("no skills: %+v", m.Workers)
	}

	_, err = r.svc.Match(r.ctx, r.coord, p.ID, []string{"cucina"})
	roomWantCode(t, err, apperr.Invalid, "skills")
	_, err = r.svc.Match(r.ctx, r.lw1, p.ID, nil)
	roomWantCode(t, err, apperr.Forbidden, "")
	_, err = r.svc.Match(r.ctx, r.coord, "00000000-0000-0000-0000-000000000000", nil)
	roomWantCode(t, err, apperr.NotFound, "")
}

// TestMatchTiesByName: two workers alike score the same and come by name.
func TestMatchTiesByName(t *testing.T) {
	r := newRoom(t)
	r.svc.WithStaff(roomStaff{{ID: "lw-z", Name: "Zoe"}, {ID: "lw-a", Name: "Ada"}, {ID: "lw-m", Name: "Mia"}})
	p := r.openCOPE(t, r.coord, "Tito", "Esempio", "")
	m, err := r.svc.Match(r.ctx, r.coord, p.ID, nil)
	roomNoError(t, err)
	var names []string
	for _, w := range m.Workers {
		names = append(names, w.Name)
		if w.Score != m.Workers[0].Score {
			t.Errorf("%s scores %d, %s %d", w.Name, w.Score, m.Workers[0].Name, m.Workers[0].Score)
		}
	}
	if !slices.Equal(names, []string{"Ada", "Mia", "Zoe"}) {
		t.Errorf("order = %v", names)
	}
}

// TestProfileValidation: unknown comune, skill or language and a capacity out of range are
// Invalid naming the field, and nothing is written; only the district's link workers have a
// profile; only the coordinator edits them.
func TestProfileValidation(t *testing.T) {
	r := newRoom(t)
	for _, c := range []struct {
		in    pathway.ProfileInput
		field string
	}{
		{pathway.ProfileInput{Municipalities: []string{"Milano"}}, "municipalities"},
		{pathway.ProfileInput{Capacity: 201}, "capacity"},
		{pathway.ProfileInput{Capacity: -1}, "capacity"},
		{pathway.ProfileInput{Languages: []string{"xx"}}, "languages"},
		{pathway.ProfileInput{Languages: []string{"italiano"}}, "languages"},
		{pathway.ProfileInput{Skills: []string{"cucina"}}, "skills"},
	} {
		_, err := r.svc.SetProfile(r.ctx, r.coord, "lw-1", c.in)
		roomWantCode(t, err, apperr.Invalid, c.field)
	}
	if n := r.count(t, "link_worker_profiles", "TRUE"); n != 0 {
		t.Errorf("%d profiles written by refused edits", n)
	}
	_, err := r.svc.SetProfile(r.ctx, r.coord, "coord-1", pathway.ProfileInput{})
	roomWantCode(t, err, apperr.NotFound, "")
	_, err = r.svc.SetProfile(r.ctx, r.lw1, "lw-1", pathway.ProfileInput{})
	roomWantCode(t, err, apperr.Forbidden, "")
	_, err = r.svc.LinkWorkers(r.ctx, r.asst)
	roomWantCode(t, err, apperr.Forbidden, "")

	w, err := r.svc.SetProfile(r.ctx, r.coord, "lw-1", pathway.ProfileInput{Municipalities: []string{"Caino", roomComune, "Caino"},
		Languages: []string{"EN", "ar"}, Skills: []string{"sport", "disabilita"}})
	roomNoError(t, err)
	if !w.Profiled || w.Capacity != 15 || !slices.Equal(w.Municipalities, []string{roomComune, "Caino"}) ||
		!slices.Equal(w.Languages, []string{"ar", "en"}) || !slices.Equal(w.Skills, []string{"disabilita", "sport"}) {
		t.Errorf("profile = %+v", w)
	}
	ws, err := r.svc.LinkWorkers(r.ctx, r.coord)
	roomNoError(t, err)
	if len(ws) != 2 || ws[0].ID != "lw-1" || !ws[0].Profiled || ws[1].Profiled || ws[1].Capacity != 15 {
		t.Errorf("link workers = %+v", ws)
	}
}
