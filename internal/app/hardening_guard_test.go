package app_test

import (
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
)

// refusedCount reads temubisnis_rest_refused_total{reason} from /metrics.
func (e *env) refusedCount(reason string) int {
	e.t.Helper()
	m := e.do("GET", "/metrics", nil).raw
	re := regexp.MustCompile(`(?m)^temubisnis_rest_refused_total\{reason="` + reason + `"\} (\d+)$`)
	sub := re.FindStringSubmatch(m)
	if sub == nil {
		return 0
	}
	n, _ := strconv.Atoi(sub[1])
	return n
}

// TestAnonymousWriteRefusedBeforeBody is issue 10 item 8: an anonymous
// caller's 589 KB JSON body of 40,000 keys was decoded, re-encoded and
// decoded again before the 401. The 401 now comes before the body is read:
// the body here is a pipe the test never writes to, so a server that read
// it would never answer.
func TestAnonymousWriteRefusedBeforeBody(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	for _, path := range []string{"/v1/producers", "/v1/producers/kendang-jaya-nglegok/listings", "/v1/matches/m1:accept"} {
		pr, pw := io.Pipe()
		t.Cleanup(func() { _ = pw.Close() })
		req, err := http.NewRequest(http.MethodPost, e.baseURL+path, pr)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = 589 << 10
		req.Header.Set("Content-Type", "application/json")
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v (the server waited for the body?)", path, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("anonymous POST %s: HTTP %d, want 401 with a Bearer challenge", path, resp.StatusCode)
		}
	}
	if n := e.refusedCount("unauthenticated"); n < 3 {
		t.Errorf("temubisnis_rest_refused_total{reason=unauthenticated} = %d, want at least 3", n)
	}
	// The refused writes are in the audit trail, as before.
	r := e.do("GET", "/v1/auditEvents?filter="+`outcome%20%3D%20%22UNAUTHENTICATED%22`, nil).must(t, http.StatusOK)
	if events, _ := r.body["auditEvents"].([]any); len(events) < 3 {
		t.Errorf("%d audited refusals, want 3: %s", len(events), r.raw)
	}
}

// TestJSONShapeLimits is issue 10 item 8 for signed-in callers: bodies
// nested deeper or with larger objects than any message needs are refused
// with 400 naming the body, before the gateway decodes them.
func TestJSONShapeLimits(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	producer := e.token(auth.RoleProducer, "producers/kendang-jaya-nglegok")
	var wide strings.Builder
	wide.WriteString(`{"title":"x","attributes":{`)
	for i := range 40000 {
		if i > 0 {
			wide.WriteString(",")
		}
		wide.WriteString(`"k` + strconv.Itoa(i) + `":"v"`)
	}
	wide.WriteString("}}")
	deep := strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100)
	for name, body := range map[string]string{"40,000 keys": wide.String(), "100 levels": deep} {
		t.Run(name, func(t *testing.T) {
			r := e.doAs(producer, "POST", "/v1/producers/kendang-jaya-nglegok/listings", body).must(t, http.StatusBadRequest)
			if v := r.violations(); len(v) != 1 || v[0] != "body" {
				t.Errorf("violations %v, want body; %s", v, r.raw)
			}
		})
	}
	if n := e.refusedCount("body_too_complex"); n != 2 {
		t.Errorf("temubisnis_rest_refused_total{reason=body_too_complex} = %d, want 2", n)
	}
}

// TestGatewayRefusalsAreRateLimited is issue 10 item 9: requests the
// gateway refuses itself (unknown routes, bad JSON, bad UTF-8) never met
// the rate limit, which lived in the gRPC interceptor. With one request per
// second per address (bursts of two), the third of them is 429.
func TestGatewayRefusalsAreRateLimited(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, method, path string
		body               any
	}{
		{"unknown route", "GET", "/v1/no-such-collection", nil},
		{"bad JSON", "POST", "/v1/producers", `{"displayName":`},
		{"bad UTF-8", "GET", "/v1/producers/%FF", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := start(t, startOpts{args: []string{"-rate-limit-address", "1"}})
			first := e.do(c.method, c.path, c.body).code
			if first == http.StatusTooManyRequests || first < 400 {
				t.Fatalf("first request: HTTP %d", first)
			}
			e.do(c.method, c.path, c.body)
			r := e.do(c.method, c.path, c.body).must(t, http.StatusTooManyRequests)
			if r.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		})
	}
}
