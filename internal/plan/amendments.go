package plan

import (
	"context"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// OpenAmendment starts a variazione of an approved plan; while it is open, content changes
// are allowed and each one is recorded in it.
func (s *Service) OpenAmendment(ctx context.Context, actor Actor, planID int64, reason string) (Amendment, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Amendment{}, apperr.Invalidf("reason", "Indicare il motivo della variazione", "Say why the plan changes")
	}
	var a Amendment
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		p, err := findPlan(tx, planID, true)
		if err != nil {
			return err
		}
		if p.Status != Approved {
			return apperr.New(apperr.Conflict, "le variazioni riguardano i piani approvati; questo è "+string(p.Status),
				"amendments concern approved plans; this one is "+string(p.Status))
		}
		var pending int64
		if err := tx.Model(&Amendment{}).Where("plan_id = ? AND status <> ?", planID, AmendmentApproved).Count(&pending).Error; err != nil {
			return err
		}
		if pending > 0 {
			return apperr.New(apperr.Conflict, "c'è già una variazione in corso su questo piano", "an amendment of this plan is already in progress")
		}
		a = Amendment{PlanID: planID, Reason: reason, Status: AmendmentOpen, OpenedBy: actor.ID, OpenedByName: actor.Name, OpenedAt: time.Now()}
		if err := tx.Create(&a).Error; err != nil {
			return storeError(err, "variazione")
		}
		return tx.Create(&Transition{PlanID: planID, AmendmentID: &a.ID, FromStatus: "", ToStatus: "variazione_" + string(AmendmentOpen),
			ActorID: actor.ID, ActorName: actor.Name, Note: reason}).Error
	})
	return a, err
}

// Amendments lists a plan's amendments with their changes.
func (s *Service) Amendments(ctx context.Context, actor Actor, planID int64) ([]Amendment, error) {
	h, err := s.PlanHistory(ctx, actor, planID)
	return h.Amendments, err
}

// ProposeAmendment sends an open amendment to the Assemblea.
func (s *Service) ProposeAmendment(ctx context.Context, actor Actor, planID, id int64) (Amendment, error) {
	return s.moveAmendment(ctx, actor, planID, id, AmendmentOpen, AmendmentProposed, "")
}

// ApproveAmendment approves a proposed amendment: the plan's version goes up by one.
func (s *Service) ApproveAmendment(ctx context.Context, actor Actor, planID, id int64, note string) (Amendment, error) {
	return s.moveAmendment(ctx, actor, planID, id, AmendmentProposed, AmendmentApproved, note)
}

// SendBackAmendment reopens a proposed amendment with the Assemblea's note (required).
func (s *Service) SendBackAmendment(ctx context.Context, actor Actor, planID, id int64, note string) (Amendment, error) {
	if strings.TrimSpace(note) == "" {
		return Amendment{}, apperr.Invalidf("note", "Indicare il motivo della restituzione", "Say why the amendment is sent back")
	}
	return s.moveAmendment(ctx, actor, planID, id, AmendmentProposed, AmendmentOpen, note)
}

func (s *Service) moveAmendment(ctx context.Context, actor Actor, planID, id int64, from, to AmendmentStatus, note string, del ...Delibera) (Amendment, error) {
	var a Amendment
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		p, err := findPlan(tx, planID, true)
		if err != nil {
			return err
		}
		// A plan closed with an amendment pending is over: deciding on the amendment now would
		// raise the version of a plan that can no longer change.
		if p.Status != Approved {
			return apperr.New(apperr.Conflict, "le variazioni riguardano i piani approvati; questo è "+string(p.Status),
				"amendments concern approved plans; this one is "+string(p.Status))
		}
		var as []Amendment
		if err := tx.Where("id = ? AND plan_id = ?", id, planID).Find(&as).Error; err != nil {
			return err
		}
		if len(as) == 0 {
			return errAmendmentNotFound
		}
		a = as[0]
		if a.Status != from {
			return apperr.New(apperr.Conflict, "operazione non possibile: la variazione è "+string(a.Status),
				"not possible: the amendment is "+string(a.Status))
		}
		a.Status = to
		cols := []string{"status"}
		if to == AmendmentApproved {
			now := time.Now()
			a.DecidedAt = &now
			cols = append(cols, "decided_at")
			if err := tx.Exec(`UPDATE plans SET version = version + 1, updated_at = now() WHERE id = ?`, planID).Error; err != nil {
				return err
			}
			if len(del) > 0 {
				if err := recordDelibera(tx, "amendments", id, del[0]); err != nil {
					return err
				}
				a.DeliberaNumber, a.DeliberaDate = del[0].Number, del[0].date()
			}
		}
		if to == AmendmentOpen {
			a.ReturnNote = strings.TrimSpace(note)
			cols = append(cols, "return_note")
		}
		if err := tx.Model(&a).Where("id = ?", id).Select(cols).Updates(&a).Error; err != nil {
			return err
		}
		return tx.Create(&Transition{PlanID: planID, AmendmentID: &a.ID, FromStatus: "variazione_" + string(from), ToStatus: "variazione_" + string(to),
			ActorID: actor.ID, ActorName: actor.Name, Note: strings.TrimSpace(note)}).Error
	})
	return a, err
}
