package directory

import (
	"context"
	"strings"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// Query is a search of the directory, as a link worker asks it in a meeting: words, a need,
// the person's age, a comune, a day it must be open, free of charge.
type Query struct {
	Text   string // Italian full text: stems and accents fold ("sportivo" finds "sport")
	Need   string // a taxonomy term's code ("lavoro") or id
	Age    *int   // between the service's minimum and maximum age (none: no limit)
	Comune string // one of the district's municipalities
	Day    string // MO…SU, or the Italian name of the day (lunedì, martedi…)
	Free   bool   // only services free of charge
	Page
}

// Hit is a service found, with its rank (higher is better; 0 without words).
type Hit struct {
	Rank    float64       `json:"rank"`
	Service ServiceRecord `json:"service"`
}

var weekdays = map[string]string{
	"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU",
	"lunedi": "MO", "martedi": "TU", "mercoledi": "WE", "giovedi": "TH", "venerdi": "FR", "sabato": "SA", "domenica": "SU",
	"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH", "friday": "FR", "saturday": "SA", "sunday": "SU",
}

// weekday reads a day as HSDS's two letters.
func weekday(d string) (string, bool) {
	d = strings.NewReplacer("ì", "i", "í", "i").Replace(strings.ToLower(strings.TrimSpace(d)))
	w, ok := weekdays[d]
	return w, ok
}

// Search finds the services matching q that the actor may read: published ones only, except
// for the Ufficio di Piano and health staff (everything) and a partner (also its own).
// Active and temporarily closed services only. Ranked by ts_rank when there are words (name
// weighs most, then organisation, description, eligibility), else by name; paged, with the
// total. Invalid names the parameter (need, age, comune, day).
func (s *Service) Search(ctx context.Context, a actor.Actor, q Query) ([]Hit, int64, error) {
	if q.Age != nil && (*q.Age < 0 || *q.Age > 130) {
		return nil, 0, apperr.Invalidf("age", "età tra 0 e 130 anni", "an age between 0 and 130")
	}
	term, err := s.taxonomy.termID("need", q.Need, "need")
	if err != nil {
		return nil, 0, err
	}
	var day string
	if q.Day != "" {
		var ok bool
		if day, ok = weekday(q.Day); !ok {
			return nil, 0, apperr.Invalidf("day", "giorno ammesso: lunedì…domenica o MO…SU", "allowed: MO…SU or the Italian day names")
		}
	}
	var hits []Hit
	var total int64
	err = s.tx(ctx, a, func(tx *tenancy.Tx) error {
		sel := visibleServices(tx).Where("s.status IN ('active', 'temporarily closed')")
		text := strings.TrimSpace(q.Text)
		if text != "" {
			sel = sel.Where("s.search @@ websearch_to_tsquery('italian', directory_fold(?))", text)
		}
		if term != "" {
			sel = sel.Where("EXISTS (SELECT 1 FROM attributes at WHERE at.link_entity = 'service' AND at.link_id = s.id AND at.taxonomy_term_id = ?)", term)
		}
		if q.Age != nil {
			sel = sel.Where("(s.minimum_age IS NULL OR s.minimum_age <= ?) AND (s.maximum_age IS NULL OR s.maximum_age >= ?)", *q.Age, *q.Age)
		}
		if c := strings.TrimSpace(q.Comune); c != "" {
			var names []string
			if err := tx.Raw("SELECT name FROM municipalities WHERE lower(name) = lower(?)", c).Scan(&names).Error; err != nil {
				return storeError(err, "comuni")
			}
			if len(names) == 0 {
				return apperr.Invalidf("comune", "%q non è un comune del distretto", "%q is not a comune of the district", c)
			}
			sel = sel.Where(`EXISTS (SELECT 1 FROM service_at_locations sal JOIN addresses ad ON ad.location_id = sal.location_id
				WHERE sal.service_id = s.id AND ad.city = ?)`, names[0])
		}
		if day != "" {
			sel = sel.Where(`EXISTS (SELECT 1 FROM schedules sc WHERE sc.service_id = s.id
				AND sc.byday ~ ?
				AND (sc.valid_from IS NULL OR sc.valid_from <= current_date)
				AND (sc.valid_to IS NULL OR sc.valid_to >= current_date))`, `(^|,)-?[0-9]?`+day+`(,|$)`)
		}
		if q.Free {
			// Free: a cost option of amount 0, or no priced option and fees described as free.
			sel = sel.Where(`(EXISTS (SELECT 1 FROM cost_options co WHERE co.service_id = s.id AND co.amount = 0)
				OR (NOT EXISTS (SELECT 1 FROM cost_options co WHERE co.service_id = s.id AND co.amount > 0)
					AND directory_fold(s.fees_description) LIKE 'gratuit%'))`)
		}
		if err := sel.Count(&total).Error; err != nil {
			return storeError(err, "ricerca")
		}
		var rows []struct {
			ID   string
			Rank float64
		}
		ranked := sel.Select("s.id, 0::float8 AS rank")
		if text != "" {
			ranked = sel.Select("s.id, ts_rank(s.search, websearch_to_tsquery('italian', directory_fold(?))) AS rank", text)
		}
		err := ranked.Order("rank DESC, s.name, s.id").Limit(q.limit()).Offset(q.Offset).Scan(&rows).Error
		if err != nil {
			return storeError(err, "ricerca")
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		rs, err := loadServices(tx, ids)
		if err != nil {
			return err
		}
		for i, r := range rs {
			hits = append(hits, Hit{Rank: rows[i].Rank, Service: r})
		}
		return nil
	})
	return hits, total, err
}
