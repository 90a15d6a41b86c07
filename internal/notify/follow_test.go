package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/testclock"
)

func TestFullScanDue(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		now  time.Time
		last time.Time
		want bool
	}{
		{"never scanned", t0, time.Time{}, true},
		{"just scanned", t0, t0, false},
		{"before the interval", t0.Add(10*time.Minute - time.Nanosecond), t0, false},
		{"at the interval", t0.Add(10 * time.Minute), t0, true},
		{"clock set back", t0.Add(-time.Hour), t0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fullScanDue(c.now, c.last, 10*time.Minute); got != c.want {
				t.Errorf("fullScanDue = %v, want %v", got, c.want)
			}
		})
	}
}

func TestChangesStale(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	const retention, overlap = 10 * time.Minute, time.Minute
	for _, c := range []struct {
		name string
		pos  time.Time
		want bool
	}{
		{"current", now, false},
		{"ahead (another replica's clock)", now.Add(time.Minute), false},
		{"within the retention less the overlap", now.Add(-9 * time.Minute), false},
		{"past the retention less the overlap", now.Add(-9*time.Minute - time.Nanosecond), true},
		{"down for an hour", now.Add(-time.Hour), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := changesStale(c.pos, now, retention, overlap); got != c.want {
				t.Errorf("changesStale = %v, want %v", got, c.want)
			}
		})
	}
}

// logStore adds a change log to memStore.
type logStore struct {
	*memStore
	log   []Change // in (At, ID) order
	reads int
}

func (l *logStore) Changes(_ context.Context, since time.Time, after *Change, limit int) ([]Change, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Change
	for _, c := range l.log {
		if c.At.Before(since) || (after != nil && (c.At.Before(after.At) || (c.At.Equal(after.At) && c.ID <= after.ID))) {
			continue
		}
		if out = append(out, c); len(out) == limit {
			break
		}
	}
	return out, nil
}

func (l *logStore) Resource(_ context.Context, source, name string) (any, time.Time, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reads++
	if source == "buying_requests" {
		for _, r := range l.requests {
			if r.GetName() == name {
				return r, r.GetUpdateTime().AsTime(), nil
			}
		}
	}
	return nil, time.Time{}, fmt.Errorf("%w: %s", store.ErrNotFound, name)
}

// A request whose events fail is read again from the change log, round
// after round, without a full scan, behind more entries than one page.
func TestNotifierRetriesAChangeEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := testclock.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	st := &logStore{memStore: newMemStore()}
	calls := 0
	matcher := func(context.Context, *pb.BuyingRequest) ([]Fit, error) {
		if calls++; calls <= 2 {
			return nil, errors.New("matching engine down")
		}
		return []Fit{{Producer: "producers/p", Listing: "producers/p/listings/l", Score: 0.9}}, nil
	}
	n := New(st, Options{Now: clk.Now, Matcher: matcher}, nil)
	if err := n.Init(ctx); err != nil {
		t.Fatal(err)
	}
	n.Round(ctx) // the full scan at start
	clk.Advance(time.Second)
	at := clk.Now()
	for i := range changePage + 10 { // listings: no events, and more than a page in one instant
		st.log = append(st.log, Change{ID: fmt.Sprintf("a%05d", i), At: at, Kind: "listing", Name: fmt.Sprintf("producers/p/listings/%d", i)})
	}
	st.log = append(st.log, Change{ID: "b", At: at, Kind: "buying request", Name: "buyers/b/buyingRequests/r"},
		Change{ID: "c", At: at, Kind: "buying request", Name: "buyers/b/buyingRequests/deleted"})
	st.requests = []*pb.BuyingRequest{{Name: "buyers/b/buyingRequests/r", State: pb.BuyingRequest_OPEN, UpdateTime: timestamppb.New(at)}}
	for round := 1; round <= 2; round++ {
		clk.Advance(5 * time.Second)
		n.Round(ctx)
		if pos, _, _ := st.Cursor(ctx, changesCursor, time.Time{}); pos.After(at) {
			t.Fatalf("round %d: the change-log position %v passed the entry whose events failed", round, pos)
		}
	}
	clk.Advance(5 * time.Second)
	n.Round(ctx)
	if len(st.events) != 1 || calls != 3 {
		t.Fatalf("after the engine recovered: %d events, %d matcher calls; want 1 and 3", len(st.events), calls)
	}
	if pos, _, _ := st.Cursor(ctx, changesCursor, time.Time{}); !pos.Equal(clk.Now()) {
		t.Errorf("position %v, want the round's time %v", pos, clk.Now())
	}
	reads := st.reads
	clk.Advance(5 * time.Second)
	n.Round(ctx) // the entries are still within the overlap: not read again
	if calls != 3 || st.reads != reads {
		t.Errorf("the next round read %d resources and called the matcher %d times again", st.reads-reads, calls-3)
	}
}
