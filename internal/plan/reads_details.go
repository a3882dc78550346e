package plan

import (
	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/facts"
)

// objectiveSet names some objectives as a condition on "o" with one parameter, $1, so that
// everything hanging from them is read in the same batch, each read joining to them.
type objectiveSet struct {
	where string
	arg   any
	// forFacts leaves the assignments out: the facts name no partner, and a write pays for
	// every statement its facts read.
	forFacts bool
}

// objectivesOf is a plan's objectives.
func objectivesOf(p planRef) objectiveSet {
	return objectiveSet{where: `o.plan_id = ` + p.sql(), arg: p.arg()}
}

// oneObjective is the objective id.
func oneObjective(id int64) objectiveSet { return objectiveSet{where: `o.id = $1::bigint`, arg: id} }

// Columns of what hangs from an objective, each in its scan function's order.
const (
	indicatorColumns = `i.id, i.objective_id, i.position, i.kind, i.name, i.unit, i.baseline, i.baseline_note, i.target,
		i.direction, i.target_min, i.target_max, i.bound_programme, i.bound_figure`
	measurementColumns = `m.id, m.indicator_id, m.period, m.value, m.source, m.note, m.recorded_by, m.recorded_at`
	budgetLineColumns  = `b.id, b.objective_id, b.year, b.source_code, b.stanziato_cents, b.impegnato_cents, b.liquidato_cents,
		b.note, b.updated_at`
	evaluationColumns = `e.id, e.objective_id, e.year, e.achievement_pct, e.user_evaluation, e.user_evaluation_note,
		e.resource_match_pct, e.resource_match_note, e.issues, e.need_met, e.need_met_note, e.continuity_previous,
		e.continuity_note, e.proposed_again, e.proposed_again_note, e.updated_by, e.updated_at`
	assignmentColumns = `a.id, a.objective_id, a.partner_id, a.activity, a.created_at, a.assigned_on, a.budget_cents,
		o.title, pa.name, o.plan_id`
)

func scanIndicator(row pgx.CollectableRow) (Indicator, error) {
	var i Indicator
	err := row.Scan(&i.ID, &i.ObjectiveID, &i.Position, &i.Kind, &i.Name, &i.Unit, &i.Baseline, &i.BaselineNote, &i.Target,
		&i.Direction, &i.TargetMin, &i.TargetMax, &i.Binding.Programme, &i.Binding.Figure)
	return i, err
}

func scanMeasurement(row pgx.CollectableRow) (Measurement, error) {
	var m Measurement
	err := row.Scan(&m.ID, &m.IndicatorID, &m.Period, &m.Value, &m.Source, &m.Note, &m.RecordedBy, &m.RecordedAt)
	return m, err
}

func scanBudgetLine(row pgx.CollectableRow) (BudgetLine, error) {
	var b BudgetLine
	err := row.Scan(&b.ID, &b.ObjectiveID, &b.Year, &b.SourceCode, &b.StanziatoCents, &b.ImpegnatoCents, &b.LiquidatoCents,
		&b.Note, &b.UpdatedAt)
	return b, err
}

func scanEvaluation(row pgx.CollectableRow) (Evaluation, error) {
	var e Evaluation
	err := row.Scan(&e.ID, &e.ObjectiveID, &e.Year, &e.AchievementPct, &e.UserEvaluation, &e.UserEvaluationNote,
		&e.ResourceMatchPct, &e.ResourceMatchNote, &e.Issues, &e.NeedMet, &e.NeedMetNote, &e.ContinuityPrevious,
		&e.ContinuityNote, &e.ProposedAgain, &e.ProposedAgainNote, &e.UpdatedBy, &e.UpdatedAt)
	return e, err
}

func scanAssignment(row pgx.CollectableRow) (Assignment, error) {
	var a Assignment
	err := row.Scan(&a.ID, &a.ObjectiveID, &a.PartnerID, &a.Activity, &a.CreatedAt, &a.AssignedOn, &a.BudgetCents,
		&a.ObjectiveTitle, &a.PartnerName, &a.PlanID)
	return a, err
}

// collect decodes every row of a read into *out.
func collect[T any](out *[]T, scan pgx.RowToFunc[T]) func(pgx.Rows) error {
	return func(rows pgx.Rows) (err error) {
		*out, err = pgx.CollectRows(rows, scan)
		return err
	}
}

// queueDetails reads the objectives of set (by plan, then in their order) with everything
// hanging from them: area and item names, indicators with their series, newest measurement,
// progress and bound values, budget lines (by year, then funding source order), evaluations
// (by year) and assignments. Seven statements, whatever the number of objectives.
func queueDetails(r *reads, set objectiveSet, out *[]ObjectiveDetail) {
	var (
		objs   []ObjectiveDetail
		spans  = map[int64][2]int{} // each objective's plan's years, for the bound indicators
		inds   []Indicator
		series []Measurement
		lines  []BudgetLine
		evs    []Evaluation
		as     []Assignment
		bound  facts.Record
	)
	of := func(alias string) string { // what hangs from the set: joined through alias.objective_id
		return ` JOIN objectives o ON o.id = ` + alias + `.objective_id WHERE ` + set.where
	}
	r.queue(`SELECT `+objectiveColumns+`, coalesce(a.name, ''), coalesce(it.name, ''), p.start_year, p.end_year
		FROM objectives o JOIN plans p ON p.id = o.plan_id
		LEFT JOIN policy_areas a ON a.code = o.area_code LEFT JOIN policy_area_items it ON it.code = o.item_code
		WHERE `+set.where+` ORDER BY o.plan_id, o.position, o.id`, set.arg).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var d ObjectiveDetail
			var span [2]int
			if err := rows.Scan(objectiveDest(&d.Objective, &d.AreaName, &d.ItemName, &span[0], &span[1])...); err != nil {
				return err
			}
			spans[d.ID] = span
			objs = append(objs, d)
		}
		return rows.Err()
	})
	r.queue(`SELECT `+indicatorColumns+` FROM indicators i`+of("i")+` ORDER BY i.position, i.id`, set.arg).Query(collect(&inds, scanIndicator))
	r.queue(`SELECT `+measurementColumns+` FROM measurements m JOIN indicators i ON i.id = m.indicator_id`+of("i")+
		` ORDER BY m.indicator_id, m.period, m.recorded_at, m.id`, set.arg).Query(collect(&series, scanMeasurement))
	r.queue(`SELECT `+budgetLineColumns+` FROM budget_lines b JOIN funding_sources f ON f.code = b.source_code`+of("b")+
		` ORDER BY b.year, f.position`, set.arg).Query(collect(&lines, scanBudgetLine))
	r.queue(`SELECT `+evaluationColumns+` FROM evaluations e`+of("e")+` ORDER BY e.year`, set.arg).Query(collect(&evs, scanEvaluation))
	if !set.forFacts {
		r.queue(`SELECT `+assignmentColumns+` FROM assignments a JOIN partners pa ON pa.id = a.partner_id`+of("a")+
			` ORDER BY a.id`, set.arg).Query(collect(&as, scanAssignment))
	}
	facts.QueueOwn(r.q, r.slug, facts.PathwaysSection, &bound)
	r.then(func() error {
		index := make(map[int64]int, len(objs))
		for i := range objs {
			index[objs[i].ID] = i
			objs[i].Indicators, objs[i].Budget, objs[i].Evaluations, objs[i].Assignments = []Indicator{}, []BudgetLine{}, []Evaluation{}, []Assignment{}
		}
		measured := map[int64][]Measurement{}
		for _, m := range series {
			measured[m.IndicatorID] = append(measured[m.IndicatorID], m)
		}
		for i := range inds {
			ms := measured[inds[i].ID]
			if m := latest(ms); m != nil {
				inds[i].Latest, inds[i].Progress = m, ProgressOf(inds[i], m.Value)
			}
			inds[i].Series = SortPeriods(ms)
		}
		if err := bindIndicators(inds, spans, bound); err != nil {
			return err
		}
		// Each statement reads its own snapshot (read committed): an objective created between
		// two of them is left out, never given to another's.
		objective := func(id int64) *ObjectiveDetail {
			if i, ok := index[id]; ok {
				return &objs[i]
			}
			return nil
		}
		for _, in := range inds {
			if o := objective(in.ObjectiveID); o != nil {
				o.Indicators = append(o.Indicators, in)
			}
		}
		for _, l := range lines {
			if o := objective(l.ObjectiveID); o != nil {
				o.Budget = append(o.Budget, l)
			}
		}
		for _, e := range evs {
			if o := objective(e.ObjectiveID); o != nil {
				o.Evaluations = append(o.Evaluations, e)
			}
		}
		for _, a := range as {
			if o := objective(a.ObjectiveID); o != nil {
				o.Assignments = append(o.Assignments, a)
			}
		}
		for i := range objs {
			objs[i].BudgetTotal = Totals(objs[i].Budget)
		}
		if objs == nil {
			objs = []ObjectiveDetail{}
		}
		*out = objs
		return nil
	})
}

// latest is an indicator's newest measurement: the newest year wins (periods sort as text:
// 2022 < 2022-06 < 2022-Q3 < 2022-S1 < 2023), and within a year the record entered last.
func latest(ms []Measurement) *Measurement {
	var best *Measurement
	for i := range ms {
		m := &ms[i]
		if best == nil {
			best = m
			continue
		}
		my, by := m.Period[:4], best.Period[:4]
		if my > by || my == by && (m.RecordedAt.After(best.RecordedAt) || m.RecordedAt.Equal(best.RecordedAt) && m.ID > best.ID) {
			best = m
		}
	}
	if best == nil {
		return nil
	}
	m := *best
	return &m
}
