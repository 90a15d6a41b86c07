package catalogsync

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/store"
)

// fakeSource is an in-memory change log and catalogue with the semantics of
// mongostore's.
type fakeSource struct {
	changes  []mongostore.Change
	listings map[string]*pb.Listing
	reads    int
}

func (f *fakeSource) AllProducers(context.Context, func(*pb.Producer) error) error { return nil }
func (f *fakeSource) AllListings(context.Context, func(*pb.Listing) error) error   { return nil }
func (f *fakeSource) GetProducer(_ context.Context, name string) (*pb.Producer, error) {
	return &pb.Producer{Name: name}, nil
}
func (f *fakeSource) GetListing(_ context.Context, name string) (*pb.Listing, error) {
	f.reads++
	if l, ok := f.listings[name]; ok {
		return l, nil
	}
	return nil, store.ErrNotFound
}
func (f *fakeSource) ExchangeRates(_ context.Context, def *pb.ExchangeRates) (*pb.ExchangeRates, error) {
	return def, nil
}
func (f *fakeSource) PruneChanges(context.Context, time.Time) error { return nil }
func (f *fakeSource) ChangesSince(_ context.Context, since time.Time, after *mongostore.Change, limit int) ([]mongostore.Change, error) {
	var out []mongostore.Change
	for _, c := range f.changes {
		switch {
		case after != nil && (c.At.After(after.At) || (c.At.Equal(after.At) && c.ID.Hex() > after.ID.Hex())):
			out = append(out, c)
		case after == nil && !c.At.Before(since):
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].ID.Hex() < out[j].ID.Hex()
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// TestPollManyChangesInOneInstant: more changes than one page, all at the
// same time, are each applied exactly once, and Poll returns.
func TestPollManyChangesInOneInstant(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	src := &fakeSource{listings: map[string]*pb.Listing{}}
	for i := range 2500 {
		name := fmt.Sprintf("producers/p/listings/l%04d", i)
		src.listings[name] = &pb.Listing{Name: name, State: pb.Listing_ACTIVE, Category: pb.Category_HANDICRAFT}
		src.changes = append(src.changes, mongostore.Change{ID: bson.NewObjectID(), At: at, Kind: "listing", Name: name})
	}
	cands := NewCandidates()
	cands.PutProducer(&pb.Producer{Name: "producers/p"})
	s := New(src, cands, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	s.now = func() time.Time { return at }
	s.since = at.Add(-time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if src.reads != 2500 || cands.Snapshot().Len() != 2500 {
		t.Fatalf("applied %d changes, %d candidates; want 2500", src.reads, cands.Snapshot().Len())
	}
	// A second poll re-reads the overlap window but applies nothing again.
	if err := s.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if src.reads != 2500 {
		t.Fatalf("%d reads after a second poll; changes were applied twice", src.reads)
	}
	// A delete arriving later is applied.
	delete(src.listings, "producers/p/listings/l0007")
	src.changes = append(src.changes, mongostore.Change{ID: bson.NewObjectID(), At: at.Add(time.Second), Kind: "listing", Name: "producers/p/listings/l0007"})
	if err := s.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if cands.Snapshot().Len() != 2499 {
		t.Fatalf("%d candidates after a delete", cands.Snapshot().Len())
	}
}

// fullSource also serves whole-catalogue loads.
type fullSource struct {
	fakeSource
	producers []*pb.Producer
}

func (f *fullSource) AllProducers(_ context.Context, fn func(*pb.Producer) error) error {
	for _, p := range f.producers {
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func (f *fullSource) AllListings(_ context.Context, fn func(*pb.Listing) error) error {
	for _, l := range f.listings {
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}

// TestReloadSweepsLostDeletes: a listing deleted without a change entry is
// removed by the next full reload; one written during the reload is kept.
func TestReloadSweepsLostDeletes(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	src := &fullSource{fakeSource: fakeSource{listings: map[string]*pb.Listing{}}, producers: []*pb.Producer{{Name: "producers/p"}}}
	for _, n := range []string{"a", "b", "c"} {
		name := "producers/p/listings/" + n
		src.listings[name] = &pb.Listing{Name: name, State: pb.Listing_ACTIVE, Category: pb.Category_HANDICRAFT}
	}
	cands := NewCandidates()
	s := New(src, cands, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	s.now = func() time.Time { return now }
	ctx := context.Background()
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	// "b" disappears from the database and its change entry is lost; "d"
	// is put into memory by a write-through and logged.
	delete(src.listings, "producers/p/listings/b")
	cands.PutListing(&pb.Listing{Name: "producers/p/listings/d", State: pb.Listing_ACTIVE, Category: pb.Category_HANDICRAFT})
	src.changes = append(src.changes, mongostore.Change{ID: bson.NewObjectID(), At: now, Kind: "listing", Name: "producers/p/listings/d"})
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	_, got := cands.Names()
	sort.Strings(got)
	if want := []string{"producers/p/listings/a", "producers/p/listings/c", "producers/p/listings/d"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after reload: %v, want %v", got, want)
	}
}

// TestQuietPollsMoveThePosition: with nothing written, each poll still
// moves the position to an overlap behind it, so that a snapshot taken in
// a quiet hour is not older than the change log's retention at a restart.
func TestQuietPollsMoveThePosition(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	now := start
	src := &fakeSource{listings: map[string]*pb.Listing{}}
	s := New(src, NewCandidates(), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	s.now = func() time.Time { return now }
	s.since = start.Add(-s.opts.Overlap)
	ctx := context.Background()
	for range 3 {
		now = now.Add(time.Hour)
		if err := s.Poll(ctx); err != nil {
			t.Fatal(err)
		}
		if want := now.Add(-s.opts.Overlap); !s.since.Equal(want) {
			t.Fatalf("position after a quiet poll at %s = %s, want %s", now.Format(time.TimeOnly), s.since.Format(time.TimeOnly), want.Format(time.TimeOnly))
		}
	}
	// A change recorded late (inside the overlap) is still read.
	name := "producers/p/listings/late"
	src.listings[name] = &pb.Listing{Name: name, State: pb.Listing_ACTIVE}
	src.changes = append(src.changes, mongostore.Change{ID: bson.NewObjectID(), At: now.Add(-s.opts.Overlap / 2), Kind: "listing", Name: name})
	now = now.Add(time.Millisecond)
	if err := s.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if src.reads != 1 {
		t.Fatalf("the late change was read %d times, want once", src.reads)
	}
}
