package region

import (
	"bytes"

	"github.com/xuri/excelize/v2"

	"github.com/ambiti/ambiti/internal/csvfile"
	"github.com/ambiti/ambiti/internal/money"
)

// columns of the regional table, in Italian, the same in XLSX and CSV.
var columns = []string{"Distretto", "Piano", "Stato", "Obiettivi", "Obiettivi in linea", "% in linea",
	"Grado medio di raggiungimento %", "Stanziato €", "Impegnato €", "Liquidato €", "% impegnato", "% liquidato",
	"Incontri di partecipazione", "Partecipanti",
	// Coverage (issue 19): over how many objectives "% in linea" and the grado medio count.
	"Obiettivi valutabili", "Obiettivi valutati"}

func row(s Summary) []any {
	title, status := "", ""
	if s.Plan != nil {
		title, status = s.Plan.Title, s.Plan.Status
	}
	share := num(s.OnTargetShare)
	if s.Assessed == 0 && s.OnTarget == 0 {
		share = "" // nothing to count: not 0%
	}
	return []any{s.Name, title, status, s.Objectives, s.OnTarget, share, num(s.AvgAchievement),
		money.Euros(s.Budget.StanziatoCents), money.Euros(s.Budget.ImpegnatoCents), money.Euros(s.Budget.LiquidatoCents),
		num(s.Budget.ImpegnatoPct), num(s.Budget.LiquidatoPct), s.Participation.Meetings, s.Participation.Participants.Value(),
		s.Assessed, s.Evaluated}
}

func num(p *float64) any {
	if p == nil {
		return ""
	}
	return *p
}

// WriteXLSX writes the region's districts table, with a second sheet per funding source and a
// third with the pathways' tables (the lines of WritePathwaysCSV).
func WriteXLSX(w *bytes.Buffer, region string, ds []Summary, pw Pathways) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Distretti"
	f.SetSheetName("Sheet1", sheet)
	for i, c := range columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sheet, cell, c)
	}
	for r, s := range ds {
		for i, v := range row(s) {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			f.SetCellValue(sheet, cell, v)
		}
	}
	const bySource = "Fonti di finanziamento"
	f.NewSheet(bySource)
	for i, c := range []string{"Distretto", "Fonte", "Stanziato €", "Impegnato €", "Liquidato €", "% impegnato"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(bySource, cell, c)
	}
	r := 2
	for _, s := range ds {
		for _, st := range s.BudgetBySource {
			for i, v := range []any{s.Name, st.Source.Name, money.Euros(st.StanziatoCents), money.Euros(st.ImpegnatoCents), money.Euros(st.LiquidatoCents), num(st.ImpegnatoPct)} {
				cell, _ := excelize.CoordinatesToCellName(i+1, r)
				f.SetCellValue(bySource, cell, v)
			}
			r++
		}
	}
	const pathways = "Percorsi"
	f.NewSheet(pathways)
	for i, c := range pathwayColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(pathways, cell, c)
	}
	for r, l := range pathwayLines(pw) {
		for i, v := range l {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			f.SetCellValue(pathways, cell, v)
		}
	}
	f.SetDocProps(&excelize.DocProperties{Title: "Distretti della regione " + region, Creator: "Ambiti"})
	_, err := f.WriteTo(w)
	return err
}

// WriteCSV writes the districts table in the product's one CSV format (csvfile: ';', UTF-8
// BOM, CRLF, decimal comma), which neutralises the text cells — plan titles are typed by the
// districts and must not run as formulas on a regional officer's desk.
func WriteCSV(w *bytes.Buffer, region string, ds []Summary) error {
	cw := csvfile.NewWriter(w)
	if err := cw.WriteStrings(columns); err != nil {
		return err
	}
	for _, s := range ds {
		if err := cw.Write(row(s)...); err != nil {
			return err
		}
	}
	return cw.Flush()
}
