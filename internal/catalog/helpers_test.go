package catalog

import (
	"testing"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/seed"
)

// testNow is the fixed clock of the tests; seed.Demo dates its certificates
// from it.
var testNow = time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)

// demoIndex loads the demo data set into a fresh index.
func demoIndex(t testing.TB) (*Index, *seed.Dataset) {
	t.Helper()
	ds := seed.Demo(testNow)
	x := New(DefaultVocabulary(), fx.DefaultRates())
	// Listings first: they must wait for their producer.
	for _, l := range ds.Listings {
		x.PutListing(l)
	}
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	return x, ds
}

func mustSearch(t testing.TB, x *Index, req *pb.SearchListingsRequest) *pb.SearchListingsResponse {
	t.Helper()
	resp, err := x.Search(req, testNow)
	if err != nil {
		t.Fatalf("Search(%v): %v", req, err)
	}
	return resp
}

func hitNames(resp *pb.SearchListingsResponse) []string {
	out := make([]string, len(resp.GetHits()))
	for i, h := range resp.GetHits() {
		out[i] = h.GetListing().GetName()
	}
	return out
}

func i64p(v int64) *int64 { return &v }
