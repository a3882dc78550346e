package pathway

import (
	"time"

	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// referralRow is a row of referrals, sealed fields as stored.
type referralRow struct {
	ID                string
	PathwayID         string
	PersonID          string
	ServiceID         string
	ServiceName       string
	OrganizationID    string
	OrganizationName  string
	PartnerCode       string
	ConsentParty      string
	OverrideID        string
	Urgency           string
	ReasonEnc         []byte
	Shared            string
	ContactPreference string
	ContactEnc        []byte
	Status            string
	Outcome           string
	SentAt            time.Time
	SentBy            string
	SentByName        string
	UpdatedAt         time.Time
	Version           int
	Anonymised        bool // its pathway was anonymised after the retention period
}

const referralColumns = `SELECT id::text, pathway_id::text, person_id::text, service_id::text, service_name,
	organization_id::text, organization_name, partner_code, consent_party, COALESCE(override_id::text, '') AS override_id,
	urgency, reason_enc, shared::text AS shared, contact_preference, contact_enc, status, outcome, sent_at, sent_by,
	sent_by_name, updated_at, version,
	EXISTS (SELECT 1 FROM pathways p WHERE p.id = referrals.pathway_id AND p.anonymised_at IS NOT NULL) AS anonymised
	FROM referrals`

// referralRowByID reads one row (locked for update when lock), found or not.
func (s *session) referralRowByID(id string, lock bool) (referralRow, bool, error) {
	if !validID(id) {
		return referralRow{}, false, nil
	}
	q := referralColumns + ` WHERE id = ?`
	if lock {
		q += ` FOR UPDATE`
	}
	var rows []referralRow
	if err := s.Raw(q, id).Scan(&rows).Error; err != nil || len(rows) == 0 {
		return referralRow{}, false, err
	}
	return rows[0], true, nil
}

// referral reads the full view of a referral (the sender's), with its steps; audited.
func (s *session) referral(id string) (Referral, error) {
	r, ok, err := s.referralRowByID(id, false)
	if err != nil {
		return Referral{}, err
	}
	if !ok {
		return Referral{}, errReferralNotFound
	}
	out, err := s.openReferrals([]referralRow{r})
	if err != nil {
		return Referral{}, err
	}
	return out[0], nil
}

// referralsOf reads the full view of a pathway's referrals, oldest first; audited.
func (s *session) referralsOf(p Pathway) ([]Referral, error) {
	var rows []referralRow
	if err := s.Raw(referralColumns+` WHERE pathway_id = ? ORDER BY sent_at, id`, p.ID).Scan(&rows).Error; err != nil {
		return nil, err
	}
	return s.openReferrals(rows)
}

// stepRow is a row of referral_steps.
type stepRow struct {
	ReferralID     string
	Status         string
	Outcome        string
	NoteEnc        []byte
	At             time.Time
	ByID           string
	ByName         string
	ByOrganisation string
}

// openReferrals decrypts rows into the sender's view with their steps, auditing each
// referral read; an erased person's sealed fields read as empty.
func (s *session) openReferrals(rows []referralRow) ([]Referral, error) {
	out := make([]Referral, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var steps []stepRow
	if err := s.Raw(`SELECT referral_id::text, status, outcome, note_enc, at, by_id, by_name, by_organisation
		FROM referral_steps WHERE referral_id IN ? ORDER BY id`, ids).Scan(&steps).Error; err != nil {
		return nil, err
	}
	byRef := map[string][]stepRow{}
	for _, st := range steps {
		byRef[st.ReferralID] = append(byRef[st.ReferralID], st)
	}
	for _, r := range rows {
		x := Referral{ID: r.ID, PathwayID: r.PathwayID, ServiceID: r.ServiceID, ServiceName: r.ServiceName,
			OrganizationID: r.OrganizationID, OrganizationName: r.OrganizationName, PartnerCode: r.PartnerCode,
			ConsentParty: r.ConsentParty, OverrideID: r.OverrideID, Urgency: r.Urgency, Shared: parseTextArray(r.Shared),
			ContactPreference: r.ContactPreference, Status: r.Status, Outcome: r.Outcome, SentAt: r.SentAt,
			SentBy: r.SentBy, SentByName: r.SentByName, UpdatedAt: r.UpdatedAt, Version: r.Version, Steps: []ReferralStep{}}
		var err error
		if x.Reason, err = s.openOrErased(r.PersonID, fieldRefReason, r.ReasonEnc); err != nil {
			return nil, err
		}
		if x.Contact, err = s.openOrErased(r.PersonID, fieldRefContact, r.ContactEnc); err != nil {
			return nil, err
		}
		for _, st := range byRef[r.ID] {
			note, err := s.openOrErased(r.PersonID, fieldStepNote, st.NoteEnc)
			if err != nil {
				return nil, err
			}
			x.Steps = append(x.Steps, ReferralStep{Status: st.Status, Outcome: st.Outcome, Note: note, At: st.At,
				ByID: st.ByID, ByName: st.ByName, ByOrganisation: st.ByOrganisation})
		}
		s.Audit(tenancy.Access{Subject: r.PersonID, What: "invio", Action: "read", Detail: r.ID})
		out = append(out, x)
	}
	return out, nil
}

// openOrErased opens a sealed field; a person's destroyed key reads as "".
func (s *session) openOrErased(personID, field string, sealed []byte) (string, error) {
	v, err := s.keys.Open(personID, field, sealed)
	if keyring.IsShredded(err) {
		return "", nil
	}
	return v, err
}

// The sealed fields' names (bound into each ciphertext): table-qualified, so that a value
// cannot be moved from one table to another and still open.
const (
	fieldRefReason      = "referrals.reason_enc"
	fieldRefContact     = "referrals.contact_enc"
	fieldStepNote       = "referral_steps.note_enc"
	fieldOverrideReason = "consent_overrides.reason_enc"
)
