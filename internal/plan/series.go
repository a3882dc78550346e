package plan

import (
	"strings"
)

// SortPeriods orders measurements by time rather than as text: within a year the whole year
// comes first, then semesters, quarters and months in calendar order of their start
// (2022, 2022-S1, 2022-Q1, 2022-01, …, 2022-S2, …), so a chart's line runs forward.
func SortPeriods(ms []Measurement) []Measurement {
	out := append([]Measurement(nil), ms...)
	key := func(p string) (string, int, int) {
		year, rest, _ := strings.Cut(p, "-")
		switch {
		case rest == "":
			return year, 0, 0
		case rest[0] == 'S':
			return year, (int(rest[1]-'1'))*6 + 1, 1
		case rest[0] == 'Q':
			return year, (int(rest[1]-'1'))*3 + 1, 2
		default:
			m := int(rest[0]-'0')*10 + int(rest[1]-'0')
			return year, m, 3
		}
	}
	less := func(a, b string) bool {
		ya, ma, ga := key(a)
		yb, mb, gb := key(b)
		if ya != yb {
			return ya < yb
		}
		if ma != mb {
			return ma < mb
		}
		return ga < gb
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(out[j].Period, out[j-1].Period); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
