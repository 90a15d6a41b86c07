package matching

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TestTieBreakByName: equal scores come out in listing-name order, whatever
// the order of the catalogue.
func TestTieBreakByName(t *testing.T) {
	var producers []*pb.Producer
	var listings []*pb.Listing
	for _, id := range []string{"m", "c", "x", "a", "k"} {
		p := maker(id)
		producers = append(producers, p)
		listings = append(listings, djembe(p, "d"))
	}
	want := []string{"producers/a/listings/d", "producers/c/listings/d", "producers/k/listings/d", "producers/m/listings/d", "producers/x/listings/d"}
	for name, e := range engines(t, producers, listings) {
		t.Run(name, func(t *testing.T) {
			resp := e.Match(usRequest(), nil, 0)
			if diff := cmp.Diff(want, matchNames(resp)); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			if len(resp.GetRelaxations()) != 0 {
				t.Errorf("relaxations = %v with nothing to relax", resp.GetRelaxations())
			}
		})
	}
}

// TestLimits: the default is 20 matches, the most 100; qualified_count
// counts them all.
func TestLimits(t *testing.T) {
	var producers []*pb.Producer
	var listings []*pb.Listing
	for i := range 130 {
		p := maker(fmt.Sprintf("p%03d", i))
		producers = append(producers, p)
		listings = append(listings, djembe(p, "d", func(l *pb.Listing) { l.MonthlyCapacity = i64(int64(10 * (i + 1))) }))
	}
	e := newEngine(t, producers, listings)
	for _, tc := range []struct{ limit, want int }{{0, 20}, {-3, 20}, {5, 5}, {100, 100}, {500, 100}} {
		resp := e.Match(usRequest(), nil, tc.limit)
		if len(resp.GetMatches()) != tc.want || resp.GetQualifiedCount() != 130 {
			t.Errorf("limit %d: %d matches of %d qualified, want %d of 130", tc.limit, len(resp.GetMatches()), resp.GetQualifiedCount(), tc.want)
		}
		for i := 1; i < len(resp.GetMatches()); i++ {
			if resp.GetMatches()[i-1].GetScore() < resp.GetMatches()[i].GetScore() {
				t.Fatalf("limit %d: not sorted at %d", tc.limit, i)
			}
		}
	}
}

// TestExposureCap: one producer fills at most MaxListingsPerProducer places
// of a result, even when its listings score best; the cap never hides
// qualifying listings from qualified_count.
func TestExposureCap(t *testing.T) {
	big := maker("big")
	var producers = []*pb.Producer{big}
	var listings []*pb.Listing
	for i := range 8 {
		listings = append(listings, djembe(big, fmt.Sprintf("d%d", i), func(l *pb.Listing) { l.MonthlyCapacity = i64(5000) }))
	}
	for _, id := range []string{"s1", "s2"} {
		p := maker(id)
		producers = append(producers, p)
		listings = append(listings, djembe(p, "d", func(l *pb.Listing) { l.MonthlyCapacity = i64(100) }))
	}
	count := func(resp *pb.MatchBuyingRequestResponse) int {
		n := 0
		for _, m := range resp.GetMatches() {
			if m.GetProducer().GetName() == big.GetName() {
				n++
			}
		}
		return n
	}
	req := usRequest(func(r *pb.BuyingRequest) { r.Quantity = 1000 })
	for _, tc := range []struct {
		name    string
		cap     int
		limit   int
		wantBig int
		wantLen int
	}{
		{"default cap", 0, 20, DefaultMaxListingsPerProducer, DefaultMaxListingsPerProducer + 2},
		{"cap of one", 1, 20, 1, 3},
		{"cap with a small page", 2, 3, 2, 3},
		{"no cap", -1, 20, 8, 10},
		// The heap holds limit*cap = 2 listings, all of big: the walk runs
		// dry and falls back to sorting everything.
		{"fallback", 1, 2, 1, 2},
	} {
		for name, e := range engines(t, producers, listings, func(o *Options) { o.MaxListingsPerProducer = tc.cap }) {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				resp := e.Match(req, nil, tc.limit)
				if got := count(resp); got != tc.wantBig {
					t.Errorf("%d listings of the big producer, want %d: %v", got, tc.wantBig, matchNames(resp))
				}
				if len(resp.GetMatches()) != tc.wantLen || resp.GetQualifiedCount() != 10 {
					t.Errorf("%d matches of %d qualified, want %d of 10", len(resp.GetMatches()), resp.GetQualifiedCount(), tc.wantLen)
				}
				if names := matchNames(resp); !slices.IsSortedFunc(resp.GetMatches(), func(a, b *pb.ListingMatch) int {
					switch {
					case a.GetScore() > b.GetScore():
						return -1
					case a.GetScore() < b.GetScore():
						return 1
					}
					return 0
				}) {
					t.Errorf("not sorted: %v", names)
				}
			})
		}
	}
}
