// Package actor is who is acting in a request. The authorization middleware builds it once per
// request, from the authenticated person, the request's domain and their roles there; handlers,
// pages and services receive it and ask it questions ("may you do this?") instead of knowing
// role names, sessions or Casbin. It imports nothing of HTTP.
package actor

import (
	"context"
	"slices"
)

// Actor is the person behind a request, as seen in its domain.
type Actor struct {
	ID           string   // the identity's id; "" for nobody logged in
	Name         string   // display name
	Organisation string   // a partner's organisation code in this district ("" otherwise)
	Domain       string   // district slug, region:<slug> or platform
	Roles        []string // the roles held in Domain, sorted
	Regions      []string // on the platform host, the regions overseen (role regione), sorted
	can          func(object, action string) bool
}

// New returns an actor whose permissions are answered by can.
func New(id, name, organisation, domain string, roles, regions []string, can func(object, action string) bool) Actor {
	return Actor{ID: id, Name: name, Organisation: organisation, Domain: domain, Roles: roles, Regions: regions, can: can}
}

// Can reports whether the actor may perform action on object in their domain. Nobody logged in
// may do nothing.
func (a Actor) Can(object, action string) bool {
	return a.ID != "" && a.can != nil && a.can(object, action)
}

// Anonymous reports whether nobody is logged in.
func (a Actor) Anonymous() bool { return a.ID == "" }

// Oversees reports whether the actor reads the regional views of region.
func (a Actor) Oversees(region string) bool { return slices.Contains(a.Regions, region) }

type key struct{}

// With returns a context carrying a.
func With(ctx context.Context, a Actor) context.Context { return context.WithValue(ctx, key{}, a) }

// From returns the request's actor; without one (a request the middleware did not see), the
// anonymous actor, who may do nothing.
func From(ctx context.Context) Actor {
	a, _ := ctx.Value(key{}).(Actor)
	return a
}

// System returns the actor of a job the platform runs itself (a command, a rebuild): it may
// open district transactions and is recorded as "system:<job>", but Can answers no.
func System(job string) Actor {
	return Actor{ID: "system:" + job, Name: job, Domain: "platform"}
}

type requestKey struct{}

// WithRequestID returns a context carrying the request's id, which the audit trail records
// beside the actor.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestKey{}, id)
}

// RequestID returns the id of the context's request, "" outside a request (a job).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestKey{}).(string)
	return id
}
