package app_test

import (
	"net/http"
	"net/url"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
)

// TestSelfEditedExportHistoryNeedsReview is issue 10 item 13: a verified
// producer could rewrite its export history ($9M to the US and Japan) and
// keep the VERIFIED badge that search and matching trust. The history is a
// reviewed fact now: the producer goes back to PENDING_REVIEW and leaves the
// verified-only search.
func TestSelfEditedExportHistoryNeedsReview(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	a := "producers/kendang-jaya-nglegok"
	tokA := e.token(auth.RoleProducer, a)
	e.do(http.MethodPost, "/v1/"+a+":verify", map[string]any{"verificationState": "VERIFIED", "note": "visited"}).must(t, http.StatusOK)
	verifiedHit := func() bool {
		hits, err := pb.NewSearchServiceClient(e.conn).SearchListings(e.ctx(), &pb.SearchListingsRequest{Query: "djembe", VerifiedOnly: true, PageSize: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits.GetHits() {
			if h.GetProducer().GetName() == a {
				return true
			}
		}
		return false
	}
	if !verifiedHit() {
		t.Fatal("the verified producer does not show under verified only to begin with")
	}
	r := e.doAs(tokA, http.MethodPatch, "/v1/"+a+"?updateMask=exportHistory", map[string]any{"exportHistory": []map[string]any{
		{"countryCode": "US", "year": 2025, "value": map[string]any{"currencyCode": "USD", "units": "6000000"}},
		{"countryCode": "JP", "year": 2025, "value": map[string]any{"currencyCode": "USD", "units": "3000000"}},
	}}).must(t, http.StatusOK)
	if r.str("verificationState") != "PENDING_REVIEW" {
		t.Errorf("a self-rewritten export history kept the badge: %s", r.raw)
	}
	if verifiedHit() {
		t.Error("the producer still shows under verified only")
	}
}

// TestProducerProposalMustFit is issue 10 item 14: a producer could propose
// its djembe listing for a sambal request, and the proposal counted as the
// producer's acceptance. A producer's proposal must pass matching's hard
// constraints; the refusal (FAILED_PRECONDITION) names each one it fails.
func TestProducerProposalMustFit(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	a := "producers/kendang-jaya-nglegok"
	ls, err := e.producers.ListListings(e.ctx(), &pb.ListListingsRequest{Parent: a, Filter: "state = ACTIVE"})
	if err != nil || len(ls.GetListings()) == 0 {
		t.Fatalf("active listings of %s: %v", a, err)
	}
	sambal := "buyers/causeway-nusantara-foods/buyingRequests/sambal-pecel-500kg"
	r := e.doAs(e.token(auth.RoleProducer, a), http.MethodPost, "/v1/matches", map[string]any{
		"buyingRequest": sambal, "proposedBy": "PRODUCER_SIDE",
		"members": []map[string]any{{"listing": ls.GetListings()[0].GetName()}},
	}).must(t, http.StatusBadRequest).grpc(t, 9)
	if !containsAll(r.raw, "PreconditionFailure", `"type":"PRODUCT"`, `"subject":"match.members[0].listing"`) {
		t.Errorf("refusal does not name the product constraint: %s", r.raw)
	}
	list := e.do(http.MethodGet, "/v1/matches?filter="+url.QueryEscape(`buying_request = "`+sambal+`"`), nil).must(t, http.StatusOK)
	if items, _ := list.body["matches"].([]any); len(items) != 0 {
		t.Errorf("the refused proposal was stored: %s", list.raw)
	}
}
