package synth

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/validate"
)

var now = time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)

func TestSizesAndNames(t *testing.T) {
	ds := Generate(1, 500, 6000, now)
	if len(ds.Producers) != 500 || len(ds.Listings) != 6000 {
		t.Fatalf("got %d producers, %d listings; want 500, 6000", len(ds.Producers), len(ds.Listings))
	}
	if len(ds.Buyers) != 300 || len(ds.BuyingRequests) != 600 {
		t.Errorf("got %d buyers, %d requests; want 300, 600", len(ds.Buyers), len(ds.BuyingRequests))
	}
	seen := map[string]bool{}
	producers := map[string]bool{}
	for _, p := range ds.Producers {
		if seen[p.GetName()] {
			t.Errorf("duplicate name %s", p.GetName())
		}
		seen[p.GetName()] = true
		producers[p.GetName()] = true
	}
	for _, l := range ds.Listings {
		if seen[l.GetName()] {
			t.Errorf("duplicate name %s", l.GetName())
		}
		seen[l.GetName()] = true
		parent := l.GetName()[:len("producers/syn-000000")]
		if !producers[parent] {
			t.Errorf("listing %s has no producer", l.GetName())
		}
	}
	for _, r := range ds.BuyingRequests {
		if seen[r.GetName()] {
			t.Errorf("duplicate name %s", r.GetName())
		}
		seen[r.GetName()] = true
	}
}

func TestDeterministic(t *testing.T) {
	a := Generate(42, 50, 400, now)
	b := Generate(42, 50, 400, now)
	c := Generate(43, 50, 400, now)
	for i := range a.Listings {
		if !proto.Equal(a.Listings[i], b.Listings[i]) {
			t.Fatalf("listing %d differs between two runs with the same seed", i)
		}
	}
	for i := range a.Producers {
		if !proto.Equal(a.Producers[i], b.Producers[i]) {
			t.Fatalf("producer %d differs between two runs with the same seed", i)
		}
	}
	same := 0
	for i := range a.Listings {
		if proto.Equal(a.Listings[i], c.Listings[i]) {
			same++
		}
	}
	if same == len(a.Listings) {
		t.Error("another seed gave the same listings")
	}
}

// TestValid checks a sample of 2,000 of each kind against the validators
// the API applies.
func TestValid(t *testing.T) {
	ds := Generate(7, 2500, 20000, now)
	step := func(n int) int { return max(1, n/2000) }
	for i := 0; i < len(ds.Producers); i += step(len(ds.Producers)) {
		var v validate.Violations
		validate.ProducerAt(&v, "producer", ds.Producers[i], now)
		if v.Len() > 0 {
			t.Errorf("%s: %v", ds.Producers[i].GetName(), v.List())
		}
	}
	for i := 0; i < len(ds.Listings); i += step(len(ds.Listings)) {
		var v validate.Violations
		validate.Listing(&v, "listing", ds.Listings[i])
		if v.Len() > 0 {
			t.Errorf("%s: %v", ds.Listings[i].GetName(), v.List())
		}
	}
	for i := 0; i < len(ds.Buyers); i += step(len(ds.Buyers)) {
		var v validate.Violations
		validate.Buyer(&v, "buyer", ds.Buyers[i])
		if v.Len() > 0 {
			t.Errorf("%s: %v", ds.Buyers[i].GetName(), v.List())
		}
	}
	for i := 0; i < len(ds.BuyingRequests); i += step(len(ds.BuyingRequests)) {
		var v validate.Violations
		validate.BuyingRequest(&v, "buying_request", ds.BuyingRequests[i], now)
		if v.Len() > 0 {
			t.Errorf("%s: %v", ds.BuyingRequests[i].GetName(), v.List())
		}
	}
	if t.Failed() {
		return
	}
	// validate.Producer uses the wall clock; the data must pass it too.
	var v validate.Violations
	validate.Producer(&v, "producer", ds.Producers[0])
	if v.Len() > 0 {
		t.Errorf("validate.Producer: %v", v.List())
	}
}

// TestSkews checks the shape that the search benchmarks rely on.
func TestSkews(t *testing.T) {
	ds := Generate(3, 2000, 30000, now)
	cats := map[pb.Category]int{}
	states := map[pb.Listing_State]int{}
	perProducer := map[string]int{}
	countries := map[string]bool{}
	cjk := 0
	for _, l := range ds.Listings {
		cats[l.GetCategory()]++
		states[l.GetState()]++
		perProducer[l.GetName()[:len("producers/syn-000000")]]++
		for _, c := range l.GetShipToCountryCodes() {
			countries[c] = true
		}
		for _, r := range l.GetTitle() + l.GetDescription() {
			if r >= 0x3040 && r <= 0x9FFF {
				cjk++
				break
			}
		}
	}
	if cats[pb.Category_MUSICAL_INSTRUMENT] < cats[pb.Category_ORNAMENTAL_FISH] ||
		cats[pb.Category_ORNAMENTAL_FISH] < cats[pb.Category_FOOD] {
		t.Errorf("categories not skewed djembe > koi > sambal: %v", cats)
	}
	if f := float64(states[pb.Listing_ACTIVE]) / float64(len(ds.Listings)); f < 0.8 || f > 0.9 {
		t.Errorf("active share %.2f, want about 0.85", f)
	}
	largest, small := 0, 0
	for _, n := range perProducer {
		largest = max(largest, n)
		if n <= 5 {
			small++
		}
	}
	if largest < 200 || small < len(perProducer)/3 {
		t.Errorf("listings per producer not Zipf-like: largest %d, producers with <= 5: %d of %d", largest, small, len(perProducer))
	}
	if len(countries) < 40 {
		t.Errorf("only %d destination countries; want a long tail", len(countries))
	}
	if cjk == 0 {
		t.Error("no listing mentions its product in Chinese or Japanese")
	}
	djembeDistricts := map[string]int{}
	djembeProducers := 0
	for _, p := range ds.Producers {
		if len(p.GetDisplayName()) > 0 && (p.GetDisplayName()[:4] == "Jimb" || p.GetDisplayName()[:4] == "Kend" || p.GetDisplayName()[:4] == "Djem") {
			djembeProducers++
			djembeDistricts[p.GetDistrict()]++
		}
	}
	core := djembeDistricts["Nglegok"] + djembeDistricts["Garum"] + djembeDistricts["Kanigoro"]
	if float64(core) < 0.8*float64(djembeProducers) {
		t.Errorf("djembe makers outside Nglegok, Garum, Kanigoro: %d of %d in the core", core, djembeProducers)
	}
}

// TestLargeIsQuick generates 100,000 listings; the benchmarks of the
// catalog package build their index from such a set.
// TestLarge generates the 100,000 listings of the default synthetic seed.
// How long that takes depends on the machine and its load, so the speed
// target (about 2 s) is BenchmarkGenerate100k's, not a test's.
func TestLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	ds := Generate(1, 8000, 100_000, now)
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("100,000 listings in %v, %.0f MB live", took, float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	if len(ds.Listings) != 100_000 || len(ds.Producers) != 8000 {
		t.Fatalf("got %d listings of %d producers", len(ds.Listings), len(ds.Producers))
	}
}

// BenchmarkGenerate100k measures the default synthetic seed; the target is
// about 2 s per run on a developer's machine.
func BenchmarkGenerate100k(b *testing.B) {
	for b.Loop() {
		Generate(1, 8000, 100_000, now)
	}
}

func TestGenerateProgress(t *testing.T) {
	var reports []int
	ds := GenerateProgress(1, 100, 25_000, now, func(done int) { reports = append(reports, done) })
	if want := []int{10_000, 20_000, 25_000}; !slices.Equal(reports, want) {
		t.Errorf("reports %v, want %v", reports, want)
	}
	// Reporting does not change what is generated.
	plain := Generate(1, 100, 25_000, now)
	if ds.Listings[24_999].GetName() != plain.Listings[24_999].GetName() || ds.Listings[24_999].GetTitle() != plain.Listings[24_999].GetTitle() {
		t.Error("GenerateProgress and Generate differ")
	}
}
