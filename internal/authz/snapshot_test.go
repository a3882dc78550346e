package authz

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"

	"github.com/ambiti/ambiti/policies"
)

// compiled parses the shipped model and policy file as New does.
func compiled(t testing.TB) (model.Model, map[string]rolePerms) {
	t.Helper()
	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		t.Fatal(err)
	}
	if err := loadPolicyFile(m, policies.Policy); err != nil {
		t.Fatal(err)
	}
	perms, err := compilePerms(m)
	if err != nil {
		t.Fatal(err)
	}
	return m, perms
}

// randomBindings binds users to the policy's roles in a few domains, plus one role that
// inherits another (which no stored binding does today, but the model allows).
func randomBindings(perms map[string]rolePerms, domains []string, users int, rng *rand.Rand) []binding {
	var roles []string
	for r := range perms {
		roles = append(roles, r)
	}
	var out []binding
	for _, dom := range domains {
		for u := range users {
			for range rng.IntN(3) {
				out = append(out, binding{fmt.Sprintf("u:%d", u), roles[rng.IntN(len(roles))], dom})
			}
		}
		out = append(out, binding{"u:inherits", "capo", dom}, binding{"capo", roles[0], dom})
	}
	return out
}

func TestSnapshotDecidesLikeCasbin(t *testing.T) {
	t.Parallel()
	m, perms := compiled(t)
	domains := []string{"valle-trompia", "trento", "region:lombardia", "platform"}
	bindings := randomBindings(perms, domains, 12, rand.New(rand.NewPCG(1, 2)))
	for _, b := range bindings {
		if err := m.AddPolicy("g", "g", []string{b.sub, b.role, b.dom}); err != nil {
			t.Fatal(err)
		}
	}
	e, err := casbin.NewEnforcer(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.BuildRoleLinks(); err != nil {
		t.Fatal(err)
	}
	s := newSnapshot(perms, bindings)
	var keys []permKey
	for _, rp := range perms {
		for k := range rp {
			keys = append(keys, k)
		}
	}
	keys = append(keys, permKey{"plan", "nonexistent"}, permKey{"nothing", "read"})
	subjects := []string{"u:inherits", "u:nobody", "capo"}
	for u := range 12 {
		subjects = append(subjects, fmt.Sprintf("u:%d", u))
	}
	n, allowed := 0, 0
	for _, sub := range subjects {
		for _, dom := range append(domains, "terre-dargine") {
			for _, k := range keys {
				want, err := e.Enforce(sub, dom, k.obj, k.act)
				if err != nil {
					t.Fatal(err)
				}
				if got := s.allowed(sub, dom, k.obj, k.act); got != want {
					t.Errorf("%s %s %s %s: snapshot %v, casbin %v", sub, dom, k.obj, k.act, got, want)
				}
				n++
				if want {
					allowed++
				}
			}
		}
	}
	t.Logf("%d decisions compared, %d allowed", n, allowed)
	if allowed == 0 || allowed == n {
		t.Fatalf("%d of %d allowed: the comparison proves nothing", allowed, n)
	}
}

func TestReloadingOneDomainEqualsReloadingAll(t *testing.T) {
	t.Parallel()
	_, perms := compiled(t)
	rng := rand.New(rand.NewPCG(3, 4))
	domains := []string{"valle-trompia", "trento", "terre-dargine"}
	before := randomBindings(perms, domains, 8, rng)
	// trento changes: its bindings replaced by new ones; a new domain appears; one is emptied.
	var after []binding
	for _, b := range before {
		if b.dom != "trento" && b.dom != "terre-dargine" {
			after = append(after, b)
		}
	}
	fresh := randomBindings(perms, []string{"trento", "nuovo"}, 8, rng)
	after = append(after, fresh...)
	var trento, nuovo []binding
	for _, b := range fresh {
		if b.dom == "trento" {
			trento = append(trento, b)
		} else {
			nuovo = append(nuovo, b)
		}
	}
	old := newSnapshot(perms, before)
	got := old.withDomain("trento", trento).withDomain("nuovo", nuovo).withDomain("terre-dargine", nil)
	want := newSnapshot(perms, after)
	if !reflect.DeepEqual(got.byDomain, want.byDomain) || !reflect.DeepEqual(got.bySubject, want.bySubject) {
		t.Errorf("incremental reload differs from a full one:\n got %v\nwant %v", got.byDomain, want.byDomain)
	}
	// The published snapshot it started from is untouched.
	if !reflect.DeepEqual(old, newSnapshot(perms, before)) {
		t.Error("withDomain modified the snapshot it copied")
	}
}

func TestModelIsTheCompiledOne(t *testing.T) {
	t.Parallel()
	m, _ := compiled(t)
	if err := checkModel(m); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(policies.Model, `(p.dom == "*" || r.dom == p.dom)`, `r.dom == p.dom`, 1)
	m2, err := model.NewModelFromString(changed)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkModel(m2); err == nil || !strings.Contains(err.Error(), "snapshot.go") {
		t.Errorf("a changed matcher was accepted (%v)", err)
	}
}

// benchSnapshot is 1,000 districts × 10 roles × 20 users, the size issue 21 sets.
func benchSnapshot(b *testing.B) (*snapshot, []binding) {
	_, perms := compiled(b)
	var roles []string
	for r := range perms {
		roles = append(roles, r)
	}
	var bindings []binding
	for d := range 1000 {
		for u := range 20 {
			bindings = append(bindings, binding{fmt.Sprintf("u:%d-%d", d, u), roles[(d+u)%len(roles)], fmt.Sprintf("d%03d", d)})
		}
		for r := range 10 {
			bindings = append(bindings, binding{fmt.Sprintf("u:%d-%d", d, r), roles[r%len(roles)], fmt.Sprintf("d%03d", d)})
		}
	}
	return newSnapshot(perms, bindings), bindings
}

// BenchmarkDecision: one decision, allowed and denied (figures in docs/benchmarks.md).
func BenchmarkDecision(b *testing.B) {
	s, bindings := benchSnapshot(b)
	var allow, deny [4]string
	for _, bd := range bindings {
		for k := range s.perms[bd.role] {
			allow = [4]string{bd.sub, bd.dom, k.obj, k.act}
			break
		}
		if allow[0] != "" {
			break
		}
	}
	deny = [4]string{allow[0], allow[1], "audit", "erase-everything"}
	if !s.allowed(allow[0], allow[1], allow[2], allow[3]) || s.allowed(deny[0], deny[1], deny[2], deny[3]) {
		b.Fatal("the chosen requests do not allow and deny")
	}
	b.Run("allow", func(b *testing.B) {
		for b.Loop() {
			s.allowed(allow[0], allow[1], allow[2], allow[3])
		}
	})
	b.Run("deny", func(b *testing.B) {
		for b.Loop() {
			s.allowed(deny[0], deny[1], deny[2], deny[3])
		}
	})
}

// BenchmarkRebuild: compiling every binding (a full reload, minus the query), and one domain's.
func BenchmarkRebuild(b *testing.B) {
	s, bindings := benchSnapshot(b)
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			newSnapshot(s.perms, bindings)
		}
	})
	one := bindings[:30]
	b.Run("one-domain", func(b *testing.B) {
		for b.Loop() {
			s.withDomain(one[0].dom, one)
		}
	})
}

// BenchmarkDecisionDuringReloads: decisions while another goroutine rebuilds every binding and
// publishes a new snapshot every 50 ms (far more often than grants happen). Decisions take no
// lock, so what is left is the machine's: reported as the slowest decision (max-ns) and the
// 99.99th percentile (p9999-ns) of all of them.
func BenchmarkDecisionDuringReloads(b *testing.B) {
	s, bindings := benchSnapshot(b)
	a := &Authorizer{perms: s.perms}
	a.snap.Store(s)
	stop := make(chan struct{})
	done := make(chan struct{})
	reloads := 0
	go func() {
		defer close(done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				a.snap.Store(newSnapshot(s.perms, bindings))
				reloads++
			}
		}
	}()
	// A histogram by powers of two: recording allocates nothing, so the loop measures only
	// the decisions (a growing slice of durations would copy megabytes in the middle of it).
	var buckets [64]int
	var worst time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		_, _ = a.Allowed("0-0", "d000", "plan", "read")
		d := time.Since(start)
		buckets[bits.Len64(uint64(d))]++
		worst = max(worst, d)
		n++
	}
	close(stop)
	<-done
	seen, p9999 := 0, 0
	for i, c := range buckets {
		if seen += c; seen*10000 >= n*9999 {
			p9999 = 1 << i
			break
		}
	}
	b.ReportMetric(float64(worst.Nanoseconds()), "max-ns")
	b.ReportMetric(float64(p9999), "p9999-ns<")
	b.ReportMetric(float64(reloads), "reloads")
}
