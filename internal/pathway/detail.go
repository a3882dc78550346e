package pathway

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
)

// Detail is a pathway on one page, as much of it as the actor may see (404 when nothing).
func (s *Service) Detail(ctx context.Context, a actor.Actor, pathwayID string) (Detail, error) {
	var d Detail
	err := s.work(ctx, a, func(ses *session) error {
		p, r, err := ses.loadPathway(pathwayID)
		if err != nil {
			return err
		}
		d, err = ses.detailOf(p, r)
		return err
	})
	return d, err
}

// detailOf gathers everything of one pathway reach r allows: the person (their identity, for
// health staff too), the current consents, the history and the records.
func (s *session) detailOf(p Pathway, r reach) (Detail, error) {
	d := Detail{Pathway: p, HealthView: r == reachHealth}
	var err error
	if d.Person, err = s.loadPerson(p.PersonID); err != nil {
		return Detail{}, err
	}
	if d.Consents, err = s.currentConsents(p.PersonID); err != nil {
		return Detail{}, err
	}
	if d.History, err = s.history(p.ID); err != nil {
		return Detail{}, err
	}
	if d.Assessments == nil {
		d.Assessments = []Assessment{}
	}
	if err := s.loadRecords(&d, r); err != nil {
		return Detail{}, err
	}
	return d, nil
}
