package plan

import (
	"math"
	"time"

	"github.com/ambiti/ambiti/internal/apperr"
)

// The ranges of the numeric and date columns (migrations/tenant/00002_piano_di_zona.sql),
// checked before anything is written so that a value beyond them is refused naming its field
// instead of failing in PostgreSQL. docs/security.md lists them.
const (
	// maxPosition bounds objectives.position and indicators.position (integer): the order of a
	// few dozen entries, as the pages allow (1–10,000; 0 asks for the next free position).
	maxPosition = 10_000
	// maxDecimal is the largest magnitude a numeric(14, 2) column holds: indicators.baseline
	// and .target, measurements.value.
	maxDecimal = 999_999_999_999.99
	// minYear and maxYear bound every year and date: plans, budget lines and evaluations
	// (CHECK year BETWEEN 2000 AND 2100), and the meetings' dates.
	minYear, maxYear = 2000, 2100
)

// checkPosition refuses a position outside 0–maxPosition.
func checkPosition(p int) error {
	if p < 0 || p > maxPosition {
		return apperr.Invalidf("position", "La posizione è un numero da 1 a %d (vuota: in fondo all'elenco)", "The position is a number from 1 to %d (empty: at the end of the list)", maxPosition)
	}
	return nil
}

// checkDecimal refuses a value a numeric(14, 2) column cannot hold (NaN and infinities too).
func checkDecimal(field string, v *float64) error {
	if v != nil && !(math.Abs(*v) <= maxDecimal) {
		return apperr.Invalidf(field, "Il valore è fuori scala: al massimo 999.999.999.999,99", "The value is out of range: at most 999,999,999,999.99")
	}
	return nil
}

// checkDate parses a YYYY-MM-DD date within minYear–maxYear.
func checkDate(field, s string) error {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return dateError(field, s)
	}
	if d.Year() < minYear || d.Year() > maxYear {
		return apperr.Invalidf(field, "La data %s è fuori dall'intervallo ammesso (anni %d–%d)", "The date %s is outside the allowed range (years %d–%d)", s, minYear, maxYear)
	}
	return nil
}
