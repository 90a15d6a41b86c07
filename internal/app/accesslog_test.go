package app_test

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
)

// logLines collects log lines and lets a test wait for one.
type logLines struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newLogLines() *logLines { return &logLines{changed: make(chan struct{})} }

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	close(l.changed)
	l.changed = make(chan struct{})
	return l.buf.Write(p)
}

// waitFor returns the first line holding every one of parts, waiting for
// the server to write it; it fails the test after 10 seconds.
func (l *logLines) waitFor(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		l.mu.Lock()
		text, changed := l.buf.String(), l.changed
		l.mu.Unlock()
	lines:
		for _, line := range strings.Split(text, "\n") {
			for _, p := range parts {
				if !strings.Contains(line, p) {
					continue lines
				}
			}
			return line
		}
		select {
		case <-changed:
		case <-deadline:
			t.Fatalf("no log line with %q in:\n%s", parts, text)
		}
	}
}

func (l *logLines) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func field(line, key string) string {
	for _, f := range strings.Fields(line) {
		if v, ok := strings.CutPrefix(f, key+"="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// Every REST request has one access-log line, tied by its request id to the
// log line of the gRPC call the gateway made for it; neither holds the
// token or the body.
func TestAccessLog(t *testing.T) {
	t.Parallel()
	logs := newLogLines()
	e := start(t, startOpts{seed: config.SeedDemo, logTo: logs})
	producer := "producers/kendang-jaya-nglegok"
	tok := e.token(auth.RoleProducer, producer)
	r := e.doAs(tok, http.MethodPatch, "/v1/"+producer+"?updateMask=village", map[string]any{"village": "Desa-Rahasia-Penataran"}).must(t, http.StatusOK)
	id := r.header.Get("X-Request-Id")
	if len(id) != 16 {
		t.Fatalf("X-Request-Id %q", id)
	}

	access := logs.waitFor(t, `msg="http request"`, "request_id="+id)
	for key, want := range map[string]string{
		"http.method":    "PATCH",
		"http.route":     "/v1/{producer.name=producers/*}",
		"http.status":    "200",
		"client.address": "127.0.0.1",
	} {
		if got := field(access, key); got != want {
			t.Errorf("%s = %q, want %q in %s", key, got, want, access)
		}
	}
	if field(access, "http.response_bytes") == "0" || field(access, "duration") == "" {
		t.Errorf("no size or duration in %s", access)
	}
	call := logs.waitFor(t, "grpc.method=UpdateProducer", "request_id="+id)
	if field(call, "client.address") != "127.0.0.1" {
		t.Errorf("the gRPC line lacks the client's address: %s", call)
	}
	if strings.Count(logs.text(), "request_id="+id) != 2 {
		t.Errorf("want exactly the access line and the gRPC line with request id %s", id)
	}

	// A request the gateway does not route, and one outside it.
	e.do(http.MethodGet, "/v1/nothing/here", nil).must(t, http.StatusNotFound)
	logs.waitFor(t, `msg="http request"`, "http.status=404", "http.route=/v1/")
	e.do(http.MethodGet, "/openapi.v3.json", nil).must(t, http.StatusOK)
	logs.waitFor(t, `msg="http request"`, `http.route="GET /openapi.v3.json"`)

	log := logs.text()
	for _, secret := range []string{tok, e.admin, "Desa-Rahasia-Penataran"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q", secret[:min(len(secret), 24)])
		}
	}
}
