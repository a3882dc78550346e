-- Aggregate, personal-data-free facts of each district, for the regional views. Written in
-- the same transaction as the district's own change; read with one query per region.
-- Runs with search_path = platform.

-- +goose Up
CREATE TABLE district_facts (
    tenant_slug text PRIMARY KEY REFERENCES tenants (slug) ON DELETE CASCADE,
    summary     jsonb NOT NULL, -- the current plan's headline figures: what the regional table shows
    detail      jsonb NOT NULL, -- every plan, objective summaries included: the drill-down
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE district_facts;
