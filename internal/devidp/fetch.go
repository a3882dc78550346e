package devidp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/oauth2"
)

var (
	// ErrUnknownUser is returned by FetchToken for a username that is not
	// in the configuration; the message lists the valid usernames.
	ErrUnknownUser = errors.New("unknown user")
	// ErrUnreachable is returned by FetchToken when nothing answers at the
	// issuer (the provider is not running).
	ErrUnreachable = errors.New("development identity provider not reachable")
)

// FetchToken logs username in with a real authorization code flow and
// returns the access token (a JWT). There is no back door: it builds the
// oauth2.Config of the user's client, sends state, nonce and a PKCE S256
// challenge to the authorize endpoint, fills the login form with
// cfg.Password, takes the code from the redirect to redirectURI (which is
// never fetched) and exchanges it with the verifier.
//
// redirectURI must match one of the client's redirect globs, e.g.
// "http://valle-trompia.localhost:8080/auth/callback" (see DefaultRedirectURI).
// hc may be nil; its CheckRedirect is replaced on a copy.
func FetchToken(ctx context.Context, cfg Config, username, redirectURI string, hc *http.Client) (accessToken string, err error) {
	t, err := FetchTokens(ctx, cfg, username, redirectURI, hc)
	return t.Access, err
}

// Tokens are what a code flow ends with.
type Tokens struct {
	Access string // the access token, for APIs
	ID     string // the ID token, for the application that logged in (never an API credential)
}

// FetchTokens is FetchToken returning the ID token too (tests check that APIs refuse it).
func FetchTokens(ctx context.Context, cfg Config, username, redirectURI string, hc *http.Client) (Tokens, error) {
	if err := validateIssuer(cfg.Issuer); err != nil {
		return Tokens{}, fmt.Errorf("devidp: %w", err)
	}
	u, ok := cfg.User(username)
	if !ok {
		return Tokens{}, fmt.Errorf("devidp: %w %q; valid usernames: %s", ErrUnknownUser, username, strings.Join(cfg.Usernames(), ", "))
	}
	cl, ok := cfg.Client(u.Client)
	if !ok {
		return Tokens{}, fmt.Errorf("devidp: user %q: client %q is not configured", username, u.Client)
	}
	redirect, err := url.Parse(redirectURI)
	if err != nil || redirect.Host == "" {
		return Tokens{}, fmt.Errorf("devidp: invalid redirect URI %q", redirectURI)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	issuer, _ := url.Parse(cfg.Issuer)

	// The "browser": follows redirects within the provider only and stops
	// at the first one that leaves it (the redirect to the application).
	browser := *hc
	browser.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("too many redirects")
		}
		if req.URL.Scheme != issuer.Scheme || req.URL.Host != issuer.Host || sameEndpoint(req.URL, redirect) {
			return http.ErrUseLastResponse
		}
		return nil
	}

	disc, err := discover(ctx, &browser, cfg.Issuer)
	if err != nil {
		return Tokens{}, err
	}
	conf := oauth2.Config{
		ClientID:     cl.ID,
		ClientSecret: cl.Secret,
		RedirectURL:  redirectURI,
		Scopes:       []string{"openid", "profile", "email"},
		Endpoint: oauth2.Endpoint{
			AuthURL:   disc.AuthorizationEndpoint,
			TokenURL:  disc.TokenEndpoint,
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
	state, nonce, verifier := randomID(16), randomID(16), oauth2.GenerateVerifier()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", nonce))

	// 1. /authorize → login form.
	resp, body, err := do(ctx, &browser, http.MethodGet, authURL, nil)
	if err != nil {
		return Tokens{}, err
	}
	if loc, ok := redirectTo(resp, redirect); ok {
		return Tokens{}, authError(loc)
	}
	if resp.StatusCode != http.StatusOK {
		return Tokens{}, fmt.Errorf("devidp: authorize: %s: %s", resp.Status, snippet(body))
	}
	form, err := parseLoginForm(body)
	if err != nil {
		return Tokens{}, fmt.Errorf("devidp: authorize: %w", err)
	}
	action, err := resp.Request.URL.Parse(form.action)
	if err != nil {
		return Tokens{}, fmt.Errorf("devidp: login form action %q: %w", form.action, err)
	}
	form.values.Set("username", u.Username)
	form.values.Set("password", cfg.Password)

	// 2. POST the form → provider callback → redirect to the application.
	resp, body, err = do(ctx, &browser, http.MethodPost, action.String(), form.values)
	if err != nil {
		return Tokens{}, err
	}
	loc, ok := redirectTo(resp, redirect)
	if !ok {
		if msg := alertText(body); msg != "" {
			return Tokens{}, fmt.Errorf("devidp: login as %q refused (%s): %s", username, resp.Status, msg)
		}
		return Tokens{}, fmt.Errorf("devidp: login as %q: expected a redirect to %s, got %s: %s", username, redirectURI, resp.Status, snippet(body))
	}
	q := loc.Query()
	if q.Get("error") != "" {
		return Tokens{}, authError(loc)
	}
	if q.Get("state") != state {
		return Tokens{}, errors.New("devidp: state mismatch in the authorization response")
	}
	code := q.Get("code")
	if code == "" {
		return Tokens{}, errors.New("devidp: no code in the authorization response")
	}

	// 3. Exchange the code with the PKCE verifier.
	tok, err := conf.Exchange(context.WithValue(ctx, oauth2.HTTPClient, hc), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Tokens{}, fmt.Errorf("devidp: token exchange: %w", err)
	}
	idToken, _ := tok.Extra("id_token").(string)
	if got := jwtClaim(idToken, "nonce"); got != nonce {
		return Tokens{}, fmt.Errorf("devidp: nonce mismatch in the ID token (got %q)", got)
	}
	if tok.AccessToken == "" {
		return Tokens{}, errors.New("devidp: empty access token")
	}
	return Tokens{Access: tok.AccessToken, ID: idToken}, nil
}

type discovery struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
}

func discover(ctx context.Context, hc *http.Client, issuer string) (discovery, error) {
	resp, body, err := do(ctx, hc, http.MethodGet, issuer+"/.well-known/openid-configuration", nil)
	if err != nil {
		return discovery{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return discovery{}, fmt.Errorf("devidp: discovery at %s: %s", issuer, resp.Status)
	}
	var d discovery
	if err := json.Unmarshal(body, &d); err != nil {
		return discovery{}, fmt.Errorf("devidp: discovery at %s: %w", issuer, err)
	}
	if d.Issuer != issuer {
		return discovery{}, fmt.Errorf("devidp: discovery at %s announces issuer %q", issuer, d.Issuer)
	}
	if d.AuthorizationEndpoint == "" || d.TokenEndpoint == "" {
		return discovery{}, fmt.Errorf("devidp: discovery at %s lacks endpoints", issuer)
	}
	return d, nil
}

// do sends one request and reads (at most 1 MiB of) the body.
func do(ctx context.Context, hc *http.Client, method, target string, form url.Values) (*http.Response, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, nil, fmt.Errorf("devidp: %w", err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := hc.Do(req)
	if err != nil {
		if isUnreachable(err) {
			return nil, nil, fmt.Errorf("devidp: %w at %s://%s: %v", ErrUnreachable, req.URL.Scheme, req.URL.Host, err)
		}
		return nil, nil, fmt.Errorf("devidp: %s %s: %w", method, req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("devidp: read %s: %w", req.URL.Redacted(), err)
	}
	return resp, b, nil
}

func isUnreachable(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// sameEndpoint reports whether u points at the redirect URI (ignoring the query).
func sameEndpoint(u, redirect *url.URL) bool {
	return strings.EqualFold(u.Scheme, redirect.Scheme) && strings.EqualFold(u.Host, redirect.Host) && u.Path == redirect.Path
}

// redirectTo returns the Location of resp when it redirects to the redirect URI.
func redirectTo(resp *http.Response, redirect *url.URL) (*url.URL, bool) {
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		return nil, false
	}
	loc, err := resp.Location()
	if err != nil || !sameEndpoint(loc, redirect) {
		return nil, false
	}
	return loc, true
}

func authError(loc *url.URL) error {
	q := loc.Query()
	return fmt.Errorf("devidp: authorization refused: %s: %s", q.Get("error"), q.Get("error_description"))
}

type loginForm struct {
	action string
	values url.Values
}

// parseLoginForm finds the first POST form and its hidden fields.
func parseLoginForm(page []byte) (loginForm, error) {
	z := html.NewTokenizer(strings.NewReader(string(page)))
	var f loginForm
	inForm := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			if f.values == nil {
				return loginForm{}, errors.New("no login form in the page")
			}
			return f, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.Data {
			case "form":
				if f.values == nil && strings.EqualFold(attr(t, "method"), "post") {
					inForm, f.action, f.values = true, attr(t, "action"), url.Values{}
				}
			case "input":
				if inForm && attr(t, "type") == "hidden" && attr(t, "name") != "" {
					f.values.Set(attr(t, "name"), attr(t, "value"))
				}
			}
		case html.EndTagToken:
			if z.Token().Data == "form" && inForm {
				return f, nil
			}
		}
	}
}

// alertText returns the text of the first role="alert" element.
func alertText(page []byte) string {
	z := html.NewTokenizer(strings.NewReader(string(page)))
	depth := 0
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(b.String())
		case html.StartTagToken:
			t := z.Token()
			if depth > 0 {
				depth++
			} else if attr(t, "role") == "alert" {
				depth = 1
			}
		case html.EndTagToken:
			if depth > 0 {
				depth--
				if depth == 0 {
					return strings.TrimSpace(b.String())
				}
			}
		case html.TextToken:
			if depth > 0 {
				b.Write(z.Text())
			}
		}
	}
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// jwtClaim returns a string claim of a JWT's payload, unverified (only
// used to compare the nonce of a token just received over the back channel).
func jwtClaim(token, claim string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(payload, &m) != nil {
		return ""
	}
	s, _ := m[claim].(string)
	return s
}
