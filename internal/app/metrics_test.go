package app_test

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/adiekspor/temubisnis/internal/config"
)

// metric returns the value of one sample of the /metrics page; -1 when
// absent.
func metric(t *testing.T, e *env, sample string) float64 {
	t.Helper()
	page := e.do(http.MethodGet, "/metrics", nil).must(t, http.StatusOK).raw
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(sample) + ` (\S+)$`).FindStringSubmatch(page)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The business counters move with what users do, and the catalogue's size
// and sync age are exported.
func TestBusinessMetrics(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	searches := metric(t, e, "temubisnis_searches_total")
	e.doAs("", http.MethodGet, "/v1/listings:search?query=djembe", nil).must(t, http.StatusOK)
	e.doAs("", http.MethodGet, "/v1/listings:search?query=koi", nil).must(t, http.StatusOK)
	if got := metric(t, e, "temubisnis_searches_total"); got != searches+2 {
		t.Errorf("searches %v, want %v", got, searches+2)
	}

	r := e.do(http.MethodGet, "/v1/"+koiRequest+":match?pageSize=1", nil).must(t, http.StatusOK)
	listing := r.body["matches"].([]any)[0].(map[string]any)["listing"].(map[string]any)["name"].(string)
	m := e.do(http.MethodPost, "/v1/matches", map[string]any{
		"buyingRequest": koiRequest, "proposedBy": "BUYER", "members": []any{map[string]any{"listing": listing}},
	}).must(t, http.StatusOK)
	name, producer := m.str("name"), m.body["members"].([]any)[0].(map[string]any)["producer"].(string)
	e.do(http.MethodPost, "/v1/"+name+":accept", map[string]any{"party": "PRODUCER_SIDE", "producer": producer}).must(t, http.StatusOK)
	e.do(http.MethodPost, "/v1/"+name+":close", map[string]any{"noDealReason": "price"}).must(t, http.StatusOK)

	for sample, want := range map[string]float64{
		`temubisnis_matches_computed_total{direction="request"}`: 1,
		`temubisnis_proposals_total{proposed_by="BUYER"}`:        1,
		`temubisnis_connections_total`:                           1,
		`temubisnis_matches_closed_total{outcome="no_deal"}`:     1,
		`temubisnis_matches_closed_total{outcome="deal"}`:        0,
	} {
		if got := metric(t, e, sample); got != want {
			t.Errorf("%s = %v, want %v", sample, got, want)
		}
	}
	if n := metric(t, e, "temubisnis_catalogue_listings"); n < 50 {
		t.Errorf("catalogue listings %v", n)
	}
	if age := metric(t, e, "temubisnis_catalogue_sync_age_seconds"); age < 0 || age > 60 {
		t.Errorf("catalogue sync age %v", age)
	}
}
