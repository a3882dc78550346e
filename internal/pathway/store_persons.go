package pathway

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// personRow is a row of persons: identifying fields sealed with the person's key.
type personRow struct {
	ID             string     `gorm:"column:id;primaryKey"`
	CFBlind        []byte     `gorm:"column:cf_blind"`
	GivenNameEnc   []byte     `gorm:"column:given_name_enc"`
	FamilyNameEnc  []byte     `gorm:"column:family_name_enc"`
	CFEnc          []byte     `gorm:"column:cf_enc"`
	BirthDateEnc   []byte     `gorm:"column:birth_date_enc"`
	ContactsEnc    []byte     `gorm:"column:contacts_enc"`
	Sex            string     `gorm:"column:sex"`
	MunicipalityID *int64     `gorm:"column:municipality_id"`
	Language       string     `gorm:"column:language"`
	CreatedAt      time.Time  `gorm:"column:created_at;->"`
	CreatedBy      string     `gorm:"column:created_by"`
	ErasedAt       *time.Time `gorm:"column:erased_at;->"`
	Municipality   string     `gorm:"column:municipality;->"` // read through the join
}

func (personRow) TableName() string { return "persons" }

// sealPerson fills the row's sealed fields from in (checked, CF normalised).
func (s *session) sealPerson(r *personRow, in PersonInput) error {
	contacts, err := json.Marshal(in.Contacts)
	if err != nil {
		return err
	}
	if in.Contacts == (Contacts{}) {
		contacts = nil
	}
	fields := []struct {
		dst   *[]byte
		name  string
		value string
	}{
		{&r.GivenNameEnc, "given_name_enc", in.GivenName},
		{&r.FamilyNameEnc, "family_name_enc", in.FamilyName},
		{&r.CFEnc, "cf_enc", in.CodiceFisc},
		{&r.BirthDateEnc, "birth_date_enc", in.BirthDate},
		{&r.ContactsEnc, "contacts_enc", string(contacts)},
	}
	for _, f := range fields {
		if *f.dst, err = s.keys.Seal(r.ID, f.name, f.value); err != nil {
			return err
		}
	}
	r.CFBlind = nil
	if in.CodiceFisc != "" {
		if r.CFBlind, err = s.keys.Blind("codice_fiscale", in.CodiceFisc); err != nil {
			return err
		}
	}
	r.Sex, r.Language = in.Sex, in.Language
	return nil
}

// openPerson decrypts a row; an erased person keeps only the fact of having been.
func (s *session) openPerson(r personRow) (Person, error) {
	p := Person{ID: r.ID, Sex: r.Sex, Municipality: r.Municipality, Language: r.Language, CreatedAt: r.CreatedAt,
		Erased: r.ErasedAt != nil}
	if p.Erased {
		return p, nil
	}
	var contacts string
	fields := []struct {
		dst   *string
		name  string
		value []byte
	}{
		{&p.GivenName, "given_name_enc", r.GivenNameEnc},
		{&p.FamilyName, "family_name_enc", r.FamilyNameEnc},
		{&p.CodiceFisc, "cf_enc", r.CFEnc},
		{&p.BirthDate, "birth_date_enc", r.BirthDateEnc},
		{&contacts, "contacts_enc", r.ContactsEnc},
	}
	for _, f := range fields {
		v, err := s.keys.Open(r.ID, f.name, f.value)
		if keyring.IsShredded(err) {
			return Person{ID: r.ID, Erased: true}, nil
		}
		if err != nil {
			return Person{}, err
		}
		*f.dst = v
	}
	if contacts != "" {
		if err := json.Unmarshal([]byte(contacts), &p.Contacts); err != nil {
			return Person{}, fmt.Errorf("pathway: contacts of %s: %w", r.ID, err)
		}
	}
	return p, nil
}

// findPersonRow reads a person's row with the name of their comune.
func findPersonRow(tx *tenancy.Tx, id string) (personRow, bool, error) {
	var rows []personRow
	err := tx.Raw(`SELECT p.*, COALESCE(m.name, '') AS municipality FROM persons p
		LEFT JOIN municipalities m ON m.id = p.municipality_id WHERE p.id = ?`, id).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return personRow{}, false, err
	}
	return rows[0], true, nil
}

// findPersonRows reads the rows of many persons in one query (a caseload's), by id.
func findPersonRows(tx *tenancy.Tx, ids []string) (map[string]personRow, error) {
	out := make(map[string]personRow, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []personRow
	err := tx.Raw(`SELECT p.*, COALESCE(m.name, '') AS municipality FROM persons p
		LEFT JOIN municipalities m ON m.id = p.municipality_id WHERE p.id IN ?`, ids).Scan(&rows).Error
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, err
}

// personByCF is the id of the person with that codice fiscale (normalised), "" if none.
func (s *session) personByCF(cf string) (string, error) {
	blind, err := s.keys.Blind("codice_fiscale", cf)
	if err != nil {
		return "", err
	}
	var ids []string
	if err := s.Raw(`SELECT id::text FROM persons WHERE cf_blind = ?`, blind).Scan(&ids).Error; err != nil {
		return "", err
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// errDuplicateCF answers a codice fiscale already registered: it names nobody.
var errDuplicateCF = apperr.New(apperr.Conflict,
	"esiste già una persona con questo codice fiscale: cercarla per codice fiscale e aprire il percorso per la persona esistente",
	"a person with this codice fiscale already exists: find them by codice fiscale and open the pathway for the existing person").
	WithField("person.codice_fiscale")

// storeError turns the unique index on cf_blind (a concurrent registration) into the conflict.
func storeError(err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == "persons_cf_blind_key" {
		return errDuplicateCF
	}
	return err
}
