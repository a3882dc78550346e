-- Keys of the district's personal data (envelope encryption, internal/keyring): the district
-- key, wrapped by the platform's master key (which never touches the database), and one data
-- key per person, wrapped by the district key. Destroying a person's row here makes every copy
-- of their encrypted fields unreadable (crypto-shredding); rotating the master key rewraps the
-- one district row and re-encrypts no data.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE district_key (
    id          smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    master_id   text NOT NULL,       -- which master key wraps it (a fingerprint, not the key)
    wrapped     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    rotated_at  timestamptz
);

CREATE TABLE person_keys (
    person_id   uuid PRIMARY KEY,
    wrapped     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE person_keys;
DROP TABLE district_key;
