package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestRESTBadInput(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)

	with := func(base map[string]any, key string, value any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		m[key] = value
		return m
	}
	contact := func(key, value string) map[string]any {
		c := map[string]any{"personName": "Pak Slamet"}
		c[key] = value
		return with(djembeMaker(), "contact", c)
	}
	tests := []struct {
		name   string
		method string
		path   string
		body   any
		field  string
	}{
		{"malformed JSON", "POST", "/v1/producers", `{"displayName": "x",`, "body"},
		{"unknown JSON field", "POST", "/v1/producers", `{"displayName": "x", "colour": "red"}`, "body"},
		{"wrong JSON type", "POST", "/v1/producers", `{"workerCount": "many"}`, "body"},
		{"district outside Blitar", "POST", "/v1/producers", with(djembeMaker(), "district", "Kepanjen"), "producer.district"},
		{"malformed NIB", "POST", "/v1/producers", with(djembeMaker(), "businessId", "12345"), "producer.business_id"},
		{"malformed phone", "POST", "/v1/producers", contact("phone", "0812-abc"), "producer.contact.phone"},
		{"malformed email", "POST", "/v1/producers", contact("email", "slamet@"), "producer.contact.email"},
		{"over-long name", "POST", "/v1/producers", with(djembeMaker(), "displayName", strings.Repeat("x", 201)), "producer.display_name"},
		{"missing kind", "POST", "/v1/producers", with(djembeMaker(), "kind", "KIND_UNSPECIFIED"), "producer.kind"},
		{"unknown export country", "POST", "/v1/producers", with(djembeMaker(), "exportHistory", []map[string]any{{"countryCode": "ZZ", "year": 2024}}), "producer.export_history[0].country_code"},
		{"malformed HS code", "POST", "/v1/producers/kendang-jaya/listings", with(djembeListing(), "hsCode", "92x6"), "listing.hs_code"},
		{"price min above max", "POST", "/v1/producers/kendang-jaya/listings", with(djembeListing(), "priceMin", map[string]any{"currencyCode": "USD", "units": "80"}), "listing.price_min"},
		{"unknown currency", "POST", "/v1/producers/kendang-jaya/listings", with(djembeListing(), "priceMax", map[string]any{"currencyCode": "XYZ", "units": "80"}), "listing.price_max.currency_code"},
		{"negative MOQ", "POST", "/v1/producers/kendang-jaya/listings", with(djembeListing(), "minOrderQuantity", "-5"), "listing.min_order_quantity"},
		{"unknown ship-to country", "POST", "/v1/producers/kendang-jaya/listings", with(djembeListing(), "shipToCountryCodes", []string{"CN", "XX"}), "listing.ship_to_country_codes[1]"},
		{"page size not a number", "GET", "/v1/producers?pageSize=abc", nil, "page_size"},
		{"page size out of range", "GET", "/v1/producers?pageSize=100000", nil, "page_size"},
		{"page token from nowhere", "GET", "/v1/producers?pageToken=eyJhIjoiYiJ9", nil, "page_token"},
		{"filter syntax", "GET", "/v1/producers?filter=" + url.QueryEscape(`district = "Garum" OR district = "Wlingi"`), nil, "filter"},
		{"filter district", "GET", "/v1/producers?filter=" + url.QueryEscape(`district = "Malang"`), nil, "filter"},
		{"bad list parent", "GET", "/v1/producers/Bad_Id/listings", nil, "parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.body).must(t, http.StatusBadRequest)
			if r.body["code"] != float64(3) {
				t.Fatalf("body is not a google.rpc.Status with INVALID_ARGUMENT: %s", r.raw)
			}
			if !slices.Contains(r.violations(), tt.field) {
				t.Fatalf("violations %v do not name %q; body %s", r.violations(), tt.field, r.raw)
			}
			for _, leak := range []string{"proto:", "strconv.", "runtime error", "mongo"} {
				if strings.Contains(r.raw, leak) {
					t.Fatalf("error body leaks an internal message (%q): %s", leak, r.raw)
				}
			}
		})
	}
	// Nothing invalid was stored.
	r := e.do("GET", "/v1/producers", nil).must(t, http.StatusOK)
	if items, _ := r.body["producers"].([]any); len(items) != 1 {
		t.Fatalf("invalid creates left %d producers", len(items))
	}
	e.do("GET", "/v1/producers/nobody", nil).must(t, http.StatusNotFound)
	e.do("GET", "/v1/no-such-collection", nil).must(t, http.StatusNotFound)
}

func TestRESTBodyTooLarge(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	big := map[string]any{"displayName": strings.Repeat("x", 2<<20)}
	r := e.do("POST", "/v1/producers", big).must(t, http.StatusBadRequest)
	if !slices.Contains(r.violations(), "body") {
		t.Fatalf("violations = %v", r.violations())
	}
}

func TestOperationalEndpoints(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	// The gRPC health service turns SERVING once the catalogue has loaded.
	e.waitServing("temubisnis.v1.SearchService")
	e.do("GET", "/healthz", nil).must(t, http.StatusOK)
	e.do("GET", "/readyz", nil).must(t, http.StatusOK)
	e.do("GET", "/v1/producers", nil).must(t, http.StatusOK)

	m := e.do("GET", "/metrics", nil).must(t, http.StatusOK)
	for _, want := range []string{
		`grpc_server_handled_total{grpc_code="OK",grpc_method="ListProducers"`,
		`grpc_server_handling_seconds_bucket{grpc_method="ListProducers"`,
	} {
		if !strings.Contains(m.raw, want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	doc := e.do("GET", "/openapi.json", nil).must(t, http.StatusOK)
	var openapi struct {
		Swagger string                    `json:"swagger"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(doc.raw), &openapi); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1/producers", "/v1/producers/{producer}/listings", "/v1/buyers", "/v1/buyers/{buyer}/buyingRequests"} {
		if _, ok := openapi.Paths[p]; !ok {
			t.Errorf("OpenAPI document lacks %s; has %d paths", p, len(openapi.Paths))
		}
	}
}

func testDemoDataOverREST(t *testing.T, e *env) {
	countAll := func(path, key string) (n int, items []map[string]any) {
		token := ""
		for {
			r := e.do("GET", path+"pageSize=7&pageToken="+url.QueryEscape(token), nil).must(t, http.StatusOK)
			page, _ := r.body[key].([]any)
			for _, it := range page {
				items = append(items, it.(map[string]any))
			}
			if token = r.str("nextPageToken"); token == "" {
				return len(items), items
			}
		}
	}
	np, producers := countAll("/v1/producers?", "producers")
	nl, _ := countAll("/v1/producers/-/listings?", "listings")
	nb, _ := countAll("/v1/buyers?", "buyers")
	nr, _ := countAll("/v1/buyers/-/buyingRequests?filter="+url.QueryEscape("state = OPEN")+"&", "buyingRequests")
	if np < 20 || nl < 40 || nb < 10 || nr < 8 {
		t.Fatalf("demo data: %d producers, %d listings, %d buyers, %d open requests", np, nl, nb, nr)
	}
	districts := map[string]bool{}
	consolidators := 0
	for _, p := range producers {
		districts[p["district"].(string)] = true
		if p["kind"] == "CONSOLIDATOR" {
			consolidators++
		}
	}
	for _, d := range []string{"Nglegok", "Garum", "Kanigoro"} {
		if !districts[d] {
			t.Errorf("no demo producer in %s", d)
		}
	}
	if consolidators == 0 {
		t.Error("no consolidator in the demo data")
	}
	koi := e.do("GET", "/v1/producers/-/listings?filter="+url.QueryEscape(`category = ORNAMENTAL_FISH AND ship_to_country_codes:"JP" AND state = ACTIVE`), nil).must(t, http.StatusOK)
	if items, _ := koi.body["listings"].([]any); len(items) == 0 {
		t.Error("no active koi listing ships to Japan")
	}
}

// TestDemoNotReloaded checks that a restart on the same database neither
// duplicates nor overwrites data.
func TestDemoNotReloaded(t *testing.T) {
	t.Parallel()
	first := start(t, startOpts{seed: "demo"})
	r := first.do("GET", "/v1/producers?pageSize=1", nil).must(t, http.StatusOK)
	name := r.body["producers"].([]any)[0].(map[string]any)["name"].(string)
	first.do("PATCH", "/v1/"+name+"?updateMask=workerCount", map[string]any{"workerCount": 777}).must(t, http.StatusOK)

	second := start(t, startOpts{seed: "demo", database: first.database})
	got := second.do("GET", "/v1/"+name, nil).must(t, http.StatusOK)
	if got.body["workerCount"] != float64(777) {
		t.Fatalf("restart overwrote data: %s", got.raw)
	}
}
