package tenancy

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// writeCatalogues makes the district schema's municipalities and policy catalogue match the
// definitions. Rows are upserted and only rewritten when a value differs; rows no longer in
// the definitions are deleted (a catalogue entry still referenced elsewhere makes this fail,
// and the whole district transaction with it). tx's search_path is the district schema.
func writeCatalogues(ctx context.Context, tx *gorm.DB, d DistrictDef, c Catalogue) error {
	tx = tx.WithContext(ctx)
	for _, s := range catalogueStatements(d, c) {
		if err := tx.Exec(s.q, s.args...).Error; err != nil {
			return s.fail(err)
		}
	}
	return nil
}

// statement is one SQL statement (GORM's ? placeholders), its arguments, and what it writes,
// for the error.
type statement struct {
	what string
	q    string
	args []any
}

func (s statement) fail(err error) error { return fmt.Errorf("tenancy: %s: %w", s.what, err) }

// catalogueStatements are writeCatalogues' statements, in order: the same whether sent one by
// one (an existing district) or in one batch (a new one, see createDistrict).
func catalogueStatements(d DistrictDef, c Catalogue) []statement {
	var out []statement
	var names []string
	for _, m := range d.Municipalities {
		p := m.Population
		if p == nil {
			p = &Population{}
		}
		out = append(out, statement{fmt.Sprintf("municipality %q", m.Name), upsertMunicipality, []any{
			m.Name, nullable(m.IstatCode), nullable(m.Zone), nullable(d.PopulationReferenceDate), p.Residents, p.Males, p.Females,
			p.Age0to17, p.Age18to64, p.Age65Plus, p.Foreigners, p.ForeignersPct, p.OldAgeIndex}})
		names = append(names, m.Name)
	}
	out = append(out, deleteMissing("municipalities", "name", names))

	var areas, items []string
	for i, a := range c.Areas {
		out = append(out, statement{fmt.Sprintf("policy area %q", a.Code), upsertPolicyArea, []any{a.Code, a.Name, i + 1}})
		areas = append(areas, a.Code)
		for j, it := range a.Items {
			out = append(out, statement{fmt.Sprintf("policy area item %q", it.Code), upsertPolicyAreaItem, []any{it.Code, a.Code, it.Name, j + 1}})
			items = append(items, it.Code)
		}
	}
	return append(out, deleteMissing("policy_area_items", "code", items), deleteMissing("policy_areas", "code", areas))
}

const upsertMunicipality = `
	INSERT INTO municipalities (name, istat_code, zone, population_reference_date, residents, males, females,
	                            age_0_17, age_18_64, age_65_plus, foreigners, foreigners_pct, old_age_index, updated_at)
	VALUES (?, ?, ?, ?::date, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
	ON CONFLICT (name) DO UPDATE
	SET istat_code = excluded.istat_code, zone = excluded.zone, population_reference_date = excluded.population_reference_date,
	    residents = excluded.residents, males = excluded.males, females = excluded.females, age_0_17 = excluded.age_0_17,
	    age_18_64 = excluded.age_18_64, age_65_plus = excluded.age_65_plus, foreigners = excluded.foreigners,
	    foreigners_pct = excluded.foreigners_pct, old_age_index = excluded.old_age_index, updated_at = excluded.updated_at
	WHERE (municipalities.istat_code, municipalities.zone, municipalities.population_reference_date, municipalities.residents,
	       municipalities.males, municipalities.females, municipalities.age_0_17, municipalities.age_18_64,
	       municipalities.age_65_plus, municipalities.foreigners, municipalities.foreigners_pct, municipalities.old_age_index)
	      IS DISTINCT FROM
	      (excluded.istat_code, excluded.zone, excluded.population_reference_date, excluded.residents, excluded.males,
	       excluded.females, excluded.age_0_17, excluded.age_18_64, excluded.age_65_plus, excluded.foreigners,
	       excluded.foreigners_pct, excluded.old_age_index)`

const upsertPolicyArea = `
	INSERT INTO policy_areas (code, name, position) VALUES (?, ?, ?)
	ON CONFLICT (code) DO UPDATE SET name = excluded.name, position = excluded.position
	WHERE (policy_areas.name, policy_areas.position) IS DISTINCT FROM (excluded.name, excluded.position)`

const upsertPolicyAreaItem = `
	INSERT INTO policy_area_items (code, area_code, name, position) VALUES (?, ?, ?, ?)
	ON CONFLICT (code) DO UPDATE SET area_code = excluded.area_code, name = excluded.name, position = excluded.position
	WHERE (policy_area_items.area_code, policy_area_items.name, policy_area_items.position)
	      IS DISTINCT FROM (excluded.area_code, excluded.name, excluded.position)`

// deleteMissing deletes the rows of table whose key is not in keep. table and key are
// constants of this file, never input.
func deleteMissing(table, key string, keep []string) statement {
	return statement{"prune " + table, fmt.Sprintf("DELETE FROM %s WHERE NOT (%s = ANY(?::text[]))", table, key), []any{textArray(keep)}}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// textArray passes a []string as one PostgreSQL text[] parameter (GORM would otherwise expand
// a slice into a list of parameters, and an empty list into invalid SQL).
type textArray []string

func (a textArray) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}
