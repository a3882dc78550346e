package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/money"
)

// Formatter writes numbers, money and dates the way each language reads them.
type Formatter struct{ lang string }

// style is the language's convention for separators.
func (f Formatter) style() money.Style {
	if f.lang == English {
		return money.English
	}
	return money.Italian
}

// Cents formats an amount in euro cents: "€ 1.234,56" (it), "€1,234.56" (en).
func (f Formatter) Cents(c int64) string {
	if f.lang == English {
		return "€" + f.style().Cents(c)
	}
	return "€ " + f.style().Cents(c)
}

// CentsPlain is an amount as a form shows it: "1234,56" (it), "1234.56" (en); "" for 0.
func (f Formatter) CentsPlain(c int64) string {
	if c == 0 {
		return ""
	}
	return f.style().Plain(c)
}

// Number formats a float with at most two decimals, without trailing zeros.
func (f Formatter) Number(v float64) string { return f.style().Number(v) }

// Pct formats a percentage ("87,5%"); "—" when unknown.
func (f Formatter) Pct(p *float64) string {
	if p == nil {
		return "—"
	}
	return f.Number(*p) + "%"
}

// Date formats a day: 23/11/2026 (it), 23 Nov 2026 (en).
func (f Formatter) Date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if f.lang == English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// DateTime formats a moment to the minute.
func (f Formatter) DateTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if f.lang == English {
		return t.Format("2 Jan 2006, 15:04")
	}
	return t.Format("02/01/2006, 15:04")
}

// ParseAmount reads an amount in euro typed by a person into cents: "1.234,56", "1234,5",
// "1234.56", "1.000" (a thousand, Italian style), "€ 300". "" is zero. ok is false for
// anything else, including more than two decimals.
func ParseAmount(s string) (cents int64, ok bool) {
	s = strings.NewReplacer("€", "", " ", "", "\u00a0", "", "'", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, true
	}
	if strings.HasPrefix(s, "-") {
		return 0, false
	}
	intPart, frac := s, ""
	switch {
	case strings.Contains(s, ","):
		// Italian: dots group thousands, the comma is the decimal mark.
		i := strings.LastIndex(s, ",")
		intPart, frac = strings.ReplaceAll(s[:i], ".", ""), s[i+1:]
	case thousandsOnly(s, '.'):
		intPart = strings.ReplaceAll(s, ".", "")
	case strings.Count(s, ".") == 1:
		intPart, frac, _ = strings.Cut(s, ".")
	}
	if intPart == "" {
		intPart = "0"
	}
	if len(frac) > 2 || !allDigits(intPart) || (frac != "" && !allDigits(frac)) || len(intPart) > 13 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// thousandsOnly reports whether s is digits grouped by sep in threes: 1.000, 12.345.678.
func thousandsOnly(s string, sep byte) bool {
	parts := strings.Split(s, string(sep))
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return allDigits(strings.Join(parts, ""))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
