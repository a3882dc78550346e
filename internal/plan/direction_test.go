package plan_test

import (
	"testing"

	"github.com/ambiti/ambiti/internal/plan"
)

func TestProgressFollowsTheDirection(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		name  string
		in    plan.Indicator
		value float64
		want  *float64
	}{
		{"higher, halfway", plan.Indicator{Target: f(10)}, 5, f(50)},
		{"higher is the default and may exceed 100", plan.Indicator{Direction: plan.Higher, Target: f(10)}, 15, f(150)},
		{"entro 30 giorni, 25", plan.Indicator{Direction: plan.Lower, Target: f(30)}, 25, f(100)},
		{"entro 30 giorni, 30", plan.Indicator{Direction: plan.Lower, Target: f(30)}, 30, f(100)},
		{"entro 30 giorni, 40, no baseline", plan.Indicator{Direction: plan.Lower, Target: f(30)}, 40, f(75)},
		{"from 60 to 30 giorni, 45", plan.Indicator{Direction: plan.Lower, Baseline: f(60), Target: f(30)}, 45, f(50)},
		{"worse than the baseline", plan.Indicator{Direction: plan.Lower, Baseline: f(60), Target: f(30)}, 70, f(0)},
		{"lower without a target", plan.Indicator{Direction: plan.Lower}, 3, nil},
		{"within the range", plan.Indicator{Direction: plan.Range, TargetMin: f(40), TargetMax: f(60)}, 50, f(100)},
		{"below the range", plan.Indicator{Direction: plan.Range, TargetMin: f(40), TargetMax: f(60)}, 30, f(75)},
		{"above the range", plan.Indicator{Direction: plan.Range, TargetMin: f(40), TargetMax: f(60)}, 80, f(75)},
		{"range without ends", plan.Indicator{Direction: plan.Range}, 80, nil},
	} {
		got := plan.ProgressOf(c.in, c.value)
		if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
			t.Errorf("%s: ProgressOf = %v, want %v", c.name, shown(got), shown(c.want))
		}
	}
}

// "Pubblicazione del bando entro 30 giorni" with 25 giorni is on target, not at 83.3%.
func TestDirectionIsStoredAndDrivesTheObjectiveSheet(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	_, o := d.draft("Piano")
	_, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Process, Name: "Intervallo", Direction: plan.Range, TargetMax: ptr(3.0)})
	wantField(t, err, "target_min")
	_, err = d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Process, Name: "Intervallo", Direction: plan.Range, TargetMin: ptr(5.0), TargetMax: ptr(3.0)})
	wantField(t, err, "target_max")
	_, err = d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Process, Name: "Verso", Direction: "meglio"})
	wantField(t, err, "direction")

	days, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Process, Name: "Pubblicazione del bando entro 30 giorni",
		Unit: "giorni", Target: ptr(30.0), Direction: plan.Lower})
	noError(t, err)
	share, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Quota", Unit: "%",
		Direction: plan.Range, TargetMin: ptr(40.0), TargetMax: ptr(60.0)})
	noError(t, err)
	plain, err := d.svc.CreateIndicator(d.ctx, d.udp, o.ID, plan.Indicator{Kind: plan.Result, Name: "Utenti", Unit: "n.", Target: ptr(10.0)})
	noError(t, err)
	if plain.Direction != plan.Higher || plain.TargetMin != nil {
		t.Errorf("default direction = %q", plain.Direction)
	}
	for id, v := range map[int64]float64{days.ID: 25, share.ID: 50, plain.ID: 5} {
		_, err = d.svc.RecordMeasurement(d.ctx, d.udp, id, plan.MeasurementInput{Period: "2024", Value: ptr(v)})
		noError(t, err)
	}
	sheet, err := d.svc.ObjectiveDetail(d.ctx, d.udp, o.ID)
	noError(t, err)
	want := map[string]float64{days.Name: 100, share.Name: 100, plain.Name: 50}
	for _, in := range sheet.Indicators {
		if in.Progress == nil || *in.Progress != want[in.Name] {
			t.Errorf("%s (%s): progress %v, want %v", in.Name, in.Direction, shown(in.Progress), want[in.Name])
		}
	}

	// Changing the direction is an edit like any other; leaving the range clears its ends.
	got, err := d.svc.UpdateIndicator(d.ctx, d.udp, share.ID, func(in *plan.Indicator) error { in.Direction = plan.Higher; in.Target = ptr(80.0); return nil })
	noError(t, err)
	if got.Direction != plan.Higher || got.TargetMin != nil || got.TargetMax != nil {
		t.Errorf("updated = %+v", got)
	}
}

func shown(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
