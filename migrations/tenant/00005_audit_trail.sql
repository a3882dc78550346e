-- The district's audit trail of personal data: one row per read or write of a person's data,
-- written by the application in the same transaction as the access (tenancy.Tx.Audit).
-- Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, whoever asks, and no role but the
-- owner holds those grants. Each row carries the SHA-256 of the previous row's hash and its own
-- content, so a row removed or altered behind the triggers' back (a superuser disabling them)
-- breaks the chain, which `ambiti audit verify` finds. audit_head holds the chain's end, locked
-- by each writer: it also reveals a removal of the last rows.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE audit_log (
    seq         bigint PRIMARY KEY,              -- 1, 2, 3, … in chain order, no gaps
    at          timestamptz NOT NULL,            -- microseconds, as hashed
    actor_id    text NOT NULL,
    actor_name  text NOT NULL,
    roles       text NOT NULL,                   -- the actor's roles in the district, comma-separated
    subject     text NOT NULL,                   -- the person's pseudonymous id
    what        text NOT NULL,
    action      text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    request_id  text NOT NULL DEFAULT '',
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TABLE audit_head (
    id    smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    seq   bigint NOT NULL,
    hash  bytea NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '\x0000000000000000000000000000000000000000000000000000000000000000');

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
