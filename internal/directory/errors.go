package directory

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
)

var (
	errServiceNotFound      = apperr.New(apperr.NotFound, "servizio non trovato", "service not found")
	errOrganizationNotFound = apperr.New(apperr.NotFound, "organizzazione non trovata", "organization not found")
	errChangeNotFound       = apperr.New(apperr.NotFound, "proposta di modifica non trovata", "proposed change not found")
)

// validID reports whether s is a UUID, as HSDS ids are.
func validID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// storeError maps database failures to our codes at the edge of the store: a constraint the
// input broke is the caller's mistake, anything else is internal.
func storeError(err error, what string) error {
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
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("directory: %s: %w", what, err)
}
