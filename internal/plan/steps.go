package plan

import (
	"context"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Step is a move through the approval workflow of a plan or an amendment, named as the API's
// paths and the pages' buttons name it: both call MovePlan and MoveAmendment with it.
type Step string

// The steps.
const (
	StepPropose Step = "propose" // to the Assemblea dei Sindaci
	StepApprove Step = "approve" // by the Assemblea
	StepReturn  Step = "return"  // sent back by the Assemblea, with a note
	StepClose   Step = "close"   // a plan at the end of its triennium
)

var errUnknownStep = apperr.Invalidf("step", "passaggio non previsto", "no such step")

// MovePlan takes a plan one step through its workflow.
func (s *Service) MovePlan(ctx context.Context, actor Actor, id int64, step Step, note string) (Plan, error) {
	switch step {
	case StepPropose:
		return s.Propose(ctx, actor, id, note)
	case StepApprove:
		return s.Approve(ctx, actor, id, note)
	case StepReturn:
		return s.SendBack(ctx, actor, id, note)
	case StepClose:
		return s.Close(ctx, actor, id, note)
	}
	return Plan{}, errUnknownStep
}

// MoveAmendment takes an amendment one step; proposing takes no note.
func (s *Service) MoveAmendment(ctx context.Context, actor Actor, planID, id int64, step Step, note string) (Amendment, error) {
	switch step {
	case StepPropose:
		return s.ProposeAmendment(ctx, actor, planID, id)
	case StepApprove:
		return s.ApproveAmendment(ctx, actor, planID, id, note)
	case StepReturn:
		return s.SendBackAmendment(ctx, actor, planID, id, note)
	}
	return Amendment{}, errUnknownStep
}
