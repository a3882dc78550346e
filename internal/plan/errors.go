package plan

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
)

func notFound(what string) error {
	return apperr.New(apperr.NotFound, what+" non trovato", what+" not found")
}

var (
	errPlanNotFound       = apperr.New(apperr.NotFound, "piano non trovato", "plan not found")
	errObjectiveNotFound  = apperr.New(apperr.NotFound, "obiettivo non trovato", "objective not found")
	errIndicatorNotFound  = apperr.New(apperr.NotFound, "indicatore non trovato", "indicator not found")
	errAmendmentNotFound  = apperr.New(apperr.NotFound, "variazione non trovata", "amendment not found")
	errAssignmentNotFound = apperr.New(apperr.NotFound, "incarico non trovato", "assignment not found")
	errOnlyIntegrated     = apperr.New(apperr.Forbidden,
		"il personale sanitario modifica solo gli obiettivi di integrazione sociosanitaria",
		"health staff edit only objectives of socio-sanitary integration")
)

// storeError maps database failures to our codes at the edge of the store: a constraint the
// input broke is the caller's mistake (invalid or conflict), anything else is internal.
func storeError(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return notFound(what)
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
	return fmt.Errorf("plan: %s: %w", what, err)
}
