package pathway_test

import (
	"strconv"
	"testing"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// ONS4 in the aggregates: each item's mean at baseline and at the latest follow-up, never
// summed, over the people measured at both; the measurements are sealed as the records part
// seals them (decimal text, the column name as field).
func TestPathwayStatsONS4Means(t *testing.T) {
	r := newRoom(t)
	for i, name := range []string{"Uno", "Due", "Tre", "Quattro", "Cinque"} {
		p := r.openCOPE(t, r.lw1, name, "Benessere", "")
		r.ons4(t, p.PersonID, p.ID, "baseline", "2026-01-10", 4+i%2)
		r.ons4(t, p.PersonID, p.ID, "follow_up", "2026-03-10", 6)
		r.ons4(t, p.PersonID, p.ID, "follow_up", "2026-05-10", 8)
	}
	st, err := r.svc.Stats(r.ctx, r.udp)
	roomNoError(t, err)
	o := st.Programmes[0].ONS4
	if o == nil || o.People.N != 5 || o.People.Suppressed {
		t.Fatalf("ons4 = %+v", o)
	}
	if b, l := o.Baseline["life_satisfaction"], o.Latest["life_satisfaction"]; b == nil || l == nil || *b != 4.4 || *l != 8 {
		t.Errorf("life satisfaction baseline %v latest %v, want 4.4 and 8", b, l)
	}
	if o.Baseline["anxiety"] != nil {
		t.Errorf("anxiety, skipped by everyone, has a mean")
	}
}

// ons4 stores a measurement with every item but anxiety at value.
func (r *room) ons4(t *testing.T, person, pathwayID, occasion, on string, value int) {
	t.Helper()
	err := tenancy.NewScope(r.db).Tx(r.ctx, r.coord, func(tx *tenancy.Tx) error {
		k, err := r.keys.Session(tx)
		if err != nil {
			return err
		}
		seal := func(field string) []byte {
			b, err := k.Seal(person, field, strconv.Itoa(value))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		return tx.Exec(`INSERT INTO outcome_measures (pathway_id, instrument, occasion, measured_on, life_satisfaction_enc,
			worthwhile_enc, happiness_enc, recorded_by) VALUES (?, 'ons4', ?, ?, ?, ?, ?, 'test')`,
			pathwayID, occasion, on, seal("life_satisfaction_enc"), seal("worthwhile_enc"), seal("happiness_enc")).Error
	})
	roomNoError(t, err)
}
