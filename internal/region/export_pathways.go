package region

import (
	"bytes"

	"github.com/ambiti/ambiti/internal/csvfile"
)

// pathwayColumns are the columns of the pathways' export, in Italian, the same in XLSX and CSV:
// one line per cell of every table (long format), the totals as lines whose district or item
// is "Totale", so that a spreadsheet pivots it back into the page's tables.
var pathwayColumns = []string{"Programma", "Codice programma", "Tabella", "Distretto", "Voce", "Codice voce", "Percorsi"}

const totalText = "Totale"

// pathwayLines are the export's lines, suppressed as the tables are.
func pathwayLines(pw Pathways) [][]any {
	var out [][]any
	for _, pt := range pw.Programmes {
		for _, tb := range []struct {
			name string
			t    LabelledTable
		}{{"Aperti per fase", pt.Open}, {"Chiusi per motivo", pt.Closed}, {"Avviati per anno", pt.Started}} {
			line := func(district string, item, code string, v any) {
				out = append(out, []any{pt.Name, pt.Code, tb.name, district, item, code, v})
			}
			for i, d := range pw.Districts {
				for c, l := range tb.t.Columns {
					line(d.Name, l.Name, l.Code, tb.t.Cells[i][c].Value())
				}
				line(d.Name, totalText, "", tb.t.RowTotals[i].Value())
			}
			for c, l := range tb.t.Columns {
				line(totalText, l.Name, l.Code, tb.t.ColTotals[c].Value())
			}
			line(totalText, totalText, "", tb.t.Total.Value())
		}
	}
	return out
}

// WritePathwaysCSV writes the region's pathways' tables in the product's CSV format.
func WritePathwaysCSV(w *bytes.Buffer, _ string, pw Pathways) error {
	cw := csvfile.NewWriter(w)
	if err := cw.WriteStrings(pathwayColumns); err != nil {
		return err
	}
	for _, l := range pathwayLines(pw) {
		if err := cw.Write(l...); err != nil {
			return err
		}
	}
	return cw.Flush()
}
