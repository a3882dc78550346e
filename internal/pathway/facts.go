package pathway

import (
	"context"
	"strconv"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// FactsSection is the pathways' section of the district facts (internal/facts): counts of
// open pathways by programme and stage and of closed ones by programme and reason, for the
// regional views, and each programme's figures per calendar year (started, closed, referrals,
// NEET, the mean change of ONS4), which the plan's bound indicators read; no person's data.
// The Service refreshes it at the end of every transaction that wrote (one that recorded a
// pathway event).
//
// keys opens the sealed ONS4 items to compute their mean change; nil (a command run without
// the master key) leaves ONS4Change empty rather than failing.
func FactsSection(keys *keyring.Keyring) facts.Section {
	return facts.Section{Name: facts.PathwaysSection, Version: facts.PathwaysVersion,
		Compute: func(_ context.Context, tx *tenancy.Tx) (any, any, error) {
			ps, err := LoadProgrammes()
			if err != nil {
				return nil, nil, err
			}
			s, err := computeFacts(tx, ps, keys)
			return s, nil, err
		}}
}

// ProgrammeLabels are the shipped programmes as the facts name them (name, stages and
// closure reasons, Italian labels), without figures: what a reader that must not import this
// package (the plan's indicator form) offers before any pathway exists.
func ProgrammeLabels() (map[string]facts.ProgrammeFacts, error) {
	ps, err := LoadProgrammes()
	if err != nil {
		return nil, err
	}
	out := map[string]facts.ProgrammeFacts{}
	for code, p := range ps {
		out[code] = programmeFacts(p)
	}
	return out, nil
}

func programmeFacts(p Programme) facts.ProgrammeFacts {
	labels := func(ls []Label) []facts.Label {
		out := make([]facts.Label, len(ls))
		for i, l := range ls {
			out[i] = facts.Label{Code: l.Code, Name: l.Name}
		}
		return out
	}
	return facts.ProgrammeFacts{Name: p.Name, Stages: labels(p.Stages), Reasons: labels(p.ClosureReasons),
		Years: map[string]facts.PathwayYear{}}
}

// factsPathways are the pathways the facts count: not anonymised, of people who did not
// withdraw their consent to research use.
const factsPathways = `SELECT * FROM pathways WHERE anonymised_at IS NULL AND ` + counted

// factsFigures counts, in one pass, each programme's figures by calendar year: pathways
// engaged (and the distinct people), closed by reason (with the NEET at start and those who
// left it), and the referrals' steps by the year of the step (Europe/Rome).
const factsFigures = `WITH p AS (` + factsPathways + `)
	SELECT programme, to_char(engaged_on, 'YYYY') AS year, 'started' AS figure, '' AS key, count(*) AS n
		FROM p GROUP BY 1, 2
	UNION ALL SELECT programme, to_char(engaged_on, 'YYYY'), 'engaged', '', count(DISTINCT person_id)
		FROM p GROUP BY 1, 2
	UNION ALL SELECT programme, to_char(closed_on, 'YYYY'), 'closed', closure_reason, count(*)
		FROM p WHERE closed_on IS NOT NULL GROUP BY 1, 2, 4
	UNION ALL SELECT programme, to_char(closed_on, 'YYYY'), 'neet', neet_close, count(*)
		FROM p WHERE closed_on IS NOT NULL AND neet_start = 'nessuno' GROUP BY 1, 2, 4
	UNION ALL SELECT p.programme, to_char(s.at AT TIME ZONE 'Europe/Rome', 'YYYY'), 'referral', s.status, count(*)
		FROM referral_steps s JOIN referrals r ON r.id = s.referral_id JOIN p ON p.id = r.pathway_id
		WHERE s.status IN ('inviato', 'accettato', 'concluso') GROUP BY 1, 2, 4`

// leftNEET are the situations at closure that end the NEET condition.
var leftNEET = map[string]bool{"studio": true, "lavoro": true, "formazione": true}

func computeFacts(tx *tenancy.Tx, ps Programmes, keys *keyring.Keyring) (facts.PathwaysSummary, error) {
	out := facts.PathwaysSummary{Open: map[string]int{}, Closed: map[string]int{}, Programmes: map[string]facts.ProgrammeFacts{}}
	var rows []struct {
		Key    string
		Closed bool
		N      int
	}
	err := tx.Raw(`SELECT programme || ':' || CASE WHEN closed_on IS NULL THEN stage ELSE closure_reason END AS key,
			closed_on IS NOT NULL AS closed, count(*) AS n
		FROM pathways WHERE anonymised_at IS NULL AND ` + counted + ` GROUP BY 1, 2`).Scan(&rows).Error
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		if r.Closed {
			out.Closed[r.Key] = r.N
		} else {
			out.Open[r.Key] = r.N
		}
	}
	var figs []struct {
		Programme, Year, Figure, Key string
		N                            int
	}
	if err := tx.Raw(factsFigures).Scan(&figs).Error; err != nil {
		return out, err
	}
	for _, f := range figs {
		prog, ok := ps[f.Programme]
		if !ok {
			continue // a programme no longer shipped: nothing to name it by
		}
		y := year(&out, prog, f.Year)
		switch f.Figure {
		case "started":
			y.Started = f.N
		case "engaged":
			y.Engaged = f.N
		case "closed":
			y.Closed[f.Key] += f.N
		case "neet":
			y.NEETAtStart += f.N
			if leftNEET[f.Key] {
				y.NEETLeft += f.N
			}
		case "referral":
			switch f.Key {
			case "inviato":
				y.ReferralsSent += f.N
			case "accettato":
				y.ReferralsAccepted += f.N
			case "concluso":
				y.ReferralsConcluded += f.N
			}
		}
		out.Programmes[prog.Code].Years[f.Year] = *y
	}
	if keys == nil {
		return out, nil
	}
	return out, ons4Change(tx, ps, keys, &out)
}

// year returns a copy of the programme's figures for year (labels and the year added on first
// use), to be stored back.
func year(out *facts.PathwaysSummary, prog Programme, y string) *facts.PathwayYear {
	pf, ok := out.Programmes[prog.Code]
	if !ok {
		pf = programmeFacts(prog)
		out.Programmes[prog.Code] = pf
	}
	py, ok := pf.Years[y]
	if !ok {
		py = facts.PathwayYear{Closed: map[string]int{}, ONS4Change: map[string]facts.Mean{}}
	}
	return &py
}

// ons4Change adds, per programme and year, the change of each ONS4 item from the baseline to
// the last follow-up or closing measure, by the year of that last measure: a pathway counts
// once, for each item measured both times (anxiety is skipped by the young). Only the pathways
// measured twice are opened; an erased person's measures are left out.
func ons4Change(tx *tenancy.Tx, ps Programmes, keys *keyring.Keyring, out *facts.PathwaysSummary) error {
	var rows []factsONS4Row
	err := tx.Raw(`WITH p AS (` + factsPathways + `)
		SELECT o.pathway_id, p.person_id, p.programme, o.occasion, o.measured_on::text AS measured_on,
			o.life_satisfaction_enc, o.worthwhile_enc, o.happiness_enc, o.anxiety_enc
		FROM outcome_measures o JOIN p ON p.id = o.pathway_id
		WHERE o.instrument = 'ons4' ORDER BY o.pathway_id, o.measured_on, o.created_at`).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return err
	}
	type pair struct {
		first, last int // indexes in rows; -1 when missing
	}
	pairs, order := map[string]*pair{}, []string{}
	for i, r := range rows {
		pp, ok := pairs[r.PathwayID]
		if !ok {
			pp = &pair{first: -1, last: -1}
			pairs[r.PathwayID], order = pp, append(order, r.PathwayID)
		}
		switch {
		case r.Occasion == "baseline" && pp.first < 0:
			pp.first = i
		case r.Occasion != "baseline":
			pp.last = i // rows come oldest first: the last one wins
		}
	}
	var people []string
	for _, id := range order {
		if pp := pairs[id]; pp.first >= 0 && pp.last >= 0 {
			people = append(people, rows[pp.first].PersonID)
		}
	}
	if len(people) == 0 {
		return nil
	}
	ses, err := keys.Session(tx)
	if err != nil {
		return err
	}
	if err := ses.Preload(people); err != nil {
		return err
	}
	for _, id := range order {
		pp := pairs[id]
		if pp.first < 0 || pp.last < 0 {
			continue
		}
		b, l := rows[pp.first], rows[pp.last]
		prog, ok := ps[b.Programme]
		if !ok || !prog.Measures("ons4") {
			continue
		}
		bv, err1 := openONS4(ses, b)
		lv, err2 := openONS4(ses, l)
		if keyring.IsShredded(err1) || keyring.IsShredded(err2) {
			continue
		}
		if err := firstErr(err1, err2); err != nil {
			return err
		}
		y := year(out, prog, l.MeasuredOn[:4])
		for _, it := range ons4Items {
			bx, bok := bv[it.field]
			lx, lok := lv[it.field]
			if bok && lok {
				m := y.ONS4Change[it.field]
				y.ONS4Change[it.field] = facts.Mean{Sum: m.Sum + lx - bx, N: m.N + 1}
			}
		}
		out.Programmes[prog.Code].Years[l.MeasuredOn[:4]] = *y
	}
	return nil
}

// factsONS4Row is a sealed measurement with its pathway's programme.
type factsONS4Row struct {
	PathwayID, PersonID, Programme, Occasion, MeasuredOn string
	LifeSatisfactionEnc, WorthwhileEnc                   []byte
	HappinessEnc, AnxietyEnc                             []byte
}

// openONS4 opens one measurement's items with a keyring session of its own transaction (the
// facts are computed outside the room's session); a skipped item is absent.
func openONS4(ses *keyring.Session, r factsONS4Row) (map[string]float64, error) {
	sealed := [][]byte{r.LifeSatisfactionEnc, r.WorthwhileEnc, r.HappinessEnc, r.AnxietyEnc}
	out := map[string]float64{}
	for i, it := range ons4Items {
		if len(sealed[i]) == 0 {
			continue
		}
		v, err := ses.Open(r.PersonID, it.column, sealed[i])
		if err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			continue // not a number: not ours to count
		}
		out[it.field] = float64(n)
	}
	return out, nil
}
