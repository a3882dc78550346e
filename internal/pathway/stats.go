package pathway

import (
	"context"
	"slices"
	"strconv"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/keyring"
)

// Stats are the aggregates of the district's pathways: no names, no ids, every count of people
// under five suppressed; people who withdrew their consent to research are left out.
type Stats struct {
	Programmes []ProgrammeStats `json:"programmes"`
}

// ProgrammeStats are one programme's aggregates.
type ProgrammeStats struct {
	Programme      string                 `json:"programme"`
	Opened         facts.Count            `json:"opened"`
	Closed         facts.Count            `json:"closed"`
	ByStage        map[string]facts.Count `json:"by_stage"`        // open pathways by stage
	ClosureReasons map[string]facts.Count `json:"closure_reasons"` // closed pathways by reason
	NEET           map[string]facts.Count `json:"neet,omitempty"`  // closed pathways by "start>close"
	ONS4           *ONS4Stats             `json:"ons4,omitempty"`
}

// ONS4Stats compare the baseline with the latest follow-up, item by item (never summed), over
// the people measured at both; the means are hidden when those people are fewer than five.
type ONS4Stats struct {
	People   facts.Count         `json:"people"`
	Baseline map[string]*float64 `json:"baseline"`
	Latest   map[string]*float64 `json:"latest"`
}

// statsRow is one pathway as the aggregates see it.
type statsRow struct {
	ID, PersonID, Programme, Stage, ClosureReason, NEETStart, NEETClose string
	Closed                                                              bool
}

// counted excludes the people whose latest decision on research is a withdrawal.
// One pass over the research consents (a hashed set of who withdrew), not a lookup per pathway:
// the facts run it in every pathway write.
const counted = `pathways.person_id NOT IN (SELECT person_id FROM (SELECT DISTINCT ON (person_id) person_id, given
	FROM consents WHERE purpose = 'ricerca' ORDER BY person_id, recorded_at DESC) latest WHERE NOT given)`

// Stats computes the aggregates (udp and the coordinator: stats).
func (s *Service) Stats(ctx context.Context, a actor.Actor) (Stats, error) {
	if err := need(a, actStats); err != nil {
		return Stats{}, err
	}
	var st Stats
	err := s.work(ctx, a, func(ses *session) error {
		var rows []statsRow
		err := ses.Raw(`SELECT id, person_id, programme, stage, closure_reason, neet_start, neet_close, closed_on IS NOT NULL AS closed
			FROM pathways WHERE ` + counted).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, prog := range s.programmes.Sorted() {
			if !slices.ContainsFunc(rows, func(r statsRow) bool { return r.Programme == prog.Code }) {
				continue // a programme the district does not run: nothing to show
			}
			ps, err := ses.programmeStats(prog, rows)
			if err != nil {
				return err
			}
			st.Programmes = append(st.Programmes, ps)
		}
		return nil
	})
	return st, err
}

func (s *session) programmeStats(prog Programme, rows []statsRow) (ProgrammeStats, error) {
	var opened, closed int
	stages, reasons, neet := map[string]int{}, map[string]int{}, map[string]int{}
	for _, l := range prog.Stages[:len(prog.Stages)-1] {
		stages[l.Code] = 0
	}
	var ids []string
	for _, r := range rows {
		if r.Programme != prog.Code {
			continue
		}
		opened++
		ids = append(ids, r.ID)
		if !r.Closed {
			stages[r.Stage]++
			continue
		}
		closed++
		reasons[r.ClosureReason]++
		if prog.Measures("neet") {
			neet[r.NEETStart+">"+r.NEETClose]++
		}
	}
	ps := ProgrammeStats{Programme: prog.Code, Opened: facts.SuppressOne(opened), Closed: facts.SuppressOne(closed),
		ByStage: facts.Suppress(stages), ClosureReasons: facts.Suppress(reasons)}
	if prog.Measures("neet") {
		ps.NEET = facts.Suppress(neet)
	}
	if prog.Measures("ons4") {
		o, err := s.ons4Stats(ids)
		if err != nil {
			return ps, err
		}
		ps.ONS4 = &o
	}
	return ps, nil
}

// ons4Row is a measurement, sealed.
type ons4Row struct {
	PathwayID, PersonID, Occasion      string
	LifeSatisfactionEnc, WorthwhileEnc []byte
	HappinessEnc, AnxietyEnc           []byte
}

// ons4Stats averages each item at baseline and at the latest follow-up, over the pathways
// measured at both.
func (s *session) ons4Stats(ids []string) (ONS4Stats, error) {
	out := ONS4Stats{Baseline: map[string]*float64{}, Latest: map[string]*float64{}}
	if len(ids) == 0 {
		out.People = facts.SuppressOne(0)
		return out, nil
	}
	var rows []ons4Row
	err := s.Raw(`SELECT o.pathway_id, p.person_id, o.occasion, o.life_satisfaction_enc, o.worthwhile_enc, o.happiness_enc, o.anxiety_enc
		FROM outcome_measures o JOIN pathways p ON p.id = o.pathway_id
		WHERE o.pathway_id IN ? AND o.instrument = 'ons4' ORDER BY o.pathway_id, o.measured_on, o.created_at`, ids).Scan(&rows).Error
	if err != nil {
		return out, err
	}
	first, last := map[string]ons4Row{}, map[string]ons4Row{}
	for _, r := range rows {
		if _, ok := first[r.PathwayID]; !ok && r.Occasion == "baseline" {
			first[r.PathwayID] = r
		} else if r.Occasion != "baseline" {
			last[r.PathwayID] = r
		}
	}
	sums := map[string][2]float64{}
	counts := map[string][2]int{}
	people := 0
	for id, b := range first {
		l, ok := last[id]
		if !ok {
			continue
		}
		bv, err1 := s.ons4Values(b)
		lv, err2 := s.ons4Values(l)
		if keyring.IsShredded(err1) || keyring.IsShredded(err2) {
			continue
		}
		if err1 != nil || err2 != nil {
			return out, firstErr(err1, err2)
		}
		people++
		for _, it := range ons4Items {
			item := it.field
			bx, bok := bv[item]
			lx, lok := lv[item]
			if bok && lok {
				s, c := sums[item], counts[item]
				sums[item], counts[item] = [2]float64{s[0] + bx, s[1] + lx}, [2]int{c[0] + 1, c[1] + 1}
			}
		}
	}
	out.People = facts.SuppressOne(people)
	for _, it := range ons4Items {
		item := it.field
		if c := counts[item]; c[0] >= facts.SmallCount {
			b, l := sums[item][0]/float64(c[0]), sums[item][1]/float64(c[1])
			out.Baseline[item], out.Latest[item] = &b, &l
		} else {
			out.Baseline[item], out.Latest[item] = nil, nil
		}
	}
	return out, nil
}

// ons4Values opens one measurement's items (a skipped anxiety item is absent).
func (s *session) ons4Values(r ons4Row) (map[string]float64, error) {
	sealed := map[string][]byte{"life_satisfaction": r.LifeSatisfactionEnc, "worthwhile": r.WorthwhileEnc,
		"happiness": r.HappinessEnc, "anxiety": r.AnxietyEnc}
	out := map[string]float64{}
	for item, b := range sealed {
		if len(b) == 0 {
			continue
		}
		v, err := s.keys.Open(r.PersonID, item+"_enc", b)
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			continue // not a number: not ours to count
		}
		out[item] = float64(n)
	}
	return out, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
