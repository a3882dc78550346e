package export

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ambiti/ambiti/internal/plan"
)

// utf8BOM makes Excel read the file as UTF-8 instead of the system code page.
const utf8BOM = "\ufeff"

// CSV writes one row per objective with the columns of the Obiettivi sheet: semicolon
// separated, UTF-8 with a BOM, CRLF line ends, amounts as "1.234,56" and percentages as
// "34,0", which is what Excel in an Italian locale opens correctly.
func CSV(w io.Writer, d plan.Dossier) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(utf8BOM); err != nil {
		return fmt.Errorf("export: unable to write the CSV: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write(objectiveColumns); err != nil {
		return fmt.Errorf("export: unable to write the CSV: %w", err)
	}
	for i, o := range d.Objectives {
		r := newObjectiveRow(o, i)
		achievement := ""
		if r.Achievement != nil {
			achievement = strconv.Itoa(*r.Achievement)
		}
		rec := []string{
			strconv.Itoa(r.N),
			csvText(r.Area), csvText(r.Item), csvText(r.Title), csvText(r.Description),
			r.Marker, csvText(r.Target), r.SocioSanitary, csvText(r.Transversal),
			csvText(r.CoDesigned), csvText(r.EconomicResources),
			itEuro(r.Totals.StanziatoCents), itEuro(r.Totals.ImpegnatoCents), itEuro(r.Totals.LiquidatoCents),
			itPct(r.Totals.ImpegnatoPct), itPct(r.Totals.LiquidatoPct),
			achievement, r.ProposedAgain,
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export: unable to write the CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: unable to write the CSV: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: unable to write the CSV: %w", err)
	}
	return nil
}

// csvText keeps free text typed by users from being run as a formula when the file is
// opened in a spreadsheet (CSV injection): a leading = + - @ or control character is
// neutralised with an apostrophe, as OWASP recommends.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
