package plan

import (
	"strings"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// fillSeries sets each indicator's whole series of measurements (all periods, with source and
// note), in one query for all the indicators: the objective sheet draws and tabulates it and
// the workbook files it, so a correction of 2022 is not hidden behind the latest value.
func fillSeries(tx *tenancy.Tx, inds []Indicator) error {
	if len(inds) == 0 {
		return nil
	}
	ids := make([]int64, len(inds))
	for i, in := range inds {
		ids[i] = in.ID
	}
	var ms []Measurement
	if err := tx.Where("indicator_id IN ?", ids).Order("indicator_id, period, recorded_at, id").Find(&ms).Error; err != nil {
		return err
	}
	by := map[int64][]Measurement{}
	for _, m := range ms {
		by[m.IndicatorID] = append(by[m.IndicatorID], m)
	}
	for i := range inds {
		inds[i].Series = SortPeriods(by[inds[i].ID])
	}
	return nil
}

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
