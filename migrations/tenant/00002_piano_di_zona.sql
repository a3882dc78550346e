-- The Piano di Zona of a district: triennial plans, their objectives with indicators and
-- measurements, budget by funding source, the yearly evaluation sheet, partners and their
-- assignments, participation. No personal data lives here.
-- Runs with search_path = the district schema.

-- +goose Up
CREATE TABLE plans (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        text NOT NULL CHECK (title <> ''),
    start_year   integer NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    end_year     integer NOT NULL CHECK (end_year BETWEEN start_year AND start_year + 5),
    -- bozza → proposto → approvato → chiuso; proposto → bozza when sent back
    status       text NOT NULL DEFAULT 'bozza' CHECK (status IN ('bozza', 'proposto', 'approvato', 'chiuso')),
    version      integer NOT NULL DEFAULT 1, -- +1 at each approved amendment
    return_note  text NOT NULL DEFAULT '',   -- the Assemblea's note when it sent the plan back
    approved_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (start_year, end_year, title)
);

-- Every change of status, with who and why: the plan's history.
CREATE TABLE plan_transitions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id     bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    amendment_id bigint,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    actor_id    text NOT NULL,
    actor_name  text NOT NULL DEFAULT '',
    note        text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_transitions_plan_idx ON plan_transitions (plan_id, at);

-- An approved plan changes only through an amendment (variazione): opened with a reason by the
-- Ufficio di Piano, every change recorded, then approved or sent back by the Assemblea.
CREATE TABLE amendments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id      bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    reason       text NOT NULL CHECK (reason <> ''),
    status       text NOT NULL DEFAULT 'aperta' CHECK (status IN ('aperta', 'proposta', 'approvata')),
    opened_by    text NOT NULL,
    opened_by_name text NOT NULL DEFAULT '',
    return_note  text NOT NULL DEFAULT '',
    opened_at    timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz
);
-- At most one amendment in progress per plan.
CREATE UNIQUE INDEX amendments_one_open_idx ON amendments (plan_id) WHERE status <> 'approvata';

CREATE TABLE amendment_changes (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amendment_id bigint NOT NULL REFERENCES amendments (id) ON DELETE CASCADE,
    entity       text NOT NULL,  -- objective, indicator, budget_line, assignment
    entity_id    bigint NOT NULL,
    operation    text NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    before       jsonb,
    after        jsonb,
    actor_id     text NOT NULL,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX amendment_changes_amendment_idx ON amendment_changes (amendment_id);

ALTER TABLE plan_transitions ADD FOREIGN KEY (amendment_id) REFERENCES amendments (id) ON DELETE SET NULL;

CREATE TABLE objectives (
    id                       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id                  bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    position                 integer NOT NULL DEFAULT 0,
    title                    text NOT NULL CHECK (title <> ''),
    description              text NOT NULL DEFAULT '',             -- DESCRIZIONE OBIETTIVO
    area_code                text NOT NULL REFERENCES policy_areas (code) ON UPDATE CASCADE,
    item_code                text REFERENCES policy_area_items (code) ON UPDATE CASCADE, -- e.g. scheda regionale
    marker                   text NOT NULL DEFAULT '' CHECK (marker IN ('', 'innovativo', 'continuita')),
    target                   text NOT NULL DEFAULT '',             -- TARGET
    economic_resources       text NOT NULL DEFAULT '',             -- RISORSE ECONOMICHE PREVENTIVATE (as written)
    staff_resources          text NOT NULL DEFAULT '',             -- RISORSE DI PERSONALE DEDICATE
    transversal              boolean NOT NULL DEFAULT false,       -- TRASVERSALE ED INTEGRATO CON ALTRE AREE?
    transversal_areas        text NOT NULL DEFAULT '',
    socio_sanitary           boolean NOT NULL DEFAULT false,       -- ASPETTI DI INTEGRAZIONE SOCIOSANITARIA?
    continuity_previous      boolean NOT NULL DEFAULT false,       -- IN CONTINUITÀ CON LA PROGRAMMAZIONE PRECEDENTE?
    co_designed              boolean NOT NULL DEFAULT false,       -- CO-PROGETTATO CON ALTRI ATTORI DELLA RETE?
    co_design_partners       text NOT NULL DEFAULT '',
    needs                    text NOT NULL DEFAULT '',             -- A QUALE/I BISOGNO/I RISPONDE?
    process_modalities       text NOT NULL DEFAULT '',             -- MODALITÀ ORGANIZZATIVE, OPERATIVE E DI EROGAZIONE
    expected_results         text NOT NULL DEFAULT '',             -- QUALI RISULTATI VUOLE RAGGIUNGERE?
    impact                   text NOT NULL DEFAULT '',             -- QUALE IMPATTO HA AVUTO L'INTERVENTO?
    timing                   text NOT NULL DEFAULT '',             -- tempi / cronoprogramma
    premialita               boolean NOT NULL DEFAULT false,       -- obiettivo premiale (progetto sovra-distrettuale)
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX objectives_plan_idx ON objectives (plan_id, position);
CREATE INDEX objectives_area_idx ON objectives (area_code);

CREATE TABLE indicators (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id bigint NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    position     integer NOT NULL DEFAULT 0,
    kind         text NOT NULL CHECK (kind IN ('processo', 'risultato', 'outcome', 'impatto')),
    name         text NOT NULL CHECK (name <> ''),
    unit         text NOT NULL DEFAULT '',
    baseline     numeric(14, 2),
    baseline_note text NOT NULL DEFAULT '',
    target       numeric(14, 2),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX indicators_objective_idx ON indicators (objective_id, position);

CREATE TABLE measurements (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    indicator_id bigint NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    period       text NOT NULL CHECK (period ~ '^[0-9]{4}(-(S[12]|Q[1-4]|[0-9]{2}))?$'), -- 2022, 2022-S1, 2022-Q3, 2022-06
    value        numeric(14, 2) NOT NULL,
    source       text NOT NULL DEFAULT '',
    note         text NOT NULL DEFAULT '',
    recorded_by  text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (indicator_id, period)
);

CREATE TABLE funding_sources (
    code     text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]{1,30}$'),
    name     text NOT NULL CHECK (name <> ''),
    position integer NOT NULL
);
INSERT INTO funding_sources (code, name, position) VALUES
    ('FNPS', 'Fondo Nazionale Politiche Sociali', 1),
    ('FNA', 'Fondo per le Non Autosufficienze', 2),
    ('FONDO_POVERTA', 'Fondo Povertà (quota servizi)', 3),
    ('PON_INCLUSIONE', 'PON Inclusione', 4),
    ('DOPO_DI_NOI', 'Fondo Dopo di Noi (L. 112/2016)', 5),
    ('FSR', 'Fondo Sociale Regionale', 6),
    ('FONDI_REGIONALI', 'Altri fondi regionali', 7),
    ('FRNA', 'Fondo Regionale per la Non Autosufficienza', 8),
    ('FAMI', 'Fondo Asilo, Migrazione e Integrazione', 9),
    ('UE', 'Fondi europei', 10),
    ('COMUNI', 'Risorse proprie dei Comuni', 11),
    ('ATS_ASST', 'Risorse ATS / ASST / AUSL / APSS', 12),
    ('COMPARTECIPAZIONE', 'Compartecipazione di utenti e famiglie', 13),
    ('ALTRO', 'Altre fonti', 14);

-- Stanziato / impegnato / liquidato of an objective, per year and funding source, in euro cents.
CREATE TABLE budget_lines (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id    bigint NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    source_code     text NOT NULL REFERENCES funding_sources (code),
    stanziato_cents bigint NOT NULL DEFAULT 0 CHECK (stanziato_cents >= 0),
    impegnato_cents bigint NOT NULL DEFAULT 0 CHECK (impegnato_cents >= 0),
    liquidato_cents bigint NOT NULL DEFAULT 0 CHECK (liquidato_cents >= 0),
    note            text NOT NULL DEFAULT '',
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (liquidato_cents <= impegnato_cents),
    UNIQUE (objective_id, year, source_code)
);

-- The yearly evaluation sheet ("esiti") of an objective.
CREATE TABLE evaluations (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id         bigint NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    year                 integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    achievement_pct      integer CHECK (achievement_pct BETWEEN 0 AND 100),  -- grado di raggiungimento
    user_evaluation      text NOT NULL DEFAULT '' CHECK (user_evaluation IN ('', 'non_pertinente', 'si', 'non_attivata', 'non_effettuata')),
    user_evaluation_note text NOT NULL DEFAULT '',
    resource_match_pct   integer CHECK (resource_match_pct BETWEEN 0 AND 100), -- coincidenza stanziate / impegnate
    resource_match_note  text NOT NULL DEFAULT '',
    issues               text NOT NULL DEFAULT '',                              -- criticità rilevate
    need_met             text NOT NULL DEFAULT '' CHECK (need_met IN ('', 'si', 'no', 'in_parte', 'parzialmente')),
    need_met_note        text NOT NULL DEFAULT '',
    continuity_previous  boolean,
    continuity_note      text NOT NULL DEFAULT '',
    proposed_again       boolean,
    proposed_again_note  text NOT NULL DEFAULT '',
    updated_by           text NOT NULL DEFAULT '',
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (objective_id, year)
);

CREATE TABLE partners (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,60}$'), -- = the organisation claim of its users
    name         text NOT NULL CHECK (name <> ''),
    kind         text NOT NULL CHECK (kind IN ('cooperativa', 'terzo_settore', 'azienda_sanitaria', 'ente_pubblico', 'scuola', 'sindacato', 'altro')),
    note         text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- A partner's assignment on an objective: the intervention it runs and reports on.
CREATE TABLE assignments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id bigint NOT NULL REFERENCES objectives (id) ON DELETE CASCADE,
    partner_id   bigint NOT NULL REFERENCES partners (id) ON DELETE RESTRICT,
    activity     text NOT NULL CHECK (activity <> ''),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignments_partner_idx ON assignments (partner_id);
CREATE INDEX assignments_objective_idx ON assignments (objective_id);

-- What a partner reports on its assignment: aggregate outputs, never people.
CREATE TABLE assignment_reports (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id bigint NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    period        text NOT NULL CHECK (period ~ '^[0-9]{4}(-(S[12]|Q[1-4]|[0-9]{2}))?$'),
    users_served  integer CHECK (users_served >= 0),
    hours         numeric(10, 1) CHECK (hours >= 0),
    satisfaction  numeric(3, 1) CHECK (satisfaction BETWEEN 1 AND 5),
    note          text NOT NULL DEFAULT '',
    reported_by   text NOT NULL,
    reported_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (assignment_id, period)
);

-- Participation: tavoli tecnici, focus groups, consultations, with participants by type.
CREATE TABLE meetings (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id      bigint REFERENCES plans (id) ON DELETE SET NULL,
    held_on      date NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('tavolo_tecnico', 'focus_group', 'consultazione', 'assemblea_pubblica', 'laboratorio', 'restituzione')),
    theme        text NOT NULL CHECK (theme <> ''),
    notes        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE meeting_participants (
    meeting_id       bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    participant_type text NOT NULL CHECK (participant_type IN ('enti_pubblici', 'terzo_settore', 'sindacati', 'cittadini', 'sanita', 'scuole', 'altri')),
    count            integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (meeting_id, participant_type)
);

-- +goose Down
DROP TABLE meeting_participants;
DROP TABLE meetings;
DROP TABLE assignment_reports;
DROP TABLE assignments;
DROP TABLE partners;
DROP TABLE evaluations;
DROP TABLE budget_lines;
DROP TABLE funding_sources;
DROP TABLE measurements;
DROP TABLE indicators;
DROP TABLE objectives;
ALTER TABLE plan_transitions DROP CONSTRAINT IF EXISTS plan_transitions_amendment_id_fkey;
DROP TABLE amendment_changes;
DROP TABLE amendments;
DROP TABLE plan_transitions;
DROP TABLE plans;
