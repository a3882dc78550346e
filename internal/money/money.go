// Package money writes amounts in euro cents, and the decimal numbers shown beside them, the
// way Italian and English readers expect: "1.234,56" and "1,234.56". Amounts stay integers
// throughout, so that no cent passes through floating point.
//
// It is the one place that formats money: the pages (internal/web) add the euro sign, the CSV
// files (internal/csvfile) write the bare amount, the spreadsheets (internal/plan/export,
// internal/region) take Euros. It depends on nothing of Ambiti's.
package money

import (
	"math"
	"strconv"
	"strings"
)

// Euros is an amount in cents as a number of euros, for the numeric cells of a spreadsheet
// (which format it themselves). It is the one conversion of money to floating point.
func Euros(cents int64) float64 { return float64(cents) / 100 }

// Style is a convention for separators.
type Style struct {
	Thousands string // between groups of three digits
	Decimal   string // before the decimals
}

// The styles of the two languages of Ambiti.
var (
	Italian = Style{Thousands: ".", Decimal: ","}
	English = Style{Thousands: ",", Decimal: "."}
)

// Cents writes an amount in euro cents with grouped thousands and two decimals, without the
// euro sign: "1.234,56", "-1.234,56" (Italian), "1,234.56" (English).
func (s Style) Cents(c int64) string {
	neg := c < 0
	if neg {
		c = -c
	}
	out := s.group(strconv.FormatInt(c/100, 10)) + s.Decimal + twoDigits(c%100)
	if neg {
		out = "-" + out
	}
	return out
}

// Plain writes an amount as a person types it in a form: no thousands separators, and the
// decimals only when there are cents: "1234,56", "1234" (Italian).
func (s Style) Plain(c int64) string {
	out := strconv.FormatInt(c/100, 10)
	if c%100 != 0 {
		out += s.Decimal + twoDigits(c%100)
	}
	return out
}

// Number writes v with grouped thousands and at most two decimals, without trailing zeros:
// "1.234,5", "87" (Italian).
func (s Style) Number(v float64) string {
	neg := v < 0
	v = math.Abs(v)
	intPart, frac, _ := strings.Cut(strconv.FormatFloat(v, 'f', 2, 64), ".")
	frac = strings.TrimRight(frac, "0")
	out := s.group(intPart)
	if frac != "" {
		out += s.Decimal + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// group puts thousands separators into the digits of a non-negative integer.
func (s Style) group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(s.Thousands)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}
