package catalog

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// The golden comparison pins search results over the deterministic synth
// catalogue: a fixed set of queries, each answered in full (hits, scores,
// reasons, converted prices, facets, totals, next page tokens) and hashed.
// The files in testdata were written by the index as it was before the
// memory work of issue 17 (items 5 and 7); any change to the index's
// internals must leave every hash as it is.
//
//	go test -run TestGoldenSearch ./internal/catalog/                 # 2,000 listings
//	TEMUBISNIS_GOLDEN_LISTINGS=100000 go test -run TestGoldenSearch ./internal/catalog/
//	TEMUBISNIS_GOLDEN_UPDATE=1 ...                                    # rewrite the file
//
// Only sizes with a file in testdata can be compared.

func usd(units int64, nanos int32) *moneypb.Money {
	return &moneypb.Money{CurrencyCode: "USD", Units: units, Nanos: nanos}
}

func money3(code string, units int64) *moneypb.Money {
	return &moneypb.Money{CurrencyCode: code, Units: units}
}

// goldenQueries is the fixed query set. Names are stable keys of the file.
var goldenQueries = []struct {
	name string
	req  *pb.SearchListingsRequest
}{
	{"djembe", &pb.SearchListingsRequest{Query: "djembe"}},
	{"djembe-p100", &pb.SearchListingsRequest{Query: "djembe", PageSize: 100}},
	{"jimbe", &pb.SearchListingsRequest{Query: "jimbe"}},
	{"kendang-jimbe", &pb.SearchListingsRequest{Query: "kendang jimbe"}},
	{"zh-djembe", &pb.SearchListingsRequest{Query: "非洲鼓"}},
	{"zh-trad-djembe", &pb.SearchListingsRequest{Query: "金貝鼓"}},
	{"ja-djembe", &pb.SearchListingsRequest{Query: "ジャンベ"}},
	{"hand-drum", &pb.SearchListingsRequest{Query: "hand drum"}},
	{"zh-hand-drum", &pb.SearchListingsRequest{Query: "手鼓"}},
	{"koi", &pb.SearchListingsRequest{Query: "koi"}},
	{"nishikigoi-jp", &pb.SearchListingsRequest{Query: "nishikigoi", ShipToCountryCode: "JP", CurrencyCode: "JPY"}},
	{"ja-koi", &pb.SearchListingsRequest{Query: "錦鯉"}},
	{"kohaku-size", &pb.SearchListingsRequest{Query: "kohaku 25 cm"}},
	{"monstera", &pb.SearchListingsRequest{Query: "monstera"}},
	{"monstera-usd-50", &pb.SearchListingsRequest{Query: "monstera", CurrencyCode: "USD", PriceMax: usd(50, 0), OrderBy: pb.SearchListingsRequest_PRICE_ASCENDING}},
	{"philodendron-pink", &pb.SearchListingsRequest{Query: "philodendron pink princess"}},
	{"zh-plant", &pb.SearchListingsRequest{Query: "龟背竹"}},
	{"sambal-pecel", &pb.SearchListingsRequest{Query: "sambal pecel"}},
	{"peanut-sauce-hk", &pb.SearchListingsRequest{Query: "peanut sauce", ShipToCountryCode: "HK", CurrencyCode: "HKD"}},
	{"zh-peanut", &pb.SearchListingsRequest{Query: "花生辣酱"}},
	{"bamboo-basket", &pb.SearchListingsRequest{Query: "bamboo basket"}},
	{"coconut-shell-eur", &pb.SearchListingsRequest{Query: "coconut shell", CurrencyCode: "EUR"}},
	{"painted-djembe-40", &pb.SearchListingsRequest{Query: "painted djembe 40"}},
	{"mahogany-goatskin", &pb.SearchListingsRequest{Query: "mahogany goatskin"}},
	{"no-all-words", &pb.SearchListingsRequest{Query: "djembe aglaonema"}},
	{"nothing", &pb.SearchListingsRequest{Query: "repldel4dfbcc"}},
	{"stop-words", &pb.SearchListingsRequest{Query: "the and of"}},
	{"producer-name", &pb.SearchListingsRequest{Query: "barokah"}},
	{"district-word", &pb.SearchListingsRequest{Query: "nglegok"}},
	{"browse", &pb.SearchListingsRequest{}},
	{"browse-p100", &pb.SearchListingsRequest{PageSize: 100}},
	{"browse-verified-ispm", &pb.SearchListingsRequest{VerifiedOnly: true, CertificationTypes: []string{"ISPM15"}}},
	{"browse-us-capacity", &pb.SearchListingsRequest{ShipToCountryCode: "US", MinMonthlyCapacity: i64p(100)}},
	{"browse-cat-fish-plant", &pb.SearchListingsRequest{Categories: []pb.Category{pb.Category_ORNAMENTAL_FISH, pb.Category_ORNAMENTAL_PLANT}}},
	{"browse-district-kind", &pb.SearchListingsRequest{District: "Kanigoro", ProducerKind: pb.Producer_PRODUCER}},
	{"browse-hs", &pb.SearchListingsRequest{HsPrefix: "0602"}},
	{"browse-unknown-country", &pb.SearchListingsRequest{ShipToCountryCode: "IS"}},
	{"browse-price-asc", &pb.SearchListingsRequest{OrderBy: pb.SearchListingsRequest_PRICE_ASCENDING}},
	{"browse-price-desc-jpy", &pb.SearchListingsRequest{OrderBy: pb.SearchListingsRequest_PRICE_DESCENDING, CurrencyCode: "JPY"}},
	{"browse-capacity", &pb.SearchListingsRequest{OrderBy: pb.SearchListingsRequest_CAPACITY_DESCENDING}},
	{"browse-newest", &pb.SearchListingsRequest{OrderBy: pb.SearchListingsRequest_NEWEST}},
	{"djembe-price-asc", &pb.SearchListingsRequest{Query: "djembe", OrderBy: pb.SearchListingsRequest_PRICE_ASCENDING}},
	{"djembe-price-desc", &pb.SearchListingsRequest{Query: "djembe", OrderBy: pb.SearchListingsRequest_PRICE_DESCENDING, CurrencyCode: "IDR"}},
	{"djembe-capacity", &pb.SearchListingsRequest{Query: "djembe", OrderBy: pb.SearchListingsRequest_CAPACITY_DESCENDING}},
	{"djembe-newest", &pb.SearchListingsRequest{Query: "djembe", OrderBy: pb.SearchListingsRequest_NEWEST}},
	{"koi-newest-p50", &pb.SearchListingsRequest{Query: "koi", OrderBy: pb.SearchListingsRequest_NEWEST, PageSize: 50}},
	{"djembe-filters", &pb.SearchListingsRequest{
		Query: "djembe", ShipToCountryCode: "JP", Categories: []pb.Category{pb.Category_MUSICAL_INSTRUMENT},
		VerifiedOnly: true, MaxMinOrderQuantity: i64p(200),
	}},
	{"djembe-cn-svlk", &pb.SearchListingsRequest{Query: "djembe", ShipToCountryCode: "CN", CertificationTypes: []string{"SVLK"}}},
	{"koi-jpy-range", &pb.SearchListingsRequest{Query: "koi", CurrencyCode: "JPY", PriceMin: jpy(3000), PriceMax: jpy(20000)}},
	{"koi-usd-min", &pb.SearchListingsRequest{Query: "koi", PriceMin: usd(99, 500000000)}},
	{"sambal-idr-range", &pb.SearchListingsRequest{Query: "sambal", CurrencyCode: "IDR", PriceMin: money3("IDR", 20000), PriceMax: money3("IDR", 150000), OrderBy: pb.SearchListingsRequest_PRICE_DESCENDING}},
	{"browse-eur-range", &pb.SearchListingsRequest{CurrencyCode: "EUR", PriceMin: money3("EUR", 10), PriceMax: money3("EUR", 40)}},
	{"plant-halal-none", &pb.SearchListingsRequest{Query: "monstera", CertificationTypes: []string{"HALAL"}}},
	{"craft-hs-moq", &pb.SearchListingsRequest{Query: "bamboo", HsPrefix: "4602", MaxMinOrderQuantity: i64p(500)}},
	{"djembe-basic", &pb.SearchListingsRequest{Query: "djembe", View: pb.ListingView_BASIC}},
}

// goldenPages is how many pages each query is followed for, through its
// next page tokens.
const goldenPages = 3

// goldenIndex builds the index over synth's catalogue of n listings, as
// BenchmarkSearch does, and applies a fixed series of writes to half of a
// copy when writes is set, so that the comparison also covers an index
// changed after loading (freed and reused slots, re-indexed producers).
func goldenIndex(n int, writes bool) *Index {
	ds := synth.Generate(1, producersFor(n), n, testNow)
	x := New(DefaultVocabulary(), fx.DefaultRates())
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	for _, l := range ds.Listings {
		x.PutListing(l)
	}
	if !writes {
		return x
	}
	for i, l := range ds.Listings {
		switch {
		case i%97 == 0:
			x.DeleteListing(l.GetName())
		case i%89 == 0:
			c := proto.Clone(l).(*pb.Listing)
			c.Title = "Painted djembe " + strconv.Itoa(20+i%50) + " cm"
			c.State = pb.Listing_ACTIVE
			x.PutListing(c)
		case i%83 == 0:
			c := proto.Clone(l).(*pb.Listing)
			c.State = pb.Listing_PAUSED
			x.PutListing(c)
		}
	}
	for i, p := range ds.Producers {
		switch {
		case i%31 == 0:
			c := proto.Clone(p).(*pb.Producer)
			c.VerificationState = pb.VerificationState_VERIFIED
			c.DisplayName += " Barokah"
			x.PutProducer(c)
		case i%53 == 0:
			x.DeleteProducer(p.GetName())
		}
	}
	// Listings deleted above come back, taking freed slots.
	for i, l := range ds.Listings {
		if i%97 == 0 && i%194 == 0 {
			x.PutListing(l)
		}
	}
	return x
}

// goldenRun answers every query (and its next pages) and returns one line
// per response: the query, its page, the hash of the deterministic wire form
// of the whole response, its total and first hits.
func goldenRun(t *testing.T, x *Index) []string {
	t.Helper()
	var out []string
	for _, q := range goldenQueries {
		req := proto.Clone(q.req).(*pb.SearchListingsRequest)
		for page := 1; page <= goldenPages; page++ {
			resp, err := x.Search(req, testNow)
			if err != nil {
				t.Fatalf("%s page %d: %v", q.name, page, err)
			}
			out = append(out, goldenLine(q.name, page, resp))
			if resp.GetNextPageToken() == "" {
				break
			}
			req.PageToken = resp.GetNextPageToken()
		}
	}
	return out
}

func goldenLine(name string, page int, resp *pb.SearchListingsResponse) string {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(resp)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	var top []string
	for _, h := range resp.GetHits()[:min(3, len(resp.GetHits()))] {
		n := h.GetListing().GetName()
		top = append(top, n[strings.LastIndex(n, "/")+1:]+"@"+strconv.FormatFloat(h.GetScore(), 'f', -1, 64))
	}
	return fmt.Sprintf("%s#%d %s total=%d hits=%d top=%s", name, page, hex.EncodeToString(sum[:8]),
		resp.GetTotalSize(), len(resp.GetHits()), strings.Join(top, ","))
}

func TestGoldenSearch(t *testing.T) {
	n := 2000
	if s := os.Getenv("TEMUBISNIS_GOLDEN_LISTINGS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			t.Fatalf("TEMUBISNIS_GOLDEN_LISTINGS=%q: want a positive number", s)
		}
		n = v
	}
	var lines []string
	for _, writes := range []bool{false, true} {
		x := goldenIndex(n, writes)
		// Cache even small results, so that the small catalogue
		// exercises the term and facet caches too.
		x.testCacheMin = 20
		tag := "loaded"
		if writes {
			tag = "written"
		}
		section := goldenRun(t, x)
		lines = append(lines, "# "+tag)
		lines = append(lines, section...)
		// The caches (one-word matches, facet counts, whole answers) must
		// not change an answer: the same queries again, computed without
		// them, and twice with the answer cache (filled, then used).
		for _, uncached := range []bool{false, true, false, false} {
			x.noTermCache = uncached
			if !uncached {
				x.CacheResults(512)
			}
			for i, l := range goldenRun(t, x) {
				if l != section[i] {
					t.Errorf("%s, again (without caches: %v):\n got %s\nwant %s", tag, uncached, l, section[i])
				}
			}
		}
	}
	path := filepath.Join("testdata", fmt.Sprintf("golden-search-%d.txt", n))
	if os.Getenv("TEMUBISNIS_GOLDEN_UPDATE") != "" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d lines)", path, len(lines))
		return
	}
	want, err := readLines(path)
	if err != nil {
		t.Fatalf("no golden file for %d listings (%v); write one with TEMUBISNIS_GOLDEN_UPDATE=1 from a known-good index", n, err)
	}
	if len(want) != len(lines) {
		t.Errorf("%d responses, golden file has %d", len(lines), len(want))
	}
	bad := 0
	for i := range min(len(want), len(lines)) {
		if want[i] != lines[i] {
			bad++
			if bad <= 20 {
				t.Errorf("response differs\n got %s\nwant %s", lines[i], want[i])
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d responses differ from %s", bad, len(want), path)
	}
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}

// TestCachesFollowWrites interleaves writes that change matches, boosts and
// facet values with broad queries, and compares every answer with one
// computed without the caches.
func TestCachesFollowWrites(t *testing.T) {
	ds := synth.Generate(3, 40, 600, testNow)
	x := loaded(ds)
	x.testCacheMin = 1
	x.CacheResults(64)
	reqs := []*pb.SearchListingsRequest{
		{}, {Query: "djembe"}, {Query: "koi"}, {Query: "djembe", OrderBy: pb.SearchListingsRequest_NEWEST},
		{OrderBy: pb.SearchListingsRequest_PRICE_DESCENDING},
	}
	check := func(step string) {
		t.Helper()
		for _, req := range reqs {
			x.noTermCache = false
			cached := goldenLine(req.GetQuery(), 1, mustSearch(t, x, req))
			x.noTermCache = true
			fresh := goldenLine(req.GetQuery(), 1, mustSearch(t, x, req))
			x.noTermCache = false
			if cached != fresh {
				t.Errorf("after %s, %v:\ncached %s\n fresh %s", step, req, cached, fresh)
			}
		}
	}
	check("load")
	for i, p := range ds.Producers[:10] {
		// Half of them keep their name and district (so that their
		// listings are not re-indexed) and change only what facets and
		// boosts read.
		c := proto.Clone(p).(*pb.Producer)
		c.Kind = pb.Producer_CONSOLIDATOR
		c.VerificationState = pb.VerificationState_VERIFIED
		c.Certifications = nil
		if i%2 == 0 {
			c.District = "Wlingi"
		}
		x.PutProducer(c)
		check("producer " + p.GetName())
	}
	for _, l := range ds.Listings[:30] {
		c := proto.Clone(l).(*pb.Listing)
		c.Title = "Koi djembe"
		c.ShipToCountryCodes = []string{"IS"}
		x.PutListing(c)
		check("listing " + l.GetName())
	}
	x.SetExchangeRates(fx.DefaultRates())
	x.DeleteProducer(ds.Producers[11].GetName())
	check("delete")
}
