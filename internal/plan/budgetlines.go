package plan

import (
	"context"
	"fmt"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// BudgetLineInput is one line of an objective's budget.
type BudgetLineInput struct {
	Year           int    `json:"year"`
	SourceCode     string `json:"source_code"`
	StanziatoCents int64  `json:"stanziato_cents"`
	ImpegnatoCents int64  `json:"impegnato_cents"`
	LiquidatoCents int64  `json:"liquidato_cents"`
	Note           string `json:"note"`
}

// maxCents keeps sums far from int64 overflow: a billion euros per line.
const maxCents = 100_000_000_000

// SetBudget replaces an objective's budget with lines, in one transaction: all lines are
// written or none. Allocations (stanziato, and which lines exist) are plan content: free in a
// draft, inside an open amendment once approved. Commitments and payments (impegnato,
// liquidato) are monitoring: recorded whenever the plan is not before the Assemblea.
func (s *Service) SetBudget(ctx context.Context, actor Actor, objectiveID int64, lines []BudgetLineInput) ([]BudgetLine, error) {
	if err := validateBudgetLines("lines", lines); err != nil {
		return nil, err
	}
	var out []BudgetLine
	var touched int64
	err := s.writeIn(ctx, actor, &touched, func(tx *tenancy.Tx) error {
		o, err := findObjective(tx, objectiveID)
		if err != nil {
			return err
		}
		touched = o.PlanID
		if err := knownSources(tx, "lines", lines); err != nil {
			return err
		}
		var current []BudgetLine
		if err := tx.Where("objective_id = ?", objectiveID).Find(&current).Error; err != nil {
			return err
		}
		allocation, spending := budgetChanges(current, lines)
		var amendment *int64
		if allocation {
			if amendment, err = contentGuard(tx, o.PlanID); err != nil {
				return err
			}
		}
		if spending && !allocation {
			if err := monitoringGuard(tx, o.PlanID); err != nil {
				return err
			}
		}
		if err := tx.Where("objective_id = ?", objectiveID).Delete(&BudgetLine{}).Error; err != nil {
			return err
		}
		if out, err = insertBudgetLines(tx, objectiveID, lines); err != nil {
			return err
		}
		if allocation {
			return record(tx, amendment, actor, "budget", objectiveID, "update", map[string]any{"lines": current}, map[string]any{"lines": out})
		}
		return nil
	})
	return out, err
}

// validateBudgetLines checks a whole budget on its own, every line and column at once; list
// names it in the errors' fields (lines[2].year for the API, budget[2].year in an import file).
func validateBudgetLines(list string, lines []BudgetLineInput) error {
	var ps problems
	seen := map[string]bool{}
	for i, l := range lines {
		f := func(name string) string { return fmt.Sprintf("%s[%d].%s", list, i, name) }
		key := fmt.Sprintf("%d/%s", l.Year, l.SourceCode)
		if l.Year < minYear || l.Year > maxYear {
			ps.add(apperr.Invalidf(f("year"), "Indicare l'anno della riga (es. 2022)", "Enter the line's year (e.g. 2022)"))
		}
		switch {
		case strings.TrimSpace(l.SourceCode) == "":
			ps.add(apperr.Invalidf(f("source_code"), "Scegliere la fonte di finanziamento", "Choose the funding source"))
		case seen[key]:
			ps.add(apperr.Invalidf(f("source_code"), "C'è già una riga per l'anno %d e questa fonte: sommare gli importi in una riga", "There is already a line for year %d and this source: add the amounts up in one line", l.Year))
		}
		seen[key] = true
		// Each amount is named on its own, so that the form or the client marks the one at fault.
		for _, a := range []struct {
			field string
			cents int64
		}{{"stanziato_cents", l.StanziatoCents}, {"impegnato_cents", l.ImpegnatoCents}, {"liquidato_cents", l.LiquidatoCents}} {
			switch {
			case a.cents < 0:
				ps.add(apperr.Invalidf(f(a.field), "Gli importi non possono essere negativi", "Amounts cannot be negative"))
			case a.cents > maxCents:
				ps.add(apperr.Invalidf(f(a.field), "Importo fuori scala: al massimo 1 miliardo di euro per riga", "Amount out of range: at most one billion euros a line"))
			}
		}
		if l.LiquidatoCents > l.ImpegnatoCents {
			ps.add(apperr.Invalidf(f("liquidato_cents"), "Il liquidato non può superare l'impegnato", "Paid cannot exceed committed"))
		}
		if len(l.Note) > 1000 {
			ps.add(apperr.Invalidf(f("note"), "La nota è troppo lunga: al massimo 1.000 caratteri", "The note is too long: at most 1,000 characters"))
		}
	}
	return ps.err()
}

// knownSources checks that every line names a funding source of the district's catalogue.
func knownSources(tx *tenancy.Tx, list string, lines []BudgetLineInput) error {
	var sources []string
	if err := tx.Model(&FundingSource{}).Pluck("code", &sources).Error; err != nil {
		return err
	}
	var ps problems
	for i, l := range lines {
		if !contains(sources, l.SourceCode) {
			ps.add(apperr.Invalidf(fmt.Sprintf("%s[%d].source_code", list, i), "La fonte di finanziamento «%s» non è nel catalogo: sceglierne una dall'elenco", "The funding source “%s” is not in the catalogue: choose one from the list", l.SourceCode))
		}
	}
	return ps.err()
}

// insertBudgetLines writes checked lines for an objective.
func insertBudgetLines(tx *tenancy.Tx, objectiveID int64, lines []BudgetLineInput) ([]BudgetLine, error) {
	out := make([]BudgetLine, 0, len(lines))
	for _, l := range lines {
		b := BudgetLine{ObjectiveID: objectiveID, Year: l.Year, SourceCode: l.SourceCode, StanziatoCents: l.StanziatoCents,
			ImpegnatoCents: l.ImpegnatoCents, LiquidatoCents: l.LiquidatoCents, Note: strings.TrimSpace(l.Note)}
		if err := tx.Create(&b).Error; err != nil {
			return nil, storeError(err, "riga di budget")
		}
		out = append(out, b)
	}
	return out, nil
}

// budgetChanges tells whether going from current to next changes allocations (lines added,
// removed, or a different stanziato) and/or spending (impegnato, liquidato).
func budgetChanges(current []BudgetLine, next []BudgetLineInput) (allocation, spending bool) {
	type key struct {
		year   int
		source string
	}
	cur := map[key]BudgetLine{}
	for _, c := range current {
		cur[key{c.Year, c.SourceCode}] = c
	}
	if len(current) != len(next) {
		allocation = true
	}
	for _, n := range next {
		c, ok := cur[key{n.Year, n.SourceCode}]
		if !ok {
			allocation = true
			if n.ImpegnatoCents != 0 || n.LiquidatoCents != 0 {
				spending = true
			}
			continue
		}
		if c.StanziatoCents != n.StanziatoCents {
			allocation = true
		}
		if c.ImpegnatoCents != n.ImpegnatoCents || c.LiquidatoCents != n.LiquidatoCents || c.Note != strings.TrimSpace(n.Note) {
			spending = true
		}
	}
	return allocation, spending
}

// FundingSources lists the funding catalogue.
func (s *Service) FundingSources(ctx context.Context, actor Actor) ([]FundingSource, error) {
	var out []FundingSource
	err := s.read(ctx, actor, func(r *reads) { queueFundingSources(r, &out) })
	return out, err
}
