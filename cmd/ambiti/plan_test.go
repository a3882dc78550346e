package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// api is a small JSON client for one district as one user.
type api struct {
	e     *env
	slug  string
	token string
}

func (e *env) as(user, slug string) api { return api{e, slug, e.token(user)} }

func (a api) do(method, path string, body any) reply {
	a.e.t.Helper()
	var r *strings.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			a.e.t.Fatal(err)
		}
		if s, ok := body.(string); ok {
			b = []byte(s)
		}
		r = strings.NewReader(string(b))
	}
	if r == nil {
		return a.e.call(method, a.slug, path, a.token, nil)
	}
	return a.e.call(method, a.slug, path, a.token, r)
}

// ok sends and requires a 2xx answer, decoding it into out (may be nil).
func (a api) ok(method, path string, body, out any) {
	a.e.t.Helper()
	r := a.do(method, path, body)
	if r.status < 200 || r.status > 299 {
		a.e.t.Fatalf("%s %s: %d %s", method, path, r.status, r.body)
	}
	if out != nil {
		r.json(a.e.t, out)
	}
}

// fails sends and requires the given status, with a JSON error naming field (when not "").
func (a api) fails(method, path string, body any, status int, field string) reply {
	a.e.t.Helper()
	r := a.do(method, path, body)
	var e struct {
		Error struct{ Code, Message, Field string }
	}
	if r.status != status {
		a.e.t.Errorf("%s %s: %d %s, want %d", method, path, r.status, r.body, status)
		return r
	}
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Message == "" {
		a.e.t.Errorf("%s %s: not a JSON error: %s", method, path, r.body)
	}
	if field != "" && e.Error.Field != field {
		a.e.t.Errorf("%s %s: error names field %q, want %q (%s)", method, path, e.Error.Field, field, r.body)
	}
	return r
}

type idOnly struct {
	ID int64 `json:"id"`
}

func TestPlanWorkflowFromDraftToApprovalAndAmendment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	udp, assemblea := e.as("udp.valle-trompia", "valle-trompia"), e.as("assemblea.valle-trompia", "valle-trompia")

	var p struct {
		ID             int64
		Status         string
		Version        int
		DeliberaNumber string `json:"delibera_number"`
	}
	udp.ok("POST", "/api/v1/plans", map[string]any{"title": "Piano di Zona 2024-2026", "start_year": 2024, "end_year": 2026}, &p)
	if p.Status != "bozza" {
		t.Fatalf("a new plan is %q", p.Status)
	}
	plan := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	var obj idOnly
	udp.ok("POST", plan+"/objectives", map[string]any{
		"title": "Servizio domiciliare per disagio adulto", "area_code": "A", "marker": "innovativo", "socio_sanitary": true,
		"target": "almeno 15 progetti", "description": "Interventi educativi domiciliari per adulti fragili.",
	}, &obj)
	objPath := fmt.Sprintf("/api/v1/objectives/%d", obj.ID)
	var ind idOnly
	udp.ok("POST", objPath+"/indicators", map[string]any{"kind": "risultato", "name": "N. progetti attivati", "unit": "n.", "target": 15}, &ind)
	udp.ok("PUT", objPath+"/budget", map[string]any{"lines": []map[string]any{
		{"year": 2024, "source_code": "FONDO_POVERTA", "stanziato_cents": 4_000_000},
		{"year": 2024, "source_code": "COMUNI", "stanziato_cents": 1_000_050},
	}}, nil)

	// Bad input names the field and writes nothing.
	udp.fails("POST", plan+"/objectives", map[string]any{"title": "x", "area_code": "Z"}, 400, "area_code")
	udp.fails("POST", plan+"/objectives", `{"title": "x", "area_code": "A", "colour": "red"}`, 400, "colour")
	udp.fails("POST", plan+"/objectives", `{"title": 12, "area_code": "A"}`, 400, "title")
	udp.fails("POST", objPath+"/indicators", map[string]any{"kind": "output", "name": "x"}, 400, "kind")
	udp.fails("PUT", objPath+"/budget", map[string]any{"lines": []map[string]any{
		{"year": 2024, "source_code": "FNPS", "stanziato_cents": 100},
		{"year": 2024, "source_code": "FNA", "stanziato_cents": 100, "impegnato_cents": 10, "liquidato_cents": 20},
	}}, 400, "lines[1].liquidato_cents")
	udp.fails("PUT", objPath+"/budget", map[string]any{"lines": []map[string]any{
		{"year": 2024, "source_code": "FNPS", "stanziato_cents": 100},
		{"year": 2024, "source_code": "NON_ESISTE", "stanziato_cents": 100},
	}}, 400, "lines[1].source_code")
	var budget struct {
		Totals struct {
			StanziatoCents int64 `json:"stanziato_cents"`
		}
		Items []map[string]any
	}
	udp.ok("GET", objPath+"/budget", nil, &budget)
	if budget.Totals.StanziatoCents != 5_000_050 || len(budget.Items) != 2 {
		t.Errorf("a refused budget changed the lines: %+v", budget)
	}
	// A baseline can be measured while drafting; everything freezes while the Assemblea examines.
	udp.ok("POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", ind.ID), map[string]any{"period": "2024", "value": 2, "source": "baseline"}, nil)

	// The Assemblea cannot edit; the Ufficio di Piano proposes; the Assemblea sends back with a note.
	assemblea.fails("PATCH", objPath, map[string]any{"title": "altro"}, 403, "")
	assemblea.fails("POST", plan+"/approve", delibera, 409, "") // still a draft
	udp.ok("POST", plan+"/propose", nil, &p)
	udp.fails("PATCH", objPath, map[string]any{"target": "20 progetti"}, 409, "") // waiting for the Assemblea
	udp.fails("POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", ind.ID), map[string]any{"period": "2024", "value": 3}, 409, "")
	assemblea.fails("POST", plan+"/return", map[string]any{}, 400, "note")
	assemblea.ok("POST", plan+"/return", map[string]any{"note": "Specificare i Comuni coinvolti"}, &p)
	if p.Status != "bozza" {
		t.Fatalf("sent back: %q", p.Status)
	}
	udp.ok("PATCH", objPath, map[string]any{"target": "almeno 15 progetti nei 18 Comuni"}, nil)
	udp.ok("POST", plan+"/propose", nil, nil)
	assemblea.fails("POST", plan+"/approve", map[string]any{"note": "senza delibera"}, 400, "delibera_number")
	assemblea.ok("POST", plan+"/approve", map[string]any{"note": "all'unanimità", "delibera_number": "12/2024", "delibera_date": "2024-03-12"}, &p)
	if p.Status != "approvato" || p.Version != 1 || p.DeliberaNumber != "12/2024" {
		t.Fatalf("approved: %+v", p)
	}

	// Approved: content changes only through an amendment; monitoring goes on.
	udp.fails("PATCH", objPath, map[string]any{"target": "30 progetti"}, 409, "")
	udp.fails("PUT", objPath+"/budget", map[string]any{"lines": []map[string]any{
		{"year": 2024, "source_code": "FONDO_POVERTA", "stanziato_cents": 5_000_000},
		{"year": 2024, "source_code": "COMUNI", "stanziato_cents": 1_000_050},
	}}, 409, "")
	udp.ok("PUT", objPath+"/budget", map[string]any{"lines": []map[string]any{
		{"year": 2024, "source_code": "FONDO_POVERTA", "stanziato_cents": 4_000_000, "impegnato_cents": 3_000_000, "liquidato_cents": 1_500_000},
		{"year": 2024, "source_code": "COMUNI", "stanziato_cents": 1_000_050, "impegnato_cents": 1_000_050},
	}}, &budget)
	udp.ok("POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", ind.ID), map[string]any{"period": "2024-S1", "value": 6, "source": "Cartella sociale"}, nil)
	var detail struct {
		Indicators []struct {
			Progress *float64 `json:"progress_pct"`
		}
		BudgetTotal struct {
			ImpegnatoPct *float64 `json:"impegnato_pct"`
		} `json:"budget_total"`
	}
	udp.ok("GET", objPath, nil, &detail)
	if len(detail.Indicators) != 1 || detail.Indicators[0].Progress == nil || *detail.Indicators[0].Progress != 40 {
		t.Errorf("progress of 6 towards 15: %+v", detail.Indicators)
	}
	// (3,000,000 + 1,000,050) / 5,000,050 = 80.0%
	if detail.BudgetTotal.ImpegnatoPct == nil || *detail.BudgetTotal.ImpegnatoPct != 80.0 {
		t.Errorf("impegnato %% = %v", detail.BudgetTotal.ImpegnatoPct)
	}
	var ev struct {
		ResourceMatchPct *int `json:"resource_match_pct"`
	}
	udp.ok("PUT", objPath+"/evaluations/2024", map[string]any{"achievement_pct": 70, "issues": "Avvio lento nei Comuni dell'alta valle", "need_met": "in_parte"}, &ev)
	if ev.ResourceMatchPct == nil || *ev.ResourceMatchPct != 80 {
		t.Errorf("resource match proposed from the budget: %v", ev.ResourceMatchPct)
	}
	udp.fails("PUT", objPath+"/evaluations/2024", map[string]any{"achievement_pct": 140}, 400, "achievement_pct")

	udp.fails("POST", plan+"/amendments", map[string]any{"reason": "  "}, 400, "reason")
	var am idOnly
	udp.ok("POST", plan+"/amendments", map[string]any{"reason": "Nuovo finanziamento regionale 2025"}, &am)
	udp.fails("POST", plan+"/amendments", map[string]any{"reason": "Un'altra"}, 409, "")
	udp.ok("PATCH", objPath, map[string]any{"target": "almeno 20 progetti"}, nil)
	amPath := fmt.Sprintf("%s/amendments/%d", plan, am.ID)
	assemblea.fails("POST", amPath+"/approve", delibera, 409, "") // not proposed yet
	udp.ok("POST", amPath+"/propose", nil, nil)
	assemblea.ok("POST", amPath+"/approve", delibera, nil)
	udp.ok("GET", plan, nil, &p)
	if p.Version != 2 {
		t.Errorf("version after an approved amendment: %d", p.Version)
	}
	var hist struct {
		Transitions []struct {
			FromStatus string `json:"from_status"`
			ToStatus   string `json:"to_status"`
			ActorName  string `json:"actor_name"`
			Note       string
			At         time.Time
		}
		Amendments []struct {
			Reason  string
			Status  string
			Changes []struct {
				Entity, Operation string
				Before, After     map[string]any
			}
		}
	}
	udp.ok("GET", plan+"/history", nil, &hist)
	var steps []string
	for _, tr := range hist.Transitions {
		steps = append(steps, tr.FromStatus+">"+tr.ToStatus)
	}
	want := ">bozza bozza>proposto proposto>bozza bozza>proposto proposto>approvato >variazione_aperta variazione_aperta>variazione_proposta variazione_proposta>variazione_approvata"
	if strings.Join(steps, " ") != want {
		t.Errorf("history:\n%s\nwant\n%s", strings.Join(steps, " "), want)
	}
	for _, tr := range hist.Transitions {
		if time.Since(tr.At) > time.Hour || time.Until(tr.At) > time.Minute {
			t.Errorf("transition %s>%s recorded at %v, not now", tr.FromStatus, tr.ToStatus, tr.At)
		}
	}
	if hist.Transitions[2].Note != "Specificare i Comuni coinvolti" || hist.Transitions[2].ActorName == "" {
		t.Errorf("the return is not recorded with who and why: %+v", hist.Transitions[2])
	}
	if len(hist.Amendments) != 1 || len(hist.Amendments[0].Changes) != 1 || hist.Amendments[0].Changes[0].Before["target"] != "almeno 15 progetti nei 18 Comuni" ||
		hist.Amendments[0].Changes[0].After["target"] != "almeno 20 progetti" {
		t.Errorf("the amendment does not record what changed: %+v", hist.Amendments)
	}
	// With the amendment approved, the plan is closed to changes again.
	udp.fails("PATCH", objPath, map[string]any{"target": "25"}, 409, "")

	// Downloads, for those who may file them.
	for path, magic := range map[string]string{"/export.xlsx": "PK", "/export.csv": "\ufeffN.", "/esiti.pdf": "%PDF"} {
		r := assemblea.do("GET", plan+path, nil)
		if r.status != http.StatusOK || !strings.HasPrefix(string(r.body), magic) ||
			!strings.Contains(r.header.Get("Content-Disposition"), "valle-trompia_piano-di-zona-2024-2026") {
			t.Errorf("%s: %d %q %q", path, r.status, r.header.Get("Content-Disposition"), r.body[:min(len(r.body), 20)])
		}
	}
	e.as("coop.valle-trompia", "valle-trompia").fails("GET", plan+"/esiti.pdf", nil, 403, "")
}

func TestPartnersSeeOnlyTheirAssignmentsAndHealthStaffOnlyIntegratedObjectives(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	udp := e.as("udp.valle-trompia", "valle-trompia")
	coop, coop2 := e.as("coop.valle-trompia", "valle-trompia"), e.as("coop2.valle-trompia", "valle-trompia")
	asst := e.as("asst.valle-trompia", "valle-trompia")

	var p idOnly
	udp.ok("POST", "/api/v1/plans", map[string]any{"title": "Piano di Zona 2024-2026", "start_year": 2024, "end_year": 2026}, &p)
	plan := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	var integrated, social idOnly
	udp.ok("POST", plan+"/objectives", map[string]any{"title": "Dimissioni protette", "area_code": "D", "socio_sanitary": true}, &integrated)
	udp.ok("POST", plan+"/objectives", map[string]any{"title": "Misura unica affitto", "area_code": "B"}, &social)
	var aquilone, ponte idOnly
	udp.ok("POST", "/api/v1/partners", map[string]any{"code": "laquilone", "name": "Cooperativa Sociale L'Aquilone", "kind": "cooperativa"}, &aquilone)
	udp.ok("POST", "/api/v1/partners", map[string]any{"code": "ilponte", "name": "Cooperativa Il Ponte", "kind": "cooperativa"}, &ponte)
	udp.fails("POST", "/api/v1/partners", map[string]any{"code": "ilponte", "name": "Doppione", "kind": "cooperativa"}, 400, "code")
	udp.fails("POST", "/api/v1/partners", map[string]any{"code": "Il Ponte!", "name": "x", "kind": "cooperativa"}, 400, "code")
	var a1, a2 idOnly
	udp.ok("POST", fmt.Sprintf("/api/v1/objectives/%d/assignments", integrated.ID), map[string]any{"partner_id": aquilone.ID, "activity": "CDD e CSE"}, &a1)
	udp.ok("POST", fmt.Sprintf("/api/v1/objectives/%d/assignments", social.ID), map[string]any{"partner_id": ponte.ID, "activity": "Sportello affitti"}, &a2)
	udp.ok("POST", plan+"/propose", nil, nil)
	e.as("assemblea.valle-trompia", "valle-trompia").ok("POST", plan+"/approve", delibera, nil)

	var list struct {
		Items []struct {
			ID          int64
			PartnerName string `json:"partner_name"`
		}
		Total int
	}
	coop.ok("GET", "/api/v1/assignments", nil, &list)
	if list.Total != 1 || list.Items[0].ID != a1.ID {
		t.Errorf("L'Aquilone sees %+v, want only its own assignment", list)
	}
	udp.ok("GET", "/api/v1/assignments", nil, &list)
	if list.Total != 2 {
		t.Errorf("the Ufficio di Piano sees %d assignments, want 2", list.Total)
	}
	coop.fails("GET", fmt.Sprintf("/api/v1/assignments/%d", a2.ID), nil, 404, "")
	coop.fails("POST", fmt.Sprintf("/api/v1/assignments/%d/reports", a2.ID), map[string]any{"period": "2024", "users_served": 3}, 404, "")
	coop.ok("POST", fmt.Sprintf("/api/v1/assignments/%d/reports", a1.ID), map[string]any{"period": "2024-S1", "users_served": 38, "hours": 1200, "satisfaction": 4.5}, nil)
	coop.fails("POST", fmt.Sprintf("/api/v1/assignments/%d/reports", a1.ID), map[string]any{"period": "2024-S3", "users_served": 1}, 400, "period")
	coop.fails("POST", fmt.Sprintf("/api/v1/assignments/%d/reports", a1.ID), map[string]any{"period": "2024", "satisfaction": 9}, 400, "satisfaction")
	coop2.fails("GET", fmt.Sprintf("/api/v1/assignments/%d/reports", a1.ID), nil, 404, "")
	coop.fails("GET", plan, nil, 403, "") // partners do not read the plan itself

	// Health staff: the integrated objective only, and they cannot take the flag away.
	asst.fails("PATCH", fmt.Sprintf("/api/v1/objectives/%d", integrated.ID), map[string]any{"timing": "2024"}, 409, "") // approved: needs an amendment
	var am idOnly
	udp.ok("POST", plan+"/amendments", map[string]any{"reason": "Integrazione con ASST"}, &am)
	asst.ok("PATCH", fmt.Sprintf("/api/v1/objectives/%d", integrated.ID), map[string]any{"staff_resources": "Infermiere di famiglia ASST"}, nil)
	asst.fails("PATCH", fmt.Sprintf("/api/v1/objectives/%d", integrated.ID), map[string]any{"socio_sanitary": false}, 400, "socio_sanitary")
	asst.fails("PATCH", fmt.Sprintf("/api/v1/objectives/%d", social.ID), map[string]any{"title": "x"}, 403, "")
	asst.fails("DELETE", fmt.Sprintf("/api/v1/objectives/%d", integrated.ID), nil, 403, "")
	if r := asst.do("GET", fmt.Sprintf("/api/v1/objectives/%d", social.ID), nil); r.status != http.StatusOK {
		t.Errorf("health staff read every objective: %d", r.status)
	}
}

// delibera is the Assemblea's act every approval through the API carries.
var delibera = map[string]any{"delibera_number": "12/2024", "delibera_date": "2024-03-12"}
