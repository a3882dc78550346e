package plan

import (
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
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
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return notFound(what)
	}
	err = db.Constraint(err, what)
	if _, ok := apperr.As(err); ok || err == nil {
		return err
	}
	return fmt.Errorf("plan: %s: %w", what, err)
}
