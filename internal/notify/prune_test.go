package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/testclock"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// The notifier prunes at its first round and then at most hourly, in
// batches until one comes back short, and counts what it deleted; with no
// retention it never asks the store. (The store's part, and the real
// database, are tested in package mongostore.)
func TestNotifierPrunesHourlyInBatches(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	old := func(st *memStore, k int, prefix string) {
		for i := range k {
			id := fmt.Sprintf("%s-%d", prefix, i)
			st.deliveries[id] = &Delivery{ID: id, State: Delivered, DoneTime: clk.Now().Add(-31 * 24 * time.Hour)}
		}
	}

	st := newMemStore()
	old(st, 2*pruneBatch+7, "a")
	st.deliveries["pending"] = &Delivery{ID: "pending", State: Pending, NextAttempt: clk.Now().Add(time.Hour)}
	m := NewMetrics()
	n := New(st, Options{Now: clk.Now, DeliveryRetention: 30 * 24 * time.Hour}, m)
	n.Round(ctx)
	if len(st.deliveries) != 1 || st.deliveries["pending"] == nil {
		t.Fatalf("%d deliveries left after the first round, want the pending one only", len(st.deliveries))
	}
	if st.pruneCalls != 3 {
		t.Errorf("%d prune calls, want 3 (two full batches, one short)", st.pruneCalls)
	}
	if got := testutil.ToFloat64(m.Pruned); got != 2*pruneBatch+7 {
		t.Errorf("pruned counter %v, want %d", got, 2*pruneBatch+7)
	}

	// Within the hour: not again, though there is something to prune.
	old(st, 3, "b")
	clk.Advance(pruneEvery - time.Second)
	n.Round(ctx)
	if st.pruneCalls != 3 || len(st.deliveries) != 4 {
		t.Fatalf("pruned again within the hour: %d calls, %d deliveries", st.pruneCalls, len(st.deliveries))
	}
	clk.Advance(time.Second)
	n.Round(ctx)
	if st.pruneCalls != 4 || len(st.deliveries) != 1 {
		t.Fatalf("an hour later: %d calls, %d deliveries; want 4 and 1", st.pruneCalls, len(st.deliveries))
	}

	// Retention 0 keeps everything and costs no store call.
	st = newMemStore()
	old(st, 3, "c")
	n = New(st, Options{Now: clk.Now}, nil)
	n.Round(ctx)
	clk.Advance(2 * pruneEvery)
	n.Round(ctx)
	if st.pruneCalls != 0 || len(st.deliveries) != 3 {
		t.Errorf("retention 0: %d prune calls, %d deliveries left; want 0 and 3", st.pruneCalls, len(st.deliveries))
	}
}
