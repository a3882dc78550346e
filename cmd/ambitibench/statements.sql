-- The raw pgx ceiling's reads: what the server sends to PostgreSQL for a scenario, written out
-- by hand. Keep them in step with the server: when a read path changes (fewer statements,
-- other columns), change its section here, so that "the same statements" stays true.
--
-- A section starts with "-- [scenario key]", followed by "tx" when the server runs the reads in
-- a transaction (sent one by one they are then wrapped in BEGIN … COMMIT, each a round trip,
-- as the server's transaction does; sent at once they are one pgx.Batch: one round trip, an
-- implicit transaction, in which set_config(…, true) holds until its end). Each statement ends
-- with ";" at the end of a line and takes the arguments named by the "-- args:" line before it:
-- schema (the district's, quoted as an identifier), plan (the plan's id), limit (the API's
-- default page, 50), region (the region's slug).

-- [api-list] tx
-- GET /api/v1/plans/{id}/objectives: plan.Service.Objectives, one read batch (tenancy.Scope.Read:
-- the scope, the plan's existence with the count, the window). Sent one by one, the same
-- statements need a transaction for the scope to hold: BEGIN … COMMIT.
-- args: schema
SELECT set_config('search_path', $1, true), set_config('transaction_read_only', 'on', true);
-- args: plan
SELECT (SELECT count(*) FROM objectives o WHERE o.plan_id = $1) FROM plans WHERE id = $1;
-- args: plan, limit, offset
SELECT o.id, o.plan_id, o.position, o.title, o.description, o.area_code, o.item_code, o.marker, o.target,
	o.economic_resources, o.staff_resources, o.transversal, o.transversal_areas, o.socio_sanitary, o.continuity_previous,
	o.co_designed, o.co_design_partners, o.needs, o.process_modalities, o.expected_results, o.impact, o.timing,
	o.premialita, o.created_at, o.updated_at, o.riproposto_da
  FROM objectives o WHERE o.plan_id = $1 ORDER BY o.position, o.id LIMIT nullif($2::bigint, 0) OFFSET $3;

-- [region] tx
-- GET /api/v1/regions/{region}/districts: facts.Store.RegionPage, one platform read batch (the
-- scope, then the region's totals with the first page of its districts in one statement).
-- args: no_schema
SELECT set_config('search_path', $1, true), set_config('transaction_read_only', 'on', true);
-- args: per_page, offset, region
SELECT coalesce(f.districts, 0), coalesce(f.districts_with_plan, 0),
		coalesce(f.objectives, 0), coalesce(f.on_target, 0), coalesce(f.assessed, 0),
		coalesce(f.evaluated, 0), coalesce(f.stanziato_cents, 0),
		coalesce(f.impegnato_cents, 0), coalesce(f.liquidato_cents, 0),
		coalesce(f.meetings, 0), coalesce(f.participants, 0),
		coalesce(f.participants_small, 0), coalesce(f.version, 0),
		d.slug, d.name, d.short_name, d.version, d.summary, d.updated_at
	FROM platform.regions r
	LEFT JOIN platform.region_facts f ON f.region_slug = r.slug
	LEFT JOIN LATERAL (
		SELECT t.slug, t.name, t.short_name, pf.version, (pf.summary - 'areas' - 'budget_by_source')::text AS summary, pf.updated_at
		FROM (SELECT t.slug, t.name, t.short_name FROM platform.tenants t
			WHERE t.region_slug = r.slug AND t.status = 'active'
			ORDER BY t.name, t.slug LIMIT $1 OFFSET $2) t
		LEFT JOIN LATERAL (SELECT pf.version, pf.summary, pf.updated_at FROM platform.district_facts pf
			WHERE pf.tenant_slug = t.slug AND pf.section = 'plan' LIMIT 1) pf ON true) d ON true
	WHERE r.slug = $3
	ORDER BY d.name, d.slug;
