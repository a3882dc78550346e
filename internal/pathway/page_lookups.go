package pathway

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
)

// The district's lists the pages offer as choices: its comuni (a person's residence) and the
// published services of its directory (a referral's destination). Neither holds personal data.

// ServiceRef is a published service of the district's directory, as a referral names it.
type ServiceRef struct {
	ID   string
	Name string
}

// Municipalities lists the district's comuni by name.
func (s *Service) Municipalities(ctx context.Context, a actor.Actor) ([]string, error) {
	var out []string
	err := s.work(ctx, a, func(ses *session) error {
		return ses.Raw(`SELECT name FROM municipalities ORDER BY name`).Scan(&out).Error
	})
	return out, err
}

// DirectoryService is a published service with its organisation's name, as the referral
// form groups them.
type DirectoryService struct {
	ID               string
	Name             string
	OrganizationName string
	PartnerCode      string // the organisation's users' code, "" when it has none here
}

// ReferralServices lists the directory's published services by organisation, then by name.
func (s *Service) ReferralServices(ctx context.Context, a actor.Actor) ([]DirectoryService, error) {
	var out []DirectoryService
	err := s.work(ctx, a, func(ses *session) error {
		return ses.Raw(`SELECT s.id::text AS id, s.name, o.name AS organization_name, COALESCE(o.partner_code, '') AS partner_code FROM services s
			JOIN organizations o ON o.id = s.organization_id WHERE s.published ORDER BY o.name, o.id, s.name, s.id`).Scan(&out).Error
	})
	return out, err
}

// PublishedServices lists the services of the district's directory a link worker may refer to.
func (s *Service) PublishedServices(ctx context.Context, a actor.Actor) ([]ServiceRef, error) {
	var out []ServiceRef
	err := s.work(ctx, a, func(ses *session) error {
		return ses.Raw(`SELECT id::text AS id, name FROM services WHERE published ORDER BY name`).Scan(&out).Error
	})
	return out, err
}
