package ratelimit

import "testing"

func TestClientIP(t *testing.T) {
	tests := []struct{ in, want string }{
		{"203.0.113.5:443", "203.0.113.5"},
		{"203.0.113.5", "203.0.113.5"},
		{"[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff:ffff:ffff:ffff]:1", "2001:db8:1:2::/64"}, // same /64, same bucket
		{"[2001:db8:1:3::1]:443", "2001:db8:1:3::/64"},                // next /64, another bucket
		{"2001:db8:1:2::9", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2::9]", "2001:db8:1:2::/64"},
		{"[fe80::1%eth0]:8080", "fe80::/64"},
		{"[::ffff:203.0.113.5]:80", "203.0.113.5"}, // IPv4 over a dual-stack socket
		{"[::1]:9090", "::/64"},
		{"127.0.0.1:9090", "127.0.0.1"},
		{"", ""},
		{"@", "@"},
		{"/run/temubisnis.sock", "/run/temubisnis.sock"},
		{"example.com:443", "example.com:443"},
		{"not an address", "not an address"},
	}
	for _, tt := range tests {
		if got := ClientIP(tt.in); got != tt.want {
			t.Errorf("ClientIP(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
