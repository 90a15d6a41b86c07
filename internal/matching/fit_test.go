package matching

import (
	"strings"
	"testing"
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
