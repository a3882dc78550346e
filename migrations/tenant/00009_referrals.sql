-- Referrals (invii) of a pathway to a published service of the district's directory, their
-- dated and attributed steps, and the urgent overrides of the sharing consent ("break the
-- glass"). A referral is sent only with the person's consent to share with the receiving
-- organisation (consents: purpose condivisione, party = consent_party), or under an override a
-- coordinatore granted, with a reason, for 72 hours at most. The receiving organisation's users
-- (actor.Organisation = partner_code) see the minimum fields of the referrals addressed to it.
-- Special category: every _enc column is sealed with the person's data key (internal/keyring),
-- so erasing the person leaves nothing readable here either.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
CREATE TABLE consent_overrides (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person_id        uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    party            text NOT NULL CHECK (party <> ''), -- the consents.party it stands in for
    reason_enc       bytea,                          -- mandatory when granted; NULL once the person is erased
    granted_by       text NOT NULL,
    granted_by_name  text NOT NULL,
    granted_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    revoked_at       timestamptz,
    revoked_by       text NOT NULL DEFAULT '',
    CHECK (expires_at > granted_at AND expires_at <= granted_at + interval '72 hours')
);
CREATE INDEX consent_overrides_person ON consent_overrides (person_id, party, expires_at DESC);
CREATE INDEX consent_overrides_granted ON consent_overrides (granted_at DESC);

CREATE TABLE referrals (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pathway_id         uuid NOT NULL REFERENCES pathways (id) ON DELETE CASCADE,
    person_id          uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    -- The directory's service and organisation (another room: no foreign key, and the names
    -- are kept so the history stays readable if the service is withdrawn).
    service_id         uuid NOT NULL,
    service_name       text NOT NULL,
    organization_id    uuid NOT NULL,
    organization_name  text NOT NULL,
    partner_code       text NOT NULL DEFAULT '',    -- the organisation's users' code; '' = none on the platform
    consent_party      text NOT NULL CHECK (consent_party <> ''),
    override_id        uuid REFERENCES consent_overrides (id) ON DELETE RESTRICT,
    urgency            text NOT NULL CHECK (urgency IN ('ordinaria', 'urgente')),
    reason_enc         bytea,                       -- why the person is referred
    shared             text[] NOT NULL,             -- what the organisation sees: nome, fascia_eta, motivo, contatto
    contact_preference text NOT NULL CHECK (contact_preference IN ('telefono', 'email', 'tramite_link_worker', 'di_persona')),
    contact_enc        bytea,                       -- the phone or e-mail shared, when contatto is shared
    status             text NOT NULL DEFAULT 'inviato'
                       CHECK (status IN ('inviato', 'accettato', 'rifiutato', 'concluso', 'annullato')),
    outcome            text NOT NULL DEFAULT ''
                       CHECK (outcome IN ('', 'partecipa', 'ha_concluso', 'abbandonato', 'non_presentato')),
    sent_at            timestamptz NOT NULL DEFAULT now(),
    sent_by            text NOT NULL,
    sent_by_name       text NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            integer NOT NULL DEFAULT 1,
    CHECK ((status = 'concluso') = (outcome <> ''))
);
CREATE INDEX referrals_pathway ON referrals (pathway_id, sent_at);
CREATE INDEX referrals_inbox ON referrals (partner_code, status, sent_at DESC) WHERE partner_code <> '';

-- Every step of a referral, dated and attributed: inviato, accettato, rifiutato (note: the
-- reason), concluso (with the outcome), annullato (note: why). note_enc is sealed: a refusal's
-- reason may speak of the person.
CREATE TABLE referral_steps (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral_id  uuid NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    status       text NOT NULL CHECK (status IN ('inviato', 'accettato', 'rifiutato', 'concluso', 'annullato')),
    outcome      text NOT NULL DEFAULT '',
    note_enc     bytea,
    at           timestamptz NOT NULL DEFAULT now(),
    by_id        text NOT NULL,
    by_name      text NOT NULL,
    by_organisation text NOT NULL DEFAULT ''        -- the partner's code when its user took the step
);
CREATE INDEX referral_steps_referral ON referral_steps (referral_id, id);

-- +goose Down
DROP TABLE referral_steps;
DROP TABLE referrals;
DROP TABLE consent_overrides;
