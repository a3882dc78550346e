-- The direction of an indicator (issue 19): whether a higher value is better (crescente, the
-- default), a lower one (decrescente: "entro 30 giorni"), or a value within a range
-- (intervallo: target_min..target_max). Progress is computed accordingly, so that 25 giorni
-- against "entro 30 giorni" reads as on target, not as 83%.
-- Runs with search_path = the district schema; never qualify names here.

-- +goose Up
ALTER TABLE indicators
    ADD COLUMN direction  text NOT NULL DEFAULT 'crescente' CHECK (direction IN ('crescente', 'decrescente', 'intervallo')),
    ADD COLUMN target_min numeric(14, 2),
    ADD COLUMN target_max numeric(14, 2),
    ADD CHECK (direction <> 'intervallo' OR (target_min IS NOT NULL AND target_max IS NOT NULL AND target_min <= target_max));

-- +goose Down
ALTER TABLE indicators DROP COLUMN target_max, DROP COLUMN target_min, DROP COLUMN direction;
