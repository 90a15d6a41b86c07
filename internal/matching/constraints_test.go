package matching

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// usRequest asks for 500 djembe (HS 920600) to the US in 120 days.
func usRequest(mods ...func(*pb.BuyingRequest)) *pb.BuyingRequest {
	r := &pb.BuyingRequest{
		Name:                   "buyers/b/buyingRequests/r",
		Title:                  "djembe",
		Category:               pb.Category_MUSICAL_INSTRUMENT,
		HsPrefix:               "920600",
		Quantity:               500,
		Unit:                   "piece",
		TargetPrice:            usd(2500),
		DestinationCountryCode: "US",
		NeededByDate:           day(120),
		State:                  pb.BuyingRequest_OPEN,
	}
	for _, f := range mods {
		f(r)
	}
	return r
}

// TestHardConstraints: each listing that breaks one hard constraint is
// excluded, and the reference listing qualifies, on both scan paths.
func TestHardConstraints(t *testing.T) {
	ok := maker("ok", cert("ISPM15", nil))
	p := maker("p", cert("ISPM15", nil))
	listings := []*pb.Listing{
		djembe(ok, "reference"),
		djembe(p, "wrong-category", func(l *pb.Listing) { l.Category = pb.Category_HANDICRAFT }),
		djembe(p, "wrong-hs", func(l *pb.Listing) { l.HsCode = "442090" }),
		djembe(p, "shorter-hs", func(l *pb.Listing) { l.HsCode = "9206" }), // cannot confirm 920600
		djembe(p, "paused", func(l *pb.Listing) { l.State = pb.Listing_PAUSED }),
		djembe(p, "draft", func(l *pb.Listing) { l.State = pb.Listing_DRAFT }),
		djembe(p, "archived", func(l *pb.Listing) { l.State = pb.Listing_ARCHIVED }),
		djembe(p, "no-ship-to", func(l *pb.Listing) { l.ShipToCountryCodes = nil }),
		djembe(p, "other-destination", func(l *pb.Listing) { l.ShipToCountryCodes = []string{"CN", "TW"} }),
	}
	for name, e := range engines(t, []*pb.Producer{ok, p}, listings) {
		t.Run(name, func(t *testing.T) {
			resp := e.Match(usRequest(), nil, 0)
			if diff := cmp.Diff([]string{"producers/ok/listings/reference"}, matchNames(resp)); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
			if resp.GetQualifiedCount() != 1 {
				t.Errorf("qualified_count = %d, want 1", resp.GetQualifiedCount())
			}
		})
	}
}

// TestHSPrefixWithoutListingCode: a listing without an HS code qualifies on
// the category when the request gives both, with product closeness PARTIAL;
// when the request gives only an HS prefix it cannot be judged and is out.
func TestHSPrefixWithoutListingCode(t *testing.T) {
	p := maker("p")
	listings := []*pb.Listing{
		djembe(p, "coded"),
		djembe(p, "uncoded", func(l *pb.Listing) { l.HsCode = "" }),
	}
	for name, e := range engines(t, []*pb.Producer{p}, listings) {
		t.Run(name+"/category and prefix", func(t *testing.T) {
			resp := e.Match(usRequest(), nil, 0)
			if got := matchNames(resp); len(got) != 2 {
				t.Fatalf("matches = %v, want both listings", got)
			}
			for _, m := range resp.GetMatches() {
				c := criterion(t, m.GetCriteria(), "product")
				want := pb.CriterionScore_MATCHED
				if m.GetListing().GetHsCode() == "" {
					want = pb.CriterionScore_PARTIAL
				}
				if c.GetOutcome() != want {
					t.Errorf("%s: product = %v, want %v", m.GetListing().GetName(), c, want)
				}
			}
			if resp.GetMatches()[0].GetListing().GetName() != "producers/p/listings/coded" {
				t.Errorf("the listing with a matching HS code should rank first: %v", matchNames(resp))
			}
		})
		t.Run(name+"/prefix only", func(t *testing.T) {
			resp := e.Match(usRequest(func(r *pb.BuyingRequest) { r.Category = pb.Category_CATEGORY_UNSPECIFIED }), nil, 0)
			if diff := cmp.Diff([]string{"producers/p/listings/coded"}, matchNames(resp)); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCertificateValidity: a required certificate must be valid today in
// Blitar. An expired certificate excludes a producer that a valid one
// admits; a certificate expiring today is still valid; a malformed expiry
// date never counts.
func TestCertificateValidity(t *testing.T) {
	valid := maker("valid", cert("FISH_HEALTH_CERTIFICATE", day(90)))
	expired := maker("expired", cert("FISH_HEALTH_CERTIFICATE", day(-1)))
	today := maker("today", cert("FISH_HEALTH_CERTIFICATE", day(0)))
	forever := maker("forever", cert("FISH_HEALTH_CERTIFICATE", nil))
	renewed := maker("renewed", cert("FISH_HEALTH_CERTIFICATE", day(-30)), cert("FISH_HEALTH_CERTIFICATE", day(300)))
	malformed := maker("malformed", cert("FISH_HEALTH_CERTIFICATE", &date.Date{Year: 2027, Month: 2, Day: 30}))
	other := maker("other-type", cert("CKIB", day(90)))
	none := maker("none")
	producers := []*pb.Producer{valid, expired, today, forever, renewed, malformed, other, none}
	var listings []*pb.Listing
	for _, p := range producers {
		listings = append(listings, koi(p, "kohaku"))
	}
	req := &pb.BuyingRequest{
		Name:                       "buyers/b/buyingRequests/koi",
		Category:                   pb.Category_ORNAMENTAL_FISH,
		HsPrefix:                   "030111",
		Quantity:                   100,
		Unit:                       "fish",
		DestinationCountryCode:     "JP",
		RequiredCertificationTypes: []string{"FISH_HEALTH_CERTIFICATE"},
		NeededByDate:               day(60),
	}
	want := []string{"forever", "renewed", "today", "valid"}
	for name, e := range engines(t, producers, listings) {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, m := range e.Match(req, nil, 0).GetMatches() {
				got = append(got, strings.TrimPrefix(m.GetProducer().GetName(), "producers/"))
			}
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("qualifying producers (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("day is counted in Blitar", func(t *testing.T) {
		// 18:00 UTC on 30 September is already 1 October in Blitar: a
		// certificate that expired on 30 September no longer counts.
		lateUTC := time.Date(2026, time.September, 30, 18, 0, 0, 0, time.UTC)
		p := maker("p", cert("FISH_HEALTH_CERTIFICATE", &date.Date{Year: 2026, Month: 9, Day: 30}))
		e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{koi(p, "k")}, func(o *Options) { o.Now = func() time.Time { return lateUTC } })
		if n := e.Match(req, nil, 0).GetQualifiedCount(); n != 0 {
			t.Errorf("qualified_count = %d, want 0: the certificate expired yesterday in Blitar", n)
		}
		e = newEngine(t, []*pb.Producer{p}, []*pb.Listing{koi(p, "k")}, func(o *Options) {
			o.Now = func() time.Time { return lateUTC.Add(-2 * time.Hour) } // 23:00 on 30 September in Blitar
		})
		if n := e.Match(req, nil, 0).GetQualifiedCount(); n != 1 {
			t.Errorf("qualified_count = %d, want 1: the certificate is valid through its expiry day", n)
		}
	})
}

// TestCertificateLapsingBeforeNeededBy: validity today is the hard
// constraint; a required certificate that lapses before the needed-by date
// still qualifies (it can be renewed in time), and export readiness says
// that it must be renewed.
func TestCertificateLapsingBeforeNeededBy(t *testing.T) {
	p := maker("p", cert("CKIB", day(20)))
	e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{koi(p, "k")})
	req := &pb.BuyingRequest{
		Category:                   pb.Category_ORNAMENTAL_FISH,
		Quantity:                   100,
		Unit:                       "fish",
		DestinationCountryCode:     "JP",
		RequiredCertificationTypes: []string{"CKIB"},
		NeededByDate:               day(60),
	}
	resp := e.Match(req, nil, 0)
	if len(resp.GetMatches()) != 1 {
		t.Fatalf("matches = %v, want the one listing", matchNames(resp))
	}
	got := criterion(t, resp.GetMatches()[0].GetCriteria(), "export_readiness").GetExplanation()
	want := "CKIB expires on " + formatDate(day(20)) + "; renew before shipping."
	if !strings.Contains(got, want) {
		t.Errorf("export_readiness explanation = %q, want it to contain %q", got, want)
	}
}

// TestMissingProducerOrProduct: a candidate without its producer is never a
// match; a request with neither category nor HS prefix matches nothing; a
// nil request gives an empty response.
func TestMissingProducerOrProduct(t *testing.T) {
	p := maker("p")
	l := djembe(p, "d")
	for name, src := range map[string]Source{
		"indexed": NewSliceSource([]Candidate{{Listing: l}}),
		"plain":   plainSource{NewSliceSource([]Candidate{{Listing: l}})},
	} {
		e := New(src, Options{Now: clock})
		if n := e.Match(usRequest(), nil, 0).GetQualifiedCount(); n != 0 {
			t.Errorf("%s: a listing without producer qualified", name)
		}
	}
	e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{l})
	noProduct := usRequest(func(r *pb.BuyingRequest) { r.Category, r.HsPrefix = pb.Category_CATEGORY_UNSPECIFIED, "" })
	if resp := e.Match(noProduct, nil, 0); len(resp.GetMatches()) != 0 || resp.GetQualifiedCount() != 0 {
		t.Errorf("request without product: %v", resp)
	}
	if resp := e.Match(nil, nil, 0); resp == nil || len(resp.GetMatches()) != 0 {
		t.Errorf("nil request: %v", resp)
	}
	for _, c := range []pb.Category{-1, 42} {
		for name, e := range engines(t, []*pb.Producer{p}, []*pb.Listing{l}) {
			if resp := e.Match(usRequest(func(r *pb.BuyingRequest) { r.Category = c }), nil, 0); len(resp.GetMatches()) != 0 {
				t.Errorf("%s: category %d matched %v", name, c, matchNames(resp))
			}
		}
	}
}

// TestDestinationFromBuyer: a request without destination uses the buyer's
// country; without either there is no destination constraint and
// destination experience is UNKNOWN.
func TestDestinationFromBuyer(t *testing.T) {
	p := maker("p")
	listings := []*pb.Listing{
		djembe(p, "us"),
		djembe(p, "cn", func(l *pb.Listing) { l.ShipToCountryCodes = []string{"CN"} }),
	}
	e := newEngine(t, []*pb.Producer{p}, listings)
	req := usRequest(func(r *pb.BuyingRequest) { r.DestinationCountryCode = "" })
	got := matchNames(e.Match(req, &pb.Buyer{CountryCode: "CN"}, 0))
	if diff := cmp.Diff([]string{"producers/p/listings/cn"}, got); diff != "" {
		t.Errorf("with a Chinese buyer (-want +got):\n%s", diff)
	}
	resp := e.Match(req, nil, 0)
	if len(resp.GetMatches()) != 2 {
		t.Fatalf("without destination: %v, want both", matchNames(resp))
	}
	if c := criterion(t, resp.GetMatches()[0].GetCriteria(), "destination_experience"); c.GetOutcome() != pb.CriterionScore_UNKNOWN || c.GetScore() != 0 {
		t.Errorf("destination_experience without destination = %v, want UNKNOWN 0", c)
	}
}
