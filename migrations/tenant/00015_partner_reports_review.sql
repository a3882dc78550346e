-- Partners' reporting as an Ufficio di Piano works it (issue 19): an assignment has its own
-- date (not the day it was imported) and a budget; a partner's report states what it spent
-- against that budget, may propose a measurement of one of the objective's indicators, and
-- counts only once the Ufficio di Piano accepts it (the proposed value then becomes a
-- measurement). Reports written before this migration had no review: they stay accepted.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
ALTER TABLE assignments
    ADD COLUMN assigned_on date,
    ADD COLUMN budget_cents bigint CHECK (budget_cents >= 0);

ALTER TABLE assignment_reports
    ADD COLUMN expenditure_cents bigint CHECK (expenditure_cents >= 0),
    ADD COLUMN indicator_id   bigint REFERENCES indicators (id) ON DELETE SET NULL,
    ADD COLUMN proposed_value numeric(14, 2),
    ADD COLUMN status         text NOT NULL DEFAULT 'accettata'
        CHECK (status IN ('inviata', 'accettata', 'da_modificare')),
    ADD COLUMN review_note    text NOT NULL DEFAULT '',
    ADD COLUMN reviewed_by    text NOT NULL DEFAULT '',
    ADD COLUMN reviewed_at    timestamptz;
ALTER TABLE assignment_reports ALTER COLUMN status SET DEFAULT 'inviata';

-- +goose Down
ALTER TABLE assignment_reports
    DROP COLUMN reviewed_at, DROP COLUMN reviewed_by, DROP COLUMN review_note, DROP COLUMN status,
    DROP COLUMN proposed_value, DROP COLUMN indicator_id, DROP COLUMN expenditure_cents;
ALTER TABLE assignments DROP COLUMN budget_cents, DROP COLUMN assigned_on;
