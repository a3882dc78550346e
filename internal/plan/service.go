package plan

import (
	"context"
	"encoding/json"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Service runs the use cases of the Piano di Zona, each in one transaction of the district
// the context carries.
type Service struct {
	scope       *tenancy.Scope
	facts       *facts.Store
	programmes  map[string]facts.ProgrammeFacts // the pathways' programmes (WithProgrammes); nil: unknown
	attachLimit int64                           // the largest attachment (WithAttachmentLimit); 0: DefaultAttachmentLimit
	homes       *versioned[homeKey, Home]       // the district homes' data, by data version (Home)
}

// NewService returns the service. f (may be nil: no regional facts) keeps the district's
// facts; it must have been built with the plan's FactsSection, which every write refreshes.
func NewService(scope *tenancy.Scope, f *facts.Store) *Service {
	return &Service{scope: scope, facts: f, homes: newVersioned[homeKey, Home](homesKept)}
}

// WithProgrammes gives the service the pathways' programmes the product ships (names, closure
// reasons), which indicators may be bound to: the binding is checked against them and the
// indicator form offers them. Without them a binding is checked for its shape only.
func (s *Service) WithProgrammes(ps map[string]facts.ProgrammeFacts) *Service {
	s.programmes = ps
	return s
}

// Tables whose names GORM would not guess.
func (Transition) TableName() string { return "plan_transitions" }
func (Change) TableName() string     { return "amendment_changes" }
func (Report) TableName() string     { return "assignment_reports" }

// findPlan reads a plan; lock holds its row until the transaction ends, so that a status
// change cannot slip in between a check and a write.
func findPlan(tx *tenancy.Tx, id int64, lock bool) (Plan, error) {
	q := `SELECT * FROM plans WHERE id = ?`
	if lock {
		q += ` FOR UPDATE`
	}
	var ps []Plan
	if err := tx.Raw(q, id).Scan(&ps).Error; err != nil {
		return Plan{}, storeError(err, "piano")
	}
	if len(ps) == 0 {
		return Plan{}, errPlanNotFound
	}
	return ps[0], nil
}

// contentGuard decides whether the plan's content (objectives, indicators, allocations,
// assignments) may change now. A draft changes freely; an approved plan only inside an open
// amendment, whose id it returns so every change is recorded there; otherwise Conflict.
// The plan row is locked, so a status change cannot slip in between check and write.
func contentGuard(tx *tenancy.Tx, planID int64) (*int64, error) {
	p, err := findPlan(tx, planID, true)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case Draft:
		return nil, nil
	case Approved:
		var a []Amendment
		if err := tx.Where("plan_id = ? AND status = ?", planID, AmendmentOpen).Limit(1).Find(&a).Error; err != nil {
			return nil, err
		}
		if len(a) == 0 {
			return nil, amendmentNeeded
		}
		return &a[0].ID, nil
	case Proposed:
		return nil, apperr.New(apperr.Conflict, "il piano è in attesa di approvazione dell'Assemblea: non si può modificare",
			"the plan awaits the Assemblea's approval: it cannot change")
	}
	return nil, apperr.New(apperr.Conflict, "il piano è chiuso: non si può modificare", "the plan is closed: it cannot change")
}

// monitoringGuard decides whether monitoring data (measurements, evaluations, spending) may be
// recorded. Monitoring is not plan content: baselines are measured while drafting, results
// while the plan is in force and after it closed. Only while the Assemblea examines a proposed
// plan is everything frozen, so that it approves what it read.
func monitoringGuard(tx *tenancy.Tx, planID int64) error {
	p, err := findPlan(tx, planID, false)
	if err != nil {
		return err
	}
	if p.Status != Proposed {
		return nil
	}
	return apperr.New(apperr.Conflict, "il piano è all'esame dell'Assemblea: il monitoraggio riprende dopo la decisione",
		"the plan is before the Assemblea: monitoring resumes after its decision")
}

// record writes one change into the plan's log (changelog.go) and into the open amendment,
// if there is one.
func record(tx *tenancy.Tx, amendment *int64, actor Actor, entity string, id int64, op string, before, after any) error {
	if err := logChange(tx, amendment, actor, entity, id, op, before, after); err != nil {
		return err
	}
	if amendment == nil {
		return nil
	}
	c := Change{AmendmentID: *amendment, Entity: entity, EntityID: id, Operation: op, Before: asMap(before), After: asMap(after), ActorID: actor.ID}
	return tx.Create(&c).Error
}

// snapshot is a deep copy of v, its pointed-to values included, taken before an edit changes
// v in place: a plain copy would share the pointers (a target, a baseline) and the change log
// would record the new value as the old one.
func snapshot[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out T
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func asMap(v any) map[string]any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"created_at", "updated_at", "latest", "progress_pct", "bound_values", "series"} {
		delete(m, k)
	}
	return m
}

// tx runs fn in one transaction of the context's district, on behalf of actor.
func (s *Service) tx(ctx context.Context, actor Actor, fn func(tx *tenancy.Tx) error) error {
	return s.scope.Tx(ctx, actor, fn)
}

// write runs fn like tx, then refreshes the plan's section of the district facts in the same
// transaction: the aggregates regional bodies read change exactly when the plan does.
func (s *Service) write(ctx context.Context, actor Actor, fn func(tx *tenancy.Tx) error) error {
	return s.scope.Tx(ctx, actor, func(tx *tenancy.Tx) error {
		if err := fn(tx); err != nil || s.facts == nil {
			return err
		}
		return s.facts.Refresh(ctx, tx, facts.PlanSection)
	})
}

// writeIn is write for a change to the content or the monitoring of one plan and nothing
// else (no plan's row, no catalogue, no other plan): fn sets *plan to the plan it changed, and
// the facts recompute that plan only, spliced into the district's (facts_splice.go). Left 0,
// the whole section is recomputed, as write.
func (s *Service) writeIn(ctx context.Context, actor Actor, plan *int64, fn func(tx *tenancy.Tx) error) error {
	return s.scope.Tx(ctx, actor, func(tx *tenancy.Tx) error {
		*plan = 0
		if err := fn(tx); err != nil || s.facts == nil {
			return err
		}
		if *plan == 0 {
			return s.facts.Refresh(ctx, tx, facts.PlanSection)
		}
		return s.facts.RefreshPart(ctx, tx, facts.PlanSection, *plan)
	})
}
