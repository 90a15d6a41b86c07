package matching

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// khvRequest asks for koi (HS 030111) to Japan with a KHV-free certificate.
func khvRequest() *pb.BuyingRequest {
	return &pb.BuyingRequest{
		Name:                       "buyers/b/buyingRequests/khv",
		Category:                   pb.Category_ORNAMENTAL_FISH,
		HsPrefix:                   "030111",
		Quantity:                   100,
		Unit:                       "fish",
		DestinationCountryCode:     "JP",
		RequiredCertificationTypes: []string{"KHV_FREE_CERTIFICATE"},
		NeededByDate:               day(60),
	}
}

// relaxFixture: 2 listings qualify; 4 (of 4 breeders) fail only the KHV
// certificate; 2 fail only the destination (one ships elsewhere, one states
// no destination); 1 fails only the HS prefix; and some fail two
// constraints or one that cannot be relaxed, and must not be counted.
func relaxFixture() ([]*pb.Producer, []*pb.Listing) {
	khv := func(id string) *pb.Producer { return maker(id, cert("KHV_FREE_CERTIFICATE", day(200))) }
	q1, q2 := khv("qualified-1"), khv("qualified-2")
	c1, c2, c3, c4 := maker("no-cert-1"), maker("no-cert-2"), maker("no-cert-3"), maker("no-cert-4")
	d1 := khv("elsewhere")
	expired := maker("expired", cert("KHV_FREE_CERTIFICATE", day(-3)))
	both := maker("both")
	producers := []*pb.Producer{q1, q2, c1, c2, c3, c4, d1, expired, both}
	listings := []*pb.Listing{
		koi(q1, "a"),
		koi(q2, "a"),
		// Only the certificate fails (expired counts as not held).
		koi(c1, "a"), koi(c2, "a"), koi(c3, "a"),
		koi(expired, "a"),
		// Only the destination fails.
		koi(d1, "us-only", func(l *pb.Listing) { l.ShipToCountryCodes = []string{"US"} }),
		koi(q1, "not-stated", func(l *pb.Listing) { l.ShipToCountryCodes = nil }),
		// Only the HS prefix fails (the category is right).
		koi(q2, "other-fish", func(l *pb.Listing) { l.HsCode = "03011999" }),
		// Two failures: never counted.
		koi(both, "us-only", func(l *pb.Listing) { l.ShipToCountryCodes = []string{"US"} }),
		koi(c4, "other-fish-us", func(l *pb.Listing) { l.HsCode = "03011999"; l.ShipToCountryCodes = []string{"US"} }),
		// Fails only the certificate, but is paused: not relaxable.
		koi(c4, "paused", func(l *pb.Listing) { l.State = pb.Listing_PAUSED }),
		// Wrong category: not relaxable.
		koi(q1, "plant", func(l *pb.Listing) { l.Category = pb.Category_ORNAMENTAL_PLANT; l.HsCode = "060290" }),
	}
	return producers, listings
}

func TestRelaxationHints(t *testing.T) {
	producers, listings := relaxFixture()
	want := []*pb.RelaxationHint{
		{
			Constraint:         "certification",
			Value:              "KHV_FREE_CERTIFICATE",
			AdditionalListings: 4,
			Explanation:        "4 more koi breeders if the KHV_FREE_CERTIFICATE were not required.",
		},
		{
			Constraint:         "destination",
			Value:              "JP",
			AdditionalListings: 2,
			Explanation:        "2 more koi breeders if the destination Japan were dropped: their listings do not name Japan as a country they ship to, so ask whether they can.",
		},
		{
			Constraint:         "product",
			Value:              "030111",
			AdditionalListings: 1,
			Explanation:        "1 more koi breeder if other HS codes in ornamental fish were accepted, not only 030111.",
		},
	}
	for name, e := range engines(t, producers, listings) {
		t.Run(name, func(t *testing.T) {
			resp := e.Match(khvRequest(), nil, 0)
			if resp.GetQualifiedCount() != 2 {
				t.Fatalf("qualified_count = %d, want 2 (%v)", resp.GetQualifiedCount(), matchNames(resp))
			}
			if diff := cmp.Diff(want, resp.GetRelaxations(), protocmp.Transform()); diff != "" {
				t.Errorf("relaxations (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRelaxationHintsOnlyWhenFew: with HintThreshold or more qualifying
// listings there are no hints.
func TestRelaxationHintsOnlyWhenFew(t *testing.T) {
	producers, listings := relaxFixture()
	for i := range HintThreshold - 2 {
		p := maker(fmt.Sprintf("extra-%d", i), cert("KHV_FREE_CERTIFICATE", nil))
		producers = append(producers, p)
		listings = append(listings, koi(p, "a"))
	}
	resp := newEngine(t, producers, listings).Match(khvRequest(), nil, 0)
	if resp.GetQualifiedCount() != HintThreshold {
		t.Fatalf("qualified_count = %d, want %d", resp.GetQualifiedCount(), HintThreshold)
	}
	if len(resp.GetRelaxations()) != 0 {
		t.Errorf("relaxations = %v, want none", resp.GetRelaxations())
	}
}

// TestRelaxationHintsPerCertificate: with two required types, a listing
// missing both counts for neither; each type has its own count.
func TestRelaxationHintsPerCertificate(t *testing.T) {
	ckib := maker("ckib-only", cert("CKIB", nil))
	fhc := maker("fhc-only", cert("FISH_HEALTH_CERTIFICATE", nil))
	fhc2 := maker("fhc-only-2", cert("FISH_HEALTH_CERTIFICATE", nil))
	none := maker("none")
	producers := []*pb.Producer{ckib, fhc, fhc2, none}
	listings := []*pb.Listing{koi(ckib, "a"), koi(ckib, "b"), koi(fhc, "a"), koi(fhc2, "a"), koi(none, "a")}
	req := khvRequest()
	req.RequiredCertificationTypes = []string{"FISH_HEALTH_CERTIFICATE", "CKIB", "CKIB"} // duplicate ignored
	resp := newEngine(t, producers, listings).Match(req, nil, 0)
	got := map[string]int32{}
	for _, h := range resp.GetRelaxations() {
		got[h.GetConstraint()+"/"+h.GetValue()] = h.GetAdditionalListings()
	}
	want := map[string]int32{
		"certification/FISH_HEALTH_CERTIFICATE": 2, // the CKIB-only farm's two listings
		"certification/CKIB":                    2, // the two FHC-only farms
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hint counts (-want +got):\n%s", diff)
	}
	// Two listings of one farm are not "2 more koi breeders".
	wantText := "2 more listings from 1 koi breeder if the FISH_HEALTH_CERTIFICATE were not required."
	for _, h := range resp.GetRelaxations() {
		if h.GetValue() == "FISH_HEALTH_CERTIFICATE" && h.GetExplanation() != wantText {
			t.Errorf("explanation = %q, want %q", h.GetExplanation(), wantText)
		}
	}
}
