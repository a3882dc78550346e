package plan

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Columns of a plan's history, each in its scan function's order.
const (
	transitionColumns = `t.id, t.plan_id, t.amendment_id, t.from_status, t.to_status, t.actor_id, t.actor_name, t.note, t.at`
	amendmentColumns  = `a.id, a.plan_id, a.reason, a.status, a.opened_by, a.opened_by_name, a.return_note, a.opened_at,
		a.decided_at, a.delibera_number, a.delibera_date`
	changeColumns   = `c.id, c.amendment_id, c.entity, c.entity_id, c.operation, c.before, c.after, c.actor_id, c.at`
	logEntryColumns = `l.id, l.plan_id, l.amendment_id, l.entity, l.entity_id, l.label, l.operation, l.before, l.after,
		l.actor_id, l.actor_name, l.at`
)

func scanTransition(row pgx.CollectableRow) (Transition, error) {
	var t Transition
	err := row.Scan(&t.ID, &t.PlanID, &t.AmendmentID, &t.FromStatus, &t.ToStatus, &t.ActorID, &t.ActorName, &t.Note, &t.At)
	return t, err
}

func amendmentDest(a *Amendment) []any {
	return []any{&a.ID, &a.PlanID, &a.Reason, &a.Status, &a.OpenedBy, &a.OpenedByName, &a.ReturnNote, &a.OpenedAt,
		&a.DecidedAt, &a.DeliberaNumber, &a.DeliberaDate}
}

func scanAmendment(row pgx.CollectableRow) (Amendment, error) {
	a := Amendment{Changes: []Change{}}
	return a, row.Scan(amendmentDest(&a)...)
}

func scanChange(row pgx.CollectableRow) (Change, error) {
	var c Change
	err := row.Scan(&c.ID, &c.AmendmentID, &c.Entity, &c.EntityID, &c.Operation, &c.Before, &c.After, &c.ActorID, &c.At)
	return c, err
}

func scanLogEntry(row pgx.CollectableRow) (LogEntry, error) {
	var l LogEntry
	err := row.Scan(&l.ID, &l.PlanID, &l.AmendmentID, &l.Entity, &l.EntityID, &l.Label, &l.Operation, &l.Before, &l.After,
		&l.ActorID, &l.ActorName, &l.At)
	return l, err
}

// queueHistory reads a plan's transitions, amendments with their changes and change log,
// oldest first.
func queueHistory(r *reads, ref planRef, h *History) {
	var changes []Change
	r.queue(`SELECT `+transitionColumns+` FROM plan_transitions t WHERE t.plan_id = `+ref.sql()+` ORDER BY t.at, t.id`,
		ref.arg()).Query(collect(&h.Transitions, scanTransition))
	r.queue(`SELECT `+amendmentColumns+` FROM amendments a WHERE a.plan_id = `+ref.sql()+` ORDER BY a.opened_at, a.id`,
		ref.arg()).Query(collect(&h.Amendments, scanAmendment))
	r.queue(`SELECT `+changeColumns+` FROM amendment_changes c JOIN amendments a ON a.id = c.amendment_id
		WHERE a.plan_id = `+ref.sql()+` ORDER BY c.at, c.id`, ref.arg()).Query(collect(&changes, scanChange))
	r.queue(`SELECT `+logEntryColumns+` FROM plan_changes l WHERE l.plan_id = `+ref.sql()+` ORDER BY l.at, l.id`,
		ref.arg()).Query(collect(&h.Log, scanLogEntry))
	r.then(func() error {
		attachChanges(h.Amendments, changes)
		return nil
	})
}

// attachChanges gives each amendment its changes, in their order.
func attachChanges(as []Amendment, changes []Change) {
	index := make(map[int64]int, len(as))
	for i := range as {
		index[as[i].ID] = i
	}
	for _, c := range changes {
		if i, ok := index[c.AmendmentID]; ok {
			as[i].Changes = append(as[i].Changes, c)
		}
	}
}

// PlanHistory returns the history of a plan, with every amendment's recorded changes, in one
// round trip. Errors: NotFound.
func (s *Service) PlanHistory(ctx context.Context, actor Actor, id int64) (History, error) {
	var h History
	var p Plan
	var found bool
	if id <= 0 {
		return h, errPlanNotFound
	}
	err := s.read(ctx, actor, func(r *reads) {
		queuePlan(r, planRef(id), &p, &found)
		queueHistory(r, planRef(id), &h)
	})
	if err == nil && !found {
		err = errPlanNotFound
	}
	return h, err
}

// PlanAmendment is an amendment with its plan, as the lists of what waits for a decision show it.
type PlanAmendment struct {
	Plan      Plan
	Amendment Amendment
}

// queuePlanAmendments reads the amendments of approved plans in status (with a note from the
// Assemblea only, when noted), newest plan first; changes adds each one's recorded changes.
func queuePlanAmendments(r *reads, status AmendmentStatus, noted, changes bool, out *[]PlanAmendment) {
	where := ` FROM amendments a JOIN plans p ON p.id = a.plan_id WHERE p.status = 'approvato' AND a.status = $1`
	if noted {
		where += ` AND a.return_note <> ''`
	}
	r.queue(`SELECT `+planColumns+`, `+amendmentColumns+where+` ORDER BY p.start_year DESC, p.id DESC, a.opened_at, a.id`,
		string(status)).Query(collect(out, func(row pgx.CollectableRow) (pa PlanAmendment, err error) {
		pa.Amendment.Changes = []Change{}
		return pa, row.Scan(planDest(&pa.Plan, amendmentDest(&pa.Amendment)...)...)
	}))
	if !changes {
		return
	}
	var cs []Change
	r.queue(`SELECT `+changeColumns+` FROM amendment_changes c JOIN amendments a ON a.id = c.amendment_id
		JOIN plans p ON p.id = a.plan_id WHERE p.status = 'approvato' AND a.status = $1 ORDER BY c.at, c.id`,
		string(status)).Query(collect(&cs, scanChange))
	r.then(func() error {
		as := make([]Amendment, len(*out))
		for i := range *out {
			as[i] = (*out)[i].Amendment
		}
		attachChanges(as, cs)
		for i := range as {
			(*out)[i].Amendment = as[i]
		}
		return nil
	})
}
