package pathway

import (
	"context"
	"sort"

	"github.com/ambiti/ambiti/internal/actor"
	"github.com/ambiti/ambiti/internal/apperr"
)

// Worker is someone pathways may be assigned to, with how many open ones they hold.
type Worker struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Open int    `json:"open"`
}

// StaffDirectory lists the district's link workers (people holding role link_worker there);
// the identity room provides it, so this room needs no knowledge of roles or members.
type StaffDirectory interface {
	LinkWorkers(ctx context.Context) ([]Worker, error)
}

// WithStaff sets where Workers finds the link workers; without it, the assignees of existing
// pathways are the only ones known.
func (s *Service) WithStaff(d StaffDirectory) *Service {
	s.staff = d
	return s
}

// AssignInput (re)assigns a pathway.
type AssignInput struct {
	AssigneeID   string `json:"assignee_id"`
	AssigneeName string `json:"assignee_name,omitempty"` // ignored when the staff directory knows the name
	Version      int    `json:"version"`
}

// Workers lists the link workers the coordinator may assign to, with their open pathways.
func (s *Service) Workers(ctx context.Context, a actor.Actor) ([]Worker, error) {
	if err := need(a, actAssign); err != nil {
		return nil, err
	}
	var ws []Worker
	err := s.work(ctx, a, func(ses *session) error {
		var err error
		ws, err = ses.workers(ctx)
		return err
	})
	return ws, err
}

// workers is the staff directory's link workers (or the known assignees) with their counts.
func (s *session) workers(ctx context.Context) ([]Worker, error) {
	var open []struct {
		ID, Name string
		N        int
	}
	err := s.Raw(`SELECT assigned_to AS id, max(assigned_name) AS name, count(*) FILTER (WHERE closed_on IS NULL) AS n
		FROM pathways WHERE assigned_to <> '' GROUP BY assigned_to`).Scan(&open).Error
	if err != nil {
		return nil, err
	}
	var ws []Worker
	if s.svc.staff != nil {
		if ws, err = s.svc.staff.LinkWorkers(ctx); err != nil {
			return nil, err
		}
	} else {
		for _, o := range open {
			ws = append(ws, Worker{ID: o.ID, Name: o.Name})
		}
	}
	for i := range ws {
		for _, o := range open {
			if o.ID == ws[i].ID {
				ws[i].Open = o.N
			}
		}
	}
	sort.Slice(ws, func(i, j int) bool { return ws[i].Name < ws[j].Name || ws[i].Name == ws[j].Name && ws[i].ID < ws[j].ID })
	return ws, nil
}

// assignee checks that id ("" for nobody) may be assigned pathways and returns their name.
// The actor assigning to themselves is always known.
func (s *session) assignee(ctx context.Context, id, field string) (string, error) {
	if id == "" {
		return "", nil
	}
	if id == s.Actor.ID {
		return s.Actor.Name, nil
	}
	ws, err := s.workers(ctx)
	if err != nil {
		return "", err
	}
	for _, w := range ws {
		if w.ID == id {
			return w.Name, nil
		}
	}
	return "", apperr.Invalidf(field, "non è un link worker del distretto", "not a link worker of the district")
}

// Assign gives a pathway to a link worker (coordinator only); the history keeps who had it.
func (s *Service) Assign(ctx context.Context, a actor.Actor, pathwayID string, in AssignInput) (Pathway, error) {
	if err := need(a, actAssign); err != nil {
		return Pathway{}, err
	}
	if in.AssigneeID == "" {
		return Pathway{}, apperr.Invalidf("assignee_id", "indicare a chi assegnare il percorso", "say whom to assign the pathway to")
	}
	var p Pathway
	err := s.work(ctx, a, func(ses *session) error {
		cur, _, err := ses.loadPathway(pathwayID)
		if err != nil {
			return err
		}
		if cur.ClosedOn != "" {
			return apperr.New(apperr.Conflict, "il percorso è chiuso", "the pathway is closed")
		}
		name, err := ses.assignee(ctx, in.AssigneeID, "assignee_id")
		if err != nil {
			return err
		}
		if name == "" {
			name = in.AssigneeName
		}
		if p, err = ses.update(cur, in.Version, map[string]any{"assigned_to": in.AssigneeID, "assigned_name": name}); err != nil {
			return err
		}
		return ses.event(p, "assign", "", "", cur.AssignedTo+">"+in.AssigneeID)
	})
	return p, err
}
