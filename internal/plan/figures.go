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
		return apperr.Invalidf(field, "valore non valido", "invalid value")
	}
	switch ValueKindOf(unit) {
	case CountValue:
		if x < 0 || x != math.Trunc(x) {
			return apperr.Invalidf(field, "un conteggio (%s) è un numero intero non negativo, non %s",
				"a count (%s) is a non-negative whole number, not %s", unit, number(x))
		}
	case PercentValue:
		if x < 0 || x > 100 {
			return apperr.Invalidf(field, "una percentuale è tra 0 e 100, non %s", "a percentage is between 0 and 100, not %s", number(x))
		}
	case EuroValue:
		if x < 0 || math.Abs(x*100-math.Round(x*100)) > 1e-6 {
			return apperr.Invalidf(field, "un importo in euro è non negativo, con al massimo 2 decimali, non %s",
				"an amount in euro is non-negative with at most 2 decimals, not %s", number(x))
		}
	}
	return nil
}

func number(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// checkPeriodInPlan refuses a measurement period outside the plan's years.
func checkPeriodInPlan(field, period string, p Plan) error {
	y, err := strconv.Atoi(period[:min(4, len(period))])
	if err != nil || y < p.StartYear || y > p.EndYear {
		return apperr.Invalidf(field, "il periodo %s è fuori dal piano %d–%d", "period %s is outside the plan %d–%d", period, p.StartYear, p.EndYear)
	}
	return nil
}

// checkYearInPlan refuses an evaluation year outside the plan's years.
func checkYearInPlan(field string, year int, p Plan) error {
	if year < p.StartYear || year > p.EndYear {
		return apperr.Invalidf(field, "l'anno %d è fuori dal piano %d–%d", "year %d is outside the plan %d–%d", year, p.StartYear, p.EndYear)
	}
	return nil
}

// validateFigures checks the indicator's own figures against its unit.
func (in *Indicator) validateFigures() error {
	if err := checkValueForUnit("baseline", in.Unit, in.Baseline); err != nil {
		return err
	}
	return checkValueForUnit("target", in.Unit, in.Target)
}
