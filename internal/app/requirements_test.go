package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

func items(r response, key string) []map[string]any {
	var out []map[string]any
	list, _ := r.body[key].([]any)
	for _, it := range list {
		out = append(out, it.(map[string]any))
	}
	return out
}

func testRequirementLookupOverREST(t *testing.T, e *env) {
	cases := []struct {
		product, dest string
	}{
		{"hsCode=03011191", "US"},
		{"hsCode=030111", "JP"},
		{"hsCode=060290", "US"},
		{"hsCode=210390", "HK"},
		{"category=FOOD", "US"},
		{"hsCode=920600", "US"},
	}
	for _, c := range cases {
		t.Run(c.product+"->"+c.dest, func(t *testing.T) {
			r := e.do("GET", "/v1/requirements:lookup?"+c.product+"&destinationCountryCode="+c.dest, nil).must(t, http.StatusOK)
			rows := items(r, "requirements")
			if len(rows) == 0 {
				t.Fatalf("no requirements: %s", r.raw)
			}
			sawDest, sawExit := false, false
			for i, row := range rows {
				switch row["destinationCountryCode"] {
				case c.dest:
					sawDest = true
					if sawExit {
						t.Errorf("row %d for %s comes after an exit-side row", i, c.dest)
					}
				case "", nil:
					sawExit = true
				default:
					t.Errorf("row %v is for another destination", row["name"])
				}
			}
			if !sawDest {
				t.Errorf("no %s-specific requirement", c.dest)
			}
		})
	}
	// Djembe to China and Taiwan: only rules for every destination (ISPM 15
	// for solid-wood packing, the goatskin question), no market-specific
	// row; to the US the Lacey Act declaration (audit, items 2 and 3).
	for _, dest := range []string{"CN", "TW", "US"} {
		r := e.do("GET", "/v1/requirements:lookup?hsCode=920600&destinationCountryCode="+dest, nil).must(t, http.StatusOK)
		names := map[string]map[string]any{}
		for _, row := range items(r, "requirements") {
			names[row["name"].(string)] = row
		}
		for _, want := range []string{"requirements/packaging-ispm15-musical-instrument", "requirements/djembe-exit-goatskin-fmd"} {
			if row := names[want]; row == nil || row["condition"] == nil || row["condition"] == "" {
				t.Errorf("djembe to %s: %s missing or not conditional: %v", dest, want, row)
			}
		}
		if _, ok := names["requirements/djembe-us-lacey-declaration"]; ok != (dest == "US") {
			t.Errorf("djembe to %s: Lacey declaration listed = %v", dest, ok)
		}
	}
	// Koi to Japan: the MAFF permit, and an answer that says it rests on
	// unconfirmed rules (audit, item 1).
	jp := e.do("GET", "/v1/requirements:lookup?hsCode=030111&destinationCountryCode=JP", nil).must(t, http.StatusOK)
	if jp.body["hasUnconfirmed"] != true {
		t.Errorf("koi to Japan is not marked unconfirmed: %s", jp.raw)
	}
	var permit, conditions bool
	for _, row := range items(jp, "requirements") {
		switch row["name"] {
		case "requirements/koi-jp-import-permit":
			permit = true
		case "requirements/koi-jp-health-conditions":
			conditions = row["confirmation"] == "TO_VERIFY"
		}
	}
	if !permit || !conditions {
		t.Errorf("koi to Japan: MAFF permit %v, TO_VERIFY health conditions %v: %s", permit, conditions, jp.raw)
	}

	// Koi to the US: the most specific HS prefix comes first.
	r := e.do("GET", "/v1/requirements:lookup?hsCode=03011191&destinationCountryCode=US", nil).must(t, http.StatusOK)
	rows := items(r, "requirements")
	prev := 99
	for _, row := range rows {
		if row["destinationCountryCode"] != "US" {
			break
		}
		p, _ := row["hsPrefix"].(string)
		if len(p) > prev {
			t.Fatalf("hs prefix %q after a shorter one", p)
		}
		prev = len(p)
	}

	bad := []struct{ path, field string }{
		{"/v1/requirements:lookup?hsCode=030111&destinationCountryCode=XX", "destination_country_code"},
		{"/v1/requirements:lookup?hsCode=03a1&destinationCountryCode=US", "hs_code"},
		{"/v1/requirements:lookup?destinationCountryCode=US", "hs_code"},
		{"/v1/requirements:lookup?hsCode=030111", "destination_country_code"},
	}
	for _, b := range bad {
		resp := e.do("GET", b.path, nil).must(t, http.StatusBadRequest)
		if !slices.Contains(resp.violations(), b.field) {
			t.Errorf("%s: violations %v, want %s", b.path, resp.violations(), b.field)
		}
	}
}

func testReadinessAndTrainingNeedsOverREST(t *testing.T, e *env) {
	// Sambal to Hong Kong: one maker has its labels checked, the others
	// not, so the scores differ. (Koi to Japan no longer would: no farm can
	// meet health conditions that nobody has confirmed.)
	food := e.do("GET", "/v1/producers/-/listings?filter="+url.QueryEscape(`category = FOOD AND state = ACTIVE`), nil).must(t, http.StatusOK)
	listings := items(food, "listings")
	if len(listings) == 0 {
		t.Fatal("no food listings in the demo data")
	}
	scores := map[float64]bool{}
	for _, l := range listings {
		name := l["name"].(string)
		rep := e.do("GET", "/v1/"+name+":checkReadiness?destinationCountryCode=HK", nil).must(t, http.StatusOK)
		score, _ := rep.body["score"].(float64)
		if score < 0 || score > 1 {
			t.Fatalf("score %v out of range: %s", score, rep.raw)
		}
		scores[score] = true
		if len(items(rep, "items")) == 0 {
			t.Fatalf("readiness of %s has no items", name)
		}
		for _, it := range items(rep, "items") {
			req := it["requirement"].(map[string]any)
			if req["responsibleParty"] == "IMPORTER" && it["status"] != "IMPORTER_RESPONSIBILITY" {
				t.Errorf("importer's requirement %v reported as %v", req["name"], it["status"])
			}
		}
	}
	if len(scores) < 2 {
		t.Errorf("every sambal listing has the same HK readiness score %v; the demo data should show differences", scores)
	}
	// A producer with a product instead of a listing; the KI-1 is issued per
	// consignment, so it is OBTAINABLE, never held or expiring.
	farm := e.do("GET", "/v1/producers/wlingi-nishikigoi:checkReadiness?destinationCountryCode=US&hsCode=030111", nil).must(t, http.StatusOK)
	for _, it := range items(farm, "items") {
		req := it["requirement"].(map[string]any)
		if req["name"] == "requirements/fish-exit-health-certificate" && (it["status"] != "OBTAINABLE" || it["daysToExpiry"] != nil) {
			t.Errorf("the KI-1 is reported as %v (days to expiry %v), want OBTAINABLE without an expiry", it["status"], it["daysToExpiry"])
		}
	}
	e.do("GET", "/v1/"+producerOf(listings[0]["name"].(string))+":checkReadiness?destinationCountryCode=US", nil).must(t, http.StatusBadRequest)
	e.do("GET", "/v1/producers/nobody:checkReadiness?destinationCountryCode=US&hsCode=030111", nil).must(t, http.StatusNotFound)

	needs := e.do("GET", "/v1/requirements:trainingNeeds", nil).must(t, http.StatusOK)
	if len(items(needs, "needs")) == 0 {
		t.Fatalf("no training needs on the demo data: %s", needs.raw)
	}
	for _, n := range items(needs, "needs") {
		lacking, total := n["producersLacking"].(float64), n["producersTotal"].(float64)
		if lacking < 1 || lacking > total {
			t.Errorf("need %v: %v of %v", n["requirement"].(map[string]any)["name"], lacking, total)
		}
	}
	exp := e.do("GET", "/v1/producers/-/certifications:expiring?withinDays=60", nil).must(t, http.StatusOK)
	if len(items(exp, "certifications")) == 0 {
		t.Errorf("no certificate expiring within 60 days in the demo data")
	}
	e.do("GET", "/v1/producers/-/certifications:expiring?withinDays=1000", nil).must(t, http.StatusBadRequest)
}

func producerOf(listing string) string {
	n := 0
	for i, c := range listing {
		if c == '/' {
			n++
			if n == 2 {
				return listing[:i]
			}
		}
	}
	return listing
}

func TestRequirementCRUDOverREST(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	row := map[string]any{
		"title":                  "Test permit",
		"hsPrefix":               "0301",
		"category":               "ORNAMENTAL_FISH",
		"destinationCountryCode": "SG",
		"kind":                   "PERMIT",
		"obligation":             "MANDATORY",
		"responsibleParty":       "EXPORTER",
		"certificationType":      "SG_TEST_PERMIT",
		"confirmation":           "TO_VERIFY",
	}
	c := e.do("POST", "/v1/requirements?requirementId=koi-sg-test", row).must(t, http.StatusOK)
	if c.str("name") != "requirements/koi-sg-test" {
		t.Fatalf("created %s", c.raw)
	}
	// Confirming a rule needs its source.
	noSource := e.do("PATCH", "/v1/requirements/koi-sg-test?updateMask=confirmation", map[string]any{"confirmation": "CONFIRMED", "etag": c.str("etag")}).must(t, http.StatusBadRequest)
	if !slices.Contains(noSource.violations(), "requirement.source_title") {
		t.Fatalf("confirming without a source: violations %v", noSource.violations())
	}
	u := e.do("PATCH", "/v1/requirements/koi-sg-test?updateMask=confirmation,sourceTitle", map[string]any{
		"confirmation": "CONFIRMED", "sourceTitle": "Singapore NParks, import of ornamental fish", "etag": c.str("etag"),
	}).must(t, http.StatusOK)
	if u.str("confirmation") != "CONFIRMED" {
		t.Fatalf("update: %s", u.raw)
	}
	l := e.do("GET", "/v1/requirements:lookup?hsCode=030111&destinationCountryCode=SG", nil).must(t, http.StatusOK)
	if rows := items(l, "requirements"); len(rows) == 0 || rows[0]["name"] != "requirements/koi-sg-test" {
		t.Fatalf("lookup after create: %s", l.raw)
	}
	noType := map[string]any{}
	for k, v := range row {
		noType[k] = v
	}
	delete(noType, "certificationType")
	bad := e.do("POST", "/v1/requirements", noType).must(t, http.StatusBadRequest)
	if !slices.Contains(bad.violations(), "requirement.certification_type") {
		t.Fatalf("violations %v", bad.violations())
	}
	e.do("DELETE", "/v1/requirements/koi-sg-test", nil).must(t, http.StatusOK)
	e.do("GET", "/v1/requirements/koi-sg-test", nil).must(t, http.StatusNotFound)
}
