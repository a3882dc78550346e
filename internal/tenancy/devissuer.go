package tenancy

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
)

// DevIssuerPlaceholder, written as a district's oidc.issuer, stands for the development
// identity provider of the instance serving the district (the one `make run` starts, see
// deploy/dev/idp.yaml). The files keep the placeholder, and so does the database; each
// instance replaces it when it loads its districts (Registry, WithDevIssuer) with the issuer it
// was configured with (AMBITI_DEV_IDP_ISSUER), so that moving the development provider moves
// it for the platform host and every district alike, and two copies of the platform on other
// ports each log in to their own provider. An instance configured without a development issuer
// (production) offers no login for such a district. Only this exact value is replaced: an
// issuer written as a URL is used exactly as written, whatever the configuration.
const DevIssuerPlaceholder = "${AMBITI_DEV_IDP_ISSUER}"

// CheckDevIssuer validates a development issuer: http(s)://host[:port] with no path, query or
// credentials, on a loopback host (localhost, *.localhost, 127.0.0.0/8 or ::1) — the
// development provider listens on loopback only, so a value naming any other host is a
// mistake (or a production setting in the wrong place) and is refused.
func CheckDevIssuer(issuer string) error {
	u, err := url.Parse(issuer)
	if err != nil {
		return fmt.Errorf("development issuer %q: %w", issuer, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(issuer, "/") {
		return fmt.Errorf("development issuer %q: must be http(s)://host[:port], with no path, query or trailing slash", issuer)
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback() {
		return nil
	}
	return fmt.Errorf("development issuer %q: must be on loopback (localhost, 127.0.0.1 or [::1]): the development identity provider is never reachable from the network", issuer)
}

// withDevIssuer returns o with the development placeholder replaced by devIssuer (which is
// empty on an instance without development provider: the district then has no login). Any
// other issuer is returned unchanged.
func (o OIDCDef) withDevIssuer(devIssuer string) OIDCDef {
	if o.Issuer == DevIssuerPlaceholder {
		o.Issuer = devIssuer
	}
	return o
}
