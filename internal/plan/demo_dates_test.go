package plan_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/plan"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// "Affidata il" is the day the activity was entrusted, not the day of the import (issue 19):
// every demo district's assignment carries its date, within its plan's years, and the import
// keeps it.
func TestDemoAssignmentsKeepTheDayTheyWereEntrusted(t *testing.T) {
	t.Parallel()
	for _, slug := range []string{"valle-trompia", "terre-dargine", "trento"} {
		t.Run(slug, func(t *testing.T) {
			t.Parallel()
			d := newDistrict(t, slug)
			f := readImport(t, filepath.Join("..", "..", "deploy", "demo", slug+".yaml"))
			_, err := d.svc.Import(d.ctx, importer, f)
			noError(t, err)
			// A district loaded before its file dated the assignments gets the dates at the
			// next load; the plans themselves are not imported again.
			var undated int64
			err = tenancy.NewScope(d.db).Tx(d.ctx, d.udp, func(tx *tenancy.Tx) error {
				res := tx.Exec(`UPDATE assignments SET assigned_on = NULL`)
				undated = res.RowsAffected
				return res.Error
			})
			noError(t, err)
			rep, err := d.svc.Import(d.ctx, importer, f)
			noError(t, err)
			if rep.Plans != 0 || rep.AssignmentsDated != int(undated) || undated == 0 {
				t.Errorf("loading again dated %d of %d assignments (report %+v)", rep.AssignmentsDated, undated, rep)
			}
			plans, _, err := d.svc.Plans(d.ctx, d.udp, plan.PlanFilter{Page: plan.Page{Limit: 100}})
			noError(t, err)
			years := map[int64]plan.Plan{}
			for _, p := range plans {
				years[p.ID] = p
			}
			as, total, err := d.svc.Assignments(d.ctx, d.udp, 0, plan.Page{Limit: 500})
			noError(t, err)
			if total == 0 {
				t.Fatal("the demo district has no assignments")
			}
			today := time.Now().Format(time.DateOnly)
			for _, a := range as {
				p := years[a.PlanID]
				switch {
				case a.AssignedOn == nil:
					t.Errorf("%q (%s): no date", a.Activity, a.PartnerName)
				case a.AssignedOn.Format(time.DateOnly) == today:
					t.Errorf("%q (%s): dated today, the day of the import", a.Activity, a.PartnerName)
				case a.AssignedOn.Year() < p.StartYear || a.AssignedOn.Year() > p.EndYear:
					t.Errorf("%q (%s): entrusted on %s, outside the plan %d–%d", a.Activity, a.PartnerName,
						a.AssignedOn.Format(time.DateOnly), p.StartYear, p.EndYear)
				}
			}
		})
	}
}
