package web

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A tiny server-side SVG bar chart: horizontal bars grouped by category, one bar per series.
// It uses presentation attributes only (fill=, font-size=), never style=, so the
// Content-Security-Policy needs no exception, and it carries <title> and <desc> for screen
// readers; the page shows the same figures as a table next to it.

// Chart colours: Bootstrap Italia's palette, each at least 3:1 against white (WCAG 1.4.11).
const (
	ColourStanziato = "#5C6F82"
	ColourImpegnato = "#0066CC"
	ColourLiquidato = "#008055"
	ColourCount     = "#0066CC"
	ColourOnTarget  = "#008055"
	colourText      = "#1A1A1A"
	colourGrid      = "#C5C7C9"
)

// Series is one set of values, one per category.
type Series struct {
	Name   string
	Colour string
	Values []float64
}

// BarChart is a grouped horizontal bar chart.
type BarChart struct {
	ID            string // unique in the page: ids of <title> and <desc>
	Title, Desc   string
	CategoryLabel string // heading of the first column of the data table
	Categories    []string
	Series        []Series
	Max           float64                // the scale's end; 0 means the largest value
	Format        func(v float64) string // value labels and table cells
	// Labels, when set, replaces Format for the value of category i in series s (a suppressed
	// count, "—" for no data).
	Labels func(s, i int) string
}

const (
	chartWidth   = 640.0
	chartLeft    = 4.0
	chartRight   = 120.0 // room for value labels
	barHeight    = 16.0
	barGap       = 3.0
	labelHeight  = 21.0
	groupGap     = 10.0
	legendHeight = 30.0
	maxLabelLen  = 75
)

func (b BarChart) label(s, i int) string {
	if b.Labels != nil {
		if l := b.Labels(s, i); l != "" {
			return l
		}
	}
	if b.Format != nil {
		return b.Format(b.Series[s].Values[i])
	}
	return strconv.FormatFloat(b.Series[s].Values[i], 'f', -1, 64)
}

func (b BarChart) max() float64 {
	if b.Max > 0 {
		return b.Max
	}
	m := 0.0
	for _, s := range b.Series {
		for _, v := range s.Values {
			m = max(m, v)
		}
	}
	return m
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// SVG renders the chart.
func (b BarChart) SVG() template.HTML {
	perGroup := labelHeight + float64(len(b.Series))*(barHeight+barGap) + groupGap
	height := legendHeight + float64(len(b.Categories))*perGroup + 4
	span := chartWidth - chartLeft - chartRight
	top := b.max()
	var w strings.Builder
	esc := html.EscapeString
	w.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" viewBox="0 0 ` + f1(chartWidth) + " " + f1(height) +
		`" aria-labelledby="` + esc(b.ID) + `-t ` + esc(b.ID) + `-d" font-family="Titillium Web, Geneva, Tahoma, sans-serif">`)
	w.WriteString(`<title id="` + esc(b.ID) + `-t">` + esc(b.Title) + `</title>`)
	w.WriteString(`<desc id="` + esc(b.ID) + `-d">` + esc(b.Desc) + `</desc>`)
	// Legend.
	x := chartLeft
	for _, s := range b.Series {
		w.WriteString(`<rect x="` + f1(x) + `" y="6" width="14" height="14" fill="` + esc(s.Colour) + `"/>`)
		w.WriteString(`<text x="` + f1(x+19) + `" y="18" font-size="15" fill="` + colourText + `">` + esc(s.Name) + `</text>`)
		x += 19 + 8*float64(utf8.RuneCountInString(s.Name)) + 20
	}
	y := legendHeight
	for i, cat := range b.Categories {
		w.WriteString(`<text x="` + f1(chartLeft) + `" y="` + f1(y+15) + `" font-size="15" font-weight="600" fill="` + colourText + `">` +
			esc(truncateRunes(cat, maxLabelLen)) + `</text>`)
		y += labelHeight
		w.WriteString(`<line x1="` + f1(chartLeft) + `" y1="` + f1(y-1) + `" x2="` + f1(chartLeft) + `" y2="` +
			f1(y+float64(len(b.Series))*(barHeight+barGap)) + `" stroke="` + colourGrid + `"/>`)
		for s, ser := range b.Series {
			v := ser.Values[i]
			bw := 0.0
			if top > 0 && v > 0 {
				bw = span * min(v, top) / top
				bw = max(bw, 1.5)
			}
			w.WriteString(`<rect x="` + f1(chartLeft) + `" y="` + f1(y) + `" width="` + f1(bw) + `" height="` + f1(barHeight) +
				`" fill="` + esc(ser.Colour) + `"><title>` + esc(ser.Name+": "+b.label(s, i)) + `</title></rect>`)
			w.WriteString(`<text x="` + f1(chartLeft+bw+5) + `" y="` + f1(y+barHeight-3) + `" font-size="14" fill="` + colourText + `">` +
				esc(b.label(s, i)) + `</text>`)
			y += barHeight + barGap
		}
		y += groupGap
	}
	w.WriteString(`</svg>`)
	return template.HTML(w.String())
}

// Rows are the chart's figures for its data table: one row per category.
func (b BarChart) Rows() [][]string {
	out := make([][]string, len(b.Categories))
	for i, c := range b.Categories {
		row := []string{c}
		for s := range b.Series {
			row = append(row, b.label(s, i))
		}
		out[i] = row
	}
	return out
}

// Empty reports whether there is nothing to draw.
func (b BarChart) Empty() bool { return len(b.Categories) == 0 }

// BudgetBar is one funding source's money, in cents, as BudgetChart draws it.
type BudgetBar struct {
	Source                          string
	Stanziato, Impegnato, Liquidato int64
}

// BudgetChart draws stanziato, impegnato and liquidato per funding source: the plan's pages
// and the region's district page show the same chart.
func BudgetChart(p *Page, id string, bars []BudgetBar) BarChart {
	f := p.Format()
	c := BarChart{ID: id, Title: p.T("chart.budget.title"), Desc: p.T("chart.budget.desc"), CategoryLabel: p.T("chart.budget.category"),
		Format: func(v float64) string { return f.Cents(int64(v)) }}
	st := Series{Name: p.T("budget.stanziato"), Colour: ColourStanziato}
	im := Series{Name: p.T("budget.impegnato"), Colour: ColourImpegnato}
	li := Series{Name: p.T("budget.liquidato"), Colour: ColourLiquidato}
	for _, b := range bars {
		c.Categories = append(c.Categories, b.Source)
		st.Values = append(st.Values, float64(b.Stanziato))
		im.Values = append(im.Values, float64(b.Impegnato))
		li.Values = append(li.Values, float64(b.Liquidato))
	}
	c.Series = []Series{st, im, li}
	return c
}
