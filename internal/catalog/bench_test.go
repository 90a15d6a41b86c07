package catalog

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// benchIndex is an index over a synthetic catalogue, built once per size
// and shared by the sub-benchmarks.
type benchIndex struct {
	x         *Index
	producers int
	listing   *pb.Listing // an active djembe listing, for BenchmarkPutListing
	indexMB   float64
	build     time.Duration
}

var (
	benchMu      sync.Mutex
	benchIndexes = map[int]*benchIndex{}
)

// producersFor gives about 12 listings per producer on average; the Zipf
// law of synth makes a few of them very large.
func producersFor(listings int) int { return max(10, listings/12) }

func loadBenchIndex(tb testing.TB, listings int) *benchIndex {
	tb.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if bi, ok := benchIndexes[listings]; ok {
		return bi
	}
	ds := synth.Generate(1, producersFor(listings), listings, testNow)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	x := New(DefaultVocabulary(), fx.DefaultRates())
	for _, p := range ds.Producers {
		x.PutProducer(p)
	}
	for _, l := range ds.Listings {
		x.PutListing(l)
	}
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	bi := &benchIndex{x: x, producers: len(ds.Producers), build: took,
		indexMB: float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)}
	for _, l := range ds.Listings {
		if l.GetState() == pb.Listing_ACTIVE && l.GetCategory() == pb.Category_MUSICAL_INSTRUMENT {
			bi.listing = l
			break
		}
	}
	// The data set was alive while the heap was measured, so index_MB is
	// the index alone; it is dropped now, as a server would after loading.
	runtime.KeepAlive(ds)
	benchIndexes[listings] = bi
	return bi
}

func jpy(units int64) *moneypb.Money { return &moneypb.Money{CurrencyCode: "JPY", Units: units} }

// benchQueries are the query mixes the latency targets are stated for.
var benchQueries = []struct {
	name string
	req  *pb.SearchListingsRequest
}{
	{"text", &pb.SearchListingsRequest{Query: "djembe"}},
	{"text+filters", &pb.SearchListingsRequest{
		Query: "djembe", ShipToCountryCode: "JP", Categories: []pb.Category{pb.Category_MUSICAL_INSTRUMENT},
		VerifiedOnly: true, MaxMinOrderQuantity: i64p(200),
	}},
	{"facets-no-text", &pb.SearchListingsRequest{ShipToCountryCode: "US", MinMonthlyCapacity: i64p(100)}},
	{"browse-all", &pb.SearchListingsRequest{}},
	{"cjk", &pb.SearchListingsRequest{Query: "非洲鼓"}},
	{"two-words", &pb.SearchListingsRequest{Query: "painted djembe 40"}},
	{"price-jpy", &pb.SearchListingsRequest{Query: "koi", CurrencyCode: "JPY", PriceMin: jpy(3000), PriceMax: jpy(20000)}},
	{"sort-price", &pb.SearchListingsRequest{Query: "djembe", OrderBy: pb.SearchListingsRequest_PRICE_ASCENDING}},
	{"text-basic", &pb.SearchListingsRequest{Query: "djembe", View: pb.ListingView_BASIC}},
	{"sort-newest", &pb.SearchListingsRequest{Query: "koi", OrderBy: pb.SearchListingsRequest_NEWEST}},
	{"browse-newest", &pb.SearchListingsRequest{OrderBy: pb.SearchListingsRequest_NEWEST}},
	{"browse-price-jpy", &pb.SearchListingsRequest{OrderBy: pb.SearchListingsRequest_PRICE_ASCENDING, CurrencyCode: "JPY"}},
}

// benchSizes are the catalogue sizes of BenchmarkSearch: 1,000 and 100,000
// listings, or those of TEMUBISNIS_BENCH_SIZES (comma-separated, e.g.
// "100000,300000").
func benchSizes(tb testing.TB) []int {
	s := os.Getenv("TEMUBISNIS_BENCH_SIZES")
	if s == "" {
		return []int{1_000, 100_000}
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			tb.Fatalf("TEMUBISNIS_BENCH_SIZES=%q: want positive numbers separated by commas", s)
		}
		out = append(out, n)
	}
	return out
}

// BenchmarkSearch reports, per catalogue size and query mix, the median and
// 99th percentile latency of one Search (p50_ms, p99_ms), the same of the
// CPU time it used (cpu_p50_ms, cpu_p99_ms: without the waits for a core
// that a shared machine adds) and the heap the index holds (index_MB, the heap growth from loading it with the data set
// itself kept alive).
func BenchmarkSearch(b *testing.B) {
	for _, n := range benchSizes(b) {
		bi := loadBenchIndex(b, n)
		b.Logf("%d listings (%d producers): index built in %v, %.1f MB", n, bi.producers, bi.build, bi.indexMB)
		for _, q := range benchQueries {
			for _, cold := range []bool{false, true} {
				name := fmt.Sprintf("%dk/%s", n/1000, q.name)
				if cold {
					if q.req.GetQuery() == "" || strings.Contains(q.req.GetQuery(), " ") {
						continue // the term cache serves one-word queries only
					}
					name += "/uncached"
				}
				b.Run(name, func(b *testing.B) {
					bi.x.noTermCache = cold
					defer func() { bi.x.noTermCache = false }()
					// Locked to one thread, so that threadCPU measures this
					// goroutine's searches.
					runtime.LockOSThread()
					defer runtime.UnlockOSThread()
					durs := make([]time.Duration, 0, max(b.N, 1))
					cpus := make([]time.Duration, 0, max(b.N, 1))
					var total int32
					for b.Loop() {
						start, cpu := time.Now(), threadCPU()
						resp, err := bi.x.Search(q.req, testNow)
						durs = append(durs, time.Since(start))
						cpus = append(cpus, threadCPU()-cpu)
						if err != nil {
							b.Fatal(err)
						}
						total = resp.GetTotalSize()
					}
					pct := func(ds []time.Duration, p float64) float64 {
						slices.Sort(ds)
						i := min(len(ds)-1, int(float64(len(ds))*p))
						return float64(ds[i].Microseconds()) / 1000
					}
					b.ReportMetric(pct(durs, 0.50), "p50_ms")
					b.ReportMetric(pct(durs, 0.99), "p99_ms")
					b.ReportMetric(pct(cpus, 0.50), "cpu_p50_ms")
					b.ReportMetric(pct(cpus, 0.99), "cpu_p99_ms")
					b.ReportMetric(float64(total), "hits")
					b.ReportMetric(bi.indexMB, "index_MB")
				})
			}
		}
	}
}

// BenchmarkSearchParallel runs the text query from all cores at once, to
// show that searches do not block each other.
func BenchmarkSearchParallel(b *testing.B) {
	bi := loadBenchIndex(b, 100_000)
	req := &pb.SearchListingsRequest{Query: "djembe", ShipToCountryCode: "CN"}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := bi.x.Search(req, testNow); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkPutListing measures a write on a 100,000-listing index: replace
// one listing's title (unindex and index again).
func BenchmarkPutListing(b *testing.B) {
	bi := loadBenchIndex(b, 100_000)
	l := bi.listing
	i := 0
	for b.Loop() {
		c := proto.Clone(l).(*pb.Listing)
		c.Title = fmt.Sprintf("Djembe %d cm, mahogany", 20+i%50)
		bi.x.PutListing(c)
		i++
	}
	bi.x.PutListing(l)
}
