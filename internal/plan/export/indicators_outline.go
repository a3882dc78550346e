package export

import "github.com/ambiti/ambiti/internal/plan"

// indicatorBlocks are an objective's indicators, in the Piano di Zona document and in the
// esiti report alike: a table of the indicators with their direction (which values are
// better) and target, then each indicator's series, period by period with source and note.
func indicatorBlocks(inds []plan.Indicator) []block {
	if len(inds) == 0 {
		return nil
	}
	g := block{Kind: grid, Header: []string{"Indicatore", "Tipo", "Unità", "Direzione", "Base", "Target"},
		Numeric: []bool{false, false, false, false, true, true}, Widths: []float64{3.2, 1.3, 0.9, 2, 0.9, 1.1}}
	for _, in := range inds {
		g.Rows = append(g.Rows, []string{in.Name, kindText(in.Kind), in.Unit, directionText(in), number(in.Baseline), targetText(in)})
	}
	out := []block{{Kind: paragraph, Text: "Indicatori"}, g}
	for _, in := range inds {
		out = append(out, block{Kind: paragraph, Text: "Serie dei valori – " + in.Name})
		if len(in.Series) == 0 {
			out = append(out, block{Kind: paragraph, Text: "Nessuna misurazione registrata.", Italic: true})
			continue
		}
		s := block{Kind: grid, Header: []string{"Periodo", "Valore", "Fonte", "Nota"},
			Numeric: []bool{false, true, false, false}, Widths: []float64{1, 1, 2, 3}}
		for _, m := range in.Series {
			s.Rows = append(s.Rows, []string{m.Period, number(&m.Value), m.Source, m.Note})
		}
		out = append(out, s)
	}
	return out
}

// directionText says which values of the indicator are better.
func directionText(in plan.Indicator) string {
	switch in.Direction {
	case plan.Lower:
		return "più basso è meglio"
	case plan.Range:
		if in.TargetMin != nil && in.TargetMax != nil {
			return "entro l'intervallo " + number(in.TargetMin) + "–" + number(in.TargetMax)
		}
		return "entro l'intervallo"
	}
	return "più alto è meglio"
}

// targetText is the target, or the target range of an "intervallo" indicator.
func targetText(in plan.Indicator) string {
	if in.Direction == plan.Range && in.TargetMin != nil && in.TargetMax != nil {
		return number(in.TargetMin) + "–" + number(in.TargetMax)
	}
	return number(in.Target)
}
