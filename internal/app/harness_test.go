package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/app"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/resttest"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

// TestMain lets 2 tests per CPU run at once: each starts a service on a
// database of its own and mostly waits (see testdb.ParallelPerCPU). More
// would gain little on a quiet machine and, on a busy one, stretch each
// test's calls towards their deadlines.
func TestMain(m *testing.M) {
	testdb.ParallelPerCPU(2)
	testdb.Main(m)
}

// env is one running service on a fresh database, reached the way users
// reach it: a real gRPC client and real HTTP requests.
type env struct {
	t         *testing.T
	app       *app.App
	producers pb.ProducerServiceClient
	buyers    pb.BuyerServiceClient
	matches   pb.MatchServiceClient
	conn      *grpc.ClientConn
	baseURL   string
	http      *http.Client
	// rest runs gRPC requests over the REST gateway.
	rest     resttest.Client
	database string
	dataDir  string
	// admin is a trade-office token; the gRPC clients and do send it unless
	// a call brings its own Authorization.
	admin string
	// stop shuts the service down (a restart test's "kill"); the test's
	// cleanup calls it too, and it runs once.
	stop func()
}

type startOpts struct {
	seed     string
	database string    // reuse a database (second replica); empty: a fresh one
	args     []string  // extra flags
	logTo    io.Writer // receives the service's log at debug level
	// rateLimitClock, when set, is the rate limiters' clock.
	rateLimitClock func() time.Time
}

func start(t *testing.T, o startOpts) *env {
	t.Helper()
	db := o.database
	if db == "" {
		db = testdb.New(t).Name()
	}
	seedMode := o.seed
	if seedMode == "" {
		seedMode = config.SeedNone
	}
	// Rate limits are off unless a test turns them on: the tests send
	// bursts no client would.
	dataDir := t.TempDir()
	cfg, err := config.Parse(append([]string{
		"-http-addr", "127.0.0.1:0", "-grpc-addr", "127.0.0.1:0",
		"-mongodb-uri", testdb.URI(t), "-database", db, "-seed", seedMode,
		"-data-dir", dataDir, "-rate-limit-address", "0", "-rate-limit-caller", "0",
		// The demo's deal history changes rankings the tests pin; the
		// statistics tests turn it on.
		"-demo-deals=false",
		// The notifier's rounds scan every collection; the tests of
		// notifications turn it on (fastNotify) or run its rounds.
		"-notify-interval", "0",
	}, o.args...), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	level := slog.LevelWarn
	if os.Getenv("TEMUBISNIS_TEST_LOG") != "" {
		level = slog.LevelDebug
	}
	var logTo io.Writer = os.Stderr
	if o.logTo != nil {
		logTo, level = o.logTo, slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: level}))
	ctx, cancel := context.WithCancel(context.Background())
	endStart := testdb.BeginStart()
	defer endStart()
	var appOpts []app.Option
	if o.rateLimitClock != nil {
		appOpts = append(appOpts, app.WithRateLimitClock(o.rateLimitClock))
	}
	a, err := app.Start(ctx, cfg, log, appOpts...)
	if err != nil {
		cancel()
		t.Fatalf("app.Start: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if err := a.WaitLoaded(ctx); err != nil {
		cancel()
		t.Fatalf("catalogue load: %v", err)
	}
	endStart()
	admin := mintToken(t, dataDir, auth.Principal{Subject: "test:trade-office", Role: auth.RoleTradeOffice})
	conn, err := grpc.NewClient(a.Server.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(defaultToken(admin)))
	if err != nil {
		t.Fatal(err)
	}
	stop := sync.OnceFunc(func() {
		_ = conn.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		a.Close()
	})
	t.Cleanup(stop)
	httpClient := &http.Client{Timeout: 10 * time.Second}
	return &env{
		t:         t,
		app:       a,
		producers: pb.NewProducerServiceClient(conn),
		buyers:    pb.NewBuyerServiceClient(conn),
		matches:   pb.NewMatchServiceClient(conn),
		conn:      conn,
		baseURL:   "http://" + a.Server.HTTPAddr(),
		http:      httpClient,
		rest:      resttest.Client{BaseURL: "http://" + a.Server.HTTPAddr(), HTTP: httpClient},
		database:  db,
		dataDir:   dataDir,
		admin:     admin,
		stop:      stop,
	}
}

// mintToken signs a token for p with the local key of the service's data
// directory, as `temubisnis token` does.
func mintToken(t *testing.T, dataDir string, p auth.Principal) string {
	t.Helper()
	key, err := auth.LoadOrCreateSigningKey(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.Mint(key, p, "temubisnis-local", "temubisnis", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// token returns a token of the service for a role bound to resource.
func (e *env) token(role auth.Role, resource string) string {
	e.t.Helper()
	return mintToken(e.t, e.dataDir, auth.Principal{Subject: "test:" + role.String() + ":" + resource, Role: role, Resource: resource})
}

// defaultToken sends token with every call that has no Authorization of
// its own; anonymous marks a context that must go without.
func defaultToken(token string) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		md, _ := metadata.FromOutgoingContext(ctx)
		if len(md.Get("authorization")) == 0 && ctx.Value(anonymousKey{}) == nil {
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

type anonymousKey struct{}

// as returns a context whose gRPC calls carry token; "" sends none.
func as(ctx context.Context, token string) context.Context {
	if token == "" {
		return context.WithValue(ctx, anonymousKey{}, true)
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+token)
}

// ctx bounds a test's gRPC calls, so that a hung call fails the test. Many
// tests use one for all their calls: the bound is generous, since on a busy
// machine with tests running in parallel a whole test can take many seconds.
func (e *env) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	e.t.Cleanup(cancel)
	return ctx
}

// response is a REST answer with its decoded JSON body.
type response struct {
	header http.Header
	code   int
	body   map[string]any
	raw    string
}

// do sends a REST request; body may be nil, a string (sent as is) or any
// value (encoded as JSON).
func (e *env) do(method, path string, body any) response {
	e.t.Helper()
	return e.doAs(e.admin, method, path, body)
}

// doAs is do with another token; "" sends none.
func (e *env) doAs(token, method, path string, body any) response {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.baseURL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	out := response{code: resp.StatusCode, raw: string(raw), header: resp.Header}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			e.t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, raw)
		}
	}
	return out
}

// must checks the status code of a REST answer.
func (r response) must(t *testing.T, code int) response {
	t.Helper()
	if r.code != code {
		t.Fatalf("HTTP %d, want %d; body: %s", r.code, code, r.raw)
	}
	return r
}

// grpc checks the google.rpc.Status code in an error body.
func (r response) grpc(t *testing.T, code int) response {
	t.Helper()
	if r.body["code"] != float64(code) {
		t.Fatalf("status code %v, want %d; body: %s", r.body["code"], code, r.raw)
	}
	return r
}

// str returns a top-level string field of the body.
func (r response) str(key string) string {
	s, _ := r.body[key].(string)
	return s
}

// violations returns the field paths of the BadRequest details of an error body.
func (r response) violations() []string {
	var fields []string
	details, _ := r.body["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if !strings.HasSuffix(m["@type"].(string), "google.rpc.BadRequest") {
			continue
		}
		fvs, _ := m["fieldViolations"].([]any)
		for _, fv := range fvs {
			f, _ := fv.(map[string]any)
			field, _ := f["field"].(string)
			fields = append(fields, field)
		}
	}
	return fields
}

// waitServing blocks until the gRPC health service reports service as
// SERVING (it follows readiness), failing the test if the watch breaks.
func (e *env) waitServing(service string) {
	e.t.Helper()
	watch, err := healthpb.NewHealthClient(e.conn).Watch(e.ctx(), &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		e.t.Fatal(err)
	}
	for {
		resp, err := watch.Recv()
		if err != nil {
			e.t.Fatalf("health watch of %s: %v", service, err)
		}
		if resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return
		}
	}
}
