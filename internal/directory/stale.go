package directory

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// StaleService is a service "da verificare": not verified for the district's number of days.
type StaleService struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	OrganizationID   string `json:"organization_id"`
	OrganizationName string `json:"organization_name"`
	AssuredDate      Date   `json:"assured_date,omitempty"` // "" if never verified
	DaysSince        *int   `json:"days_since_verified"`    // null if never verified
	Published        bool   `json:"published"`
}

// Stale lists the services to verify that the actor keeps, the longest unverified first
// (never verified before all): every one for the Ufficio di Piano, its own organisation's for
// a partner. Defunct services are left out.
func (s *Service) Stale(ctx context.Context, a actor.Actor, p Page) ([]StaleService, int64, error) {
	var out []StaleService
	var total int64
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		days, err := staleAfter(tx)
		if err != nil {
			return err
		}
		q := editableServices(tx).
			Joins("JOIN organizations o ON o.id = s.organization_id").
			Where("s.status <> 'defunct' AND (s.assured_date IS NULL OR s.assured_date < current_date - ?::int)", days)
		if err := q.Count(&total).Error; err != nil {
			return storeError(err, "servizi da verificare")
		}
		return storeError(q.Select(`s.id, s.name, s.organization_id, o.name AS organization_name, s.assured_date,
				current_date - s.assured_date AS days_since, s.published`).
			Order("s.assured_date NULLS FIRST, s.name, s.id").Limit(p.limit()).Offset(p.Offset).Find(&out).Error, "servizi da verificare")
	})
	return out, total, err
}
