-- +goose Up
-- What provisioning did, for the operator's page: one row per region or district touched by
-- a sync or a migration. Slugs, versions and outcomes only: no personal data.
CREATE TABLE provisioning_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    kind         text NOT NULL CHECK (kind IN ('platform', 'region', 'district')),
    slug         text NOT NULL,
    outcome      text NOT NULL CHECK (outcome IN ('created', 'updated', 'migrated', 'unchanged', 'failed')),
    from_version bigint NOT NULL DEFAULT 0,
    to_version   bigint NOT NULL DEFAULT 0,
    error        text NOT NULL DEFAULT ''
);
CREATE INDEX provisioning_log_at ON provisioning_log (at DESC);

-- People invited to a district before their first login: the role waits here, keyed by
-- e-mail or codice fiscale, and is bound when an identity with that e-mail or fiscal code
-- first logs in to the district.
CREATE TABLE invitations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    domain       text NOT NULL CHECK (domain ~ '^[a-z][a-z0-9-]{1,38}[a-z0-9]$'),
    email        text NOT NULL DEFAULT '' CHECK (email = lower(email)),
    fiscal_code  text NOT NULL DEFAULT '' CHECK (fiscal_code = upper(fiscal_code)),
    role         text NOT NULL CHECK (role <> ''),
    invited_by   uuid REFERENCES identities (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    bound_to     uuid REFERENCES identities (id) ON DELETE CASCADE,
    bound_at     timestamptz,
    CHECK ((email <> '') <> (fiscal_code <> ''))
);
CREATE UNIQUE INDEX invitations_open ON invitations (domain, email, fiscal_code, role) WHERE bound_to IS NULL;

-- +goose Down
DROP TABLE invitations;
DROP TABLE provisioning_log;
