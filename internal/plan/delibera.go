package plan

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Delibera is the act of the Assemblea dei Sindaci that approves a plan or an amendment: its
// number ("12/2024") and date (YYYY-MM-DD). The Assemblea's approval through the API and the
// pages requires it, so the plan's page and documents can cite it.
type Delibera struct {
	Number string `json:"delibera_number"`
	Date   string `json:"delibera_date"`
}

// validate trims and checks the act: a number (at most 50 characters) and a date not in the
// future, both at once. Invalid naming delibera_number and/or delibera_date.
func (d *Delibera) validate() error {
	var ps problems
	d.Number, d.Date = strings.TrimSpace(d.Number), strings.TrimSpace(d.Date)
	switch {
	case d.Number == "":
		ps.add(apperr.Invalidf("delibera_number", "Indicare il numero della delibera dell'Assemblea (es. 12/2024)", "Enter the number of the Assemblea's delibera (e.g. 12/2024)"))
	case utf8.RuneCountInString(d.Number) > 50 || !utf8.ValidString(d.Number) || strings.ContainsRune(d.Number, 0):
		ps.add(apperr.Invalidf("delibera_number", "Il numero della delibera è troppo lungo: al massimo 50 caratteri", "The delibera's number is too long: at most 50 characters"))
	}
	switch {
	case d.Date == "":
		ps.add(apperr.Invalidf("delibera_date", "Indicare la data della delibera", "Enter the date of the delibera"))
	case checkDate("delibera_date", d.Date) != nil:
		ps.add(checkDate("delibera_date", d.Date))
	case d.date().After(time.Now()):
		ps.add(apperr.Invalidf("delibera_date", "La data della delibera non può essere futura", "The delibera's date cannot be in the future"))
	}
	return ps.err()
}

func (d Delibera) date() *time.Time {
	t, err := time.Parse(time.DateOnly, d.Date)
	if err != nil {
		return nil
	}
	return &t
}

// recordDelibera writes the act on the approved plan or amendment (table is a constant).
func recordDelibera(tx *tenancy.Tx, table string, id int64, d Delibera) error {
	return tx.Exec(`UPDATE `+table+` SET delibera_number = ?, delibera_date = ? WHERE id = ?`, d.Number, d.Date, id).Error
}

// ApproveWithDelibera approves a proposed plan, recording the Assemblea's delibera (required).
func (s *Service) ApproveWithDelibera(ctx context.Context, actor Actor, id int64, note string, d Delibera) (Plan, error) {
	if err := d.validate(); err != nil {
		return Plan{}, err
	}
	return s.move(ctx, actor, id, approve, note, &d)
}

// ApproveAmendmentWithDelibera approves a proposed amendment, recording the Assemblea's
// delibera (required).
func (s *Service) ApproveAmendmentWithDelibera(ctx context.Context, actor Actor, planID, id int64, note string, d Delibera) (Amendment, error) {
	if err := d.validate(); err != nil {
		return Amendment{}, err
	}
	return s.moveAmendment(ctx, actor, planID, id, AmendmentProposed, AmendmentApproved, note, d)
}
