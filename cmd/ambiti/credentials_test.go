package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/ambiti/ambiti/internal/devidp"
)

// An ID token is signed by the same key, for the same audience, as an access token: the API
// must still refuse it, and logout must not put it in a URL.
func TestIDTokensAreNotAPICredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	redirect, err := devidp.DefaultRedirectURI("ambiti-valle-trompia")
	if err != nil {
		t.Fatal(err)
	}
	toks, err := devidp.FetchTokens(context.Background(), e.idp, "udp.valle-trompia", redirect, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.call("GET", "valle-trompia", "/api/v1/me", toks.Access, nil); r.status != http.StatusOK {
		t.Fatalf("the access token: %d %s", r.status, r.body)
	}
	if r := e.call("GET", "valle-trompia", "/api/v1/me", toks.ID, nil); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), "ID token") {
		t.Errorf("the ID token as a Bearer token: %d %s, want 401 naming the ID token", r.status, r.body)
	}
	if r := e.call("POST", "valle-trompia", "/api/v1/plans", toks.ID, strings.NewReader(`{"title":"x","start_year":2024,"end_year":2026}`)); r.status != http.StatusUnauthorized {
		t.Errorf("a write with the ID token: %d %s, want 401", r.status, r.body)
	}

	// Logout names the client, never the ID token.
	s := e.login("valle-trompia", "udp.valle-trompia")
	req := mustRequest(t, "POST", "http://"+e.host("valle-trompia")+"/auth/logout")
	req.Header.Set("X-CSRF-Token", s.csrf)
	res, body := s.b.do(req)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "end_session") || !strings.Contains(string(body), "client_id") {
		t.Fatalf("logout: %d %s", res.StatusCode, body)
	}
	if strings.Contains(string(body), "id_token_hint") || strings.Contains(string(body), "eyJ") {
		t.Errorf("logout puts a token in the provider's URL: %s", body)
	}
}

// A callback URL obtained by someone for their own account must not log another browser in
// (login CSRF, RFC 6749 §10.12): the state is bound to the browser that started the login.
func TestALoginFinishesOnlyInTheBrowserThatStartedIt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	attackerJar, _ := cookiejar.New(nil)
	attacker := &browser{e: e, jar: attackerJar}
	_, _, callback := attacker.authorize("valle-trompia", "coop.valle-trompia", e.idp.Password, "/")
	if !strings.Contains(callback, "/auth/callback?") {
		t.Fatalf("no callback URL: %q", callback)
	}

	for name, jar := range map[string]func() *cookiejar.Jar{
		"a browser that never started a login": func() *cookiejar.Jar { j, _ := cookiejar.New(nil); return j },
		"a browser with a login of its own": func() *cookiejar.Jar {
			j, _ := cookiejar.New(nil)
			(&browser{e: e, jar: j}).follow("http://" + e.host("valle-trompia") + "/auth/login")
			return j
		},
	} {
		victim := &browser{e: e, jar: jar()}
		res, body := victim.do(mustRequest(t, "GET", callback))
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"field":"state"`) {
			t.Errorf("%s, sent the attacker's callback: %d %s, want 400 naming state", name, res.StatusCode, body)
		}
		vt, _ := url.Parse("http://" + e.host("valle-trompia") + "/")
		for _, c := range victim.jar.Cookies(vt) {
			if c.Name == "ambiti_session" && c.Value != "" {
				t.Errorf("%s got a session from the attacker's callback", name)
			}
		}
	}

	// The browser that started it still finishes its own login.
	res, body, _ := attacker.follow(callback)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the starting browser's callback: %d %.300s", res.StatusCode, body)
	}
}

// return_to is a path on this host: the variants browsers turn into another host are refused.
func TestLoginReturnsOnlyToAPathOnThisHost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, rt := range []string{"/\t/evil.example/", "/\\evil.example", "/\n/evil.example", "https://evil.example/", "//evil.example"} {
		jar, _ := cookiejar.New(nil)
		b := &browser{e: e, jar: jar}
		_, _, callback := b.authorize("valle-trompia", "udp.valle-trompia", e.idp.Password, rt)
		req := mustRequest(t, "GET", callback)
		res, body := b.do(req)
		if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "/" {
			t.Errorf("return_to %q: %d to %q (%s), want 302 to /", rt, res.StatusCode, res.Header.Get("Location"), body)
		}
	}
}
