package catalogsync

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/matching"
	"github.com/adiekspor/temubisnis/internal/money/fx"
)

func names(src matching.Source, cat pb.Category, hs string) []string {
	var out []string
	src.Candidates(cat, hs, func(c matching.Candidate) bool { out = append(out, c.Listing.GetName()); return true })
	slices.Sort(out)
	return out
}

func TestCandidates(t *testing.T) {
	t.Parallel()
	c := NewCandidates()
	c.PutProducer(&pb.Producer{Name: "producers/a"})
	c.PutProducer(&pb.Producer{Name: "producers/b"})
	c.PutListing(&pb.Listing{Name: "producers/a/listings/drum", Category: pb.Category_MUSICAL_INSTRUMENT, HsCode: "920600", State: pb.Listing_ACTIVE})
	c.PutListing(&pb.Listing{Name: "producers/a/listings/koi", Category: pb.Category_ORNAMENTAL_FISH, HsCode: "03011191", State: pb.Listing_ACTIVE})
	c.PutListing(&pb.Listing{Name: "producers/b/listings/draft", Category: pb.Category_MUSICAL_INSTRUMENT, State: pb.Listing_DRAFT})
	c.PutListing(&pb.Listing{Name: "producers/z/listings/orphan", Category: pb.Category_MUSICAL_INSTRUMENT, State: pb.Listing_ACTIVE})

	if got := names(c, pb.Category_MUSICAL_INSTRUMENT, ""); !slices.Equal(got, []string{"producers/a/listings/drum"}) {
		t.Fatalf("drums: %v (drafts and listings without a producer must not be candidates)", got)
	}
	if got := names(c, pb.Category_CATEGORY_UNSPECIFIED, "0301"); !slices.Equal(got, []string{"producers/a/listings/koi"}) {
		t.Fatalf("by HS prefix: %v", got)
	}
	snap := c.Snapshot()
	if got := names(snap, pb.Category_CATEGORY_UNSPECIFIED, ""); len(got) != 2 {
		t.Fatalf("snapshot: %v", got)
	}
	// Pausing moves a listing out; the next snapshot of a small catalogue
	// follows at once.
	c.PutListing(&pb.Listing{Name: "producers/a/listings/koi", Category: pb.Category_ORNAMENTAL_FISH, State: pb.Listing_PAUSED})
	if got := names(c.Snapshot(), pb.Category_CATEGORY_UNSPECIFIED, ""); !slices.Equal(got, []string{"producers/a/listings/drum"}) {
		t.Fatalf("after pause: %v", got)
	}
	// Deleting a producer drops its listings.
	c.DeleteProducer("producers/a")
	if got := names(c, pb.Category_CATEGORY_UNSPECIFIED, ""); len(got) != 0 {
		t.Fatalf("after deleting the producer: %v", got)
	}
	if snap2 := c.Snapshot(); snap2 == snap || snap2.Len() != 0 {
		t.Fatalf("snapshot not rebuilt: %d", snap2.Len())
	}
}

// TestTrimmedCandidatesReturnWholeListings: candidates trimmed to what
// matching reads still produce matches that carry the whole listing, as
// the search index holds it.
func TestTrimmedCandidatesReturnWholeListings(t *testing.T) {
	t.Parallel()
	idx := catalog.New(catalog.DefaultVocabulary(), fx.DefaultRates())
	c := NewCandidates()
	c.TrimTo(idx.Listing)
	c.SetExchangeRates(fx.DefaultRates())
	models := Tee{idx, c}
	models.PutProducer(&pb.Producer{Name: "producers/a", DisplayName: "Kendang A", District: "Garum", VerificationState: pb.VerificationState_VERIFIED})
	l := &pb.Listing{
		Name: "producers/a/listings/drum", Title: "Djembe 60 cm", Description: "Mahogany, goatskin head",
		Attributes: map[string]string{"wood": "mahogany"}, ImageUris: []string{"https://example.com/drum.jpg"},
		Category: pb.Category_MUSICAL_INSTRUMENT, HsCode: "920600", Unit: "piece", State: pb.Listing_ACTIVE,
		ShipToCountryCodes: []string{"CN"}, Etag: "v1",
	}
	models.PutListing(l)

	var kept *pb.Listing
	c.Candidates(pb.Category_MUSICAL_INSTRUMENT, "", func(cand matching.Candidate) bool { kept = cand.Listing; return true })
	if kept == nil || kept.GetTitle() != "" || kept.GetDescription() != "" || len(kept.GetAttributes()) != 0 {
		t.Fatalf("candidate = %v, want only the fields matching reads", kept)
	}
	e := matching.New(c, matching.Options{Rates: fx.DefaultRates()})
	resp := e.Match(&pb.BuyingRequest{
		Name: "buyers/b/buyingRequests/r", Category: pb.Category_MUSICAL_INSTRUMENT, Quantity: 10, Unit: "piece",
		DestinationCountryCode: "CN", State: pb.BuyingRequest_OPEN,
	}, nil, 0)
	if len(resp.GetMatches()) != 1 {
		t.Fatalf("matches = %v, want the drum", resp.GetMatches())
	}
	if got := resp.GetMatches()[0].GetListing(); !proto.Equal(got, l) {
		t.Fatalf("matched listing = %v, want the whole listing %v", got, l)
	}
}
