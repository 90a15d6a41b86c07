package app_test

import (
	"net/http"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
)

// TestSelfEditOfReviewedFactsNeedsReview: a verified producer that changes
// its business id itself loses the badge until the trade office looks again;
// a change of display name does not matter, and the office's own edits keep
// the state.
func TestSelfEditOfReviewedFactsNeedsReview(t *testing.T) {
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
	r := e.doAs(tokA, http.MethodPatch, "/v1/"+a+"?updateMask=displayName", map[string]any{"displayName": "Kendang Jaya"}).must(t, http.StatusOK)
	if r.str("verificationState") != "VERIFIED" {
		t.Errorf("a new display name cost the badge: %s", r.raw)
	}
	r = e.do(http.MethodPatch, "/v1/"+a+"?updateMask=businessId", map[string]any{"businessId": "9120001234567"}).must(t, http.StatusOK)
	if r.str("verificationState") != "VERIFIED" {
		t.Errorf("the office's own edit cost the badge: %s", r.raw)
	}
	r = e.doAs(tokA, http.MethodPatch, "/v1/"+a+"?updateMask=businessId", map[string]any{"businessId": "9120007654321"}).must(t, http.StatusOK)
	if r.str("verificationState") != "PENDING_REVIEW" {
		t.Errorf("a self-changed business id kept the badge: %s", r.raw)
	}
	if verifiedHit() {
		t.Error("a producer pending review still shows under verified only")
	}

	b := "buyers/heartland-drum-supply"
	r = e.doAs(e.token(auth.RoleBuyer, b), http.MethodPatch, "/v1/"+b+"?updateMask=countryCode", map[string]any{"countryCode": "CA"}).must(t, http.StatusOK)
	if r.str("verificationState") != "PENDING_REVIEW" {
		t.Errorf("a buyer that moved country kept the badge: %s", r.raw)
	}
}
