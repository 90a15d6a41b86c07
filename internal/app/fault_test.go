package app_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

// dbProxy is a TCP proxy in front of the test database that the test can
// stop (listener closed, every connection cut: the service then sees
// refused connections, as when the database process dies) and start again
// on the same address.
type dbProxy struct {
	t       *testing.T
	backend string
	addr    string

	mu    sync.Mutex
	lis   net.Listener
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

func newDBProxy(t *testing.T, backendURI string) *dbProxy {
	t.Helper()
	u, err := url.Parse(backendURI)
	if err != nil {
		t.Fatal(err)
	}
	p := &dbProxy{t: t, backend: u.Host, conns: map[net.Conn]struct{}{}}
	p.listen("127.0.0.1:0")
	p.addr = p.lis.Addr().String()
	t.Cleanup(func() { p.stop(); p.wg.Wait() })
	return p
}

func (p *dbProxy) uri() string { return "mongodb://" + p.addr + "/" }

func (p *dbProxy) listen(addr string) {
	p.t.Helper()
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatalf("proxy listen on %s: %v", addr, err)
	}
	p.mu.Lock()
	p.lis = lis
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := lis.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() { defer p.wg.Done(); p.pipe(c) }()
		}
	}()
}

func (p *dbProxy) pipe(c net.Conn) {
	b, err := net.Dial("tcp", p.backend)
	if err != nil {
		_ = c.Close()
		return
	}
	if !p.track(c, b) {
		return
	}
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(b, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, b); done <- struct{}{} }()
	<-done
	_ = c.Close()
	_ = b.Close()
	<-done
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, b)
	p.mu.Unlock()
}

// track registers a connection pair, or closes it if the proxy stopped
// meanwhile.
func (p *dbProxy) track(c, b net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lis == nil {
		_ = c.Close()
		_ = b.Close()
		return false
	}
	p.conns[c], p.conns[b] = struct{}{}, struct{}{}
	return true
}

// stop closes the listener and cuts every connection.
func (p *dbProxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lis != nil {
		_ = p.lis.Close()
		p.lis = nil
	}
	for c := range p.conns {
		_ = c.Close()
	}
}

// start listens again on the same address.
func (p *dbProxy) start() { p.listen(p.addr) }

// retryInfo returns the RetryInfo and ErrorInfo reason of a gRPC error.
func retryInfo(err error) (time.Duration, string) {
	var d time.Duration
	var reason string
	for _, det := range status.Convert(err).Details() {
		switch x := det.(type) {
		case *errdetails.RetryInfo:
			d = x.GetRetryDelay().AsDuration()
		case *errdetails.ErrorInfo:
			reason = x.GetReason()
		}
	}
	return d, reason
}

// TestStoreOutage is issue 10 item 1: with the database gone, a REST create
// got no answer at all (the handler and then the audit write each waited
// out their own timeouts) and reads got 504. Now reads and writes, over both
// transports, answer UNAVAILABLE / 503 with Retry-After and a RetryInfo
// well within the request deadline; /readyz says the database is
// unreachable; and once the database is back the service serves again
// without a restart, with nothing written before the outage lost.
func TestStoreOutage(t *testing.T) {
	t.Parallel()
	proxy := newDBProxy(t, testdb.URI(t))
	const deadline = 8 * time.Second
	e := start(t, startOpts{args: []string{"-mongodb-uri", proxy.uri(), "-request-timeout", deadline.String()}})
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)

	proxy.stop()

	second := djembeMaker()
	second["businessId"], second["displayName"] = "9120001234568", "Jimbe Penataran"
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/v1/producers?producerId=jimbe-penataran", second},
		{"GET", "/v1/producers/kendang-jaya", nil},
		{"PATCH", "/v1/producers/kendang-jaya?updateMask=village", map[string]any{"village": "Modangan"}},
	} {
		// A 503 (not a 504, nor a cut connection) is the proof that the
		// answer came within the request deadline; no clock is read here,
		// because a busy machine must not fail the test.
		r := e.do(c.method, c.path, c.body)
		if r.code != http.StatusServiceUnavailable || r.body["code"] != float64(codes.Unavailable) {
			t.Errorf("%s %s with the database gone: HTTP %d %s, want 503 UNAVAILABLE", c.method, c.path, r.code, r.raw)
		}
		if r.header.Get("Retry-After") == "" {
			t.Errorf("%s %s: no Retry-After", c.method, c.path)
		}
		if !strings.Contains(r.raw, "RetryInfo") || !strings.Contains(r.raw, "STORE_UNAVAILABLE") {
			t.Errorf("%s %s: body lacks RetryInfo or the reason: %s", c.method, c.path, r.raw)
		}
	}
	_, err := e.producers.GetProducer(e.ctx(), &pb.GetProducerRequest{Name: "producers/kendang-jaya"})
	if d, reason := retryInfo(err); status.Code(err) != codes.Unavailable || d <= 0 || reason != "STORE_UNAVAILABLE" {
		t.Errorf("gRPC read with the database gone: %v (retry %v, reason %q), want UNAVAILABLE with RetryInfo", err, d, reason)
	}
	r := e.do("GET", "/readyz", nil)
	if r.code != http.StatusServiceUnavailable || !strings.Contains(r.raw, "database unreachable") {
		t.Errorf("/readyz: HTTP %d %q", r.code, r.raw)
	}
	if m := e.do("GET", "/metrics", nil).raw; !strings.Contains(m, `temubisnis_store_unavailable_total{reason="STORE_UNAVAILABLE"}`) {
		t.Error("no temubisnis_store_unavailable_total metric")
	}

	proxy.start()
	// Recovery without a restart: the driver reconnects on its own. Each
	// try waits inside the driver for the server to come back, so this is
	// no busy loop.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		_, err := e.producers.GetProducer(ctx, &pb.GetProducerRequest{Name: "producers/kendang-jaya"})
		if err == nil {
			break
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) || status.Code(err) != codes.Unavailable {
			t.Fatalf("after the database came back: %v", err)
		}
	}
	e.do("POST", "/v1/producers?producerId=jimbe-penataran", second).must(t, http.StatusOK)
	e.do("GET", "/readyz", nil).must(t, http.StatusOK)
	// The refused PATCH changed nothing, the create before the outage is
	// still there.
	if got := e.do("GET", "/v1/producers/kendang-jaya", nil).must(t, http.StatusOK).str("village"); got != "Kemloko" {
		t.Errorf("village %q after the outage, want Kemloko", got)
	}
}
