package directory

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// staleAfter is the district's number of days after which a service is "da verificare".
func staleAfter(tx *tenancy.Tx) (int, error) {
	var days []int
	if err := tx.Raw("SELECT stale_after_days FROM directory_settings").Scan(&days).Error; err != nil {
		return 0, storeError(err, "impostazioni")
	}
	if len(days) == 0 {
		return 180, nil
	}
	return days[0], nil
}

// Settings returns the district's settings of the directory.
func (s *Service) Settings(ctx context.Context, a actor.Actor) (Settings, error) {
	var st Settings
	err := s.tx(ctx, a, func(tx *tenancy.Tx) (err error) {
		st.StaleAfterDays, err = staleAfter(tx)
		return err
	})
	return st, err
}

// UpdateSettings changes the district's settings (Ufficio di Piano).
func (s *Service) UpdateSettings(ctx context.Context, a actor.Actor, st Settings) (Settings, error) {
	if !a.Can(object, actManage) {
		return Settings{}, errForbidden
	}
	if st.StaleAfterDays < 1 || st.StaleAfterDays > 3650 {
		return Settings{}, apperr.Invalidf("stale_after_days", "giorni tra 1 e 3650", "days between 1 and 3650")
	}
	err := s.tx(ctx, a, func(tx *tenancy.Tx) error {
		return storeError(tx.Exec(`INSERT INTO directory_settings (singleton, stale_after_days, updated_at) VALUES (true, ?, now())
			ON CONFLICT (singleton) DO UPDATE SET stale_after_days = excluded.stale_after_days, updated_at = excluded.updated_at`, st.StaleAfterDays).Error, "impostazioni")
	})
	return st, err
}
