package pathway

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Urgent overrides of the consent to share ("break the glass"): when a person in danger cannot
// be asked, a coordinatore may let referrals to one organisation go without the consent, for
// 72 hours at most, giving the reason. The data protection officer reviews every one.

// overrideTTL is how long an override lasts (the table's CHECK allows no more).
const overrideTTL = 72 * time.Hour

// OverrideInput grants an override: the party (a consent party), or the directory's
// organisation it stands for; and why.
type OverrideInput struct {
	Party          string `json:"party,omitempty"`
	OrganizationID string `json:"organization_id,omitempty"`
	Reason         string `json:"reason"`
}

// Override is a granted override.
type Override struct {
	ID            string     `json:"id"`
	PersonID      string     `json:"person_id"`
	Party         string     `json:"party"`
	PartyName     string     `json:"party_name,omitempty"`
	Reason        string     `json:"reason,omitempty"`
	GrantedBy     string     `json:"granted_by"`
	GrantedByName string     `json:"granted_by_name"`
	GrantedAt     time.Time  `json:"granted_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	RevokedBy     string     `json:"revoked_by,omitempty"`
	Referrals     int        `json:"referrals"` // referrals sent under it
	Erased        bool       `json:"erased,omitempty"`
}

// Active reports whether the override is in force at now.
func (o Override) Active(now time.Time) bool { return o.RevokedAt == nil && now.Before(o.ExpiresAt) }

var errOverrideNotFound = apperr.New(apperr.NotFound, "deroga non trovata", "override not found")

// GrantOverride grants an urgent override for the person and party, for 72 hours (coordinatore).
// Invalid: reason shorter than 10 characters, no or bad party; 404: a person not visible.
func (s *Service) GrantOverride(ctx context.Context, a actor.Actor, personID string, in OverrideInput) (Override, error) {
	if err := need(a, actOverride); err != nil {
		return Override{}, err
	}
	in.Reason, in.Party, in.OrganizationID = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Party), strings.TrimSpace(in.OrganizationID)
	switch n := utf8.RuneCountInString(in.Reason); {
	case n < 10:
		return Override{}, apperr.Invalidf("reason", "spiegare il motivo dell'urgenza (almeno 10 caratteri)", "explain the urgency (at least 10 characters)")
	case n > 2000:
		return Override{}, apperr.Invalidf("reason", "testo troppo lungo (massimo 2000 caratteri)", "text too long (at most 2000 characters)")
	case in.Party == "" && in.OrganizationID == "":
		return Override{}, apperr.Invalidf("party", "indicare l'organizzazione a cui si potrà inviare", "name the organisation referrals may go to")
	case in.Party != "" && in.OrganizationID != "":
		return Override{}, apperr.Invalidf("organization_id", "indicare l'ente o l'organizzazione, non entrambi", "give the party or the organisation, not both")
	case in.Party != "" && !partyShape.MatchString(in.Party):
		return Override{}, apperr.Invalidf("party", "ente non valido", "invalid party")
	case in.OrganizationID != "" && !validID(in.OrganizationID):
		return Override{}, apperr.Invalidf("organization_id", "organizzazione non valida", "invalid organisation")
	}
	var out Override
	err := s.work(ctx, a, func(ses *session) error {
		r, err := ses.personReach(personID)
		if err != nil {
			return err
		}
		if r != reachFull {
			return errPersonNotFound
		}
		party := in.Party
		if in.OrganizationID != "" {
			orgs, err := ses.organisations(in.OrganizationID)
			if err != nil {
				return err
			}
			if len(orgs) == 0 {
				return apperr.Invalidf("organization_id", "organizzazione non presente nel catalogo del distretto", "not an organisation of the district's directory")
			}
			party = orgs[0].Party
		}
		sealed, err := ses.keys.Seal(personID, fieldOverrideReason, in.Reason)
		if err != nil {
			return err
		}
		now := s.now()
		o := Override{ID: uuid.NewString(), PersonID: personID, Party: party, Reason: in.Reason, GrantedBy: a.ID,
			GrantedByName: a.Name, GrantedAt: now, ExpiresAt: now.Add(overrideTTL)}
		if err := ses.Exec(`INSERT INTO consent_overrides (id, person_id, party, reason_enc, granted_by, granted_by_name,
			granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, personID, party, sealed, a.ID, a.Name,
			o.GrantedAt, o.ExpiresAt).Error; err != nil {
			return recordError(err, "deroga")
		}
		ses.Audit(tenancy.Access{Subject: personID, What: "deroga", Action: "create", Detail: o.ID})
		out = o
		return nil
	})
	return out, err
}

// RevokeOverride ends an override before it expires (coordinatore); revoking an ended one is
// a conflict.
func (s *Service) RevokeOverride(ctx context.Context, a actor.Actor, id string) (Override, error) {
	if err := need(a, actOverride); err != nil {
		return Override{}, err
	}
	var out Override
	err := s.work(ctx, a, func(ses *session) error {
		os, err := ses.overrides(`o.id = ?`, id)
		if err != nil {
			return err
		}
		if len(os) == 0 {
			return errOverrideNotFound
		}
		o := os[0]
		if !o.Active(s.now()) {
			return apperr.New(apperr.Conflict, "la deroga è già scaduta o revocata", "the override has already expired or been revoked")
		}
		now := s.now()
		if err := ses.Exec(`UPDATE consent_overrides SET revoked_at = ?, revoked_by = ? WHERE id = ?`, now, a.ID, id).Error; err != nil {
			return recordError(err, "deroga")
		}
		ses.Audit(tenancy.Access{Subject: o.PersonID, What: "deroga", Action: "update", Detail: id})
		o.RevokedAt, o.RevokedBy = &now, a.ID
		out = o
		return nil
	})
	return out, err
}

// Overrides lists every override, newest first, with its reason (for the data protection
// officer: object audit, action read); each reason read is audited.
func (s *Service) Overrides(ctx context.Context, a actor.Actor) ([]Override, error) {
	if !a.Can(objAudit, actAudit) {
		return nil, errForbidden
	}
	var out []Override
	err := s.work(ctx, a, func(ses *session) error {
		var err error
		out, err = ses.overrides(`TRUE`)
		return err
	})
	return out, err
}

// PersonOverrides are the overrides of a person, newest first (for the pathway page).
func (s *session) personOverrides(personID string) ([]Override, error) {
	return s.overrides(`o.person_id = ?`, personID)
}

// overrideRow is a row of consent_overrides with its referrals counted.
type overrideRow struct {
	ID            string
	PersonID      string
	Party         string
	ReasonEnc     []byte
	GrantedBy     string
	GrantedByName string
	GrantedAt     time.Time
	ExpiresAt     time.Time
	RevokedAt     *time.Time
	RevokedBy     string
	Referrals     int
	PartyName     string
	ErasedAt      *time.Time
}

// overrides reads the overrides matching where, decrypting and auditing each reason.
func (s *session) overrides(where string, args ...any) ([]Override, error) {
	if !validWhereArgs(args) {
		return nil, errOverrideNotFound
	}
	var rows []overrideRow
	err := s.Raw(`SELECT o.id::text, o.person_id::text, o.party, o.reason_enc, o.granted_by, o.granted_by_name,
		o.granted_at, o.expires_at, o.revoked_at, o.revoked_by,
		(SELECT count(*) FROM referrals r WHERE r.override_id = o.id) AS referrals,
		COALESCE((SELECT g.name FROM organizations g WHERE g.partner_code = o.party OR g.id::text = o.party LIMIT 1), '') AS party_name,
		p.erased_at
		FROM consent_overrides o JOIN persons p ON p.id = o.person_id WHERE `+where+` ORDER BY o.granted_at DESC, o.id`, args...).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]Override, 0, len(rows))
	for _, r := range rows {
		o := Override{ID: r.ID, PersonID: r.PersonID, Party: r.Party, PartyName: r.PartyName, GrantedBy: r.GrantedBy,
			GrantedByName: r.GrantedByName, GrantedAt: r.GrantedAt, ExpiresAt: r.ExpiresAt, RevokedAt: r.RevokedAt,
			RevokedBy: r.RevokedBy, Referrals: r.Referrals, Erased: r.ErasedAt != nil}
		if !o.Erased {
			if o.Reason, err = s.openOrErased(r.PersonID, fieldOverrideReason, r.ReasonEnc); err != nil {
				return nil, err
			}
		}
		s.Audit(tenancy.Access{Subject: r.PersonID, What: "deroga", Action: "read", Detail: r.ID})
		out = append(out, o)
	}
	return out, nil
}

// validWhereArgs refuses an id argument that is not a UUID (not found, never a 500).
func validWhereArgs(args []any) bool {
	for _, a := range args {
		if s, ok := a.(string); ok && !validID(s) {
			return false
		}
	}
	return true
}

// Organisation is an organisation of the district's directory as a consent party.
type Organisation struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Party string `json:"party"`
}

// organisations reads the directory's organisations (one, when id is given), by name.
func (s *session) organisations(id string) ([]Organisation, error) {
	q := `SELECT id::text AS id, name, COALESCE(NULLIF(partner_code, ''), id::text) AS party FROM organizations`
	var out []Organisation
	var err error
	if id != "" {
		err = s.Raw(q+` WHERE id = ?`, id).Scan(&out).Error
	} else {
		err = s.Raw(q + ` ORDER BY name, id`).Scan(&out).Error
	}
	return out, err
}

// Organisations lists the directory's organisations as consent parties (no personal data).
func (s *Service) Organisations(ctx context.Context, a actor.Actor) ([]Organisation, error) {
	var out []Organisation
	err := s.work(ctx, a, func(ses *session) error {
		var err error
		out, err = ses.organisations("")
		return err
	})
	return out, err
}
