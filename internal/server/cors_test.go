package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseOrigins(t *testing.T) {
	valid := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"*", []string{"*"}},
		{" * ", []string{"*"}},
		{"https://app.example.com", []string{"https://app.example.com"}},
		{"https://app.example.com, http://localhost:5173", []string{"https://app.example.com", "http://localhost:5173"}},
		{"HTTPS://App.Example.COM", []string{"https://app.example.com"}},
		{"https://app.example.com:443,http://app.example.com:80", []string{"https://app.example.com", "http://app.example.com"}},
		{"https://app.example.com:8443", []string{"https://app.example.com:8443"}},
		{"http://127.0.0.1:3000", []string{"http://127.0.0.1:3000"}},
		{"http://[::1]:3000", []string{"http://[::1]:3000"}},
		{"https://[2001:DB8::1]", []string{"https://[2001:db8::1]"}},
		{"https://xn--bcher-kva.example", []string{"https://xn--bcher-kva.example"}},
		{"https://a.example,https://a.example:443,https://A.example", []string{"https://a.example"}},
	}
	for _, tt := range valid {
		got, err := parseOrigins(tt.in)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("parseOrigins(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}

	invalid := []struct{ in, bad, why string }{
		{"https://app.example.com/", "https://app.example.com/", "path"},
		{"https://app.example.com/app", "https://app.example.com/app", "path"},
		{"https://app.example.com?x=1", "https://app.example.com?x=1", "query"},
		{"https://app.example.com?", "https://app.example.com?", "query"},
		{"https://app.example.com#top", "https://app.example.com#top", "fragment"},
		{"https://app.example.com#", "https://app.example.com#", "fragment"},
		{"app.example.com", "app.example.com", "scheme://host"},
		{"app.example.com:443", "app.example.com:443", "scheme://host"},
		{"//app.example.com", "//app.example.com", "http or https"},
		{"ftp://app.example.com", "ftp://app.example.com", "http or https"},
		{"https://", "https://", "scheme://host"},
		{"https://:443", "https://:443", "no host"},
		{"https://user:pw@app.example.com", "https://user:pw@app.example.com", "user info"},
		{"https://*.example.com", "https://*.example.com", "wildcard"},
		{"https://app.example.com:", "https://app.example.com:", "empty port"},
		{"https://app.example.com:0", "https://app.example.com:0", "port"},
		{"https://app.example.com:99999", "https://app.example.com:99999", "port"},
		{"https://bücher.example", "https://bücher.example", "xn--"},
		{"https://app example.com", "https://app example.com", "contains"},
		{"null", "null", "not an origin"},
		{"https://ok.example, nonsense", "nonsense", "not an origin"},
		{"https://ok.example,", "entry 2 of 2", "empty"},
		{"https://ok.example,,https://b.example", "entry 2 of 3", "empty"},
		{"*, https://app.example.com", `"*"`, "only entry"},
		{"https://app.example.com,*", `"*"`, "only entry"},
	}
	for _, tt := range invalid {
		got, err := parseOrigins(tt.in)
		if err == nil {
			t.Errorf("parseOrigins(%q) = %q, want an error", tt.in, got)
			continue
		}
		if !strings.Contains(err.Error(), tt.bad) || !strings.Contains(err.Error(), tt.why) {
			t.Errorf("parseOrigins(%q): error %q should name %q and say %q", tt.in, err, tt.bad, tt.why)
		}
	}
}

// corsServer serves withCORS(origins) around a handler that counts calls
// and, for /busy, answers 429 with Retry-After like the rate limiter will.
func corsServer(t *testing.T, origins string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	list, err := parseOrigins(origins)
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path == "/busy" {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	})
	srv := httptest.NewServer(withCORS(h, list))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func do(t *testing.T, method, url string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func preflight(origin, method, headers string) map[string]string {
	h := map[string]string{"Origin": origin, "Access-Control-Request-Method": method}
	if headers != "" {
		h["Access-Control-Request-Headers"] = headers
	}
	return h
}

func TestCORSPreflight(t *testing.T) {
	srv, calls := corsServer(t, "https://app.example.com, http://localhost:5173")
	const app = "https://app.example.com"

	for _, method := range []string{"GET", "POST", "PATCH", "DELETE"} {
		resp := do(t, http.MethodOptions, srv.URL+"/v1/requirements", preflight(app, method, "authorization,content-type"))
		h := resp.Header
		if resp.StatusCode != http.StatusNoContent ||
			h.Get("Access-Control-Allow-Origin") != app ||
			h.Get("Access-Control-Allow-Methods") != method ||
			h.Get("Access-Control-Allow-Headers") != "authorization,content-type" ||
			h.Get("Access-Control-Max-Age") != "600" ||
			h.Get("Access-Control-Allow-Credentials") != "" ||
			!strings.Contains(h.Get("Vary"), "Origin") {
			t.Errorf("preflight for %s from %s: %d %v", method, app, resp.StatusCode, h)
		}
	}
	if resp := do(t, http.MethodOptions, srv.URL+"/", preflight("http://localhost:5173", "GET", "")); resp.Header.Get("Access-Control-Allow-Origin") != "http://localhost:5173" {
		t.Errorf("second origin refused: %v", resp.Header)
	}

	refused := map[string]map[string]string{
		"other origin":           preflight("https://evil.example", "GET", "authorization"),
		"origin's other scheme":  preflight("http://app.example.com", "GET", ""),
		"origin's other port":    preflight("https://app.example.com:8443", "GET", ""),
		"subdomain":              preflight("https://x.app.example.com", "GET", ""),
		"null origin":            preflight("null", "GET", ""),
		"method not allowed":     preflight(app, "PUT", ""),
		"header not allowed":     preflight(app, "POST", "authorization,x-custom"),
		"cookie-style is absent": preflight(app, "POST", "cookie"),
	}
	for name, header := range refused {
		resp := do(t, http.MethodOptions, srv.URL+"/v1/requirements", header)
		for k := range resp.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("%s: preflight answered with %s: %v", name, k, resp.Header)
			}
		}
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("preflights reached the handler %d times", n)
	}
}

func TestCORSSimpleRequests(t *testing.T) {
	srv, calls := corsServer(t, "https://app.example.com")
	const app = "https://app.example.com"

	resp := do(t, http.MethodGet, srv.URL+"/v1/producers", map[string]string{"Origin": app})
	if resp.StatusCode != http.StatusOK ||
		resp.Header.Get("Access-Control-Allow-Origin") != app ||
		resp.Header.Get("Access-Control-Expose-Headers") != "Retry-After" ||
		resp.Header.Get("Access-Control-Allow-Credentials") != "" ||
		!strings.Contains(resp.Header.Get("Vary"), "Origin") {
		t.Errorf("GET from %s: %d %v", app, resp.StatusCode, resp.Header)
	}

	// A refusal from the handler carries the headers, so the page can read
	// the 429 and its Retry-After.
	resp = do(t, http.MethodPost, srv.URL+"/busy", map[string]string{"Origin": app})
	if resp.StatusCode != http.StatusTooManyRequests ||
		resp.Header.Get("Access-Control-Allow-Origin") != app ||
		resp.Header.Get("Access-Control-Expose-Headers") != "Retry-After" ||
		resp.Header.Get("Retry-After") != "3" {
		t.Errorf("429 to %s: %d %v", app, resp.StatusCode, resp.Header)
	}

	// Other origins and non-browser clients are served, without CORS
	// headers: the browser, not the server, withholds the answer.
	for _, header := range []map[string]string{{"Origin": "https://evil.example"}, nil} {
		resp := do(t, http.MethodGet, srv.URL+"/v1/producers", header)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("GET with %v: %d %v", header, resp.StatusCode, resp.Header)
		}
	}
	if n := calls.Load(); n != 4 {
		t.Errorf("handler called %d times, want 4", n)
	}
}

func TestCORSAnyOrigin(t *testing.T) {
	srv, _ := corsServer(t, "*")
	resp := do(t, http.MethodOptions, srv.URL+"/v1/producers", preflight("https://anything.example", "DELETE", "authorization"))
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight with \"*\": %v", resp.Header)
	}
	resp = do(t, http.MethodGet, srv.URL+"/v1/producers", map[string]string{"Origin": "https://anything.example"})
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET with \"*\": %v", resp.Header)
	}
}

type countingHandler struct{ calls int }

func (c *countingHandler) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	c.calls++
	w.WriteHeader(http.StatusMethodNotAllowed)
}

func TestCORSOffWithoutOrigins(t *testing.T) {
	h := &countingHandler{}
	if got := withCORS(h, nil); got != http.Handler(h) {
		t.Fatalf("withCORS(h, nil) wrapped h in %T", got)
	}
	srv := httptest.NewServer(withCORS(h, nil))
	defer srv.Close()
	resp := do(t, http.MethodOptions, srv.URL+"/v1/producers", preflight("https://app.example.com", "GET", ""))
	if resp.StatusCode != http.StatusMethodNotAllowed || h.calls != 1 {
		t.Errorf("preflight without CORS: %d, handler calls %d", resp.StatusCode, h.calls)
	}
	for k := range resp.Header {
		if strings.HasPrefix(k, "Access-Control-") || k == "Vary" {
			t.Errorf("CORS off, yet %s: %v", k, resp.Header)
		}
	}
}
