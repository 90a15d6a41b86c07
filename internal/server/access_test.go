package server

import (
	"net/netip"
	"testing"
)

func TestClientAddress(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32")}
	for _, tc := range []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxies: the header is ignored", "203.0.113.9:5000", []string{"198.51.100.1"}, nil, "203.0.113.9"},
		{"untrusted peer: the header is ignored", "203.0.113.9:5000", []string{"198.51.100.1"}, proxies, "203.0.113.9"},
		{"one trusted proxy", "10.1.2.3:443", []string{"198.51.100.1"}, proxies, "198.51.100.1"},
		{"a client's own forgery stays left of the real hop", "10.1.2.3:443", []string{"1.2.3.4, 198.51.100.1"}, proxies, "198.51.100.1"},
		{"two trusted proxies", "10.1.2.3:443", []string{"198.51.100.1, 192.0.2.7"}, proxies, "198.51.100.1"},
		{"several header lines", "10.1.2.3:443", []string{"198.51.100.1", "10.9.9.9"}, proxies, "198.51.100.1"},
		{"malformed hop: trust stops", "10.1.2.3:443", []string{"198.51.100.1, garbage"}, proxies, "10.1.2.3"},
		{"only proxies: the leftmost hop", "10.1.2.3:443", []string{"10.4.4.4, 10.5.5.5"}, proxies, "10.4.4.4"},
		{"untrusted IPv4-mapped peer is unmapped", "[::ffff:203.0.113.9]:443", nil, proxies, "203.0.113.9"},
		{"IPv6 client", "[::ffff:10.1.2.3]:443", []string{"2001:db8::1"}, proxies, "2001:db8::1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := clientAddress(tc.remote, tc.xff, tc.trusted); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
