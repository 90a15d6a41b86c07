package mongostore

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/testclock"
	"github.com/adiekspor/temubisnis/internal/testdb"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

const (
	pruneTarget = "webhookSubscriptions/s"
	retention   = 30 * 24 * time.Hour
)

// newPruneStore returns a store on a fresh database with the notifier's
// indexes, on clk.
func newPruneStore(t *testing.T, clk *testclock.Clock) (*Store, context.Context) {
	t.Helper()
	s := New(testdb.New(t), WithClock(clk.Now))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureNotifyIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	return s, ctx
}

// deliveryAt stores an event made at `at` with one pending webhook delivery
// and returns the delivery, as claimed for its first attempt then.
func deliveryAt(t *testing.T, ctx context.Context, s *Store, key string, at time.Time) notify.Delivery {
	t.Helper()
	ev := notify.Event{ID: "deal.recorded/matches/" + key, Type: notify.DealRecorded, Time: at, Subject: "matches/" + key}
	d := notify.Delivery{ID: notify.Key(ev.ID) + "|webhook|" + pruneTarget, EventID: ev.ID, Channel: notify.ChannelWebhook,
		Target: pruneTarget, State: notify.Pending, NextAttempt: at, CreateTime: at}
	if _, err := s.SaveEvent(ctx, ev, []notify.Delivery{d}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.ClaimDelivery(ctx, d, at, at.Add(2*time.Minute)); err != nil || !ok {
		t.Fatalf("claim %s: %v %v", d.ID, ok, err)
	}
	d.Attempts = 1
	return d
}

// finishedAt stores a delivery whose one attempt ended in state at `at`.
func finishedAt(t *testing.T, ctx context.Context, s *Store, key, state string, at time.Time) string {
	t.Helper()
	d := deliveryAt(t, ctx, s, key, at)
	if err := s.FinishAttempt(ctx, d, notify.Attempt{Time: at, Status: 200}, state, time.Time{}); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// pendingSince stores a delivery made at `at` whose first attempt failed
// and whose retry is due at next.
func pendingSince(t *testing.T, ctx context.Context, s *Store, key string, at, next time.Time) string {
	t.Helper()
	d := deliveryAt(t, ctx, s, key, at)
	if err := s.FinishAttempt(ctx, d, notify.Attempt{Time: at, Status: 502, Error: "HTTP 502"}, notify.Pending, next); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

// listed returns the ids of the deliveries the delivery log lists.
func listed(t *testing.T, ctx context.Context, s *Store) []string {
	t.Helper()
	ds, _, err := s.ListDeliveries(ctx, pruneTarget, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range ds {
		ids = append(ids, d.ID)
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids ...string) []string { slices.Sort(ids); return ids }

// PruneDeliveries deletes finished deliveries older than the cut, in
// batches of at most limit, and nothing else: not the recent ones, not one
// finishing exactly at the cut, never a pending one (even one carrying a
// done time, as a delivery put back to PENDING would), and not one still
// marked due until DueDeliveries has removed its stale marker.
func TestPruneDeliveries(t *testing.T) {
	t.Parallel()
	clk := testclock.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	s, ctx := newPruneStore(t, clk)
	now := clk.Now()
	before := now.Add(-retention)

	oldDelivered := finishedAt(t, ctx, s, "old-delivered", notify.Delivered, now.Add(-31*24*time.Hour))
	oldDead := finishedAt(t, ctx, s, "old-dead", notify.Dead, now.Add(-40*24*time.Hour))
	recent := finishedAt(t, ctx, s, "recent", notify.Delivered, now.Add(-29*24*time.Hour))
	atCut := finishedAt(t, ctx, s, "at-cut", notify.Dead, before)
	oldPending := pendingSince(t, ctx, s, "old-pending", now.Add(-40*24*time.Hour), now.Add(time.Hour))
	marked := finishedAt(t, ctx, s, "marked", notify.Delivered, now.Add(-35*24*time.Hour))
	if _, err := s.db.Collection(DueCollection).InsertOne(ctx, dueDoc{ID: marked, NextAttempt: now.Add(-35 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	doneAgo := now.Add(-50 * 24 * time.Hour)
	reopened := deliveryDoc{ID: "reopened|webhook|" + pruneTarget, EventID: "deal.recorded/matches/reopened", Channel: notify.ChannelWebhook,
		Target: pruneTarget, State: notify.Pending, Attempts: 1, NextAttempt: now.Add(time.Hour), CreateTime: doneAgo, DoneTime: &doneAgo, Log: []attemptDoc{}}
	if _, err := s.db.Collection(DeliveriesCollection).InsertOne(ctx, reopened); err != nil {
		t.Fatal(err)
	}
	// The prune's range is served by an index on MongoDB.
	specs, err := s.db.Collection(DeliveriesCollection).Indexes().ListSpecifications(ctx)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := bson.Marshal(bson.D{{Key: "doneTime", Value: 1}})
	if err != nil {
		t.Fatal(err)
	}
	indexed := false
	for _, x := range specs {
		indexed = indexed || (x.Name == deliveriesDoneTimeIndexName && bytes.Equal(x.KeysDocument, keys))
	}
	if !indexed {
		t.Errorf("no index %s on doneTime among %+v", deliveriesDoneTimeIndexName, specs)
	}
	all := sorted(oldDelivered, oldDead, recent, atCut, oldPending, marked, reopened.ID)
	if got := listed(t, ctx, s); !slices.Equal(got, all) {
		t.Fatalf("before pruning: %v, want %v", got, all)
	}

	if n, err := s.PruneDeliveries(ctx, before, 1); err != nil || n != 1 {
		t.Fatalf("first batch of 1: deleted %d, %v", n, err)
	}
	if n, err := s.PruneDeliveries(ctx, before, 100); err != nil || n != 1 {
		t.Fatalf("second batch: deleted %d, %v; want the other old finished one", n, err)
	}
	if n, err := s.PruneDeliveries(ctx, before, 100); err != nil || n != 0 {
		t.Fatalf("nothing left to prune: deleted %d, %v", n, err)
	}
	kept := sorted(recent, atCut, oldPending, marked, reopened.ID)
	if got := listed(t, ctx, s); !slices.Equal(got, kept) {
		t.Fatalf("after pruning the log lists %v, want %v", got, kept)
	}
	if n, err := s.db.Collection(DueCollection).CountDocuments(ctx, bson.M{"_id": oldPending}); err != nil || n != 1 {
		t.Errorf("the pending delivery's marker: %d (%v), want 1", n, err)
	}

	// Once the stale marker is read and removed, that delivery goes too.
	if _, err := s.DueDeliveries(ctx, now, 10); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PruneDeliveries(ctx, before, 100); err != nil || n != 1 {
		t.Fatalf("after its stale marker went: deleted %d, %v; want 1", n, err)
	}
	kept = sorted(recent, atCut, oldPending, reopened.ID)
	if got := listed(t, ctx, s); !slices.Equal(got, kept) {
		t.Fatalf("the log lists %v, want %v", got, kept)
	}
}

// The notifier, on the real store: its first round prunes what finished
// more than the retention ago, keeps the pending and the recent, and the
// recent ones go once they are old enough, at the next hourly run. With no
// retention nothing is pruned.
func TestNotifierPrunesFinishedDeliveries(t *testing.T) {
	t.Parallel()
	clk := testclock.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	s, ctx := newPruneStore(t, clk)
	now := clk.Now()
	old := finishedAt(t, ctx, s, "old", notify.Delivered, now.Add(-31*24*time.Hour))
	recent := finishedAt(t, ctx, s, "recent", notify.Dead, now.Add(-retention+12*time.Hour))
	// A delivery still retrying, made long ago, next due after the test.
	pending := pendingSince(t, ctx, s, "pending", now.Add(-60*24*time.Hour), now.Add(365*24*time.Hour))

	// Retention 0: nothing goes, however old.
	keep := notify.New(s, notify.Options{Now: clk.Now}, nil)
	keep.Round(ctx)
	if got, want := listed(t, ctx, s), sorted(old, recent, pending); !slices.Equal(got, want) {
		t.Fatalf("retention 0 left %v, want %v", got, want)
	}

	m := notify.NewMetrics()
	n := notify.New(s, notify.Options{Now: clk.Now, DeliveryRetention: retention}, m)
	n.Round(ctx)
	if got, want := listed(t, ctx, s), sorted(recent, pending); !slices.Equal(got, want) {
		t.Fatalf("after the first round the log lists %v, want %v", got, want)
	}

	// A day and a half later the recent one is past the retention too
	// (and the hourly run is due again).
	clk.Advance(36 * time.Hour)
	n.Round(ctx)
	if got, want := listed(t, ctx, s), []string{pending}; !slices.Equal(got, want) {
		t.Fatalf("a day and a half later the log lists %v, want %v", got, want)
	}
	if got := testutil.ToFloat64(m.Pruned); got != 2 {
		t.Errorf("pruned counter %v, want 2", got)
	}
}
