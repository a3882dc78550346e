package db

import (
	"errors"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Constraint maps a constraint the input broke to the caller's mistake, named after what was
// being written ("obiettivo", "servizio"): a duplicate or a foreign key is a Conflict, a check
// an Invalid. It returns nil for nil and err unchanged for anything else, which stays the
// store's own failure. Features call it at the edge of their store, so that every room answers
// the same broken constraint with the same words.
func Constraint(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return apperr.Wrap(apperr.Conflict, err, what+": esiste già", what+": already exists")
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return apperr.Wrap(apperr.Conflict, err, what+": collegato ad altri dati o riferimento inesistente", what+": linked to other data, or a reference that does not exist")
	case errors.Is(err, gorm.ErrCheckConstraintViolated):
		return apperr.Wrap(apperr.Invalid, err, what+": valore non ammesso", what+": value not allowed")
	}
	return err
}
