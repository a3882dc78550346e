package db

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// ConstraintName is the name of the constraint (or of the trigger's named constraint) that
// PostgreSQL says err broke, "" if none: a room maps its own named rules (a frozen record, a
// state a trigger guards) to its words before handing the rest to Constraint.
func ConstraintName(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.ConstraintName
	}
	return ""
}
