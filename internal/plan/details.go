package plan

import (
	"context"
	"sort"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// loadDetails fills in everything hanging from objectives, with one query per kind of thing
// (not per objective), so a whole plan costs the same handful of queries.
func loadDetails(tx *tenancy.Tx, objectives []Objective) ([]ObjectiveDetail, error) {
	out := make([]ObjectiveDetail, len(objectives))
	if len(objectives) == 0 {
		return out, nil
	}
	ids := make([]int64, len(objectives))
	index := map[int64]int{}
	for i, o := range objectives {
		ids[i] = o.ID
		index[o.ID] = i
		out[i] = ObjectiveDetail{Objective: o, Indicators: []Indicator{}, Budget: []BudgetLine{}, Evaluations: []Evaluation{}, Assignments: []Assignment{}}
	}
	var names []struct{ Code, Name string }
	areaNames := map[string]string{}
	if err := tx.Raw(`SELECT code, name FROM policy_areas`).Scan(&names).Error; err != nil {
		return nil, err
	}
	for _, n := range names {
		areaNames[n.Code] = n.Name
	}
	var itemNames []struct{ Code, Name string }
	if err := tx.Raw(`SELECT code, name FROM policy_area_items`).Scan(&itemNames).Error; err != nil {
		return nil, err
	}
	items := map[string]string{}
	for _, n := range itemNames {
		items[n.Code] = n.Name
	}
	for i := range out {
		out[i].AreaName = areaNames[out[i].AreaCode]
		if out[i].ItemCode != nil {
			out[i].ItemName = items[*out[i].ItemCode]
		}
	}

	var inds []Indicator
	if err := tx.Where("objective_id IN ?", ids).Order("position, id").Find(&inds).Error; err != nil {
		return nil, err
	}
	if err := fillLatest(tx, inds); err != nil {
		return nil, err
	}
	if err := fillBound(tx, inds); err != nil {
		return nil, err
	}
	if err := fillSeries(tx, inds); err != nil {
		return nil, err
	}
	for _, in := range inds {
		i := index[in.ObjectiveID]
		out[i].Indicators = append(out[i].Indicators, in)
	}
	var lines []BudgetLine
	if err := tx.Raw(`SELECT b.* FROM budget_lines b JOIN funding_sources f ON f.code = b.source_code
		WHERE b.objective_id IN ? ORDER BY b.year, f.position`, ids).Scan(&lines).Error; err != nil {
		return nil, err
	}
	for _, l := range lines {
		i := index[l.ObjectiveID]
		out[i].Budget = append(out[i].Budget, l)
	}
	var evs []Evaluation
	if err := tx.Where("objective_id IN ?", ids).Order("year").Find(&evs).Error; err != nil {
		return nil, err
	}
	for _, e := range evs {
		i := index[e.ObjectiveID]
		out[i].Evaluations = append(out[i].Evaluations, e)
	}
	var as []Assignment
	if err := assignmentQuery(tx).Where("a.objective_id IN ?", ids).Order("a.id").Find(&as).Error; err != nil {
		return nil, err
	}
	for _, a := range as {
		i := index[a.ObjectiveID]
		out[i].Assignments = append(out[i].Assignments, a)
	}
	for i := range out {
		out[i].BudgetTotal = Totals(out[i].Budget)
	}
	return out, nil
}

// fillLatest sets each indicator's newest measurement and its progress towards the target.
func fillLatest(tx *tenancy.Tx, inds []Indicator) error {
	if len(inds) == 0 {
		return nil
	}
	ids := make([]int64, len(inds))
	for i, in := range inds {
		ids[i] = in.ID
	}
	var latest []Measurement
	// Periods sort as text: 2022 < 2022-06 < 2022-Q3 < 2022-S1 < 2023; the newest year wins,
	// and within a year the finest record entered last.
	err := tx.Raw(`SELECT DISTINCT ON (indicator_id) * FROM measurements WHERE indicator_id IN ?
		ORDER BY indicator_id, left(period, 4) DESC, recorded_at DESC, id DESC`, ids).Scan(&latest).Error
	if err != nil {
		return err
	}
	by := map[int64]Measurement{}
	for _, m := range latest {
		by[m.IndicatorID] = m
	}
	for i := range inds {
		if m, ok := by[inds[i].ID]; ok {
			m := m
			inds[i].Latest = &m
			inds[i].Progress = ProgressOf(inds[i], m.Value)
		}
	}
	return nil
}

// Dossier returns a whole plan: objectives with everything hanging from them, budget totals
// overall and per funding source, participation counts.
func (s *Service) Dossier(ctx context.Context, actor Actor, planID int64) (Dossier, error) {
	var d Dossier
	t, _ := tenancy.FromContext(ctx)
	d.District = DistrictInfo{Slug: t.Slug, Name: t.Name, Region: t.RegionName, LeadBody: t.LeadBody}
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) (err error) {
		if d.Plan, err = findPlan(tx, planID, false); err != nil {
			return err
		}
		var objs []Objective
		if err := tx.Where("plan_id = ?", planID).Order("position, id").Find(&objs).Error; err != nil {
			return err
		}
		if d.Objectives, err = loadDetails(tx, objs); err != nil {
			return err
		}
		if err := tx.Order("position").Find(&d.FundingSources).Error; err != nil {
			return err
		}
		var all []BudgetLine
		for _, o := range d.Objectives {
			all = append(all, o.Budget...)
		}
		d.Budget = Totals(all)
		d.BudgetBySource = TotalsBySource(all, d.FundingSources)
		d.Participation, err = participation(tx, &planID)
		return err
	})
	return d, err
}

// participation sums the meetings of a plan (all meetings when planID is nil).
func participation(tx *tenancy.Tx, planID *int64) (ParticipationSummary, error) {
	sum := ParticipationSummary{ByType: map[string]int{}}
	q := tx.Table("meetings m")
	if planID != nil {
		q = q.Where("m.plan_id = ?", *planID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return sum, err
	}
	sum.Meetings = int(n)
	var rows []struct {
		ParticipantType string
		Total           int
	}
	q = tx.Table("meeting_participants p").Select("p.participant_type, sum(p.count) AS total").Joins("JOIN meetings m ON m.id = p.meeting_id")
	if planID != nil {
		q = q.Where("m.plan_id = ?", *planID)
	}
	if err := q.Group("p.participant_type").Scan(&rows).Error; err != nil {
		return sum, err
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ParticipantType < rows[j].ParticipantType })
	for _, r := range rows {
		sum.ByType[r.ParticipantType] = r.Total
		sum.Participants += r.Total
	}
	return sum, nil
}
