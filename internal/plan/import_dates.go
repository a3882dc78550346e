package plan

import (
	"fmt"
	"time"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// dateAssignments gives the assignments of a plan imported before their file stated the day
// each activity was entrusted that day (issue 19: "Affidata il" is the assignment's date, not
// the import's): an assignment is the objective's (by title), the partner's and the activity's
// of the file; only one without a date is dated, so a date set since is never overwritten.
// It returns how many it dated.
func dateAssignments(tx *tenancy.Tx, planID int64, ip ImportPlan, partners map[string]int64) (int, error) {
	n := 0
	for i, io := range ip.Objectives {
		for k, a := range io.Assignments {
			pid, ok := partners[a.Partner]
			if !ok || a.AssignedOn == "" {
				continue
			}
			if err := checkDate("assigned_on", a.AssignedOn); err != nil {
				return n, prefix(fmt.Sprintf("objectives[%d].assignments[%d]", i, k), err)
			}
			on, _ := time.Parse(time.DateOnly, a.AssignedOn)
			res := tx.Exec(`UPDATE assignments SET assigned_on = ? WHERE assigned_on IS NULL AND partner_id = ? AND activity = ?
				AND objective_id IN (SELECT id FROM objectives WHERE plan_id = ? AND title = ?)`, on, pid, a.Activity, planID, io.Title)
			if res.Error != nil {
				return n, storeError(res.Error, "incarico")
			}
			n += int(res.RowsAffected)
		}
	}
	return n, nil
}
