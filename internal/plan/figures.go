package plan

import (
	"math"
	"strconv"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Figures that cannot lie (issue 19): a measurement or an evaluation outside the plan's
// triennium, or a value its unit cannot hold (a count of −3, a percentage of 130), would
// become a headline; they are refused here, in the service, so the API, the pages and the
// import refuse them alike.

// ValueKind is what an indicator's unit allows its values to be.
type ValueKind string

const (
	CountValue   ValueKind = "conteggio"   // a non-negative whole number
	PercentValue ValueKind = "percentuale" // 0–100
	EuroValue    ValueKind = "euro"        // non-negative, cents at most
	FreeValue    ValueKind = "libero"      // any finite number (ore, giorni, punti…)
)

// countUnits are the units that count people or things: a value is a whole number ≥ 0.
var countUnits = map[string]bool{"n": true, "n.": true, "nr": true, "nr.": true, "num": true, "num.": true, "numero": true,
	"persone": true, "utenti": true, "posti": true, "famiglie": true, "nuclei": true, "progetti": true, "servizi": true}

// ValueKindOf is the kind of values a unit allows; units not listed are free but finite.
func ValueKindOf(unit string) ValueKind {
	u := strings.ToLower(strings.TrimSpace(unit))
	switch {
	case countUnits[u]:
		return CountValue
	case u == "%" || u == "percentuale" || u == "per cento":
		return PercentValue
	case u == "€" || u == "euro" || u == "eur":
		return EuroValue
	}
	return FreeValue
}

// checkValueForUnit refuses a value the unit cannot hold, naming field.
func checkValueForUnit(field, unit string, v *float64) error {
	if v == nil {
		return nil
	}
	x := *v
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return apperr.Invalidf(field, "Il valore non è un numero valido", "The value is not a valid number")
	}
	switch ValueKindOf(unit) {
	case CountValue:
		if x < 0 || x != math.Trunc(x) {
			return apperr.Invalidf(field, "L'unità è un conteggio (%s): il valore è un numero intero non negativo, non %s",
				"The unit is a count (%s): the value is a non-negative whole number, not %s", unit, number(x))
		}
	case PercentValue:
		if x < 0 || x > 100 {
			return apperr.Invalidf(field, "Una percentuale va da 0 a 100, non %s", "A percentage goes from 0 to 100, not %s", number(x))
		}
	case EuroValue:
		if x < 0 || math.Abs(x*100-math.Round(x*100)) > 1e-6 {
			return apperr.Invalidf(field, "Un importo in euro non è negativo e ha al massimo 2 decimali, non %s",
				"An amount in euro is not negative and has at most 2 decimals, not %s", number(x))
		}
	}
	return nil
}

func number(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// checkPeriodInPlan refuses a measurement period outside the plan's years.
func checkPeriodInPlan(field, period string, p Plan) error {
	y, err := strconv.Atoi(period[:min(4, len(period))])
	if err != nil || y < p.StartYear || y > p.EndYear {
		return apperr.Invalidf(field, "Il periodo deve essere compreso nel triennio %d–%d del piano, non %s", "The period must fall within the plan's years %d–%d, not %s", p.StartYear, p.EndYear, period)
	}
	return nil
}

// checkYearInPlan refuses an evaluation year outside the plan's years.
func checkYearInPlan(field string, year int, p Plan) error {
	if year < p.StartYear || year > p.EndYear {
		return apperr.Invalidf(field, "L'anno deve essere compreso nel triennio %d–%d del piano, non %d", "The year must fall within the plan's years %d–%d, not %d", p.StartYear, p.EndYear, year)
	}
	return nil
}

// validateFigures checks the indicator's own figures against its unit.
func (in *Indicator) validateFigures() error {
	return apperr.Join(checkValueForUnit("baseline", in.Unit, in.Baseline), checkValueForUnit("target", in.Unit, in.Target))
}
