package plan

import (
	"context"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// UpdateAssignment applies edit to an assignment's partner, activity, date or budget (plan
// content: in an approved plan only inside an open amendment, which records it with the
// plan's log). An empty date leaves the day it was entrusted unknown.
func (s *Service) UpdateAssignment(ctx context.Context, actor Actor, id int64, edit Edit[AssignmentInput]) (Assignment, error) {
	var a Assignment
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		before, err := findAssignment(tx, id)
		if err != nil {
			return err
		}
		amendment, err := contentGuard(tx, before.PlanID)
		if err != nil {
			return err
		}
		in := AssignmentInput{PartnerID: before.PartnerID, Activity: before.Activity, BudgetCents: before.BudgetCents}
		if before.AssignedOn != nil {
			in.AssignedOn = before.AssignedOn.Format(time.DateOnly)
		}
		if err := edit(&in); err != nil {
			return err
		}
		if err := in.validate(); err != nil {
			return err
		}
		var on *time.Time // an empty date: not known
		if in.AssignedOn != "" {
			on = in.assignedOn(time.Now())
		}
		var n int64
		if err := tx.Model(&Partner{}).Where("id = ?", in.PartnerID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return apperr.Invalidf("partner_id", "Il partner scelto non esiste più: sceglierne uno dall'elenco", "The partner chosen no longer exists: choose one from the list")
		}
		if err := tx.Exec(`UPDATE assignments SET partner_id = ?, activity = ?, assigned_on = ?, budget_cents = ? WHERE id = ?`,
			in.PartnerID, in.Activity, on, in.BudgetCents, id).Error; err != nil {
			return storeError(err, "incarico")
		}
		if a, err = findAssignment(tx, id); err != nil {
			return err
		}
		return record(tx, amendment, actor, "assignment", id, "update", before, a)
	})
	return a, err
}
