package pathway

import (
	"context"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// MoveStage moves a pathway to another stage of its programme, forward or back, if nobody
// changed it since version; closing is Close's.
func (s *Service) MoveStage(ctx context.Context, a actor.Actor, pathwayID, to string, version int) (Pathway, error) {
	var p Pathway
	err := s.work(ctx, a, func(ses *session) error {
		cur, err := ses.loadForWork(pathwayID)
		if err != nil {
			return err
		}
		prog := s.programmes[cur.Programme]
		switch {
		case prog.StageIndex(to) < 0:
			return apperr.Invalidf("stage", "fase non prevista dal programma", "not a stage of the programme")
		case to == prog.ClosedStage():
			return apperr.Invalidf("stage", "per chiudere il percorso usare la chiusura, con il motivo", "to close the pathway use close, with its reason")
		case to == cur.Stage:
			return apperr.Invalidf("stage", "il percorso è già in questa fase", "the pathway is already at this stage")
		}
		if err := ses.requireWritable(cur); err != nil {
			return err
		}
		if p, err = ses.update(cur, version, map[string]any{"stage": to}); err != nil {
			return err
		}
		return ses.event(p, "stage", cur.Stage, to, "")
	})
	return p, err
}

// ClosureInput closes a pathway.
type ClosureInput struct {
	Reason    string `json:"reason"`
	ClosedOn  Date   `json:"closed_on"`
	NEETClose string `json:"neet_close,omitempty"`
	Version   int    `json:"version"`
}

// Close closes a pathway with a reason of its programme. A pathway frozen by a withdrawn
// consent may still be closed: closing is what is left to do.
func (s *Service) Close(ctx context.Context, a actor.Actor, pathwayID string, in ClosureInput) (Pathway, error) {
	var p Pathway
	err := s.work(ctx, a, func(ses *session) error {
		cur, err := ses.loadForWork(pathwayID)
		if err != nil {
			return err
		}
		if cur.ClosedOn != "" {
			return apperr.New(apperr.Conflict, "il percorso è già chiuso", "the pathway is already closed")
		}
		if err := s.checkClosure(cur, in); err != nil {
			return err
		}
		closed := s.programmes[cur.Programme].ClosedStage()
		cols := map[string]any{"stage": closed, "closed_on": in.ClosedOn, "closure_reason": in.Reason, "neet_close": in.NEETClose}
		if p, err = ses.update(cur, in.Version, cols); err != nil {
			return err
		}
		return ses.event(p, "close", cur.Stage, closed, in.Reason)
	})
	return p, err
}

// checkClosure validates a closure against the pathway and its programme.
func (s *Service) checkClosure(p Pathway, in ClosureInput) error {
	prog := s.programmes[p.Programme]
	if !prog.HasClosureReason(in.Reason) {
		return apperr.Invalidf("reason", "motivo di chiusura non previsto dal programma", "not a closure reason of the programme")
	}
	closed, err := s.pastDay("closed_on", in.ClosedOn)
	if err != nil {
		return err
	}
	if engaged, _, _ := day("engaged_on", p.EngagedOn, true); closed.Before(engaged) {
		return apperr.Invalidf("closed_on", "la chiusura non può precedere l'aggancio", "the closure cannot precede the engagement")
	}
	if prog.Measures("neet") != neetStates[in.NEETClose] {
		return apperr.Invalidf("neet_close", "condizione NEET alla chiusura: studio, lavoro, formazione o nessuno (solo per i programmi che la misurano)",
			"NEET status at close: studio, lavoro, formazione or nessuno (only for programmes measuring it)")
	}
	return nil
}
