package mongostore

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/notify"
)

func newNotifyStore(t *testing.T, c *clock) (*Store, context.Context) {
	t.Helper()
	s := newStore(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	for range 2 { // idempotent
		if err := s.EnsureNotifyIndexes(ctx); err != nil {
			t.Fatal(err)
		}
	}
	return s, ctx
}

func TestSaveEventOnce(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	s, ctx := newNotifyStore(t, c)
	ev := notify.Event{ID: "request.fits/buyers/b/buyingRequests/r/producers/p", Type: notify.RequestFits, Time: c.t, Subject: "buyers/b/buyingRequests/r",
		Data: map[string]string{"score": "0.80"}, Notices: []notify.Notice{{Recipient: "producers/p", Link: "/buyers/b/buyingRequests/r"}, {Recipient: notify.TradeOffice}}}
	d := notify.Delivery{ID: notify.Key(ev.ID) + "|webhook|webhookSubscriptions/s", EventID: ev.ID, Channel: notify.ChannelWebhook,
		Target: "webhookSubscriptions/s", State: notify.Pending, NextAttempt: c.t, CreateTime: c.t}
	for i, want := range []bool{true, false, false} {
		fresh, err := s.SaveEvent(ctx, ev, []notify.Delivery{d})
		if err != nil || fresh != want {
			t.Fatalf("save %d: fresh %v, %v; want %v", i, fresh, err, want)
		}
	}
	for _, inbox := range []string{"producers/p", notify.TradeOffice} {
		ns, more, err := s.ListNotifications(ctx, inbox, "", false, 10)
		if err != nil || more || len(ns) != 1 || ns[0].EventID != ev.ID {
			t.Fatalf("inbox %s: %+v %v %v", inbox, ns, more, err)
		}
		if n, err := s.CountUnread(ctx, inbox); err != nil || n != 1 {
			t.Fatalf("unread of %s: %d %v", inbox, n, err)
		}
	}
	due, err := s.DueDeliveries(ctx, c.t, 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %v %v", due, err)
	}
	got, err := s.GetEvent(ctx, ev.ID)
	if err != nil || got.Data["score"] != "0.80" || got.Seq == "" {
		t.Fatalf("event: %+v %v", got, err)
	}
	evs, err := s.EventsAfter(ctx, notify.SeqKey(c.t.Add(-time.Second)), 10)
	if err != nil || len(evs) != 1 || evs[0].ID != ev.ID {
		t.Fatalf("events after: %+v %v", evs, err)
	}
	if evs, _ := s.EventsAfter(ctx, got.Seq, 10); len(evs) != 0 {
		t.Fatalf("events after the last: %+v", evs)
	}
}

// Many replicas claiming the same attempt: exactly one wins, even though
// FerretDB's conditional updates are not atomic.
func TestClaimDeliveryOnce(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	s, ctx := newNotifyStore(t, c)
	savePendingWebhook(t, ctx, s, c.t)
	for attempt := 0; attempt < 3; attempt++ {
		due, err := s.DueDeliveries(ctx, c.t, 10)
		if err != nil || len(due) != 1 || due[0].Attempts != attempt {
			t.Fatalf("attempt %d: due %+v %v", attempt, due, err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.ClaimDelivery(ctx, due[0], c.t, c.t.Add(time.Minute))
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("attempt %d: %d claims won, want 1", attempt, wins.Load())
		}
		d := due[0]
		d.Attempts++
		if err := s.FinishAttempt(ctx, d, notify.Attempt{Time: c.t, Status: 500, Error: "HTTP 500"}, notify.Pending, c.t); err != nil {
			t.Fatal(err)
		}
	}
	ds, _, err := s.ListDeliveries(ctx, "webhookSubscriptions/s", "", 10)
	if err != nil || len(ds) != 1 || ds[0].Attempts != 3 || len(ds[0].Log) != 3 || ds[0].Log[2].Status != 500 {
		t.Fatalf("log: %+v %v", ds, err)
	}
}

func TestNotifyCursor(t *testing.T) {
	t.Parallel()
	c := &clock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	s, ctx := newNotifyStore(t, c)
	at, floor, err := s.Cursor(ctx, "matches", c.t)
	if err != nil || !at.Equal(c.t) || !floor.Equal(c.t) {
		t.Fatalf("new cursor: %v %v %v", at, floor, err)
	}
	later := c.t.Add(time.Hour)
	if err := s.SetCursor(ctx, "matches", later); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCursor(ctx, "matches", c.t.Add(time.Minute)); err != nil { // backwards: ignored
		t.Fatal(err)
	}
	at, floor, err = s.Cursor(ctx, "matches", c.t.Add(48*time.Hour))
	if err != nil || !at.Equal(later) || !floor.Equal(c.t) {
		t.Fatalf("cursor: at %v floor %v %v; want %v, %v", at, floor, err, later, c.t)
	}
}

// savePendingWebhook stores an event with one pending webhook delivery,
// due at now, and returns the delivery.
func savePendingWebhook(t *testing.T, ctx context.Context, s *Store, now time.Time) notify.Delivery {
	t.Helper()
	ev := notify.Event{ID: "deal.recorded/matches/m", Type: notify.DealRecorded, Time: now, Subject: "matches/m"}
	d := notify.Delivery{ID: notify.Key(ev.ID) + "|webhook|webhookSubscriptions/s", EventID: ev.ID, Channel: notify.ChannelWebhook,
		Target: "webhookSubscriptions/s", State: notify.Pending, NextAttempt: now, CreateTime: now}
	if _, err := s.SaveEvent(ctx, ev, []notify.Delivery{d}); err != nil {
		t.Fatal(err)
	}
	return d
}
