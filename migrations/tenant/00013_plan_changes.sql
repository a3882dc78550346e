-- The plan's change log (issue 19): every correction or deletion of an objective, indicator,
-- measurement, budget or assignment, in a draft as in an approved plan (where the same change
-- is also recorded in the open amendment), with who, when, before and after; and the marker
-- of an objective proposed again from the previous plan (riproposto_da: the objective it was
-- copied from; no foreign key, since the previous plan's objective may later be deleted).
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE plan_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id      bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    amendment_id bigint REFERENCES amendments (id) ON DELETE SET NULL,
    entity       text NOT NULL,
    entity_id    bigint NOT NULL,
    label        text NOT NULL DEFAULT '',
    operation    text NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'copy')),
    before       jsonb,
    after        jsonb,
    actor_id     text NOT NULL,
    actor_name   text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_changes_plan_idx ON plan_changes (plan_id, at);

ALTER TABLE objectives ADD COLUMN riproposto_da bigint;

-- +goose Down
ALTER TABLE objectives DROP COLUMN riproposto_da;
DROP TABLE plan_changes;
