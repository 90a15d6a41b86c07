package ratelimit

import (
	"net"
	"net/netip"
	"strings"
)

// ClientIP turns a peer address ("203.0.113.5:443", "[2001:db8::1]:443", as
// in http.Request.RemoteAddr or gRPC's peer.Addr.String(), or a bare IP) into
// the part a per-address limit should key on:
//
//   - IPv4: the address, "203.0.113.5".
//   - IPv4-mapped IPv6 (::ffff:203.0.113.5, seen on dual-stack sockets): the
//     IPv4 address, so one client gets one bucket however it connected.
//   - IPv6: its /64 prefix, "2001:db8:1:2::/64" (zone dropped).
//
// Why /64 for IPv6: a /64 is the smallest block handed to a network (a home,
// an office LAN, a cloud VM's interface); SLAAC and privacy extensions let
// every host in it pick any of its 2^64 addresses and change them at will.
// Keyed by full address, one host could take a fresh address, and so a
// fresh bucket, for every request, and per-address limits would limit
// nothing. Keyed by /64, a household or a host gets one bucket, like a NATed
// IPv4 household. Providers often delegate a /56 or /48 per customer, so a
// determined client may still own 256 to 65536 buckets; Keyed's entry cap
// keeps memory bounded in that case, and per-caller limits (by token
// subject) still apply.
//
// Anything that is not an IP address (a Unix socket path, "@", a malformed
// string) is returned unchanged, so distinct odd peers do not share a bucket
// by accident. ClientIP does not look at X-Forwarded-For: behind a reverse
// proxy every request would come from the proxy's address, and trusting the
// header needs a configured list of proxies.
func ClientIP(addr string) string {
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	} else if strings.HasPrefix(addr, "[") && strings.HasSuffix(addr, "]") {
		host = addr[1 : len(addr)-1]
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return addr
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is4() {
		return ip.String()
	}
	return netip.PrefixFrom(ip, 64).Masked().String()
}
