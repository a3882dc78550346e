package web

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Numbers typed into forms (issue 19): Italians write "75,5" and "1.234,5"; browsers send
// number inputs as "75.5". Both are read, and what could mean two numbers ("1.234": a
// thousand and more, or one and a bit?) is refused with a message saying how to write it,
// never guessed. Amounts in euro have their own reader (ParseAmount), where "1.234" cannot be
// a decimal since cents have two digits.

var (
	errNotNumber = errors.New("not a number")
	errAmbiguous = errors.New("ambiguous number")
)

// parseNumber reads a decimal number: "12", "-3", "12,5", "12.5", "1.234,5", "1.234.567".
// A comma is the decimal mark, dots before it group thousands; without a comma, a single dot
// is the decimal mark unless it is followed by exactly three digits ("1.234": ambiguous), and
// several dots group thousands. "1,234.5" (English grouping) is ambiguous too.
func parseNumber(s string) (float64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
	}
	if s == "" || strings.HasSuffix(s, ",") || strings.HasSuffix(s, ".") {
		return 0, errNotNumber
	}
	intPart, frac := s, ""
	comma, dot := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case comma >= 0 && dot > comma:
		return 0, errAmbiguous
	case comma >= 0:
		if strings.Count(s, ",") > 1 {
			return 0, errNotNumber
		}
		intPart, frac = s[:comma], s[comma+1:]
		if strings.Contains(intPart, ".") {
			if !thousandsOnly(intPart, '.') {
				return 0, errNotNumber
			}
			intPart = strings.ReplaceAll(intPart, ".", "")
		}
	case strings.Count(s, ".") > 1:
		if !thousandsOnly(s, '.') {
			return 0, errNotNumber
		}
		intPart = strings.ReplaceAll(s, ".", "")
	case dot >= 0:
		intPart, frac = s[:dot], s[dot+1:]
		if len(frac) == 3 && thousandsOnly(s, '.') && strings.TrimLeft(intPart, "0") != "" {
			return 0, errAmbiguous
		}
	}
	if intPart == "" {
		intPart = "0"
	}
	if !allDigits(intPart) || (frac != "" && !allDigits(frac)) {
		return 0, errNotNumber
	}
	text := sign + intPart
	if frac != "" {
		text += "." + frac
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, errNotNumber
	}
	return v, nil
}

// numberError is the refusal of what parseNumber could not read: errIT/errEN say what the
// field wants; an ambiguous number says how to write it instead.
func numberError(name, typed string, err error, errIT, errEN string) error {
	if errors.Is(err, errAmbiguous) {
		return invalid(name, "numero ambiguo «"+typed+"»: usare la virgola per i decimali (es. 1234,5 o 1.234,5)",
			"ambiguous number “"+typed+"”: use a comma for decimals (e.g. 1234,5 or 1.234,5)")
	}
	return invalid(name, errIT, errEN)
}
