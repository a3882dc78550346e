package main

// The raw pgx ceiling's reads: what the server sends to PostgreSQL for a scenario, written out
// by hand. Keep them in step with the server: when a read path changes (fewer statements,
// other columns), change its entry here, so that "the same statements" stays true.

// stmt is one statement with its arguments, taken from the fixture.
type stmt struct {
	SQL  string
	Args func(f fixture) []any
}

// ceilingRead is a scenario's reads. Sent one by one they are wrapped in BEGIN … COMMIT when
// Tx is set (each a round trip, as the server's transaction does); sent at once they are one
// pgx.Batch (one round trip, an implicit transaction: set_config(…, true) holds until its end).
type ceilingRead struct {
	Tx    bool
	Stmts []stmt
}

// pageLimit is route.Paging's default page, which the API list uses without ?limit=.
const pageLimit = 50

var ceilingReads = map[string]ceilingRead{
	// GET /api/v1/plans/{id}/objectives: plan.Service.Objectives in a district transaction
	// (tenancy.Scope: BEGIN, the search path, findPlan, the count, the page, COMMIT).
	"api-list": {Tx: true, Stmts: []stmt{
		{`SELECT set_config('search_path', $1, true)`, func(f fixture) []any { return []any{`"` + f.Schema + `"`} }},
		{`SELECT * FROM plans WHERE id = $1`, func(f fixture) []any { return []any{f.PlanID} }},
		{`SELECT count(*) FROM objectives WHERE plan_id = $1`, func(f fixture) []any { return []any{f.PlanID} }},
		{`SELECT * FROM objectives WHERE plan_id = $1 ORDER BY position, id LIMIT $2`, func(f fixture) []any { return []any{f.PlanID, pageLimit} }},
	}},
	// GET /api/v1/regions/{region}/districts: facts.Store.read in a platform transaction.
	"region": {Tx: true, Stmts: []stmt{
		{`SELECT t.slug, t.name, t.short_name, f.section, f.version, f.summary::text AS summary, f.updated_at
		FROM platform.tenants t LEFT JOIN platform.district_facts f ON f.tenant_slug = t.slug
		WHERE t.region_slug = $1 AND t.status = 'active' ORDER BY t.name, t.slug`,
			func(fixture) []any { return []any{benchRegion} }},
	}},
}

// roundTrips is how many a read costs sent one by one.
func (r ceilingRead) roundTrips() int {
	n := len(r.Stmts)
	if r.Tx {
		n += 2
	}
	return n
}
