package matching

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TestFitAgreesWithMatch: every listing Match returns for a demo request
// passes Fit (the other way round does not hold: Match also caps listings
// per producer); a djembe for a sambal request fails on the product.
func TestFitAgreesWithMatch(t *testing.T) {
	d := newDemo(t)
	checked := 0
	for _, r := range d.ds.BuyingRequests {
		buyer := d.buyers[buyerOf(r.GetName())]
		got := map[string]bool{}
		for _, m := range d.engine.Match(r, buyer, 1000).GetMatches() {
			got[m.GetListing().GetName()] = true
		}
		for _, l := range d.ds.Listings {
			p := d.producers[parentName(l.GetName())]
			unfit := d.engine.Fit(r, buyer, l, p)
			if got[l.GetName()] && len(unfit) != 0 {
				t.Errorf("%s for %s: Match returns it, Fit says %v", l.GetName(), r.GetName(), unfit)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
	sambal := d.requests["buyers/causeway-nusantara-foods/buyingRequests/sambal-pecel-500kg"]
	djembe := d.listings["producers/kendang-jaya-nglegok/listings/djembe-40cm-mahogany"]
	if sambal == nil || djembe == nil {
		t.Fatal("demo request or listing missing")
	}
	unfit := d.engine.Fit(sambal, d.buyers[buyerOf(sambal.GetName())], djembe, d.producers[parentName(djembe.GetName())])
	if len(unfit) == 0 || unfit[0].Constraint != "product" || !strings.Contains(unfit[0].Reason, "FOOD") {
		t.Errorf("djembe for sambal: %v", unfit)
	}
}

// Assess agrees with Match: the listings Match ranks for the Japanese koi
// request pass with Match's score; a firm without its CKIB fails the
// certification constraint by name; a djembe fails the product.
func TestAssessAgreesWithMatch(t *testing.T) {
	d := newDemo(t)
	r := d.request(t, japanKoiRequest)
	buyer := d.buyers["buyers/yokohama-aqua-trading"]
	resp := d.engine.Match(r, buyer, 0)
	if len(resp.GetMatches()) == 0 {
		t.Fatal("no matches")
	}
	for _, m := range resp.GetMatches() {
		l := d.listings[m.GetListing().GetName()]
		score, failed := d.engine.Assess(d.producers[m.GetProducer().GetName()], l, r, buyer)
		if failed != "" || score != m.GetScore() {
			t.Errorf("%s: Fit %v %q, Match %v", l.GetName(), score, failed, m.GetScore())
		}
	}
	// The best match's firm without its certificates fails on CKIB.
	best := resp.GetMatches()[0]
	bare := proto.CloneOf(d.producers[best.GetProducer().GetName()])
	bare.Certifications = nil
	if _, failed := d.engine.Assess(bare, d.listings[best.GetListing().GetName()], r, buyer); failed != "certification:CKIB" {
		t.Errorf("without certificates: failed %q, want certification:CKIB", failed)
	}
	var drum *pb.Listing
	for _, l := range d.ds.Listings {
		if drum == nil && l.GetCategory() == pb.Category_MUSICAL_INSTRUMENT && l.GetState() == pb.Listing_ACTIVE {
			drum = l
		}
	}
	p := d.producers[drum.GetName()[:strings.Index(drum.GetName(), "/listings/")]]
	if _, failed := d.engine.Assess(p, drum, r, buyer); failed != "product" {
		t.Errorf("djembe: failed %q, want product", failed)
	}
	if _, failed := d.engine.Assess(d.producers[minaKanigoro], drum, r, buyer); failed != "product" {
		t.Errorf("another firm's listing: failed %q, want product", failed)
	}
}
