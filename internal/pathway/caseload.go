package pathway

import (
	"context"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// CaseloadFilter narrows a caseload; the rows are always those the actor sees (a link worker's
// own, every pathway for the coordinator).
type CaseloadFilter struct {
	Programme     string
	Stage         string
	AssignedTo    string
	DueThisWeek   bool // a follow-up within 7 days, or overdue
	IncludeClosed bool
	Limit, Offset int
}

// Caseload lists the visible pathways, the ones due a follow-up first (the most overdue
// first), then the newest engaged; each person shown is audited as listed.
func (s *Service) Caseload(ctx context.Context, a actor.Actor, f CaseloadFilter) ([]CaseloadItem, int64, error) {
	if f.Programme != "" {
		if _, ok := s.programmes[f.Programme]; !ok {
			return nil, 0, apperr.Invalidf("programme", "programma sconosciuto", "unknown programme")
		}
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var items []CaseloadItem
	var total int64
	err := s.work(ctx, a, func(ses *session) error {
		var err error
		items, total, err = ses.caseload(f, "TRUE")
		return err
	})
	return items, total, err
}

// caseload runs a filtered caseload query with an extra condition.
func (s *session) caseload(f CaseloadFilter, extra string, extraArgs ...any) ([]CaseloadItem, int64, error) {
	cond, args := s.visible()
	week := s.svc.day().AddDate(0, 0, 7)
	q := s.Model(&pathwayRow{}).Where("anonymised_at IS NULL").Where(cond, args...).Where(extra, extraArgs...)
	if f.Programme != "" {
		q = q.Where("programme = ?", f.Programme)
	}
	if f.Stage != "" {
		q = q.Where("stage = ?", f.Stage)
	}
	if f.AssignedTo != "" {
		q = q.Where("assigned_to = ?", f.AssignedTo)
	}
	if !f.IncludeClosed {
		q = q.Where("closed_on IS NULL")
	}
	if f.DueThisWeek {
		q = q.Where("next_follow_up <= ? AND closed_on IS NULL", week.Format(time.DateOnly))
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []pathwayRow
	// The week's end is our own date, not input: safe to write into the ORDER BY.
	due := "(next_follow_up <= DATE '" + week.Format(time.DateOnly) + "' AND closed_on IS NULL)"
	err := q.Order(due + " DESC NULLS LAST, next_follow_up NULLS LAST, engaged_on DESC, id").
		Limit(f.Limit).Offset(f.Offset).Find(&rows).Error
	if err != nil {
		return nil, 0, err
	}
	items, err := s.caseloadItems(rows, week)
	return items, total, err
}

// caseloadItems decrypts each person's name and age, auditing each as listed.
func (s *session) caseloadItems(rows []pathwayRow, week time.Time) ([]CaseloadItem, error) {
	items := make([]CaseloadItem, len(rows))
	listed := map[string]bool{}
	// The people and their keys in two queries, not two per row.
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.PersonID)
	}
	people, err := findPersonRows(s.Tx, ids)
	if err != nil {
		return nil, err
	}
	if err := s.keys.Preload(ids); err != nil {
		return nil, err
	}
	for i, r := range rows {
		p := r.pathway()
		items[i] = CaseloadItem{Pathway: p, DueThisWeek: r.ClosedOn == nil && r.NextFollowUp != nil && !r.NextFollowUp.After(week)}
		if row, ok := people[p.PersonID]; ok {
			person, err := s.openPerson(row)
			if err != nil {
				return nil, err
			}
			items[i].PersonName = person.GivenName + " " + person.FamilyName
			if person.Erased {
				items[i].PersonName = "(dati cancellati)"
			}
			if b, err := time.ParseInLocation(time.DateOnly, person.BirthDate, rome); err == nil {
				items[i].Age = ageOn(b, s.svc.day())
			}
		}
		if !listed[p.PersonID] { // one row per person shown, however many of their pathways
			listed[p.PersonID] = true
			s.Audit(tenancy.Access{Subject: p.PersonID, What: "persona", Action: "list", Detail: p.ID})
		}
	}
	return items, nil
}
