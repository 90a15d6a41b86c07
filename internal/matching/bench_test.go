package matching

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/synth"
)

// benchNow is the clock of the benchmarks, fixed so that runs compare.
var benchNow = time.Date(2026, time.October, 1, 3, 0, 0, 0, time.UTC)

// benchData is one synthetic catalogue with the requests to run against it.
type benchData struct {
	engine   *Engine
	requests []*pb.BuyingRequest
	buyers   map[string]*pb.Buyer
	group    *pb.BuyingRequest
}

var (
	benchMu    sync.Mutex
	benchCache = map[int]*benchData{}
)

// benchSetup builds (once per size) a catalogue of n synthetic listings
// from n/10 producers, an engine over its ACTIVE listings, and the request
// mix: the synthetic data's own OPEN requests plus one request for 10,000
// djembe due in 60 days, which no single listing can supply (synthetic
// capacities are at most 4,000 a month), so every run of it builds a group.
func benchSetup(tb testing.TB, n int) *benchData {
	benchMu.Lock()
	defer benchMu.Unlock()
	if d, ok := benchCache[n]; ok {
		return d
	}
	ds := synth.Generate(42, max(1, n/10), n, benchNow)
	producers := make(map[string]*pb.Producer, len(ds.Producers))
	for _, p := range ds.Producers {
		producers[p.GetName()] = p
	}
	cands := make([]Candidate, 0, len(ds.Listings))
	for _, l := range ds.Listings {
		if l.GetState() == pb.Listing_ACTIVE {
			cands = append(cands, Candidate{Listing: l, Producer: producers[parentName(l.GetName())]})
		}
	}
	stats := func(p string) ProducerStats {
		// A cheap, deterministic history, so that responsiveness and deals
		// are exercised too.
		h := len(p)*7 + int(p[len(p)-1])
		return ProducerStats{Proposals: h % 9, Answered: h % 9 * 2 / 3, Deals: h % 4}
	}
	e := New(NewSliceSource(cands), Options{
		Requirements: requirement.Catalogue(),
		Rates:        fx.DefaultRates(),
		Stats:        stats,
		Now:          func() time.Time { return benchNow },
	})
	d := &benchData{engine: e, buyers: map[string]*pb.Buyer{}}
	for _, b := range ds.Buyers {
		d.buyers[b.GetName()] = b
	}
	for _, r := range ds.BuyingRequests {
		if r.GetState() == pb.BuyingRequest_OPEN && len(d.requests) < 60 {
			d.requests = append(d.requests, r)
		}
	}
	due := benchNow.AddDate(0, 0, 60)
	d.group = &pb.BuyingRequest{
		Name:                   "buyers/bench/buyingRequests/djembe-10000",
		Title:                  "10,000 djembe in two months",
		Category:               pb.Category_MUSICAL_INSTRUMENT,
		HsPrefix:               "9206",
		Quantity:               10_000,
		Unit:                   "piece",
		TargetPrice:            money.FromMinor("USD", 2500),
		DestinationCountryCode: "CN",
		NeededByDate:           &date.Date{Year: int32(due.Year()), Month: int32(due.Month()), Day: int32(due.Day())},
		State:                  pb.BuyingRequest_OPEN,
	}
	if g := e.Match(d.group, nil, DefaultLimit).GetGroupProposal(); g == nil {
		tb.Fatalf("%d listings: the 10,000-piece request got no group proposal", n)
	}
	// Every tenth request is the group request: it is the most expensive
	// kind (a group needs full breakdowns of its members too).
	mix := make([]*pb.BuyingRequest, 0, len(d.requests)+len(d.requests)/9+1)
	for i, r := range d.requests {
		if i%9 == 0 {
			mix = append(mix, d.group)
		}
		mix = append(mix, r)
	}
	d.requests = mix
	benchCache[n] = d
	return d
}

// BenchmarkMatch measures Match on synthetic catalogues of 1,000 and
// 100,000 listings and reports the median and 99th percentile of the
// per-call latency (the service's target: p99 < 20 ms at 100,000).
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("listings=%d", n), func(b *testing.B) {
			d := benchSetup(b, n)
			durations := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r := d.requests[i%len(d.requests)]
				start := time.Now()
				resp := d.engine.Match(r, d.buyers[buyerOf(r.GetName())], DefaultLimit)
				durations = append(durations, time.Since(start))
				if resp == nil {
					b.Fatal("nil response")
				}
			}
			b.StopTimer()
			slices.Sort(durations)
			b.ReportMetric(quantileMS(durations, 0.50), "p50_ms")
			b.ReportMetric(quantileMS(durations, 0.99), "p99_ms")
		})
	}
}

// quantileMS returns the q-quantile of sorted durations in milliseconds
// (nearest rank).
func quantileMS(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*q+0.999999) - 1
	i = min(max(i, 0), len(sorted)-1)
	return float64(sorted[i]) / float64(time.Millisecond)
}

// parentName returns the producer of a listing name.
func parentName(listing string) string {
	for i := 0; i+len("/listings/") <= len(listing); i++ {
		if listing[i:i+len("/listings/")] == "/listings/" {
			return listing[:i]
		}
	}
	return ""
}
