package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

const djembeRequest = "buyers/heartland-drum-supply/buyingRequests/djembe-10000-pieces"

func testMatchBuyingRequestOnDemoData(t *testing.T, e *env) {
	ctx := e.ctx()

	resp, err := e.matches.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: koiRequest})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetMatches()) == 0 {
		t.Fatalf("no match for the Japanese koi request: %v", resp)
	}
	prev := 2.0
	for _, m := range resp.GetMatches() {
		if m.GetListing().GetCategory() != pb.Category_ORNAMENTAL_FISH {
			t.Errorf("non-koi listing %s matched", m.GetListing().GetName())
		}
		if m.GetScore() > prev {
			t.Errorf("matches not ordered by score")
		}
		prev = m.GetScore()
		if len(m.GetCriteria()) < 8 {
			t.Errorf("breakdown of %s has %d criteria", m.GetListing().GetName(), len(m.GetCriteria()))
		}
		if !slices.Contains(m.GetListing().GetShipToCountryCodes(), "JP") {
			t.Errorf("%s cannot ship to Japan", m.GetListing().GetName())
		}
	}
	// The importer wants young koi at a tosai price: the top match sells
	// them at that price, and every match says that Japan's health
	// conditions for Indonesian koi are still unconfirmed.
	top := resp.GetMatches()[0]
	for _, c := range top.GetCriteria() {
		if c.GetCriterion() == "price" && c.GetOutcome() != pb.CriterionScore_MATCHED {
			t.Errorf("top koi match is not at the buyer's price: %s", c.GetExplanation())
		}
	}
	for _, m := range resp.GetMatches() {
		for _, c := range m.GetCriteria() {
			if c.GetCriterion() == "export_readiness" && !strings.Contains(c.GetExplanation(), "health conditions agreed with Japan") {
				t.Errorf("%s: readiness %q does not name Japan's unconfirmed health conditions", m.GetListing().GetName(), c.GetExplanation())
			}
		}
	}

	// 10,000 djembe for the US: no single maker can, a group can.
	big, err := e.matches.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: djembeRequest})
	if err != nil {
		t.Fatal(err)
	}
	g := big.GetGroupProposal()
	if g == nil || len(g.GetMembers()) < 2 {
		t.Fatalf("no group proposal for 10,000 djembe: %v", g)
	}
	var sum int64
	producers := map[string]bool{}
	for _, m := range g.GetMembers() {
		sum += m.GetAllottedQuantity()
		l := m.GetMatch().GetListing()
		if moq := l.GetMinOrderQuantity(); l.MinOrderQuantity != nil && m.GetAllottedQuantity() < moq {
			t.Errorf("%s allotted %d below its MOQ %d", l.GetName(), m.GetAllottedQuantity(), moq)
		}
		p := m.GetMatch().GetProducer().GetName()
		if producers[p] {
			t.Errorf("producer %s twice in the group", p)
		}
		producers[p] = true
	}
	if sum != g.GetTotalQuantity() || (g.GetCoversRequest() && sum != 10000) {
		t.Fatalf("group quantities add up to %d, total %d, covers %v", sum, g.GetTotalQuantity(), g.GetCoversRequest())
	}

	// The reverse direction over REST: a koi listing sees the Japanese request.
	listing := top.GetListing().GetName()
	r := e.do("GET", "/v1/"+listing+":recommendBuyingRequests", nil).must(t, http.StatusOK)
	found := false
	for _, rm := range items(r, "requests") {
		if rm["buyingRequest"].(map[string]any)["name"] == koiRequest {
			found = true
		}
	}
	if !found {
		t.Fatalf("the Japanese koi request is not recommended to %s: %.600s", listing, r.raw)
	}
	e.do("GET", "/v1/"+koiRequest+":match?pageSize=5", nil).must(t, http.StatusOK)
	e.do("GET", "/v1/buyers/nobody/buyingRequests/nothing:match", nil).must(t, http.StatusNotFound)
	e.do("GET", "/v1/"+koiRequest+":match?pageSize=1000", nil).must(t, http.StatusBadRequest)
}
