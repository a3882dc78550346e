package pathway

import (
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// day reads a "YYYY-MM-DD" date of field, as midnight UTC (how the database's date columns
// travel); required says whether "" is refused.
func day(field, v string, required bool) (time.Time, bool, error) {
	if v == "" {
		if required {
			return time.Time{}, false, apperr.Invalidf(field, "data obbligatoria (AAAA-MM-GG)", "date required (YYYY-MM-DD)")
		}
		return time.Time{}, false, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, false, apperr.Invalidf(field, "data non valida, nel formato AAAA-MM-GG", "invalid date, format YYYY-MM-DD")
	}
	// Year 0 parses in Go but not in PostgreSQL, and no date of a person's pathway (not even a
	// birth) is that old or centuries ahead: out of range is the person's mistake, not a 500.
	if t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, false, apperr.Invalidf(field, "data fuori dall'intervallo ammesso (1900–2199)", "date out of range (1900–2199)")
	}
	return t, true, nil
}

// minYear and maxYear bound every date the room accepts.
const minYear, maxYear = 1900, 2199

// pastDay reads a required date that cannot be in the future.
func (s *Service) pastDay(field, v string) (time.Time, error) {
	t, _, err := day(field, v, true)
	if err != nil {
		return t, err
	}
	if t.After(s.day()) {
		return t, apperr.Invalidf(field, "la data non può essere nel futuro", "the date cannot be in the future")
	}
	return t, nil
}

// day is today's date in the district (Europe/Rome), as midnight UTC like day's dates.
func (s *Service) day() time.Time {
	y, m, d := s.today().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dateOf formats a date column; nil gives "".
func dateOf(t *time.Time) Date {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// validID reports whether id can name a row: anything else is simply not found (and never
// reaches PostgreSQL as a malformed uuid, which would be a 500).
func validID(id string) bool {
	_, err := uuid.Parse(id)
	return err == nil && len(id) == 36
}

// ageOn is the age in whole years on a day.
func ageOn(birth, on time.Time) int {
	age := on.Year() - birth.Year()
	if on.Month() < birth.Month() || on.Month() == birth.Month() && on.Day() < birth.Day() {
		age--
	}
	return age
}

// neetStates are the NEET statuses recorded at the start and the close of a pathway.
var neetStates = map[string]bool{"studio": true, "lavoro": true, "formazione": true, "nessuno": true}

// mayOpenOwn reports whether the actor works their own caseload (a link worker: reads and
// writes their pathways) without being health staff, who open no pathway.
func mayOpenOwn(a actor.Actor) bool {
	return a.Can(object, actRead) && a.Can(object, actWrite) && !a.Can(object, actReadHealth)
}

var errForbidden = apperr.New(apperr.Forbidden, "operazione non consentita al proprio ruolo", "not allowed for your role")

// need refuses an actor without the action on pathways.
func need(a actor.Actor, act string) error {
	if !a.Can(object, act) {
		return errForbidden
	}
	return nil
}
