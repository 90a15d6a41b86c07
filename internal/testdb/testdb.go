// Package testdb gives tests of other packages a real MongoDB-compatible database.
//
// By default it is an embedded FerretDB shared by the whole test binary, started on first use
// with its files in a temporary directory. Setting TEMUBISNIS_TEST_MONGODB_URI runs the same tests
// against that server instead (for example a real MongoDB). Either way each test gets its own
// empty database, dropped when the test ends, so tests may run in parallel.
//
// Packages using it should call Main from TestMain so the embedded server is stopped and its
// directory removed; without it the server lives until the binary exits and the directory stays.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/adiekspor/temubisnis/internal/embedded"
)

// EnvURI names the environment variable that points the tests at an external server.
const EnvURI = "TEMUBISNIS_TEST_MONGODB_URI"

const (
	startTimeout = 60 * time.Second // first use also creates the SQLite files
	opTimeout    = 30 * time.Second // per driver operation; generous for a loaded CI machine
	dropTimeout  = 30 * time.Second
)

// sqliteParams are SQLite settings of the embedded test server. Test databases need not survive
// a crash of the machine, so SQLite does not wait for the disk (fsync) at each commit; that was a
// fifth of the CPU time of the end-to-end tests and more of their wall time. What the tests see of
// the database (its answers, its atomicity and isolation) does not change.
var sqliteParams = url.Values{"_pragma": {"synchronous(OFF)"}}

// shared is the per-binary state, created on first use.
var shared struct {
	mu     sync.Mutex
	inited bool
	err    error // a failed start is remembered so every later test reports it, quickly
	uri    string
	client *mongo.Client
	server *embedded.Server // nil when EnvURI is used
	dir    string
}

// New returns a fresh, empty database for one test, dropped when the test ends. When the
// environment variable TEMUBISNIS_TEST_MONGODB_URI is set it uses that server; otherwise one embedded
// FerretDB shared by the whole test binary (started lazily once, data in a temp dir).
func New(t testing.TB) *mongo.Database {
	t.Helper()
	client := setup(t)

	name := dbName(t)
	db := client.Database(name)
	t.Cleanup(func() {
		// t.Context() is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), dropTimeout)
		defer cancel()
		if err := db.Drop(ctx); err != nil {
			t.Errorf("testdb: drop database %s: %v", name, err)
		}
	})
	return db
}

// URI returns the server URI New uses (starting the embedded server if needed), for tests that start a whole service.
func URI(t testing.TB) string {
	t.Helper()
	setup(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	return shared.uri
}

// Main is for TestMain: runs the tests, then stops the shared embedded server and removes its temp
// dir, and exits.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit, for a TestMain that has more to release: it returns the exit code.
func Run(m *testing.M) int {
	code := m.Run()
	if err := teardown(); err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// ParallelPerCPU is for TestMain, before Main: unless -test.parallel was given, it lets
// perCPU×GOMAXPROCS tests that call t.Parallel run at once instead of GOMAXPROCS. Tests that each
// start a service on a database of their own spend most of their time waiting (on the database, on
// a lease or a server selection timeout running out, on a browser), so two at a time on a 2-core
// machine leaves the CPUs idle. It parses the command line (flag.Parse), as TestMain may. With the
// race detector it does nothing: every test is then several times slower, and its service starts
// would run out of their deadline.
func ParallelPerCPU(perCPU int) {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if given || perCPU <= 1 || raceDetector {
		return
	}
	if err := flag.Set("test.parallel", strconv.Itoa(perCPU*runtime.GOMAXPROCS(0))); err != nil {
		fmt.Fprintln(os.Stderr, "testdb: -test.parallel:", err)
	}
}

// starting admits GOMAXPROCS service starts of the binary at a time.
var starting = make(chan struct{}, runtime.GOMAXPROCS(0))

// BeginStart waits until fewer than GOMAXPROCS services of the test binary are starting, and
// returns the function that ends this start. A service's start (indexes, demo data, first catalogue
// load) is the CPU-heavy part of an end-to-end test and runs under a deadline; with ParallelPerCPU
// many tests begin at once, and without the gate all of them would start together and, on a busy
// machine, run out of that deadline. Tests still overlap their waiting.
func BeginStart() (end func()) {
	starting <- struct{}{}
	return sync.OnceFunc(func() { <-starting })
}

// setup connects on first use and returns the shared client, failing t if that is impossible.
func setup(t testing.TB) *mongo.Client {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.inited {
		shared.inited = true
		shared.err = start()
	}
	if shared.err != nil {
		t.Fatalf("testdb: %v", shared.err)
	}
	return shared.client
}

// start fills in shared; the caller holds shared.mu.
func start() error {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()

	uri := os.Getenv(EnvURI)
	if uri == "" {
		dir, err := os.MkdirTemp("", "temubisnis-testdb-")
		if err != nil {
			return fmt.Errorf("create data directory: %w", err)
		}
		shared.dir = dir
		srv, err := embedded.Start(ctx, embedded.Options{DataDir: dir, Logger: slog.Default(), SQLiteParams: sqliteParams})
		if err != nil {
			return fmt.Errorf("start embedded FerretDB: %w", err)
		}
		shared.server = srv
		uri = srv.URI()
	}
	shared.uri = uri

	client, err := mongo.Connect(options.Client().
		ApplyURI(uri).
		SetAppName("temubisnis-tests").
		SetConnectTimeout(10 * time.Second).
		SetServerSelectionTimeout(10 * time.Second).
		SetTimeout(opTimeout))
	if err != nil {
		return fmt.Errorf("connect to %s: %w", redact(uri), err)
	}
	shared.client = client
	if err := client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("ping %s: %w", redact(uri), err)
	}
	return nil
}

// teardown releases what start created. The client goes first: FerretDB waits a few seconds
// for connections still open when it is stopped.
func teardown() error {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	var errs []error
	if shared.client != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := shared.client.Disconnect(ctx); err != nil {
			errs = append(errs, fmt.Errorf("disconnect: %w", err))
		}
		cancel()
		shared.client = nil
	}
	if shared.server != nil {
		shared.server.Stop()
		shared.server = nil
	}
	if shared.dir != "" {
		if err := os.RemoveAll(shared.dir); err != nil {
			errs = append(errs, fmt.Errorf("remove %s: %w", shared.dir, err))
		}
		shared.dir = ""
	}
	shared.inited = false
	shared.err = nil
	if len(errs) > 0 {
		return fmt.Errorf("teardown: %v", errs)
	}
	return nil
}

// dbName returns a new database name: "t_" and 16 random hex digits. That is short and uses
// only characters every backend accepts (FerretDB's SQLite backend allows [a-zA-Z0-9_-], up to
// 63 bytes), and random rather than derived from the test name so that concurrent test binaries
// on one external server cannot collide.
func dbName(t testing.TB) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("testdb: random database name: %v", err)
	}
	return "t_" + hex.EncodeToString(b[:])
}

// redact hides a password in a URI before it is printed.
func redact(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(unparsable URI)"
	}
	return u.Redacted()
}
