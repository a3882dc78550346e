package pathway

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Referrals (invii) send a person to a published service of the district's directory. The
// receiving organisation's users (actor.Organisation = the organisation's partner_code) see the
// minimum of the referrals addressed to them (referrals_inbox.go) and take the next steps
// (referrals_steps.go). A referral needs the person's consent to share with the organisation,
// or an urgent override a coordinatore granted (overrides.go).

// The referral's vocabularies.
const (
	actRefer    = "refer"    // send and cancel referrals (link worker, coordinatore)
	actOverride = "override" // grant an urgent override of the consent to share (coordinatore)
	actInbox    = "inbox"    // the organisation's referrals (a partner's users)

	urgencyOrdinary = "ordinaria"
	urgencyUrgent   = "urgente"

	shareName    = "nome"       // the given name, never the family name
	shareAgeBand = "fascia_eta" // the age band, never the birth date
	shareReason  = "motivo"     // why the person is referred
	shareContact = "contatto"   // the phone or e-mail given for this referral

	refSent      = "inviato"
	refAccepted  = "accettato"
	refRefused   = "rifiutato"
	refConcluded = "concluso"
	refCancelled = "annullato"
)

// The closed lists, in the order the pages offer them.
var (
	shareables         = []string{shareName, shareAgeBand, shareReason, shareContact}
	contactPreferences = []string{"telefono", "email", "tramite_link_worker", "di_persona"}
	referralStatuses   = []string{refSent, refAccepted, refRefused, refConcluded, refCancelled}
	referralOutcomes   = []string{"partecipa", "ha_concluso", "abbandonato", "non_presentato"}
)

// ReferralInput sends a referral. Shared nil: everything but the contact.
type ReferralInput struct {
	ServiceID         string   `json:"service_id"`
	Urgency           string   `json:"urgency"`
	Reason            string   `json:"reason"`
	Shared            []string `json:"shared"`
	ContactPreference string   `json:"contact_preference"`
	Contact           string   `json:"contact,omitempty"`
}

// Referral is a referral as its sender sees it: everything, with its steps.
type Referral struct {
	ID                string         `json:"id"`
	PathwayID         string         `json:"pathway_id,omitempty"`
	ServiceID         string         `json:"service_id"`
	ServiceName       string         `json:"service_name"`
	OrganizationID    string         `json:"organization_id,omitempty"`
	OrganizationName  string         `json:"organization_name"`
	PartnerCode       string         `json:"partner_code,omitempty"`
	ConsentParty      string         `json:"consent_party,omitempty"`
	OverrideID        string         `json:"override_id,omitempty"`
	Urgency           string         `json:"urgency"`
	Reason            string         `json:"reason,omitempty"`
	Shared            []string       `json:"shared"`
	ContactPreference string         `json:"contact_preference"`
	Contact           string         `json:"contact,omitempty"`
	Status            string         `json:"status"`
	Outcome           string         `json:"outcome,omitempty"`
	SentAt            time.Time      `json:"sent_at"`
	SentBy            string         `json:"sent_by,omitempty"`
	SentByName        string         `json:"sent_by_name"`
	UpdatedAt         time.Time      `json:"updated_at"`
	Version           int            `json:"version"`
	Steps             []ReferralStep `json:"steps"`
}

// ReferralStep is one dated, attributed step of a referral.
type ReferralStep struct {
	Status         string    `json:"status"`
	Outcome        string    `json:"outcome,omitempty"`
	Note           string    `json:"note,omitempty"`
	At             time.Time `json:"at"`
	ByID           string    `json:"by_id"`
	ByName         string    `json:"by_name"`
	ByOrganisation string    `json:"by_organisation,omitempty"`
}

// Shares reports whether the referral shares field (nome, fascia_eta, motivo, contatto).
func (r Referral) Shares(field string) bool { return slices.Contains(r.Shared, field) }

// Open reports whether the referral may still take a step.
func (r Referral) Open() bool { return r.Status == refSent || r.Status == refAccepted }

var errReferralNotFound = apperr.New(apperr.NotFound, "invio non trovato", "referral not found")

// phoneShape is a phone number as people write it.
var phoneShape = regexp.MustCompile(`^\+?[0-9][0-9 ./-]{4,24}$`)

// checkReferral validates a referral before any read: Invalid naming the field.
func checkReferral(in *ReferralInput) error {
	var err error
	in.ServiceID, in.Contact = strings.TrimSpace(in.ServiceID), strings.TrimSpace(in.Contact)
	if in.ServiceID == "" {
		return apperr.Invalidf("service_id", "indicare il servizio della rete a cui si invia", "name the service of the directory")
	}
	if !validID(in.ServiceID) {
		return apperr.Invalidf("service_id", "identificativo del servizio non valido", "invalid service id")
	}
	if in.Urgency == "" {
		in.Urgency = urgencyOrdinary
	}
	if err := recOneOf("urgency", in.Urgency, urgencyOrdinary, urgencyUrgent); err != nil {
		return err
	}
	if in.Reason, err = recText("reason", in.Reason, true, 2000); err != nil {
		return err
	}
	if in.Shared == nil {
		in.Shared = []string{shareName, shareAgeBand, shareReason}
	}
	seen := map[string]bool{}
	var shared []string
	for _, f := range in.Shared {
		if err := recOneOf("shared", f, shareables...); err != nil {
			return err
		}
		if !seen[f] {
			seen[f] = true
			shared = append(shared, f)
		}
	}
	in.Shared = shared
	if err := recOneOf("contact_preference", in.ContactPreference, contactPreferences...); err != nil {
		return err
	}
	byContact := in.ContactPreference == "telefono" || in.ContactPreference == "email"
	switch {
	case !seen[shareContact] && in.Contact != "":
		return apperr.Invalidf("contact", "il recapito si indica solo se si condivide il contatto", "a contact is given only when it is shared")
	case seen[shareContact] && byContact && in.Contact == "":
		return apperr.Invalidf("contact", "indicare il recapito da condividere", "give the contact to share")
	case seen[shareContact] && !byContact && in.Contact == "":
		return apperr.Invalidf("contact", "indicare il recapito da condividere, o non condividere il contatto", "give the contact to share, or do not share it")
	case len(in.Contact) > 200:
		return apperr.Invalidf("contact", "recapito troppo lungo", "contact too long")
	case in.ContactPreference == "telefono" && in.Contact != "" && !phoneShape.MatchString(in.Contact):
		return apperr.Invalidf("contact", "numero di telefono non valido", "invalid phone number")
	case in.ContactPreference == "email" && in.Contact != "":
		if a, err := mail.ParseAddress(in.Contact); err != nil || a.Address != in.Contact {
			return apperr.Invalidf("contact", "indirizzo e-mail non valido", "invalid e-mail address")
		}
	}
	return nil
}

// directoryService is a published service of the directory with its organisation: names and
// codes, no personal data (the directory's room owns these tables; they are read here only).
type directoryService struct {
	ID               string
	Name             string
	OrganizationID   string
	OrganizationName string
	PartnerCode      string
}

// party is the consent party that stands for the organisation: its partner code, else its id.
func (d directoryService) party() string { return orgParty(d.OrganizationID, d.PartnerCode) }

func orgParty(orgID, partnerCode string) string {
	if partnerCode != "" {
		return partnerCode
	}
	return orgID
}

// publishedService reads a published service; Invalid (service_id) when there is none.
func (s *session) publishedService(id string) (directoryService, error) {
	var rows []directoryService
	err := s.Raw(`SELECT s.id::text AS id, s.name, o.id::text AS organization_id, o.name AS organization_name,
		COALESCE(o.partner_code, '') AS partner_code
		FROM services s JOIN organizations o ON o.id = s.organization_id WHERE s.id = ? AND s.published`, id).Scan(&rows).Error
	if err != nil {
		return directoryService{}, err
	}
	if len(rows) == 0 {
		return directoryService{}, apperr.Invalidf("service_id", "servizio non presente tra le risorse pubblicate del distretto",
			"not a published service of the district's directory")
	}
	return rows[0], nil
}

// errNoConsent refuses a referral the person did not consent to share with org.
func errNoConsent(org string) error {
	return apperr.New(apperr.Conflict,
		fmt.Sprintf("manca il consenso della persona alla condivisione con %s: registrarlo prima dell'invio", org),
		fmt.Sprintf("the person's consent to share with %s is missing: record it before referring", org)).WithField("consent")
}

// sharingAllowed says whether the person may be referred to party: their latest decision on
// sharing with it is a yes, or an override is in force (its id, "" for the consent).
func (s *session) sharingAllowed(personID, party string) (ok bool, overrideID string, err error) {
	given, _, err := s.given(personID, PurposeSharing, party)
	if err != nil || given {
		return given, "", err
	}
	var ids []string
	err = s.Raw(`SELECT id::text FROM consent_overrides WHERE person_id = ? AND party = ? AND revoked_at IS NULL
		AND expires_at > ? ORDER BY expires_at DESC LIMIT 1`, personID, party, s.svc.now()).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return false, "", err
	}
	return true, ids[0], nil
}

// SendReferral refers the person of a pathway the actor works on (open, full reach) to a
// published service of the directory. Invalid (Field) for bad input; Conflict (Field consent)
// without the person's consent to share with the organisation or an override in force.
func (s *Service) SendReferral(ctx context.Context, a actor.Actor, pathwayID string, in ReferralInput) (Referral, error) {
	if err := need(a, actRefer); err != nil {
		return Referral{}, err
	}
	if err := checkReferral(&in); err != nil {
		return Referral{}, err
	}
	var out Referral
	err := s.work(ctx, a, func(ses *session) error {
		t, err := ses.openForRecord(pathwayID, false)
		if err != nil {
			return err
		}
		svc, err := ses.publishedService(in.ServiceID)
		if err != nil {
			return err
		}
		ok, overrideID, err := ses.sharingAllowed(t.PersonID, svc.party())
		if err != nil {
			return err
		}
		if !ok {
			return errNoConsent(svc.OrganizationName)
		}
		reason, err := ses.seal(t, fieldRefReason, in.Reason)
		if err != nil {
			return err
		}
		contact, err := ses.seal(t, fieldRefContact, in.Contact)
		if err != nil {
			return err
		}
		id, now := uuid.NewString(), s.now()
		err = ses.Exec(`INSERT INTO referrals (id, pathway_id, person_id, service_id, service_name, organization_id,
			organization_name, partner_code, consent_party, override_id, urgency, reason_enc, shared, contact_preference,
			contact_enc, sent_at, sent_by, sent_by_name, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, '')::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, t.ID, t.PersonID, svc.ID, svc.Name, svc.OrganizationID, svc.OrganizationName, svc.PartnerCode, svc.party(),
			overrideID, in.Urgency, reason, textArray(in.Shared), in.ContactPreference, contact, now, a.ID, a.Name, now).Error
		if err != nil {
			return recordError(err, "invio")
		}
		if err := ses.addStep(id, refSent, "", nil, ""); err != nil {
			return err
		}
		if err := ses.event(t.Pathway, "referral", "", "", refSent+" "+id); err != nil {
			return err
		}
		ses.Audit(tenancy.Access{Subject: t.PersonID, What: "invio", Action: "create", Detail: id})
		out, err = ses.referral(id)
		return err
	})
	return out, err
}

// PathwayReferrals lists the referrals of a pathway the actor works on (full reach), oldest first.
func (s *Service) PathwayReferrals(ctx context.Context, a actor.Actor, pathwayID string) ([]Referral, error) {
	var out []Referral
	err := s.work(ctx, a, func(ses *session) error {
		p, r, err := ses.loadPathway(pathwayID)
		if err != nil {
			return err
		}
		if r != reachFull {
			return errHealthOnlyRead
		}
		out, err = ses.referralsOf(p)
		return err
	})
	return out, err
}

var errHealthOnlyRead = apperr.New(apperr.Forbidden, "gli invii si consultano solo da chi segue il percorso",
	"referrals are read only by whoever works the pathway")

// addStep writes a step of a referral; note is sealed with the person's key.
func (s *session) addStep(referralID, status, outcome string, note []byte, org string) error {
	err := s.Exec(`INSERT INTO referral_steps (referral_id, status, outcome, note_enc, at, by_id, by_name, by_organisation)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, referralID, status, outcome, note, s.svc.now(), s.Actor.ID, s.Actor.Name, org).Error
	return recordError(err, "passo dell'invio")
}

// textArray is a PostgreSQL text[] literal of plain codes (checked against a closed list).
func textArray(vs []string) string { return "{" + strings.Join(vs, ",") + "}" }

// parseTextArray reads a text[] of plain codes as PostgreSQL prints it.
func parseTextArray(s string) []string {
	s = strings.Trim(s, "{}")
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
