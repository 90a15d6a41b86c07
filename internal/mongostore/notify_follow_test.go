package mongostore

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/notify"
)

// countingStore counts the notifier's calls that read whole collections
// (the scans by update time, the calendar's) and its event saves; the rest
// goes to the real store, change log included.
type countingStore struct {
	*Store
	updated, all, saves, fresh atomic.Int64
}

func (c *countingStore) Updated(ctx context.Context, kind string, since time.Time, fn func(any, time.Time) error) error {
	c.updated.Add(1)
	return c.Store.Updated(ctx, kind, since, fn)
}

func (c *countingStore) AllProducers(ctx context.Context, fn func(*pb.Producer) error) error {
	c.all.Add(1)
	return c.Store.AllProducers(ctx, fn)
}

func (c *countingStore) AllMatches(ctx context.Context, fn func(*pb.Match) error) error {
	c.all.Add(1)
	return c.Store.AllMatches(ctx, fn)
}

func (c *countingStore) SaveEvent(ctx context.Context, e notify.Event, ds []notify.Delivery) (bool, error) {
	c.saves.Add(1)
	ok, err := c.Store.SaveEvent(ctx, e, ds)
	if ok {
		c.fresh.Add(1)
	}
	return ok, err
}

// reset returns the counts so far and zeroes them.
func (c *countingStore) reset() (updated, all, saves int64) {
	return c.updated.Swap(0), c.all.Swap(0), c.saves.Swap(0)
}

var _ notify.ChangeLog = (*countingStore)(nil)

// startNotifier returns a notifier over a counting store on a fresh
// database, after its first round (the full scan at start).
func startNotifier(t *testing.T, c *clock, o notify.Options) (*notify.Notifier, *countingStore, context.Context) {
	t.Helper()
	s, ctx := newNotifyStore(t, c)
	st := &countingStore{Store: s}
	o.Now = c.now
	n := notify.New(st, o, nil)
	if err := n.Init(ctx); err != nil {
		t.Fatal(err)
	}
	n.Round(ctx)
	if updated, _, _ := st.reset(); updated != int64(len(notify.Sources)) {
		t.Fatalf("the first round scanned %d sources, want all %d", updated, len(notify.Sources))
	}
	return n, st, ctx
}

func verify(t *testing.T, ctx context.Context, s *Store, name string) {
	t.Helper()
	if _, err := s.CreateProducer(ctx, &pb.Producer{Name: name, DisplayName: "P", Kind: pb.Producer_PRODUCER, District: "Garum"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateProducer(ctx, name, "", func(p *pb.Producer) error { p.VerificationState = pb.VerificationState_VERIFIED; return nil }); err != nil {
		t.Fatal(err)
	}
}

func verifiedEvent(name string) string { return "verification.decided/" + name + "/VERIFIED" }

func TestNotifierFollowsTheChangeLogWithoutScanning(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	n, st, ctx := startNotifier(t, c, notify.Options{FullScanEvery: 10 * time.Minute})

	c.t = c.t.Add(time.Second)
	verify(t, ctx, st.Store, "producers/p")
	n.Round(ctx)
	if _, err := st.GetEvent(ctx, verifiedEvent("producers/p")); err != nil {
		t.Fatalf("the verification was not derived from the change log: %v", err)
	}
	if updated, all, _ := st.reset(); updated != 0 || all != 0 {
		t.Errorf("a round with a change scanned: %d Updated, %d calendar reads", updated, all)
	}

	// Nothing changed: no scan, and the entries still within the overlap
	// are not derived again.
	for range 3 {
		c.t = c.t.Add(5 * time.Second)
		n.Round(ctx)
	}
	if updated, all, saves := st.reset(); updated != 0 || all != 0 || saves != 0 {
		t.Errorf("idle rounds: %d Updated, %d calendar reads, %d event saves; want none", updated, all, saves)
	}

	// The safety net runs when it is due, and finds nothing new to save.
	c.t = c.t.Add(10 * time.Minute)
	n.Round(ctx)
	if updated, _, saves := st.reset(); updated != int64(len(notify.Sources)) || saves != 0 {
		t.Errorf("the scheduled full scan: %d Updated, %d event saves; want %d and 0", updated, saves, len(notify.Sources))
	}
}

func TestNotifierScanFindsAWriteWithoutChangeEntry(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	n, st, ctx := startNotifier(t, c, notify.Options{FullScanEvery: 10 * time.Minute})

	c.t = c.t.Add(time.Second)
	verify(t, ctx, st.Store, "producers/lost")
	// As if the process died between the write and its change entry.
	if _, err := st.db.Collection(ChangesCollection).DeleteMany(ctx, bson.M{"name": "producers/lost"}); err != nil {
		t.Fatal(err)
	}
	n.Round(ctx)
	if _, err := st.GetEvent(ctx, verifiedEvent("producers/lost")); err == nil {
		t.Fatal("derived without a change entry or a scan: the test proves nothing")
	}

	c.t = c.t.Add(10 * time.Minute)
	for range 3 { // the scan, and rounds after it
		n.Round(ctx)
		c.t = c.t.Add(5 * time.Second)
	}
	c.t = c.t.Add(10 * time.Minute)
	n.Round(ctx) // the next scan
	if _, err := st.GetEvent(ctx, verifiedEvent("producers/lost")); err != nil {
		t.Fatalf("the full scan missed a write without a change entry: %v", err)
	}
	if got := st.fresh.Load(); got != 1 {
		t.Errorf("%d events stored, want 1", got)
	}
	ns, _, err := st.ListNotifications(ctx, "producers/lost", "", false, 10)
	if err != nil || len(ns) != 1 {
		t.Errorf("inbox: %+v %v; want one notice", ns, err)
	}
	if _, _, saves := st.reset(); saves != 1 {
		t.Errorf("%d event saves, want 1: the later rounds derived it again", saves)
	}
}

func TestNotifierScansWhenTheChangeLogIsStale(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	// The scheduled full scan is far off: only staleness can start one.
	n, st, ctx := startNotifier(t, c, notify.Options{FullScanEvery: 24 * time.Hour, ChangeRetention: 10 * time.Minute})

	c.t = c.t.Add(5 * time.Minute)
	n.Round(ctx)
	if updated, _, _ := st.reset(); updated != 0 {
		t.Fatalf("a round 5 minutes after the last scanned %d sources", updated)
	}

	// Written, then this notifier is away past the retention and the
	// entry is pruned meanwhile.
	c.t = c.t.Add(time.Second)
	verify(t, ctx, st.Store, "producers/p")
	c.t = c.t.Add(11 * time.Minute)
	if err := st.PruneChanges(ctx, c.t.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if cs, err := st.ChangesSince(ctx, time.Time{}, nil, 10); err != nil || len(cs) != 0 {
		t.Fatalf("changes left after pruning: %v %v", cs, err)
	}
	n.Round(ctx)
	if updated, _, _ := st.reset(); updated != int64(len(notify.Sources)) {
		t.Errorf("a change-log position older than the retention: %d sources scanned, want %d", updated, len(notify.Sources))
	}
	if _, err := st.GetEvent(ctx, verifiedEvent("producers/p")); err != nil {
		t.Errorf("the write whose entry was pruned: %v", err)
	}

	// The scan moved the position: the next round follows the log again.
	c.t = c.t.Add(5 * time.Second)
	n.Round(ctx)
	if updated, _, _ := st.reset(); updated != 0 {
		t.Errorf("the round after the scan scanned %d sources", updated)
	}
}

// DueDeliveries reads the markers of pending deliveries, not the delivery
// log: a pending delivery without a marker is not found (until BackfillDue
// marks it), and finished deliveries leave no marker behind.
func TestDueDeliveriesReadOnlyMarkers(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	s, ctx := newNotifyStore(t, c)
	d := savePendingWebhook(t, ctx, s, c.t)
	// A pending delivery stored before markers existed.
	legacy := deliveryDoc{ID: "legacy|webhook|webhookSubscriptions/s", EventID: "deal.recorded/matches/old", Channel: notify.ChannelWebhook,
		Target: "webhookSubscriptions/s", State: notify.Pending, NextAttempt: c.t.Add(-time.Hour), CreateTime: c.t.Add(-time.Hour), Log: []attemptDoc{}}
	if _, err := s.db.Collection(DeliveriesCollection).InsertOne(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	ids := func() []string {
		t.Helper()
		due, err := s.DueDeliveries(ctx, c.t, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range due {
			out = append(out, x.ID)
		}
		return out
	}
	if got := ids(); len(got) != 1 || got[0] != d.ID {
		t.Fatalf("due %v, want only %s: the query read the deliveries themselves", got, d.ID)
	}
	if err := s.BackfillDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 2 || got[0] != legacy.ID {
		t.Fatalf("due after the backfill %v, want %s first (earliest), then %s", got, legacy.ID, d.ID)
	}

	// Claimed: not due until the lease ends; retried: due at its retry;
	// finished: its marker is gone, its log stays.
	for _, id := range []string{d.ID, legacy.ID} {
		x := notify.Delivery{ID: id}
		if ok, err := s.ClaimDelivery(ctx, x, c.t, c.t.Add(2*time.Minute)); err != nil || !ok {
			t.Fatalf("claim %s: %v %v", id, ok, err)
		}
	}
	if got := ids(); len(got) != 0 {
		t.Fatalf("claimed deliveries due: %v", got)
	}
	if err := s.FinishAttempt(ctx, notify.Delivery{ID: d.ID, Attempts: 1}, notify.Attempt{Time: c.t, Error: "502"}, notify.Pending, c.t.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishAttempt(ctx, notify.Delivery{ID: legacy.ID, Attempts: 1}, notify.Attempt{Time: c.t}, notify.Delivered, time.Time{}); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(time.Minute)
	if got := ids(); len(got) != 1 || got[0] != d.ID {
		t.Fatalf("due at the retry: %v, want %s", got, d.ID)
	}
	marks, err := s.db.Collection(DueCollection).CountDocuments(ctx, bson.M{})
	if err != nil || marks != 1 {
		t.Errorf("%d markers (%v), want 1: the delivered one's must go", marks, err)
	}
	log, _, err := s.ListDeliveries(ctx, "webhookSubscriptions/s", "", 10)
	if err != nil || len(log) != 2 {
		t.Errorf("delivery log: %d deliveries (%v), want 2", len(log), err)
	}

	// A marker left behind by a crash after the delivery finished is
	// removed when read.
	if _, err := s.db.Collection(DueCollection).InsertOne(ctx, dueDoc{ID: legacy.ID, NextAttempt: c.t}); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 1 || got[0] != d.ID {
		t.Fatalf("due with a stale marker: %v", got)
	}
	if n, _ := s.db.Collection(DueCollection).CountDocuments(ctx, bson.M{"_id": legacy.ID}); n != 0 {
		t.Error("the stale marker was kept")
	}
}
