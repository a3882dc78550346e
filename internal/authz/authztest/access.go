// Package authztest holds what the authorization matrix test is made of: each feature states,
// in a table beside its own code (internal/<feature>/<feature>test/access.go), who may call each
// of its routes; the test that walks every route of the assembled server (cmd/ambiti) merges
// the tables and calls every route as every demo role, on its own district and on another.
package authztest

import (
	"fmt"
	"slices"
)

// Who says who may call a route on their own host.
type Who struct {
	Public bool     // anyone, logged in or not
	Anyone bool     // any person logged in on the host
	Roles  []string // these roles only
}

// Only is a route for the given roles.
func Only(roles ...string) Who { return Who{Roles: roles} }

// Public is a route for anyone, logged in or not.
func Public() Who { return Who{Public: true} }

// Anyone is a route for any person logged in on the host.
func Anyone() Who { return Who{Anyone: true} }

// Allows reports whether a person holding role on the route's host may call it.
func (w Who) Allows(role string) bool { return w.Public || w.Anyone || slices.Contains(w.Roles, role) }

// Table maps "METHOD /path" (as the route declares it) to who may call it.
type Table map[string]Who

// Merge joins the features' tables; a route stated twice is an error, so that two rooms never
// disagree silently about the same route.
func Merge(tables ...Table) (Table, error) {
	out := Table{}
	for _, t := range tables {
		for k, w := range t {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("authztest: route %s is in two access tables", k)
			}
			out[k] = w
		}
	}
	return out, nil
}
