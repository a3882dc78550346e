package pathway

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// consentRow is a row of consents.
type consentRow struct {
	ID             string    `gorm:"column:id;primaryKey;->"`
	PersonID       string    `gorm:"column:person_id"`
	Purpose        string    `gorm:"column:purpose"`
	Party          string    `gorm:"column:party"`
	Given          bool      `gorm:"column:given"`
	NoticeVersion  string    `gorm:"column:notice_version"`
	RecordedAt     time.Time `gorm:"column:recorded_at"`
	RecordedBy     string    `gorm:"column:recorded_by"`
	RecordedByName string    `gorm:"column:recorded_by_name"`
}

func (consentRow) TableName() string { return "consents" }

func (r consentRow) consent() Consent {
	return Consent{ID: r.ID, PersonID: r.PersonID, Purpose: r.Purpose, Party: r.Party, Given: r.Given,
		NoticeVersion: r.NoticeVersion, RecordedAt: r.RecordedAt, RecordedBy: r.RecordedBy, RecordedByName: r.RecordedByName}
}

// partyShape is a consent party: a code (sanita), a directory organisation's partner code, or
// its id (a uuid) when it has none.
var partyShape = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,63}$`)

// checkConsent validates a consent decision.
func checkConsent(in *ConsentInput) error {
	in.Party, in.NoticeVersion = strings.TrimSpace(in.Party), strings.TrimSpace(in.NoticeVersion)
	switch {
	case in.Purpose != PurposeProcessing && in.Purpose != PurposeSharing && in.Purpose != PurposeResearch:
		return apperr.Invalidf("purpose", "finalità: trattamento, condivisione o ricerca", "purpose: trattamento, condivisione or ricerca")
	case in.Purpose == PurposeSharing && !partyShape.MatchString(in.Party):
		return apperr.Invalidf("party", "indicare l'ente con cui condividere (per esempio sanita)", "name the body to share with (e.g. sanita)")
	case in.Purpose != PurposeSharing && in.Party != "":
		return apperr.Invalidf("party", "l'ente si indica solo per la condivisione", "a party is named only for sharing")
	case in.NoticeVersion == "":
		return apperr.Invalidf("notice_version", "indicare la versione dell'informativa", "the information notice's version is required")
	}
	return nil
}

// addConsent stores a decision (checked), audits it and writes it in the history of the
// person's pathways. recorded_at is the clock's, not the transaction's: two decisions in one
// transaction keep their order.
func (s *session) addConsent(personID string, in ConsentInput) (Consent, error) {
	var r consentRow
	err := s.Raw(`INSERT INTO consents (person_id, purpose, party, given, notice_version, recorded_at, recorded_by, recorded_by_name)
		VALUES (?, ?, ?, ?, ?, clock_timestamp(), ?, ?) RETURNING *`,
		personID, in.Purpose, in.Party, in.Given, in.NoticeVersion, s.Actor.ID, s.Actor.Name).Scan(&r).Error
	if err != nil {
		return Consent{}, err
	}
	s.Audit(tenancy.Access{Subject: personID, What: "consenso", Action: "create", Detail: r.ID})
	var ids []string
	if err := s.Raw(`SELECT id::text FROM pathways WHERE person_id = ?`, personID).Scan(&ids).Error; err != nil {
		return Consent{}, err
	}
	detail := consentDetail(in.Purpose, in.Party, in.Given)
	for _, id := range ids {
		if err := s.event(Pathway{ID: id}, "consent", "", "", detail); err != nil {
			return Consent{}, err
		}
	}
	return r.consent(), nil
}

// consentDetail is a consent event's detail: "purpose:party:dato|revocato".
func consentDetail(purpose, party string, given bool) string {
	if given {
		return purpose + ":" + party + ":dato"
	}
	return purpose + ":" + party + ":revocato"
}

// currentConsents is the latest decision per purpose and party.
func (s *session) currentConsents(personID string) ([]Consent, error) {
	var rows []consentRow
	err := s.Raw(`SELECT DISTINCT ON (purpose, party) * FROM consents WHERE person_id = ?
		ORDER BY purpose, party, recorded_at DESC`, personID).Scan(&rows).Error
	return consents(rows), err
}

func consents(rows []consentRow) []Consent {
	out := make([]Consent, len(rows))
	for i, r := range rows {
		out[i] = r.consent()
	}
	return out
}

// given reports whether the latest decision on purpose (party "" unless sharing) is a yes;
// found says whether there is any.
func (s *session) given(personID, purpose, party string) (given, found bool, err error) {
	var rows []consentRow
	err = s.Where("person_id = ? AND purpose = ? AND party = ?", personID, purpose, party).
		Order("recorded_at DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return false, false, err
	}
	return rows[0].Given, true, nil
}

// requireWritable refuses a change to a closed pathway, or to one whose person withdrew the
// consent to the pathway itself: it is frozen, and may only be closed.
func (s *session) requireWritable(p Pathway) error {
	if p.ClosedOn != "" {
		return apperr.New(apperr.Conflict, "il percorso è chiuso", "the pathway is closed")
	}
	ok, _, err := s.given(p.PersonID, PurposeProcessing, "")
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Conflict,
			"il consenso al trattamento è stato revocato: il percorso è sospeso e si può solo chiudere",
			"the consent to processing was withdrawn: the pathway is frozen and may only be closed")
	}
	return nil
}

// RecordConsent records a person's decision on a purpose: whoever works one of their pathways
// (full reach), or the coordinator.
func (s *Service) RecordConsent(ctx context.Context, a actor.Actor, personID string, in ConsentInput) (Consent, error) {
	if err := need(a, actWrite); err != nil {
		return Consent{}, err
	}
	if err := checkConsent(&in); err != nil {
		return Consent{}, err
	}
	var c Consent
	err := s.work(ctx, a, func(ses *session) error {
		r, err := ses.personReach(personID)
		if err != nil {
			return err
		}
		if r != reachFull {
			return errPersonNotFound
		}
		c, err = ses.addConsent(personID, in)
		return err
	})
	return c, err
}

// Consents is the whole history of a person's decisions, newest first, for whoever sees one
// of their pathways.
func (s *Service) Consents(ctx context.Context, a actor.Actor, personID string) ([]Consent, error) {
	var out []Consent
	err := s.work(ctx, a, func(ses *session) error {
		r, err := ses.personReach(personID)
		if err != nil {
			return err
		}
		if r == reachNone {
			return errPersonNotFound
		}
		var rows []consentRow
		if err := ses.Where("person_id = ?", personID).Order("recorded_at DESC").Find(&rows).Error; err != nil {
			return err
		}
		ses.Audit(tenancy.Access{Subject: personID, What: "consenso", Action: "read", Detail: personID})
		out = consents(rows)
		return nil
	})
	return out, err
}
