-- Link workers' profiles, which the coordinatore's matching board ranks them by: the comuni
-- each covers (municipalities.id: an array, so no foreign key; ids of comuni that left the
-- district are simply ignored), how many open pathways they can hold, the languages they speak
-- (ISO 639 codes) and their skills (codes of the programmes' skills: programmes/*.yaml).
-- Staff data only: nothing here is about the people the district follows.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE link_worker_profiles (
    identity_id      text PRIMARY KEY CHECK (identity_id <> ''),
    name             text NOT NULL DEFAULT '',
    municipality_ids bigint[] NOT NULL DEFAULT '{}',
    capacity         integer NOT NULL DEFAULT 15 CHECK (capacity BETWEEN 1 AND 200),
    languages        text[] NOT NULL DEFAULT '{}',
    skills           text[] NOT NULL DEFAULT '{}',
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       text NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE link_worker_profiles;
