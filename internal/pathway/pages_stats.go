package pathway

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/facts"
	"github.com/ambiti/ambiti/internal/route"
	"github.com/ambiti/ambiti/internal/web"
)

// The aggregates of the pathways (the Ufficio di Piano and the coordinator): counts by stage,
// closures by reason, NEET status at start and close, ONS4 means per item; small counts are
// shown as "<5", hidden means as "—". No personal data.

func (pg *pages) statsPages() []route.Route {
	return []route.Route{
		web.PageRoute(http.MethodGet, "/percorsi/statistiche", route.OnDistrict, object, actStats,
			"Percorsi: dati aggregati / Pathways: aggregates", pg.statsPage),
	}
}

// statLine is one labelled cell.
type statLine struct {
	Label, Value string
}

// ons4Line is one item's means.
type ons4Line struct {
	Label, Baseline, Latest string
}

type programmeStatsView struct {
	Name                     string
	Opened, Closed           string
	ByStage, Reasons, NEET   []statLine
	ONS4                     []ons4Line
	ONS4People               string
	MeasuresONS4, MeasuresNE bool
}

func (pg *pages) statsPage(c echo.Context) error {
	st, err := pg.svc.Stats(c.Request().Context(), pg.actor(c))
	if err != nil {
		return err
	}
	p := pg.web.NewPage(c, "pathway.stats.title")
	var out []programmeStatsView
	for _, ps := range st.Programmes {
		prog := pg.svc.programmes[ps.Programme]
		v := programmeStatsView{Name: pg.programmeName(p, ps.Programme), Opened: count(ps.Opened), Closed: count(ps.Closed),
			MeasuresONS4: ps.ONS4 != nil, MeasuresNE: ps.NEET != nil}
		for _, l := range prog.Stages[:len(prog.Stages)-1] {
			v.ByStage = append(v.ByStage, statLine{name(p, l), count(ps.ByStage[l.Code])})
		}
		for _, l := range prog.ClosureReasons {
			if cnt, ok := ps.ClosureReasons[l.Code]; ok {
				v.Reasons = append(v.Reasons, statLine{name(p, l), count(cnt)})
			}
		}
		for k, cnt := range ps.NEET {
			from, to, _ := strings.Cut(k, ">")
			v.NEET = append(v.NEET, statLine{neetLabel(p, from) + " → " + neetLabel(p, to), count(cnt)})
		}
		sort.Slice(v.NEET, func(i, j int) bool { return v.NEET[i].Label < v.NEET[j].Label })
		if ps.ONS4 != nil {
			v.ONS4People = count(ps.ONS4.People)
			for _, f := range ons4Fields {
				v.ONS4 = append(v.ONS4, ons4Line{p.T("pathway.ons4.short." + f), mean(p, ps.ONS4.Baseline[f]), mean(p, ps.ONS4.Latest[f])})
			}
		}
		out = append(out, v)
	}
	p.Data = out
	return pg.web.Render(c, "pathway/stats", p)
}

// count is a cell: the number, or "<5" when suppressed.
func count(c facts.Count) string {
	if v, ok := c.Value().(string); ok {
		return v
	}
	return fmt.Sprint(c.N)
}

// mean is a mean with one decimal, "—" when hidden.
func mean(p *web.Page, v *float64) string {
	if v == nil {
		return "—"
	}
	return p.Format().Number(float64(int(*v*10+0.5)) / 10)
}

func neetLabel(p *web.Page, v string) string {
	if v == "" {
		return "—"
	}
	return p.T("pathway.neet." + v)
}
