-- Per-region rollups of the district facts (issue 21): the region's totals, kept by adding each
-- change's difference in the same transaction as the change, so that the regional summary is
-- one row whatever the number of districts, instead of every district's facts decoded.
-- Runs with search_path = platform; the functions name every table in full, because the
-- triggers fire in district transactions too (Refresh runs with the district's search_path).
--
-- A district counts in its region while it is active. Its figures are those of its plan
-- section in version 1 (what the regional reader decodes; another version counts nothing,
-- like a district without a plan). Everything that changes a region's totals fires here:
-- a district's facts written or rewritten (a feature's write, `ambiti facts rebuild`), a
-- district created, suspended, reactivated, moved to another region or removed. Counts of
-- people are stored raw, with the number of districts whose own count the regional table
-- hides, so that the reader can suppress the region's total (internal/facts/region.go).

-- +goose Up
CREATE TABLE region_facts (
    region_slug          text PRIMARY KEY REFERENCES regions (slug) ON DELETE CASCADE,
    districts            integer NOT NULL DEFAULT 0, -- active districts
    districts_with_plan  integer NOT NULL DEFAULT 0,
    objectives           integer NOT NULL DEFAULT 0,
    on_target            integer NOT NULL DEFAULT 0,
    assessed             integer NOT NULL DEFAULT 0,
    evaluated            integer NOT NULL DEFAULT 0,
    stanziato_cents      bigint NOT NULL DEFAULT 0,
    impegnato_cents      bigint NOT NULL DEFAULT 0,
    liquidato_cents      bigint NOT NULL DEFAULT 0,
    meetings             integer NOT NULL DEFAULT 0,
    participants         integer NOT NULL DEFAULT 0, -- raw: suppress it
    participants_small   integer NOT NULL DEFAULT 0, -- districts whose participants show "<5"
    version              bigint NOT NULL DEFAULT 0   -- bumped by every change: a cache key
);

-- The active districts of a region by name: a page of the regional table reads only its rows.
CREATE INDEX tenants_region_name_idx ON tenants (region_slug, name, slug) WHERE status = 'active';

-- region_facts_add adds sign × (a district, when districts is 1, and) the figures of a plan
-- summary (version 1; NULL or another version adds none) to region's totals: one upsert that
-- adds the difference, so concurrent writers of one region queue on its row for the rest of
-- their transaction and never lose each other's change.
-- +goose StatementBegin
CREATE FUNCTION region_facts_add(region text, sign integer, districts integer, summary jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    p integer := coalesce((summary #>> '{participation,participants}')::integer, 0);
BEGIN
    INSERT INTO platform.region_facts AS r (region_slug, districts, districts_with_plan, objectives, on_target, assessed, evaluated,
        stanziato_cents, impegnato_cents, liquidato_cents, meetings, participants, participants_small, version)
    VALUES (region, sign * districts,
        sign * (CASE WHEN jsonb_typeof(summary -> 'plan') = 'object' THEN 1 ELSE 0 END),
        sign * coalesce((summary ->> 'objectives')::integer, 0),
        sign * coalesce((summary ->> 'objectives_on_target')::integer, 0),
        sign * coalesce((summary ->> 'objectives_assessed')::integer, 0),
        sign * coalesce((summary ->> 'objectives_evaluated')::integer, 0),
        sign * coalesce((summary #>> '{budget,stanziato_cents}')::bigint, 0),
        sign * coalesce((summary #>> '{budget,impegnato_cents}')::bigint, 0),
        sign * coalesce((summary #>> '{budget,liquidato_cents}')::bigint, 0),
        sign * coalesce((summary #>> '{participation,meetings}')::integer, 0),
        sign * p,
        sign * (CASE WHEN p BETWEEN 1 AND 4 THEN 1 ELSE 0 END),
        1)
    ON CONFLICT (region_slug) DO UPDATE SET
        districts = r.districts + excluded.districts,
        districts_with_plan = r.districts_with_plan + excluded.districts_with_plan,
        objectives = r.objectives + excluded.objectives,
        on_target = r.on_target + excluded.on_target,
        assessed = r.assessed + excluded.assessed,
        evaluated = r.evaluated + excluded.evaluated,
        stanziato_cents = r.stanziato_cents + excluded.stanziato_cents,
        impegnato_cents = r.impegnato_cents + excluded.impegnato_cents,
        liquidato_cents = r.liquidato_cents + excluded.liquidato_cents,
        meetings = r.meetings + excluded.meetings,
        participants = r.participants + excluded.participants,
        participants_small = r.participants_small + excluded.participants_small,
        version = r.version + 1;
END
$$;
-- +goose StatementEnd

-- The plan summary a district's totals come from: its plan section in version 1, or NULL.
-- +goose StatementBegin
CREATE FUNCTION region_facts_plan(slug text) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT summary FROM platform.district_facts WHERE tenant_slug = slug AND section = 'plan' AND version = 1
$$;
-- +goose StatementEnd

-- A district's facts changed: take the old figures away from its region and add the new ones,
-- when the district is active (an inactive one counts nowhere; the tenants trigger adds its
-- figures back when it is reactivated). A removed district's rows go by cascade after its
-- tenants row, which the tenants trigger has already accounted for: it is found no more here.
-- +goose StatementBegin
CREATE FUNCTION region_facts_follow_facts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    region text;
BEGIN
    -- FOR SHARE: a move or a suspension of this district waits for this transaction, and
    -- this one for theirs, so that the figures taken away from a region are the ones that were
    -- added to it (each trigger reads what the other committed).
    SELECT t.region_slug INTO region FROM platform.tenants t
        WHERE t.slug = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_slug ELSE NEW.tenant_slug END AND t.status = 'active'
        FOR SHARE;
    IF region IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.section = 'plan' AND OLD.version = 1 THEN
        PERFORM platform.region_facts_add(region, -1, 0, OLD.summary);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.section = 'plan' AND NEW.version = 1 THEN
        PERFORM platform.region_facts_add(region, 1, 0, NEW.summary);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER region_facts_follow AFTER INSERT OR UPDATE OR DELETE ON district_facts
    FOR EACH ROW EXECUTE FUNCTION region_facts_follow_facts();

-- A district was created, suspended, reactivated, moved or removed: it leaves its old region's
-- totals (when it counted there) and joins its new one's (when it is active). BEFORE DELETE,
-- so that its facts are still there to be taken away before the cascade removes them.
-- +goose StatementBegin
CREATE FUNCTION region_facts_follow_tenant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'active' THEN
        PERFORM platform.region_facts_add(OLD.region_slug, -1, 1, platform.region_facts_plan(OLD.slug));
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'active' THEN
        PERFORM platform.region_facts_add(NEW.region_slug, 1, 1, platform.region_facts_plan(NEW.slug));
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NULL END;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER region_facts_follow_insert AFTER INSERT ON tenants
    FOR EACH ROW EXECUTE FUNCTION region_facts_follow_tenant();
CREATE TRIGGER region_facts_follow_update AFTER UPDATE OF region_slug, status ON tenants
    FOR EACH ROW WHEN (OLD.region_slug IS DISTINCT FROM NEW.region_slug OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION region_facts_follow_tenant();
CREATE TRIGGER region_facts_follow_delete BEFORE DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION region_facts_follow_tenant();

-- The totals of the facts there are: every region, from its active districts.
INSERT INTO region_facts (region_slug) SELECT slug FROM regions;
SELECT region_facts_add(t.region_slug, 1, 1, region_facts_plan(t.slug)) FROM tenants t WHERE t.status = 'active';

-- +goose Down
DROP TRIGGER region_facts_follow_delete ON tenants;
DROP TRIGGER region_facts_follow_update ON tenants;
DROP TRIGGER region_facts_follow_insert ON tenants;
DROP TRIGGER region_facts_follow ON district_facts;
DROP FUNCTION region_facts_follow_tenant();
DROP FUNCTION region_facts_follow_facts();
DROP FUNCTION region_facts_plan(text);
DROP FUNCTION region_facts_add(text, integer, integer, jsonb);
DROP INDEX tenants_region_name_idx;
DROP TABLE region_facts;
