-- Issue 19 (HC): the documents a district files beside its plan, and the Assemblea's act.
-- attachments: delibere, regional decrees, partners' reports, as files attached to a plan, an
-- objective, an assignment or a partner's report. plan_id is the plan the parent belongs to,
-- kept so a plan's documents are listed and removed with it. The bytes live in their own
-- table, so listing never reads them.
-- plans/amendments: the delibera (number and date) by which the Assemblea approved.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE attachments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id       bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    parent_kind   text NOT NULL CHECK (parent_kind IN ('plan', 'objective', 'assignment', 'report')),
    parent_id     bigint NOT NULL CHECK (parent_id > 0),
    name          text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    content_type  text NOT NULL,
    size          bigint NOT NULL CHECK (size > 0),
    sha256        text NOT NULL,
    uploaded_by   text NOT NULL,
    uploaded_by_name text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_parent_idx ON attachments (parent_kind, parent_id);
CREATE INDEX attachments_plan_idx ON attachments (plan_id);

CREATE TABLE attachment_data (
    attachment_id bigint PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    data          bytea NOT NULL
);

ALTER TABLE plans
    ADD COLUMN delibera_number text NOT NULL DEFAULT '',
    ADD COLUMN delibera_date   date;
ALTER TABLE amendments
    ADD COLUMN delibera_number text NOT NULL DEFAULT '',
    ADD COLUMN delibera_date   date;

-- +goose Down
ALTER TABLE amendments DROP COLUMN delibera_date, DROP COLUMN delibera_number;
ALTER TABLE plans DROP COLUMN delibera_date, DROP COLUMN delibera_number;
DROP TABLE attachment_data;
DROP TABLE attachments;
