package embedded_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/adiekspor/temubisnis/internal/embedded"
)

func start(t *testing.T, dir string) *embedded.Server {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s, err := embedded.Start(ctx, embedded.Options{DataDir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(s.Stop)
	if !strings.HasPrefix(s.URI(), "mongodb://127.0.0.1:") {
		t.Fatalf("URI() = %q, want mongodb://127.0.0.1:PORT/", s.URI())
	}
	return s
}

// connect returns a client that is disconnected before the server is stopped (cleanups run
// last-registered first), so Stop does not wait on open connections.
func connect(t *testing.T, s *embedded.Server) *mongo.Client {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(s.URI()).SetTimeout(10 * time.Second))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

type note struct {
	ID   string `bson:"_id"`
	Text string `bson:"text"`
}

func TestDataPersistsAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()

	s := start(t, dir)
	c := connect(t, s)
	if err := c.Ping(ctx, nil); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	coll := c.Database("persist").Collection("notes")
	want := note{ID: "n1", Text: "halo"}
	if _, err := coll.InsertOne(ctx, want); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	var got note
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "n1"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne: %v", err)
	}
	if got != want {
		t.Fatalf("FindOne = %+v, want %+v", got, want)
	}
	if err := c.Disconnect(ctx); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	s.Stop()
	s.Stop() // a second Stop must return at once

	s2 := start(t, dir)
	c2 := connect(t, s2)
	got = note{}
	if err := c2.Database("persist").Collection("notes").FindOne(ctx, bson.D{{Key: "_id", Value: "n1"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne after restart: %v", err)
	}
	if got != want {
		t.Fatalf("FindOne after restart = %+v, want %+v", got, want)
	}
}

func TestTwoServersShareNothing(t *testing.T) {
	ctx := t.Context()

	// Started concurrently on purpose: this is how two replicas in one test binary start.
	servers := make([]*embedded.Server, 2)
	errs := make(chan error, 2)
	for i := range servers {
		go func() {
			sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			s, err := embedded.Start(sctx, embedded.Options{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
			servers[i] = s
			errs <- err
		}()
	}
	for range servers {
		if err := <-errs; err != nil {
			t.Fatalf("Start: %v", err)
		}
	}
	for _, s := range servers {
		t.Cleanup(s.Stop)
	}
	if servers[0].URI() == servers[1].URI() {
		t.Fatalf("both servers listen on %s", servers[0].URI())
	}

	a := connect(t, servers[0]).Database("shared").Collection("c")
	b := connect(t, servers[1]).Database("shared").Collection("c")
	if _, err := a.InsertOne(ctx, note{ID: "only-in-a"}); err != nil {
		t.Fatalf("insert into first server: %v", err)
	}
	if _, err := b.InsertOne(ctx, note{ID: "only-in-b"}); err != nil {
		t.Fatalf("insert into second server: %v", err)
	}
	for name, coll := range map[string]*mongo.Collection{"first": a, "second": b} {
		n, err := coll.CountDocuments(ctx, bson.D{})
		if err != nil {
			t.Fatalf("count on %s server: %v", name, err)
		}
		if n != 1 {
			t.Errorf("%s server has %d documents, want 1", name, n)
		}
	}
}

func TestStartFailsOnBusyAddress(t *testing.T) {
	s := start(t, t.TempDir())
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URI(), "mongodb://"), "/")
	_, err := embedded.Start(t.Context(), embedded.Options{DataDir: t.TempDir(), Addr: addr, Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		t.Fatalf("Start on %s, already in use, succeeded", addr)
	}
	// A failed start must not leave a FerretDB backend behind: FerretDB panics from a finalizer
	// when one is collected without being closed. Collect now so such a leak crashes this binary.
	runtime.GC()
	runtime.GC()
}

func TestStartRequiresDataDir(t *testing.T) {
	if _, err := embedded.Start(t.Context(), embedded.Options{}); err == nil {
		t.Fatal("Start without DataDir succeeded")
	}
}

func TestStartHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s, err := embedded.Start(ctx, embedded.Options{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		s.Stop()
		t.Fatal("Start with a cancelled context succeeded")
	}
}

// recorder keeps the level of every record that reaches it.
type recorder struct {
	mu     sync.Mutex
	levels []slog.Level
}

func (r *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *recorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *recorder) WithGroup(string) slog.Handler            { return r }
func (r *recorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.levels = append(r.levels, rec.Level)
	return nil
}

func TestLoggerGetsOnlyWarnings(t *testing.T) {
	rec := &recorder{}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	s, err := embedded.Start(ctx, embedded.Options{DataDir: t.TempDir(), Logger: slog.New(rec)})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer s.Stop()

	// Start's ping already made FerretDB log "Connection started/stopped" at Info. A failed
	// command makes it echo the error response at Warn, which must be dropped too.
	c, err := mongo.Connect(options.Client().ApplyURI(s.URI()).SetTimeout(10 * time.Second))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	coll := c.Database("logs").Collection("c")
	if _, err := coll.InsertOne(ctx, note{ID: "same"}); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	if _, err := coll.InsertOne(ctx, note{ID: "same"}); !mongo.IsDuplicateKeyError(err) {
		t.Fatalf("second InsertOne: got %v, want a duplicate key error", err)
	}
	if err := c.Disconnect(ctx); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	rec.mu.Lock()
	if n := len(rec.levels); n != 0 {
		t.Errorf("logger received %d records (levels %v) from ordinary use with one failed command, want none", n, rec.levels)
	}
	rec.levels = nil
	rec.mu.Unlock()

	// A connection that sends garbage instead of a wire message is logged at Warn when FerretDB
	// drops it; that must still get through.
	addr := strings.TrimSuffix(strings.TrimPrefix(s.URI(), "mongodb://"), "/")
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	if _, err := conn.Write([]byte{0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}); err != nil {
		t.Fatalf("write: %v", err)
	}
	// FerretDB closes the connection when it rejects the message; reading to EOF waits for that.
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.Copy(io.Discard, conn)
	_ = conn.Close()

	s.Stop() // after Stop every connection goroutine has finished logging

	rec.mu.Lock()
	defer rec.mu.Unlock()
	var warnings int
	for _, l := range rec.levels {
		if l < slog.LevelWarn {
			t.Errorf("logger received a %v record; only Warn and above should pass", l)
		} else {
			warnings++
		}
	}
	if warnings == 0 {
		t.Error("logger received no Warn record for a connection that sent garbage")
	}
}
