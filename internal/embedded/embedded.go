// Package embedded runs FerretDB inside the temubisnis process. It is the storage used when no
// MongoDB URI is configured: FerretDB speaks the MongoDB wire protocol on a loopback port and keeps
// its data in SQLite files, so the rest of the program talks to it through the ordinary driver.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// DefaultAddr is the listen address used when Options.Addr is empty: loopback only, and a port
// chosen by the kernel so that several servers (tests, replicas) never collide.
const DefaultAddr = "127.0.0.1:0"

// Options configures the in-process FerretDB.
type Options struct {
	// DataDir holds the SQLite files, in its "ferretdb" subdirectory. Both are created if
	// missing. Required.
	DataDir string

	// Logger receives FerretDB's own records at Warn level and above; its Info and Debug
	// output (one line per connection) is dropped, and so is its Warn-level echo of every
	// command that failed (see warnAndAbove). Nil means slog.Default().
	Logger *slog.Logger

	// Addr is the TCP listen address. Empty means DefaultAddr.
	Addr string

	// SQLiteParams are added to the query of the SQLite URL, which FerretDB passes on to every
	// database file it opens; e.g. _pragma=max_page_count(300) caps each file, which is how the
	// fault-injection tests fill the "disk".
	SQLiteParams url.Values
}

// Server is a running in-process FerretDB. Create it with Start and release it with Stop.
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{} // closed when FerretDB's Run has returned
	err    error         // Run's result; read only after done is closed
	stop   sync.Once
}

// newMu serialises ferretdb.New: it writes a package-level variable in FerretDB
// (version.Get().Package) on every call, which would be a data race when two servers start
// concurrently in one process (tests start two replicas at once).
var newMu sync.Mutex

// Start starts FerretDB and returns once it answers a ping through the MongoDB driver. ctx bounds
// only the start-up; the server keeps running until Stop.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.DataDir == "" {
		return nil, errors.New("embedded: DataDir is required")
	}
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}

	dir, err := filepath.Abs(filepath.Join(opts.DataDir, "ferretdb"))
	if err != nil {
		return nil, fmt.Errorf("embedded: data directory: %w", err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("embedded: create data directory: %w", err)
	}

	// If ferretdb.New fails to bind its listener it has already opened the SQLite backend and
	// never closes it; FerretDB's leak tracker then panics from a finalizer at the next garbage
	// collection, crashing the process. Binding the address here first turns the usual failures
	// (port taken, malformed address) into an ordinary error before any backend exists. A fixed
	// port could still be taken in the moment between this check and New; port 0 cannot.
	probe, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("embedded: listen on %s: %w", opts.Addr, err)
	}
	if err := probe.Close(); err != nil {
		return nil, fmt.Errorf("embedded: listen on %s: %w", opts.Addr, err)
	}

	newMu.Lock()
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: opts.Addr},
		Logger:    slog.New(warnAndAbove{logger.Handler()}),
		Handler:   "sqlite",
		SQLiteURL: sqliteURL(dir, opts.SQLiteParams),
	})
	newMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("embedded: start FerretDB on %s in %s: %w", opts.Addr, dir, err)
	}

	// From here on the backend is closed only by Run returning, so Run starts before anything
	// else can fail.
	runCtx, cancel := context.WithCancel(context.Background())
	s := &Server{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		s.err = f.Run(runCtx)
	}()

	// In v1.24 the TCP listener is already bound when New returns, so MongoDBURI does not block
	// here (it would if called before the listener exists). Connections made before Run starts
	// accepting simply wait in the kernel backlog.
	if s.uri, err = loopbackURI(f.MongoDBURI()); err != nil {
		s.Stop()
		return nil, fmt.Errorf("embedded: %w", err)
	}

	if err := s.waitReady(ctx); err != nil {
		s.Stop()
		return nil, fmt.Errorf("embedded: FerretDB at %s did not become ready: %w", s.uri, err)
	}
	return s, nil
}

// waitReady pings the server with the real driver until it answers, Run gives up, or ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-s.done: // Run returned early: stop waiting for a server that is gone
			cancel()
		case <-ctx.Done():
		}
	}()

	client, err := mongo.Connect(options.Client().ApplyURI(s.uri))
	if err != nil {
		return err
	}
	// Disconnect before returning so that the probe connection does not hold Stop up: FerretDB
	// gives open connections a grace period before closing them.
	defer func() { _ = client.Disconnect(context.WithoutCancel(ctx)) }()

	if err := client.Ping(ctx, nil); err != nil {
		select {
		case <-s.done:
			return fmt.Errorf("FerretDB stopped during start-up (run error: %v): %w", s.err, err)
		default:
			return err
		}
	}
	return nil
}

// URI returns the connection string, mongodb://127.0.0.1:PORT/.
func (s *Server) URI() string { return s.uri }

// Stop shuts FerretDB down and returns after Run has returned, its connections are closed and its
// SQLite files are closed. Clients should disconnect first: FerretDB waits a few seconds for
// connections that are still open. Stop may be called more than once and concurrently.
func (s *Server) Stop() {
	s.stop.Do(s.cancel)
	<-s.done
}

// sqliteURL turns an absolute directory into the file: URL FerretDB expects. FerretDB insists on
// a trailing slash to know the path is a directory.
func sqliteURL(dir string, params url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/", RawQuery: params.Encode()}
	return u.String()
}

// loopbackURI rewrites a URI whose host is an unspecified address (from Addr ":0" or
// "0.0.0.0:0") to the loopback address, which is where a local client can reach it.
func loopbackURI(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("parse FerretDB URI %q: %w", raw, err)
	}
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		return "", fmt.Errorf("FerretDB URI %q: %w", raw, err)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if ip.To4() != nil {
			host = "127.0.0.1"
		} else {
			host = "::1"
		}
	}
	if _, err := strconv.Atoi(port); err != nil {
		return "", fmt.Errorf("FerretDB URI %q: bad port", raw)
	}
	u.Host = net.JoinHostPort(host, port)
	return u.String(), nil
}
