-- An indicator of the plan may be bound to a figure of the district's pathways (issue 17): it
-- then measures itself, year by year of the plan's period, from the district's own facts
-- (platform.district_facts, section "pathways"), and takes no manual measurement. Both empty:
-- not bound. bound_figure: engaged, started, closed, closed:<reason>, referrals_sent,
-- referrals_accepted, referrals_concluded, ons4_change:<item>, neet_left_share.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
ALTER TABLE indicators
    ADD COLUMN bound_programme text NOT NULL DEFAULT '',
    ADD COLUMN bound_figure    text NOT NULL DEFAULT '',
    ADD CHECK ((bound_programme = '') = (bound_figure = ''));

-- +goose Down
ALTER TABLE indicators DROP COLUMN bound_figure, DROP COLUMN bound_programme;
