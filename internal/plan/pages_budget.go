package plan

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/web"
)

// budgetRow is one line of the budget form.
type budgetRow struct {
	Number                                              int // 1-based, for labels
	Year, Source, Stanziato, Impegnato, Liquidato, Note web.Field
}

type budgetForm struct {
	Detail ObjectiveDetail
	Plan   Plan
	Rows   []budgetRow
}

var budgetColumns = []string{"year", "source_code", "stanziato", "impegnato", "liquidato", "note"}

// budgetErrKey is the name the service gives a column in its errors.
func budgetErrKey(i int, col string) string {
	switch col {
	case "stanziato", "impegnato", "liquidato":
		col += "_cents"
	}
	return fmt.Sprintf("lines[%d].%s", i, col)
}

func (pg *pages) budgetRows(p *web.Page, v url.Values, sources []FundingSource) []budgetRow {
	n := 0
	for _, col := range budgetColumns {
		n = max(n, len(v[col]))
	}
	opts := []web.Option{{Value: "", Label: p.T("form.choose")}}
	for _, s := range sources {
		opts = append(opts, web.Option{Value: s.Code, Label: s.Name})
	}
	rows := make([]budgetRow, n)
	for i := range rows {
		cell := func(col, labelKey string, more ...string) web.Field {
			f := web.Field{ID: web.FieldID(budgetErrKey(i, col)), Name: col, Type: "text", Hidden: true,
				Label: p.T(labelKey) + " — " + p.T("budget.row", i+1), Error: p.ErrorFor(budgetErrKey(i, col))}
			if i < len(v[col]) {
				f.Value = v[col][i]
			}
			for _, m := range more {
				k, val, _ := strings.Cut(m, "=")
				switch k {
				case "inputmode":
					f.InputMode = val
				case "type":
					f.Type = val
				}
			}
			return f
		}
		r := budgetRow{Number: i + 1,
			Year:      cell("year", "budget.year", "inputmode=numeric"),
			Source:    cell("source_code", "budget.source"),
			Stanziato: cell("stanziato", "budget.stanziato", "inputmode=decimal"),
			Impegnato: cell("impegnato", "budget.impegnato", "inputmode=decimal"),
			Liquidato: cell("liquidato", "budget.liquidato", "inputmode=decimal"),
			Note:      cell("note", "budget.note"),
		}
		r.Source.Type = "select"
		r.Source.Options = web.MarkSelected(opts, r.Source.Value)
		rows[i] = r
	}
	return rows
}

// padBudget adds empty lines so that the form always offers some room.
func padBudget(v url.Values, atLeast, extra int) {
	n := len(v["year"])
	want := max(atLeast, n+extra)
	for ; n < want; n++ {
		for _, col := range budgetColumns {
			v[col] = append(v[col], "")
		}
	}
}

func (pg *pages) budgetPage(c echo.Context) (*web.Page, ObjectiveDetail, Plan, []FundingSource, error) {
	d, pl, err := pg.objectiveContext(c)
	if err != nil {
		return nil, d, pl, nil, err
	}
	sources, err := pg.svc.FundingSources(c.Request().Context(), pg.actor(c))
	if err != nil {
		return nil, d, pl, nil, err
	}
	p := pg.web.NewPage(c, "page.budget.title")
	p.Crumbs = objectiveCrumbs(p, pl, &d.Objective)
	return p, d, pl, sources, nil
}

func (pg *pages) budgetEdit(c echo.Context) error {
	p, d, pl, sources, err := pg.budgetPage(c)
	if err != nil {
		return err
	}
	f := p.Format()
	v := url.Values{}
	for _, l := range d.Budget {
		v["year"] = append(v["year"], strconv.Itoa(l.Year))
		v["source_code"] = append(v["source_code"], l.SourceCode)
		v["stanziato"] = append(v["stanziato"], f.CentsPlain(l.StanziatoCents))
		v["impegnato"] = append(v["impegnato"], f.CentsPlain(l.ImpegnatoCents))
		v["liquidato"] = append(v["liquidato"], f.CentsPlain(l.LiquidatoCents))
		v["note"] = append(v["note"], l.Note)
	}
	padBudget(v, 3, 1)
	p.Form = &web.Form{Values: v}
	p.Data = budgetForm{Detail: d, Plan: pl, Rows: pg.budgetRows(p, v, sources)}
	return pg.web.Render(c, "plan/budget_form", p)
}

func (pg *pages) budgetSave(c echo.Context) error {
	p, d, pl, sources, err := pg.budgetPage(c)
	if err != nil {
		return err
	}
	v, err := web.FormValues(c)
	if err != nil {
		return err
	}
	if v.Get("azione") == "riga" {
		// "Add a line" without JavaScript: the same form with one more empty line.
		padBudget(v, 1, 1)
		p.Form = &web.Form{Values: v}
		p.Data = budgetForm{Detail: d, Plan: pl, Rows: pg.budgetRows(p, v, sources)}
		return pg.web.Render(c, "plan/budget_form", p)
	}
	lines, rowOf, err := budgetLines(v)
	if err == nil {
		_, err = pg.svc.SetBudget(c.Request().Context(), pg.actor(c), d.ID, lines)
		err = ordered(budgetErrorToRow(err, rowOf), budgetOrder(len(v["year"])))
	}
	if err != nil {
		padBudget(v, 1, 0)
		p.Form = &web.Form{Values: v}
		if e, ok := apperr.As(err); ok {
			p.Form.Err = e // before the rows are built: each row shows its own error
		}
		p.Data = budgetForm{Detail: d, Plan: pl, Rows: pg.budgetRows(p, v, sources)}
		return pg.web.FailForm(c, "plan/budget_form", p, v, err)
	}
	return web.SeeOther(c, fmt.Sprintf("/obiettivi/%d#budget", d.ID), "budget_saved")
}

// budgetLines reads the lines of the form, skipping empty ones; rowOf maps a line's index to
// the form row it came from, so that the service's errors land on the right row. The error
// lists every cell it could not read, with what else is wrong with the lines it read.
func budgetLines(v url.Values) ([]BudgetLineInput, []int, error) {
	get := func(col string, i int) string {
		if i < len(v[col]) {
			return strings.TrimSpace(v[col][i])
		}
		return ""
	}
	n := 0
	for _, col := range budgetColumns {
		n = max(n, len(v[col]))
	}
	var lines []BudgetLineInput
	var rowOf []int
	var ps problems
	for i := range n {
		blank := true
		for _, col := range budgetColumns {
			blank = blank && get(col, i) == ""
		}
		if blank {
			continue
		}
		l := BudgetLineInput{SourceCode: get("source_code", i), Note: get("note", i)}
		y, err := strconv.Atoi(get("year", i))
		switch {
		case get("year", i) == "":
			ps.add(apperr.Invalidf(budgetErrKey(i, "year"), "Indicare l'anno della riga (es. 2022)", "Enter the line's year (e.g. 2022)"))
		case err != nil:
			ps.add(apperr.Invalidf(budgetErrKey(i, "year"), "L'anno è un numero di quattro cifre (es. 2022)", "The year is a four-digit number (e.g. 2022)"))
		}
		l.Year = y
		for _, a := range []struct {
			col string
			dst *int64
		}{{"stanziato", &l.StanziatoCents}, {"impegnato", &l.ImpegnatoCents}, {"liquidato", &l.LiquidatoCents}} {
			cents, ok := web.ParseAmount(get(a.col, i))
			if !ok {
				ps.add(apperr.Invalidf(budgetErrKey(i, a.col), "Scrivere l'importo in euro, es. 1.234,56", "Write the amount in euro, e.g. 1234.56"))
			}
			*a.dst = cents
		}
		lines = append(lines, l)
		rowOf = append(rowOf, i)
	}
	if ps.err() != nil {
		// What else is wrong with the lines read (their own checks, by form row).
		ps.add(budgetErrorToRow(validateBudgetLines("lines", lines), rowOf))
		return nil, nil, ordered(ps.err(), budgetOrder(n))
	}
	return lines, rowOf, nil
}

// budgetOrder is the order of the budget form's cells, row by row.
func budgetOrder(rows int) []string {
	var out []string
	for i := range rows {
		for _, col := range budgetColumns {
			out = append(out, budgetErrKey(i, col))
		}
	}
	return out
}

// budgetErrorToRow renames lines[i].x (the i-th line sent) to the form row it came from, in
// every refusal.
func budgetErrorToRow(err error, rowOf []int) error {
	return mapFields(err, func(field string) string {
		idx, rest, ok := strings.Cut(strings.TrimPrefix(field, "lines["), "]")
		if i, convErr := strconv.Atoi(idx); ok && strings.HasPrefix(field, "lines[") && convErr == nil && i >= 0 && i < len(rowOf) {
			return fmt.Sprintf("lines[%d]%s", rowOf[i], rest)
		}
		return field
	})
}
