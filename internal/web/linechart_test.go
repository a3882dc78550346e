package web

import (
	"strings"
	"testing"
)

func TestLineChartIsAccessibleSVGWithoutStyles(t *testing.T) {
	target := 30.0
	c := LineChart{ID: "s1", Title: "Accessi <al> servizio", Desc: "Serie & target", Labels: []string{"2021", "2022", "2023"},
		Values: []float64{10, 22, 12}, Target: &target, TargetLabel: "Target",
		Format: func(v float64) string { return Formatter{Italian}.Number(v) }}
	svg := string(c.SVG())
	for _, want := range []string{`role="img"`, `aria-labelledby="s1-t s1-d"`, `<title id="s1-t">Accessi &lt;al&gt; servizio</title>`,
		`<desc id="s1-d">Serie &amp; target</desc>`, "<polyline", `stroke-dasharray`, "<title>2022: 22</title>", ">2023<", "Target 30"} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "style") {
		t.Error("the SVG uses style, which the CSP forbids")
	}
	if (LineChart{}).Empty() != true || c.Empty() {
		t.Error("Empty is wrong")
	}
	one := LineChart{ID: "s2", Labels: []string{"2022"}, Values: []float64{5}}
	if s := string(one.SVG()); strings.Contains(s, "<polyline") || !strings.Contains(s, "<circle") {
		t.Errorf("a single point is a dot, not a line: %s", s)
	}
}
