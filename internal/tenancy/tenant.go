package tenancy

import (
	"context"

	"github.com/ambiti/ambiti/internal/apperr"
)

// Tenant is a provisioned district, as the platform schema records it.
type Tenant struct {
	Slug          string  `json:"slug"`
	Name          string  `json:"name"`
	ShortName     string  `json:"short_name"`
	Region        string  `json:"region"`
	RegionName    string  `json:"region_name"`
	LeadBody      string  `json:"lead_body"`
	Schema        string  `json:"-"`
	Status        string  `json:"status"`
	SchemaVersion int64   `json:"schema_version"`
	OIDC          OIDCDef `json:"-" gorm:"-"` // where the district's users log in
}

type tenantKey struct{}

// WithTenant returns a context carrying t: the request's district.
func WithTenant(ctx context.Context, t Tenant) context.Context {
	return context.WithValue(ctx, tenantKey{}, t)
}

// FromContext returns the district the context carries, if any.
func FromContext(ctx context.Context) (Tenant, bool) {
	t, ok := ctx.Value(tenantKey{}).(Tenant)
	return t, ok
}

// errNoTenant is a programming error: district code ran outside a district request.
var errNoTenant = apperr.New(apperr.Internal, "nessun distretto nel contesto della richiesta", "no district in the request context")
