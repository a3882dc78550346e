package auth

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Member is a person known in a domain.
type Member struct {
	ID           string    `json:"id"`
	Username     string    `json:"username"`
	Name         string    `json:"name"`
	Email        string    `json:"email"`
	Organisation string    `json:"organisation,omitempty"`
	LastSeenAt   time.Time `json:"last_seen_at"`
}

// ErrNoSuchMember answers for an id that is not a member of the domain (or not an id at all).
var ErrNoSuchMember = apperr.New(apperr.NotFound, "persona non trovata in questo distretto", "no such person in this district")

const memberColumns = `i.id, i.username, i.display_name AS name, i.email, coalesce(m.organisation, '') AS organisation, i.last_seen_at`

// Members lists the people who have logged in to domain, by name.
func (s *Service) Members(ctx context.Context, domain string) ([]Member, error) {
	var out []Member
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`SELECT `+memberColumns+` FROM platform.memberships m JOIN platform.identities i ON i.id = m.identity_id
			WHERE m.domain = ? ORDER BY i.display_name, i.username`, domain).Scan(&out).Error
	})
	return out, err
}

// Member returns one member of domain. Returns ErrNoSuchMember (NotFound).
func (s *Service) Member(ctx context.Context, domain, id string) (Member, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Member{}, ErrNoSuchMember
	}
	var out []Member
	err := s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Raw(`SELECT `+memberColumns+` FROM platform.memberships m JOIN platform.identities i ON i.id = m.identity_id
			WHERE m.domain = ? AND m.identity_id = ?`, domain, id).Scan(&out).Error
	})
	if err != nil {
		return Member{}, err
	}
	if len(out) != 1 {
		return Member{}, ErrNoSuchMember
	}
	return out[0], nil
}
