package plan

import (
	"context"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// OwnOrganisationName is the name of the partner whose organisation code the actor carries
// (a cooperative's people), for the profile to say "Cooperativa Il Ponte" instead of "ilponte".
// Anyone may read the name of their own organisation, and only that; "" when there is none.
func (s *Service) OwnOrganisationName(ctx context.Context, actor Actor) (string, error) {
	code := actor.Organisation
	if code == "" {
		return "", nil
	}
	var names []string
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		return tx.Model(&Partner{}).Where("code = ?", code).Limit(1).Pluck("name", &names).Error
	})
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[0], nil
}
