// Package tenancy knows the districts (tenants) and the regions that oversee them: their
// definitions in tenants/*.yaml, their provisioning, their resolution from the Host header
// and the tenant-scoped transaction every district handler runs in.
package tenancy

import (
	"regexp"
	"strings"

	"github.com/ambiti/ambiti/internal/apperr"
)

// slugRE is the only shape a district or region slug may have. Schema names are derived from
// validated slugs, never taken from input.
var slugRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,38}[a-z0-9]$`)

// ValidSlug reports whether s is a well-formed slug (3–40 characters, lower case).
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// SchemaName returns the PostgreSQL schema of the district slug: "valle-trompia" →
// "t_valle_trompia". Returns an Invalid error, and no name, for a malformed slug.
func SchemaName(slug string) (string, error) {
	if !ValidSlug(slug) {
		return "", apperr.Invalidf("slug", "identificativo del distretto non valido: %q", "malformed district slug: %q", slug)
	}
	return "t_" + strings.ReplaceAll(slug, "-", "_"), nil
}
