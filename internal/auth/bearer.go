package auth

import (
	"context"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/ambiti/ambiti/internal/apperr"
)

var errBadToken = apperr.New(apperr.Unauthenticated, "token di accesso non valido, scaduto o destinato a un altro distretto", "access token invalid, expired or issued for another district")

// verifyBearer checks a token for the request's host on every request: signature against the
// issuer's published keys (RS256 only: no "none"), issuer, audience = this host's client, expiry.
func (s *Service) verifyBearer(ctx context.Context, raw string) (Principal, error) {
	c, err := s.clientFor(ctx)
	if err != nil {
		return Principal{}, err
	}
	pr, err := s.providers.get(ctx, c.Issuer)
	if err != nil {
		return Principal{}, err
	}
	tok, err := pr.Verifier(&oidc.Config{ClientID: c.ClientID, SupportedSigningAlgs: []string{oidc.RS256}, Now: s.now}).Verify(oidc.ClientContext(ctx, s.http), raw)
	if err != nil {
		return Principal{}, apperr.Wrap(apperr.Unauthenticated, err, errBadToken.Message, errBadToken.MessageEN)
	}
	var raw2 map[string]any
	if err := tok.Claims(&raw2); err != nil {
		return Principal{}, errBadToken
	}
	cl := readClaims(raw2, c)
	id, org, err := s.resolve(ctx, c, cl)
	if err != nil {
		return Principal{}, err
	}
	return Principal{IdentityID: id, Username: cl.Username, Name: cl.Name, Email: cl.Email, Organisation: org, Domain: c.Domain, Via: "bearer"}, nil
}
