package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/testclock"
)

// memStore is an in-memory Store for the notifier's own rules (cursors,
// retries, giving up); the MongoDB one is tested in package mongostore.
type memStore struct {
	mu         sync.Mutex
	cursors    map[string][2]time.Time
	requests   []*pb.BuyingRequest
	producers  []*pb.Producer
	events     map[string]Event
	notes      map[string]Notification
	deliveries map[string]*Delivery
	subs       []Subscription
	pruneCalls int
}

func newMemStore() *memStore {
	return &memStore{cursors: map[string][2]time.Time{}, events: map[string]Event{}, notes: map[string]Notification{}, deliveries: map[string]*Delivery{}}
}

func (m *memStore) Cursor(_ context.Context, src string, init time.Time) (time.Time, time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.cursors[src]
	if !ok {
		c = [2]time.Time{init, init}
		m.cursors[src] = c
	}
	return c[0], c[1], nil
}

func (m *memStore) SetCursor(_ context.Context, src string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cursors[src]
	if at.After(c[0]) {
		c[0] = at
	}
	m.cursors[src] = c
	return nil
}

func (m *memStore) Updated(_ context.Context, kind string, since time.Time, fn func(any, time.Time) error) error {
	var items []interface {
		GetUpdateTime() *timestamppb.Timestamp
	}
	switch kind {
	case "buying_requests":
		for _, r := range m.requests {
			items = append(items, r)
		}
	case "producers":
		for _, p := range m.producers {
			items = append(items, p)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		return items[i].GetUpdateTime().AsTime().Before(items[j].GetUpdateTime().AsTime())
	})
	for _, it := range items {
		if t := it.GetUpdateTime().AsTime(); !t.Before(since) {
			if err := fn(it, t); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *memStore) AllProducers(context.Context, func(*pb.Producer) error) error { return nil }
func (m *memStore) AllMatches(context.Context, func(*pb.Match) error) error      { return nil }
func (m *memStore) GetProducer(_ context.Context, name string) (*pb.Producer, error) {
	for _, p := range m.producers {
		if p.GetName() == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", store.ErrNotFound, name)
}
func (m *memStore) GetBuyer(_ context.Context, name string) (*pb.Buyer, error) {
	return nil, fmt.Errorf("%w: %s", store.ErrNotFound, name)
}

func (m *memStore) SaveEvent(_ context.Context, e Event, ds []Delivery) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range e.Notices {
		name := NotificationName(n.Recipient, e.ID)
		if _, ok := m.notes[name]; !ok {
			m.notes[name] = Notification{Name: name, Recipient: n.Recipient, EventID: e.ID, Type: e.Type, Link: n.Link, Params: n.Params}
		}
	}
	for _, d := range ds {
		if _, ok := m.deliveries[d.ID]; !ok {
			d := d
			m.deliveries[d.ID] = &d
		}
	}
	_, seen := m.events[e.ID]
	if !seen {
		m.events[e.ID] = e
	}
	return !seen, nil
}

func (m *memStore) GetEvent(_ context.Context, id string) (Event, error) { return m.events[id], nil }
func (m *memStore) GetNotification(_ context.Context, name string) (Notification, error) {
	return m.notes[name], nil
}
func (m *memStore) ActiveSubscriptions(context.Context) ([]Subscription, error) { return m.subs, nil }
func (m *memStore) GetSubscription(_ context.Context, name string) (Subscription, error) {
	for _, s := range m.subs {
		if s.Name == name {
			return s, nil
		}
	}
	return Subscription{}, fmt.Errorf("%w: %s", store.ErrNotFound, name)
}
func (m *memStore) NotificationSettings(context.Context, string) (Settings, error) {
	return Settings{}, nil
}

func (m *memStore) DueDeliveries(_ context.Context, now time.Time, limit int) ([]Delivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Delivery
	for _, d := range m.deliveries {
		if d.State == Pending && !d.NextAttempt.After(now) && len(out) < limit {
			out = append(out, *d)
		}
	}
	return out, nil
}

func (m *memStore) ClaimDelivery(_ context.Context, d Delivery, now, lease time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := m.deliveries[d.ID]
	if cur.State != Pending || cur.Attempts != d.Attempts || cur.NextAttempt.After(now) {
		return false, nil
	}
	cur.Attempts++
	cur.NextAttempt = lease
	return true, nil
}

func (m *memStore) FinishAttempt(_ context.Context, d Delivery, a Attempt, state string, next time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur := m.deliveries[d.ID]
	cur.State, cur.NextAttempt, cur.LastError = state, next, a.Error
	if state != Pending {
		cur.DoneTime = a.Time.Add(a.Duration)
	}
	cur.Log = append(cur.Log, a)
	return nil
}

func (m *memStore) PruneNotifyClaims(context.Context, time.Time) error { return nil }

func (m *memStore) PruneDeliveries(_ context.Context, before time.Time, limit int) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pruneCalls++
	n := 0
	for id, d := range m.deliveries {
		if n < limit && d.State != Pending && !d.DoneTime.IsZero() && d.DoneTime.Before(before) {
			delete(m.deliveries, id)
			n++
		}
	}
	return n, nil
}

func TestNotifierScansFromTheCursor(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	st := newMemStore()
	st.producers = []*pb.Producer{
		{Name: "producers/seeded", VerificationState: pb.VerificationState_VERIFIED, UpdateTime: timestamppb.New(clk.Now().Add(-time.Second))},
	}
	n := New(st, Options{Now: clk.Now}, nil)
	if err := n.Init(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	st.producers = append(st.producers, &pb.Producer{Name: "producers/new", VerificationState: pb.VerificationState_REJECTED, UpdateTime: timestamppb.New(clk.Now())})
	n.Round(ctx)
	n.Round(ctx)
	if len(st.events) != 1 || st.events["verification.decided/producers/new/REJECTED"].ID == "" {
		t.Fatalf("events %v, want the decision written after the start only", st.events)
	}
	if at, _, _ := st.Cursor(ctx, "producers", time.Time{}); !at.Equal(clk.Now()) {
		t.Errorf("cursor at %v, want %v", at, clk.Now())
	}
}

func TestNotifierGivesUpOnAPoisonResource(t *testing.T) {
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	st := newMemStore()
	failing := errors.New("matching engine down")
	n := New(st, Options{Now: clk.Now, Matcher: func(context.Context, *pb.BuyingRequest) ([]Fit, error) { return nil, failing }}, nil)
	if err := n.Init(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	written := clk.Now()
	st.requests = []*pb.BuyingRequest{{Name: "buyers/b/buyingRequests/r", State: pb.BuyingRequest_OPEN, UpdateTime: timestamppb.New(written)}}
	for round := 1; round <= maxDeriveFailures; round++ {
		at, _, _ := st.Cursor(ctx, "buying_requests", time.Time{})
		if at.Equal(written) {
			t.Fatalf("round %d: the cursor passed a request whose events failed", round)
		}
		n.Round(ctx)
	}
	if at, _, _ := st.Cursor(ctx, "buying_requests", time.Time{}); !at.Equal(written) {
		t.Errorf("after %d failures the cursor is still at %v", maxDeriveFailures, at)
	}
}

func TestNotifierRetriesThenDeadLetters(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	clk := testclock.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	st := newMemStore()
	st.subs = []Subscription{{Name: "webhookSubscriptions/crm", URL: srv.URL, Secret: "0123456789abcdef0123456789abcdef"}}
	n := New(st, Options{Now: clk.Now, MaxAttempts: 3, RetryBase: time.Minute, RetryMax: time.Hour, Targets: TargetPolicy{AllowLoopback: true}}, nil)
	if err := n.Init(ctx); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Second)
	st.producers = []*pb.Producer{{Name: "producers/p", VerificationState: pb.VerificationState_VERIFIED, UpdateTime: timestamppb.New(clk.Now())}}
	n.Round(ctx)
	var d *Delivery
	for _, x := range st.deliveries {
		d = x
	}
	if d == nil || d.Attempts != 1 || d.State != Pending {
		t.Fatalf("after one round: %+v", d)
	}
	// Not due before the backoff (at least half the base) has passed.
	first := d.NextAttempt
	if wait := first.Sub(clk.Now()); wait < 30*time.Second || wait > time.Minute {
		t.Errorf("first retry in %v, want 30s to 1m", wait)
	}
	n.Round(ctx)
	if d.Attempts != 1 {
		t.Fatalf("retried before it was due: %+v", d)
	}
	for range 2 {
		clk.Advance(3 * time.Minute)
		n.Round(ctx)
	}
	if d.State != Dead || d.Attempts != 3 || len(d.Log) != 3 || d.Log[2].Status != http.StatusBadGateway {
		t.Errorf("after 3 attempts: %+v", d)
	}
	clk.Advance(time.Hour)
	n.Round(ctx)
	mu.Lock()
	defer mu.Unlock()
	if hits != 3 {
		t.Errorf("receiver hit %d times, want 3", hits)
	}
}
