package pathway_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/region"
)

// The regional facts count the district's pathways by programme and stage in the transaction
// that changes them, without people's data; a failed write leaves them as they were.
func TestPathwayFactsFollowTheWrites(t *testing.T) {
	r := newRoom(t)
	store := facts.NewStore(r.db, pathway.FactsSection())
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
