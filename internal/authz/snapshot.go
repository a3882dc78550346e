package authz

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/casbin/casbin/v2/model"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/db"
)

// Decisions are answered from an immutable snapshot compiled from the Casbin model: the role
// permissions of policies/policy.csv indexed by role, object and action, and the stored
// bindings indexed by domain and by subject. A decision is a few map lookups whatever the
// number of rules — allow and deny alike; Casbin's own Enforce scans every p rule, and a
// deny scanned them all (40–190 µs, issue 21). A reload builds a new snapshot aside and swaps
// it in atomically, so no decision ever waits for one. The semantics are the model's matcher
//
//	r.obj == p.obj && r.act == p.act && (p.dom == "*" || r.dom == p.dom) && g(r.sub, p.sub, r.dom)
//
// (TestSnapshotDecidesLikeCasbin checks every combination against casbin.Enforcer, and
// TestModelIsTheCompiledOne fails if policies/model.conf changes under this code).

// permKey is an object and an action.
type permKey struct{ obj, act string }

// rolePerms says, for one role, in which domains it may do what: "*" for any domain.
type rolePerms map[permKey]map[string]bool

// snapshot is one consistent view of permissions and bindings; never modified once published.
type snapshot struct {
	perms     map[string]rolePerms           // role → object/action → domains
	byDomain  map[string]map[string][]string // domain → subject → roles (sorted, transitive)
	bySubject map[string]map[string][]string // subject → domain → roles (the same lists)
}

// binding is one stored g rule: subject holds role in domain.
type binding struct{ sub, role, dom string }

// compilePerms indexes the model's p rules (the policy file) by role.
func compilePerms(m model.Model) (map[string]rolePerms, error) {
	out := map[string]rolePerms{}
	ast, ok := m["p"]["p"]
	if !ok {
		return nil, fmt.Errorf("authz: the model has no p policy")
	}
	for _, rule := range ast.Policy {
		if len(rule) != 4 {
			return nil, fmt.Errorf("authz: policy rule %q: want sub, dom, obj, act", rule)
		}
		role, dom, obj, act := rule[0], rule[1], rule[2], rule[3]
		if out[role] == nil {
			out[role] = rolePerms{}
		}
		k := permKey{obj, act}
		if out[role][k] == nil {
			out[role][k] = map[string]bool{}
		}
		out[role][k][dom] = true
	}
	return out, nil
}

// domainRoles resolves one domain's bindings into subject → sorted roles, following role
// inheritance within the domain (a binding whose subject is itself a role), as Casbin's
// domain role manager does.
func domainRoles(bindings []binding) map[string][]string {
	direct := map[string][]string{}
	for _, b := range bindings {
		direct[b.sub] = append(direct[b.sub], b.role)
	}
	out := make(map[string][]string, len(direct))
	for sub := range direct {
		seen := map[string]bool{}
		queue := slices.Clone(direct[sub])
		for len(queue) > 0 {
			r := queue[0]
			queue = queue[1:]
			if seen[r] {
				continue
			}
			seen[r] = true
			queue = append(queue, direct[r]...)
		}
		roles := slices.Collect(maps.Keys(seen))
		sort.Strings(roles)
		out[sub] = roles
	}
	return out
}

// newSnapshot compiles every binding.
func newSnapshot(perms map[string]rolePerms, bindings []binding) *snapshot {
	grouped := map[string][]binding{}
	for _, b := range bindings {
		grouped[b.dom] = append(grouped[b.dom], b)
	}
	s := &snapshot{perms: perms, byDomain: make(map[string]map[string][]string, len(grouped)), bySubject: map[string]map[string][]string{}}
	for dom, bs := range grouped {
		roles := domainRoles(bs)
		s.byDomain[dom] = roles
		for sub, r := range roles {
			if s.bySubject[sub] == nil {
				s.bySubject[sub] = map[string][]string{}
			}
			s.bySubject[sub][dom] = r
		}
	}
	return s
}

// withDomain returns a copy of s with one domain's bindings replaced. Only the outer maps
// and the entries of the subjects concerned are copied; everything else is shared, which is
// safe because nothing published is ever modified.
func (s *snapshot) withDomain(dom string, bindings []binding) *snapshot {
	roles := domainRoles(bindings)
	n := &snapshot{perms: s.perms, byDomain: maps.Clone(s.byDomain), bySubject: maps.Clone(s.bySubject)}
	if n.byDomain == nil {
		n.byDomain = map[string]map[string][]string{}
	}
	if n.bySubject == nil {
		n.bySubject = map[string]map[string][]string{}
	}
	touched := map[string]bool{}
	for sub := range s.byDomain[dom] {
		touched[sub] = true
	}
	for sub := range roles {
		touched[sub] = true
	}
	if len(roles) == 0 {
		delete(n.byDomain, dom)
	} else {
		n.byDomain[dom] = roles
	}
	for sub := range touched {
		m := maps.Clone(n.bySubject[sub])
		if m == nil {
			m = map[string][]string{}
		}
		if r, ok := roles[sub]; ok {
			m[dom] = r
		} else {
			delete(m, dom)
		}
		if len(m) == 0 {
			delete(n.bySubject, sub)
		} else {
			n.bySubject[sub] = m
		}
	}
	return n
}

// allowed is the model's matcher over the snapshot.
func (s *snapshot) allowed(sub, dom, obj, act string) bool {
	k := permKey{obj, act}
	for _, role := range s.byDomain[dom][sub] {
		if doms := s.perms[role][k]; doms["*"] || doms[dom] {
			return true
		}
	}
	return false
}

// loadBindings reads the stored g rules: all of them, or one domain's.
func loadBindings(ctx context.Context, d *db.DB, domain string) ([]binding, error) {
	var rows []struct{ V0, V1, V2 string }
	err := d.Platform(ctx, func(tx *gorm.DB) error {
		q := tx.Table("platform.casbin_rules").Select("v0, v1, v2").Where("ptype = 'g'")
		if domain != "" {
			q = q.Where("v2 = ?", domain)
		}
		return q.Scan(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("authz: load bindings: %w", err)
	}
	out := make([]binding, len(rows))
	for i, r := range rows {
		out[i] = binding{sub: r.V0, role: r.V1, dom: r.V2}
	}
	return out, nil
}
