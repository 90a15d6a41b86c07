package app_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/app"
	"github.com/adiekspor/temubisnis/internal/config"
)

// BenchmarkStartToReady restarts a server on the embedded FerretDB holding
// a synthetic catalogue (TEMUBISNIS_BENCH_LISTINGS, default 100,000) and
// measures the time from app.Start to a loaded, caught-up catalogue (what
// /readyz waits for): "full" reads the whole catalogue from the database,
// "snapshot" starts from the catalogue snapshot in the data directory.
//
// Filling the database takes minutes; TEMUBISNIS_BENCH_DIR names a data
// directory to keep and reuse between runs:
//
//	TEMUBISNIS_BENCH_DIR=/tmp/tb-bench go test -run '^$' -bench StartToReady -benchtime 3x -timeout 60m ./internal/app/
func BenchmarkStartToReady(b *testing.B) {
	n := 100_000
	if v := os.Getenv("TEMUBISNIS_BENCH_LISTINGS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 10 {
			b.Fatalf("TEMUBISNIS_BENCH_LISTINGS=%q: want a number ≥ 10", v)
		}
	}
	dir := os.Getenv("TEMUBISNIS_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	dir = filepath.Join(dir, strconv.Itoa(n))
	marker := filepath.Join(dir, "prepared")
	if _, err := os.Stat(marker); err != nil {
		b.Logf("filling %s with %d synthetic listings (minutes)", dir, n)
		startStop(b, dir, "synthetic", strconv.Itoa(n), config.SnapshotOff, "")
		if err := os.WriteFile(marker, nil, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct{ name, snapshot, from string }{
		{"full", config.SnapshotOff, "full load"},
		{"snapshot", "", "snapshot"},
	} {
		b.Run(c.name, func(b *testing.B) {
			if c.from == "snapshot" {
				// A fresh snapshot to start from: this start writes one as it stops.
				startStop(b, dir, config.SeedNone, strconv.Itoa(n), c.snapshot, "")
			}
			var took []time.Duration
			cpu0 := cpuTime(b)
			for range b.N {
				took = append(took, startStop(b, dir, config.SeedNone, strconv.Itoa(n), c.snapshot, c.from))
			}
			// CPU seconds of the whole process (FerretDB runs in it) per
			// start and stop: on a shared machine the wall time says more
			// about the neighbours.
			b.ReportMetric((cpuTime(b)-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			slices.Sort(took)
			b.ReportMetric(took[len(took)/2].Seconds(), "median-s")
			b.ReportMetric(took[0].Seconds(), "min-s")
			b.ReportMetric(took[len(took)-1].Seconds(), "max-s")
		})
	}
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestRestartFromSnapshot: the embedded server keeps its catalogue
// snapshot in the data directory by default, and a restart starts from it
// with the same catalogue.
func TestRestartFromSnapshot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var first, second int
	startStop(t, dir, config.SeedAuto, "10", "", "full load", func(a *app.App) { first = a.Index.Len() })
	if _, err := os.Stat(filepath.Join(dir, "catalogue.snapshot")); err != nil {
		t.Fatalf("no snapshot in the data dir after a stop: %v", err)
	}
	startStop(t, dir, config.SeedAuto, "10", "", "snapshot", func(a *app.App) { second = a.Index.Len() })
	if first == 0 || first != second {
		t.Fatalf("%d listings after the first start, %d after the restart from the snapshot", first, second)
	}
}

// startStop starts the server on dir, waits until its catalogue is ready,
// and stops it, returning the time from Start to ready. With from set, it
// fails unless the catalogue started that way; check, when given, looks at
// the ready server.
func startStop(tb testing.TB, dir, seed, listings, snapshot, from string, check ...func(*app.App)) time.Duration {
	tb.Helper()
	b, _ := tb.(*testing.B)
	if b != nil {
		b.StopTimer()
	}
	cfg, err := config.Parse([]string{
		"-http-addr", "127.0.0.1:0", "-grpc-addr", "127.0.0.1:0", "-data-dir", dir,
		"-seed", seed, "-synthetic-listings", listings, "-snapshot-file", snapshot,
		"-notify-interval", "0",
	}, func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if b != nil {
		b.StartTimer()
	}
	t0 := time.Now()
	a, err := app.Start(ctx, cfg, log)
	if err != nil {
		tb.Fatal(err)
	}
	defer a.Close()
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if err := a.WaitLoaded(ctx); err != nil {
		tb.Fatal(err)
	}
	took := time.Since(t0)
	if b != nil {
		b.StopTimer()
	}
	if !a.Syncer.Ready() {
		tb.Fatal("loaded but not ready")
	}
	if how, why := a.Syncer.StartedFrom(); from != "" && how != from {
		tb.Fatalf("started from %s (%s), want %s", how, why, from)
	}
	for _, c := range check {
		c(a)
	}
	cancel()
	if err := <-done; err != nil {
		tb.Fatal(err)
	}
	return took
}
