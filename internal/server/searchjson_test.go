package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
)

// plainGatewayJSON is the marshaler the gateway used before searchJSON,
// with the same options.
func plainGatewayJSON() *runtime.JSONPb {
	return &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}
}

// TestSearchJSONIsProtojson: for many search responses from a synthetic
// catalogue (every query of the load mix, both views, several currencies,
// orders and page sizes, three pages each), the gateway's marshaler writes
// exactly the bytes protojson (runtime.JSONPb) writes, with its caches cold
// and warm.
func TestSearchJSONIsProtojson(t *testing.T) {
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	idx := synthIndex(7, 400, 3000, now)
	svc := grpcapi.New(grpcapi.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Search: idx, Now: func() time.Time { return now }}).Search
	fast, plain := gatewayMarshaler(0, nil), plainGatewayJSON()
	if !fast.fast {
		t.Fatal("the spliced search JSON is turned off")
	}
	queries := []*pb.SearchListingsRequest{
		{Query: "djembe"},
		{Query: "nishikigoi", ShipToCountryCode: "JP"},
		{Query: "非洲鼓"},
		{Query: "monstera", VerifiedOnly: true},
		{Query: "sambal pecel", ShipToCountryCode: "HK"},
		{Categories: []pb.Category{pb.Category_MUSICAL_INSTRUMENT}, ShipToCountryCode: "CN", MaxMinOrderQuantity: proto.Int64(500)},
		{Query: "koi", CurrencyCode: "JPY", PriceMax: &money.Money{CurrencyCode: "JPY", Units: 20000}, OrderBy: pb.SearchListingsRequest_PRICE_ASCENDING},
		{Query: "drum", District: "Nglegok", PageSize: 50},
		{Categories: []pb.Category{pb.Category_ORNAMENTAL_PLANT}, OrderBy: pb.SearchListingsRequest_CAPACITY_DESCENDING},
		{Query: "kendang", ProducerKind: pb.Producer_CONSOLIDATOR},
		{OrderBy: pb.SearchListingsRequest_NEWEST, PageSize: 100},
		{Query: "nothing-matches-this-zzz"},
	}
	compared := 0
	for round := range 2 { // cold caches, then warm
		for qi, q := range queries {
			for _, view := range []pb.ListingView{pb.ListingView_LISTING_VIEW_UNSPECIFIED, pb.ListingView_BASIC, pb.ListingView_FULL} {
				for _, cur := range []string{"", "EUR", "IDR"} {
					req := proto.CloneOf(q)
					req.View = view
					if req.CurrencyCode == "" {
						req.CurrencyCode = cur
					}
					for page := range 3 {
						resp, err := svc.SearchListings(context.Background(), req)
						if err != nil {
							t.Fatalf("query %d: %v", qi, err)
						}
						compareJSON(t, fmt.Sprintf("round %d query %d view %v currency %q page %d", round, qi, view, cur, page), fast, plain, resp)
						compared++
						if resp.GetNextPageToken() == "" {
							break
						}
						req.PageToken = resp.GetNextPageToken()
					}
				}
			}
		}
	}
	t.Logf("%d responses compared", compared)
}

// TestSearchJSONEdgeCases: responses the catalogue does not produce today
// but protojson writes all the same.
func TestSearchJSONEdgeCases(t *testing.T) {
	fast, plain := gatewayMarshaler(0, nil), plainGatewayJSON()
	listing := &pb.Listing{Name: "producers/a/listings/b", Title: "<b>Djembe</b> & \"kendang\" \u2028 非洲鼓", Attributes: map[string]string{"z": "1", "a": "2"}}
	cases := map[string]*pb.SearchListingsResponse{
		"empty":                              {},
		"no hits, facets":                    {TotalSize: 0, Facets: []*pb.Facet{{Field: "category"}}, CurrencyCode: "USD"},
		"hit without anything":               {Hits: []*pb.SearchHit{{}}},
		"hit with listing only":              {Hits: []*pb.SearchHit{{Listing: listing}}},
		"hit with producer only and a score": {Hits: []*pb.SearchHit{{Producer: &pb.ProducerSummary{Name: "producers/a"}, Score: -0.5}}},
		"empty listing message":              {Hits: []*pb.SearchHit{{Listing: &pb.Listing{}, Producer: &pb.ProducerSummary{}}}},
		"odd scores": {Hits: []*pb.SearchHit{
			{Listing: listing, Score: math.NaN()}, {Listing: listing, Score: math.Inf(1)}, {Listing: listing, Score: 1e21}, {Listing: listing, Score: 5e-324},
		}, NextPageToken: "tok", TotalSize: 4, InterpretedTerms: []string{"djembe"}},
	}
	for name, resp := range cases {
		compareJSON(t, name, fast, plain, resp)
		compareJSON(t, name+" (warm)", fast, plain, resp)
	}
	// A listing that changes under the same name is written anew.
	resp := &pb.SearchListingsResponse{Hits: []*pb.SearchHit{{Listing: proto.CloneOf(listing)}}}
	compareJSON(t, "before the change", fast, plain, resp)
	resp.Hits[0].Listing.Title = "changed"
	compareJSON(t, "after the change", fast, plain, resp)
	// Invalid UTF-8 fails as protojson fails.
	bad := &pb.SearchListingsResponse{Hits: []*pb.SearchHit{{Listing: &pb.Listing{Title: "\xff"}}}}
	if _, err := fast.Marshal(bad); err == nil {
		t.Error("invalid UTF-8 was marshalled")
	}
	// Other messages pass through unchanged.
	compareJSON(t, "a listing", fast, plain, listing)
}

// TestSearchJSONCacheBudget: the caches hold no more bytes than their
// budget however many distinct listings pass, dropping the oldest first,
// still writing protojson's bytes; their hit and miss counters move.
func TestSearchJSONCacheBudget(t *testing.T) {
	const budget = 64 << 10
	metrics := newJSONCacheMetrics()
	fast, plain := gatewayMarshaler(budget, metrics), plainGatewayJSON()
	listingHits, listingMisses := metrics.hits.WithLabelValues("listing"), metrics.misses.WithLabelValues("listing")
	producerHits := metrics.hits.WithLabelValues("producer")
	producer := &pb.ProducerSummary{Name: "producers/a", DisplayName: "Kendang Bu Sri"}
	page := func(i int) *pb.SearchListingsResponse {
		return &pb.SearchListingsResponse{Hits: []*pb.SearchHit{{
			Listing:  &pb.Listing{Name: fmt.Sprintf("producers/a/listings/l%d", i), Title: fmt.Sprintf("Djembe %d", i), Description: strings.Repeat("mahogany, goat skin. ", 20)},
			Producer: producer,
		}}}
	}
	const n = 1000 // about 600 KB of listing texts
	for i := range n {
		compareJSON(t, fmt.Sprint("listing ", i), fast, plain, page(i))
	}
	total := func(c *jsonCache) (held int64, entries int) {
		c.mu.RLock()
		defer c.mu.RUnlock()
		for k, js := range c.m {
			held += entryBytes(jsonKey{s: k}, js)
		}
		for k, js := range c.byMsg {
			held += entryBytes(jsonKey{msg: k}, js)
		}
		if held != c.bytes {
			t.Errorf("cache counts %d bytes, holds %d", c.bytes, held)
		}
		return held, len(c.m) + len(c.byMsg)
	}
	lb, ln := total(fast.listings)
	pbytes, _ := total(fast.producers)
	if lb+pbytes > budget || ln == 0 || ln == n {
		t.Errorf("after %d listings: %d bytes of listings (%d entries) and %d of producers, budget %d", n, lb, ln, pbytes, budget)
	}
	if got := counterValue(t, listingMisses); got != n {
		t.Errorf("listing misses %v, want %d", got, n)
	}
	if got := counterValue(t, producerHits); got != n-1 {
		t.Errorf("producer hits %v, want %d (one producer on every page)", got, n-1)
	}
	// The newest listing is held, the oldest was dropped.
	compareJSON(t, "newest again", fast, plain, page(n-1))
	if got := counterValue(t, listingHits); got != 1 {
		t.Errorf("listing hits after the newest again: %v, want 1", got)
	}
	compareJSON(t, "oldest again", fast, plain, page(0))
	if got := counterValue(t, listingMisses); got != n+1 {
		t.Errorf("listing misses after the oldest again: %v, want %d", got, n+1)
	}
}

func counterValue(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

func compareJSON(t *testing.T, name string, fast *searchJSON, plain *runtime.JSONPb, msg proto.Message) {
	t.Helper()
	want, err := plain.Marshal(msg)
	if err != nil {
		t.Fatalf("%s: protojson: %v", name, err)
	}
	got, err := fast.Marshal(msg)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if string(got) != string(want) {
		t.Fatalf("%s: the gateway's JSON differs from protojson's\n got: %s\nwant: %s", name, got, want)
	}
}

// BenchmarkSearchJSON compares protojson with the spliced search JSON on a
// page of 20 full hits (caches warm).
func BenchmarkSearchJSON(b *testing.B) {
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	idx := synthIndex(7, 400, 3000, now)
	resp, err := idx.Search(&pb.SearchListingsRequest{Query: "djembe"}, now)
	if err != nil {
		b.Fatal(err)
	}
	for name, m := range map[string]runtime.Marshaler{"protojson": plainGatewayJSON(), "spliced": gatewayMarshaler(0, nil)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Marshal(resp); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRESTSearchEqualsGRPC: through a running server, a REST search (the
// gateway, the in-process channel, the spliced JSON) answers exactly the
// protojson of what the same search answers over the public gRPC
// listener, with the gRPC response headers passed on as the gateway did
// over a connection.
func TestRESTSearchEqualsGRPC(t *testing.T) {
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	idx := synthIndex(3, 100, 800, now)
	// Answers are kept, so that the second round is written from the JSON
	// kept with them (the kept-answer path) and compared all the same.
	idx.CacheResults(64)
	s, stop := startSearchServer(t, idx, now, true)
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	})
	ctx := context.Background()
	cc, err := grpc.NewClient(s.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	client := pb.NewSearchServiceClient(cc)
	plain := plainGatewayJSON()
	for i, q := range slices.Repeat(append(slices.Clone(benchSearches), "query=djembe&view=BASIC", "query=djembe&pageSize=3&currencyCode=EUR"), 2) {
		v, _ := url.ParseQuery(q)
		req := &pb.SearchListingsRequest{}
		if err := runtime.PopulateQueryParameters(req, v, utilities.NewDoubleArray(nil)); err != nil {
			t.Fatal(err)
		}
		resp, err := client.SearchListings(ctx, req)
		if err != nil {
			t.Fatalf("%s over gRPC: %v", q, err)
		}
		want, _ := plain.Marshal(resp)
		r, err := http.Get("http://" + s.HTTPAddr() + "/v1/listings:search?" + q)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(r.Body)
		_ = r.Body.Close()
		if r.StatusCode != http.StatusOK || string(got) != string(want) {
			t.Fatalf("%s (request %d): HTTP %d\n got: %.300s\nwant: %.300s", q, i, r.StatusCode, got, want)
		}
		if ct := r.Header.Get("Grpc-Metadata-Content-Type"); ct != "application/grpc" {
			t.Errorf("%s: Grpc-Metadata-Content-Type %q", q, ct)
		}
	}
	if hits, _ := idx.ResultCacheStats(); hits == 0 {
		t.Error("no search was answered from a kept answer")
	}
	// Invalid input is still 400 naming the field, from the service.
	r, err := http.Get("http://" + s.HTTPAddr() + "/v1/listings:search?pageSize=-1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"field":"page_size"`) || r.Header.Get("Grpc-Metadata-Content-Type") != "" {
		t.Errorf("pageSize=-1: HTTP %d %v %s", r.StatusCode, r.Header, body)
	}
}

// sharedListings is a SearchAnswers whose hits' listings never change.
type sharedListings struct{}

func (sharedListings) Memo(*pb.SearchListingsResponse) JSONMemo { return nil }
func (sharedListings) ListingsShared() bool                     { return true }

// TestSearchJSONByIdentity: with shared listings, a listing's JSON is kept
// by the message itself: the same message again is a hit, another message
// with other content (a new version) is written afresh and correctly, and
// the budget holds with entries of both kinds.
func TestSearchJSONByIdentity(t *testing.T) {
	const budget = 64 << 10
	metrics := newJSONCacheMetrics()
	fast, plain := gatewayMarshaler(budget, metrics).withAnswers(sharedListings{}), plainGatewayJSON()
	hits, misses := metrics.hits.WithLabelValues("listing"), metrics.misses.WithLabelValues("listing")
	producer := &pb.ProducerSummary{Name: "producers/a", DisplayName: "Kendang Bu Sri"}
	listing := func(i int, title string) *pb.Listing {
		return &pb.Listing{Name: fmt.Sprintf("producers/a/listings/l%d", i), Title: title, Description: strings.Repeat("mahogany, goat skin. ", 20)}
	}
	page := func(ls ...*pb.Listing) *pb.SearchListingsResponse {
		r := &pb.SearchListingsResponse{TotalSize: int32(len(ls))}
		for _, l := range ls {
			r.Hits = append(r.Hits, &pb.SearchHit{Listing: l, Producer: producer, Score: 1})
		}
		return r
	}
	v1 := listing(1, "Djembe 40 cm")
	compareJSON(t, "first", fast, plain, page(v1))
	compareJSON(t, "same message", fast, plain, page(v1, listing(2, "Djembe 60 cm")))
	if h, m := counterValue(t, hits), counterValue(t, misses); h != 1 || m != 2 {
		t.Errorf("after the same message again: %v hits, %v misses; want 1 and 2", h, m)
	}
	// A new version is a new message: written afresh, never the old text.
	v2 := listing(1, "Djembe 40 cm, painted")
	compareJSON(t, "new version", fast, plain, page(v2))
	if m := counterValue(t, misses); m != 3 {
		t.Errorf("a new version: %v misses, want 3", m)
	}
	for i := range 500 {
		compareJSON(t, fmt.Sprint("listing ", i), fast, plain, page(listing(i, fmt.Sprintf("Djembe %d", i))))
	}
	c := fast.listings
	c.mu.RLock()
	defer c.mu.RUnlock()
	var held int64
	for k, js := range c.byMsg {
		held += entryBytes(jsonKey{msg: k}, js)
	}
	if held != c.bytes || held > budget*3/4 || len(c.m) != 0 || len(c.byMsg) == 0 || len(c.byMsg) >= 503 {
		t.Errorf("%d entries by identity (%d bytes, counted %d), %d by content; budget %d", len(c.byMsg), held, c.bytes, len(c.m), budget*3/4)
	}
}
