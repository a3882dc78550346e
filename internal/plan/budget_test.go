package plan

import "testing"

func TestBudgetArithmeticInCents(t *testing.T) {
	lines := []BudgetLine{
		{SourceCode: "FNPS", StanziatoCents: 300_000_00, ImpegnatoCents: 102_000_00, LiquidatoCents: 51_000_00},
		{SourceCode: "FONDO_POVERTA", StanziatoCents: 1, ImpegnatoCents: 1, LiquidatoCents: 0},
		{SourceCode: "FNPS", StanziatoCents: 33, ImpegnatoCents: 0, LiquidatoCents: 0},
	}
	tot := Totals(lines)
	if tot.StanziatoCents != 300_000_34 || tot.ImpegnatoCents != 102_000_01 || tot.LiquidatoCents != 51_000_00 {
		t.Fatalf("totals %+v", tot)
	}
	// 10200001 / 30000034 = 33.99998…% → 34.0
	if tot.ImpegnatoPct == nil || *tot.ImpegnatoPct != 34.0 {
		t.Errorf("impegnato %% = %v, want 34.0", deref(tot.ImpegnatoPct))
	}
	if tot.LiquidatoSuImpegnato == nil || *tot.LiquidatoSuImpegnato != 50.0 {
		t.Errorf("liquidato/impegnato %% = %v, want 50.0", deref(tot.LiquidatoSuImpegnato))
	}
	if Percent(1, 0) != nil {
		t.Error("a ratio over zero must be nil, not 0 or NaN")
	}
	for _, c := range []struct {
		part, whole int64
		want        float64
	}{{1, 3, 33.3}, {2, 3, 66.7}, {1, 8, 12.5}, {1, 16, 6.3}, {999_999_999_99, 1_000_000_000_00, 100.0}, {0, 5, 0}} {
		if got := Percent(c.part, c.whole); got == nil || *got != c.want {
			t.Errorf("Percent(%d, %d) = %v, want %v", c.part, c.whole, deref(got), c.want)
		}
	}
	by := TotalsBySource(lines, []FundingSource{{Code: "FNPS"}, {Code: "FNA"}, {Code: "FONDO_POVERTA"}})
	if len(by) != 2 || by[0].Source.Code != "FNPS" || by[0].StanziatoCents != 300_000_33 || by[1].Source.Code != "FONDO_POVERTA" {
		t.Errorf("by source %+v", by)
	}
}

func TestIndicatorProgress(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		baseline, target *float64
		value            float64
		want             *float64
	}{
		{nil, f(150), 75, f(50)},
		{f(293), f(353), 323, f(50)},
		{f(40), f(10), 25, f(50)}, // a decreasing target
		{f(10), f(10), 10, nil},
		{f(10), nil, 20, nil},
		{nil, f(300), 451, f(150.3)},
	}
	for _, c := range cases {
		got := IndicatorProgress(c.baseline, c.target, c.value)
		if (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("IndicatorProgress(%v, %v, %v) = %v, want %v", deref(c.baseline), deref(c.target), c.value, deref(got), deref(c.want))
		}
	}
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
