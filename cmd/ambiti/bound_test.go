package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// An indicator bound to the pathways' figures, through the API and the pages: the binding is
// set and checked, the objective shows its values year by year, a manual value is refused.
func TestBoundIndicatorThroughTheAPIAndThePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const slug = "valle-trompia"
	// Six COPE pathways engaged in 2025, written as rows, and the facts refreshed.
	schema, _ := tenancy.SchemaName(slug)
	err := e.db.InSchema(context.Background(), schema, func(g *gorm.DB) error {
		for i := 0; i < 6; i++ {
			err := g.Exec(`WITH p AS (INSERT INTO persons (created_by) VALUES ('test') RETURNING id)
				INSERT INTO pathways (person_id, programme, stage, engaged_on) SELECT id, 'cope', 'aggancio', ? FROM p`,
				fmt.Sprintf("2025-0%d-01", i+1)).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ts, err := tenancy.NewRegistry(e.db, 0).List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.Slug == slug {
			err = tenancy.NewScope(e.db).TxFor(context.Background(), x, actor.System("test"), func(tx *tenancy.Tx) error {
				return factsStore(e.db, nil).Refresh(context.Background(), tx, facts.PathwaysSection)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}

	udp := e.as("udp."+slug, slug)
	var id idOnly
	udp.ok("POST", "/api/v1/plans", map[string]any{"title": "Piano 2024-2026", "start_year": 2024, "end_year": 2026}, &id)
	udp.ok("POST", fmt.Sprintf("/api/v1/plans/%d/objectives", id.ID), map[string]any{"title": "Giovani NEET", "area_code": "A"}, &id)
	obj := id.ID
	ind := fmt.Sprintf("/api/v1/objectives/%d/indicators", obj)
	udp.fails("POST", ind, map[string]any{"kind": "risultato", "name": "X", "binding": map[string]any{"programme": "cope", "figure": "iscritti"}},
		http.StatusBadRequest, "binding")
	udp.ok("POST", ind, map[string]any{"kind": "risultato", "name": "Percorsi avviati COPE", "target": 12,
		"binding": map[string]any{"programme": "cope", "figure": "started"}}, &id)
	var got struct {
		Indicators []struct {
			Binding struct{ Programme, Figure string }
			Bound   struct {
				Years []struct {
					Period string
					Value  *float64
				}
				Period struct {
					Period string
					Value  *float64
				}
			} `json:"bound_values"`
			Progress *float64 `json:"progress_pct"`
		}
	}
	udp.ok("GET", fmt.Sprintf("/api/v1/objectives/%d", obj), nil, &got)
	if len(got.Indicators) != 1 {
		t.Fatalf("indicators: %+v", got)
	}
	g := got.Indicators[0]
	if g.Binding.Figure != "started" || len(g.Bound.Years) != 3 || g.Bound.Years[1].Value == nil || *g.Bound.Years[1].Value != 6 ||
		g.Bound.Period.Value == nil || *g.Bound.Period.Value != 6 || g.Progress == nil || *g.Progress != 50 {
		t.Errorf("bound indicator: %+v", g)
	}
	udp.fails("POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", id.ID), map[string]any{"period": "2025", "value": 3},
		http.StatusBadRequest, "indicator")
	udp.fails("PATCH", fmt.Sprintf("/api/v1/indicators/%d", id.ID), map[string]any{"binding": map[string]any{"programme": "cope", "figure": "closed:trasloco"}},
		http.StatusBadRequest, "binding")

	// The pages: the form offers the figures, the objective shows the values by year.
	s := e.login(slug, "udp."+slug)
	page := fmt.Sprintf("/obiettivi/%d", obj)
	s.get(page+"/indicatori/nuovo").contains(t, "indicator form", `<option value="cope/engaged">Persone agganciate</option>`,
		"Percorsi chiusi: Ha rinunciato", "Variazione media ONS4: felicità")
	p := s.post(page+"/indicatori", url.Values{"kind": {"risultato"}, "name": {"Rinunce"}, "binding": {"cope/closed:rinuncia"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("indicator form: %d\n%s", p.status, excerpt(p.body))
	}
	s.get(page).contains(t, "objective page", "Calcolato dai percorsi: COPE — prescrizione sociale — Percorsi avviati",
		"2024: 0 · 2025: 6 · 2026: 0", "(2024-2026)", "Calcolato dai percorsi: COPE — prescrizione sociale — Percorsi chiusi: Ha rinunciato")
}
