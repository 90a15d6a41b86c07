package catalogsync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/adiekspor/temubisnis/internal/testdb"
)

// EnvBenchPostgres names the environment variable that runs the list
// benchmarks on FerretDB with its PostgreSQL backend instead of the embedded
// SQLite one: a PostgreSQL URL such as
// postgres://postgres@127.0.0.1:55432/ferretdb (README, Performance).
const EnvBenchPostgres = "TEMUBISNIS_BENCH_POSTGRES_URL"

// benchDatabase returns an empty database for a benchmark: on an in-process
// FerretDB over PostgreSQL when EnvBenchPostgres is set, else the shared
// test database (SQLite, or TEMUBISNIS_TEST_MONGODB_URI).
func benchDatabase(tb testing.TB) *mongo.Database {
	tb.Helper()
	pgURL := os.Getenv(EnvBenchPostgres)
	if pgURL == "" {
		return testdb.New(tb)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		Handler:       "postgresql",
		PostgreSQLURL: pgURL,
	})
	if err != nil {
		tb.Fatalf("start FerretDB on PostgreSQL: %v", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			tb.Logf("FerretDB: %v", err)
		}
	}()
	client, err := mongo.Connect(options.Client().ApplyURI(f.MongoDBURI()).SetAppName("temubisnis-bench"))
	if err != nil {
		stop()
		tb.Fatal(err)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatal(err)
	}
	db := client.Database("bench_" + hex.EncodeToString(b[:]))
	tb.Cleanup(func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if err := db.Drop(cctx); err != nil {
			tb.Errorf("drop %s: %v", db.Name(), err)
		}
		if err := client.Disconnect(cctx); err != nil {
			tb.Errorf("disconnect: %v", err)
		}
		stop()
		<-done
	})
	return db
}
