package auth

import (
	"context"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/ambiti/ambiti/internal/apperr"
	"github.com/ambiti/ambiti/internal/tenancy"
)

// PlatformDomain is the login domain of the platform host (regional users, operators).
const PlatformDomain = "platform"

// Client is how one login domain (a district, or the platform) talks to its identity provider.
type Client struct {
	Domain            string
	Issuer            string
	ClientID          string
	ClientSecret      string
	RolesClaim        string
	OrganisationClaim string
	// Grants maps the values of the roles claim to roles per domain.
	Grants func(values []string) map[string][]string
}

// PlatformClientConfig configures the platform host's login.
type PlatformClientConfig struct {
	Issuer, ClientID, ClientSecret string
}

// districtClient builds a district's client from its definition; the secret comes from the
// environment variable the definition names.
func districtClient(t tenancy.Tenant, getenv func(string) string) (Client, error) {
	o := t.OIDC
	if o.Issuer == "" || o.ClientID == "" {
		return Client{}, apperr.New(apperr.Unavailable, "accesso non configurato per questo distretto", "login is not configured for this district")
	}
	secret := ""
	if o.ClientSecretEnv != "" {
		secret = getenv(o.ClientSecretEnv)
	}
	claim := o.RolesClaim
	if claim == "" {
		claim = "roles"
	}
	mapping := o.RoleMapping
	return Client{
		Domain: t.Slug, Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: secret,
		RolesClaim: claim, OrganisationClaim: o.OrganisationClaim,
		Grants: func(values []string) map[string][]string {
			var roles []string
			for _, v := range values {
				if r, ok := mapping[v]; ok && !contains(roles, r) {
					roles = append(roles, r)
				}
			}
			return map[string][]string{t.Slug: roles}
		},
	}, nil
}

var platformGrantRE = regexp.MustCompile(`^region:([a-z][a-z0-9-]{1,38}[a-z0-9]):regione$`)

// platformClient builds the platform host's client. Its roles claim speaks in domains:
// "region:<slug>:regione" makes a regional user of that region, "platform:operator" an operator.
func platformClient(c PlatformClientConfig) (Client, error) {
	if c.Issuer == "" || c.ClientID == "" {
		return Client{}, apperr.New(apperr.Unavailable, "accesso alla piattaforma non configurato", "platform login is not configured")
	}
	return Client{
		Domain: PlatformDomain, Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: c.ClientSecret, RolesClaim: "roles",
		Grants: func(values []string) map[string][]string {
			out := map[string][]string{}
			for _, v := range values {
				if m := platformGrantRE.FindStringSubmatch(v); m != nil {
					out["region:"+m[1]] = []string{"regione"}
				} else if v == "platform:operator" {
					out[PlatformDomain] = []string{"operator"}
				}
			}
			return out
		},
	}, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// providers caches OIDC discovery per issuer. A failed discovery is retried, at most every
// few seconds, so an identity provider that was down at start is picked up when it comes back.
type providers struct {
	client *http.Client
	mu     sync.Mutex
	byURL  map[string]*oidc.Provider
	failed map[string]time.Time
}

func (p *providers) get(ctx context.Context, issuer string) (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pr, ok := p.byURL[issuer]; ok {
		return pr, nil
	}
	if t, ok := p.failed[issuer]; ok && time.Since(t) < 3*time.Second {
		return nil, errIdPDown
	}
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	pr, err := oidc.NewProvider(oidc.ClientContext(dctx, p.client), issuer)
	if err != nil {
		if p.failed == nil {
			p.failed = map[string]time.Time{}
		}
		p.failed[issuer] = time.Now()
		return nil, apperr.Wrap(apperr.Unavailable, err, errIdPDown.Message, errIdPDown.MessageEN)
	}
	if p.byURL == nil {
		p.byURL = map[string]*oidc.Provider{}
	}
	p.byURL[issuer] = pr
	return pr, nil
}

var errIdPDown = apperr.New(apperr.Unavailable, "il servizio di identità non risponde: riprovare tra poco", "the identity provider does not answer: try again shortly")
