package pathway

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

var languageShape = regexp.MustCompile(`^([a-z]{2,3})?$`)

// checkPerson validates and normalises a person's details (fields under prefix, e.g.
// "person."); it returns their comune's id.
func (s *session) checkPerson(prefix string, in *PersonInput) (*int64, error) {
	in.GivenName, in.FamilyName = strings.TrimSpace(in.GivenName), strings.TrimSpace(in.FamilyName)
	in.CodiceFisc = NormalizeCF(in.CodiceFisc)
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	switch {
	case in.GivenName == "":
		return nil, apperr.Invalidf(prefix+"given_name", "il nome è obbligatorio", "the given name is required")
	case in.FamilyName == "":
		return nil, apperr.Invalidf(prefix+"family_name", "il cognome è obbligatorio", "the family name is required")
	case in.CodiceFisc != "" && !ValidCF(in.CodiceFisc):
		return nil, apperr.Invalidf(prefix+"codice_fiscale", "codice fiscale non valido", "invalid codice fiscale")
	case in.Sex != "" && in.Sex != "F" && in.Sex != "M" && in.Sex != "X":
		return nil, apperr.Invalidf(prefix+"sex", "sesso: F, M, X o vuoto", "sex: F, M, X or empty")
	case !languageShape.MatchString(in.Language):
		return nil, apperr.Invalidf(prefix+"language", "lingua: codice ISO 639 (per esempio it, en, pt)", "language: an ISO 639 code (e.g. it, en, pt)")
	}
	if _, err := s.svc.pastDay(prefix+"birth_date", in.BirthDate); err != nil {
		return nil, err
	}
	return s.municipality(prefix+"municipality", in.Municipality)
}

// municipality is the id of one of the district's comuni by name; "" gives none.
func (s *session) municipality(field, name string) (*int64, error) {
	if strings.TrimSpace(name) == "" {
		return nil, nil
	}
	var ids []int64
	if err := s.Raw(`SELECT id FROM municipalities WHERE name = ?`, strings.TrimSpace(name)).Scan(&ids).Error; err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.Invalidf(field, "il comune non è tra quelli del distretto", "the comune is not one of the district's")
	}
	return &ids[0], nil
}

// checkAge refuses a person outside the programme's ages on the day of engagement.
func checkAge(field string, prog Programme, birth Date, on time.Time) error {
	b, err := time.ParseInLocation(time.DateOnly, birth, rome)
	if err != nil {
		return apperr.Invalidf(field, "data di nascita mancante o non valida", "birth date missing or invalid")
	}
	if age := ageOn(b, on); age < prog.MinAge || age > prog.MaxAge {
		return apperr.Invalidf(field, "età fuori dal programma (%d–%d anni al momento dell'aggancio)",
			"age outside the programme (%d–%d years at engagement)", prog.MinAge, prog.MaxAge)
	}
	return nil
}

// createPerson stores a new, checked person and audits it.
func (s *session) createPerson(in PersonInput, muni *int64) (string, error) {
	if in.CodiceFisc != "" {
		if id, err := s.personByCF(in.CodiceFisc); err != nil || id != "" {
			if err == nil {
				err = errDuplicateCF
			}
			return "", err
		}
	}
	r := personRow{ID: uuid.NewString(), MunicipalityID: muni, CreatedBy: s.Actor.ID}
	if err := s.sealPerson(&r, in); err != nil {
		return "", err
	}
	if err := s.Omit("created_at", "erased_at", "municipality").Create(&r).Error; err != nil {
		return "", storeError(err)
	}
	s.Audit(tenancy.Access{Subject: r.ID, What: "persona", Action: "create", Detail: r.ID})
	return r.ID, nil
}

// loadPerson decrypts a person and audits the read. It does not check visibility: callers
// reach a person through a pathway they see (or personVisible).
func (s *session) loadPerson(id string) (Person, error) {
	if !validID(id) {
		return Person{}, errPersonNotFound
	}
	r, ok, err := findPersonRow(s.Tx, id)
	if err != nil {
		return Person{}, err
	}
	if !ok {
		return Person{}, errPersonNotFound
	}
	s.Audit(tenancy.Access{Subject: id, What: "persona", Action: "read", Detail: id})
	return s.openPerson(r)
}

// personReach is the most the actor sees of any pathway of the person; the coordinator (assign)
// sees every person.
func (s *session) personReach(id string) (reach, error) {
	if !validID(id) {
		return reachNone, nil
	}
	ps, err := s.pathwaysOf(id)
	if err != nil {
		return reachNone, err
	}
	best := reachNone
	for _, p := range ps {
		if r := s.reachOf(p); r > best {
			best = r
		}
	}
	if best < reachFull && s.Actor.Can(object, actAssign) {
		var n int64
		if err := s.Table("persons").Where("id = ?", id).Count(&n).Error; err != nil {
			return reachNone, err
		}
		if n > 0 {
			best = reachFull
		}
	}
	return best, nil
}

// Person returns a person whose pathway the actor sees (404 otherwise).
func (s *Service) Person(ctx context.Context, a actor.Actor, id string) (Person, error) {
	var p Person
	err := s.work(ctx, a, func(ses *session) error {
		r, err := ses.personReach(id)
		if err != nil {
			return err
		}
		if r == reachNone {
			return errPersonNotFound
		}
		p, err = ses.loadPerson(id)
		return err
	})
	return p, err
}

// UpdatePerson replaces a person's details: their link worker or the coordinator.
func (s *Service) UpdatePerson(ctx context.Context, a actor.Actor, id string, in PersonInput) (Person, error) {
	if err := need(a, actWrite); err != nil {
		return Person{}, err
	}
	var p Person
	err := s.work(ctx, a, func(ses *session) error {
		r, err := ses.personReach(id)
		if err != nil {
			return err
		}
		if r != reachFull {
			return errPersonNotFound
		}
		if p, err = ses.updatePerson(id, in); err != nil {
			return err
		}
		return ses.checkAges(id, in.BirthDate) // a refusal rolls the update back
	})
	return p, err
}

// checkAges refuses a birth date that puts the person outside the ages of a programme they
// are in, on the day they were engaged, as opening the pathway did.
func (s *session) checkAges(id string, birth Date) error {
	ps, err := s.pathwaysOf(id)
	if err != nil {
		return err
	}
	for _, p := range ps {
		on, err := time.ParseInLocation(time.DateOnly, p.EngagedOn, rome)
		if err != nil {
			return fmt.Errorf("pathway: engaged_on %q: %w", p.EngagedOn, err)
		}
		if err := checkAge("birth_date", s.svc.programmes[p.Programme], birth, on); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) updatePerson(id string, in PersonInput) (Person, error) {
	muni, err := s.checkPerson("", &in)
	if err != nil {
		return Person{}, err
	}
	if in.CodiceFisc != "" {
		other, err := s.personByCF(in.CodiceFisc)
		if err != nil {
			return Person{}, err
		}
		if other != "" && other != id {
			return Person{}, errDuplicateCF.WithField("codice_fiscale")
		}
	}
	r := personRow{ID: id, MunicipalityID: muni}
	if err := s.sealPerson(&r, in); err != nil {
		return Person{}, err
	}
	res := s.Model(&personRow{}).Where("id = ? AND erased_at IS NULL", id).Updates(map[string]any{
		"cf_blind": r.CFBlind, "given_name_enc": r.GivenNameEnc, "family_name_enc": r.FamilyNameEnc, "cf_enc": r.CFEnc,
		"birth_date_enc": r.BirthDateEnc, "contacts_enc": r.ContactsEnc, "sex": r.Sex, "municipality_id": muni,
		"language": r.Language, "updated_at": s.svc.now(),
	})
	if res.Error != nil {
		return Person{}, storeError(res.Error)
	}
	if res.RowsAffected == 0 {
		return Person{}, apperr.New(apperr.Conflict, "i dati della persona sono stati cancellati", "the person's data was erased")
	}
	s.Audit(tenancy.Access{Subject: id, What: "persona", Action: "update", Detail: id})
	return s.loadPerson(id)
}

// FindByCF returns the pathways the actor sees of the person with that codice fiscale (none
// when there is no such person, or the actor sees none of their pathways).
func (s *Service) FindByCF(ctx context.Context, a actor.Actor, cf string) ([]CaseloadItem, error) {
	cf = NormalizeCF(cf)
	if !ValidCF(cf) {
		return nil, apperr.Invalidf("codice_fiscale", "codice fiscale non valido", "invalid codice fiscale")
	}
	var items []CaseloadItem
	err := s.work(ctx, a, func(ses *session) error {
		id, err := ses.personByCF(cf)
		if err != nil || id == "" {
			return err
		}
		items, _, err = ses.caseload(CaseloadFilter{IncludeClosed: true, Limit: 100}, "pathways.person_id = ?", id)
		return err
	})
	return items, err
}
