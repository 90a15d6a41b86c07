package app

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/catalogsync"
	"github.com/adiekspor/temubisnis/internal/metrics"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/progress"
	"github.com/adiekspor/temubisnis/internal/seed"
)

// progressEvery is how often long work logs its progress.
const progressEvery = 5 * time.Second

// importChunk is how many listings one step of a seed import stores, so
// that progress moves at 100,000 listings.
const importChunk = 5000

// importData stores a data set in steps, reporting progress on board.
func importData(ctx context.Context, st *mongostore.Store, log *slog.Logger, board *progress.Board, kind string, d *seed.Dataset) error {
	total := int64(len(d.Producers) + len(d.Listings) + len(d.Buyers) + len(d.BuyingRequests))
	return board.Wait(ctx, log, kind+" data load", "documents", total, progressEvery, func(ctx context.Context, t *progress.Task) error {
		if err := st.Import(ctx, d.Producers, nil, nil, nil); err != nil {
			return err
		}
		t.Add(int64(len(d.Producers)))
		for i := 0; i < len(d.Listings); i += importChunk {
			chunk := d.Listings[i:min(i+importChunk, len(d.Listings))]
			if err := st.Import(ctx, nil, chunk, nil, nil); err != nil {
				return err
			}
			t.Add(int64(len(chunk)))
		}
		return st.Import(ctx, nil, nil, d.Buyers, d.BuyingRequests)
	})
}

// loadSource is the catalogue's source, counting the listings of the first
// load for its progress.
type loadSource struct {
	*mongostore.Store
	task atomic.Pointer[progress.Task]
}

func (s *loadSource) AllListings(ctx context.Context, fn func(*pb.Listing) error) error {
	return s.Store.AllListings(ctx, func(l *pb.Listing) error {
		if t := s.task.Load(); t != nil {
			t.Add(1)
		}
		return fn(l)
	})
}

// firstLoad runs the first catalogue load with progress reports.
func (a *App) firstLoad(ctx context.Context) error {
	total, err := a.Store.CountListings(ctx)
	if err != nil {
		a.log.Warn("catalogue load: cannot count listings; progress without a total", "error", err)
	}
	t := a.progress.Start(a.log, "catalogue load", "listings", total, progressEvery)
	a.source.task.Store(t)
	defer func() {
		a.source.task.Store(nil)
		t.Finish(a.progress)
	}()
	return a.Syncer.Load(ctx)
}

// metricsOf returns the service's own metrics beyond the transport's: the
// business counters, the catalogue's size and age, and long tasks.
func metricsOf(b *metrics.Business, idx *catalog.Index, sync *catalogsync.Syncer, board *progress.Board) []prometheus.Collector {
	return append(b.Collectors(),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "temubisnis_catalogue_listings", Help: "Listings in this replica's search catalogue (active or not).",
		}, func() float64 { return float64(idx.Len()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "temubisnis_catalogue_sync_age_seconds",
			Help: "Seconds since this replica's catalogue last caught up with the change log; stays below a second or two while syncing works. 0 before the first load.",
		}, func() float64 {
			at := sync.SyncedAt()
			if at.IsZero() {
				return 0
			}
			return time.Since(at).Seconds()
		}),
		board,
	)
}
