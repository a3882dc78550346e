package plan

import (
	"encoding/json"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// splice recomputes the facts of the plan id (a write changed its content, and nothing else)
// into stored, the section's detail as the district's last write left it, returns the section
// (summary and detail) as computeFacts would have it, and says ok = false
// when it cannot be sure the result is what computeFacts would give now, so that the whole
// section is computed instead. stored was read under the section's lock (facts.RefreshPart):
// it holds every write committed before this one, and only three things can have changed since
// outside this plan, all checked here:
//   - the pathways' facts, which the bound indicators read: every plan holding one is
//     recomputed with id (boundOrPlan);
//   - the catalogue of areas and funding sources, whose names every plan's facts repeat: the
//     plans kept must name them as they are now, in their order;
//   - the plans themselves (a plan created, removed, moved in time): a write that does that
//     refreshes the whole section, so here the plans recomputed must be where they were.
func splice(tx *tenancy.Tx, stored []byte, id int64) (summary facts.PlanSummary, detail any, ok bool, err error) {
	// The plans kept are kept as they are stored: only what the checks read is decoded.
	var d struct {
		Plans            []json.RawMessage `json:"plans"`
		ParticipantTypes []string          `json:"participant_types"`
	}
	if json.Unmarshal(stored, &d) != nil || !slices.Equal(d.ParticipantTypes, ParticipantTypes) {
		return summary, nil, false, nil // a detail that does not decode is recomputed, not an error
	}
	heads := make([]planHead, len(d.Plans))
	index := make(map[int64]int, len(d.Plans))
	for i, raw := range d.Plans {
		if json.Unmarshal(raw, &heads[i]) != nil {
			return summary, nil, false, nil
		}
		index[heads[i].ID] = i
	}
	if _, ok := index[id]; !ok {
		return summary, nil, false, nil
	}
	fresh, cat, err := factsOf(tx, boundOrPlan(id))
	if err != nil {
		return summary, nil, false, err
	}
	recomputed := make(map[int64]*facts.PlanFacts, len(fresh))
	for k, f := range fresh {
		i, ok := index[f.ID]
		if !ok || heads[i].StartYear != f.StartYear {
			return summary, nil, false, nil
		}
		raw, err := json.Marshal(f)
		if err != nil {
			return summary, nil, false, err
		}
		d.Plans[i], heads[i].Status, recomputed[f.ID] = raw, f.Status, &fresh[k]
	}
	if recomputed[id] == nil {
		return summary, nil, false, nil // the plan is gone
	}
	for _, h := range heads {
		if recomputed[h.ID] == nil && !h.namesCatalogue(cat) {
			return summary, nil, false, nil
		}
	}
	// The summary is about one plan (summarise): the one in force, else the newest.
	i := max(slices.IndexFunc(heads, func(h planHead) bool { return h.Status == string(Approved) }), 0)
	headline := recomputed[heads[i].ID]
	if headline == nil {
		headline = &facts.PlanFacts{}
		if err := json.Unmarshal(d.Plans[i], headline); err != nil {
			return summary, nil, false, nil
		}
	}
	return summarise([]facts.PlanFacts{*headline}), d, true, nil
}

// planHead is what splice reads of a plan's stored facts.
type planHead struct {
	ID             int64                `json:"id"`
	StartYear      int                  `json:"start_year"`
	Status         string               `json:"status"`
	Areas          []facts.AreaFacts    `json:"areas"`
	BudgetBySource []facts.SourceTotals `json:"budget_by_source"`
}

// namesCatalogue says whether p's facts name the areas and funding sources as cat does: every
// area in the catalogue's order, and the sources it holds money from in theirs.
func (p planHead) namesCatalogue(cat catalogue) bool {
	if len(p.Areas) != len(cat.areas) {
		return false
	}
	for i, a := range cat.areas {
		if p.Areas[i].Code != a.Code || p.Areas[i].Name != a.Name {
			return false
		}
	}
	next := 0
	for _, st := range p.BudgetBySource {
		i := slices.IndexFunc(cat.sources[next:], func(s FundingSource) bool { return s.Code == st.Source.Code })
		if i < 0 || cat.sources[next+i].Name != st.Source.Name {
			return false
		}
		next += i + 1
	}
	return true
}

// queueParticipationByPlan counts the participatory process of each plan of set (as
// queueParticipation does for one) in one statement, whatever the number of plans: the
// meetings (no participant type), then the people by type. A plan with no meetings is not in
// *out.
func queueParticipationByPlan(r *reads, set planSet, out *map[int64]*ParticipationSummary) {
	*out = map[int64]*ParticipationSummary{}
	r.queue(`SELECT m.plan_id, NULL::text, count(*) FROM meetings m WHERE `+set.of("m.plan_id")+` GROUP BY m.plan_id
		UNION ALL
		SELECT m.plan_id, p.participant_type, sum(p.count) FROM meeting_participants p JOIN meetings m ON m.id = p.meeting_id
		WHERE `+set.of("m.plan_id")+` GROUP BY m.plan_id, p.participant_type`, set.arg).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var plan, n int64
			var kind *string
			if err := rows.Scan(&plan, &kind, &n); err != nil {
				return err
			}
			p := (*out)[plan]
			if p == nil {
				p = &ParticipationSummary{ByType: map[string]int{}}
				(*out)[plan] = p
			}
			if kind == nil {
				p.Meetings = int(n)
				continue
			}
			p.ByType[*kind] = int(n)
			p.Participants += int(n)
		}
		return rows.Err()
	})
}
