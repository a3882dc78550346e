package plan

import (
	"context"

	"github.com/ambiti/ambiti/internal/tenancy"
)

// Area is an entry of the district's regional catalogue (macro-area, area trasversale…).
type Area struct {
	Code  string     `json:"code"`
	Name  string     `json:"name"`
	Items []AreaItem `json:"items" gorm:"-"`
}

// AreaItem is a finer entry of an area (a scheda regionale).
type AreaItem struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Areas lists the catalogue every objective belongs to, in its order.
func (s *Service) Areas(ctx context.Context, actor Actor) ([]Area, error) {
	var out []Area
	err := s.tx(ctx, actor, func(tx *tenancy.Tx) error {
		if err := tx.Raw(`SELECT code, name FROM policy_areas ORDER BY position`).Scan(&out).Error; err != nil {
			return err
		}
		var items []struct{ AreaCode, Code, Name string }
		if err := tx.Raw(`SELECT area_code, code, name FROM policy_area_items ORDER BY position`).Scan(&items).Error; err != nil {
			return err
		}
		for i := range out {
			out[i].Items = []AreaItem{}
			for _, it := range items {
				if it.AreaCode == out[i].Code {
					out[i].Items = append(out[i].Items, AreaItem{Code: it.Code, Name: it.Name})
				}
			}
		}
		return nil
	})
	return out, err
}
