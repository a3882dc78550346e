package auth

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Invitations let the Ufficio di Piano give a role to someone who has never logged in: the role
// waits, keyed by e-mail or codice fiscale, and is bound when an identity with that e-mail
// (from the identity provider) or fiscal code (SPID/CIE) logs in to the district.

// Invitation is a role waiting for its person.
type Invitation struct {
	ID         int64
	Email      string
	FiscalCode string
	Role       string
	CreatedAt  time.Time
}

// Contact is the e-mail or the fiscal code the invitation waits for.
func (i Invitation) Contact() string {
	if i.Email != "" {
		return i.Email
	}
	return i.FiscalCode
}

var (
	emailRE      = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	fiscalCodeRE = regexp.MustCompile(`^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$`)
)

// parseContact tells an e-mail from a codice fiscale; anything else is refused naming field.
func parseContact(field, s string) (email, fiscalCode string, err error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", "", apperr.Invalidf(field, "Indicare l'indirizzo e-mail o il codice fiscale della persona", "Enter the person's e-mail address or fiscal code")
	case strings.Contains(s, "@"):
		if len(s) > 254 || !emailRE.MatchString(s) {
			return "", "", apperr.Invalidf(field, "L'indirizzo e-mail «%s» non è valido", "The e-mail address “%s” is not valid", s)
		}
		return strings.ToLower(s), "", nil
	default:
		cf := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
		if !fiscalCodeRE.MatchString(cf) {
			return "", "", apperr.Invalidf(field, "Il codice fiscale «%s» non è valido: 16 caratteri, es. RSSMRA80A01H501U", "The fiscal code “%s” is not valid: 16 characters, e.g. RSSMRA80A01H501U", s)
		}
		return "", cf, nil
	}
}

// Invite records that whoever logs in to domain with contact (e-mail or fiscal code) gets
// role. The caller checks that role is one of the district's.
func (s *Service) Invite(ctx context.Context, domain, contact, role, by string) error {
	email, cf, err := parseContact("contact", contact)
	if err != nil {
		return err
	}
	var byArg any
	if by != "" {
		byArg = by
	}
	err = s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.WithContext(ctx).Exec(`INSERT INTO platform.invitations (domain, email, fiscal_code, role, invited_by) VALUES (?, ?, ?, ?, ?)`,
			domain, email, cf, role, byArg).Error
	})
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return apperr.New(apperr.Conflict, "Questa persona è già invitata con questo ruolo", "This person is already invited with this role")
	}
	return err
}

// Invitations lists the invitations of domain still waiting for their person, newest first.
func (s *Service) Invitations(ctx context.Context, domain string) ([]Invitation, error) {
	var out []Invitation
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.WithContext(ctx).Raw(`SELECT id, email, fiscal_code, role, created_at FROM platform.invitations
			WHERE domain = ? AND bound_to IS NULL ORDER BY created_at DESC, id DESC`, domain).Scan(&out).Error
	})
	return out, err
}

// CancelInvitation withdraws a waiting invitation of domain.
func (s *Service) CancelInvitation(ctx context.Context, domain string, id int64) error {
	return s.db.Platform(ctx, func(tx *gorm.DB) error {
		res := tx.WithContext(ctx).Exec(`DELETE FROM platform.invitations WHERE id = ? AND domain = ? AND bound_to IS NULL`, id, domain)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return apperr.New(apperr.NotFound, "invito non trovato", "invitation not found")
		}
		return nil
	})
}

// bindInvitations binds the waiting invitations of domain that match the identity's e-mail
// or fiscal code to it, and returns their roles, in the login's transaction.
func bindInvitations(ctx context.Context, tx *gorm.DB, id, domain, email, fiscalCode string) ([]string, error) {
	email, fiscalCode = strings.ToLower(strings.TrimSpace(email)), strings.ToUpper(strings.TrimSpace(fiscalCode))
	if email == "" && fiscalCode == "" {
		return nil, nil
	}
	var roles []string
	err := tx.WithContext(ctx).Raw(`UPDATE platform.invitations SET bound_to = ?, bound_at = now()
		WHERE domain = ? AND bound_to IS NULL AND ((email <> '' AND email = ?) OR (fiscal_code <> '' AND fiscal_code = ?))
		RETURNING role`, id, domain, email, fiscalCode).Scan(&roles).Error
	return roles, err
}

// fiscalCodeOf reads the fiscal code SPID and CIE send ("TINIT-RSSMRA80A01H501U").
func fiscalCodeOf(raw map[string]any) string {
	for _, k := range []string{"fiscal_number", "fiscalNumber", "https://attributes.eid.gov.it/fiscal_number"} {
		if v, ok := raw[k].(string); ok && v != "" {
			return strings.TrimPrefix(strings.ToUpper(v), "TINIT-")
		}
	}
	return ""
}
