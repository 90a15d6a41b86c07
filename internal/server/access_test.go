package server

import (
	"net/netip"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
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

func TestAuditTarget(t *testing.T) {
	for _, tc := range []struct {
		name      string
		req, resp any
		want      string
	}{
		{"created: the response's name", &pb.CreateListingRequest{Parent: "producers/a"}, &pb.Listing{Name: "producers/a/listings/x"}, "producers/a/listings/x"},
		{"refused create: the parent", &pb.CreateListingRequest{Parent: "producers/a"}, nil, "producers/a"},
		{"refused update: the resource's name", &pb.UpdateRequirementRequest{Requirement: &pb.Requirement{Name: "requirements/r1"}}, nil, "requirements/r1"},
		{"refused proposal: its buying request", &pb.CreateMatchRequest{Match: &pb.Match{BuyingRequest: "buyers/b/buyingRequests/r"}}, nil, "buyers/b/buyingRequests/r"},
		{"by name", &pb.DeleteBuyerRequest{Name: "buyers/b"}, nil, "buyers/b"},
		{"nothing named", &pb.UpdateExchangeRatesRequest{}, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := tc.resp
			if resp == nil {
				resp = (*pb.Listing)(nil)
			}
			if got := auditTarget(tc.req, resp); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
