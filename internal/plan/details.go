package plan

import (
	"context"
	"sort"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// queueDossier reads a whole plan (ref) into d: found says whether there is one.
func queueDossier(r *reads, ref planRef, d *Dossier, found *bool) {
	queuePlan(r, ref, &d.Plan, found)
	queueDetails(r, objectivesOf(ref), &d.Objectives)
	queueFundingSources(r, &d.FundingSources)
	queueParticipation(r, &ref, &d.Participation)
	r.then(func() error {
		var all []BudgetLine
		for _, o := range d.Objectives {
			all = append(all, o.Budget...)
		}
		d.Budget = Totals(all)
		d.BudgetBySource = TotalsBySource(all, d.FundingSources)
		return nil
	})
}

// districtInfo names the context's district on documents.
func districtInfo(ctx context.Context) DistrictInfo {
	t, _ := tenancy.FromContext(ctx)
	return DistrictInfo{Slug: t.Slug, Name: t.Name, Region: t.RegionName, LeadBody: t.LeadBody}
}

// Dossier returns a whole plan in one round trip: objectives with everything hanging from
// them, budget totals overall and per funding source, participation counts.
// Errors: NotFound when the plan does not exist.
func (s *Service) Dossier(ctx context.Context, actor Actor, planID int64) (Dossier, error) {
	d := Dossier{District: districtInfo(ctx)}
	if planID <= 0 {
		return d, errPlanNotFound // 0 would name the current plan
	}
	var found bool
	if err := s.read(ctx, actor, func(r *reads) { queueDossier(r, planRef(planID), &d, &found) }); err != nil {
		return d, err
	}
	if !found {
		return d, errPlanNotFound
	}
	return d, nil
}

// queueFundingSources reads the funding catalogue in its order.
func queueFundingSources(r *reads, out *[]FundingSource) {
	r.queue(`SELECT code, name, position FROM funding_sources ORDER BY position`).Query(collect(out, func(row pgx.CollectableRow) (FundingSource, error) {
		var f FundingSource
		return f, row.Scan(&f.Code, &f.Name, &f.Position)
	}))
}

// queueParticipation sums the meetings of a plan (of every meeting when plan is nil).
func queueParticipation(r *reads, plan *planRef, out *ParticipationSummary) {
	where, arg := `$1::bigint IS NULL`, (*int64)(nil)
	if plan != nil {
		where, arg = `m.plan_id = `+plan.sql(), &[]int64{plan.arg()}[0]
	}
	*out = ParticipationSummary{ByType: map[string]int{}}
	r.queue(`SELECT count(*) FROM meetings m WHERE `+where, arg).QueryRow(func(row pgx.Row) error { return row.Scan(&out.Meetings) })
	r.queue(`SELECT p.participant_type, sum(p.count) FROM meeting_participants p JOIN meetings m ON m.id = p.meeting_id
		WHERE `+where+` GROUP BY p.participant_type`, arg).Query(func(rows pgx.Rows) error {
		type total struct {
			kind string
			n    int
		}
		ts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (t total, err error) { return t, row.Scan(&t.kind, &t.n) })
		sort.Slice(ts, func(i, j int) bool { return ts[i].kind < ts[j].kind })
		for _, t := range ts {
			out.ByType[t.kind] = t.n
			out.Participants += t.n
		}
		return err
	})
}
