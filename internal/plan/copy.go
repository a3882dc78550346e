package plan

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// CopyInput starts the next triennium from a previous plan: the new plan's title and years,
// and which of the previous plan's objectives to propose again (none named: those the latest
// evaluation sheet does not mark «non riproposto», see ProposedAgainByDefault).
type CopyInput struct {
	PlanInput
	Objectives []int64 `json:"objectives"`
}

// ProposedAgainByDefault says whether an objective goes into the next plan when nobody chose:
// yes, unless its latest evaluation that answers «riproposto nella prossima programmazione»
// says no.
func ProposedAgainByDefault(evs []Evaluation) bool {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].ProposedAgain != nil {
			return *evs[i].ProposedAgain
		}
	}
	return true
}

// CopyPlan creates a draft plan as the continuation of a previous one (riproposto): a copy of
// the chosen objectives (marked as proposed again and in continuity with the previous plan),
// their indicators (definitions, baselines, targets and bindings; no measurements) and their
// assignments to partners. Budget and evaluations belong to their triennium and are not
// copied. The new plan's years come after the previous plan's.
func (s *Service) CopyPlan(ctx context.Context, actor Actor, fromID int64, in CopyInput) (Plan, error) {
	if err := in.validate(); err != nil {
		return Plan{}, err
	}
	var p Plan
	err := s.write(ctx, actor, func(tx *tenancy.Tx) error {
		from, err := findPlan(tx, fromID, false)
		if err != nil {
			return err
		}
		if in.StartYear <= from.EndYear {
			return apperr.Invalidf("start_year", "Il nuovo piano deve iniziare dopo il %d, l'ultimo anno del piano precedente",
				"the new plan must start after %d, the previous plan's last year", from.EndYear)
		}
		var details []ObjectiveDetail
		err = readInTx(tx, func(r *reads) { queueDetails(r, objectivesOf(planRef(fromID)), &details) })
		if err != nil {
			return err
		}
		chosen := details[:0:0]
		for _, d := range details {
			if in.Objectives == nil && ProposedAgainByDefault(d.Evaluations) || slices.Contains(in.Objectives, d.ID) {
				chosen = append(chosen, d)
			}
		}
		for _, id := range in.Objectives {
			if !slices.ContainsFunc(details, func(d ObjectiveDetail) bool { return d.ID == id }) {
				return apperr.Invalidf("objectives", "L'obiettivo %d non è del piano %d", "objective %d is not in plan %d", id, fromID)
			}
		}
		p = Plan{Title: strings.TrimSpace(in.Title), StartYear: in.StartYear, EndYear: in.EndYear, Status: Draft, Version: 1}
		if err := tx.Create(&p).Error; err != nil {
			return storeError(err, "piano")
		}
		if err := tx.Create(&Transition{PlanID: p.ID, FromStatus: "", ToStatus: string(Draft), ActorID: actor.ID, ActorName: actor.Name,
			Note: "riproposto da «" + from.Title + "»"}).Error; err != nil {
			return err
		}
		for i, d := range chosen {
			if err := copyObjective(tx, actor, p.ID, i+1, d); err != nil {
				return err
			}
		}
		return nil
	})
	return p, err
}

// copyObjective writes one objective of the previous plan into the new one, with its
// indicators and assignments, and logs it.
func copyObjective(tx *tenancy.Tx, actor Actor, planID int64, position int, d ObjectiveDetail) error {
	o := d.Objective
	from := o.ID
	o.ID, o.PlanID, o.Position, o.RipropostoDa = 0, planID, position, &from
	o.ContinuityPrevious, o.Marker = true, Continuing
	o.CreatedAt, o.UpdatedAt = time.Now(), time.Now()
	if err := tx.Create(&o).Error; err != nil {
		return storeError(err, "obiettivo")
	}
	for _, in := range d.Indicators {
		in.ID, in.ObjectiveID, in.Latest, in.Progress, in.Bound, in.Series = 0, o.ID, nil, nil, nil, nil
		if err := tx.Omit("created_at", "updated_at").Create(&in).Error; err != nil {
			return storeError(err, "indicatore")
		}
	}
	for _, a := range d.Assignments {
		c := Assignment{ObjectiveID: o.ID, PartnerID: a.PartnerID, Activity: a.Activity}
		if err := tx.Omit("objective_title", "partner_name", "plan_id").Create(&c).Error; err != nil {
			return storeError(err, "incarico")
		}
	}
	return logChange(tx, nil, actor, "objective", o.ID, "copy", nil, o)
}
