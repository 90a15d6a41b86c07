package matching

import (
	"testing"

	"google.golang.org/genproto/googleapis/type/date"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func TestSliceSourceCandidates(t *testing.T) {
	p := maker("p")
	listings := []*pb.Listing{
		djembe(p, "920600"),
		djembe(p, "uncoded", func(l *pb.Listing) { l.HsCode = "" }),
		djembe(p, "paused", func(l *pb.Listing) { l.State = pb.Listing_PAUSED }),
		koi(p, "koi"),
		djembe(p, "craft", func(l *pb.Listing) { l.Category, l.HsCode = pb.Category_HANDICRAFT, "920290" }),
	}
	s := NewSliceSource(append(candidates(t, []*pb.Producer{p}, listings), Candidate{}))
	if s.Len() != len(listings) {
		t.Errorf("Len = %d, want %d (a candidate without listing is dropped)", s.Len(), len(listings))
	}
	names := func(c pb.Category, prefix string, stopAfter int) []string {
		var out []string
		s.Candidates(c, prefix, func(c Candidate) bool {
			out = append(out, c.Listing.GetName())
			return len(out) < stopAfter
		})
		return out
	}
	const all = 1 << 30
	for _, tc := range []struct {
		name     string
		category pb.Category
		prefix   string
		stop     int
		want     []string
	}{
		{"category", pb.Category_MUSICAL_INSTRUMENT, "", all, []string{"producers/p/listings/920600", "producers/p/listings/uncoded", "producers/p/listings/paused"}},
		{"category and prefix keeps uncoded", pb.Category_MUSICAL_INSTRUMENT, "9206", all, []string{"producers/p/listings/920600", "producers/p/listings/uncoded", "producers/p/listings/paused"}},
		{"prefix only", pb.Category_CATEGORY_UNSPECIFIED, "9206", all, []string{"producers/p/listings/920600", "producers/p/listings/paused"}},
		{"chapter", pb.Category_CATEGORY_UNSPECIFIED, "92", all, []string{"producers/p/listings/920600", "producers/p/listings/paused", "producers/p/listings/craft"}},
		{"nothing", pb.Category_CATEGORY_UNSPECIFIED, "", all, []string{"producers/p/listings/920600", "producers/p/listings/uncoded", "producers/p/listings/paused", "producers/p/listings/koi", "producers/p/listings/craft"}},
		{"unknown category", pb.Category(42), "", all, nil},
		{"stop", pb.Category_MUSICAL_INSTRUMENT, "", 1, []string{"producers/p/listings/920600"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, names(tc.category, tc.prefix, tc.stop)); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHelpers covers the text and date helpers the explanations rely on.
func TestHelpers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{thousands(0), "0"},
		{thousands(999), "999"},
		{thousands(10_000), "10,000"},
		{thousands(-1234567), "-1,234,567"},
		{formatMinor("USD", 6249, 2), "USD 62.49"},
		{formatMinor("USD", 5, 2), "USD 0.05"},
		{formatMinor("JPY", 9000, 0), "JPY 9,000"},
		{quantityOf(1, "piece"), "1 piece"},
		{quantityOf(10_000, "piece"), "10,000 pieces"},
		{quantityOf(200, "fish"), "200 fish"},
		{quantityOf(3, "box"), "3 boxes"},
		{countryName("JP"), "Japan"},
		{countryName("HK"), "Hong Kong"},
		{countryName("US"), "the United States"},
		{countryName("??"), "??"},
		{normalizeUnit(" Pcs "), "piece"},
		{normalizeUnit("pots"), "pot"},
		{normalizeUnit("kgs"), "kg"},
		{formatDay(mustDay(2027, 3, 1)), "2027-03-01"},
		{formatDay(mustDay(1970, 1, 1)), "1970-01-01"},
		{formatDay(mustDay(2024, 2, 29)), "2024-02-29"},
		{joinAnd([]string{"a", "b", "c"}), "a, b and c"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	for _, tc := range []struct {
		hs, prefix string
		want       bool
	}{
		{"03011191", "0301", true},
		{"03011191", "030111", true},
		{"0301", "030111", false},
		{"920600", "9206", true},
		{"920600", "0920", false},
		{"0301", "0301", true},
	} {
		if got := packHS(tc.hs).hasPrefix(packHS(tc.prefix)); got != tc.want {
			t.Errorf("packHS(%q).hasPrefix(%q) = %v, want %v", tc.hs, tc.prefix, got, tc.want)
		}
	}
	if packHS("92.06").ok || packHS("").ok || packHS("1234567890123456789").ok {
		t.Error("packHS accepted a code that is not 1 to 18 digits")
	}
}

// snapshotSource is a plain Source that also hands out a SliceSource
// snapshot, as a catalogue fed by a sync would.
type snapshotSource struct {
	plainSource
	snap *SliceSource
}

func (s snapshotSource) Snapshot() *SliceSource { return s.snap }

// TestSnapshotter: a Source implementing Snapshotter is matched over its
// snapshot (the same answers as over the SliceSource, and its Candidates
// method is not called); a nil snapshot falls back to Candidates.
func TestSnapshotter(t *testing.T) {
	producers, listings := relaxFixture()
	e := newEngine(t, producers, listings)
	src := e.src.(*SliceSource)
	want := e.Match(khvRequest(), nil, 0)
	if len(want.GetMatches()) == 0 || len(want.GetRelaxations()) == 0 {
		t.Fatalf("fixture gives nothing to compare: %v", want)
	}
	calls := 0
	counting := countingSource{src: src, calls: &calls}
	for name, s := range map[string]Source{
		"snapshot":     snapshotSource{plainSource{NewSliceSource(nil)}, src},
		"nil snapshot": nilSnapshot{counting},
	} {
		got := New(s, Options{Requirements: e.reqs, Rates: e.rates, Now: clock}).Match(khvRequest(), nil, 0)
		if diff := cmp.Diff(want, got, cmpProto); diff != "" {
			t.Errorf("%s: answer differs (-SliceSource +%s):\n%s", name, name, diff)
		}
	}
	if calls == 0 {
		t.Error("a nil snapshot did not fall back to Candidates")
	}
}

type countingSource struct {
	src   *SliceSource
	calls *int
}

func (c countingSource) Candidates(cat pb.Category, hs string, fn func(Candidate) bool) {
	*c.calls++
	c.src.Candidates(cat, hs, fn)
}

type nilSnapshot struct{ countingSource }

func (nilSnapshot) Snapshot() *SliceSource { return nil }

// mustDay is the day number of a valid date.
func mustDay(y, m, d int32) int {
	n, ok := dateDay(&date.Date{Year: y, Month: m, Day: d})
	if !ok {
		panic("invalid date")
	}
	return n
}
