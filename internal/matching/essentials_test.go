package matching

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/seed"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// essentialSource holds candidates as Essentials and gives whole listings
// back, as the service's catalogue does.
type essentialSource struct {
	*SliceSource
	full map[string]*pb.Listing
}

func (s essentialSource) FullListing(name string) *pb.Listing { return s.full[name] }

// TestEssentialsRankAsWholeListings: an engine over Essentials with a
// Hydrator returns exactly what an engine over whole listings returns, for
// every open request of the demo data and of a synthetic catalogue (and a
// request big enough to need a group), on the compiled and the plain scan
// path. A field the engine reads but Essentials drops shows up here as a
// different score, breakdown or order.
func TestEssentialsRankAsWholeListings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ds   *seed.Dataset
	}{
		{"demo", seed.Demo(fixedNow)},
		{"synthetic", synth.Generate(7, 300, 3000, fixedNow)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			producers := map[string]*pb.Producer{}
			for _, p := range tc.ds.Producers {
				producers[p.GetName()] = p
			}
			var whole, trimmed []Candidate
			full := map[string]*pb.Listing{}
			for _, l := range tc.ds.Listings {
				if l.GetState() != pb.Listing_ACTIVE {
					continue
				}
				p := producers[parentName(l.GetName())]
				whole = append(whole, Candidate{Listing: l, Producer: p})
				trimmed = append(trimmed, Candidate{Listing: Essentials(l), Producer: p})
				full[l.GetName()] = l
			}
			if len(whole) == 0 {
				t.Fatal("no active listings")
			}
			if a, b := proto.Size(whole[0].Listing), proto.Size(trimmed[0].Listing); b >= a {
				t.Fatalf("essentials of %s are %d bytes, the whole listing %d", whole[0].Listing.GetName(), b, a)
			}
			opts := Options{Requirements: requirement.Catalogue(), Rates: fx.DefaultRates(), Now: clock}
			want := New(NewSliceSource(whole), opts)
			ess := essentialSource{NewSliceSource(trimmed), full}
			got := map[string]*Engine{
				"indexed": New(ess, opts),
				"plain":   New(plainHydrated{ess}, opts),
			}
			buyers := map[string]*pb.Buyer{}
			for _, b := range tc.ds.Buyers {
				buyers[b.GetName()] = b
			}
			requests := 0
			for _, r := range tc.ds.BuyingRequests {
				if r.GetState() != pb.BuyingRequest_OPEN || requests == 40 {
					continue
				}
				requests++
				buyer := buyers[parentOfRequest(r.GetName())]
				w := want.Match(r, buyer, MaxLimit)
				for path, e := range got {
					if diff := cmp.Diff(w, e.Match(r, buyer, MaxLimit), cmpProto); diff != "" {
						t.Fatalf("%s, %s: essentials rank differently (-whole +essentials):\n%s", r.GetName(), path, diff)
					}
				}
			}
			if requests == 0 {
				t.Fatal("no open requests")
			}
		})
	}
}

// plainHydrated hides the compiled index but keeps the Hydrator.
type plainHydrated struct{ s essentialSource }

func (p plainHydrated) Candidates(c pb.Category, hs string, fn func(Candidate) bool) {
	p.s.Candidates(c, hs, fn)
}

func (p plainHydrated) FullListing(name string) *pb.Listing { return p.s.FullListing(name) }

func parentOfRequest(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			if j := len("/buyingRequests"); i >= j && name[i-j:i] == "/buyingRequests" {
				return name[:i-j]
			}
		}
	}
	return ""
}
