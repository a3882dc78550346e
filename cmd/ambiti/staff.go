package main

import (
	"context"
	"slices"

	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/authz"
	"github.com/ambiti/ambiti/internal/authz/roles"
	"github.com/ambiti/ambiti/internal/pathway"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// linkWorkers is the pathway room's staff directory: the members of the context's district
// (auth) who hold the link worker role there (authz). Wiring, because the room may know
// neither.
type linkWorkers struct {
	people *auth.Service
	authz  *authz.Authorizer
}

func (l linkWorkers) LinkWorkers(ctx context.Context) ([]pathway.Worker, error) {
	t, ok := tenancy.FromContext(ctx)
	if !ok {
		return nil, nil
	}
	members, err := l.people.Members(ctx, t.Slug)
	if err != nil {
		return nil, err
	}
	var out []pathway.Worker
	for _, m := range members {
		if slices.Contains(l.authz.Roles(m.ID, t.Slug), roles.LinkWorker) {
			out = append(out, pathway.Worker{ID: m.ID, Name: m.Name})
		}
	}
	return out, nil
}
