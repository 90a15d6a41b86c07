package server

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/store"
)

// storageWatch turns the UNAVAILABLE answers about the database into what an
// operator needs: a counter per reason, a gauge that is 1 while the storage
// is full, and one ERROR line when an episode starts (and one INFO line when
// a write succeeds again) rather than one per refused request.
type storageWatch struct {
	log         *slog.Logger
	unavailable *prometheus.CounterVec
	fullGauge   prometheus.Gauge

	mu       sync.Mutex
	full     bool
	fullFrom time.Time
	lost     bool
}

func newStorageWatch(log *slog.Logger, reg prometheus.Registerer) *storageWatch {
	w := &storageWatch{
		log: log,
		unavailable: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_store_unavailable_total",
			Help: "Calls and audit records refused because the database could not serve them, by reason (STORE_UNAVAILABLE, STORAGE_FULL).",
		}, []string{"reason"}),
		fullGauge: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "temubisnis_storage_full",
			Help: "Whether writes fail because the database has no space left (1) or not (0).",
		}),
	}
	reg.MustRegister(w.unavailable, w.fullGauge)
	return w
}

// observe records the outcome of a call (write says whether it changes data).
func (w *storageWatch) observe(ctx context.Context, write bool, err error) {
	switch grpcapi.UnavailableReason(err) {
	case grpcapi.ReasonStorageFull:
		w.storageFull(ctx)
	case grpcapi.ReasonStoreUnavailable:
		w.storeLost(ctx)
	case "":
		if err == nil {
			w.recovered(ctx, write)
		}
	}
}

// observeAudit records the failure of an audit write, which the store
// reports with the store sentinels.
func (w *storageWatch) observeAudit(ctx context.Context, err error) bool {
	switch {
	case errors.Is(err, store.ErrStorageFull):
		w.storageFull(ctx)
	case errors.Is(err, store.ErrUnavailable):
		w.storeLost(ctx)
	default:
		return false
	}
	return true
}

func (w *storageWatch) storageFull(ctx context.Context) {
	w.unavailable.WithLabelValues(grpcapi.ReasonStorageFull).Inc()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.full {
		return
	}
	w.full, w.fullFrom = true, time.Now()
	w.fullGauge.Set(1)
	w.log.ErrorContext(ctx, "storage is full: writes are refused with UNAVAILABLE until space is freed; reads still work",
		"metric", "temubisnis_storage_full")
}

func (w *storageWatch) storeLost(ctx context.Context) {
	w.unavailable.WithLabelValues(grpcapi.ReasonStoreUnavailable).Inc()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lost {
		return
	}
	w.lost = true
	w.log.ErrorContext(ctx, "database unreachable: calls are answered UNAVAILABLE until it is back")
}

func (w *storageWatch) recovered(ctx context.Context, write bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lost {
		w.lost = false
		w.log.InfoContext(ctx, "database reachable again")
	}
	// Only a successful write proves there is space again.
	if w.full && write {
		w.full = false
		w.fullGauge.Set(0)
		w.log.InfoContext(ctx, "storage accepts writes again", "full_for", time.Since(w.fullFrom).Round(time.Second))
	}
}

// defaultRetryHint adds a RetryInfo to an UNAVAILABLE status that has none
// (the policy's lookups answer UNAVAILABLE bare), so that every UNAVAILABLE
// carries a retry delay and REST answers a Retry-After.
func defaultRetryHint(err error) error {
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.Unavailable {
		return err
	}
	for _, d := range st.Details() {
		if _, ok := d.(*errdetails.RetryInfo); ok {
			return err
		}
	}
	return grpcapi.Unavailable(grpcapi.ReasonStoreUnavailable, st.Message(), grpcapi.StoreUnavailableRetry)
}
