package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/ambiti/ambiti/internal/apperr"
)

var errNotAccessToken = apperr.New(apperr.Unauthenticated, "è un ID token, non un token di accesso: le API accettano solo token di accesso", "this is an ID token, not an access token: the API accepts access tokens only")

var errBadToken = apperr.New(apperr.Unauthenticated, "token di accesso non valido, scaduto o destinato a un altro distretto", "access token invalid, expired or issued for another district")

// verifyBearer checks a token for the request's host: signature against the issuer's published
// keys (RS256 only: no "none"), issuer, audience = this host's client, expiry. A token that
// passed is remembered until it expires (verifiedTokens), so its signature is checked once.
func (s *Service) verifyBearer(ctx context.Context, raw string) (Principal, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return Principal{}, err
	}
	cl, ok := s.tokens.get(c, raw, s.now())
	if !ok {
		if cl, err = s.verifyToken(ctx, c, raw); err != nil {
			return Principal{}, err
		}
	}
	id, org, err := s.resolve(ctx, c, cl)
	if err != nil {
		return Principal{}, err
	}
	return Principal{IdentityID: id, Username: cl.Username, Name: cl.Name, Email: cl.Email, Organisation: org, Domain: c.Domain, Via: "bearer"}, nil
}

// verifyToken checks raw for c and remembers it when it passes.
func (s *Service) verifyToken(ctx context.Context, c Client, raw string) (claims, error) {
	pr, err := s.providers.get(ctx, c.Issuer)
	if err != nil {
		return claims{}, err
	}
	tok, err := pr.Verifier(&oidc.Config{ClientID: c.ClientID, SupportedSigningAlgs: []string{oidc.RS256}, Now: s.now}).Verify(oidc.ClientContext(ctx, s.http), raw)
	if err != nil {
		return claims{}, apperr.Wrap(apperr.Unauthenticated, err, errBadToken.Message, errBadToken.MessageEN)
	}
	var raw2 map[string]any
	if err := tok.Claims(&raw2); err != nil {
		return claims{}, errBadToken
	}
	if !isAccessToken(raw, raw2) {
		return claims{}, errNotAccessToken
	}
	cl := readClaims(raw2, c)
	s.tokens.put(c, raw, cl, tok.Expiry, s.now())
	return cl, nil
}

// isAccessToken tells an access token from an ID token of the same issuer and audience, which
// is signed by the same key and would otherwise pass every other check. An ID token says who
// logged in to the application; it is not a credential for the API, and it travels where an
// access token never should (logout URLs, the browser).
//
// Refused: anything carrying what only ID tokens carry (OpenID Connect Core §2, §3.1.3.6: nonce,
// at_hash, c_hash) or Keycloak's "typ": "ID". Accepted: a token declaring itself an access
// token (header typ "at+jwt", RFC 9068), or carrying what RFC 9068 access tokens carry
// (client_id, scope), or Keycloak's "typ": "Bearer".
func isAccessToken(raw string, claims map[string]any) bool {
	for _, idOnly := range []string{"nonce", "at_hash", "c_hash"} {
		if _, ok := claims[idOnly]; ok {
			return false
		}
	}
	switch typ, _ := claims["typ"].(string); {
	case strings.EqualFold(typ, "ID"):
		return false
	case strings.EqualFold(typ, "Bearer"):
		return true
	}
	if strings.EqualFold(headerType(raw), "at+jwt") {
		return true
	}
	_, hasClient := claims["client_id"]
	_, hasScope := claims["scope"]
	return hasClient || hasScope
}

// headerType is the JOSE header's "typ" of a compact JWT whose signature was already verified.
func headerType(raw string) string {
	head, _, _ := strings.Cut(raw, ".")
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h struct {
		Typ string `json:"typ"`
	}
	if json.Unmarshal(b, &h) != nil {
		return ""
	}
	return h.Typ
}
