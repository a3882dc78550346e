-- The community resource directory of a district, after Open Referral HSDS 3.0: organisations,
-- their services and locations, service-at-location, phones, contacts, schedules, languages,
-- cost options, the catalogue of needs (taxonomy terms) and the attributes linking them, the
-- HSDS change log (metadata), the partners' proposed changes awaiting review, and the district's
-- staleness setting. Table and column names are HSDS's; ids are UUIDs as in HSDS.
-- `published` and `partner_code` are Ambiti's own. No personal data lives here.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up

-- Accent folding for Italian full-text search without the unaccent extension, which would need
-- privileges and lives in one schema only: "attivita" and "attività" index alike.
-- +goose StatementBegin
CREATE FUNCTION directory_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT translate(lower(t), 'àáâäãèéêëìíîïòóôöõùúûüçñ', 'aaaaaeeeeiiiiooooouuuucn') $$;
-- +goose StatementEnd

CREATE TABLE organizations (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                   text NOT NULL CHECK (name <> ''),
    alternate_name         text NOT NULL DEFAULT '',
    description            text NOT NULL DEFAULT '',
    email                  text NOT NULL DEFAULT '',
    website                text NOT NULL DEFAULT '',
    tax_status             text NOT NULL DEFAULT '',
    tax_id                 text NOT NULL DEFAULT '',
    year_incorporated      integer CHECK (year_incorporated BETWEEN 1000 AND 2100),
    legal_status           text NOT NULL DEFAULT '',
    uri                    text NOT NULL DEFAULT '',
    parent_organization_id uuid REFERENCES organizations (id) ON DELETE SET NULL,
    -- The organisation code of the partner's users (actor.Organisation, as partners.code):
    -- those users may confirm and propose changes to this organisation's services.
    partner_code           text UNIQUE CHECK (partner_code ~ '^[a-z0-9][a-z0-9-]{1,60}$'),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE services (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id         uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    name                    text NOT NULL CHECK (name <> ''),
    alternate_name          text NOT NULL DEFAULT '',
    description             text NOT NULL DEFAULT '',
    url                     text NOT NULL DEFAULT '',
    email                   text NOT NULL DEFAULT '',
    status                  text NOT NULL CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
    interpretation_services text NOT NULL DEFAULT '',
    application_process     text NOT NULL DEFAULT '',
    fees_description        text NOT NULL DEFAULT '',
    wait_time               text NOT NULL DEFAULT '',
    accreditations          text NOT NULL DEFAULT '',
    eligibility_description text NOT NULL DEFAULT '',
    minimum_age             integer CHECK (minimum_age BETWEEN 0 AND 130),
    maximum_age             integer CHECK (maximum_age BETWEEN 0 AND 130),
    assured_date            date,              -- last verified: drives "da verificare"
    assurer_email           text NOT NULL DEFAULT '',
    alert                   text NOT NULL DEFAULT '',
    published               boolean NOT NULL DEFAULT false, -- visible to the public and link workers
    last_modified           timestamptz NOT NULL DEFAULT now(),
    created_at              timestamptz NOT NULL DEFAULT now(),
    -- Kept by the trigger below: name (A), alternate name and organisation (B), description (C),
    -- eligibility (D), accent-folded, Italian stems.
    search                  tsvector,
    CHECK (maximum_age IS NULL OR minimum_age IS NULL OR maximum_age >= minimum_age)
);
CREATE INDEX services_organization_idx ON services (organization_id);
CREATE INDEX services_search_idx ON services USING gin (search);
CREATE INDEX services_assured_idx ON services (assured_date);

-- +goose StatementBegin
CREATE FUNCTION services_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search :=
        setweight(to_tsvector('italian', directory_fold(NEW.name)), 'A') ||
        setweight(to_tsvector('italian', directory_fold(NEW.alternate_name || ' ' ||
            coalesce((SELECT o.name || ' ' || o.alternate_name FROM organizations o WHERE o.id = NEW.organization_id), ''))), 'B') ||
        setweight(to_tsvector('italian', directory_fold(NEW.description)), 'C') ||
        setweight(to_tsvector('italian', directory_fold(NEW.eligibility_description)), 'D');
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER services_search BEFORE INSERT OR UPDATE OF name, alternate_name, description, eligibility_description, organization_id
    ON services FOR EACH ROW EXECUTE FUNCTION services_search_document();

-- An organisation renamed: its services' documents follow (the SET names organization_id, so
-- the trigger above fires).
-- +goose StatementBegin
CREATE FUNCTION organizations_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE services SET organization_id = NEW.id WHERE organization_id = NEW.id;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER organizations_search AFTER UPDATE OF name, alternate_name ON organizations
    FOR EACH ROW EXECUTE FUNCTION organizations_search_follow();

CREATE TABLE locations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid REFERENCES organizations (id) ON DELETE CASCADE,
    location_type   text NOT NULL CHECK (location_type IN ('physical', 'postal', 'virtual')),
    url             text NOT NULL DEFAULT '',
    name            text NOT NULL DEFAULT '',
    alternate_name  text NOT NULL DEFAULT '',
    description     text NOT NULL DEFAULT '',
    transportation  text NOT NULL DEFAULT '',
    latitude        double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude       double precision CHECK (longitude BETWEEN -180 AND 180),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX locations_organization_idx ON locations (organization_id);

-- The comune of an address is one of the district's municipalities.
CREATE TABLE addresses (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id    uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    attention      text NOT NULL DEFAULT '',
    address_1      text NOT NULL CHECK (address_1 <> ''),
    address_2      text NOT NULL DEFAULT '',
    city           text NOT NULL REFERENCES municipalities (name) ON UPDATE CASCADE,
    region         text NOT NULL DEFAULT '',
    state_province text NOT NULL CHECK (state_province <> ''),
    postal_code    text NOT NULL CHECK (postal_code ~ '^[0-9]{5}$'),
    country        text NOT NULL DEFAULT 'IT' CHECK (country ~ '^[A-Z]{2}$'),
    address_type   text NOT NULL CHECK (address_type IN ('physical', 'postal', 'virtual'))
);
CREATE INDEX addresses_location_idx ON addresses (location_id);
CREATE INDEX addresses_city_idx ON addresses (city);

CREATE TABLE accessibility (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    description text NOT NULL DEFAULT '',
    details     text NOT NULL DEFAULT '',
    url         text NOT NULL DEFAULT ''
);
CREATE INDEX accessibility_location_idx ON accessibility (location_id);

CREATE TABLE service_at_locations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id  uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    description text NOT NULL DEFAULT '',
    UNIQUE (service_id, location_id)
);
CREATE INDEX service_at_locations_location_idx ON service_at_locations (location_id);

CREATE TABLE contacts (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id        uuid REFERENCES organizations (id) ON DELETE CASCADE,
    service_id             uuid REFERENCES services (id) ON DELETE CASCADE,
    service_at_location_id uuid REFERENCES service_at_locations (id) ON DELETE CASCADE,
    location_id            uuid REFERENCES locations (id) ON DELETE CASCADE,
    name                   text NOT NULL DEFAULT '',
    title                  text NOT NULL DEFAULT '',
    department             text NOT NULL DEFAULT '',
    email                  text NOT NULL DEFAULT ''
);
CREATE INDEX contacts_service_idx ON contacts (service_id);
CREATE INDEX contacts_organization_idx ON contacts (organization_id);

CREATE TABLE phones (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    location_id            uuid REFERENCES locations (id) ON DELETE CASCADE,
    service_id             uuid REFERENCES services (id) ON DELETE CASCADE,
    organization_id        uuid REFERENCES organizations (id) ON DELETE CASCADE,
    contact_id             uuid REFERENCES contacts (id) ON DELETE CASCADE,
    service_at_location_id uuid REFERENCES service_at_locations (id) ON DELETE CASCADE,
    number                 text NOT NULL CHECK (number <> ''),
    extension              integer CHECK (extension >= 0),
    type                   text NOT NULL DEFAULT '' CHECK (type IN ('', 'text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone')),
    description            text NOT NULL DEFAULT ''
);
CREATE INDEX phones_service_idx ON phones (service_id);
CREATE INDEX phones_location_idx ON phones (location_id);
CREATE INDEX phones_organization_idx ON phones (organization_id);

-- HSDS's RRULE-like schedule: "every week on MO,TH from 09:00 to 12:30".
CREATE TABLE schedules (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id             uuid REFERENCES services (id) ON DELETE CASCADE,
    location_id            uuid REFERENCES locations (id) ON DELETE CASCADE,
    service_at_location_id uuid REFERENCES service_at_locations (id) ON DELETE CASCADE,
    valid_from             date,
    valid_to               date,
    dtstart                date,
    until                  date,
    wkst                   text NOT NULL DEFAULT '' CHECK (wkst IN ('', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU')),
    freq                   text NOT NULL DEFAULT '' CHECK (freq IN ('', 'WEEKLY', 'MONTHLY')),
    interval               integer CHECK (interval >= 1),
    byday                  text NOT NULL DEFAULT '' CHECK (byday ~ '^((-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)(,(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU))*)?$'),
    bymonthday             text NOT NULL DEFAULT '',
    description            text NOT NULL DEFAULT '',
    opens_at               text NOT NULL DEFAULT '' CHECK (opens_at ~ '^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?$'),
    closes_at              text NOT NULL DEFAULT '' CHECK (closes_at ~ '^(([01][0-9]|2[0-4]):[0-5][0-9](:[0-5][0-9])?)?$'),
    attending_type         text NOT NULL DEFAULT '',
    notes                  text NOT NULL DEFAULT '',
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX schedules_service_idx ON schedules (service_id);
CREATE INDEX schedules_service_at_location_idx ON schedules (service_at_location_id);

CREATE TABLE languages (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id  uuid REFERENCES services (id) ON DELETE CASCADE,
    location_id uuid REFERENCES locations (id) ON DELETE CASCADE,
    phone_id    uuid REFERENCES phones (id) ON DELETE CASCADE,
    name        text NOT NULL DEFAULT '',
    code        text NOT NULL DEFAULT '',
    note        text NOT NULL DEFAULT ''
);
CREATE INDEX languages_service_idx ON languages (service_id);

-- A cost option of amount 0 says "free of charge".
CREATE TABLE cost_options (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id         uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    valid_from         date,
    valid_to           date,
    option             text NOT NULL DEFAULT '',
    currency           text NOT NULL DEFAULT '' CHECK (currency ~ '^([A-Z]{3})?$'),
    amount             numeric(12, 2) CHECK (amount >= 0),
    amount_description text NOT NULL DEFAULT ''
);
CREATE INDEX cost_options_service_idx ON cost_options (service_id);

-- The catalogue of needs, copied from internal/directory/taxonomy.json (the source; same ids).
CREATE TABLE taxonomy_terms (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code <> ''),
    name        text NOT NULL CHECK (name <> ''),
    description text NOT NULL DEFAULT '',
    parent_id   uuid REFERENCES taxonomy_terms (id),
    taxonomy    text NOT NULL DEFAULT '',
    language    text NOT NULL DEFAULT '',
    taxonomy_id uuid,
    term_uri    text NOT NULL DEFAULT ''
);

-- An entity (service, organization, location, service_at_location) tagged with a term.
CREATE TABLE attributes (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    link_id          uuid NOT NULL,
    taxonomy_term_id uuid NOT NULL REFERENCES taxonomy_terms (id) ON DELETE CASCADE,
    link_type        text NOT NULL DEFAULT '',
    link_entity      text NOT NULL CHECK (link_entity IN ('service', 'organization', 'location', 'service_at_location')),
    value            text NOT NULL DEFAULT '',
    UNIQUE (link_entity, link_id, taxonomy_term_id)
);
CREATE INDEX attributes_term_idx ON attributes (taxonomy_term_id, link_id);

-- HSDS metadata: who changed which field of which resource, when, from what to what.
CREATE TABLE metadata (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    resource_id       uuid NOT NULL,
    resource_type     text NOT NULL,
    last_action_date  timestamptz NOT NULL DEFAULT now(),
    last_action_type  text NOT NULL,
    field_name        text NOT NULL DEFAULT '',
    previous_value    text NOT NULL DEFAULT '',
    replacement_value text NOT NULL DEFAULT '',
    updated_by        text NOT NULL
);
CREATE INDEX metadata_resource_idx ON metadata (resource_id, last_action_date);

-- A partner's proposed update of one of its services, field by field (before/after as JSON),
-- until the Ufficio di Piano approves (applied, written to metadata) or rejects it with a note.
CREATE TABLE service_changes (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    service_id       uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    fields           jsonb NOT NULL,
    proposed_by      text NOT NULL,
    proposed_by_name text NOT NULL DEFAULT '',
    proposed_at      timestamptz NOT NULL DEFAULT now(),
    reviewed_by      text NOT NULL DEFAULT '',
    reviewed_at      timestamptz,
    review_note      text NOT NULL DEFAULT ''
);
-- One proposal at a time per service: the next waits for the review.
CREATE UNIQUE INDEX service_changes_one_pending_idx ON service_changes (service_id) WHERE status = 'pending';
CREATE INDEX service_changes_status_idx ON service_changes (status, proposed_at);

-- The district's settings of the directory: one row.
CREATE TABLE directory_settings (
    singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    stale_after_days integer NOT NULL DEFAULT 180 CHECK (stale_after_days BETWEEN 1 AND 3650),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO directory_settings DEFAULT VALUES;

-- +goose Down
DROP TABLE directory_settings;
DROP TABLE service_changes;
DROP TABLE metadata;
DROP TABLE attributes;
DROP TABLE taxonomy_terms;
DROP TABLE cost_options;
DROP TABLE languages;
DROP TABLE schedules;
DROP TABLE phones;
DROP TABLE contacts;
DROP TABLE service_at_locations;
DROP TABLE accessibility;
DROP TABLE addresses;
DROP TABLE locations;
DROP TRIGGER organizations_search ON organizations;
DROP FUNCTION organizations_search_follow();
DROP TABLE services;
DROP FUNCTION services_search_document();
DROP TABLE organizations;
DROP FUNCTION directory_fold(text);
