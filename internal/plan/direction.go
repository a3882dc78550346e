package plan

import (
	"math"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Direction says which values of an indicator are better (issue 19): without it, 25 giorni
// against "entro 30 giorni" read as 83% of the way.
type Direction string

const (
	Higher Direction = "crescente"   // the higher the better (the default)
	Lower  Direction = "decrescente" // the lower the better: "entro 30 giorni"
	Range  Direction = "intervallo"  // on target within target_min..target_max
)

// Directions are all the directions, in the forms' order.
var Directions = []Direction{Higher, Lower, Range}

// validateDirection defaults the direction and checks the range it may need, every field
// at once.
func (in *Indicator) validateDirection() error {
	if in.Direction == "" {
		in.Direction = Higher
	}
	if !contains(Directions, in.Direction) {
		return apperr.Invalidf("direction", "Scegliere la direzione: crescente, decrescente o intervallo", "Choose the direction: crescente, decrescente or intervallo")
	}
	if in.Direction != Range {
		in.TargetMin, in.TargetMax = nil, nil
		return nil
	}
	var ps problems
	if in.TargetMin == nil {
		ps.add(apperr.Invalidf("target_min", "Indicare il minimo dell'intervallo obiettivo", "Enter the lower end of the target range"))
	}
	if in.TargetMax == nil {
		ps.add(apperr.Invalidf("target_max", "Indicare il massimo dell'intervallo obiettivo", "Enter the upper end of the target range"))
	}
	for _, f := range []struct {
		field string
		v     *float64
	}{{"target_min", in.TargetMin}, {"target_max", in.TargetMax}} {
		ps.add(checkDecimal(f.field, f.v), checkValueForUnit(f.field, in.Unit, f.v))
	}
	if in.TargetMin != nil && in.TargetMax != nil && *in.TargetMax < *in.TargetMin {
		ps.add(apperr.Invalidf("target_max", "Il massimo dell'intervallo è minore del minimo", "The upper end of the range is below the lower end"))
	}
	return ps.err()
}

// ProgressOf is how far value has gone towards the indicator's target, in percent with one
// decimal, by its direction: crescente from the baseline (0 when unknown) towards the target
// (may exceed 100); decrescente 100 once at or below the target, otherwise the share of the
// way from the baseline (or target/value without one); intervallo 100 within the range,
// otherwise how close it came to the nearer end. nil when there is nothing to compare with.
func ProgressOf(in Indicator, value float64) *float64 {
	switch in.Direction {
	case Lower:
		if in.Target == nil {
			return nil
		}
		t := *in.Target
		switch {
		case value <= t:
			return pct(1)
		case in.Baseline != nil && *in.Baseline > t:
			return pct((*in.Baseline - value) / (*in.Baseline - t))
		case value > 0 && t > 0:
			return pct(t / value)
		}
		return pct(0)
	case Range:
		if in.TargetMin == nil || in.TargetMax == nil {
			return nil
		}
		lo, hi := *in.TargetMin, *in.TargetMax
		switch {
		case value >= lo && value <= hi:
			return pct(1)
		case value < lo && lo > 0:
			return pct(value / lo)
		case value > hi && value > 0:
			return pct(hi / value)
		}
		return pct(0)
	}
	return IndicatorProgress(in.Baseline, in.Target, value)
}

// pct turns a share into a percentage with one decimal, never below 0.
func pct(share float64) *float64 {
	v := math.Round(math.Max(share, 0)*1000) / 10
	return &v
}
