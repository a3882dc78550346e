package main

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ambiti/ambiti/internal/pathway"
)

// A failed audit write fails the request: with the chain's head gone (a superuser renamed the
// table), reads answer a server error without the person's data and writes leave nothing;
// with it back, the same requests succeed.
func TestPathwayAuditFailureFailsTheRequest(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const vt, v = "valle-trompia", "/api/v1"
	f := newPathwayFixture(t, e, vt, "Bovezzo")
	ctx, conn, schema := e.districtConn(t, vt)
	sql := func(q string) {
		t.Helper()
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	auditRows := func() int64 {
		t.Helper()
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{schema, "audit_log"}.Sanitize()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	head, broken := pgx.Identifier{schema, "audit_head"}.Sanitize(), pgx.Identifier{"audit_head_broken"}.Sanitize()
	rows, audits := districtRows(t, e, vt), auditRows()

	sql("ALTER TABLE " + head + " RENAME TO " + broken)
	restored := false
	restore := func() {
		if !restored {
			restored = true
			sql("ALTER TABLE " + pgx.Identifier{schema, "audit_head_broken"}.Sanitize() + " RENAME TO " + pgx.Identifier{"audit_head"}.Sanitize())
		}
	}
	t.Cleanup(restore)

	today := pathwayToday()
	pw := v + "/pathways/" + f.cope
	newcomer := pathwayPerson("Ottavio", "Sognato", "SGNTTV04A01B157", 20)
	newcomer["municipality"] = "Bovezzo"
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", pw, nil},
		{"GET", v + "/persons/" + f.person, nil},
		{"GET", v + "/pathways", nil},
		{"POST", pw + "/meetings", map[string]any{"held_on": today, "kind": "incontro", "notes": "Colloquio riservato", "next_follow_up": today}},
		{"POST", pw + "/goals", map[string]any{"text": "Obiettivo riservato", "started_on": today}},
		{"POST", pw + "/stage", map[string]any{"stage": "abbinamento", "version": f.copeVersion}},
		{"PATCH", v + "/persons/" + f.person, map[string]any{"language": "pt"}},
		{"POST", v + "/pathways", map[string]any{"person": newcomer, "programme": "cope", "source": "scuola",
			"engaged_on": today, "neet_start": "nessuno", "notice_version": "2026-01"}},
	} {
		r := f.lw.do(c.method, c.path, c.body)
		if r.status < 500 {
			t.Errorf("%s %s with the audit broken: %d %s, want a server error", c.method, c.path, r.status, r.body)
		}
		for _, s := range []string{"Zefiro", "Inventato", "Ottavio", "riservat"} {
			if strings.Contains(string(r.body), s) {
				t.Errorf("%s %s with the audit broken answers %q: %s", c.method, c.path, s, r.body)
			}
		}
	}
	restore()
	if got := districtRows(t, e, vt); got != rows {
		t.Errorf("requests failed by the audit left %d rows", got-rows)
	}
	if got := auditRows(); got != audits {
		t.Errorf("requests failed by the audit left %d audit rows", got-audits)
	}
	var d pathway.Detail
	f.lw.ok("GET", pw, nil, &d)
	if len(d.Meetings) != 0 || d.Pathway.Stage != "aggancio" || d.Pathway.NextFollowUp != "" {
		t.Errorf("after the failed requests: %d meetings, stage %s, next follow-up %q", len(d.Meetings), d.Pathway.Stage, d.Pathway.NextFollowUp)
	}
	var found struct{ Total int }
	f.lw.ok("GET", v+"/pathways?codice_fiscale="+newcomer["codice_fiscale"].(string), nil, &found)
	if found.Total != 0 {
		t.Errorf("the pathway opened with the audit broken exists: %d", found.Total)
	}
}
