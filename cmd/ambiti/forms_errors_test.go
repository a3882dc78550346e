package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestFormsShowEveryRefusalAtOnce: a plan form submitted empty or half wrong comes back once
// with every refusal, in plain Italian, in the summary at the top and next to each field,
// with what was typed; nothing is written; the API answers the same refusals in one 400.
func TestFormsShowEveryRefusalAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	api := e.as("udp.valle-trompia", "valle-trompia")
	obj := fmt.Sprintf("/obiettivi/%d", f.objective)

	for _, c := range []struct {
		form, path string
		values     url.Values
		fields     []string // in the form's order
		says, kept []string
	}{
		{"objective", fmt.Sprintf("/piani/%d/obiettivi", f.plan), url.Values{"title": {" "}, "position": {"primo"}, "needs": {"Bisogni scritti a mano"}},
			[]string{"f-title", "f-area_code", "f-position"},
			[]string{"Indicare il titolo dell'obiettivo", "Scegliere l'area del catalogo regionale", "La posizione è un numero intero"},
			[]string{`value="primo"`, ">Bisogni scritti a mano</textarea>"}},
		{"indicator", obj + "/indicatori", url.Values{"unit": {"n."}, "baseline": {"tanti"}, "direction": {"intervallo"}},
			[]string{"f-name", "f-kind", "f-baseline", "f-target_min", "f-target_max"},
			[]string{"Indicare il nome dell'indicatore", "Scegliere il tipo di indicatore", "Scrivere un numero", "Indicare il minimo dell'intervallo obiettivo", "Indicare il massimo dell'intervallo obiettivo"},
			[]string{`value="n."`, `value="tanti"`}},
		{"assignment", obj + "/incarichi", url.Values{"assigned_on": {"2024-13-45"}, "budget": {"diecimila"}},
			[]string{"f-partner_id", "f-activity", "f-assigned_on", "f-budget"},
			[]string{"Scegliere il partner", "Descrivere l'attività affidata", "La data «2024-13-45» non è valida", "Scrivere l'importo in euro"},
			[]string{`value="2024-13-45"`, `value="diecimila"`}},
		{"plan", "/piani", url.Values{"title": {""}, "start_year": {""}, "end_year": {"duemila"}},
			[]string{"f-title", "f-start_year", "f-end_year"},
			[]string{"Indicare il titolo del piano", "Indicare l'anno di inizio", "Indicare l'anno di fine"},
			[]string{`value="duemila"`}},
		{"partner", "/partner", url.Values{"note": {"Scritta a mano"}},
			[]string{"f-name", "f-kind", "f-code"},
			[]string{"Indicare il nome del partner", "Scegliere il tipo di partner", "Indicare il codice organizzazione"},
			[]string{">Scritta a mano</textarea>"}},
	} {
		p := udp.post(c.path, c.values)
		if p.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422\n%s", c.form, p.status, excerpt(p.body))
			continue
		}
		var next []string
		for _, m := range errorFieldRE.FindAllStringSubmatch(p.body, -1) {
			next = append(next, m[1])
		}
		if !slices.Equal(next, c.fields) {
			t.Errorf("%s: errors next to %v, want %v", c.form, next, c.fields)
		}
		summary := p.body
		if i := strings.Index(summary, `id="error-summary"`); i >= 0 {
			summary = summary[i:]
			summary = summary[:strings.Index(summary, "</div>")]
		} else {
			t.Errorf("%s: no error summary", c.form)
		}
		for _, field := range c.fields {
			if !strings.Contains(summary, `href="#`+field+`"`) {
				t.Errorf("%s: the summary does not link to %s", c.form, field)
			}
		}
		p.contains(t, c.form, c.says...)
		p.contains(t, c.form, c.kept...)
		if strings.Contains(summary, `""`) || strings.Contains(summary, "/api/") || strings.Contains(summary, "(POST") {
			t.Errorf("%s: a refusal speaks code, not words:\n%s", c.form, summary)
		}
	}

	// Nothing was written by the refused forms.
	var list struct{ Total int }
	api.ok("GET", fmt.Sprintf("/api/v1/plans/%d/objectives", f.plan), nil, &list)
	if list.Total != 1 {
		t.Errorf("%d objectives after the refusals, want 1", list.Total)
	}

	// The API refuses the same submission with every refusal at once.
	r := api.fails("POST", fmt.Sprintf("/api/v1/objectives/%d/assignments", f.objective), map[string]any{"budget_cents": -1}, http.StatusBadRequest, "partner_id")
	var body struct {
		Error struct {
			Errors []struct{ Code, Message, Field string }
		}
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, x := range body.Error.Errors {
		fields = append(fields, x.Field)
	}
	if want := []string{"partner_id", "activity", "budget_cents"}; !slices.Equal(fields, want) {
		t.Errorf("API refusals name %v, want %v: %s", fields, want, r.body)
	}
}
