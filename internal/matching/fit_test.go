package matching

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Fit agrees with Match: the listings Match ranks for the Japanese koi
// request pass with Match's score; a firm without its CKIB fails the
// certification constraint by name; a djembe fails the product.
func TestFitAgreesWithMatch(t *testing.T) {
	d := newDemo(t)
	r := d.request(t, japanKoiRequest)
	buyer := d.buyers["buyers/yokohama-aqua-trading"]
	resp := d.engine.Match(r, buyer, 0)
	if len(resp.GetMatches()) == 0 {
		t.Fatal("no matches")
	}
	for _, m := range resp.GetMatches() {
		l := d.listings[m.GetListing().GetName()]
		score, failed := d.engine.Fit(d.producers[m.GetProducer().GetName()], l, r, buyer)
		if failed != "" || score != m.GetScore() {
			t.Errorf("%s: Fit %v %q, Match %v", l.GetName(), score, failed, m.GetScore())
		}
	}
	// The best match's firm without its certificates fails on CKIB.
	best := resp.GetMatches()[0]
	bare := proto.CloneOf(d.producers[best.GetProducer().GetName()])
	bare.Certifications = nil
	if _, failed := d.engine.Fit(bare, d.listings[best.GetListing().GetName()], r, buyer); failed != "certification:CKIB" {
		t.Errorf("without certificates: failed %q, want certification:CKIB", failed)
	}
	var drum *pb.Listing
	for _, l := range d.ds.Listings {
		if drum == nil && l.GetCategory() == pb.Category_MUSICAL_INSTRUMENT && l.GetState() == pb.Listing_ACTIVE {
			drum = l
		}
	}
	p := d.producers[drum.GetName()[:strings.Index(drum.GetName(), "/listings/")]]
	if _, failed := d.engine.Fit(p, drum, r, buyer); failed != "product" {
		t.Errorf("djembe: failed %q, want product", failed)
	}
	if _, failed := d.engine.Fit(d.producers[minaKanigoro], drum, r, buyer); failed != "product" {
		t.Errorf("another firm's listing: failed %q, want product", failed)
	}
}
