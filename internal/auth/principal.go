// Package auth establishes who is making a request: OpenID Connect login per district
// (authorization code + PKCE, state, nonce) ending in a server-side session, or a Bearer token
// verified on every request. A credential is only ever valid on the host it was issued for.
package auth

import "context"

// Principal is the authenticated person behind a request.
type Principal struct {
	IdentityID   string `json:"id"`
	Username     string `json:"username"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation,omitempty"` // a partner's organisation code, in this district
	Domain       string `json:"-"`                      // where the credential is valid: district slug or "platform"
	Via          string `json:"via"`                    // "session" or "bearer"
	CSRFToken    string `json:"-"`                      // sessions only: required on every unsafe request
	sessionHash  string
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the authenticated person of the request, if any.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}
