package web_test

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// client is a browser-like HTTP client with cookies, not following redirects.
func client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t testing.TB, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t testing.TB, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field in page:\n%s", page)
	}
	return m[1]
}

// TestFormsNeedTheirToken: a form post without the session's CSRF token,
// or with another one, is refused with a page and changes nothing; with it,
// it works.
func TestFormsNeedTheirToken(t *testing.T) {
	t.Parallel()
	s := startApp(t)
	c := client(t)
	_, page := get(t, c, s.base+"/signin")
	resp, err := c.PostForm(s.base+"/signin", url.Values{"account": {"buyer|buyers/heartland-drum-supply"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-in without CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, err = c.PostForm(s.base+"/signin", url.Values{"account": {"buyer|buyers/heartland-drum-supply"}, "csrf": {csrfOf(t, page)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/requests" {
		t.Fatalf("sign-in: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	form := url.Values{"title": {"CSRF probe"}, "category": {"FOOD"}, "quantity": {"10"}, "unit": {"piece"}, "currency": {"USD"}}
	for name, token := range map[string]string{"no token": "", "the anonymous token": csrfOf(t, page)} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if token != "" {
			f.Set("csrf", token)
		}
		resp, err := c.PostForm(s.base+"/requests/new", f)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "Form expired") || strings.HasPrefix(string(body), "{") {
			t.Errorf("%s: %d\n%s", name, resp.StatusCode, body)
		}
	}
	_, list := get(t, c, s.base+"/requests")
	if strings.Contains(list, "CSRF probe") {
		t.Error("a refused form created a request")
	}
	_, formPage := get(t, c, s.base+"/requests/new")
	form.Set("csrf", csrfOf(t, formPage))
	resp, err = c.PostForm(s.base+"/requests/new", form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/buyers/heartland-drum-supply/buyingRequests/") {
		t.Errorf("with its token: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

// TestErrorPages: unknown addresses and hidden resources get pages, never
// JSON; the language follows the browser.
func TestErrorPages(t *testing.T) {
	t.Parallel()
	s := startApp(t)
	c := client(t)
	for path, want := range map[string]int{
		"/no/such/page":                   http.StatusNotFound,
		"/producers/no-such-producer":     http.StatusNotFound,
		"/producers/x/listings/y":         http.StatusNotFound,
		"/dashboard":                      http.StatusUnauthorized,
		"/matches/whatever":               http.StatusUnauthorized,
		"/static/style.css":               http.StatusOK,
		"/?q=djembe&price_min=cheap":      http.StatusBadRequest,
		"/?q=" + strings.Repeat("x", 300): http.StatusBadRequest,
		"/?q=%FF%FE":                      http.StatusBadRequest,
		"/producers/%FF":                  http.StatusBadRequest,
		"/producers/a/listings/%FF":       http.StatusBadRequest,
	} {
		code, body := get(t, c, s.base+path)
		if code != want {
			t.Errorf("%s: %d, want %d", path, code, want)
		}
		if path != "/static/style.css" && !strings.HasPrefix(body, "<!doctype html>") {
			t.Errorf("%s: not an HTML page: %.80q", path, body)
		}
	}
	req, _ := http.NewRequest("GET", s.base+"/no/such/page", nil)
	req.Header.Set("Accept-Language", "ja,en;q=0.5")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "ページが見つかりません") || resp.Header.Get("Content-Language") != "ja" {
		t.Errorf("Japanese 404: %s", body)
	}
}

// TestSearchWorksWithoutJavaScript: the search form is a GET and the
// results, facets and paging are plain links.
func TestSearchWorksWithoutJavaScript(t *testing.T) {
	t.Parallel()
	s := startApp(t)
	c := client(t)
	code, body := get(t, c, s.base+"/?q=koi&currency=JPY&lang=ja")
	if code != http.StatusOK {
		t.Fatalf("search: %d", code)
	}
	if n := strings.Count(body, `<article class="hit">`); n == 0 {
		t.Fatal("no hits for koi")
	}
	if !strings.ContainsAny(body, "¥￥") || !strings.Contains(body, "件の商品が見つかりました") {
		t.Error("prices not in yen or page not in Japanese")
	}
	if strings.Contains(body, "<script") {
		t.Error("the search page needs no script")
	}
	if !regexp.MustCompile(`href="/\?category=ORNAMENTAL_FISH[^"]*"`).MatchString(body) {
		t.Error("no category facet link")
	}
}

// signInHTTP signs a cookie client in with the demo sign-in.
func signInHTTP(t testing.TB, s *site, account string) *http.Client {
	t.Helper()
	c := client(t)
	_, page := get(t, c, s.base+"/signin")
	resp, err := c.PostForm(s.base+"/signin", url.Values{"account": {account}, "csrf": {csrfOf(t, page)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", account, resp.StatusCode)
	}
	return c
}

// formValues reads the named inputs of a form page (first value of each,
// all values of repeated names), so that a post sends what the page shows.
func formValues(page string) url.Values {
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		v.Add(m[1], html.UnescapeString(m[2]))
	}
	return v
}

// TestProducerEditsProfile: a bad phone number comes back next to its
// field in Indonesian page chrome; a new certificate is saved and shown on
// the public profile.
func TestProducerEditsProfile(t *testing.T) {
	t.Parallel()
	s := startApp(t)
	c := signInHTTP(t, s, "producer|producers/kendang-jaya-nglegok")
	_, page := get(t, c, s.base+"/profile")
	v := formValues(page)
	if v.Get("display_name") != "Kendang Jaya Nglegok" {
		t.Fatalf("form not filled: %v", v)
	}
	v.Set("phone", "0812-not-a-number")
	resp, err := c.PostForm(s.base+"/profile", v)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !regexp.MustCompile(`(?s)name="phone".*?class="error"`).Match(body) {
		t.Fatalf("bad phone: %d\n%s", resp.StatusCode, body)
	}
	_, page = get(t, c, s.base+"/profile")
	v = formValues(page)
	types := v["cert_type"]
	types[len(types)-1] = "HACCP"
	v["cert_type"] = types
	dates := v["cert_expiry_date"]
	dates[len(dates)-1] = "2030-06-30"
	v["cert_expiry_date"] = dates
	resp, err = c.PostForm(s.base+"/profile", v)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", resp.StatusCode, body)
	}
	_, public := get(t, c, s.base+"/producers/kendang-jaya-nglegok?lang=en")
	if !strings.Contains(public, "<strong>HACCP</strong>") || !strings.Contains(public, "2030-06-30") {
		t.Errorf("new certificate not on the public profile:\n%s", public)
	}
}

// TestProducerOffersListingForRequest: a producer opens an open request that
// fits it (from its dashboard) and offers a listing from the request's page;
// the proposal counts as its own acceptance and waits for the buyer.
func TestProducerOffersListingForRequest(t *testing.T) {
	t.Parallel()
	s := startApp(t)
	c := signInHTTP(t, s, "producer|producers/kendang-jaya-nglegok")
	_, dashID := get(t, c, s.base+"/dashboard")
	if !strings.Contains(dashID, "hari setelah pesanan") || strings.Contains(dashID, "days after an order") {
		t.Errorf("the Indonesian dashboard does not explain scores in Indonesian:\n%s", dashID)
	}
	_, dash := get(t, c, s.base+"/dashboard?lang=en")
	rec := regexp.MustCompile(`<li><a href="(/buyers/[^"]+)">[^<]*</a>(?s:.*?)name="listing" value="([^"]+)"`).FindStringSubmatch(dash)
	if rec == nil {
		t.Fatalf("no recommendation with a listing on the dashboard:\n%s", dash)
	}
	requestPath, listing := rec[1], rec[2]
	_, page := get(t, c, s.base+requestPath)
	if !strings.Contains(page, `id="offer-listing"`) || !strings.Contains(page, `value="`+listing+`"`) {
		t.Fatalf("request page offers no listing %s:\n%s", listing, page)
	}
	v := formValues(page)
	resp, err := c.PostForm(s.base+requestPath+"/propose", url.Values{
		"csrf": {v.Get("csrf")}, "request_id": {v.Get("request_id")}, "listing": {listing}, "message": {"Samples ready next week."},
	})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/matches/") {
		t.Fatalf("offer: %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	_, match := get(t, c, s.base+resp.Header.Get("Location")+"?lang=en")
	if !strings.Contains(match, `id="match-state">Proposed<`) || !strings.Contains(match, "Samples ready next week.") || strings.Contains(match, `id="accept"`) {
		t.Errorf("match after the offer:\n%s", match)
	}
}

// TestReadinessInIndonesian: a producer's readiness checklist for a market
// reads in Indonesian: statuses, explanations and next steps.
func TestReadinessInIndonesian(t *testing.T) {
	t.Parallel()
	s := startApp(t)
	c := signInHTTP(t, s, "producer|producers/kendang-jaya-nglegok")
	code, page := get(t, c, s.base+"/producers/kendang-jaya-nglegok/listings/djembe-40cm-mahogany/readiness?country=US")
	if code != http.StatusOK {
		t.Fatalf("readiness: %d\n%s", code, page)
	}
	for _, want := range []string{"Kesiapan ekspor", "syarat wajib terpenuhi untuk Amerika Serikat", "Lacey"} {
		if !strings.Contains(page, want) {
			t.Errorf("readiness page lacks %q", want)
		}
	}
	for _, english := range []string{"Nothing to do", "For each shipment, apply", "Tell the buyer"} {
		if strings.Contains(page, english) {
			t.Errorf("readiness page in Indonesian still says %q", english)
		}
	}
}

// TestQuotesFromTwoProducersOneAccepted: two producers quote on an open
// request from its page, the buyer compares them in yen and accepts one:
// the parties are connected and the other quote is declined.
func TestQuotesFromTwoProducersOneAccepted(t *testing.T) {
	t.Parallel()
	s := startApp(t)
	const request = "/buyers/taipei-rhythm-circle/buyingRequests/djembe-300-drum-circle"
	quote := func(producer, listing, price string) {
		t.Helper()
		c := signInHTTP(t, s, "producer|"+producer)
		_, page := get(t, c, s.base+request)
		if !strings.Contains(page, `id="send-quote"`) {
			t.Fatalf("%s sees no quote form:\n%s", producer, page)
		}
		v := formValues(page)
		form := url.Values{"csrf": {v.Get("csrf")}, "request_id": {v.Get("request_id")}, "listing": {listing},
			"unit_price": {price}, "currency": {"USD"}, "quantity": {"300"}, "lead_time_days": {"30"}, "incoterm": {"FOB"},
			"incoterm_place": {"Tanjung Perak"}, "valid_until": {time.Now().AddDate(0, 0, 20).Format(time.DateOnly)}, "payment_method": {"TELEGRAPHIC_TRANSFER"}}
		resp, err := c.PostForm(s.base+request+"/quote", form)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s quote: %d\n%s", producer, resp.StatusCode, body)
		}
		_, page = get(t, c, s.base+request+"?lang=en")
		if !strings.Contains(page, "Your quote: Open") || !strings.Contains(page, `id="send-quote">Revise quote`) {
			t.Errorf("%s does not see its own open quote", producer)
		}
	}
	quote("producers/kendang-jaya-nglegok", "producers/kendang-jaya-nglegok/listings/djembe-40cm-mahogany", "14")
	quote("producers/garum-perkusi-nusantara", "producers/garum-perkusi-nusantara/listings/djembe-30cm", "9.5")

	// Sealed: a producer sees its own quote, not the other's.
	other := signInHTTP(t, s, "producer|producers/garum-perkusi-nusantara")
	_, page := get(t, other, s.base+request+"?lang=en")
	if strings.Contains(page, "Kendang Jaya Nglegok</a>") && strings.Contains(page, "US$14") {
		t.Error("a producer sees another firm's quote")
	}

	buyer := signInHTTP(t, s, "buyer|buyers/taipei-rhythm-circle")
	_, page = get(t, buyer, s.base+request+"?lang=ja&currency=JPY&quotes=price")
	rows := regexp.MustCompile(`(?s)<tr class="quote">.*?</tr>`).FindAllString(page, -1)
	if len(rows) != 2 {
		t.Fatalf("buyer sees %d quotes, want 2:\n%s", len(rows), page)
	}
	if !strings.Contains(rows[0], "garum-perkusi-nusantara") || !strings.ContainsAny(rows[0], "¥￥") {
		t.Errorf("cheapest first, in yen: %s", rows[0])
	}
	action := regexp.MustCompile(`action="(/buyers/[^"]+/quotes/garum-perkusi-nusantara/accept)"`).FindStringSubmatch(rows[0])
	if action == nil {
		t.Fatalf("no accept button on the cheapest quote: %s", rows[0])
	}
	resp, err := buyer.PostForm(s.base+action[1], url.Values{"csrf": {csrfOf(t, page)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/matches/") {
		t.Fatalf("accept: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, match := get(t, buyer, s.base+resp.Header.Get("Location")+"?lang=en")
	if !strings.Contains(match, `id="match-state">Connected<`) {
		t.Errorf("after accepting the quote the match is not connected:\n%s", match)
	}
	_, page = get(t, buyer, s.base+request+"?lang=en")
	for _, row := range regexp.MustCompile(`(?s)<tr class="quote">.*?</tr>`).FindAllString(page, -1) {
		switch {
		case strings.Contains(row, "garum-perkusi-nusantara") && !strings.Contains(row, "Accepted"):
			t.Errorf("accepted quote shows %s", row)
		case strings.Contains(row, "kendang-jaya-nglegok") && !strings.Contains(row, "Declined"):
			t.Errorf("the other quote is not declined: %s", row)
		}
	}
}

// TestStatisticsPage: the trade office sees the export figures of the
// demo deal history, the server's SVG charts and the CSV; a producer may
// not.
func TestStatisticsPage(t *testing.T) {
	t.Parallel()
	s := startApp(t, "-demo-deals")
	office := signInHTTP(t, s, "trade_office")
	code, page := get(t, office, s.base+"/office/statistics?lang=en")
	if code != http.StatusOK {
		t.Fatalf("statistics: %d\n%s", code, page)
	}
	m := regexp.MustCompile(`id="deal-count">([0-9,]+)<`).FindStringSubmatch(page)
	if m == nil || m[1] == "0" {
		t.Errorf("no deals counted: %v", m)
	}
	for _, chart := range []string{"destination_year", "commodity", "funnel"} {
		resp, err := office.Get(s.base + "/office/charts/" + chart + ".svg")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(string(body), "<svg") {
			t.Errorf("chart %s: %d %s %.60q", chart, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
	resp, err := office.Get(s.base + "/office/statistics.csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || strings.Count(string(body), "\n") < 2 {
		t.Errorf("CSV: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if code, page := get(t, office, s.base+"/office/statistics?from=yesterday"); code != http.StatusBadRequest || !strings.Contains(page, `class="error"`) {
		t.Errorf("a bad date: %d", code)
	}
	if code, page := get(t, office, s.base+"/office/audit?to=2026-13-45"); code != http.StatusBadRequest || !strings.Contains(page, `class="error"`) {
		t.Errorf("a bad audit date: %d", code)
	}
	producer := signInHTTP(t, s, "producer|producers/kendang-jaya-nglegok")
	if code, _ := get(t, producer, s.base+"/office/statistics"); code != http.StatusForbidden {
		t.Errorf("a producer opens the statistics: %d", code)
	}
	if code, _ := get(t, producer, s.base+"/office/charts/funnel.svg"); code != http.StatusForbidden {
		t.Errorf("a producer gets a chart: %d", code)
	}
}

// TestInboxShowsVerificationDecision: the office verifies a firm in the
// web app; the firm finds the decision in its inbox and opening it marks it
// read.
func TestInboxShowsVerificationDecision(t *testing.T) {
	t.Parallel()
	// The notifier does not run on its own; the test runs its round.
	s := startApp(t, "-notify-interval", "0")
	office := signInHTTP(t, s, "trade_office")
	_, page := get(t, office, s.base+"/office")
	resp, err := office.PostForm(s.base+"/office/verify", url.Values{"csrf": {csrfOf(t, page)}, "name": {"producers/batok-kelapa-sutojayan"},
		"decision": {"verify"}, "note": {"NIB and workshop checked"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
	firm := signInHTTP(t, s, "producer|producers/batok-kelapa-sutojayan")
	item := regexp.MustCompile(`action="/inbox/([^/"]+)/read"`)
	s.app.Notifier.Round(t.Context())
	_, inbox := get(t, firm, s.base+"/inbox?lang=en")
	m := item.FindStringSubmatch(inbox)
	if m == nil || !strings.Contains(inbox, "1 unread") {
		t.Fatalf("no notification in the firm's inbox:\n%s", inbox)
	}
	resp, err = firm.PostForm(s.base+"/inbox/"+m[1]+"/read", url.Values{"csrf": {csrfOf(t, inbox)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("open notification: %d", resp.StatusCode)
	}
	if _, after := get(t, firm, s.base+"/inbox?lang=en"); !strings.Contains(after, "0 unread") {
		t.Errorf("still unread after opening")
	}
}

// TestNoDemoSignInWithoutDemoData: local tokens without the demo data are a
// real deployment; the demo sign-in, which lets anyone pick any account,
// is not offered there.
func TestNoDemoSignInWithoutDemoData(t *testing.T) {
	t.Parallel()
	s := startApp(t, "-seed", "none")
	c := client(t)
	code, page := get(t, c, s.base+"/signin?lang=en")
	if code != http.StatusOK || strings.Contains(page, `id="account"`) || !strings.Contains(page, "Sign-in is not configured") {
		t.Errorf("sign-in page: %d\n%s", code, page)
	}
	// The form token a visitor's browser holds (the page has no form).
	u, _ := url.Parse(s.base)
	token := ""
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "tb_csrf" {
			token = ck.Value
		}
	}
	resp, err := c.PostForm(s.base+"/signin", url.Values{"account": {"trade_office"}, "csrf": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if token == "" || resp.StatusCode != http.StatusNotFound || len(resp.Cookies()) > 0 && strings.Contains(resp.Header.Get("Set-Cookie"), "tb_session") {
		t.Errorf("demo sign-in on a real deployment: %d %v", resp.StatusCode, resp.Header.Values("Set-Cookie"))
	}
}
