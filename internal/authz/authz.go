// Package authz decides what a person may do: Casbin RBAC with domains (a district slug,
// region:<slug> or platform). Role permissions come from policies/ (files, reviewed like code);
// user → role bindings live in platform.casbin_rules and change at run time. A change is
// committed together with a NOTIFY, and every instance reloads on it.
package authz

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"github.com/ambiti/ambiti/internal/auth"
	"github.com/ambiti/ambiti/internal/db"
)

// PlatformDomain is the domain of platform-wide roles.
const PlatformDomain = auth.PlatformDomain

// RegionDomain is the domain of a regional body.
func RegionDomain(slug string) string { return regionPrefix + slug }

// regionPrefix starts the domain of a regional body.
const regionPrefix = "region:"

// Subject is the Casbin subject of an identity.
func Subject(identityID string) string { return "u:" + identityID }

// Permission is an action on a kind of object.
type Permission struct {
	Object string `json:"object"`
	Action string `json:"action"`
}

// Authorizer answers authorization questions and changes role bindings.
type Authorizer struct {
	db        *db.DB
	log       *slog.Logger
	instance  string // tells this instance's own notifications apart
	mu        sync.Mutex
	enforcer  *casbin.SyncedEnforcer
	listening atomic.Bool
	// What the listener heard and did, for the tests: notifications received, those of this
	// instance's own changes (skipped), and reloads of the bindings.
	heard, ownHeard, reloads atomic.Int64
}

// New loads the model, the base policy and the stored bindings.
func New(ctx context.Context, d *db.DB, modelText, policyText string, log *slog.Logger) (*Authorizer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("authz: model: %w", err)
	}
	e, err := casbin.NewSyncedEnforcer(m, &adapter{db: d, policy: policyText})
	if err != nil {
		return nil, fmt.Errorf("authz: load policy: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Authorizer{db: d, log: log, instance: randomID(), enforcer: e}, nil
}

// Allowed reports whether the identity may act on obj in domain.
func (a *Authorizer) Allowed(identityID, domain, obj, act string) (bool, error) {
	ok, err := a.enforcer.Enforce(Subject(identityID), domain, obj, act)
	if err != nil {
		return false, fmt.Errorf("authz: enforce: %w", err)
	}
	return ok, nil
}

// Roles returns the identity's roles in domain, sorted.
func (a *Authorizer) Roles(identityID, domain string) []string {
	roles := a.enforcer.GetRolesForUserInDomain(Subject(identityID), domain)
	sort.Strings(roles)
	return roles
}

// Domains returns every domain where the identity holds a role, with those roles.
func (a *Authorizer) Domains(identityID string) map[string][]string {
	out := map[string][]string{}
	rules, _ := a.enforcer.GetFilteredGroupingPolicy(0, Subject(identityID))
	for _, r := range rules {
		if len(r) >= 3 {
			out[r[2]] = append(out[r[2]], r[1])
		}
	}
	for d := range out {
		sort.Strings(out[d])
	}
	return out
}

// Permissions lists what the identity may do in domain, through all its roles.
func (a *Authorizer) Permissions(identityID, domain string) []Permission {
	var out []Permission
	for _, role := range a.Roles(identityID, domain) {
		rules, _ := a.enforcer.GetFilteredPolicy(0, role)
		for _, p := range rules {
			if len(p) >= 4 && (p[1] == "*" || p[1] == domain) {
				perm := Permission{Object: p[2], Action: p[3]}
				if !slices.Contains(out, perm) {
					out = append(out, perm)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Object+" "+out[i].Action < out[j].Object+" "+out[j].Action
	})
	return out
}

// Reload rereads the bindings from the database.
func (a *Authorizer) Reload() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reloads.Add(1)
	if err := a.enforcer.LoadPolicy(); err != nil {
		return fmt.Errorf("authz: reload: %w", err)
	}
	return nil
}

func parseCSVLine(line string) []string {
	parts := strings.Split(line, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
