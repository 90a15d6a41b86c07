package catalogsync

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// BenchmarkSnapshot measures the snapshot alone, without a database: writing
// it from a catalogue of TEMUBISNIS_BENCH_LISTINGS (default 100,000)
// listings, and loading it into an empty catalogue (read, check, decode,
// index). BenchmarkStartToReady in internal/app measures a whole restart.
//
//	go test -run '^$' -bench Snapshot -benchtime 3x ./internal/catalogsync/
func BenchmarkSnapshot(b *testing.B) {
	n := benchListings(b)
	ds := synth.Generate(1, max(1, n/8), n, time.Now())
	path := filepath.Join(b.TempDir(), "catalogue.snapshot")
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	replica := func() (*catalog.Index, *Syncer) {
		idx := catalog.New(catalog.DefaultVocabulary(), fx.DefaultRates())
		sy := New(&fakeSource{}, Tee{idx, NewCandidates()}, log, Options{Snapshot: SnapshotOptions{Path: path, From: idx}})
		return idx, sy
	}
	idx, sy := replica()
	for _, p := range ds.Producers {
		idx.PutProducer(p)
	}
	for _, l := range ds.Listings {
		idx.PutListing(l)
	}
	sy.since = time.Now()
	b.Run("write", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if err := sy.WriteSnapshot(ctx); err != nil {
				b.Fatal(err)
			}
		}
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
	})
	b.Run("load", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			idx, sy := replica()
			if err := sy.Start(ctx); err != nil {
				b.Fatal(err)
			}
			if how, why := sy.StartedFrom(); how != "snapshot" || idx.Len() != n {
				b.Fatalf("started from %s (%s) with %d listings", how, why, idx.Len())
			}
		}
	})
}

// reportCPU reports the process's CPU seconds per op from now until the
// returned function runs: the machine is shared, and wall time says more
// about the neighbours.
func reportCPU(b *testing.B) func() {
	cpu := func() int64 {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return ru.Utime.Nano() + ru.Stime.Nano()
	}
	start := cpu()
	return func() { b.ReportMetric(float64(cpu()-start)/1e9/float64(b.N), "cpu-s/op") }
}
