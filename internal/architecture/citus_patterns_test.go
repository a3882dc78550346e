package architecture

import (
	"strings"
	"testing"
)

// The matcher of TestCitusReadySQL on small pieces of SQL: what it must catch and what it must
// let through (the fixed upserts).
func TestCitusPatterns(t *testing.T) {
	cases := []struct {
		name, sql string
		want      []string // substrings of the findings, in order; none means clean
	}{
		{"excluded column", `INSERT INTO m (a, updated_at) VALUES (?, now())
			ON CONFLICT (a) DO UPDATE SET updated_at = excluded.updated_at`, nil},
		{"now in the SET", `INSERT INTO m (a) VALUES (?)
			ON CONFLICT (a) DO UPDATE
			SET b = excluded.b, updated_at = now()`, []string{`x.go:12: non-immutable function in DO UPDATE SET ("now")`}},
		{"standard forms", `INSERT INTO m (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET at = CURRENT_TIMESTAMP, id = gen_random_uuid()`,
			[]string{`"CURRENT_TIMESTAMP"`, `"gen_random_uuid"`}},
		{"now in VALUES and WHERE only", `INSERT INTO m (a, t) VALUES (?, now()) ON CONFLICT (a) DO UPDATE SET t = excluded.t
			WHERE m.t < now() - interval '1 day' RETURNING now()`, nil},
		{"column named like a function", `INSERT INTO m (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET random_seed = excluded.random_seed, nowhere = excluded.nowhere`, nil},
		{"two statements", `INSERT INTO a VALUES (1) ON CONFLICT DO NOTHING; UPDATE m SET t = now()`, nil},
		{"two districts", `SELECT * FROM t_valle_trompia.plans UNION ALL SELECT * FROM t_garda.plans`, []string{"two district schemas (t_valle_trompia, t_garda)"}},
		{"district joined to platform", `SELECT * FROM t_garda.plans p JOIN platform.tenants t ON true`, []string{"joins a district schema's table (t_garda)"}},
		{"one district alone", `SELECT count(*) FROM t_garda.plans`, nil},
	}
	for _, c := range cases {
		var got []string
		checkCitusSQL(c.sql, "x.go", 10, func(s string) { got = append(got, s) })
		if len(got) != len(c.want) {
			t.Errorf("%s: findings %q, want %d", c.name, got, len(c.want))
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%s: finding %q does not contain %q", c.name, got[i], w)
			}
		}
	}
	if !platformFK.MatchString(`tenant_slug text REFERENCES platform.tenants (slug)`) || platformFK.MatchString(`plan_id bigint REFERENCES plans (id)`) {
		t.Error("platformFK does not tell a foreign key to platform from one inside the district")
	}
}
