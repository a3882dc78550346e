package tenancy

import (
	"net"
	"strings"
)

// HostKind says what a request's Host header names.
type HostKind int

// The kinds of host.
const (
	UnknownHost  HostKind = iota // neither the platform nor a well-formed district subdomain
	PlatformHost                 // the base domain itself: login chooser, regional views, operations
	DistrictHost                 // <slug>.<base domain>
)

// ParseHost classifies host (a Host header, port optional) against baseDomain. For a district
// host it returns the slug, already validated. Host names are compared exactly: Ambiti's own
// links and browsers send them in lower case, and anything else is not ours.
func ParseHost(host, baseDomain string) (HostKind, string) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "" || baseDomain == "" {
		return UnknownHost, ""
	}
	if host == baseDomain {
		return PlatformHost, ""
	}
	slug, ok := strings.CutSuffix(host, "."+baseDomain)
	if !ok || !ValidSlug(slug) {
		return UnknownHost, ""
	}
	return DistrictHost, slug
}
