package matching

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/certday"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/seed"
)

// fixedNow is 10:00 on 1 October 2026 in Blitar.
var fixedNow = time.Date(2026, time.October, 1, 3, 0, 0, 0, time.UTC)

func clock() time.Time { return fixedNow }

// day returns the date n days after fixedNow's day in Blitar.
func day(n int) *date.Date {
	t := fixedNow.In(certday.WIB).AddDate(0, 0, n)
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

func usd(cents int64) *moneypb.Money { return money.FromMinor("USD", cents) }
func jpy(yen int64) *moneypb.Money   { return money.FromMinor("JPY", yen) }
func i64(v int64) *int64             { return &v }
func i32(v int32) *int32             { return &v }

func cert(typ string, expiry *date.Date) *pb.Certification {
	return &pb.Certification{Type: typ, Number: typ + "-1", ExpiryDate: expiry}
}

// maker returns a verified producer with the given certificates.
func maker(id string, certs ...*pb.Certification) *pb.Producer {
	return &pb.Producer{
		Name:              "producers/" + id,
		DisplayName:       strings.ToUpper(id[:1]) + id[1:],
		Kind:              pb.Producer_PRODUCER,
		District:          "Nglegok",
		Certifications:    certs,
		VerificationState: pb.VerificationState_VERIFIED,
	}
}

// djembe returns an ACTIVE 920600 djembe listing of producer p shipping to
// the US: 100 minimum, 1,000 a month, 30 days lead time, USD 20-30.
func djembe(p *pb.Producer, id string, mods ...func(*pb.Listing)) *pb.Listing {
	l := &pb.Listing{
		Name:               p.GetName() + "/listings/" + id,
		Title:              "Djembe " + id,
		Category:           pb.Category_MUSICAL_INSTRUMENT,
		HsCode:             "920600",
		Unit:               "piece",
		PriceMin:           usd(2000),
		PriceMax:           usd(3000),
		MinOrderQuantity:   i64(100),
		MonthlyCapacity:    i64(1000),
		LeadTimeDays:       i32(30),
		ShipToCountryCodes: []string{"US"},
		State:              pb.Listing_ACTIVE,
	}
	for _, f := range mods {
		f(l)
	}
	return l
}

// koi returns an ACTIVE 03011191 koi listing shipping to Japan.
func koi(p *pb.Producer, id string, mods ...func(*pb.Listing)) *pb.Listing {
	l := &pb.Listing{
		Name:               p.GetName() + "/listings/" + id,
		Title:              "Koi " + id,
		Category:           pb.Category_ORNAMENTAL_FISH,
		HsCode:             "03011191",
		Unit:               "fish",
		PriceMin:           usd(4000),
		PriceMax:           usd(9000),
		MinOrderQuantity:   i64(10),
		MonthlyCapacity:    i64(300),
		LeadTimeDays:       i32(21),
		ShipToCountryCodes: []string{"JP"},
		State:              pb.Listing_ACTIVE,
	}
	for _, f := range mods {
		f(l)
	}
	return l
}

// candidates pairs each listing with its producer by resource name.
func candidates(t testing.TB, producers []*pb.Producer, listings []*pb.Listing) []Candidate {
	t.Helper()
	byName := map[string]*pb.Producer{}
	for _, p := range producers {
		byName[p.GetName()] = p
	}
	out := make([]Candidate, 0, len(listings))
	for _, l := range listings {
		p := byName[parentName(l.GetName())]
		if p == nil {
			t.Fatalf("listing %s has no producer in the fixture", l.GetName())
		}
		out = append(out, Candidate{Listing: l, Producer: p})
	}
	return out
}

// newEngine builds an engine over a SliceSource of the listings, with the
// seed requirement catalogue, the default rate table and the fixed clock.
func newEngine(t testing.TB, producers []*pb.Producer, listings []*pb.Listing, mods ...func(*Options)) *Engine {
	t.Helper()
	opts := Options{
		Requirements: requirement.Catalogue(),
		Rates:        fx.DefaultRates(),
		Now:          clock,
	}
	for _, f := range mods {
		f(&opts)
	}
	return New(NewSliceSource(candidates(t, producers, listings)), opts)
}

// plainSource hides SliceSource's compiled index, so that the engine takes
// the path every other Source takes.
type plainSource struct{ s *SliceSource }

func (p plainSource) Candidates(c pb.Category, hs string, fn func(Candidate) bool) {
	p.s.Candidates(c, hs, fn)
}

// engines returns the same engine over a SliceSource and over a plain
// Source, so that a test checks both scan paths.
func engines(t testing.TB, producers []*pb.Producer, listings []*pb.Listing, mods ...func(*Options)) map[string]*Engine {
	t.Helper()
	e := newEngine(t, producers, listings, mods...)
	opts := Options{Requirements: e.reqs, Rates: e.rates, Stats: e.stats, Now: e.now, Weights: e.Weights(), MaxListingsPerProducer: e.perProducer}
	if opts.MaxListingsPerProducer == 0 {
		opts.MaxListingsPerProducer = -1
	}
	return map[string]*Engine{
		"indexed": e,
		"plain":   New(plainSource{e.src.(*SliceSource)}, opts),
	}
}

// matchNames returns the listing names of a response, in order.
func matchNames(resp *pb.MatchBuyingRequestResponse) []string {
	var out []string
	for _, m := range resp.GetMatches() {
		out = append(out, m.GetListing().GetName())
	}
	return out
}

// criterion returns the named criterion of a breakdown.
func criterion(t testing.TB, cs []*pb.CriterionScore, name string) *pb.CriterionScore {
	t.Helper()
	for _, c := range cs {
		if c.GetCriterion() == name {
			return c
		}
	}
	t.Fatalf("no criterion %q in %v", name, cs)
	return nil
}

// demo is the seed data at fixedNow with an engine over its ACTIVE listings.
type demo struct {
	ds        *seed.Dataset
	engine    *Engine
	producers map[string]*pb.Producer
	buyers    map[string]*pb.Buyer
	requests  map[string]*pb.BuyingRequest
	listings  map[string]*pb.Listing
}

func newDemo(t testing.TB) *demo {
	t.Helper()
	d := &demo{
		ds:        seed.Demo(fixedNow),
		producers: map[string]*pb.Producer{},
		buyers:    map[string]*pb.Buyer{},
		requests:  map[string]*pb.BuyingRequest{},
		listings:  map[string]*pb.Listing{},
	}
	for _, p := range d.ds.Producers {
		d.producers[p.GetName()] = p
	}
	for _, b := range d.ds.Buyers {
		d.buyers[b.GetName()] = b
	}
	for _, r := range d.ds.BuyingRequests {
		d.requests[r.GetName()] = r
	}
	var active []*pb.Listing
	for _, l := range d.ds.Listings {
		d.listings[l.GetName()] = l
		if l.GetState() == pb.Listing_ACTIVE {
			active = append(active, l)
		}
	}
	d.engine = newEngine(t, d.ds.Producers, active)
	return d
}

func (d *demo) request(t testing.TB, name string) *pb.BuyingRequest {
	t.Helper()
	r := d.requests[name]
	if r == nil {
		t.Fatalf("seed has no request %s", name)
	}
	return r
}

const (
	japanKoiRequest  = "buyers/yokohama-aqua-trading/buyingRequests/kohaku-sanke-200-fish"
	usDjembeRequest  = "buyers/heartland-drum-supply/buyingRequests/djembe-10000-pieces"
	usKoiRequest     = "buyers/sunshine-state-koi/buyingRequests/mixed-koi-300-fish"
	japanShowaOgon   = "buyers/naniwa-koi-centre/buyingRequests/showa-ogon-60-fish"
	singaporeTosai   = "buyers/lion-city-koi/buyingRequests/tosai-for-retail"
	minaKanigoro     = "producers/mina-kanigoro-koi"
	wlingiNishikigoi = "producers/wlingi-nishikigoi"
)

// cmpProto compares proto messages by content.
var cmpProto = protocmp.Transform()
