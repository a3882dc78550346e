-- The needs a service answers (the names of its taxonomy terms: "Sport e tempo libero") are
-- words a citizen or a link worker searches with: "sportivo" must find the football club whose
-- own texts never say "sport". They join the service's search document with the weight of
-- its organisation (B), and a change of the service's terms refreshes it.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION services_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search :=
        setweight(to_tsvector('italian', directory_fold(NEW.name)), 'A') ||
        setweight(to_tsvector('italian', directory_fold(NEW.alternate_name || ' ' ||
            coalesce((SELECT o.name || ' ' || o.alternate_name FROM organizations o WHERE o.id = NEW.organization_id), '') || ' ' ||
            coalesce((SELECT string_agg(t.name, ' ' ORDER BY t.name) FROM attributes a JOIN taxonomy_terms t ON t.id = a.taxonomy_term_id
                      WHERE a.link_entity = 'service' AND a.link_id = NEW.id), ''))), 'B') ||
        setweight(to_tsvector('italian', directory_fold(NEW.description)), 'C') ||
        setweight(to_tsvector('italian', directory_fold(NEW.eligibility_description)), 'D');
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- A service's terms changed: its document follows (the SET names organization_id, so the
-- services trigger fires, as for a renamed organisation).
-- +goose StatementBegin
CREATE FUNCTION attributes_search_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.link_entity = 'service' THEN
        UPDATE services SET organization_id = organization_id WHERE id = OLD.link_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.link_entity = 'service' THEN
        UPDATE services SET organization_id = organization_id WHERE id = NEW.link_id;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER attributes_search AFTER INSERT OR UPDATE OR DELETE ON attributes
    FOR EACH ROW EXECUTE FUNCTION attributes_search_follow();

UPDATE services SET organization_id = organization_id;

-- +goose Down
DROP TRIGGER attributes_search ON attributes;
DROP FUNCTION attributes_search_follow();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION services_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
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
UPDATE services SET organization_id = organization_id;
