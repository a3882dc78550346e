package devidp

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/oauth2"
)

const realConfig = "../../deploy/dev/idp.yaml"

// contractUsernames is the list other scripts rely on.
var contractUsernames = func() []string {
	var names []string
	for _, s := range []string{"valle-trompia", "terre-dargine", "trento"} {
		for _, r := range []string{"udp", "assemblea", "coop", "coop2", "asst", "link_worker", "coordinatore", "dpo"} {
			names = append(names, r+"."+s)
		}
	}
	for _, r := range []string{"lombardia", "emilia-romagna", "trento"} {
		names = append(names, "regione."+r)
	}
	return append(names, "operator")
}()

type testIdP struct {
	srv *httptest.Server
	cfg Config
}

// startIdP serves a provider for the real configuration on 127.0.0.1:0.
func startIdP(t *testing.T) testIdP {
	t.Helper()
	cfg, err := LoadConfig(realConfig)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	cfg.Issuer = "http://" + srv.Listener.Addr().String()
	p, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = p.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return testIdP{srv: srv, cfg: cfg}
}

// redirectFor returns a redirect URI of the client on a random port: it is
// never fetched.
func redirectFor(clientID string) string {
	port := rand.IntN(50000) + 10000
	host := strings.TrimPrefix(clientID, "ambiti-") + ".localhost"
	if clientID == "ambiti-platform" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + "/auth/callback"
}

// browser follows redirects inside the IdP only.
func (idp testIdP) browser() *http.Client {
	issuer, _ := url.Parse(idp.srv.URL)
	return &http.Client{
		Timeout: 5 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != issuer.Host {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
}

var requestIDRE = regexp.MustCompile(`name="authRequestID" value="([0-9a-f]+)"`)

// loginForm opens authURL and returns the login form's request id.
func (idp testIdP) loginForm(t *testing.T, c *http.Client, authURL string) string {
	t.Helper()
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("authorize: %s: %s", resp.Status, body)
	}
	m := requestIDRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no request id in the login page:\n%s", body)
	}
	return m[1]
}

func (idp testIdP) postLogin(t *testing.T, c *http.Client, id, username, password string) *http.Response {
	t.Helper()
	resp, err := c.PostForm(idp.srv.URL+"/login", url.Values{"authRequestID": {id}, "username": {username}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type userClaims struct {
	PreferredUsername string   `json:"preferred_username"`
	Name              string   `json:"name"`
	Email             string   `json:"email"`
	EmailVerified     bool     `json:"email_verified"`
	Roles             []string `json:"roles"`
	Org               *string  `json:"org"`
}

func (c userClaims) check(t *testing.T, what string, u User) {
	t.Helper()
	if c.PreferredUsername != u.Username || c.Name != u.Name || c.Email != u.Email || !c.EmailVerified {
		t.Errorf("%s: claims %+v, want user %+v", what, c, u)
	}
	if !slices.Equal(c.Roles, u.Roles) {
		t.Errorf("%s: roles = %q, want %q", what, c.Roles, u.Roles)
	}
	switch {
	case u.Organisation == "" && c.Org != nil:
		t.Errorf("%s: org = %q, want no org claim", what, *c.Org)
	case u.Organisation != "" && (c.Org == nil || *c.Org != u.Organisation):
		t.Errorf("%s: org = %v, want %q", what, c.Org, u.Organisation)
	}
}

// 1. Discovery and JWKS.
func TestDiscoveryAndJWKS(t *testing.T) {
	idp := startIdP(t)
	resp, err := http.Get(idp.srv.URL + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Issuer              string   `json:"issuer"`
		JWKSURI             string   `json:"jwks_uri"`
		EndSession          string   `json:"end_session_endpoint"`
		CodeChallenge       []string `json:"code_challenge_methods_supported"`
		IDTokenAlgs         []string `json:"id_token_signing_alg_values_supported"`
		ClaimsSupported     []string `json:"claims_supported"`
		TokenEndpointMethod []string `json:"token_endpoint_auth_methods_supported"`
	}
	if err := json.Unmarshal([]byte(readBody(t, resp)), &d); err != nil {
		t.Fatal(err)
	}
	if d.Issuer != idp.srv.URL || d.JWKSURI != idp.srv.URL+"/keys" || d.EndSession != idp.srv.URL+"/end_session" {
		t.Errorf("discovery = %+v", d)
	}
	if !slices.Contains(d.CodeChallenge, "S256") || !slices.Contains(d.IDTokenAlgs, "RS256") {
		t.Errorf("discovery: code challenge methods %q, algs %q", d.CodeChallenge, d.IDTokenAlgs)
	}
	if !slices.Contains(d.ClaimsSupported, "roles") || !slices.Contains(d.ClaimsSupported, "org") {
		t.Errorf("claims_supported = %q", d.ClaimsSupported)
	}
	if !slices.Contains(d.TokenEndpointMethod, "client_secret_basic") || !slices.Contains(d.TokenEndpointMethod, "client_secret_post") {
		t.Errorf("token_endpoint_auth_methods_supported = %q", d.TokenEndpointMethod)
	}

	resp, err = http.Get(d.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	var jwks jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(readBody(t, resp)), &jwks); err != nil {
		t.Fatal(err)
	}
	if len(jwks.Keys) != 1 {
		t.Fatalf("jwks has %d keys", len(jwks.Keys))
	}
	k := jwks.Keys[0]
	pub, ok := k.Key.(*rsa.PublicKey)
	if !ok || pub.N.BitLen() != 2048 || k.Algorithm != "RS256" || k.Use != "sig" || k.KeyID == "" || !k.IsPublic() {
		t.Errorf("jwk = %+v (key %T)", k, k.Key)
	}
}

// 2. Full code flow with go-oidc and oauth2; also userinfo and logout.
func TestCodeFlowWithGoOIDC(t *testing.T) {
	idp := startIdP(t)
	ctx := oidc.ClientContext(context.Background(), idp.srv.Client())
	provider, err := oidc.NewProvider(ctx, idp.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		username  string
		authStyle oauth2.AuthStyle
	}{
		{"coop.valle-trompia", oauth2.AuthStyleInHeader},  // client_secret_basic, with org
		{"udp.trento", oauth2.AuthStyleInParams},          // client_secret_post, no org
		{"regione.lombardia", oauth2.AuthStyleAutoDetect}, // platform client on http://localhost:*
	} {
		t.Run(tc.username, func(t *testing.T) {
			u, _ := idp.cfg.User(tc.username)
			cl, _ := idp.cfg.Client(u.Client)
			redirect := redirectFor(cl.ID)
			endpoint := provider.Endpoint()
			endpoint.AuthStyle = tc.authStyle
			conf := oauth2.Config{
				ClientID: cl.ID, ClientSecret: cl.Secret, RedirectURL: redirect,
				Endpoint: endpoint, Scopes: []string{oidc.ScopeOpenID, "profile", "email"},
			}
			state, nonce, verifier := "st-"+randomID(8), "n-"+randomID(8), oauth2.GenerateVerifier()
			authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))

			c := idp.browser()
			id := idp.loginForm(t, c, authURL)
			resp := idp.postLogin(t, c, id, u.Username, idp.cfg.Password)
			readBody(t, resp)
			loc, err := resp.Location()
			if err != nil || resp.StatusCode != http.StatusFound {
				t.Fatalf("after login: %s, location %v", resp.Status, err)
			}
			if !strings.HasPrefix(loc.String(), redirect+"?") || loc.Query().Get("state") != state {
				t.Fatalf("redirected to %s, want %s with state %s", loc, redirect, state)
			}
			tok, err := conf.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}

			verifierOIDC := provider.Verifier(&oidc.Config{ClientID: cl.ID})
			rawID, _ := tok.Extra("id_token").(string)
			idt, err := verifierOIDC.Verify(ctx, rawID)
			if err != nil {
				t.Fatalf("ID token: %v", err)
			}
			if idt.Nonce != nonce || idt.Subject != Subject(u.Username) || idt.Issuer != idp.srv.URL {
				t.Errorf("ID token nonce %q sub %q iss %q", idt.Nonce, idt.Subject, idt.Issuer)
			}
			var ic userClaims
			if err := idt.Claims(&ic); err != nil {
				t.Fatal(err)
			}
			ic.check(t, "ID token", u)

			// The access token is a JWT the same verifier accepts: RS256, aud = client id.
			at, err := verifierOIDC.Verify(ctx, tok.AccessToken)
			if err != nil {
				t.Fatalf("access token: %v", err)
			}
			if !slices.Contains(at.Audience, cl.ID) || at.Subject != Subject(u.Username) {
				t.Errorf("access token aud %q sub %q", at.Audience, at.Subject)
			}
			if d := time.Until(at.Expiry); d < 59*time.Minute || d > 61*time.Minute {
				t.Errorf("access token expires in %v, want 1h", d)
			}
			var ac userClaims
			if err := at.Claims(&ac); err != nil {
				t.Fatal(err)
			}
			ac.check(t, "access token", u)

			ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
			if err != nil {
				t.Fatalf("userinfo: %v", err)
			}
			var uc userClaims
			if err := ui.Claims(&uc); err != nil {
				t.Fatal(err)
			}
			uc.check(t, "userinfo", u)
			if ui.Subject != Subject(u.Username) {
				t.Errorf("userinfo sub = %q", ui.Subject)
			}

			// A code is single use.
			if _, err := conf.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier)); err == nil {
				t.Error("second exchange of the same code succeeded")
			}

			// RP-initiated logout to an allowed URI.
			postLogout := strings.TrimSuffix(redirect, "auth/callback")
			c2 := idp.browser()
			q := url.Values{"id_token_hint": {rawID}, "post_logout_redirect_uri": {postLogout}, "state": {"bye"}}
			resp, err = c2.Get(idp.srv.URL + "/end_session?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			readBody(t, resp)
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != postLogout+"?state=bye" {
				t.Errorf("end_session: %s → %q, want %q", resp.Status, got, postLogout+"?state=bye")
			}
			if _, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok)); err == nil {
				t.Error("userinfo still answers after logout")
			}
			// A hint signed by an earlier run (another key) is ignored, not an error.
			q2 := url.Values{"id_token_hint": {strings.Replace(rawID, ".", ".x", 1)}, "client_id": {cl.ID}, "post_logout_redirect_uri": {postLogout}}
			resp, err = c2.Get(idp.srv.URL + "/end_session?" + q2.Encode())
			if err != nil {
				t.Fatal(err)
			}
			readBody(t, resp)
			if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || got != postLogout {
				t.Errorf("end_session with a stale hint: %s → %q", resp.Status, got)
			}
			// … but not to an arbitrary one.
			q.Set("post_logout_redirect_uri", "http://evil.example/")
			resp, err = c2.Get(idp.srv.URL + "/end_session?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			readBody(t, resp)
			if resp.StatusCode == http.StatusFound {
				t.Errorf("end_session redirected to %s", resp.Header.Get("Location"))
			}
		})
	}
}

// 3. Wrong password, wrong code_verifier, bad redirect URI, PKCE plain.
func TestRejections(t *testing.T) {
	idp := startIdP(t)
	ctx := oidc.ClientContext(context.Background(), idp.srv.Client())
	provider, err := oidc.NewProvider(ctx, idp.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cl, _ := idp.cfg.Client("ambiti-valle-trompia")
	redirect := redirectFor(cl.ID)
	conf := oauth2.Config{ClientID: cl.ID, ClientSecret: cl.Secret, RedirectURL: redirect, Endpoint: provider.Endpoint(), Scopes: []string{"openid"}}
	verifier := oauth2.GenerateVerifier()
	c := idp.browser()
	id := idp.loginForm(t, c, conf.AuthCodeURL("s1", oauth2.S256ChallengeOption(verifier)))

	for _, tc := range []struct{ user, pass string }{
		{"udp.valle-trompia", "wrong"},
		{"nessuno", idp.cfg.Password},
	} {
		resp := idp.postLogin(t, c, id, tc.user, tc.pass)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s/%s: status %s", tc.user, tc.pass, resp.Status)
		}
		for _, want := range []string{`role="alert"`, `value="` + tc.user + `"`, `<label for="username">`, `name="authRequestID" value="` + id + `"`, "Solo per sviluppo"} {
			if !strings.Contains(body, want) {
				t.Errorf("401 page lacks %q:\n%s", want, body)
			}
		}
	}

	// The same request still logs in with the right password.
	resp := idp.postLogin(t, c, id, "udp.valle-trompia", idp.cfg.Password)
	readBody(t, resp)
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("login: %s, %v", resp.Status, err)
	}
	code := loc.Query().Get("code")
	_, err = conf.Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("exchange with a wrong verifier: %v, want invalid_grant", err)
	}
	if _, err := conf.Exchange(ctx, code); err == nil {
		t.Error("exchange without a verifier succeeded")
	}
	// The login page cannot be replayed once the request is done.
	resp = idp.postLogin(t, c, id, "udp.valle-trompia", idp.cfg.Password)
	if readBody(t, resp); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("replayed login: %s", resp.Status)
	}

	// A redirect URI outside the client's globs: no redirect, an error page.
	bad := conf
	bad.RedirectURL = "http://trento.localhost:8080/auth/callback"
	resp, err = c.Get(bad.AuthCodeURL("s2", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	if readBody(t, resp); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("foreign redirect URI: %s %s", resp.Status, resp.Header.Get("Location"))
	}
	// PKCE plain is refused (redirected back with invalid_request).
	resp, err = c.Get(conf.AuthCodeURL("s3", oauth2.SetAuthURLParam("code_challenge", verifier), oauth2.SetAuthURLParam("code_challenge_method", "plain")))
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if loc, err := resp.Location(); err != nil || loc.Query().Get("error") != "invalid_request" {
		t.Errorf("plain PKCE: %s %v", resp.Status, loc)
	}
	// A wrong client secret cannot exchange a code.
	id = idp.loginForm(t, c, conf.AuthCodeURL("s4", oauth2.S256ChallengeOption(verifier)))
	resp = idp.postLogin(t, c, id, "udp.valle-trompia", idp.cfg.Password)
	readBody(t, resp)
	loc, _ = resp.Location()
	wrongSecret := conf
	wrongSecret.ClientSecret = "nope"
	if _, err := wrongSecret.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier)); err == nil {
		t.Error("exchange with a wrong client secret succeeded")
	}
}

// 4. FetchToken does the whole flow.
func TestFetchToken(t *testing.T) {
	idp := startIdP(t)
	ctx := oidc.ClientContext(context.Background(), idp.srv.Client())
	provider, err := oidc.NewProvider(ctx, idp.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for _, username := range []string{"udp.valle-trompia", "operator"} {
		u, _ := idp.cfg.User(username)
		raw, err := FetchToken(ctx, idp.cfg, username, redirectFor(u.Client), idp.srv.Client())
		if err != nil {
			t.Fatalf("%s: %v", username, err)
		}
		at, err := provider.Verifier(&oidc.Config{ClientID: u.Client}).Verify(ctx, raw)
		if err != nil {
			t.Fatalf("%s: %v", username, err)
		}
		var c userClaims
		if err := at.Claims(&c); err != nil {
			t.Fatal(err)
		}
		c.check(t, username, u)
	}

	_, err = FetchToken(ctx, idp.cfg, "nessuno", redirectFor("ambiti-trento"), nil)
	if !errors.Is(err, ErrUnknownUser) || !strings.Contains(err.Error(), "link_worker.trento") {
		t.Errorf("unknown user: %v", err)
	}
	_, err = FetchToken(ctx, idp.cfg, "udp.trento", "http://evil.localhost:1/auth/callback", nil)
	if err == nil {
		t.Error("a redirect URI outside the globs gave a token")
	}
	wrong := idp.cfg
	wrong.Password = "not-the-password"
	if _, err := FetchToken(ctx, wrong, "udp.trento", redirectFor("ambiti-trento"), nil); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("wrong password: %v", err)
	}

	// Nothing listening: ErrUnreachable.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := idp.cfg
	down.Issuer = "http://" + ln.Addr().String()
	ln.Close()
	if _, err := FetchToken(ctx, down, "udp.trento", redirectFor("ambiti-trento"), nil); !errors.Is(err, ErrUnreachable) {
		t.Errorf("provider down: %v, want ErrUnreachable", err)
	}
}

// 5. The real configuration, and clear errors for broken ones.
func TestLoadConfig(t *testing.T) {
	cfg, err := LoadConfig(realConfig)
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Usernames(); !slices.Equal(got, contractUsernames) {
		t.Errorf("usernames = %q\nwant %q", got, contractUsernames)
	}
	if cfg.Password != "demo-ambiti-2026" {
		t.Errorf("password = %q", cfg.Password)
	}
	orgs := map[string]string{}
	for _, u := range cfg.Users {
		cl, ok := cfg.Client(u.Client)
		if !ok {
			t.Fatalf("%s: client %q", u.Username, u.Client)
		}
		redirect, err := DefaultRedirectURI(u.Client)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(cl.RedirectURIGlobs, func(g string) bool { ok, _ := path.Match(g, redirect); return ok }) {
			t.Errorf("%s: default redirect %s matches no glob of %s", u.Username, redirect, cl.ID)
		}
		if strings.HasPrefix(u.Username, "coop") {
			if u.Organisation == "" {
				t.Errorf("%s has no organisation", u.Username)
			}
			if other, dup := orgs[u.Organisation]; dup {
				t.Errorf("%s and %s share organisation %q", u.Username, other, u.Organisation)
			}
			orgs[u.Organisation] = u.Username
		}
		if !regexp.MustCompile(`^dev-[0-9a-f]{16}$`).MatchString(Subject(u.Username)) {
			t.Errorf("subject %q", Subject(u.Username))
		}
	}
	if o, _ := cfg.User("coop.valle-trompia"); o.Organisation != "laquilone" {
		t.Errorf("coop.valle-trompia org = %q", o.Organisation)
	}

	const good = `
password: x
clients:
  - id: ambiti-a
    secret: s
    redirect_uri_globs: ["http://a.localhost:*/auth/callback"]
users:
  - {username: u.a, name: Ugo Rossi, email: u@x.invalid, roles: ["a:udp"], client: ambiti-a}
`
	if _, err := parseConfig([]byte(good)); err != nil {
		t.Fatalf("good config: %v", err)
	}
	dir := t.TempDir()
	for name, tc := range map[string]struct{ yaml, want string }{
		"unknown key":    {strings.Replace(good, "password:", "pasword:", 1), "pasword"},
		"no password":    {strings.Replace(good, "password: x", "", 1), "password: missing"},
		"unknown client": {strings.Replace(good, "client: ambiti-a}", "client: ambiti-b}", 1), `client "ambiti-b" is not one of the clients`},
		"duplicate user": {good + "  - {username: u.a, name: B, email: b@x.invalid, client: ambiti-a}\n", `duplicate username "u.a"`},
		"bad glob":       {strings.Replace(good, `"http://a.localhost:*/auth/callback"`, `"http://a.localhost:[/cb"`, 1), "not a valid glob"},
		"bad yaml":       {"password: [x\n", "invalid YAML"},
		"roles type":     {strings.Replace(good, `roles: ["a:udp"]`, `roles: "a:udp"`, 1), "line"},
		"empty":          {"", "empty"},
	} {
		f := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yaml")
		if err := os.WriteFile(f, []byte(tc.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadConfig(f)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), f) {
			t.Errorf("%s: error %v, want it to name %q and the file", name, err, tc.want)
		}
	}
	if _, err := LoadConfig(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}

// 6. The listen address check, New's own checks, no global state.
func TestCheckLoopbackAddr(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:9998", "127.1.2.3:0", "[::1]:9998", "localhost:9998", "LOCALHOST:1"} {
		if err := CheckLoopbackAddr(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{":9998", "0.0.0.0:9998", "[::]:9998", "192.168.1.10:9998", "10.0.0.1:80", "example.com:9998", "127.0.0.1", "", "[::ffff:8.8.8.8]:1", "localhost.example.com:1"} {
		if err := CheckLoopbackAddr(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestNewChecksAndNoGlobals(t *testing.T) {
	cfg, err := LoadConfig(realConfig)
	if err != nil {
		t.Fatal(err)
	}
	for _, issuer := range []string{"", "localhost:9998", "http://localhost:9998/", "http://localhost:9998/idp", "ftp://x"} {
		cfg.Issuer = issuer
		if _, err := New(cfg, nil); err == nil {
			t.Errorf("issuer %q accepted", issuer)
		}
	}
	before := slog.Default()
	cfg.Issuer = "http://127.0.0.1:9"
	if _, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	if slog.Default() != before {
		t.Error("New changed slog.Default")
	}
	for client, want := range map[string]string{
		"ambiti-valle-trompia": "http://valle-trompia.localhost:8080/auth/callback",
		"ambiti-platform":      "http://localhost:8080/auth/callback",
	} {
		if got, _ := DefaultRedirectURI(client); got != want {
			t.Errorf("DefaultRedirectURI(%s) = %s", client, got)
		}
	}
}
