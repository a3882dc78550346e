package devidp

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// CheckLoopbackAddr accepts only listen addresses on the loopback
// interface: 127.0.0.0/8, ::1 or localhost, with a port. An empty host
// (":9998", all interfaces) and any other address are refused: this
// provider must never be reachable from the network.
func CheckLoopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("devidp: listen address %q: %w", addr, err)
	}
	if port == "" {
		return fmt.Errorf("devidp: listen address %q has no port", addr)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback() {
		return nil
	}
	return fmt.Errorf("devidp: refusing to listen on %q: the development identity provider only listens on loopback (127.0.0.1, ::1 or localhost)", addr)
}
