package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/adiekspor/temubisnis/internal/config"
)

// TestRESTInvalidUTF8 is issue 10 item 10: bytes that are not UTF-8 in a
// path variable or a query parameter answered a bare 500. They get 400 with a
// field violation naming the parameter.
func TestRESTInvalidUTF8(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	tests := []struct {
		method, path, field string
	}{
		{"GET", "/v1/producers/%FF", "name"},
		{"GET", "/v1/producers/kendang-jaya-nglegok/listings/%C3%28", "name"},
		{"GET", "/v1/producers/%FF/listings", "parent"},
		{"PATCH", "/v1/producers/%FE?updateMask=displayName", "producer.name"},
		{"POST", "/v1/matches/%FF:accept", "name"},
		{"GET", "/v1/listings:search?query=%FF%FE", "query"},
		{"GET", "/v1/producers?filter=%FF", "filter"},
		{"GET", "/v1/producers?pageToken=ab%FF", "page_token"},
		{"GET", "/v1/producers?%FF=1", "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			var body any
			if tt.method != "GET" {
				body = map[string]any{}
			}
			r := e.do(tt.method, tt.path, body).must(t, http.StatusBadRequest).grpc(t, 3)
			if !slices.Contains(r.violations(), tt.field) {
				t.Errorf("violations %v, want %q; body %s", r.violations(), tt.field, r.raw)
			}
		})
	}
}

// TestRESTMethodNotAllowed is issue 10 item 11: a method a path does not
// have answered 501. It gets 405 with an Allow header listing the methods
// the path has, and a google.rpc.Status body.
func TestRESTMethodNotAllowed(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	tests := []struct {
		method, path, allow string
	}{
		{"OPTIONS", "/v1/producers", "GET, POST"},
		{"PUT", "/v1/producers/kendang-jaya-nglegok", "DELETE, GET, PATCH"},
		{"DELETE", "/v1/listings:search", "GET"},
		{"GET", "/v1/matches/m1:accept", "POST"},
		{"TRACE", "/v1/auditEvents", "GET"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := e.do(tt.method, tt.path, nil).must(t, http.StatusMethodNotAllowed)
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			if r.body["code"] != float64(12) || !strings.Contains(r.str("message"), tt.method) {
				t.Errorf("body %s, want a google.rpc.Status naming the method", r.raw)
			}
		})
	}
	// Paths that exist for no method stay 404.
	e.do("OPTIONS", "/v1/no-such-collection", nil).must(t, http.StatusNotFound)
}
