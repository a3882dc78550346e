package pathway

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// recordTarget is the pathway a record is written to, locked for the transaction so that
// checks over its other records (one baseline, the latest project version) hold until commit.
type recordTarget struct {
	Pathway
	prog  Programme
	reach reach
}

// errHealthOnly refuses health staff, who see a pathway's health view, a record of its social side.
var errHealthOnly = apperr.New(apperr.Forbidden,
	"il personale sanitario registra solo le valutazioni sanitarie e la firma dell'ASST",
	"health staff record only the health assessments and the health authority's signature")

var errCannotWrite = apperr.New(apperr.Forbidden, "non autorizzato a registrare dati del percorso",
	"not allowed to record data of the pathway")

// openForRecord opens the pathway id for a new or changed record: the actor may write
// pathways and sees this one (healthOK: its health view suffices), and the pathway takes new
// records (open, consent not withdrawn). Not found when it is not the actor's to see.
func (s *session) openForRecord(id string, healthOK bool) (recordTarget, error) {
	if !s.Actor.Can(object, actWrite) {
		return recordTarget{}, errCannotWrite
	}
	p, r, err := s.loadPathway(id)
	if err != nil {
		return recordTarget{}, err
	}
	if r == reachNone {
		return recordTarget{}, errNotFound
	}
	if r == reachHealth && !healthOK {
		return recordTarget{}, errHealthOnly
	}
	if err := s.requireWritable(p); err != nil {
		return recordTarget{}, err
	}
	prog, ok := s.svc.programmes[p.Programme]
	if !ok {
		return recordTarget{}, fmt.Errorf("pathway: programme %q of pathway %s is not shipped", p.Programme, p.ID)
	}
	if err := s.Exec("SELECT 1 FROM pathways WHERE id = ? FOR UPDATE", p.ID).Error; err != nil {
		return recordTarget{}, err
	}
	return recordTarget{Pathway: p, prog: prog, reach: r}, nil
}

// recorded writes the history line and the audit row of one record written.
func (s *session) recorded(t recordTarget, kind, what, action, recordID, detail string) error {
	if err := s.event(t.Pathway, kind, "", "", strings.TrimSpace(detail+" "+recordID)); err != nil {
		return err
	}
	s.Audit(tenancy.Access{Subject: t.PersonID, What: what, Action: action, Detail: recordID})
	return nil
}

// seal encrypts a column of the pathway's person.
func (s *session) seal(t recordTarget, column, plain string) ([]byte, error) {
	return s.keys.Seal(t.PersonID, column, plain)
}

// recDay checks a "YYYY-MM-DD" field: required unless optional, a real day, and not after
// today when notFuture. It returns "" for an empty optional field.
func (s *session) recDay(field, v string, required, notFuture bool) (string, error) {
	if v == "" {
		if required {
			return "", apperr.Invalidf(field, "data obbligatoria (AAAA-MM-GG)", "date required (YYYY-MM-DD)")
		}
		return "", nil
	}
	d, err := time.ParseInLocation(time.DateOnly, v, rome)
	if err != nil || d.Year() < 1900 {
		return "", apperr.Invalidf(field, "data non valida: usare AAAA-MM-GG", "invalid date: use YYYY-MM-DD")
	}
	if notFuture && d.After(s.svc.today()) {
		return "", apperr.Invalidf(field, "la data non può essere futura", "the date cannot be in the future")
	}
	return v, nil
}

// recNotBefore refuses a day (later) before another (earlier), both valid or empty.
func recNotBefore(field, later, earlier string) error {
	if later != "" && earlier != "" && later < earlier {
		return apperr.Invalidf(field, "la data non può precedere l'inizio", "the date cannot precede the start")
	}
	return nil
}

// recText checks a free text: required unless optional, at most max characters.
func recText(field, v string, required bool, max int) (string, error) {
	v = strings.TrimSpace(v)
	if required && v == "" {
		return "", apperr.Invalidf(field, "campo obbligatorio", "required field")
	}
	if utf8.RuneCountInString(v) > max {
		return "", apperr.Invalidf(field, "testo troppo lungo (massimo %d caratteri)", "text too long (at most %d characters)", max)
	}
	return v, nil
}

// recOneOf checks a code against its allowed values.
func recOneOf(field, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return apperr.Invalidf(field, "valore non ammesso: %s", "value not allowed: %s", strings.Join(allowed, ", "))
}

// recID checks a record id of a path; anything but a UUID is simply not found.
func recID(id string, notFound error) error {
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		return notFound
	}
	return nil
}

// recordError maps database failures to our codes at the edge of the records' store: a
// signed project's content (the trigger projects_frozen) is a conflict with its reason; the
// other constraints as every room maps them; anything else stays internal.
func recordError(err error, what string) error {
	if err == nil {
		return nil
	}
	if db.ConstraintName(err) == "projects_frozen" {
		return apperr.Wrap(apperr.Conflict, err,
			"un Progetto Individualizzato firmato non si modifica: crearne una nuova versione",
			"a signed Individual Project cannot change: make a new version")
	}
	err = db.Constraint(err, what)
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("pathway: %s: %w", what, err)
}
