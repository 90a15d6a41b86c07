package catalog

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/seed"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// loaded returns an index holding ds.
func loaded(ds *seed.Dataset) *Index {
	x := New(DefaultVocabulary(), fx.DefaultRates())
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	for _, l := range ds.Listings {
		x.PutListing(l)
	}
	return x
}

// TestAnswerCache: a repeated search is answered from the cache only while
// nothing was written, on the same day, for the very same request; every
// other answer equals one computed without the cache.
func TestAnswerCache(t *testing.T) {
	t.Parallel()
	ds := synth.Generate(5, 30, 400, testNow)
	x, plain := loaded(ds), loaded(ds)
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

// TestAnswerCacheUnderWrites: searches running while listings are written
// never see a torn answer (go test -race checks the sharing), and once the
// writes stop the kept answers are those of the final catalogue.
func TestAnswerCacheUnderWrites(t *testing.T) {
	t.Parallel()
	ds := synth.Generate(9, 30, 400, testNow)
	x := loaded(ds)
	x.CacheResults(4)
	reqs := []*pb.SearchListingsRequest{{Query: "djembe"}, {Query: "koi", PageSize: 3}, {}}
	done := make(chan struct{})
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				resp, err := x.Search(reqs[(g+i)%len(reqs)], testNow)
				if err != nil {
					errs <- err
					return
				}
				_, _ = proto.Marshal(resp) // read every field, as the gateway does
			}
		}()
	}
	for i, l := range ds.Listings[:60] {
		c := proto.Clone(l).(*pb.Listing)
		c.Title = fmt.Sprintf("%s, edition %d", c.GetTitle(), i)
		x.PutListing(c)
	}
	close(done)
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	x.noTermCache = true
	var fresh []*pb.SearchListingsResponse
	for _, r := range reqs {
		resp, err := x.Search(r, testNow)
		if err != nil {
			t.Fatal(err)
		}
		fresh = append(fresh, resp)
	}
	x.noTermCache = false
	for i, r := range reqs {
		for range 2 { // computed, then kept
			resp, err := x.Search(r, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if !proto.Equal(resp, fresh[i]) {
				t.Fatalf("%v: the cache answers differently from a fresh search after the writes", r)
			}
		}
	}
}
