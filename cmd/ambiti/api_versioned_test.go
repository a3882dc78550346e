package main

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The objectives list is kept per district data version and tagged with it: the same tag in
// If-None-Match gets 304, a write anywhere in the plan's tables a new body and tag; a list is
// never given to another district (same plan id, own schema) nor to a role that may not read it.
func TestObjectivesListIsTaggedUntilAWrite(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const vt, ta = "valle-trompia", "terre-dargine"
	created := func(slug, title string) (plan, objective int64) {
		t.Helper()
		tok := e.token("udp." + slug)
		var p, o struct {
			ID int64 `json:"id"`
		}
		e.call("POST", slug, "/api/v1/plans", tok, strings.NewReader(`{"title":"Piano di Zona 2024-2026","start_year":2024,"end_year":2026}`),
			"Content-Type", "application/json").json(t, &p)
		e.call("POST", slug, fmt.Sprintf("/api/v1/plans/%d/objectives", p.ID), tok, strings.NewReader(`{"title":"`+title+`","area_code":"A"}`),
			"Content-Type", "application/json").json(t, &o)
		return p.ID, o.ID
	}
	vp, vo := created(vt, "Obiettivo di Valle Trompia")
	tp, _ := created(ta, "Obiettivo di Terre d'Argine")
	list := func(slug, user string, plan int64, query, ifNoneMatch string) reply {
		t.Helper()
		var hdr []string
		if ifNoneMatch != "" {
			hdr = []string{"If-None-Match", ifNoneMatch}
		}
		return e.call("GET", slug, fmt.Sprintf("/api/v1/plans/%d/objectives%s", plan, query), e.token(user), nil, hdr...)
	}

	first := list(vt, "udp."+vt, vp, "", "")
	tag := first.header.Get("ETag")
	if first.status != http.StatusOK || tag == "" || !bytes.Contains(first.body, []byte("Obiettivo di Valle Trompia")) {
		t.Fatalf("list: %d ETag %q %s", first.status, tag, first.body)
	}
	if r := list(vt, "assemblea."+vt, vp, "", ""); r.status != http.StatusOK || !bytes.Equal(r.body, first.body) || r.header.Get("ETag") != tag {
		t.Errorf("the Assemblea's list: %d, another body or tag", r.status)
	}
	if r := list(vt, "udp."+vt, vp, "", tag); r.status != http.StatusNotModified || len(r.body) != 0 {
		t.Errorf("If-None-Match of the current tag: %d %q, want 304 without a body", r.status, r.body)
	}
	if r := list(vt, "udp."+vt, vp, "?limit=1", tag); r.status != http.StatusOK || r.header.Get("ETag") == tag {
		t.Errorf("another window with the first's tag: %d ETag %q, want 200 and its own tag", r.status, r.header.Get("ETag"))
	}
	if r := list(vt, "coop."+vt, vp, "", tag); r.status != http.StatusForbidden {
		t.Errorf("a cooperative, with the tag: %d, want 403", r.status)
	}
	other := list(ta, "udp."+ta, tp, "", tag)
	if other.status != http.StatusOK || tp == vp && other.header.Get("ETag") == tag ||
		!bytes.Contains(other.body, []byte("Terre d'Argine")) || bytes.Contains(other.body, []byte("Valle Trompia")) {
		t.Errorf("Terre d'Argine's plan %d (Valle Trompia's is %d): %d %s", tp, vp, other.status, other.body)
	}
	if r := list(vt, "udp."+ta, vp, "", tag); r.status < 400 {
		t.Errorf("Terre d'Argine's user on Valle Trompia's list: %d", r.status)
	}

	r := e.call("PATCH", vt, fmt.Sprintf("/api/v1/objectives/%d", vo), e.token("udp."+vt), strings.NewReader(`{"title":"Obiettivo rivisto"}`),
		"Content-Type", "application/json")
	if r.status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	after := list(vt, "udp."+vt, vp, "", tag)
	if after.status != http.StatusOK || after.header.Get("ETag") == tag || !bytes.Contains(after.body, []byte("Obiettivo rivisto")) {
		t.Errorf("after a write, the old tag: %d ETag %q %s", after.status, after.header.Get("ETag"), after.body)
	}
	if again := list(vt, "udp."+vt, vp, "", ""); !bytes.Equal(again.body, after.body) || again.header.Get("ETag") != after.header.Get("ETag") {
		t.Errorf("the kept list differs from the one read:\n%s\n%s", again.body, after.body)
	}
}
