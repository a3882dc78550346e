package directory

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
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
	err = db.Constraint(err, what)
	if _, ok := apperr.As(err); ok || err == nil {
		return err
	}
	return fmt.Errorf("directory: %s: %w", what, err)
}
