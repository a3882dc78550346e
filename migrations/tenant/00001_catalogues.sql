-- A district's own schema (t_<slug>): its municipalities and its region's policy catalogue.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE municipalities (
    id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                      text NOT NULL UNIQUE CHECK (name <> ''),
    istat_code                text UNIQUE CHECK (istat_code ~ '^[0-9]{6}$'),
    zone                      text,
    population_reference_date date,
    residents                 integer CHECK (residents >= 0),
    males                     integer CHECK (males >= 0),
    females                   integer CHECK (females >= 0),
    age_0_17                  integer CHECK (age_0_17 >= 0),
    age_18_64                 integer CHECK (age_18_64 >= 0),
    age_65_plus               integer CHECK (age_65_plus >= 0),
    foreigners                integer CHECK (foreigners >= 0),
    foreigners_pct            numeric(5, 2) CHECK (foreigners_pct BETWEEN 0 AND 100),
    old_age_index             integer CHECK (old_age_index >= 0),
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);

-- Macro-aree (Lombardia), aree trasversali (Emilia-Romagna), aree dell'integrazione (Trento).
CREATE TABLE policy_areas (
    code     text PRIMARY KEY CHECK (code <> ''),
    name     text NOT NULL CHECK (name <> ''),
    position integer NOT NULL
);

-- Finer entries under an area, e.g. the 39 schede of the Emilia-Romagna plan.
CREATE TABLE policy_area_items (
    code      text PRIMARY KEY CHECK (code <> ''),
    area_code text NOT NULL REFERENCES policy_areas (code) ON UPDATE CASCADE,
    name      text NOT NULL CHECK (name <> ''),
    position  integer NOT NULL
);
CREATE INDEX policy_area_items_area_code_idx ON policy_area_items (area_code);

-- +goose Down
DROP TABLE policy_area_items;
DROP TABLE policy_areas;
DROP TABLE municipalities;
