package plan

import (
	"github.com/jackc/pgx/v5"
)

// planColumns are a Plan's columns, in scanPlan's order.
const planColumns = `p.id, p.title, p.start_year, p.end_year, p.status, p.version, p.return_note, p.approved_at,
	p.delibera_number, p.delibera_date, p.created_at, p.updated_at`

// planDest lists p's fields in planColumns' order, followed by extra, for Scan.
func planDest(p *Plan, extra ...any) []any {
	return append([]any{&p.ID, &p.Title, &p.StartYear, &p.EndYear, &p.Status, &p.Version, &p.ReturnNote, &p.ApprovedAt,
		&p.DeliberaNumber, &p.DeliberaDate, &p.CreatedAt, &p.UpdatedAt}, extra...)
}

func scanPlan(row pgx.CollectableRow) (Plan, error) {
	var p Plan
	return p, row.Scan(planDest(&p)...)
}

// planRef names a plan in SQL as an expression of $1, so that the reads hanging from it go in
// the same batch as the plan's own: a plan by its id, or (0) the district's current plan,
// the one in force, else the newest (what the district home shows).
type planRef int64

func (p planRef) sql() string {
	if p != 0 {
		return `$1::bigint`
	}
	return `(SELECT id FROM plans WHERE $1::bigint = 0 ORDER BY status = 'approvato' DESC, start_year DESC, id DESC LIMIT 1)`
}

func (p planRef) arg() int64 { return int64(p) }

// queuePlan reads the plan ref names into out; found says whether there is one.
func queuePlan(r *reads, ref planRef, out *Plan, found *bool) {
	queuePlanWhere(r, `p.id = `+ref.sql(), ref.arg(), out, found)
}

// queuePlanWhere reads the plan cond (on "p", with $1 = arg) names.
func queuePlanWhere(r *reads, cond string, arg any, out *Plan, found *bool) {
	r.queue(`SELECT `+planColumns+` FROM plans p WHERE `+cond, arg).Query(func(rows pgx.Rows) error {
		ps, err := pgx.CollectRows(rows, scanPlan)
		if len(ps) > 0 {
			*out, *found = ps[0], true
		}
		return err
	})
}

// queuePlans reads a window of the district's plans, newest first, and how many f matches.
func queuePlans(r *reads, f PlanFilter, out *[]Plan, total *int64) {
	where, args := `($1 = '' OR p.status = $1)`, []any{string(f.Status)}
	r.queue(`SELECT count(*) FROM plans p WHERE `+where, args...).QueryRow(func(row pgx.Row) error { return row.Scan(total) })
	r.queue(`SELECT `+planColumns+` FROM plans p WHERE `+where+` ORDER BY p.start_year DESC, p.id DESC
		LIMIT nullif($2::bigint, 0) OFFSET $3`, string(f.Status), int64(f.Limit), int64(f.Offset)).Query(func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, scanPlan)
		return err
	})
}
