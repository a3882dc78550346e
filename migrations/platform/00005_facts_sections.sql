-- The district facts become sections: one row per district and feature ("plan" today,
-- "pathways" next), each written in that feature's own write transaction and stamped with the
-- version of its JSON shape, so that a reader can tell a shape it does not know. Runs with
-- search_path = platform.
--
-- The rows kept so far are the plan's, version 1. Version 1 also carries the current plan's
-- share of objectives on target (computed by the plan now, formerly by the regional reader)
-- and the participant types in their order (the regional pages list them): both are added
-- here, so that no district shows less until its next write or `ambiti facts rebuild`.

-- +goose Up
ALTER TABLE district_facts ADD COLUMN section text, ADD COLUMN version integer;
UPDATE district_facts SET section = 'plan', version = 1,
    summary = jsonb_set(summary, '{on_target_pct}',
        CASE WHEN coalesce((summary ->> 'objectives')::int, 0) = 0 THEN 'null'::jsonb
        ELSE to_jsonb(round((summary ->> 'objectives_on_target')::numeric * 100 / (summary ->> 'objectives')::numeric, 1)) END),
    detail = jsonb_set(detail, '{participant_types}',
        '["enti_pubblici", "terzo_settore", "sindacati", "cittadini", "sanita", "scuole", "altri"]');
ALTER TABLE district_facts
    ALTER COLUMN section SET NOT NULL,
    ALTER COLUMN version SET NOT NULL,
    DROP CONSTRAINT district_facts_pkey,
    ADD PRIMARY KEY (tenant_slug, section);

-- +goose Down
DELETE FROM district_facts WHERE section <> 'plan';
ALTER TABLE district_facts DROP CONSTRAINT district_facts_pkey, ADD PRIMARY KEY (tenant_slug);
ALTER TABLE district_facts DROP COLUMN version, DROP COLUMN section;
