-- +goose Up
-- A login is bound to the browser that started it (RFC 6749 §10.12, RFC 9700 §4.7): the
-- state row keeps the hash of a value that only that browser holds in a short-lived cookie.
ALTER TABLE login_states ADD COLUMN browser_hash text NOT NULL DEFAULT '';
-- ID tokens are no longer kept: logout names the client instead of sending the token in a URL.
ALTER TABLE sessions DROP COLUMN id_token;

-- +goose Down
ALTER TABLE sessions ADD COLUMN id_token text NOT NULL DEFAULT '';
ALTER TABLE login_states DROP COLUMN browser_hash;
