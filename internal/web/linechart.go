package web

import (
	"html"
	"html/template"
	"strings"
)

// LineChart is a small server-side SVG line chart of one series over time (an indicator's
// measurements), with an optional dashed target line. Like BarChart it uses presentation
// attributes only and carries <title> and <desc>; the page shows the figures as a table beside
// it, so the chart adds a shape and never the only copy of a number.
type LineChart struct {
	ID          string // unique in the page: ids of <title> and <desc>
	Title, Desc string
	Labels      []string  // one per point, in time order (the periods)
	Values      []float64 // one per point
	Target      *float64  // drawn as a dashed line, when set
	TargetLabel string
	Format      func(v float64) string
}

const (
	lineWidth  = 640.0
	lineHeight = 200.0
	lineLeft   = 56.0
	lineRight  = 16.0
	lineTop    = 16.0
	lineBottom = 32.0
)

func (l LineChart) format(v float64) string {
	if l.Format != nil {
		return l.Format(v)
	}
	return f1(v)
}

// Empty reports whether there is nothing to draw.
func (l LineChart) Empty() bool { return len(l.Values) == 0 }

// scale is the value range the chart spans: from zero (or the lowest value, when negative) to
// the highest of the values and the target, with some headroom.
func (l LineChart) scale() (lo, hi float64) {
	for _, v := range l.Values {
		lo, hi = min(lo, v), max(hi, v)
	}
	if l.Target != nil {
		lo, hi = min(lo, *l.Target), max(hi, *l.Target)
	}
	if hi == lo {
		hi = lo + 1
	}
	return lo, hi + (hi-lo)*0.1
}

// SVG renders the chart.
func (l LineChart) SVG() template.HTML {
	esc := html.EscapeString
	lo, hi := l.scale()
	plotW, plotH := lineWidth-lineLeft-lineRight, lineHeight-lineTop-lineBottom
	x := func(i int) float64 {
		if len(l.Values) == 1 {
			return lineLeft + plotW/2
		}
		return lineLeft + plotW*float64(i)/float64(len(l.Values)-1)
	}
	y := func(v float64) float64 { return lineTop + plotH*(1-(v-lo)/(hi-lo)) }
	var w strings.Builder
	w.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" viewBox="0 0 ` + f1(lineWidth) + " " + f1(lineHeight) +
		`" aria-labelledby="` + esc(l.ID) + `-t ` + esc(l.ID) + `-d" font-family="Titillium Web, Geneva, Tahoma, sans-serif">`)
	w.WriteString(`<title id="` + esc(l.ID) + `-t">` + esc(l.Title) + `</title>`)
	w.WriteString(`<desc id="` + esc(l.ID) + `-d">` + esc(l.Desc) + `</desc>`)
	// Axes and the scale's two ends.
	w.WriteString(`<line x1="` + f1(lineLeft) + `" y1="` + f1(lineTop) + `" x2="` + f1(lineLeft) + `" y2="` + f1(lineTop+plotH) + `" stroke="` + colourGrid + `"/>`)
	w.WriteString(`<line x1="` + f1(lineLeft) + `" y1="` + f1(lineTop+plotH) + `" x2="` + f1(lineLeft+plotW) + `" y2="` + f1(lineTop+plotH) + `" stroke="` + colourGrid + `"/>`)
	for _, v := range []float64{lo, hi} {
		w.WriteString(`<text x="` + f1(lineLeft-6) + `" y="` + f1(y(v)+5) + `" font-size="13" text-anchor="end" fill="` + colourText + `">` + esc(l.format(v)) + `</text>`)
	}
	if l.Target != nil {
		ty := y(*l.Target)
		w.WriteString(`<line x1="` + f1(lineLeft) + `" y1="` + f1(ty) + `" x2="` + f1(lineLeft+plotW) + `" y2="` + f1(ty) +
			`" stroke="` + ColourOnTarget + `" stroke-width="2" stroke-dasharray="6 4"><title>` + esc(l.TargetLabel+": "+l.format(*l.Target)) + `</title></line>`)
		w.WriteString(`<text x="` + f1(lineLeft+plotW) + `" y="` + f1(ty-5) + `" font-size="13" text-anchor="end" fill="` + ColourOnTarget + `">` +
			esc(l.TargetLabel+" "+l.format(*l.Target)) + `</text>`)
	}
	if len(l.Values) > 1 {
		pts := make([]string, len(l.Values))
		for i, v := range l.Values {
			pts[i] = f1(x(i)) + "," + f1(y(v))
		}
		w.WriteString(`<polyline points="` + strings.Join(pts, " ") + `" fill="none" stroke="` + ColourCount + `" stroke-width="2.5"/>`)
	}
	for i, v := range l.Values {
		label := ""
		if i < len(l.Labels) {
			label = l.Labels[i]
		}
		w.WriteString(`<circle cx="` + f1(x(i)) + `" cy="` + f1(y(v)) + `" r="4.5" fill="` + ColourCount + `"><title>` + esc(label+": "+l.format(v)) + `</title></circle>`)
		w.WriteString(`<text x="` + f1(x(i)) + `" y="` + f1(lineHeight-10) + `" font-size="13" text-anchor="middle" fill="` + colourText + `">` + esc(label) + `</text>`)
	}
	w.WriteString(`</svg>`)
	return template.HTML(w.String())
}
