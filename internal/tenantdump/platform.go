package tenantdump

// platformTable is one table of the shared schema and which of its rows are the district's.
// Sessions, logins in progress, the provisioning log and every other district's rows stay
// behind: they belong to the database, not to the district.
type platformTable struct {
	name string
	// rows selects the district's rows; the slug comes from the setting canonical sets.
	rows string
	// slugColumns hold the district's slug: an import under another slug rewrites them.
	slugColumns []string
	// onConflict ends the INSERT on import: rows that may already be there (the region, a
	// person known to several districts) are kept as the target database has them.
	onConflict string
}

// mySlug is the district's slug, as canonical set it for the transaction.
const mySlug = `current_setting('ambiti.dump_slug')`

// identitiesOf are the people the district's platform rows name.
const identitiesOf = `
	SELECT identity_id FROM platform.memberships WHERE domain = ` + mySlug + `
	UNION SELECT substr(v0, 3)::uuid FROM platform.casbin_rules
	      WHERE ptype = 'g' AND v2 = ` + mySlug + ` AND v0 ~ '^u:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
	UNION SELECT granted_by FROM platform.casbin_rules WHERE ptype = 'g' AND v2 = ` + mySlug + `
	UNION SELECT invited_by FROM platform.invitations WHERE domain = ` + mySlug + `
	UNION SELECT bound_to FROM platform.invitations WHERE domain = ` + mySlug

// platformTables in the order an import inserts them (a row after those it references).
var platformTables = []platformTable{
	{name: "regions", rows: `slug = (SELECT region_slug FROM platform.tenants WHERE slug = ` + mySlug + `)`,
		onConflict: `ON CONFLICT (slug) DO NOTHING`},
	{name: "tenants", rows: `slug = ` + mySlug, slugColumns: []string{"slug"}},
	{name: "identities", rows: `id IN (` + identitiesOf + `)`, onConflict: `ON CONFLICT (id) DO NOTHING`},
	{name: "memberships", rows: `domain = ` + mySlug, slugColumns: []string{"domain"}},
	{name: "casbin_rules", rows: `ptype = 'g' AND v2 = ` + mySlug, slugColumns: []string{"v2"},
		onConflict: `ON CONFLICT (ptype, v0, v1, v2, v3, v4, v5) DO NOTHING`},
	{name: "invitations", rows: `domain = ` + mySlug, slugColumns: []string{"domain"}},
	{name: "district_facts", rows: `tenant_slug = ` + mySlug, slugColumns: []string{"tenant_slug"}},
}

func platformTableNamed(name string) (platformTable, bool) {
	for _, t := range platformTables {
		if t.name == name {
			return t, true
		}
	}
	return platformTable{}, false
}
