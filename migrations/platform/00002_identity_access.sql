-- Who people are (OIDC identities), where they belong, what roles they hold, and their
-- browser sessions. Runs with search_path = platform.

-- +goose Up
CREATE TABLE identities (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    issuer       text NOT NULL,
    subject      text NOT NULL,
    username     text NOT NULL DEFAULT '',
    display_name text NOT NULL DEFAULT '',
    email        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer, subject)
);

-- An identity seen in a domain: a district slug, region:<slug> or platform. Roles are granted
-- from the identity provider's claims the first time; after that the district manages them.
CREATE TABLE memberships (
    domain        text NOT NULL CHECK (domain ~ '^([a-z][a-z0-9-]{1,38}[a-z0-9]|region:[a-z][a-z0-9-]{1,38}[a-z0-9]|platform)$'),
    identity_id   uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    organisation  text,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (domain, identity_id)
);
CREATE INDEX memberships_identity_idx ON memberships (identity_id);

-- Casbin rules kept in the database: user → role bindings per domain (ptype g). The role
-- permissions themselves are in policies/policy.csv, reviewed like code.
CREATE TABLE casbin_rules (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ptype      text NOT NULL CHECK (ptype IN ('p', 'g')),
    v0         text NOT NULL,
    v1         text NOT NULL DEFAULT '',
    v2         text NOT NULL DEFAULT '',
    v3         text NOT NULL DEFAULT '',
    v4         text NOT NULL DEFAULT '',
    v5         text NOT NULL DEFAULT '',
    granted_by uuid REFERENCES identities (id) ON DELETE SET NULL,
    source     text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'claims')),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (ptype, v0, v1, v2, v3, v4, v5)
);

-- Browser sessions: the cookie holds a random id, the table only its SHA-256, so a leaked
-- database row cannot be replayed as a cookie.
CREATE TABLE sessions (
    id_hash      text PRIMARY KEY,  -- hex SHA-256 of the cookie value
    identity_id  uuid NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    domain       text NOT NULL,
    csrf_token   text NOT NULL,
    id_token     text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    user_agent   text NOT NULL DEFAULT '',
    remote_addr  text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_identity_idx ON sessions (identity_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- A login in progress: state, nonce and PKCE verifier, so any replica can finish it.
CREATE TABLE login_states (
    state      text PRIMARY KEY,
    domain     text NOT NULL,
    nonce      text NOT NULL,
    verifier   text NOT NULL,
    return_to  text NOT NULL DEFAULT '/',
    expires_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE login_states;
DROP TABLE sessions;
DROP TABLE casbin_rules;
DROP TABLE memberships;
DROP TABLE identities;
