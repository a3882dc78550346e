package pathway

// A minimal stand-in for the core's loadPerson and detailOf (people.go, detail.go), so that the
// DPO's part builds on its own branch. The integrator deletes this file and keeps the core's.

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

type dpoStubPersonRow struct {
	ID            string
	GivenNameEnc  []byte
	FamilyNameEnc []byte
	CfEnc         []byte
	BirthDateEnc  []byte
	ContactsEnc   []byte
	Sex           string
	Language      string
	CreatedAt     time.Time
	ErasedAt      *time.Time
}

func (s *session) loadPerson(id string) (Person, error) {
	var rows []dpoStubPersonRow
	if err := s.Raw(`SELECT id, given_name_enc, family_name_enc, cf_enc, birth_date_enc, contacts_enc,
		sex, language, created_at, erased_at FROM persons WHERE id = ?`, id).Scan(&rows).Error; err != nil {
		return Person{}, fmt.Errorf("pathway: read a person: %w", err)
	}
	if len(rows) == 0 {
		return Person{}, errPersonNotFound
	}
	r := rows[0]
	if r.ErasedAt != nil {
		return Person{}, keyring.ErrShredded
	}
	p := Person{ID: r.ID, Sex: r.Sex, Language: r.Language, CreatedAt: r.CreatedAt}
	var contacts string
	for _, f := range []struct {
		col string
		enc []byte
		to  *string
	}{
		{"given_name_enc", r.GivenNameEnc, &p.GivenName},
		{"family_name_enc", r.FamilyNameEnc, &p.FamilyName},
		{"cf_enc", r.CfEnc, &p.CodiceFisc},
		{"birth_date_enc", r.BirthDateEnc, &p.BirthDate},
		{"contacts_enc", r.ContactsEnc, &contacts},
	} {
		v, err := s.keys.Open(id, f.col, f.enc)
		if err != nil {
			return Person{}, err
		}
		*f.to = v
	}
	if contacts != "" {
		if err := json.Unmarshal([]byte(contacts), &p.Contacts); err != nil {
			return Person{}, fmt.Errorf("pathway: a person's contacts: %w", err)
		}
	}
	s.Audit(tenancy.Access{Subject: id, What: "persona", Action: "read", Detail: id})
	return p, nil
}

func (s *session) detailOf(p Pathway, r reach) (Detail, error) {
	person, err := s.loadPerson(p.PersonID)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Pathway: p, Person: person, HealthView: r == reachHealth}
	return d, s.loadRecords(&d, r)
}
