package auth

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/route"
)

// Routes are the login, callback and logout endpoints of every host.
func (s *Service) Routes() []route.Route {
	r := func(method, path, summary string, h echo.HandlerFunc, produces ...string) route.Route {
		return route.Route{Method: method, Path: path, On: route.OnAny, Summary: summary, Tag: "auth", Public: true, Handler: h, Produces: produces}
	}
	return []route.Route{
		r(http.MethodGet, "/auth/login", "Accesso tramite il provider di identità del distretto / Log in through the district's identity provider", s.login, route.HTML),
		r(http.MethodGet, "/auth/callback", "Ritorno dal provider di identità / Return from the identity provider", s.callback, route.HTML),
		r(http.MethodPost, "/auth/logout", "Uscita: chiude la sessione / Log out: ends the session", s.logout, route.JSON, route.HTML),
	}
}

func (s *Service) oauth2Config(c echo.Context, cl Client, pr *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: cl.ClientID, ClientSecret: cl.ClientSecret, Endpoint: pr.Endpoint(),
		RedirectURL: s.origin(c) + "/auth/callback",
		Scopes:      []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

// safeReturn keeps only a path on this host, so the login cannot be used to redirect elsewhere.
// Browsers drop tabs and newlines from URLs and read a backslash as a slash, so "/\t/evil" and
// "/\\evil" would become "//evil", another host: any control character or backslash is refused
// before the path is parsed, and what is left must parse as a path with no scheme or host.
func safeReturn(p string) string {
	if p == "" || len(p) > 2000 || strings.HasPrefix(p, "//") {
		return "/"
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return p
}

func (s *Service) login(c echo.Context) error {
	ctx := c.Request().Context()
	cl, err := s.clientFor(ctx)
	if err != nil {
		return err
	}
	pr, err := s.providers.get(ctx, cl.Issuer)
	if err != nil {
		return err
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	binding := s.loginBinding(c)
	err = s.db.Platform(ctx, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO platform.login_states (state, domain, nonce, verifier, return_to, browser_hash, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			state, cl.Domain, nonce, verifier, safeReturn(c.QueryParam("return_to")), hashToken(binding), s.now().Add(loginLifetime)).Error
	})
	if err != nil {
		return err
	}
	u := s.oauth2Config(c, cl, pr).AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
	return c.Redirect(http.StatusFound, u)
}

// loginLifetime is how long a started login may take at the identity provider.
const loginLifetime = 10 * time.Minute

// LoginCookie binds a login to the browser that started it: the callback is accepted only from
// a browser holding the value whose hash was stored with the state, so a callback URL obtained
// by someone else for their own account cannot log this browser in as them (login CSRF).
const LoginCookie = "ambiti_login"

// loginBinding returns this browser's login binding, setting the cookie when it has none yet;
// logins started in several tabs share it.
func (s *Service) loginBinding(c echo.Context) string {
	if ck, err := c.Cookie(LoginCookie); err == nil && len(ck.Value) == base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return ck.Value
	}
	v := randomToken()
	s.setLoginCookie(c, v, int(loginLifetime.Seconds()))
	return v
}

// setLoginCookie sets the login binding (maxAge < 0 clears it): host-only, for /auth/ only.
func (s *Service) setLoginCookie(c echo.Context, value string, maxAge int) {
	c.SetCookie(&http.Cookie{Name: LoginCookie, Value: value, Path: "/auth/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.Scheme == "https", MaxAge: maxAge})
}

var (
	errLoginExpired      = apperr.Invalidf("state", "richiesta di accesso scaduta o già usata: ripetere l'accesso", "login request expired or already used: log in again")
	errLoginOtherBrowser = apperr.Invalidf("state", "questo accesso non è stato avviato da questo browser: ripetere l'accesso", "this login was not started from this browser: log in again")
)

func (s *Service) callback(c echo.Context) error {
	ctx := c.Request().Context()
	if e := c.QueryParam("error"); e != "" {
		return apperr.New(apperr.Unauthenticated, "accesso non riuscito presso il provider di identità ("+truncate(e, 60)+")",
			"login failed at the identity provider ("+truncate(e, 60)+")")
	}
	cl, err := s.clientFor(ctx)
	if err != nil {
		return err
	}
	ck, err := c.Cookie(LoginCookie)
	if err != nil || ck.Value == "" {
		return errLoginOtherBrowser
	}
	var rows []struct{ Nonce, Verifier, ReturnTo string }
	err = s.db.Platform(ctx, func(tx *gorm.DB) error {
		// Single use: the row is gone whatever happens next. Another browser's callback leaves
		// it alone (it finds nothing to delete).
		return tx.Raw(`DELETE FROM platform.login_states WHERE state = ? AND domain = ? AND browser_hash = ? AND expires_at > now()
			RETURNING nonce, verifier, return_to`, c.QueryParam("state"), cl.Domain, hashToken(ck.Value)).Scan(&rows).Error
	})
	if err != nil {
		return err
	}
	if len(rows) != 1 {
		return errLoginExpired
	}
	st := rows[0]
	pr, err := s.providers.get(ctx, cl.Issuer)
	if err != nil {
		return err
	}
	octx := oidc.ClientContext(ctx, s.http)
	tok, err := s.oauth2Config(c, cl, pr).Exchange(octx, c.QueryParam("code"), oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return apperr.Wrap(apperr.Unauthenticated, err, "codice di accesso rifiutato dal provider di identità", "the identity provider refused the login code")
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := pr.Verifier(&oidc.Config{ClientID: cl.ClientID, SupportedSigningAlgs: []string{oidc.RS256}, Now: s.now}).Verify(octx, rawID)
	if err != nil || idt.Nonce == "" || idt.Nonce != st.Nonce {
		return apperr.Wrap(apperr.Unauthenticated, err, "identità non verificabile: ripetere l'accesso", "identity could not be verified: log in again")
	}
	var raw map[string]any
	if err := idt.Claims(&raw); err != nil {
		return apperr.Wrap(apperr.Unauthenticated, err, "identità non leggibile", "unreadable identity")
	}
	cls := readClaims(raw, cl)
	id, _, err := s.resolve(ctx, cl, cls)
	if err != nil {
		return err
	}
	token, err := s.createSession(ctx, id, cl.Domain, c.Request().UserAgent(), c.RealIP())
	if err != nil {
		return err
	}
	s.setCookie(c, token)
	s.setLoginCookie(c, "", -1)
	return c.Redirect(http.StatusFound, st.ReturnTo)
}

// logout ends the session (every replica refuses it at once) and, for a browser, continues to
// the identity provider's logout so that its own session ends too.
func (s *Service) logout(c echo.Context) error {
	ctx := c.Request().Context()
	p, ok := PrincipalFrom(ctx)
	endURL := ""
	if ok && p.Via == "session" {
		if err := s.endSession(ctx, p.sessionHash); err != nil {
			return err
		}
		if cl, err := s.clientFor(ctx); err == nil {
			if pr, err := s.providers.get(ctx, cl.Issuer); err == nil {
				endURL = endSessionURL(pr, cl.ClientID, s.origin(c)+"/")
			}
		}
	}
	s.clearCookie(c)
	if strings.Contains(c.Request().Header.Get("Accept"), "text/html") {
		if endURL == "" {
			endURL = "/"
		}
		return c.Redirect(http.StatusSeeOther, endURL)
	}
	return c.JSON(http.StatusOK, map[string]any{"logged_out": true, "end_session_url": endURL})
}

// endSessionURL is the provider's RP-initiated logout naming this client (OpenID Connect
// RP-Initiated Logout 1.0 §2). It carries no id_token_hint: an ID token in a URL ends up in
// browser history and logs, so the session never keeps one.
func endSessionURL(pr *oidc.Provider, clientID, after string) string {
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := pr.Claims(&meta); err != nil || meta.EndSession == "" {
		return ""
	}
	q := url.Values{"client_id": {clientID}, "post_logout_redirect_uri": {after}}
	return meta.EndSession + "?" + q.Encode()
}
