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
	"time"

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
	perms     map[string]rolePerms
	snap      atomic.Pointer[snapshot]
	reloadMu  sync.Mutex // one reload builds at a time, so a newer view is never replaced by an older one
	listening atomic.Bool
	// What the listener heard and did, for the tests: notifications received, those of this
	// instance's own changes (skipped), and reloads of the bindings.
	heard, ownHeard, reloads atomic.Int64
}

// New parses the model and the base policy with Casbin, compiles them, and loads the stored
// bindings.
func New(ctx context.Context, d *db.DB, modelText, policyText string, log *slog.Logger) (*Authorizer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("authz: model: %w", err)
	}
	if err := checkModel(m); err != nil {
		return nil, err
	}
	if err := loadPolicyFile(m, policyText); err != nil {
		return nil, fmt.Errorf("authz: load policy: %w", err)
	}
	perms, err := compilePerms(m)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Authorizer{db: d, log: log, instance: randomID(), perms: perms}
	a.snap.Store(newSnapshot(perms, nil))
	if err := a.Reload(); err != nil {
		return nil, err
	}
	return a, nil
}

// Allowed reports whether the identity may act on obj in domain. It never waits: it reads the
// snapshot published last.
func (a *Authorizer) Allowed(identityID, domain, obj, act string) (bool, error) {
	return a.snap.Load().allowed(Subject(identityID), domain, obj, act), nil
}

// Roles returns the identity's roles in domain, sorted.
func (a *Authorizer) Roles(identityID, domain string) []string {
	return slices.Clone(a.snap.Load().byDomain[domain][Subject(identityID)])
}

// Domains returns every domain where the identity holds a role, with those roles.
func (a *Authorizer) Domains(identityID string) map[string][]string {
	out := map[string][]string{}
	for dom, roles := range a.snap.Load().bySubject[Subject(identityID)] {
		out[dom] = slices.Clone(roles)
	}
	return out
}

// Permissions lists what the identity may do in domain, through all its roles.
func (a *Authorizer) Permissions(identityID, domain string) []Permission {
	s := a.snap.Load()
	var out []Permission
	for _, role := range s.byDomain[domain][Subject(identityID)] {
		for k, doms := range s.perms[role] {
			perm := Permission{Object: k.obj, Action: k.act}
			if (doms["*"] || doms[domain]) && !slices.Contains(out, perm) {
				out = append(out, perm)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Object+" "+out[i].Action < out[j].Object+" "+out[j].Action
	})
	return out
}

// Reload rereads bindings from the database: every domain's, or only the domains named (what
// a grant, a revocation or a first login changed). The new snapshot is built aside and
// swapped in; decisions meanwhile use the previous one.
func (a *Authorizer) Reload(domains ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()
	a.reloads.Add(1)
	if len(domains) == 0 {
		bindings, err := loadBindings(ctx, a.db, "")
		if err != nil {
			return fmt.Errorf("authz: reload: %w", err)
		}
		a.snap.Store(newSnapshot(a.perms, bindings))
		return nil
	}
	next := a.snap.Load()
	for _, dom := range domains {
		bindings, err := loadBindings(ctx, a.db, dom)
		if err != nil {
			return fmt.Errorf("authz: reload %s: %w", dom, err)
		}
		next = next.withDomain(dom, bindings)
	}
	a.snap.Store(next)
	return nil
}

func parseCSVLine(line string) []string {
	parts := strings.Split(line, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
