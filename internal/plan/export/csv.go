package export

import (
	"fmt"
	"io"

	"github.com/ambiti/ambiti/internal/csvfile"
	"github.com/ambiti/ambiti/internal/plan"
)

// CSV writes one row per objective with the columns of the Obiettivi sheet, in the product's
// one CSV format (csvfile: ';', UTF-8 with a BOM, CRLF, amounts as "1.234,56", percentages as
// "34,0"), which also neutralises text that a spreadsheet would run as a formula.
func CSV(w io.Writer, d plan.Dossier) error {
	cw := csvfile.NewWriter(w)
	if err := cw.WriteStrings(objectiveColumns); err != nil {
		return fmt.Errorf("export: unable to write the CSV: %w", err)
	}
	for i, o := range d.Objectives {
		r := newObjectiveRow(o, i)
		var achievement any
		if r.Achievement != nil {
			achievement = *r.Achievement
		}
		err := cw.Write(
			r.N,
			r.Area, r.Item, r.Title, r.Description,
			r.Marker, r.Target, r.SocioSanitary, r.Transversal,
			r.CoDesigned, r.EconomicResources,
			csvfile.Cents(r.Totals.StanziatoCents), csvfile.Cents(r.Totals.ImpegnatoCents), csvfile.Cents(r.Totals.LiquidatoCents),
			pct(r.Totals.ImpegnatoPct), pct(r.Totals.LiquidatoPct),
			achievement, r.ProposedAgain,
		)
		if err != nil {
			return fmt.Errorf("export: unable to write the CSV: %w", err)
		}
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("export: unable to write the CSV: %w", err)
	}
	return nil
}

// pct is a percentage with one decimal ("34,0"), or an empty cell for nil.
func pct(p *float64) any {
	if p == nil {
		return nil
	}
	return csvfile.Decimal{Value: *p, Places: 1}
}
