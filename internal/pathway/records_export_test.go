package pathway

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
)

// RecRecordsOf reads a pathway's records as loadRecords gives them to the core's Detail, for
// the records' tests (package pathway_test).
func (s *Service) RecRecordsOf(ctx context.Context, a actor.Actor, pathwayID string) (Detail, error) {
	var d Detail
	err := s.work(ctx, a, func(ses *session) error {
		p, r, err := ses.loadPathway(pathwayID)
		if err != nil {
			return err
		}
		d.Pathway = p
		return ses.loadRecords(&d, r)
	})
	return d, err
}

// RecRecordError is recordError, the records' mapping of database failures.
var RecRecordError = recordError
