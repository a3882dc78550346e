package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/tenancy"
)

func TestRegionalBodiesSeeAggregatesOfTheirOwnDistrictsOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	udp, assemblea := e.as("udp.valle-trompia", "valle-trompia"), e.as("assemblea.valle-trompia", "valle-trompia")
	lombardia := e.as("regione.lombardia", "")
	emilia := e.as("regione.emilia-romagna", "")

	// Valle Trompia builds and approves a plan with budget, an evaluation and a small meeting.
	var p idOnly
	udp.ok("POST", "/api/v1/plans", map[string]any{"title": "Piano di Zona 2021-2023", "start_year": 2021, "end_year": 2023}, &p)
	plan := fmt.Sprintf("/api/v1/plans/%d", p.ID)
	var o1, o2 idOnly
	udp.ok("POST", plan+"/objectives", map[string]any{"title": "Reddito di cittadinanza", "area_code": "A"}, &o1)
	udp.ok("POST", plan+"/objectives", map[string]any{"title": "Tutela minori", "area_code": "I"}, &o2)
	udp.ok("PUT", fmt.Sprintf("/api/v1/objectives/%d/budget", o1.ID), map[string]any{"lines": []map[string]any{
		{"year": 2022, "source_code": "FONDO_POVERTA", "stanziato_cents": 30_000_000},
		{"year": 2022, "source_code": "PON_INCLUSIONE", "stanziato_cents": 1_234_567},
	}}, nil)
	udp.ok("PUT", fmt.Sprintf("/api/v1/objectives/%d/budget", o2.ID), map[string]any{"lines": []map[string]any{
		{"year": 2022, "source_code": "FNPS", "stanziato_cents": 51_300_000},
	}}, nil)
	udp.ok("POST", "/api/v1/meetings", map[string]any{"plan_id": p.ID, "held_on": "2021-05-10", "kind": "focus_group",
		"theme": "Tavolo povertà", "participants": map[string]int{"terzo_settore": 52, "enti_pubblici": 49, "cittadini": 3}}, nil)
	udp.ok("POST", plan+"/propose", nil, nil)
	assemblea.ok("POST", plan+"/approve", delibera, nil)
	udp.ok("PUT", fmt.Sprintf("/api/v1/objectives/%d/budget", o1.ID), map[string]any{"lines": []map[string]any{
		{"year": 2022, "source_code": "FONDO_POVERTA", "stanziato_cents": 30_000_000, "impegnato_cents": 10_200_000, "liquidato_cents": 5_100_000},
		{"year": 2022, "source_code": "PON_INCLUSIONE", "stanziato_cents": 1_234_567},
	}}, nil)
	udp.ok("PUT", fmt.Sprintf("/api/v1/objectives/%d/evaluations/2022", o1.ID), map[string]any{"achievement_pct": 100}, nil)
	udp.ok("PUT", fmt.Sprintf("/api/v1/objectives/%d/evaluations/2022", o2.ID), map[string]any{"achievement_pct": 60}, nil)

	var dossier struct {
		Budget struct {
			StanziatoCents int64 `json:"stanziato_cents"`
			ImpegnatoCents int64 `json:"impegnato_cents"`
		}
		Objectives []any
	}
	udp.ok("GET", plan+"/dossier", nil, &dossier)

	var list struct {
		Items []struct {
			ID, Slug      string
			Objectives    int
			OnTarget      int      `json:"objectives_on_target"`
			OnTargetShare *float64 `json:"on_target_pct"`
			AvgAch        *float64 `json:"avg_achievement_pct"`
			Budget        struct {
				StanziatoCents int64 `json:"stanziato_cents"`
				ImpegnatoCents int64 `json:"impegnato_cents"`
			}
			Participation struct {
				Meetings     int
				Participants any
				ByType       map[string]any `json:"by_type"`
			}
			Plan struct{ Status string }
		}
	}
	lombardia.ok("GET", "/api/v1/regions/lombardia/districts", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Slug != "valle-trompia" || list.Items[0].ID != "valle-trompia" {
		t.Fatalf("Lombardia sees %+v, want exactly Valle Trompia", list.Items)
	}
	vt := list.Items[0]
	if vt.Budget.StanziatoCents != dossier.Budget.StanziatoCents || vt.Budget.ImpegnatoCents != dossier.Budget.ImpegnatoCents ||
		vt.Objectives != len(dossier.Objectives) {
		t.Errorf("regional figures %+v differ from the district's own %+v", vt, dossier)
	}
	if vt.OnTarget != 1 || vt.OnTargetShare == nil || *vt.OnTargetShare != 50 || vt.AvgAch == nil || *vt.AvgAch != 80 || vt.Plan.Status != "approvato" {
		t.Errorf("headline figures: %+v", vt)
	}
	if vt.Participation.ByType["cittadini"] != "<5" || vt.Participation.ByType["enti_pubblici"] != "<5" || vt.Participation.ByType["terzo_settore"] != 52.0 ||
		vt.Participation.Participants != 104.0 {
		t.Errorf("participation not suppressed as it should: %+v", vt.Participation)
	}
	// The region's totals come with every page of its table; a page past the end has no district.
	var page struct {
		Items   []struct{ Slug string }
		Total   int
		Page    int
		PerPage int `json:"per_page"`
		Pages   int
		Summary struct {
			Districts  int
			Objectives int
			Budget     struct {
				StanziatoCents int64 `json:"stanziato_cents"`
			}
			Participants any
		}
	}
	lombardia.ok("GET", "/api/v1/regions/lombardia/districts?page=2&per_page=1", nil, &page)
	if len(page.Items) != 0 || page.Total != 1 || page.Page != 2 || page.PerPage != 1 || page.Pages != 1 || page.Summary.Districts != 1 ||
		page.Summary.Objectives != len(dossier.Objectives) || page.Summary.Budget.StanziatoCents != dossier.Budget.StanziatoCents ||
		page.Summary.Participants != 104.0 {
		t.Errorf("page 2 of Lombardy: %+v", page)
	}
	lombardia.fails("GET", "/api/v1/regions/lombardia/districts?per_page=0", nil, 400, "per_page")
	lombardia.fails("GET", "/api/v1/regions/lombardia/districts?page=x", nil, 400, "page")
	var detail struct {
		Slug  string
		Plans []struct {
			ObjectiveSummaries []struct{ Title string } `json:"objective_summaries"`
			Participation      struct {
				ByType map[string]any `json:"by_type"`
			}
		}
	}
	lombardia.ok("GET", "/api/v1/regions/lombardia/districts/valle-trompia", nil, &detail)
	if len(detail.Plans) != 1 || len(detail.Plans[0].ObjectiveSummaries) != 2 || detail.Plans[0].Participation.ByType["cittadini"] != "<5" {
		t.Errorf("drill-down: %+v", detail)
	}
	lombardia.fails("GET", "/api/v1/regions/lombardia/districts/trento", nil, 404, "")
	// The pathways' tables: Valle Trompia's row, no programme yet (no pathway recorded).
	var pw struct {
		Districts  []struct{ Code string }
		Programmes []any
	}
	lombardia.ok("GET", "/api/v1/regions/lombardia/pathways", nil, &pw)
	if len(pw.Districts) != 1 || pw.Districts[0].Code != "valle-trompia" || pw.Programmes == nil || len(pw.Programmes) != 0 {
		t.Errorf("pathways: %+v", pw)
	}
	if r := lombardia.do("GET", "/api/v1/regions/lombardia/pathways.csv", nil); r.status != http.StatusOK || !bytes.Contains(r.body, []byte("Programma;")) {
		t.Errorf("pathways.csv: %d %.100s", r.status, r.body)
	}

	// Another region's body sees its own districts, never Lombardy's.
	emilia.ok("GET", "/api/v1/regions/emilia-romagna/districts", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Slug != "terre-dargine" || list.Items[0].Objectives != 0 {
		t.Errorf("Emilia-Romagna sees %+v", list.Items)
	}
	emilia.fails("GET", "/api/v1/regions/lombardia/districts", nil, 403, "")
	emilia.fails("GET", "/api/v1/regions/lombardia/districts/valle-trompia", nil, 403, "")
	emilia.fails("GET", "/api/v1/regions/lombardia/districts.xlsx", nil, 403, "")
	emilia.fails("GET", "/api/v1/regions/lombardia/pathways", nil, 403, "")
	emilia.fails("GET", "/api/v1/regions/lombardia/pathways.csv", nil, 403, "")
	// Regional users have no district access at all (platform tokens are refused there).
	if r := e.call("GET", "valle-trompia", plan, e.token("regione.lombardia"), nil); r.status != http.StatusUnauthorized {
		t.Errorf("a regional token on a district: %d", r.status)
	}
	var regions struct{ Items []struct{ Slug string } }
	lombardia.ok("GET", "/api/v1/regions", nil, &regions)
	if len(regions.Items) != 1 || regions.Items[0].Slug != "lombardia" {
		t.Errorf("regions of regione.lombardia: %+v", regions)
	}

	// The export carries the same suppression.
	r := lombardia.do("GET", "/api/v1/regions/lombardia/districts.xlsx", nil)
	f, err := excelize.OpenReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatalf("xlsx: %v (%d %.100s)", err, r.status, r.body)
	}
	rows, _ := f.GetRows("Distretti")
	if len(rows) != 2 || rows[1][0] != "Ambito Distrettuale di Valle Trompia" || rows[1][slices.Index(rows[0], "Partecipanti")] != "104" ||
		rows[1][slices.Index(rows[0], "Obiettivi valutabili")] != "2" {
		t.Errorf("xlsx rows: %v", rows)
	}

	// A district that leaves the region takes its facts along.
	err = e.db.Platform(context.Background(), func(tx *gorm.DB) error {
		return tx.Exec(`UPDATE platform.tenants SET region_slug = 'emilia-romagna' WHERE slug = 'valle-trompia'`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	lombardia.ok("GET", "/api/v1/regions/lombardia/districts", nil, &list)
	if len(list.Items) != 0 {
		t.Errorf("Lombardia still sees a district that moved: %+v", list.Items)
	}
	emilia.ok("GET", "/api/v1/regions/emilia-romagna/districts", nil, &list)
	if len(list.Items) != 2 {
		t.Errorf("Emilia-Romagna does not see the district that moved in: %+v", list.Items)
	}
	emilia.ok("GET", "/api/v1/regions/emilia-romagna/districts", nil, &page)
	if page.Summary.Districts != 2 || page.Summary.Objectives != len(dossier.Objectives) {
		t.Errorf("Emilia-Romagna's totals without the district that moved in: %+v", page.Summary)
	}
	// A district that leaves the platform leaves the regional views.
	if _, err := tenancy.SetStatus(context.Background(), e.db, "valle-trompia", "suspended"); err != nil {
		t.Fatal(err)
	}
	emilia.ok("GET", "/api/v1/regions/emilia-romagna/districts", nil, &list)
	if len(list.Items) != 1 || list.Items[0].Slug != "terre-dargine" {
		t.Errorf("a suspended district is still in the regional view: %+v", list.Items)
	}
	emilia.ok("GET", "/api/v1/regions/emilia-romagna/districts", nil, &page)
	if page.Summary.Districts != 1 || page.Summary.Objectives != 0 || page.Total != 1 {
		t.Errorf("Emilia-Romagna's totals with a suspended district: %+v", page)
	}
}
