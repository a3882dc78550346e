package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/db/dbtest"
)

// Bad input — a NUL character, bytes that are not UTF-8, a number beyond its column, a date
// in year 0 — is refused with 400 naming the field, never answered 500.
func TestBadTextNumbersAndDatesAnswer400NamingTheField(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	udp := e.as("udp.valle-trompia", "valle-trompia")
	plan := fmt.Sprintf("/api/v1/plans/%d", f.plan)
	obj := fmt.Sprintf("/api/v1/objectives/%d", f.objective)
	ind := fmt.Sprintf("/api/v1/indicators/%d", f.indicator)

	invalid := func(method, path string, body any, field string) {
		t.Helper()
		r := udp.fails(method, path, body, http.StatusBadRequest, field)
		var out struct{ Error struct{ Code string } }
		if json.Unmarshal(r.body, &out) == nil && out.Error.Code != "invalid" {
			t.Errorf("%s %s: code %q, want invalid (%s)", method, path, out.Error.Code, r.body)
		}
	}

	// Text: NUL and invalid UTF-8 anywhere in a JSON string, named by its path.
	invalid("POST", plan+"/objectives", `{"title": "a\u0000b", "area_code": "A"}`, "title")
	invalid("POST", plan+"/objectives", "{\"title\": \"Obiettivo\", \"area_code\": \"A\", \"description\": \"caf\xff\xfe\"}", "description")
	invalid("PATCH", obj, `{"needs": "\u0000"}`, "needs")
	invalid("POST", "/api/v1/plans", `{"title": "Piano\u0000", "start_year": 2024, "end_year": 2026}`, "title")
	invalid("PUT", obj+"/budget", `{"lines": [{"year": 2024, "source_code": "FNPS"}, {"year": 2025, "source_code": "FNA", "note": "x\u0000"}]}`, "lines[1].note")
	invalid("POST", "/api/v1/meetings", `{"held_on": "2024-03-12", "kind": "focus_group", "theme": "Giovani", "participants": {"citt\u0000adini": 3}}`, "participants")

	// Query parameters: every value valid UTF-8 without NUL, named.
	invalid("GET", plan+"/objectives?q=%00", nil, "q")
	invalid("GET", plan+"/objectives?q=%ff%fe", nil, "q")
	invalid("GET", plan+"/objectives?area=A%00", nil, "area")
	invalid("GET", "/api/v1/plans?status=bozza%00", nil, "status")

	// Numbers beyond their columns: indicators are numeric(14,2), positions int4.
	invalid("POST", obj+"/indicators", map[string]any{"kind": "risultato", "name": "N. utenti", "target": 1e13}, "target")
	invalid("POST", obj+"/indicators", map[string]any{"kind": "risultato", "name": "N. utenti", "baseline": -1e13}, "baseline")
	invalid("PATCH", ind, map[string]any{"target": 1e13}, "target")
	invalid("POST", ind+"/measurements", map[string]any{"period": "2024", "value": 1e12}, "value")
	invalid("POST", plan+"/objectives", map[string]any{"title": "Obiettivo", "area_code": "A", "position": 2147483648}, "position")
	invalid("PATCH", obj, map[string]any{"position": 2147483648}, "position")
	invalid("PATCH", obj, map[string]any{"position": -1}, "position")
	invalid("PATCH", ind, map[string]any{"position": 2147483648}, "position")

	// Dates: year 0000 parses in Go but not in PostgreSQL.
	invalid("POST", "/api/v1/meetings", map[string]any{"held_on": "0000-01-01", "kind": "focus_group", "theme": "Giovani"}, "held_on")

	// Nothing of the above was written; a good value at the edge of the range is.
	var objs struct{ Total int }
	udp.ok("GET", plan+"/objectives", nil, &objs)
	if objs.Total != 1 {
		t.Errorf("refused objectives were written: %d objectives", objs.Total)
	}
	// (An index, not a count: a count takes whole numbers of at least zero.)
	udp.ok("PATCH", ind, map[string]any{"unit": "indice", "target": 999_999_999_999.99, "position": 10000}, nil)
	udp.ok("POST", ind+"/measurements", map[string]any{"period": "2024", "value": -999_999_999_999.99}, nil)
}

// The web forms post to the same services: a NUL or a number beyond its column gives the form
// again with the error next to its field (or an error page), never a 500.
func TestFormsRefuseNULAndOutOfRangeNumbers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	f := newFixture(t, e, "valle-trompia")
	udp := e.login("valle-trompia", "udp.valle-trompia")
	obj := fmt.Sprintf("/obiettivi/%d", f.objective)
	check := func(what string, p page, field string) {
		t.Helper()
		if p.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422\n%s", what, p.status, excerpt(p.body))
			return
		}
		p.contains(t, what, `href="#`+field+`"`, `id="`+field+`-error"`)
	}
	check("plan title with NUL", udp.post("/piani", url.Values{"title": {"Piano\x00"}, "start_year": {"2024"}, "end_year": {"2026"}}), "f-title")
	check("meeting theme not UTF-8", udp.post("/partecipazione", url.Values{"held_on": {"2024-03-12"}, "kind": {"focus_group"}, "theme": {"Giovani \xff"}}), "f-theme")
	check("meeting in year 0", udp.post("/partecipazione", url.Values{"held_on": {"0000-01-01"}, "kind": {"focus_group"}, "theme": {"Giovani"}}), "f-held_on")
	check("indicator target beyond numeric(14,2)", udp.post(obj+"/indicatori", url.Values{"kind": {"risultato"}, "name": {"N. utenti"}, "target": {"10000000000000"}}), "f-target")
	check("measurement beyond numeric(14,2)", udp.post(fmt.Sprintf("%s/indicatori/%d/misurazioni", obj, f.indicator), url.Values{"period": {"2024"}, "value": {"1000000000000"}}), "f-value")
	if p := udp.get("/piani?stato=%00"); p.status < 400 || p.status > 499 {
		t.Errorf("a page with a NUL in its query: %d, want 4xx", p.status)
	}
}

// When the database is unreachable, handlers answer 503 with Retry-After and the JSON error,
// so that clients and balancers can tell an outage from a bug; once it is back, 200 again.
func TestDatabaseOutageAnswers503WithRetryAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tok := e.token("udp.valle-trompia") // before the outage: the login itself needs the database
	if r := e.call("GET", "valle-trompia", "/api/v1/plans", tok, nil); r.status != http.StatusOK {
		t.Fatalf("before the outage: %d %s", r.status, r.body)
	}
	cfg, err := pgx.ParseConfig(e.url)
	if err != nil {
		t.Fatal(err)
	}
	name := pgx.Identifier{cfg.Database}.Sanitize()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dbtest.ServerURL(t)) // the server's own database, not the test's
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	sql := func(q string, args ...any) {
		t.Helper()
		if _, err := admin.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true")
		}
	}
	t.Cleanup(restore)
	sql("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false")
	sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", cfg.Database)

	for _, path := range []string{"/api/v1/plans", "/api/v1/partners", "/api/v1/meetings"} {
		r := e.call("GET", "valle-trompia", path, tok, nil)
		var out struct {
			Error struct{ Code, Message string }
		}
		if r.status != http.StatusServiceUnavailable {
			t.Errorf("GET %s during the outage: %d %s, want 503", path, r.status, r.body)
			continue
		}
		if err := json.Unmarshal(r.body, &out); err != nil || out.Error.Code != "unavailable" || out.Error.Message == "" {
			t.Errorf("GET %s during the outage: body %s, want a JSON unavailable error", path, r.body)
		}
		if ra := r.header.Get("Retry-After"); ra == "" || strings.Trim(ra, "0123456789") != "" {
			t.Errorf("GET %s during the outage: Retry-After %q, want seconds", path, ra)
		}
	}

	restore()
	// The pool reconnects by itself; the first requests may still pick connections that died
	// in the outage (each is dropped when found dead; the pool holds at most 20).
	for i := 0; ; i++ {
		r := e.call("GET", "valle-trompia", "/api/v1/plans", tok, nil)
		if r.status == http.StatusOK {
			break
		}
		if r.status != http.StatusServiceUnavailable || i == 25 {
			t.Fatalf("after the outage: %d %s, want 200", r.status, r.body)
		}
	}
}
