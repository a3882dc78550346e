-- The shared schema: the regions and the districts (tenants) they oversee.
-- Runs with search_path = platform.

-- +goose Up
CREATE TABLE regions (
    slug            text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
    name            text NOT NULL CHECK (name <> ''),
    kind            text NOT NULL CHECK (kind IN ('regione', 'provincia_autonoma')),
    definition      jsonb NOT NULL,
    definition_hash text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
    slug            text PRIMARY KEY CHECK (slug ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
    -- derived from the slug and nothing else, so no input ever names a schema
    schema_name     text NOT NULL UNIQUE CHECK (schema_name = 't_' || replace(slug, '-', '_')),
    name            text NOT NULL CHECK (name <> ''),
    short_name      text NOT NULL CHECK (short_name <> ''),
    region_slug     text NOT NULL REFERENCES regions (slug),
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    schema_version  bigint NOT NULL DEFAULT 0,
    definition      jsonb NOT NULL,
    definition_hash text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenants_region_slug_idx ON tenants (region_slug);

-- +goose Down
DROP TABLE tenants;
DROP TABLE regions;
