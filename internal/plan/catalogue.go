package plan

import (
	"context"

	"github.com/jackc/pgx/v5"
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

// Areas lists the catalogue every objective belongs to, in its order (one round trip).
func (s *Service) Areas(ctx context.Context, actor Actor) ([]Area, error) {
	var out []Area
	err := s.read(ctx, actor, func(r *reads) { queueAreas(r, &out) })
	return out, err
}

// queueAreas reads the catalogue's areas with their items, in order.
func queueAreas(r *reads, out *[]Area) {
	type item struct{ area, code, name string }
	var items []item
	r.queue(`SELECT code, name FROM policy_areas ORDER BY position`).Query(collect(out, func(row pgx.CollectableRow) (a Area, err error) {
		return a, row.Scan(&a.Code, &a.Name)
	}))
	r.queue(`SELECT area_code, code, name FROM policy_area_items ORDER BY position`).Query(collect(&items, func(row pgx.CollectableRow) (i item, err error) {
		return i, row.Scan(&i.area, &i.code, &i.name)
	}))
	r.then(func() error {
		for i := range *out {
			a := &(*out)[i]
			a.Items = []AreaItem{}
			for _, it := range items {
				if it.area == a.Code {
					a.Items = append(a.Items, AreaItem{Code: it.code, Name: it.name})
				}
			}
		}
		return nil
	})
}
