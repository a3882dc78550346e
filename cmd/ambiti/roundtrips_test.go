package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db"
)

// districtTrips counts the round trips a request makes to a district's schema: a batch (one
// round trip, scope included), and in a transaction whose search_path is a district's, every
// statement from its BEGIN to its COMMIT. Platform transactions (the session, the identity)
// are counted in all only.
type districtTrips struct {
	mu       sync.Mutex
	begun    map[*pgx.Conn]bool // BEGIN sent, scope not yet known
	inside   map[*pgx.Conn]bool // in a district transaction
	district int
	all      int
	sql      []string
}

func newDistrictTrips() *districtTrips {
	return &districtTrips{begun: map[*pgx.Conn]bool{}, inside: map[*pgx.Conn]bool{}}
}

func (d *districtTrips) reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.district, d.all, d.sql = 0, 0, nil
}

func (d *districtTrips) counts() (district, all int, sql []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.district, d.all, d.sql
}

func (d *districtTrips) TraceQueryStart(ctx context.Context, c *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.all++
	q := strings.ToLower(strings.TrimSpace(data.SQL))
	switch {
	case strings.HasPrefix(q, "begin"):
		d.begun[c] = true
	case strings.Contains(q, "set_config('search_path'") && len(data.Args) > 0 && strings.HasPrefix(fmt.Sprint(data.Args[0]), `"t_`):
		d.inside[c] = true
		d.district++
		if d.begun[c] {
			d.district++
		}
		d.sql = append(d.sql, "begin", q)
	case d.inside[c]:
		d.district++
		d.sql = append(d.sql, q)
		if strings.HasPrefix(q, "commit") || strings.HasPrefix(q, "rollback") {
			d.inside[c] = false
		}
	}
	if !strings.HasPrefix(q, "begin") {
		d.begun[c] = false
	}
	return ctx
}

func (d *districtTrips) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (d *districtTrips) TraceBatchStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.all++
	// db.Batch's first statement scopes it: a district's schema, or the platform's (the session).
	where := "platform"
	if q := data.Batch.QueuedQueries; len(q) > 0 && len(q[0].Arguments) > 0 && strings.HasPrefix(fmt.Sprint(q[0].Arguments[0]), `"t_`) {
		where = "district"
		d.district++
	}
	d.sql = append(d.sql, fmt.Sprintf("%s batch of %d statements", where, data.Batch.Len()))
	return ctx
}

func (d *districtTrips) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (d *districtTrips) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

// TestPlanPagesRoundTrips: the plan's hot reads reach the district in one round trip each
// (the API's objectives list, the district home, an objective's sheet, a plan's page), and a
// page with its session in two in all, with the demo data loaded. Counting is deterministic:
// no timing is asserted.
func TestPlanPagesRoundTrips(t *testing.T) {
	trips := newDistrictTrips()
	e := newEnvWith(t, db.Config{Tracer: trips})
	loadDemoInto(t, e)
	const vt = "valle-trompia"
	ids := a11yIDs(t, e)
	api := e.as("udp."+vt, vt)
	s := e.login(vt, "udp."+vt)
	assemblea := e.login(vt, "assemblea."+vt)

	for _, c := range []struct {
		name     string
		max, all int
		do       func() int
	}{
		{"GET /api/v1/plans/{id}/objectives", 1, 1, func() int {
			return e.call("GET", vt, fmt.Sprintf("/api/v1/plans/%d/objectives?limit=100", ids.plan), api.token, nil).status
		}},
		{"GET / (district home)", 1, 2, func() int { return s.get("/").status }},
		{"GET /obiettivi/{id}", 1, 2, func() int { return s.get(fmt.Sprintf("/obiettivi/%d", ids.objective)).status }},
		{"GET /piani/{id}", 1, 2, func() int { return s.get(fmt.Sprintf("/piani/%d", ids.plan)).status }},
		{"GET /approvazioni (as the Assemblea)", 1, 2, func() int { return assemblea.get("/approvazioni").status }},
		{"GET / (as the Assemblea)", 1, 2, func() int { return assemblea.get("/").status }},
	} {
		if st := c.do(); st != http.StatusOK { // warm: the identity, the permissions
			t.Fatalf("%s: %d", c.name, st)
		}
		trips.reset()
		if st := c.do(); st != http.StatusOK {
			t.Fatalf("%s: %d", c.name, st)
		}
		district, all, sql := trips.counts()
		t.Logf("%s: %d district round trip(s) (%s), %d in all", c.name, district, strings.Join(sql, "; "), all)
		if district > c.max || all > c.all {
			t.Errorf("%s: %d district round trips and %d in all, want at most %d and %d:\n%s", c.name, district, all, c.max, c.all, strings.Join(sql, "\n"))
		}
	}

	// The home kept above (its data and its glance, per data version) is read again after a
	// write: a measurement recorded through the API is among its latest, in two district round
	// trips (the version, then the data), and the next home is back to one.
	r := e.call("POST", vt, fmt.Sprintf("/api/v1/indicators/%d/measurements", ids.indicator), api.token,
		strings.NewReader(`{"period": "2023", "value": 4321}`), "Content-Type", "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("measurement: %d %s", r.status, r.body)
	}
	for i, want := range []int{2, 1} {
		trips.reset()
		home := s.get("/")
		district, _, sql := trips.counts()
		if home.status != http.StatusOK || !strings.Contains(home.body, "4.321") {
			t.Errorf("home %d after the measurement: %d, the measurement missing", i+1, home.status)
		}
		if district != want {
			t.Errorf("home %d after the measurement: %d district round trips, want %d: %s", i+1, district, want, strings.Join(sql, "; "))
		}
	}
}
