package plan

import "github.com/ambiti/ambiti/internal/facts"

// BudgetTotals are allocated (stanziato), committed (impegnato) and paid (liquidato) euro
// cents with the execution ratios the evaluation sheets report. The type is the facts' plan
// section's own, so the plan writes its section without a copy.
type BudgetTotals = facts.BudgetTotals

// Totals adds up lines and computes the execution ratios the evaluation sheets report
// ("livello di coincidenza tra risorse stanziate e risorse impegnate/liquidate").
func Totals(lines []BudgetLine) BudgetTotals {
	var t BudgetTotals
	for _, l := range lines {
		t.StanziatoCents += l.StanziatoCents
		t.ImpegnatoCents += l.ImpegnatoCents
		t.LiquidatoCents += l.LiquidatoCents
	}
	t.ImpegnatoPct = Percent(t.ImpegnatoCents, t.StanziatoCents)
	t.LiquidatoPct = Percent(t.LiquidatoCents, t.StanziatoCents)
	t.LiquidatoSuImpegnato = Percent(t.LiquidatoCents, t.ImpegnatoCents)
	return t
}

// Percent is part/whole in percent rounded to one decimal, computed in integers so that cents
// never pass through floating point; nil when whole is zero.
func Percent(part, whole int64) *float64 {
	if whole == 0 {
		return nil
	}
	// round half away from zero at the first decimal: (part*1000/whole + 5) / 10
	tenths := (part*1000*2 + whole) / (2 * whole)
	v := float64(tenths) / 10
	return &v
}

// TotalsBySource groups lines by funding source, in the order given by sources.
func TotalsBySource(lines []BudgetLine, sources []FundingSource) []SourceTotals {
	by := map[string][]BudgetLine{}
	for _, l := range lines {
		by[l.SourceCode] = append(by[l.SourceCode], l)
	}
	var out []SourceTotals
	for _, s := range sources {
		if ls, ok := by[s.Code]; ok {
			out = append(out, SourceTotals{Source: s, BudgetTotals: Totals(ls)})
		}
	}
	return out
}

// SourceNames maps the codes of a catalogue of funding sources to their names.
func SourceNames(sources []FundingSource) map[string]string {
	names := make(map[string]string, len(sources))
	for _, s := range sources {
		names[s.Code] = s.Name
	}
	return names
}

// SourceTotals are the totals of one funding source.
type SourceTotals struct {
	Source FundingSource `json:"source"`
	BudgetTotals
}

// IndicatorProgress is how far value has gone from baseline (0 when unknown) towards target,
// in percent with one decimal; nil without a target or when target equals baseline. It
// works for decreasing targets too (baseline 40 → target 10, value 25 → 50%).
func IndicatorProgress(baseline, target *float64, value float64) *float64 {
	if target == nil {
		return nil
	}
	b := 0.0
	if baseline != nil {
		b = *baseline
	}
	span := *target - b
	if span == 0 {
		return nil
	}
	v := float64(int64(((value-b)/span)*1000+0.5)) / 10
	return &v
}
