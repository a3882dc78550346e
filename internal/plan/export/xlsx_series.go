package export

import "github.com/ambiti/ambiti/internal/plan"

// sheetSeries lists every measurement of every indicator: the whole series, period by period,
// with source and note, so the workbook carries what the Indicatori sheet sums up as the
// latest value.
const sheetSeries = "Serie"

var seriesColumns = []string{"N.", "Obiettivo", "Indicatore", "Unità", "Periodo", "Valore", "Fonte", "Nota", "Target"}

func writeSeriesSheet(x *workbook, d plan.Dossier) error {
	t, err := x.table(sheetSeries, seriesColumns, []float64{5, 40, 50, 10, 12, 12, 30, 40, 12})
	if err != nil {
		return err
	}
	for i, o := range d.Objectives {
		for _, ind := range o.Indicators {
			for _, m := range ind.Series {
				if err := t.add(objectiveNumber(o, i), o.Title, ind.Name, ind.Unit, m.Period, m.Value,
					m.Source, m.Note, num(ind.Target)); err != nil {
					return err
				}
			}
		}
	}
	return t.filter(len(seriesColumns))
}
