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
-- GET /api/v1/plans/{id}/objectives: plan.Service.Objectives in a district transaction
-- (tenancy.Scope: BEGIN, the search path, findPlan, the count, the page, COMMIT).
-- args: schema
SELECT set_config('search_path', $1, true);
-- args: plan
SELECT * FROM plans WHERE id = $1;
-- args: plan
SELECT count(*) FROM objectives WHERE plan_id = $1;
-- args: plan, limit
SELECT * FROM objectives WHERE plan_id = $1 ORDER BY position, id LIMIT $2;

-- [region] tx
-- GET /api/v1/regions/{region}/districts: facts.Store.read in a platform transaction.
-- args: region
SELECT t.slug, t.name, t.short_name, f.section, f.version, f.summary::text AS summary, f.updated_at
  FROM platform.tenants t LEFT JOIN platform.district_facts f ON f.tenant_slug = t.slug
 WHERE t.region_slug = $1 AND t.status = 'active' ORDER BY t.name, t.slug;
