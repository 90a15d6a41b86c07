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
	"github.com/adiekspor/temubisnis/internal/server"
)

// progressEvery is how often long work logs its progress.
const progressEvery = 5 * time.Second

// importChunk is how many documents one step of a seed import stores, so
// that progress moves at 100,000 listings.
const importChunk = 5000

// importData stores a data set in steps, reporting progress on board.
func importData(ctx context.Context, st *mongostore.Store, log *slog.Logger, board *progress.Board, kind string, d *seed.Dataset) error {
	total := int64(len(d.Producers) + len(d.Listings) + len(d.Buyers) + len(d.BuyingRequests))
	return board.Wait(ctx, log, kind+" data load", "documents", total, progressEvery, func(ctx context.Context, t *progress.Task) error {
		if err := inChunks(t, d.Producers, func(c []*pb.Producer) error { return st.Import(ctx, c, nil, nil, nil) }); err != nil {
			return err
		}
		if err := inChunks(t, d.Listings, func(c []*pb.Listing) error { return st.Import(ctx, nil, c, nil, nil) }); err != nil {
			return err
		}
		if err := inChunks(t, d.Buyers, func(c []*pb.Buyer) error { return st.Import(ctx, nil, nil, c, nil) }); err != nil {
			return err
		}
		return inChunks(t, d.BuyingRequests, func(c []*pb.BuyingRequest) error { return st.Import(ctx, nil, nil, nil, c) })
	})
}

// inChunks stores items importChunk at a time through store, counting them
// on t.
func inChunks[T any](t *progress.Task, items []T, store func([]T) error) error {
	for i := 0; i < len(items); i += importChunk {
		chunk := items[i:min(i+importChunk, len(items))]
		if err := store(chunk); err != nil {
			return err
		}
		t.Add(int64(len(chunk)))
	}
	return nil
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
	t := a.progress.Start(a.log, "catalogue load", "listings", 0, progressEvery)
	a.source.task.Store(t)
	// The total comes along while the load runs, so that counting never
	// delays it.
	counted := make(chan struct{})
	cctx, cancel := context.WithCancel(ctx)
	go func() {
		defer close(counted)
		n, err := a.Store.CountListings(cctx)
		if err != nil && cctx.Err() == nil {
			a.log.Warn("catalogue load: cannot count listings; progress without a total", "error", err)
		}
		if err == nil {
			t.SetTotal(n)
		}
	}()
	defer func() {
		cancel() // a count still running is no longer needed
		<-counted
		a.source.task.Store(nil)
		t.Finish(a.progress)
	}()
	// From the snapshot when there is a usable one, else a full load.
	return a.Syncer.Start(ctx)
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
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "temubisnis_search_cache_hits_total", Help: "Searches answered from the answer cache (-search-cache-entries).",
		}, func() float64 { h, _ := idx.ResultCacheStats(); return float64(h) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "temubisnis_search_cache_misses_total", Help: "Searches computed afresh with the answer cache on (new request, or the catalogue or day changed).",
		}, func() float64 { _, m := idx.ResultCacheStats(); return float64(m) }),
		board,
	)
}

// keptAnswers lets the REST gateway keep the JSON of the catalogue's kept
// search answers (server.SearchAnswers).
type keptAnswers struct{ idx *catalog.Index }

func (k keptAnswers) Memo(r *pb.SearchListingsResponse) server.JSONMemo {
	if m := k.idx.AnswerMemo(r); m != nil {
		return m
	}
	return nil // not a typed nil: the gateway tests for nil
}

// ListingsShared: the index shares the listings of hits (one message per
// version and view) and never changes them.
func (keptAnswers) ListingsShared() bool { return true }
