package pathway

import (
	"context"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/keyring"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// The partners' inbox: an organisation's users see the referrals addressed to it with the
// minimum the sender chose to share (the given name, the age band, the reason, the contact)
// and nothing else of the person: never the family name, the codice fiscale, the birth date,
// the pathway or its records.

// InboxReferral is a referral as the receiving organisation sees it.
type InboxReferral struct {
	ID                string    `json:"id"`
	ServiceID         string    `json:"service_id"`
	ServiceName       string    `json:"service_name"`
	OrganizationName  string    `json:"organization_name"`
	Urgency           string    `json:"urgency"`
	Status            string    `json:"status"`
	Outcome           string    `json:"outcome,omitempty"`
	SentAt            time.Time `json:"sent_at"`
	SentByName        string    `json:"sent_by_name"` // the link worker to call back, not the person
	UpdatedAt         time.Time `json:"updated_at"`
	Version           int       `json:"version"`
	Shared            []string  `json:"shared"`
	GivenName         string    `json:"given_name,omitempty"` // nome
	AgeBand           string    `json:"age_band,omitempty"`   // fascia_eta: <18, 18-24, 25-29, 30-34, 35+
	Reason            string    `json:"reason,omitempty"`     // motivo
	ContactPreference string    `json:"contact_preference"`
	Contact           string    `json:"contact,omitempty"` // contatto
	Erased            bool      `json:"erased,omitempty"`  // the person's data were erased, or the pathway anonymised
}

// Shares reports whether the referral shares field.
func (r InboxReferral) Shares(field string) bool {
	for _, f := range r.Shared {
		if f == field {
			return true
		}
	}
	return false
}

// Open reports whether the referral may still take a step.
func (r InboxReferral) Open() bool { return r.Status == refSent || r.Status == refAccepted }

// asReferral is the inbox view in the shape the step operations answer (the minimum only).
func (r InboxReferral) asReferral() Referral {
	return Referral{ID: r.ID, ServiceID: r.ServiceID, ServiceName: r.ServiceName, OrganizationName: r.OrganizationName,
		Urgency: r.Urgency, Shared: r.Shared, ContactPreference: r.ContactPreference, Status: r.Status,
		Outcome: r.Outcome, SentAt: r.SentAt, SentByName: r.SentByName, UpdatedAt: r.UpdatedAt, Version: r.Version,
		Steps: []ReferralStep{}}
}

// InboxFilter narrows the inbox: one status, or all ("").
type InboxFilter struct {
	Status string
}

// Inbox lists the referrals addressed to the actor's organisation, newest first; an actor
// with no organisation gets none. Each referral shown is an audited read of its person.
func (s *Service) Inbox(ctx context.Context, a actor.Actor, f InboxFilter) ([]InboxReferral, error) {
	if err := need(a, actInbox); err != nil {
		return nil, err
	}
	if f.Status != "" {
		if err := recOneOf("status", f.Status, referralStatuses...); err != nil {
			return nil, err
		}
	}
	out := []InboxReferral{}
	if a.Organisation == "" {
		return out, nil
	}
	err := s.work(ctx, a, func(ses *session) error {
		q := ses.Raw(referralColumns+` WHERE partner_code = ? AND partner_code <> '' ORDER BY sent_at DESC, id`, a.Organisation)
		if f.Status != "" {
			q = ses.Raw(referralColumns+` WHERE partner_code = ? AND partner_code <> '' AND status = ? ORDER BY sent_at DESC, id`,
				a.Organisation, f.Status)
		}
		var rows []referralRow
		if err := q.Scan(&rows).Error; err != nil {
			return err
		}
		var err error
		out, err = ses.inboxViews(rows)
		return err
	})
	return out, err
}

// InboxReferral is one referral of the actor's organisation (404 for any other).
func (s *Service) InboxReferral(ctx context.Context, a actor.Actor, id string) (InboxReferral, error) {
	if err := need(a, actInbox); err != nil {
		return InboxReferral{}, err
	}
	var out InboxReferral
	err := s.work(ctx, a, func(ses *session) error {
		r, ok, err := ses.referralRowByID(id, false)
		if err != nil {
			return err
		}
		if !ok || !ses.inboxSide(r) {
			return errReferralNotFound
		}
		x, err := ses.inboxViews([]referralRow{r})
		if err != nil {
			return err
		}
		out = x[0]
		return nil
	})
	return out, err
}

// inboxViews opens, of each row, only what it shares, and audits each referral shown.
func (s *session) inboxViews(rows []referralRow) ([]InboxReferral, error) {
	out := make([]InboxReferral, 0, len(rows))
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.PersonID)
	}
	people, err := findPersonRows(s.Tx, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		x := InboxReferral{ID: r.ID, ServiceID: r.ServiceID, ServiceName: r.ServiceName, OrganizationName: r.OrganizationName,
			Urgency: r.Urgency, Status: r.Status, Outcome: r.Outcome, SentAt: r.SentAt, SentByName: r.SentByName,
			UpdatedAt: r.UpdatedAt, Version: r.Version, Shared: parseTextArray(r.Shared), ContactPreference: r.ContactPreference}
		if err := s.openShared(&x, r, people[r.PersonID]); err != nil {
			return nil, err
		}
		s.Audit(tenancy.Access{Subject: r.PersonID, What: "referral", Action: "read", Detail: r.ID})
		out = append(out, x)
	}
	return out, nil
}

// openShared decrypts the fields the referral shares, and only those.
func (s *session) openShared(x *InboxReferral, r referralRow, p personRow) error {
	if p.ErasedAt != nil || r.Anonymised {
		x.Erased = true
		return nil
	}
	open := func(field string, sealed []byte) (string, bool, error) {
		v, err := s.keys.Open(r.PersonID, field, sealed)
		if keyring.IsShredded(err) {
			return "", false, nil
		}
		return v, err == nil, err
	}
	var err error
	ok := true
	for _, f := range x.Shared {
		var v string
		switch f {
		case shareName:
			v, ok, err = open("given_name_enc", p.GivenNameEnc)
			x.GivenName = v
		case shareAgeBand:
			v, ok, err = open("birth_date_enc", p.BirthDateEnc)
			x.AgeBand = ageBand(v, s.svc.now())
		case shareReason:
			v, ok, err = open(fieldRefReason, r.ReasonEnc)
			x.Reason = v
		case shareContact:
			v, ok, err = open(fieldRefContact, r.ContactEnc)
			x.Contact = v
		}
		if err != nil {
			return err
		}
		if !ok {
			*x = InboxReferral{ID: x.ID, ServiceID: x.ServiceID, ServiceName: x.ServiceName, OrganizationName: x.OrganizationName,
				Urgency: x.Urgency, Status: x.Status, Outcome: x.Outcome, SentAt: x.SentAt, SentByName: x.SentByName,
				UpdatedAt: x.UpdatedAt, Version: x.Version, Shared: x.Shared, ContactPreference: x.ContactPreference, Erased: true}
			return nil
		}
	}
	return nil
}

// ageBand is the age band of someone born on birth ("YYYY-MM-DD"), "" when unknown.
func ageBand(birth string, now time.Time) string {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return ""
	}
	switch age := ageOn(b, now.In(rome)); {
	case age < 18:
		return "<18"
	case age < 25:
		return "18-24"
	case age < 30:
		return "25-29"
	case age < 35:
		return "30-34"
	default:
		return "35+"
	}
}
