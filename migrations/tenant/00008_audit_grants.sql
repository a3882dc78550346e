-- The application's role may append to the audit trail and never change it. A deployment that
-- serves as a role other than the tables' owner (docs/operations.md, "Chiavi e backup") grants
-- that role its privileges on every district table at once, with ALTER DEFAULT PRIVILEGES: that
-- would give it UPDATE and DELETE on audit_log too. This takes back, from every role but the
-- owner, whatever would let it rewrite or empty the trail or its head, whoever the role is: the
-- platform needs SELECT, INSERT on audit_log and SELECT, UPDATE on audit_head, nothing more.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
-- +goose StatementBegin
DO $$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT DISTINCT c.relname AS tab, a.grantee::regrole::text AS role
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.relnamespace = current_schema()::regnamespace
          AND c.relname IN ('audit_log', 'audit_head')
          AND a.grantee <> 0 AND a.grantee <> c.relowner
    LOOP
        IF g.tab = 'audit_log' THEN
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_log FROM %s', g.role);
        ELSE
            EXECUTE format('REVOKE INSERT, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_head FROM %s', g.role);
        END IF;
    END LOOP;
END $$;
-- +goose StatementEnd

-- +goose Down
-- Nothing to give back: the privileges taken were never the platform's to use.
SELECT 1;
