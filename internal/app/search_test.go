package app_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func search(t *testing.T, e *env, params url.Values) response {
	t.Helper()
	return e.do("GET", "/v1/listings:search?"+params.Encode(), nil).must(t, http.StatusOK)
}

func hitListing(h map[string]any) map[string]any { return h["listing"].(map[string]any) }

func testSearchOverREST(t *testing.T, e *env) {

	// A Japanese buyer searching "nishikigoi" gets koi breeders first.
	r := search(t, e, url.Values{"query": {"nishikigoi"}, "shipToCountryCode": {"JP"}})
	hits := items(r, "hits")
	if len(hits) == 0 {
		t.Fatalf("no hits for nishikigoi: %s", r.raw)
	}
	if c := hitListing(hits[0])["category"]; c != "ORNAMENTAL_FISH" {
		t.Fatalf("first hit for nishikigoi is %v", c)
	}
	for _, h := range hits {
		if !slices.Contains(toStrings(hitListing(h)["shipToCountryCodes"]), "JP") {
			t.Fatalf("hit %v does not ship to JP", hitListing(h)["name"])
		}
	}

	// Djembe in the buyer's own words.
	for _, q := range []string{"非洲鼓", "ジャンベ", "jimbe", "djembe", "DJÉMBÉ"} {
		r := search(t, e, url.Values{"query": {q}})
		hits := items(r, "hits")
		if len(hits) == 0 || hitListing(hits[0])["category"] != "MUSICAL_INSTRUMENT" {
			t.Errorf("query %q: first hit is not a drum: %d hits", q, len(hits))
		}
	}
	if hits := items(search(t, e, url.Values{"query": {"peanut sauce"}}), "hits"); len(hits) == 0 || hitListing(hits[0])["category"] != "FOOD" {
		t.Errorf("peanut sauce does not find sambal pecel first")
	}

	// Hits carry a public producer summary and never contact details.
	if strings.Contains(r.raw, "+62") || strings.Contains(r.raw, "@") || strings.Contains(r.raw, "contact") {
		t.Fatalf("search response leaks contact details: %.400s", r.raw)
	}
	if p, _ := hits[0]["producer"].(map[string]any); p["displayName"] == nil || p["district"] == nil {
		t.Fatalf("hit without producer summary: %v", hits[0])
	}

	// Facets count the hits.
	r = search(t, e, url.Values{"query": {"koi"}, "pageSize": {"100"}})
	total := int(r.body["totalSize"].(float64))
	for _, f := range items(r, "facets") {
		if f["field"] != "category" {
			continue
		}
		sum := 0
		for _, v := range f["values"].([]any) {
			sum += int(v.(map[string]any)["count"].(float64))
		}
		if sum != total {
			t.Errorf("category facet sums to %d, total is %d", sum, total)
		}
	}

	// The BASIC view leaves out descriptions and attributes.
	full := search(t, e, url.Values{"query": {"djembe"}, "pageSize": {"5"}})
	basic := search(t, e, url.Values{"query": {"djembe"}, "pageSize": {"5"}, "view": {"BASIC"}})
	if len(basic.raw) >= len(full.raw) || strings.Contains(basic.raw, `"description"`) || strings.Contains(basic.raw, `"attributes"`) {
		t.Fatalf("BASIC view: %d bytes vs FULL %d: %.300s", len(basic.raw), len(full.raw), basic.raw)
	}
	if hitListing(items(basic, "hits")[0])["title"] == nil {
		t.Fatal("BASIC hits lack titles")
	}

	bad := []struct{ params, field string }{
		{"currencyCode=XYZ", "currency_code"},
		{"view=HUGE", "view"},
		{"shipToCountryCode=XX", "ship_to_country_code"},
		{"pageSize=1000", "page_size"},
		{"pageToken=garbage", "page_token"},
	}
	for _, b := range bad {
		resp := e.do("GET", "/v1/listings:search?query=koi&"+b.params, nil).must(t, http.StatusBadRequest)
		if !slices.Contains(resp.violations(), b.field) {
			t.Errorf("%s: violations %v, want %s", b.params, resp.violations(), b.field)
		}
	}
	first := search(t, e, url.Values{"query": {"koi"}, "pageSize": {"2"}})
	if tok := first.str("nextPageToken"); tok != "" {
		resp := e.do("GET", "/v1/listings:search?query=djembe&pageSize=2&pageToken="+url.QueryEscape(tok), nil).must(t, http.StatusBadRequest)
		if !slices.Contains(resp.violations(), "page_token") {
			t.Errorf("token of another query accepted: %v", resp.violations())
		}
	}
}

func toStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, s := range list {
		out = append(out, s.(string))
	}
	return out
}

// TestSearchSeesWritesAtOnce: a write through this process is visible to the
// next search on it.
func TestSearchSeesWritesAtOnce(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)
	l := djembeListing()
	l["title"] = "Kendang zebrawood special"
	e.do("POST", "/v1/producers/kendang-jaya/listings?listingId=zebra", l).must(t, http.StatusOK)

	find := func(q string) int { return len(items(search(t, e, url.Values{"query": {q}}), "hits")) }
	if n := find("zebrawood"); n != 0 {
		t.Fatalf("a DRAFT listing is searchable (%d hits)", n)
	}
	e.do("POST", "/v1/producers/kendang-jaya/listings/zebra:publish", map[string]any{}).must(t, http.StatusOK)
	if n := find("zebrawood"); n != 1 {
		t.Fatalf("published listing: %d hits, want 1", n)
	}
	e.do("PATCH", "/v1/producers/kendang-jaya/listings/zebra?updateMask=title", map[string]any{"title": "Kendang teakwood special"}).must(t, http.StatusOK)
	if find("zebrawood") != 0 || find("teakwood") != 1 {
		t.Fatal("search does not follow a title change at once")
	}
	e.do("POST", "/v1/producers/kendang-jaya/listings/zebra:pause", map[string]any{}).must(t, http.StatusOK)
	if n := find("teakwood"); n != 0 {
		t.Fatalf("paused listing found (%d hits)", n)
	}
	e.do("POST", "/v1/producers/kendang-jaya/listings/zebra:publish", map[string]any{}).must(t, http.StatusOK)
	e.do("DELETE", "/v1/producers/kendang-jaya?force=true", nil).must(t, http.StatusOK)
	if n := find("teakwood"); n != 0 {
		t.Fatalf("listing of a deleted producer found (%d hits)", n)
	}
}

// TestSearchSeesOtherReplicasWrites: two service instances share a database;
// a write on one reaches the other's catalogue through the change log.
func TestSearchSeesOtherReplicasWrites(t *testing.T) {
	t.Parallel()
	a := start(t, startOpts{})
	b := start(t, startOpts{database: a.database})
	a.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)
	l := djembeListing()
	l["title"] = "Djembe ebony replica"
	a.do("POST", "/v1/producers/kendang-jaya/listings?listingId=ebony", l).must(t, http.StatusOK)
	a.do("POST", "/v1/producers/kendang-jaya/listings/ebony:publish", map[string]any{}).must(t, http.StatusOK)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	// One poll of the change log brings the write over.
	if err := b.app.Syncer.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(items(search(t, b, url.Values{"query": {"ebony"}}), "hits")); n != 1 {
		t.Fatalf("replica b: %d hits after polling, want 1", n)
	}
	a.do("DELETE", "/v1/producers/kendang-jaya/listings/ebony", nil).must(t, http.StatusOK)
	if err := b.app.Syncer.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(items(search(t, b, url.Values{"query": {"ebony"}}), "hits")); n != 0 {
		t.Fatalf("replica b still finds a deleted listing (%d hits)", n)
	}

	// And the background loop does it by itself within 2 seconds.
	l["title"] = "Djembe rosewood replica"
	a.do("POST", "/v1/producers/kendang-jaya/listings?listingId=rosewood", l).must(t, http.StatusOK)
	a.do("POST", "/v1/producers/kendang-jaya/listings/rosewood:publish", map[string]any{}).must(t, http.StatusOK)
	deadline := time.Now().Add(2 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for len(items(search(t, b, url.Values{"query": {"rosewood"}}), "hits")) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("replica b did not see replica a's write within 2 seconds")
		}
		<-tick.C
	}
}

func TestExchangeRatesOverREST(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	r := e.do("GET", "/v1/exchangeRates", nil).must(t, http.StatusOK)
	if r.str("baseCurrencyCode") == "" || r.body["rates"] == nil || r.body["asOfDate"] == nil {
		t.Fatalf("default table: %s", r.raw)
	}
	bad := e.do("PATCH", "/v1/exchangeRates?updateMask=rates", map[string]any{"rates": map[string]string{"JPY": "-3"}}).must(t, http.StatusBadRequest)
	if len(bad.violations()) == 0 {
		t.Fatalf("negative rate accepted: %s", bad.raw)
	}
	rates := r.body["rates"].(map[string]any)
	rates["JPY"] = "200"
	up := e.do("PATCH", "/v1/exchangeRates?updateMask=rates", map[string]any{"rates": rates, "etag": r.str("etag")}).must(t, http.StatusOK)
	if up.body["rates"].(map[string]any)["JPY"] != "200" {
		t.Fatalf("update: %s", up.raw)
	}
	// Search converts with the new table at once.
	s := search(t, e, url.Values{"query": {"djembe"}, "currencyCode": {"JPY"}, "pageSize": {"1"}})
	hits := items(s, "hits")
	if len(hits) == 0 {
		t.Fatal("no djembe hits")
	}
	conv, _ := hits[0]["convertedPriceMin"].(map[string]any)
	orig, _ := hitListing(hits[0])["priceMin"].(map[string]any)
	if conv["currencyCode"] != "JPY" || orig == nil || orig["currencyCode"] != "USD" {
		t.Fatalf("converted %v from %v", conv, orig)
	}
	if conv["units"] == "0" {
		t.Fatalf("conversion gave zero: %v", conv)
	}
	e.do("PATCH", "/v1/exchangeRates?updateMask=rates", map[string]any{"rates": rates, "etag": r.str("etag")}).must(t, http.StatusConflict)
}
