package plan

import (
	"fmt"
	"sort"
	"strings"
)

// FieldDiff is one figure or field an amendment's change moves from Before to After, so the
// Assemblea reads "Stanziato 2024 · FNPS: 10.000,00 € → 12.500,00 €", not "budget #57 —
// modificato". Before is nil for what the change creates, After for what it deletes.
type FieldDiff struct {
	Field  string `json:"field"` // the JSON name: title, target, stanziato_cents…
	Row    string `json:"row"`   // a budget line's "2024 · FNPS"; "" elsewhere
	Kind   string `json:"kind"`  // text, number, cents, bool
	Known  bool   `json:"-"`     // the pages have a label for Field (DiffFields)
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Label names a change's subject: an objective's or indicator's title, an assignment's
// activity, as it was before (or after, for a creation).
func (c Change) Label() string {
	for _, m := range []map[string]any{c.After, c.Before} {
		for _, k := range []string{"title", "name", "activity"} {
			if s, ok := m[k].(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// ignoredFields are bookkeeping, not content the Assemblea decides on.
var ignoredFields = map[string]bool{"id": true, "plan_id": true, "objective_id": true, "created_at": true,
	"updated_at": true, "latest": true, "progress_pct": true, "bound_values": true, "objective_title": true,
	"partner_id": true, "area_name": true}

// fieldOrder puts the fields in the order of the objective sheet and the forms; others follow
// alphabetically.
var fieldOrder = []string{"title", "name", "activity", "partner_name", "kind", "area_code", "item_code", "marker",
	"description", "unit", "baseline", "baseline_note", "target", "position"}

// DiffFields are the fields the pages name in words (diff_field.<field>); another shows as is.
var DiffFields = []string{"title", "name", "activity", "partner_name", "kind", "area_code", "item_code", "marker",
	"description", "unit", "baseline", "baseline_note", "target", "position", "economic_resources", "staff_resources",
	"transversal", "transversal_areas", "socio_sanitary", "continuity_previous", "co_designed", "co_design_partners",
	"needs", "process_modalities", "expected_results", "impact", "timing", "premialita", "binding.programme",
	"binding.figure", "stanziato_cents", "impegnato_cents", "liquidato_cents", "total_stanziato_cents"}

// Diff lists what the change moves, field by field (a budget: line by line, and the total).
func (c Change) Diff() []FieldDiff {
	if c.Entity == "budget" {
		return budgetDiff(c.Before, c.After)
	}
	before, after := flatten(c.Before), flatten(c.After)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	var out []FieldDiff
	for _, k := range orderedKeys(keys) {
		b, a := before[k], after[k]
		if ignoredFields[k] || same(b, a) || (c.Before == nil && empty(a)) || (c.After == nil && empty(b)) {
			continue
		}
		out = append(out, FieldDiff{Field: k, Kind: kindOf(k, b, a), Known: contains(DiffFields, k), Before: orNil(c.Before != nil, b), After: orNil(c.After != nil, a)})
	}
	return out
}

func orNil(present bool, v any) any {
	if !present {
		return nil
	}
	return v
}

func orderedKeys(keys map[string]bool) []string {
	var out []string
	for _, k := range fieldOrder {
		if keys[k] {
			out = append(out, k)
			delete(keys, k)
		}
	}
	var rest []string
	for k := range keys {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// flatten turns nested values (an indicator's binding) into "binding.figure" keys.
func flatten(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			for sk, sv := range sub {
				out[k+"."+sk] = sv
			}
			continue
		}
		out[k] = v
	}
	return out
}

func same(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	}
	return false
}

func kindOf(k string, vs ...any) string {
	if strings.HasSuffix(k, "_cents") {
		return "cents"
	}
	for _, v := range vs {
		switch v.(type) {
		case float64:
			return "number"
		case bool:
			return "bool"
		case string:
			return "text"
		}
	}
	return "text"
}

// budgetLine is a budget line as recorded in a change (JSON numbers are float64).
type budgetLineFigures struct{ stanziato, impegnato, liquidato float64 }

func changedBudgetLines(m map[string]any) (map[string]budgetLineFigures, []string) {
	out := map[string]budgetLineFigures{}
	var order []string
	ls, _ := m["lines"].([]any)
	for _, l := range ls {
		lm, ok := l.(map[string]any)
		if !ok {
			continue
		}
		year, _ := lm["year"].(float64)
		src, _ := lm["source_code"].(string)
		key := fmt.Sprintf("%d · %s", int(year), src)
		f := func(k string) float64 { v, _ := lm[k].(float64); return v }
		if _, seen := out[key]; !seen {
			order = append(order, key)
		}
		out[key] = budgetLineFigures{f("stanziato_cents"), f("impegnato_cents"), f("liquidato_cents")}
	}
	return out, order
}

// budgetDiff compares an objective's budget line by line (year · source) and adds the
// total allocated before and after.
func budgetDiff(before, after map[string]any) []FieldDiff {
	b, bo := changedBudgetLines(before)
	a, ao := changedBudgetLines(after)
	rows := append([]string{}, bo...)
	for _, k := range ao {
		if _, ok := b[k]; !ok {
			rows = append(rows, k)
		}
	}
	sort.Strings(rows)
	var out []FieldDiff
	var tb, ta float64
	for _, r := range rows {
		x, hadB := b[r]
		y, hasA := a[r]
		tb += x.stanziato
		ta += y.stanziato
		for _, f := range []struct {
			field string
			x, y  float64
		}{{"stanziato_cents", x.stanziato, y.stanziato}, {"impegnato_cents", x.impegnato, y.impegnato}, {"liquidato_cents", x.liquidato, y.liquidato}} {
			if hadB && hasA && f.x == f.y || !hadB && f.y == 0 || !hasA && f.x == 0 {
				continue
			}
			d := FieldDiff{Field: f.field, Row: r, Kind: "cents", Known: true}
			if hadB {
				d.Before = f.x
			}
			if hasA {
				d.After = f.y
			}
			out = append(out, d)
		}
	}
	if tb != ta {
		out = append(out, FieldDiff{Field: "total_stanziato_cents", Kind: "cents", Known: true, Before: tb, After: ta})
	}
	return out
}

// PendingBudget is what the amendment in progress does to the plan's allocation: the
// allocation the Assemblea approved (before its first change of each objective's budget)
// and the one it proposes (after its last), in cents, over the objectives it touches.
func (a Amendment) PendingBudget() (approved, proposed int64, touched bool) {
	first := map[int64]map[string]any{}
	last := map[int64]map[string]any{}
	for _, c := range a.Changes {
		if c.Entity != "budget" {
			continue
		}
		if _, ok := first[c.EntityID]; !ok {
			first[c.EntityID] = c.Before
		}
		last[c.EntityID] = c.After
	}
	total := func(m map[string]any) (t int64) {
		ls, _ := changedBudgetLines(m)
		for _, l := range ls {
			t += int64(l.stanziato)
		}
		return t
	}
	for id := range first {
		approved += total(first[id])
		proposed += total(last[id])
	}
	return approved, proposed, len(first) > 0
}

// DiffValue is one side of a FieldDiff ready for a template, which formats it by Kind.
type DiffValue struct {
	Kind    string
	Present bool
	Cents   int64
	Number  float64
	Bool    bool
	Text    string
}

// diffValue prepares v (a JSON value) for the "diff-value" template.
func diffValue(kind string, v any) DiffValue {
	d := DiffValue{Kind: kind, Present: v != nil}
	switch x := v.(type) {
	case float64:
		d.Number, d.Cents = x, int64(x)
	case bool:
		d.Bool = x
	case string:
		d.Text = x
	case nil:
	default:
		d.Text = fmt.Sprint(x)
	}
	if kind == "text" && d.Text == "" && v != nil {
		d.Text = fmt.Sprint(v)
	}
	return d
}
