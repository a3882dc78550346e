-- People and their pathways (percorsi): the COPE social-prescribing pathway and the Valle
-- Trompia multidimensional assessment → Progetto Individualizzato. Special-category personal
-- data: every column ending in _enc is AES-256-GCM ciphertext made by the application with the
-- person's data key (internal/keyring), never plain text; identifying fields are encrypted
-- too, so erasing a person (destroying their key, emptying these columns) leaves nothing
-- readable. The codice fiscale is found again through a keyed hash (cf_blind), never a plain
-- index. Programmes (stages, assessment domains, closure reasons, signatures) are definition
-- files shipped with the product (internal/pathway/programmes); the codes stored here are
-- theirs. Nothing here is read by the Assemblea, a region or the platform.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE persons (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(), -- pseudonymous: the audit trail's subject
    cf_blind         bytea UNIQUE,                  -- HMAC of the codice fiscale (district key); NULL if none
    given_name_enc   bytea,
    family_name_enc  bytea,
    cf_enc           bytea,
    birth_date_enc   bytea,                         -- YYYY-MM-DD
    contacts_enc     bytea,                         -- JSON {phone, email, address}
    sex              text NOT NULL DEFAULT '' CHECK (sex IN ('', 'F', 'M', 'X')),
    municipality_id  bigint REFERENCES municipalities (id) ON DELETE RESTRICT,
    language         text NOT NULL DEFAULT '' CHECK (language ~ '^([a-z]{2,3})?$'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    erased_at        timestamptz,                   -- erasure on request: identifying fields emptied, key destroyed
    CHECK (erased_at IS NULL OR (given_name_enc IS NULL AND family_name_enc IS NULL AND cf_enc IS NULL
                                 AND cf_blind IS NULL AND birth_date_enc IS NULL AND contacts_enc IS NULL))
);

-- Consent per purpose, as a history: the current state of (person, purpose, party) is its
-- latest row. purpose: trattamento (the pathway itself), condivisione (sharing with a named
-- body: party), ricerca (anonymous use for evaluation and research).
CREATE TABLE consents (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id       uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    purpose         text NOT NULL CHECK (purpose IN ('trattamento', 'condivisione', 'ricerca')),
    party           text NOT NULL DEFAULT '' CHECK ((purpose = 'condivisione') = (party <> '')),
    given           boolean NOT NULL,               -- false: withdrawn (or refused)
    notice_version  text NOT NULL CHECK (notice_version <> ''), -- the information notice the person saw
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    recorded_by     text NOT NULL,
    recorded_by_name text NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, purpose, party, recorded_at DESC);

CREATE TABLE pathways (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id       uuid NOT NULL REFERENCES persons (id) ON DELETE RESTRICT,
    programme       text NOT NULL CHECK (programme ~ '^[a-z][a-z0-9_]{1,30}$'),
    stage           text NOT NULL,                  -- a stage code of the programme
    source          text NOT NULL DEFAULT '',       -- source of contact (COPE aggancio)
    engaged_on      date NOT NULL,                  -- date of contact / access
    assigned_to     text NOT NULL DEFAULT '',       -- the link worker's / case manager's identity id
    assigned_name   text NOT NULL DEFAULT '',
    neet_start      text NOT NULL DEFAULT '' CHECK (neet_start IN ('', 'studio', 'lavoro', 'formazione', 'nessuno')),
    neet_close      text NOT NULL DEFAULT '' CHECK (neet_close IN ('', 'studio', 'lavoro', 'formazione', 'nessuno')),
    next_follow_up  date,                           -- drives "da sentire questa settimana"
    closed_on       date,
    closure_reason  text NOT NULL DEFAULT '',
    anonymised_at   timestamptz,                    -- retention: closed long enough ago, person unlinked
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1,     -- optimistic concurrency for stage moves
    CHECK ((closed_on IS NULL) = (closure_reason = ''))
);
CREATE INDEX pathways_person ON pathways (person_id);
CREATE INDEX pathways_assigned ON pathways (assigned_to) WHERE closed_on IS NULL;
CREATE INDEX pathways_follow_up ON pathways (next_follow_up) WHERE closed_on IS NULL;

-- Who did what, when: every stage change, assignment, consent and record, attributed.
-- detail never holds personal data (codes and ids only).
CREATE TABLE pathway_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pathway_id  uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    text NOT NULL,
    actor_name  text NOT NULL,
    kind        text NOT NULL,                      -- stage, assign, consent, assessment, goal, activity, meeting, outcome, project, signature, close
    from_stage  text NOT NULL DEFAULT '',
    to_stage    text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX pathway_events_pathway ON pathway_events (pathway_id, id);

-- Assessment by domain (COPE: lavoro/formazione, relazioni, …; VMD: the social and the
-- health assessors' domains). answers_enc is JSON {level, needs, notes}.
CREATE TABLE assessments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pathway_id      uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    domain          text NOT NULL,                  -- a domain code of the programme
    assessor_kind   text NOT NULL CHECK (assessor_kind IN ('sociale', 'sanitaria')),
    assessed_on     date NOT NULL,
    answers_enc     bytea NOT NULL,
    assessor_id     text NOT NULL,
    assessor_name   text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assessments_pathway ON assessments (pathway_id);

-- The individual action plan's goals (piano d'azione individuale).
CREATE TABLE goals (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pathway_id    uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    domain        text NOT NULL DEFAULT '',
    text_enc      bytea NOT NULL,
    status        text NOT NULL CHECK (status IN ('aperto', 'in_corso', 'raggiunto', 'abbandonato')),
    started_on    date NOT NULL,
    target_on     date,
    ended_on      date,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((status IN ('raggiunto', 'abbandonato')) = (ended_on IS NOT NULL))
);
CREATE INDEX goals_pathway ON goals (pathway_id);

-- Activities and referrals (attività e invii): a referral names a resource of the directory
-- (services.id, kept without a foreign key: the directory is another room and a resource may
-- be withdrawn while the pathway's history stays).
CREATE TABLE activities (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pathway_id    uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('attivita', 'invio')),
    service_id    uuid,
    service_name  text NOT NULL DEFAULT '',
    description_enc bytea,
    status        text NOT NULL CHECK (status IN ('proposta', 'in_corso', 'conclusa', 'rifiutata')),
    started_on    date NOT NULL,
    ended_on      date,
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activities_pathway ON activities (pathway_id);

-- Meetings and follow-ups (pathway_meetings: "meetings" are the plan's participation meetings); notes_enc is special-category.
CREATE TABLE pathway_meetings (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pathway_id    uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    held_on       date NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('incontro', 'telefonata', 'follow_up', 'visita')),
    notes_enc     bytea,
    recorded_by   text NOT NULL,
    recorded_by_name text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pathway_meetings_pathway ON pathway_meetings (pathway_id, held_on);

-- Outcome measures. ONS4: four 0–10 items, each stored (and encrypted) on its own, never
-- summed; anxiety_enc is NULL when the person, a minor, skips the anxiety item.
CREATE TABLE outcome_measures (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pathway_id         uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    instrument         text NOT NULL CHECK (instrument IN ('ons4')),
    occasion           text NOT NULL CHECK (occasion IN ('baseline', 'follow_up', 'chiusura')),
    measured_on        date NOT NULL,
    life_satisfaction_enc bytea NOT NULL,
    worthwhile_enc     bytea NOT NULL,
    happiness_enc      bytea NOT NULL,
    anxiety_enc        bytea,
    recorded_by        text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcome_measures_pathway ON outcome_measures (pathway_id, measured_on);

-- The Progetto Individualizzato (VMD): versions; a version signed by every party the
-- programme names is frozen (the trigger below), and changing it means a new version.
CREATE TABLE projects (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pathway_id      uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    version         integer NOT NULL CHECK (version >= 1),
    supports_enc    bytea NOT NULL,                 -- JSON [{kind, provider, frequency, funding}]
    commitments_enc bytea NOT NULL,                 -- JSON {persona, famiglia, comune, asst}
    status          text NOT NULL CHECK (status IN ('bozza', 'firmato', 'superato')),
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    signed_at       timestamptz,
    UNIQUE (pathway_id, version),
    CHECK ((status = 'bozza') = (signed_at IS NULL))
);

CREATE TABLE project_signatures (
    project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    party        text NOT NULL CHECK (party IN ('asst', 'comune', 'persona', 'process_manager')),
    signer_id    text NOT NULL,
    signer_name  text NOT NULL,
    signed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, party)
);

-- A signed project's content never changes; only its status may move on to 'superato' when a
-- new version is signed. (Erasure empties nothing here: the data key's destruction suffices.)
-- +goose StatementBegin
CREATE FUNCTION projects_frozen() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'bozza' AND (NEW.supports_enc IS DISTINCT FROM OLD.supports_enc
        OR NEW.commitments_enc IS DISTINCT FROM OLD.commitments_enc
        OR NEW.version <> OLD.version OR NEW.pathway_id <> OLD.pathway_id) THEN
        RAISE EXCEPTION 'a signed Progetto Individualizzato cannot change: make a new version'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'projects_frozen';
    END IF;
    RETURN NEW;
END $$;
-- +goose StatementEnd
CREATE TRIGGER projects_frozen BEFORE UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION projects_frozen();

-- +goose Down
DROP TABLE project_signatures;
DROP TABLE projects;
DROP FUNCTION projects_frozen();
DROP TABLE outcome_measures;
DROP TABLE pathway_meetings;
DROP TABLE activities;
DROP TABLE goals;
DROP TABLE assessments;
DROP TABLE pathway_events;
DROP TABLE pathways;
DROP TABLE consents;
DROP TABLE persons;
