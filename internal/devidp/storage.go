package devidp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

const (
	accessTokenLifetime = time.Hour
	idTokenLifetime     = time.Hour
	authRequestLifetime = 10 * time.Minute
	loginPath           = "/login"
	loggedOutPath       = "/logged-out"
)

// randomID returns n random bytes, hex encoded.
func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b)
}

// ---- clients ----------------------------------------------------------------

// opClient adapts a Client to op.Client and op.HasRedirectGlobs.
type opClient struct{ c Client }

var _ op.HasRedirectGlobs = opClient{}

func (c opClient) GetID() string                        { return c.c.ID }
func (c opClient) RedirectURIs() []string               { return nil }
func (c opClient) PostLogoutRedirectURIs() []string     { return nil }
func (c opClient) RedirectURIGlobs() []string           { return c.c.RedirectURIGlobs }
func (c opClient) PostLogoutRedirectURIGlobs() []string { return c.c.PostLogoutRedirectURIGlobs }

// ApplicationTypeWeb = confidential: op then allows http:// redirect URIs for
// the code flow without DevMode.
func (c opClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }

// AuthMethod basic; the token endpoint accepts client_secret_post as well
// (op.Config.AuthMethodPost), both end in AuthorizeClientIDSecret.
func (c opClient) AuthMethod() oidc.AuthMethod { return oidc.AuthMethodBasic }
func (c opClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c opClient) GrantTypes() []oidc.GrantType { return []oidc.GrantType{oidc.GrantTypeCode} }
func (c opClient) LoginURL(id string) string {
	return loginPath + "?authRequestID=" + url.QueryEscape(id)
}
func (c opClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }
func (c opClient) IDTokenLifetime() time.Duration      { return idTokenLifetime }
func (c opClient) DevMode() bool                       { return false }
func (c opClient) IsScopeAllowed(string) bool          { return false }
func (c opClient) ClockSkew() time.Duration            { return 0 }

// IDTokenUserinfoClaimsAssertion true: the ID token carries the profile and
// email claims even though an access token is issued with it.
func (c opClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// ---- auth requests -------------------------------------------------------------

// authRequest implements op.AuthRequest.
type authRequest struct {
	id        string
	created   time.Time
	req       oidc.AuthRequest
	subject   string
	authTime  time.Time
	done      bool
	loginHint string
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string                      { return a.id }
func (a *authRequest) GetACR() string                     { return "" }
func (a *authRequest) GetAMR() []string                   { return []string{"pwd"} }
func (a *authRequest) GetAudience() []string              { return []string{a.req.ClientID} }
func (a *authRequest) GetAuthTime() time.Time             { return a.authTime }
func (a *authRequest) GetClientID() string                { return a.req.ClientID }
func (a *authRequest) GetNonce() string                   { return a.req.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.req.RedirectURI }
func (a *authRequest) GetScopes() []string                { return a.req.Scopes }
func (a *authRequest) GetState() string                   { return a.req.State }
func (a *authRequest) GetSubject() string                 { return a.subject }
func (a *authRequest) Done() bool                         { return a.done }
func (a *authRequest) GetResponseType() oidc.ResponseType { return a.req.ResponseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return a.req.ResponseMode }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	if a.req.CodeChallenge == "" {
		return nil
	}
	return &oidc.CodeChallenge{Challenge: a.req.CodeChallenge, Method: a.req.CodeChallengeMethod}
}

// ---- keys -----------------------------------------------------------------------

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k signingKey) Key() any                                    { return k.key }
func (k signingKey) ID() string                                  { return k.id }

type publicKey struct{ signingKey }

func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.key.PublicKey }

// ---- storage --------------------------------------------------------------------

type accessToken struct {
	subject  string
	clientID string
	scopes   []string
	expires  time.Time
}

// storage implements op.Storage in memory. It is per Provider: no globals.
type storage struct {
	cfg     Config
	key     signingKey
	clients map[string]Client
	users   map[string]User // by subject

	mu           sync.Mutex
	authRequests map[string]*authRequest
	codes        map[string]string // code -> auth request id
	tokens       map[string]*accessToken
}

var (
	_ op.Storage                        = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest      = (*storage)(nil)
	_ op.CanGetPrivateClaimsFromRequest = (*storage)(nil)
	_ op.CanTerminateSessionFromRequest = (*storage)(nil)
)

func newStorage(cfg Config, key *rsa.PrivateKey) *storage {
	s := &storage{
		cfg:          cfg,
		key:          signingKey{id: randomID(8), key: key},
		clients:      map[string]Client{},
		users:        map[string]User{},
		authRequests: map[string]*authRequest{},
		codes:        map[string]string{},
		tokens:       map[string]*accessToken{},
	}
	for _, c := range cfg.Clients {
		s.clients[c.ID] = c
	}
	for _, u := range cfg.Users {
		s.users[Subject(u.Username)] = u
	}
	return s
}

var errNotSupported = errors.New("not supported by the development identity provider")

// pruneLocked drops expired auth requests and tokens. s.mu must be held.
func (s *storage) pruneLocked(now time.Time) {
	for id, a := range s.authRequests {
		if now.Sub(a.created) > authRequestLifetime {
			s.deleteAuthRequestLocked(id)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, id)
		}
	}
}

func (s *storage) deleteAuthRequestLocked(id string) {
	delete(s.authRequests, id)
	for code, reqID := range s.codes {
		if reqID == id {
			delete(s.codes, code)
		}
	}
}

// CreateAuthRequest stores a validated /authorize request.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge != "" && req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("only code_challenge_method=S256 is supported")
	}
	if slices.Contains(req.Prompt, oidc.PromptNone) {
		// No browser sessions here: every authorization needs the form.
		return nil, oidc.ErrLoginRequired().WithDescription("the development provider keeps no sessions; prompt=none cannot succeed")
	}
	now := time.Now()
	a := &authRequest{id: randomID(16), created: now, req: *req, loginHint: req.LoginHint}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	s.authRequests[a.id] = a
	return a, nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authRequests[id]
	if !ok || time.Since(a.created) > authRequestLifetime {
		return nil, errors.New("auth request not found or expired")
	}
	return a, nil
}

// pendingAuthRequest returns a copy of the auth request waiting for a login.
func (s *storage) pendingAuthRequest(id string) (authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authRequests[id]
	if !ok || a.done || time.Since(a.created) > authRequestLifetime {
		return authRequest{}, false
	}
	return *a, true
}

// completeLogin marks the auth request as authenticated by subject.
func (s *storage) completeLogin(id, subject string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.authRequests[id]
	if !ok || a.done || time.Since(a.created) > authRequestLifetime {
		return errors.New("auth request not found, expired or already used")
	}
	a.subject, a.authTime, a.done = subject, time.Now(), true
	return nil
}

func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, errors.New("unknown or used code")
	}
	a, ok := s.authRequests[id]
	if !ok || time.Since(a.created) > authRequestLifetime {
		return nil, errors.New("auth request expired")
	}
	return a, nil
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authRequests[id]; !ok {
		return errors.New("auth request not found")
	}
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest is called once the code was exchanged: codes are single use.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteAuthRequestLocked(id)
	return nil
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	var clientID string
	switch r := req.(type) {
	case *authRequest:
		clientID = r.GetClientID()
	default:
		return "", time.Time{}, errNotSupported
	}
	id := randomID(16)
	exp := time.Now().Add(accessTokenLifetime).UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[id] = &accessToken{subject: req.GetSubject(), clientID: clientID, scopes: req.GetScopes(), expires: exp}
	return id, exp, nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not supported")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, oidc.ErrInvalidGrant().WithDescription("refresh tokens are not supported")
}

// TerminateSession forgets the user's access tokens for the client.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, t := range s.tokens {
		if t.subject == userID && (clientID == "" || t.clientID == clientID) {
			delete(s.tokens, id)
		}
	}
	return nil
}

// TerminateSessionFromRequest ends the session; the redirect URI was
// validated by op against the client's post-logout globs (or is the default
// logged-out page).
func (s *storage) TerminateSessionFromRequest(ctx context.Context, req *op.EndSessionRequest) (string, error) {
	if req.UserID != "" {
		if err := s.TerminateSession(ctx, req.UserID, req.ClientID); err != nil {
			return "", err
		}
	}
	return req.RedirectURI, nil
}

func (s *storage) RevokeToken(_ context.Context, tokenOrID, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tokenOrID)
	return nil
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, fmt.Errorf("unknown client %q", id)
	}
	return opClient{c}, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.clients[id]
	if !ok || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return errors.New("invalid client credentials")
	}
	return nil
}

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's user claims.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	return s.fillUserinfo(info, req.GetSubject())
}

// SetUserinfoFromToken answers /userinfo for a live access token.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || t.subject != subject || time.Now().After(t.expires) {
		return errors.New("access token is not active")
	}
	return s.fillUserinfo(info, subject)
}

func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || t.subject != subject || time.Now().After(t.expires) {
		return errors.New("access token is not active")
	}
	info := new(oidc.UserInfo)
	if err := s.fillUserinfo(info, subject); err != nil {
		return err
	}
	resp.SetUserInfo(info)
	resp.Active = true
	resp.Scope = t.scopes
	resp.ClientID = t.clientID
	resp.Audience = oidc.Audience{t.clientID}
	resp.Expiration = oidc.FromTime(t.expires)
	resp.Username = info.PreferredUsername
	_ = clientID
	return nil
}

// GetPrivateClaimsFromScopes is used by op only when
// GetPrivateClaimsFromRequest is absent; both give the same claims.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, userID, _ string, _ []string) (map[string]any, error) {
	return s.privateClaims(userID)
}

// GetPrivateClaimsFromRequest adds the user claims to the JWT access token.
func (s *storage) GetPrivateClaimsFromRequest(_ context.Context, req op.TokenRequest, _ []string) (map[string]any, error) {
	return s.privateClaims(req.GetSubject())
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errNotSupported
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errNotSupported
}

func (s *storage) Health(context.Context) error { return nil }

// fillUserinfo sets every user claim, whatever the scopes: this is a
// development provider and the application relies on them.
func (s *storage) fillUserinfo(info *oidc.UserInfo, subject string) error {
	u, ok := s.users[subject]
	if !ok {
		return fmt.Errorf("unknown subject %q", subject)
	}
	info.Subject = subject
	info.PreferredUsername = u.Username
	info.Name = u.Name
	info.Email = u.Email
	info.EmailVerified = true
	for k, v := range customClaims(u) {
		info.AppendClaims(k, v)
	}
	return nil
}

func (s *storage) privateClaims(subject string) (map[string]any, error) {
	u, ok := s.users[subject]
	if !ok {
		return nil, fmt.Errorf("unknown subject %q", subject)
	}
	claims := customClaims(u)
	claims["preferred_username"] = u.Username
	claims["name"] = u.Name
	claims["email"] = u.Email
	claims["email_verified"] = true
	return claims, nil
}

// customClaims are the non-standard claims: roles (always, possibly
// empty) and org (only when set).
func customClaims(u User) map[string]any {
	roles := slices.Clone(u.Roles)
	if roles == nil {
		roles = []string{}
	}
	c := map[string]any{"roles": roles}
	if u.Organisation != "" {
		c["org"] = u.Organisation
	}
	return c
}
