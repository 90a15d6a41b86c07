package mongostore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// clock is a test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newStore(t *testing.T, c *clock) *Store {
	t.Helper()
	s := New(testdb.New(t), WithClock(c.now))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	// A second run must be harmless (FerretDB crashes on re-creating
	// existing indexes in one CreateMany; we create missing ones only).
	if err := s.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDerivedExpiry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	s := newStore(t, c)

	r := &pb.BuyingRequest{
		Name: "buyers/b/buyingRequests/r", Title: "Koi", Category: pb.Category_ORNAMENTAL_FISH, Quantity: 10, Unit: "fish",
		State: pb.BuyingRequest_OPEN, ExpireTime: timestamppb.New(c.t.Add(48 * time.Hour)),
	}
	if _, err := s.CreateBuyingRequest(ctx, r, ""); err != nil {
		t.Fatal(err)
	}
	m := &pb.Match{
		Name: "matches/m", BuyingRequest: r.Name, Buyer: "buyers/b", State: pb.Match_PROPOSED,
		ExpireTime: timestamppb.New(c.t.Add(24 * time.Hour)),
		Members:    []*pb.MatchMember{{Listing: "producers/p/listings/l", Producer: "producers/p", AllottedQuantity: 10}},
	}
	if _, err := s.CreateMatch(ctx, m, ""); err != nil {
		t.Fatal(err)
	}
	count := func(list func() (int, error)) int {
		n, err := list()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	requests := func(state string) func() (int, error) {
		return func() (int, error) {
			items, _, err := s.ListBuyingRequests(ctx, store.ListOptions{PageSize: 10, Conditions: []query.Condition{{Field: "state", Op: query.Eq, Value: state}}})
			return len(items), err
		}
	}
	matches := func(state string) func() (int, error) {
		return func() (int, error) {
			items, _, err := s.ListMatches(ctx, store.ListOptions{PageSize: 10, Conditions: []query.Condition{{Field: "state", Op: query.Eq, Value: state}}})
			return len(items), err
		}
	}
	if count(requests("OPEN")) != 1 || count(matches("PROPOSED")) != 1 {
		t.Fatal("fresh request and proposal not open")
	}
	if n, err := s.CountOpenProposals(ctx, "producers/p"); err != nil || n != 1 {
		t.Fatalf("open proposals = %d, %v", n, err)
	}

	c.t = c.t.Add(30 * time.Hour) // the proposal has expired, the request not yet
	got, err := s.GetMatch(ctx, "matches/m")
	if err != nil || got.GetState() != pb.Match_EXPIRED {
		t.Fatalf("match after expiry: %v %v", got.GetState(), err)
	}
	if count(matches("PROPOSED")) != 0 || count(matches("EXPIRED")) != 1 {
		t.Fatal("state filter ignores the derived expiry of matches")
	}
	if n, _ := s.CountOpenProposals(ctx, "producers/p"); n != 0 {
		t.Fatalf("an expired proposal still counts against the producer's cap (%d)", n)
	}

	c.t = c.t.Add(24 * time.Hour) // now the request has expired too
	gr, err := s.GetBuyingRequest(ctx, r.Name)
	if err != nil || gr.GetState() != pb.BuyingRequest_EXPIRED {
		t.Fatalf("request after expiry: %v %v", gr.GetState(), err)
	}
	if count(requests("OPEN")) != 0 || count(requests("EXPIRED")) != 1 {
		t.Fatal("state filter ignores the derived expiry of requests")
	}
}

func TestStaleEtagWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, &clock{t: time.Now()})
	b, err := s.CreateBuyer(ctx, &pb.Buyer{Name: "buyers/b", DisplayName: "B", CountryCode: "JP", BusinessType: pb.Buyer_IMPORTER}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateBuyer(ctx, b.Name, b.Etag, func(x *pb.Buyer) error { x.City = "Osaka"; return nil }); err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdateBuyer(ctx, b.Name, b.Etag, func(x *pb.Buyer) error { x.City = "Tokyo"; return nil })
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale etag: %v", err)
	}
	if err := s.DeleteBuyer(ctx, b.Name, b.Etag, false); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("delete with stale etag: %v", err)
	}
	got, _ := s.GetBuyer(ctx, b.Name)
	if got.GetCity() != "Osaka" {
		t.Fatalf("city %q after a refused write", got.GetCity())
	}
	// A deleted and re-created resource can be updated at once: no claim of
	// its former life blocks it.
	if err := s.DeleteBuyer(ctx, b.Name, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBuyer(ctx, &pb.Buyer{Name: "buyers/b", DisplayName: "B", CountryCode: "JP", BusinessType: pb.Buyer_IMPORTER}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateBuyer(ctx, b.Name, "", func(x *pb.Buyer) error { x.City = "Kobe"; return nil }); err != nil {
		t.Fatalf("update after re-create: %v", err)
	}
}

func TestChangeLog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	s := newStore(t, c)
	if _, err := s.CreateProducer(ctx, &pb.Producer{Name: "producers/p", DisplayName: "P", Kind: pb.Producer_PRODUCER, District: "Garum"}, ""); err != nil {
		t.Fatal(err)
	}
	c.t = c.t.Add(time.Minute)
	if _, err := s.UpdateProducer(ctx, "producers/p", "", func(p *pb.Producer) error { p.Village = "Tingal"; return nil }); err != nil {
		t.Fatal(err)
	}
	changes, err := s.ChangesSince(ctx, c.t.Add(-2*time.Minute), nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 2 || changes[0].Name != "producers/p" || !changes[1].At.After(changes[0].At) {
		t.Fatalf("changes = %+v", changes)
	}
	if err := s.PruneChanges(ctx, c.t); err != nil {
		t.Fatal(err)
	}
	changes, _ = s.ChangesSince(ctx, time.Time{}, nil, 10)
	if len(changes) != 1 {
		t.Fatalf("after pruning: %+v", changes)
	}
}

// TestDeleteRacesUpdate: a delete and an update made with the same etag at
// once; exactly one may succeed.
func TestDeleteRacesUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, &clock{t: time.Now()})
	for i := range 20 {
		name := fmt.Sprintf("buyers/b%d", i)
		b, err := s.CreateBuyer(ctx, &pb.Buyer{Name: name, DisplayName: "B", CountryCode: "JP", BusinessType: pb.Buyer_IMPORTER}, "")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var updErr, delErr error
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, updErr = s.UpdateBuyer(ctx, name, b.Etag, func(x *pb.Buyer) error { x.City = "Osaka"; return nil })
		}()
		go func() {
			defer wg.Done()
			delErr = s.DeleteBuyer(ctx, name, b.Etag, false)
		}()
		wg.Wait()
		if (updErr == nil) == (delErr == nil) {
			t.Fatalf("round %d: update error %v, delete error %v; exactly one must win", i, updErr, delErr)
		}
		_, getErr := s.GetBuyer(ctx, name)
		if (delErr == nil) != errors.Is(getErr, store.ErrNotFound) {
			t.Fatalf("round %d: delete said %v but the buyer lookup says %v", i, delErr, getErr)
		}
	}
}
