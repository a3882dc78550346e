package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/plan"
)

// A measurement or an evaluation outside the plan's years, or a value its unit cannot hold,
// is refused naming the field, and nothing is written (issue 19: "Ultimo valore 12 (2030)").
func TestFiguresStayWithinThePlanAndTheirUnit(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	_, o := d.draft("Piano 2024-2026")
	indicator := func(unit string) plan.Indicator {
		in, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Indicatore in " + unit, Unit: unit})
		noError(t, err)
		return in
	}
	count, pct, euro, days := indicator("n."), indicator("%"), indicator("€"), indicator("giorni")
	for _, c := range []struct {
		ind    plan.Indicator
		period string
		value  float64
		field  string
	}{
		{count, "2030", 12, "period"},
		{count, "2023-S2", 12, "period"},
		{count, "2027-01", 12, "period"},
		{count, "2024", -3, "value"},
		{count, "2024", 2.5, "value"},
		{pct, "2025", 130, "value"},
		{pct, "2025", -1, "value"},
		{euro, "2025", -10, "value"},
		{euro, "2025", 10.005, "value"},
	} {
		_, err := d.svc.RecordMeasurement(d.ctx, d.udp, c.ind.ID, plan.MeasurementInput{Period: c.period, Value: ptr(c.value)})
		wantField(t, err, c.field)
	}
	for _, ind := range []plan.Indicator{count, pct, euro} {
		if ms, _ := d.svc.Measurements(d.ctx, d.udp, ind.ID); len(ms) != 0 {
			t.Errorf("refused measurements were written: %+v", ms)
		}
	}
	for _, ok := range []struct {
		ind    plan.Indicator
		period string
		value  float64
	}{{count, "2024", 0}, {count, "2026-Q4", 22}, {pct, "2025", 75.5}, {euro, "2025", 1234.56}, {days, "2025", -2.5}} {
		_, err := d.svc.RecordMeasurement(d.ctx, d.udp, ok.ind.ID, plan.MeasurementInput{Period: ok.period, Value: ptr(ok.value)})
		noError(t, err)
	}

	// The indicator's own baseline and target follow its unit too.
	_, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Utenti", Unit: "persone", Target: ptr(-1.0)})
	wantField(t, err, "target")
	_, err = d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Quota", Unit: "%", Baseline: ptr(101.0)})
	wantField(t, err, "baseline")

	// Evaluation years stay within the plan too.
	for _, y := range []int{2023, 2027, 2030} {
		_, err = d.svc.SetEvaluation(d.ctx, d.udp, o.ID, y, set(func(e *plan.Evaluation) { e.AchievementPct = ptr(10) }))
		wantField(t, err, "year")
	}
	if es, _ := d.svc.Evaluations(d.ctx, d.udp, o.ID); len(es) != 0 {
		t.Errorf("refused sheets were written: %+v", es)
	}
}

func TestImportRefusesFiguresOutsideThePlanOrUnit(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	for _, c := range []struct {
		change func(*plan.ImportObjective)
		field  string
	}{
		{func(o *plan.ImportObjective) {
			o.Indicators = []plan.ImportIndicator{{Kind: plan.Result, Name: "Utenti", Unit: "n.", Measurements: []plan.MeasurementImport{{Period: "2022", Value: 22}, {Period: "2030", Value: 12}}}}
		}, "indicators[0].measurements[1].period"},
		{func(o *plan.ImportObjective) {
			o.Indicators = []plan.ImportIndicator{{Kind: plan.Result, Name: "Utenti", Unit: "n.", Measurements: []plan.MeasurementImport{{Period: "2022", Value: -3}}}}
		}, "indicators[0].measurements[0].value"},
		{func(o *plan.ImportObjective) {
			o.Evaluations = []plan.ImportEvaluation{{Year: 2021, AchievementPct: ptr(75)}, {Year: 2030, AchievementPct: ptr(10)}}
		}, "evaluations[1].year"},
	} {
		_, err := d.svc.Import(d.ctx, importer, smallImport(nil, c.change))
		wantField(t, err, "plans[0].objectives[2]."+c.field)
	}
}

func TestValueKindOfUnits(t *testing.T) {
	for unit, want := range map[string]plan.ValueKind{"n.": plan.CountValue, " Persone ": plan.CountValue, "numero": plan.CountValue,
		"%": plan.PercentValue, "€": plan.EuroValue, "euro": plan.EuroValue, "giorni": plan.FreeValue, "": plan.FreeValue, "ore": plan.FreeValue} {
		if got := plan.ValueKindOf(unit); got != want {
			t.Errorf("ValueKindOf(%q) = %s, want %s", unit, got, want)
		}
	}
}
