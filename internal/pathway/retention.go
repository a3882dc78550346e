package pathway

import (
	"context"
	"fmt"
	"time"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// retentionActor is who the retention job acts as: a system actor, with no permissions (the
// job asks for none; it is run by the operator's command, not by a request).
var retentionActor = actor.System("pathways-retention")

// AnonymiseExpired anonymises, in district t, the pathways closed longer ago than their
// programme's retention period: each is marked anonymised and its emptiable sealed records
// emptied; a person with no other pathway still within retention is erased as on request
// (key destroyed, identifying fields emptied). It returns how many pathways it anonymised.
// One transaction per district: a failure leaves the district as it was.
func (s *Service) AnonymiseExpired(ctx context.Context, t tenancy.Tenant) (int, error) {
	n := 0
	err := s.scope.TxFor(ctx, t, retentionActor, s.inSession(ctx, func(ses *session) error {
		var err error
		n, err = ses.anonymiseExpired()
		return err
	}))
	if err != nil {
		return 0, err
	}
	return n, nil
}

func (s *session) anonymiseExpired() (int, error) {
	var rows []struct {
		ID, PersonID, Programme string
		ClosedOn                time.Time
	}
	if err := s.Raw(`SELECT id, person_id, programme, closed_on FROM pathways
		WHERE closed_on IS NOT NULL AND anonymised_at IS NULL ORDER BY person_id, closed_on`).Scan(&rows).Error; err != nil {
		return 0, fmt.Errorf("pathway: read the closed pathways: %w", err)
	}
	today := s.svc.today()
	n := 0
	people := map[string]bool{}
	for _, r := range rows {
		if !s.retentionExpired(r.Programme, r.ClosedOn, today) {
			continue
		}
		if err := s.emptyRecords(r.ID); err != nil {
			return 0, err
		}
		if err := s.Exec("UPDATE pathways SET anonymised_at = ?, updated_at = ? WHERE id = ?", s.svc.now(), s.svc.now(), r.ID).Error; err != nil {
			return 0, fmt.Errorf("pathway: anonymise a pathway: %w", err)
		}
		if err := s.dpoEvent(Pathway{ID: r.ID}, "anonymised", "", ""); err != nil {
			return 0, err
		}
		s.Audit(tenancy.Access{Subject: r.PersonID, What: "percorso", Action: "anonymise", Detail: r.ID})
		people[r.PersonID] = true
		n++
	}
	for person := range people {
		keep, err := s.withinRetention(person, today)
		if err != nil {
			return 0, err
		}
		var erased []struct{ ErasedAt *time.Time }
		if err := s.Raw("SELECT erased_at FROM persons WHERE id = ?", person).Scan(&erased).Error; err != nil {
			return 0, fmt.Errorf("pathway: read a person: %w", err)
		}
		if keep || len(erased) == 0 || erased[0].ErasedAt != nil {
			continue
		}
		if _, err := s.erase(person, "conservazione scaduta"); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// retentionExpired reports whether a pathway of programme closed on closed is past its retention
// period on today. An unknown programme is kept (nothing says how long).
func (s *session) retentionExpired(programme string, closed, today time.Time) bool {
	p, ok := s.svc.programmes[programme]
	if !ok {
		return false
	}
	limit := today.AddDate(-p.RetentionYears, 0, 0)
	c := time.Date(closed.Year(), closed.Month(), closed.Day(), 0, 0, 0, 0, today.Location())
	return c.Before(limit)
}

// withinRetention reports whether the person has a pathway still open or closed within its
// programme's retention period.
func (s *session) withinRetention(person string, today time.Time) (bool, error) {
	ps, err := s.pathwaysOfPerson(person)
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if p.ClosedOn == "" {
			return true, nil
		}
		closed, err := time.Parse(time.DateOnly, p.ClosedOn)
		if err != nil {
			return false, err
		}
		if !s.retentionExpired(p.Programme, closed, today) {
			return true, nil
		}
	}
	return false, nil
}
