package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"testing"
)

func djembeMaker() map[string]any {
	return map[string]any{
		"displayName": "Kendang Jaya Nglegok",
		"legalName":   "UD Kendang Jaya",
		"businessId":  "9120001234567",
		"kind":        "PRODUCER",
		"district":    "Nglegok",
		"village":     "Kemloko",
		"contact": map[string]any{
			"personName": "Pak Slamet",
			"phone":      "+6281234567890",
			"whatsapp":   "+6281234567890",
			"email":      "slamet@example.co.id",
		},
		"languageCodes":    []string{"id", "en"},
		"yearFounded":      2009,
		"workerCount":      18,
		"exportsInOwnName": false,
		"exportHistory": []map[string]any{
			{"countryCode": "CN", "year": 2024, "value": map[string]any{"currencyCode": "USD", "units": "42000"}},
		},
		"certifications": []map[string]any{
			{"type": "SVLK", "number": "VLK-123/2024", "issuer": "LVLK Mutu", "issueDate": map[string]any{"year": 2024, "month": 3, "day": 1}, "expiryDate": map[string]any{"year": 2030, "month": 2, "day": 28}},
		},
	}
}

func djembeListing() map[string]any {
	return map[string]any{
		"title":              "Djembe 60 cm, mahogany, goatskin head",
		"description":        "Hand-carved mahogany body, goatskin head, rope tuned.",
		"category":           "MUSICAL_INSTRUMENT",
		"hsCode":             "920600",
		"attributes":         map[string]string{"size_cm": "60", "wood": "mahogany"},
		"unit":               "piece",
		"priceMin":           map[string]any{"currencyCode": "USD", "units": "45", "nanos": 500000000},
		"priceMax":           map[string]any{"currencyCode": "USD", "units": "60"},
		"minOrderQuantity":   "100",
		"monthlyCapacity":    "800",
		"leadTimeDays":       30,
		"shipToCountryCodes": []string{"CN", "TW"},
	}
}

func TestRESTProducerLifecycle(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})

	created := e.do("POST", "/v1/producers?producerId=kendang-jaya&requestId=req-1", djembeMaker()).must(t, http.StatusOK)
	if created.str("name") != "producers/kendang-jaya" {
		t.Fatalf("name = %q", created.str("name"))
	}
	if created.str("verificationState") != "UNVERIFIED" || created.str("etag") == "" || created.str("createTime") == "" {
		t.Fatalf("output-only fields not set: %s", created.raw)
	}

	// A retry with the same request id returns the same producer.
	again := e.do("POST", "/v1/producers?producerId=kendang-jaya&requestId=req-1", djembeMaker()).must(t, http.StatusOK)
	if again.str("etag") != created.str("etag") || again.str("createTime") != created.str("createTime") {
		t.Fatalf("retry created something new: %s", again.raw)
	}
	// Without it, the same id is a conflict.
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusConflict)
	// And so is the same NIB under another id.
	dup := e.do("POST", "/v1/producers?producerId=other-firm", djembeMaker()).must(t, http.StatusConflict)
	if got := dup.str("message"); got == "" {
		t.Fatalf("no message: %s", dup.raw)
	}

	got := e.do("GET", "/v1/producers/kendang-jaya", nil).must(t, http.StatusOK)
	contact, _ := got.body["contact"].(map[string]any)
	if got.str("district") != "Nglegok" || contact["phone"] != "+6281234567890" {
		t.Fatalf("get: %s", got.raw)
	}

	// PATCH with a mask changes only the masked fields.
	patch := map[string]any{"workerCount": 25, "village": "ignored because not in the mask"}
	upd := e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=workerCount&producer.etag="+url.QueryEscape(created.str("etag")), patch)
	// grpc-gateway binds the body to the producer; etag travels in the body too.
	if upd.code != http.StatusOK {
		upd = e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=workerCount", map[string]any{"workerCount": 25, "village": "ignored", "etag": created.str("etag")}).must(t, http.StatusOK)
	}
	if upd.body["workerCount"] != float64(25) || upd.str("village") != "Kemloko" {
		t.Fatalf("patch applied wrong fields: %s", upd.raw)
	}
	if upd.str("etag") == created.str("etag") {
		t.Fatal("etag did not change on update")
	}
	// The old etag is stale now: 409 and no write.
	stale := e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=workerCount", map[string]any{"workerCount": 99, "etag": created.str("etag")})
	stale.must(t, http.StatusConflict)
	if now := e.do("GET", "/v1/producers/kendang-jaya", nil).must(t, http.StatusOK); now.body["workerCount"] != float64(25) {
		t.Fatalf("stale write happened: %s", now.raw)
	}

	// Producers cannot verify themselves through PATCH.
	bad := e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=verificationState", map[string]any{"verificationState": "VERIFIED"}).must(t, http.StatusBadRequest)
	if !slices.Contains(bad.violations(), "update_mask.paths[0]") {
		t.Fatalf("violations = %v", bad.violations())
	}
	ver := e.do("POST", "/v1/producers/kendang-jaya:verify", map[string]any{"verificationState": "VERIFIED", "note": "NIB checked"}).must(t, http.StatusOK)
	if ver.str("verificationState") != "VERIFIED" || ver.str("verificationNote") != "NIB checked" {
		t.Fatalf("verify: %s", ver.raw)
	}

	// A producer with listings is deleted only with force.
	e.do("POST", "/v1/producers/kendang-jaya/listings?listingId=djembe-60", djembeListing()).must(t, http.StatusOK)
	e.do("DELETE", "/v1/producers/kendang-jaya", nil).must(t, http.StatusBadRequest).grpc(t, 9)
	e.do("DELETE", "/v1/producers/kendang-jaya?force=true", nil).must(t, http.StatusOK)
	e.do("GET", "/v1/producers/kendang-jaya", nil).must(t, http.StatusNotFound)
	e.do("GET", "/v1/producers/kendang-jaya/listings/djembe-60", nil).must(t, http.StatusNotFound)
	e.do("DELETE", "/v1/producers/kendang-jaya", nil).must(t, http.StatusNotFound)
}

func TestRESTListingLifecycle(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)

	l := e.do("POST", "/v1/producers/kendang-jaya/listings?listingId=djembe-60", djembeListing()).must(t, http.StatusOK)
	if l.str("state") != "DRAFT" {
		t.Fatalf("new listing state = %q, want DRAFT", l.str("state"))
	}
	if l.str("minOrderQuantity") != "100" || l.body["leadTimeDays"] != float64(30) {
		t.Fatalf("listing fields: %s", l.raw)
	}
	pm, _ := l.body["priceMin"].(map[string]any)
	if pm["units"] != "45" || pm["nanos"] != float64(500000000) || pm["currencyCode"] != "USD" {
		t.Fatalf("price round trip: %v", pm)
	}

	// State machine.
	e.do("POST", "/v1/producers/kendang-jaya/listings/djembe-60:pause", map[string]any{}).must(t, http.StatusBadRequest).grpc(t, 9)
	pub := e.do("POST", "/v1/producers/kendang-jaya/listings/djembe-60:publish", map[string]any{}).must(t, http.StatusOK)
	if pub.str("state") != "ACTIVE" {
		t.Fatalf("state = %q", pub.str("state"))
	}
	// Publishing again is harmless.
	e.do("POST", "/v1/producers/kendang-jaya/listings/djembe-60:publish", map[string]any{}).must(t, http.StatusOK)
	e.do("POST", "/v1/producers/kendang-jaya/listings/djembe-60:pause", map[string]any{}).must(t, http.StatusOK)
	arch := e.do("POST", "/v1/producers/kendang-jaya/listings/djembe-60:archive", map[string]any{}).must(t, http.StatusOK)
	if arch.str("state") != "ARCHIVED" {
		t.Fatalf("state = %q", arch.str("state"))
	}
	e.do("POST", "/v1/producers/kendang-jaya/listings/djembe-60:publish", map[string]any{}).must(t, http.StatusBadRequest).grpc(t, 9)
	e.do("PATCH", "/v1/producers/kendang-jaya/listings/djembe-60?updateMask=title", map[string]any{"title": "New"}).must(t, http.StatusBadRequest).grpc(t, 9)

	// The state cannot be set by create or update.
	draft := djembeListing()
	draft["state"] = "ACTIVE"
	d := e.do("POST", "/v1/producers/kendang-jaya/listings?listingId=djembe-40", draft).must(t, http.StatusOK)
	if d.str("state") != "DRAFT" {
		t.Fatalf("create honoured an output-only state: %s", d.raw)
	}
	// A listing of a producer that does not exist.
	e.do("POST", "/v1/producers/nobody/listings", djembeListing()).must(t, http.StatusNotFound)

	// Clearing an optional field through the mask makes it unknown again.
	cl := e.do("PATCH", "/v1/producers/kendang-jaya/listings/djembe-40?updateMask=monthlyCapacity", map[string]any{}).must(t, http.StatusOK)
	if _, has := cl.body["monthlyCapacity"]; has {
		t.Fatalf("monthly capacity not cleared: %s", cl.raw)
	}
	e.do("DELETE", "/v1/producers/kendang-jaya/listings/djembe-40", nil).must(t, http.StatusOK)
	e.do("DELETE", "/v1/producers/kendang-jaya/listings/djembe-40", nil).must(t, http.StatusNotFound)
}

func TestRESTListPagingAndFilters(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)
	koi := djembeMaker()
	koi["displayName"], koi["businessId"], koi["district"] = "Koi Kanigoro", "9120001234568", "Kanigoro"
	e.do("POST", "/v1/producers?producerId=koi-kanigoro", koi).must(t, http.StatusOK)

	for i := 0; i < 7; i++ {
		l := djembeListing()
		l["title"] = fmt.Sprintf("Djembe %d", i)
		if i%2 == 1 {
			l["shipToCountryCodes"] = []string{"JP"}
		}
		e.do("POST", fmt.Sprintf("/v1/producers/kendang-jaya/listings?listingId=d%d", i), l).must(t, http.StatusOK)
	}
	fish := djembeListing()
	fish["title"], fish["category"], fish["hsCode"], fish["unit"] = "Kohaku 30 cm", "ORNAMENTAL_FISH", "03011191", "fish"
	fish["shipToCountryCodes"] = []string{"JP", "US"}
	e.do("POST", "/v1/producers/koi-kanigoro/listings?listingId=kohaku", fish).must(t, http.StatusOK)

	// Page through all listings of all producers, 3 at a time.
	var names []string
	token := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		r := e.do("GET", "/v1/producers/-/listings?pageSize=3&pageToken="+url.QueryEscape(token), nil).must(t, http.StatusOK)
		items, _ := r.body["listings"].([]any)
		for _, it := range items {
			names = append(names, it.(map[string]any)["name"].(string))
		}
		token = r.str("nextPageToken")
		if token == "" {
			break
		}
	}
	if len(names) != 8 || !sort.StringsAreSorted(names) {
		t.Fatalf("paged names = %v", names)
	}

	count := func(path string) int {
		r := e.do("GET", path, nil).must(t, http.StatusOK)
		items, _ := r.body["listings"].([]any)
		return len(items)
	}
	cases := map[string]int{
		"/v1/producers/kendang-jaya/listings":                                                         7,
		"/v1/producers/-/listings?filter=" + url.QueryEscape(`category = ORNAMENTAL_FISH`):            1,
		"/v1/producers/-/listings?filter=" + url.QueryEscape(`ship_to_country_codes:"JP"`):            4,
		"/v1/producers/-/listings?filter=" + url.QueryEscape(`hs_code = "0301*"`):                     1,
		"/v1/producers/-/listings?filter=" + url.QueryEscape(`hs_code = "92*" AND state = DRAFT`):     7,
		"/v1/producers/koi-kanigoro/listings?filter=" + url.QueryEscape(`ship_to_country_codes = us`): 1,
		"/v1/producers/-/listings?filter=" + url.QueryEscape(`state = ACTIVE`):                        0,
	}
	for path, want := range cases {
		if got := count(path); got != want {
			t.Errorf("GET %s: %d listings, want %d", path, got, want)
		}
	}
	r := e.do("GET", "/v1/producers?filter="+url.QueryEscape(`district = "Kanigoro"`), nil).must(t, http.StatusOK)
	if items, _ := r.body["producers"].([]any); len(items) != 1 {
		t.Fatalf("district filter: %s", r.raw)
	}

	// A page token only works with the query that issued it.
	first := e.do("GET", "/v1/producers/-/listings?pageSize=2", nil).must(t, http.StatusOK)
	bad := e.do("GET", "/v1/producers/-/listings?pageSize=2&filter=category%3DFOOD&pageToken="+url.QueryEscape(first.str("nextPageToken")), nil).must(t, http.StatusBadRequest)
	if !slices.Contains(bad.violations(), "page_token") {
		t.Fatalf("violations = %v", bad.violations())
	}
}

// TestRESTPatchWithoutMask: without updateMask the gateway derives the mask
// from the body, which then also names the etag; the etag still guards the
// write.
func TestRESTPatchWithoutMask(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	c := e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)
	u := e.do("PATCH", "/v1/producers/kendang-jaya", map[string]any{"workerCount": 12, "etag": c.str("etag")}).must(t, http.StatusOK)
	if u.body["workerCount"] != float64(12) || u.str("district") != "Nglegok" {
		t.Fatalf("patch without mask: %s", u.raw)
	}
	e.do("PATCH", "/v1/producers/kendang-jaya", map[string]any{"workerCount": 13, "etag": c.str("etag")}).must(t, http.StatusConflict)
	// A whole GET body sent back, output-only fields included, is accepted.
	got := e.do("GET", "/v1/producers/kendang-jaya", nil).must(t, http.StatusOK)
	got.body["village"] = "Sumberasri"
	e.do("PATCH", "/v1/producers/kendang-jaya", got.body).must(t, http.StatusBadRequest) // verificationState is the producer's to read, not to send
	delete(got.body, "verificationState")
	r := e.do("PATCH", "/v1/producers/kendang-jaya", got.body).must(t, http.StatusOK)
	if r.str("village") != "Sumberasri" {
		t.Fatalf("round trip: %s", r.raw)
	}
}
