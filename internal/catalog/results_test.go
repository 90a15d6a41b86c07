package catalog

import (
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// TestAnswerCache: a repeated search is answered from the cache only while
// nothing was written, on the same day, for the very same request; every
// other answer equals one computed without the cache.
func TestAnswerCache(t *testing.T) {
	t.Parallel()
	ds := synth.Generate(5, 30, 400, testNow)
	x := New(DefaultVocabulary(), fx.DefaultRates())
	plain := New(DefaultVocabulary(), fx.DefaultRates())
	for _, m := range []*Index{x, plain} {
		for _, p := range ds.Producers {
			m.PutProducer(p)
		}
		for _, l := range ds.Listings {
			m.PutListing(l)
		}
	}
	x.CacheResults(8)
	req := &pb.SearchListingsRequest{Query: "djembe", PageSize: 5}
	search := func(m *Index, r *pb.SearchListingsRequest, now int) *pb.SearchListingsResponse {
		t.Helper()
		resp, err := m.Search(r, testNow.AddDate(0, 0, now))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	same := func(step string, r *pb.SearchListingsRequest, day int) *pb.SearchListingsResponse {
		t.Helper()
		got := search(x, r, day)
		if want := search(plain, r, day); !proto.Equal(got, want) {
			t.Fatalf("%s: the cached index answers\n%v\nwithout the cache\n%v", step, got, want)
		}
		return got
	}
	hitsAfter := func(step string, want uint64) {
		t.Helper()
		if h, _ := x.ResultCacheStats(); h != want {
			t.Fatalf("%s: %d cache hits, want %d", step, h, want)
		}
	}

	first := same("first", req, 0)
	if len(first.GetHits()) == 0 {
		t.Fatal("no hits for djembe")
	}
	if again := same("again", req, 0); again != first {
		t.Fatal("the same request again was computed afresh")
	}
	hitsAfter("again", 1)

	// Another page, view or query is another answer.
	same("page 2", &pb.SearchListingsRequest{Query: "djembe", PageSize: 5, PageToken: first.GetNextPageToken()}, 0)
	same("basic", &pb.SearchListingsRequest{Query: "djembe", PageSize: 5, View: pb.ListingView_BASIC}, 0)
	hitsAfter("other requests", 1)

	// The next day (certificates expire) is computed afresh.
	same("next day", req, 1)
	hitsAfter("next day", 1)

	// A write anywhere in the index (here: a listing's price) forgets
	// every answer, even one it does not seem to touch.
	l := proto.Clone(ds.Listings[0]).(*pb.Listing)
	l.PriceMin, l.PriceMax = money.FromMinor("USD", 1), money.FromMinor("USD", 2)
	for _, m := range []*Index{x, plain} {
		m.PutListing(l)
	}
	same("after a write", req, 0)
	hitsAfter("after a write", 1)

	// So does a new rate table.
	rates := fx.DefaultRates()
	for _, m := range []*Index{x, plain} {
		m.SetExchangeRates(rates)
	}
	same("after new rates", req, 0)
	hitsAfter("after new rates", 1)
	same("then again", req, 0)
	hitsAfter("then again", 2)

	// A bad request is an error, never a cached answer.
	if _, err := x.Search(&pb.SearchListingsRequest{PageSize: -1}, testNow); err == nil {
		t.Fatal("page_size -1 accepted")
	}
	if _, err := x.Search(&pb.SearchListingsRequest{PageSize: -1}, testNow); err == nil {
		t.Fatal("page_size -1 accepted the second time")
	}
}
