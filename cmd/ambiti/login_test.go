package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"
)

// browser follows redirects by hand, keeping cookies, so each hop can be inspected.
type browser struct {
	e   *env
	jar *cookiejar.Jar
}

func (b *browser) do(req *http.Request) (*http.Response, []byte) {
	b.e.t.Helper()
	for _, c := range b.jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	res, err := b.e.client.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	b.jar.SetCookies(req.URL, res.Cookies())
	return res, body
}

// follow GETs u and follows redirects; it returns every response's Set-Cookie headers too.
func (b *browser) follow(u string) (*http.Response, []byte, []string) {
	b.e.t.Helper()
	var setCookies []string
	for range 10 {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		res, body := b.do(req)
		setCookies = append(setCookies, res.Header.Values("Set-Cookie")...)
		if res.StatusCode < 300 || res.StatusCode >= 400 {
			return res, body, setCookies
		}
		next, err := req.URL.Parse(res.Header.Get("Location"))
		if err != nil {
			b.e.t.Fatal(err)
		}
		u = next.String()
	}
	b.e.t.Fatal("too many redirects")
	return nil, nil, nil
}

var (
	formActionRE = regexp.MustCompile(`<form[^>]*action="([^"]+)"`)
	hiddenRE     = regexp.MustCompile(`<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"`)
)

// login runs the real authorization-code flow of a district's login page and returns the
// final response (after the redirect back to return_to) and the cookies set on the way.
func (b *browser) login(slug, username, password, returnTo string) (*http.Response, []byte, []string) {
	b.e.t.Helper()
	res, body, callback := b.authorize(slug, username, password, returnTo)
	if callback == "" {
		return res, body, nil
	}
	return b.follow(callback)
}

// authorize starts a login on the district's host and fills the provider's form; it returns the
// callback URL the provider sends the browser back to, without following it (or, when the
// provider does not redirect, its response).
func (b *browser) authorize(slug, username, password, returnTo string) (*http.Response, []byte, string) {
	b.e.t.Helper()
	res, page, _ := b.follow("http://" + b.e.host(slug) + "/auth/login?return_to=" + url.QueryEscape(returnTo))
	if res.StatusCode != http.StatusOK || !strings.Contains(string(page), `name="password"`) {
		b.e.t.Fatalf("expected the provider's login form, got %d:\n%.500s", res.StatusCode, page)
	}
	m := formActionRE.FindSubmatch(page)
	if m == nil {
		b.e.t.Fatalf("no form action in:\n%.1000s", page)
	}
	action, _ := res.Request.URL.Parse(string(m[1]))
	form := url.Values{"username": {username}, "password": {password}}
	for _, h := range hiddenRE.FindAllSubmatch(page, -1) {
		form.Set(string(h[1]), string(h[2]))
	}
	req, _ := http.NewRequest(http.MethodPost, action.String(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body := b.do(req)
	for range 10 { // the provider's own redirects, up to the one back to the district
		if res.StatusCode < 300 || res.StatusCode >= 400 {
			return res, body, ""
		}
		next, _ := res.Request.URL.Parse(res.Header.Get("Location"))
		if next.Host == b.e.host(slug) && next.Path == "/auth/callback" {
			return res, body, next.String()
		}
		res, body = b.do(mustRequest(b.e.t, http.MethodGet, next.String()))
	}
	b.e.t.Fatal("too many redirects at the provider")
	return nil, nil, ""
}

func TestLoginThroughTheDevelopmentProviderThenUseAndEndTheSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	jar, _ := cookiejar.New(nil)
	b := &browser{e: e, jar: jar}

	res, body, cookies := b.login("valle-trompia", "udp.valle-trompia", e.idp.Password, "/api/v1/me")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("after login: %d %s", res.StatusCode, body)
	}
	var me struct {
		User      struct{ Username, Via string }
		District  struct{ Slug string }
		Roles     []string
		CSRFToken string `json:"csrf_token"`
	}
	reply{status: res.StatusCode, body: body}.json(t, &me)
	if me.User.Username != "udp.valle-trompia" || me.User.Via != "session" || me.District.Slug != "valle-trompia" ||
		strings.Join(me.Roles, ",") != "udp" || me.CSRFToken == "" {
		t.Errorf("me = %+v", me)
	}
	var sessionCookie string
	for _, c := range cookies {
		if strings.HasPrefix(c, "ambiti_session=") && !strings.HasPrefix(c, "ambiti_session=;") {
			sessionCookie = c
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(sessionCookie, attr) {
			t.Errorf("session cookie %q lacks %s", sessionCookie, attr)
		}
	}
	if strings.Contains(sessionCookie, "Domain=") {
		t.Errorf("session cookie %q must be host-only", sessionCookie)
	}
	vt, _ := url.Parse("http://" + e.host("valle-trompia") + "/")
	cookie := jar.Cookies(vt)[0].Value

	// The session works for the API…
	withCookie := func(method, slug, path string, hdr ...string) reply {
		return e.call(method, slug, path, "", nil, append([]string{"Cookie", "ambiti_session=" + cookie}, hdr...)...)
	}
	if r := withCookie("GET", "valle-trompia", "/api/v1/members"); r.status != http.StatusOK || !strings.Contains(string(r.body), "udp.valle-trompia") {
		t.Errorf("members with the session: %d %s", r.status, r.body)
	}
	// …but not on another district's host.
	if r := withCookie("GET", "trento", "/api/v1/me"); r.status != http.StatusUnauthorized {
		t.Errorf("the Valle Trompia session on Trento: %d %s, want 401", r.status, r.body)
	}
	// Unsafe requests need the CSRF token and must not come from another site.
	if r := withCookie("POST", "valle-trompia", "/auth/logout"); r.status != http.StatusForbidden {
		t.Errorf("logout without CSRF token: %d, want 403", r.status)
	}
	if r := withCookie("POST", "valle-trompia", "/auth/logout", "X-CSRF-Token", me.CSRFToken, "Origin", "http://evil.example"); r.status != http.StatusForbidden {
		t.Errorf("logout from another origin: %d, want 403", r.status)
	}
	// An idle session ends.
	setSession := func(sql string) {
		if err := e.db.Platform(context.Background(), func(tx *gorm.DB) error { return tx.Exec(sql).Error }); err != nil {
			t.Fatal(err)
		}
	}
	setSession(`UPDATE platform.sessions SET last_seen_at = now() - interval '31 minutes'`)
	if r := withCookie("GET", "valle-trompia", "/api/v1/me"); r.status != http.StatusUnauthorized {
		t.Errorf("idle session: %d, want 401", r.status)
	}
	setSession(`UPDATE platform.sessions SET last_seen_at = now()`)
	if r := withCookie("GET", "valle-trompia", "/api/v1/me"); r.status != http.StatusOK {
		t.Fatalf("revived session: %d %s", r.status, r.body)
	}
	// Logout ends it everywhere (the row is gone, whichever replica is asked).
	if r := withCookie("POST", "valle-trompia", "/auth/logout", "X-CSRF-Token", me.CSRFToken, "Origin", "http://"+e.host("valle-trompia")); r.status != http.StatusOK ||
		!strings.Contains(string(r.body), "end_session") {
		t.Errorf("logout: %d %s", r.status, r.body)
	}
	if r := withCookie("GET", "valle-trompia", "/api/v1/me"); r.status != http.StatusUnauthorized {
		t.Errorf("after logout: %d, want 401", r.status)
	}
	// An absolute expiry ends a session even if used.
	jar2, _ := cookiejar.New(nil)
	b2 := &browser{e: e, jar: jar2}
	if res, body, _ := b2.login("trento", "assemblea.trento", e.idp.Password, "/api/v1/me"); res.StatusCode != http.StatusOK {
		t.Fatalf("second login: %d %s", res.StatusCode, body)
	}
	setSession(`UPDATE platform.sessions SET expires_at = now() - interval '1 second'`)
	tn, _ := url.Parse("http://" + e.host("trento") + "/")
	r := e.call("GET", "trento", "/api/v1/me", "", nil, "Cookie", "ambiti_session="+jar2.Cookies(tn)[0].Value)
	if r.status != http.StatusUnauthorized {
		t.Errorf("expired session: %d, want 401", r.status)
	}
}

func TestLoginRefusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	jar, _ := cookiejar.New(nil)
	b := &browser{e: e, jar: jar}
	// A wrong password stays at the provider's form.
	if res, body, _ := b.login("valle-trompia", "udp.valle-trompia", "wrong", "/"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), `role="alert"`) {
		t.Errorf("wrong password: %d %.300s", res.StatusCode, body)
	}
	// A callback with an unknown or replayed state is refused, naming the field.
	r := e.call("GET", "valle-trompia", "/auth/callback?state=forged&code=x", "", nil)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"field":"state"`) {
		t.Errorf("forged state: %d %s", r.status, r.body)
	}
	// return_to cannot send the user to another site.
	res, _ := b.do(mustRequest(t, "GET", "http://"+e.host("valle-trompia")+"/auth/login?return_to=//evil.example/x"))
	if res.StatusCode != http.StatusFound {
		t.Fatalf("login: %d", res.StatusCode)
	}
	var stored string
	e.db.Platform(context.Background(), func(tx *gorm.DB) error {
		return tx.Raw(`SELECT return_to FROM platform.login_states ORDER BY expires_at DESC LIMIT 1`).Scan(&stored).Error
	})
	if stored != "/" {
		t.Errorf("return_to stored as %q, want /", stored)
	}
	// Unknown hosts have no login.
	if r := e.call("GET", "nowhere", "/auth/login", "", nil); r.status != http.StatusNotFound {
		t.Errorf("login on an unknown host: %d", r.status)
	}
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
