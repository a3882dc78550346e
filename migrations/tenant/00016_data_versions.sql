-- A district's data versions (issue 21): a counter per subject ("plan": the plan room's
-- tables), moved by every transaction that writes one of the subject's tables, so that a
-- server may keep what it read (the district home's plan data) until the counter moves, and
-- check it with one tiny read instead of reading everything again.
--
-- The counter moves at commit: the triggers are deferred constraint triggers. A row lock taken
-- at the first write instead would be held for the whole transaction, and two writers locking
-- their rows in opposite orders around it would deadlock; taken at commit, after every other
-- lock, it waits at most for another commit. One update per subject and transaction, however
-- many rows it wrote (the transaction-local setting remembers it).
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE data_versions (
    subject text PRIMARY KEY,
    version bigint NOT NULL DEFAULT 1
);
INSERT INTO data_versions (subject) VALUES ('plan');

-- +goose StatementBegin
CREATE FUNCTION data_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- Per schema and subject: a transaction may write two districts (a copy, a test).
    flag text := 'ambiti.data_version_' || md5(TG_TABLE_SCHEMA || '.' || TG_ARGV[0]);
BEGIN
    IF coalesce(current_setting(flag, true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    -- The table's own schema, not the search_path: a writer may name the tables qualified.
    EXECUTE format('UPDATE %I.data_versions SET version = version + 1 WHERE subject = $1', TG_TABLE_SCHEMA)
        USING TG_ARGV[0];
    PERFORM set_config(flag, 'on', true);
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['municipalities', 'policy_areas', 'policy_area_items', 'plans', 'plan_transitions',
        'amendments', 'amendment_changes', 'objectives', 'indicators', 'measurements', 'funding_sources',
        'budget_lines', 'evaluations', 'partners', 'assignments', 'assignment_reports', 'meetings',
        'meeting_participants', 'plan_changes', 'attachments']
    LOOP
        EXECUTE format('CREATE CONSTRAINT TRIGGER plan_data_version AFTER INSERT OR UPDATE OR DELETE ON %I
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump(%L)', t, 'plan');
    END LOOP;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
        WHERE g.tgname = 'plan_data_version' AND c.relnamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('DROP TRIGGER plan_data_version ON %I', t);
    END LOOP;
END $$;
-- +goose StatementEnd
DROP FUNCTION data_version_bump();
DROP TABLE data_versions;
