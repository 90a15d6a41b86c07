package contracttest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/adiekspor/temubisnis/gen/openapiclient"
	"github.com/adiekspor/temubisnis/gen/openapiv3"
	"github.com/adiekspor/temubisnis/internal/app"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// server starts the service with the demo data on a fresh embedded
// database and returns its base URL and a trade-office token.
func server(t *testing.T) (baseURL, officeToken string) {
	t.Helper()
	dataDir := t.TempDir()
	cfg, err := config.Parse([]string{
		"-http-addr", "127.0.0.1:0", "-grpc-addr", "127.0.0.1:0",
		"-mongodb-uri", testdb.URI(t), "-database", testdb.New(t).Name(), "-seed", config.SeedDemo,
		"-data-dir", dataDir, "-rate-limit-address", "0", "-rate-limit-caller", "0",
		// The demo's deal history changes rankings the tests pin; the
		// statistics tests turn it on.
		"-demo-deals=false",
	}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Start(ctx, cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		cancel()
		t.Fatalf("app.Start: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		a.Close()
	})
	if err := a.WaitLoaded(ctx); err != nil {
		t.Fatalf("catalogue load: %v", err)
	}
	key, err := auth.LoadOrCreateSigningKey(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.Mint(key, auth.Principal{Subject: "contract:office", Role: auth.RoleTradeOffice}, "temubisnis-local", "temubisnis", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return "http://" + a.Server.HTTPAddr(), tok
}

// checker is the generated client's HTTP transport: it validates each
// request against the document, sends it, and validates the response.
type checker struct {
	t     *testing.T
	doc   *openapi3.T
	paths map[string]*regexp.Regexp // path template -> its pattern
	http  *http.Client

	mu      sync.Mutex
	checked map[string]int // "METHOD /path/template status" -> count
}

func newChecker(t *testing.T, baseURL string) *checker {
	doc, err := openapi3.NewLoader().LoadFromData(openapiv3.Document)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid: %v", err)
	}
	c := &checker{t: t, doc: doc, paths: map[string]*regexp.Regexp{}, http: &http.Client{Timeout: 20 * time.Second}, checked: map[string]int{}}
	for path := range doc.Paths.Map() {
		c.paths[path] = templatePattern(path)
	}
	return c
}

var templateVar = regexp.MustCompile(`\{([^}]+)\}`)

// templatePattern turns "/v1/matches/{match}:accept" into a pattern whose
// variables match one resource id. kin-openapi's routers let a variable
// swallow the ":accept" of an AIP custom method (and so route
// "/v1/matches/m:accept" to GET "/v1/matches/{match}"); resource ids never
// hold ':' or '/', so this does not.
func templatePattern(path string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, m := range templateVar.FindAllStringSubmatchIndex(path, -1) {
		b.WriteString(regexp.QuoteMeta(path[last:m[0]]))
		b.WriteString("(?P<" + path[m[2]:m[3]] + ">[^/:]+)")
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(path[last:]) + "$")
	return regexp.MustCompile(b.String())
}

// findRoute finds the one operation of the document that serves req.
func (c *checker) findRoute(req *http.Request) (*routers.Route, map[string]string, error) {
	var found []string
	for path, re := range c.paths {
		if re.MatchString(req.URL.Path) && c.doc.Paths.Value(path).GetOperation(req.Method) != nil {
			found = append(found, path)
		}
	}
	if len(found) != 1 {
		return nil, nil, fmt.Errorf("%d operations of the document serve %s %s: %v", len(found), req.Method, req.URL.Path, found)
	}
	path := found[0]
	re := c.paths[path]
	params := map[string]string{}
	for i, v := range re.FindStringSubmatch(req.URL.Path)[1:] {
		params[re.SubexpNames()[i+1]] = v
	}
	item := c.doc.Paths.Value(path)
	return &routers.Route{Spec: c.doc, Path: path, PathItem: item, Method: req.Method, Operation: item.GetOperation(req.Method)}, params, nil
}

func (c *checker) Do(req *http.Request) (*http.Response, error) {
	route, params, err := c.findRoute(req)
	if err != nil {
		c.t.Errorf("%s %s: no operation of the document: %v", req.Method, req.URL, err)
		return c.http.Do(req)
	}
	var body []byte
	if req.Body != nil {
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	// The checker only looks: kin-openapi would otherwise fill in schema
	// defaults and rewrite the body it sends.
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, SkipSettingDefaults: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		c.t.Errorf("%s %s: the request breaks the document: %v", req.Method, route.Path, err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(got))
	err = openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(got)), Options: opts,
	})
	if err != nil {
		c.t.Errorf("%s %s: HTTP %d breaks the document: %v\n%s", req.Method, route.Path, resp.StatusCode, err, got)
	}
	c.mu.Lock()
	c.checked[fmt.Sprintf("%s %s %d", req.Method, route.Path, resp.StatusCode)]++
	c.mu.Unlock()
	return resp, nil
}

func bearer(token string) openapiclient.RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

func ptr[T any](v T) *T { return &v }

// status fails the test unless resp (a generated response) has code want.
func status(t *testing.T, what string, resp interface{ StatusCode() int }, body []byte, err error, want int) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if resp.StatusCode() != want {
		t.Fatalf("%s: HTTP %d, want %d: %s", what, resp.StatusCode(), want, body)
	}
}

// TestGeneratedClient is what a buyer's developer would do with the
// document: generate a client, then search, create, update partially,
// match and take a match through its life cycle.
func TestGeneratedClient(t *testing.T) {
	t.Parallel()
	baseURL, office := server(t)
	check := newChecker(t, baseURL)
	anon, err := openapiclient.NewClientWithResponses(baseURL, openapiclient.WithHTTPClient(check))
	if err != nil {
		t.Fatal(err)
	}
	cl, err := openapiclient.NewClientWithResponses(baseURL, openapiclient.WithHTTPClient(check), openapiclient.WithRequestEditorFn(bearer(office)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// Search, as an anonymous buyer.
	search, err := anon.SearchServiceSearchListingsWithResponse(ctx, &openapiclient.SearchServiceSearchListingsParams{Query: ptr("djembe"), PageSize: ptr(int32(5))})
	status(t, "search", search, search.Body, err, http.StatusOK)
	if search.JSON200.Hits == nil || len(*search.JSON200.Hits) == 0 {
		t.Fatalf("search for djembe found nothing: %s", search.Body)
	}

	// Create: a producer without a token is refused in the documented shape.
	producer := openapiclient.Producer{DisplayName: "Gamelan Sari Kanigoro", Kind: openapiclient.ProducerKindPRODUCER, District: "Kanigoro"}
	refused, err := anon.ProducerServiceCreateProducerWithResponse(ctx, &openapiclient.ProducerServiceCreateProducerParams{ProducerId: ptr("gamelan-sari")}, producer)
	status(t, "anonymous create", refused, refused.Body, err, http.StatusUnauthorized)
	if refused.JSON401 == nil || refused.JSON401.Message == nil {
		t.Errorf("401 without a google.rpc.Status body: %s", refused.Body)
	}
	created, err := cl.ProducerServiceCreateProducerWithResponse(ctx, &openapiclient.ProducerServiceCreateProducerParams{
		ProducerId: ptr("gamelan-sari"), RequestId: ptr("0f6f3c1e-52a4-4f43-9a57-3c2d1b0a9e11"),
	}, producer)
	status(t, "create producer", created, created.Body, err, http.StatusOK)
	if created.JSON200.Name == nil || *created.JSON200.Name != "producers/gamelan-sari" {
		t.Fatalf("created %s", created.Body)
	}

	// Partial update: one field, no update mask.
	updated, err := cl.ProducerServiceUpdateProducerWithResponse(ctx, "gamelan-sari", &openapiclient.ProducerServiceUpdateProducerParams{},
		openapiclient.ProducerServiceUpdateProducerJSONRequestBody{Village: ptr("Sumberjo")})
	status(t, "partial update", updated, updated.Body, err, http.StatusOK)
	if updated.JSON200.Village == nil || *updated.JSON200.Village != "Sumberjo" || updated.JSON200.DisplayName != producer.DisplayName {
		t.Fatalf("after the partial update: %s", updated.Body)
	}
	masked, err := cl.ProducerServiceUpdateProducerWithResponse(ctx, "gamelan-sari", &openapiclient.ProducerServiceUpdateProducerParams{UpdateMask: ptr("website_uri")},
		openapiclient.ProducerServiceUpdateProducerJSONRequestBody{WebsiteUri: ptr("https://gamelansari.example"), Village: ptr("ignored")})
	status(t, "update with a mask", masked, masked.Body, err, http.StatusOK)
	if *masked.JSON200.Village != "Sumberjo" || *masked.JSON200.WebsiteUri != "https://gamelansari.example" {
		t.Fatalf("the mask was not followed: %s", masked.Body)
	}

	// Match a demo buying request, page by page.
	const buyer, request = "yokohama-aqua-trading", "kohaku-sanke-200-fish"
	ranked, err := cl.MatchServiceMatchBuyingRequestWithResponse(ctx, buyer, request, &openapiclient.MatchServiceMatchBuyingRequestParams{PageSize: ptr(int32(2))})
	status(t, "match", ranked, ranked.Body, err, http.StatusOK)
	if ranked.JSON200.Matches == nil || len(*ranked.JSON200.Matches) == 0 || ranked.JSON200.NextPageToken == nil {
		t.Fatalf("match gave no first page with a next one: %s", ranked.Body)
	}
	next, err := cl.MatchServiceMatchBuyingRequestWithResponse(ctx, buyer, request, &openapiclient.MatchServiceMatchBuyingRequestParams{PageSize: ptr(int32(2)), PageToken: ranked.JSON200.NextPageToken})
	status(t, "match, second page", next, next.Body, err, http.StatusOK)
	listing := *(*ranked.JSON200.Matches)[0].Listing.Name

	// The match life cycle: proposed by the buyer, accepted by the producer
	// (the trade office answers for it), closed with a deal.
	proposal, err := cl.MatchServiceCreateMatchWithResponse(ctx, &openapiclient.MatchServiceCreateMatchParams{MatchId: ptr("contract-kohaku")}, openapiclient.Match{
		BuyingRequest: "buyers/" + buyer + "/buyingRequests/" + request, ProposedBy: openapiclient.V1PartyBUYER,
		Members: []openapiclient.MatchMember{{Listing: listing}},
	})
	status(t, "propose", proposal, proposal.Body, err, http.StatusOK)
	if *proposal.JSON200.State != openapiclient.MatchStatePROPOSED {
		t.Fatalf("proposal: %s", proposal.Body)
	}
	member := *proposal.JSON200.Members[0].Producer
	accepted, err := cl.MatchServiceAcceptMatchWithResponse(ctx, "contract-kohaku", openapiclient.AcceptMatchBody{Party: openapiclient.V1PartyPRODUCERSIDE, Producer: &member})
	status(t, "accept", accepted, accepted.Body, err, http.StatusOK)
	if *accepted.JSON200.State != openapiclient.MatchStateCONNECTED {
		t.Fatalf("after both sides accepted: %s", accepted.Body)
	}
	again, err := cl.MatchServiceAcceptMatchWithResponse(ctx, "contract-kohaku", openapiclient.AcceptMatchBody{Party: openapiclient.V1PartyPRODUCERSIDE, Producer: &member})
	if err != nil || again.StatusCode() < 400 {
		t.Fatalf("accepting a connected match again: %v, HTTP %d", err, again.StatusCode())
	}
	closed, err := cl.MatchServiceCloseMatchWithResponse(ctx, "contract-kohaku", openapiclient.CloseMatchBody{Deal: &openapiclient.Deal{
		Quantity:     "200",
		Value:        openapiclient.Money{CurrencyCode: ptr("JPY"), Units: ptr("1600000")},
		ShipmentDate: openapiclient.Date{Year: ptr(int32(2027)), Month: ptr(int32(3)), Day: ptr(int32(15))},
	}})
	status(t, "close", closed, closed.Body, err, http.StatusOK)
	if *closed.JSON200.State != openapiclient.MatchStateCLOSEDDEAL {
		t.Fatalf("closed: %s", closed.Body)
	}
	got, err := cl.MatchServiceGetMatchWithResponse(ctx, "contract-kohaku")
	status(t, "get match", got, got.Body, err, http.StatusOK)

	t.Logf("checked against the document: %v", check.checked)
	if len(check.checked) < 10 {
		t.Errorf("only %d kinds of calls were checked", len(check.checked))
	}
}
