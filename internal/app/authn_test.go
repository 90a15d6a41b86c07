package app_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/testclock"
)

// claims builds the claims of a token the way an identity provider would.
func claims(iss, aud string, p auth.Principal, exp time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"iss": iss, "aud": aud, "sub": p.Subject, "role": p.Role.String(), "resource": p.Resource,
		"exp": exp.Unix(), "iat": time.Now().Add(-time.Minute).Unix(),
	}
}

// TestBadTokensAreRefused sends forged, expired and misdirected tokens over
// both transports: each gets UNAUTHENTICATED (HTTP 401 with a
// WWW-Authenticate challenge), and none reaches the data.
func TestBadTokensAreRefused(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	key, err := auth.LoadOrCreateSigningKey(e.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := os.ReadFile(filepath.Join(e.dataDir, auth.PublicKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	office := auth.Principal{Subject: "mallory", Role: auth.RoleTradeOffice}
	producer := auth.Principal{Subject: "p", Role: auth.RoleProducer, Resource: "producers/kendang-jaya-nglegok"}
	sign := func(method jwt.SigningMethod, c jwt.MapClaims, k any) string {
		t.Helper()
		s, err := jwt.NewWithClaims(method, c).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	valid, err := auth.Mint(key, producer, "temubisnis-local", "temubisnis", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Tampered: the payload of a valid producer token rewritten to claim
	// the trade office, the signature kept.
	parts := strings.Split(valid, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	payload = bytes.Replace(payload, []byte(`"role":"producer"`), []byte(`"role":"trade_office"`), 1)
	payload = bytes.Replace(payload, []byte(`"resource":"producers/kendang-jaya-nglegok",`), nil, 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
	expired, err := auth.Mint(key, office, "temubisnis-local", "temubisnis", time.Minute, time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	wrongAud, err := auth.Mint(key, office, "temubisnis-local", "someone-else", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wrongIss, err := auth.Mint(key, office, "evil-issuer", "temubisnis", time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	notYet, err := auth.Mint(key, office, "temubisnis-local", "temubisnis", time.Hour, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	good := claims("temubisnis-local", "temubisnis", office, time.Now().Add(time.Hour))
	tokens := map[string]string{
		"tampered":                           tampered,
		"expired":                            expired,
		"wrong audience":                     wrongAud,
		"wrong issuer":                       wrongIss,
		"not yet valid":                      notYet,
		"alg none":                           sign(jwt.SigningMethodNone, good, jwt.UnsafeAllowNoneSignatureType),
		"HMAC with the public key as secret": sign(jwt.SigningMethodHS256, good, pubPEM),
		"signed by an unknown key":           sign(jwt.SigningMethodEdDSA, good, otherKey),
		"garbage":                            "not-a-jwt",
		"empty bearer":                       "",
	}
	for name, tok := range tokens {
		t.Run(name, func(t *testing.T) {
			// gRPC: a write only the trade office may make.
			ctx := as(e.ctx(), tok)
			if tok == "" {
				ctx = as(e.ctx(), " ")
			}
			_, err := e.producers.VerifyProducer(ctx, &pb.VerifyProducerRequest{Name: "producers/kendang-jaya-nglegok", VerificationState: pb.VerificationState_REJECTED})
			if status.Code(err) != codes.Unauthenticated {
				t.Errorf("gRPC: %v, want Unauthenticated", err)
			}
			if strings.Contains(status.Convert(err).Message(), tok) && tok != "" {
				t.Errorf("the error quotes the token: %v", err)
			}
			// REST: even a public read is refused with a bad token rather
			// than served anonymously, so a client learns its token is bad.
			req, _ := http.NewRequest(http.MethodGet, e.baseURL+"/v1/producers/kendang-jaya-nglegok", nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := e.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("REST: HTTP %d, WWW-Authenticate %q; want 401 with a Bearer challenge", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
	p, err := e.producers.GetProducer(e.ctx(), &pb.GetProducerRequest{Name: "producers/kendang-jaya-nglegok"})
	if err != nil {
		t.Fatal(err)
	}
	if p.GetVerificationState() == pb.VerificationState_REJECTED {
		t.Error("a refused token changed the producer's verification")
	}
	// The valid token works, so the refusals above are about the tokens.
	if _, err := e.producers.GetProducer(as(e.ctx(), valid), &pb.GetProducerRequest{Name: "producers/kendang-jaya-nglegok"}); err != nil {
		t.Errorf("valid token: %v", err)
	}
	// Two Authorization headers are ambiguous, so refused.
	req, _ := http.NewRequest(http.MethodGet, e.baseURL+"/v1/producers/kendang-jaya-nglegok", nil)
	req.Header.Add("Authorization", "Bearer "+valid)
	req.Header.Add("Authorization", "Bearer "+e.admin)
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("two Authorization headers: HTTP %d, want 401", resp.StatusCode)
	}
}

// TestProducerCannotReachAnotherProducersData tries every route by which
// producer A could read or change producer B's listings and matches.
func TestProducerCannotReachAnotherProducersData(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	ctx := e.ctx()
	a, b := "producers/kendang-jaya-nglegok", "producers/jimbe-penataran"
	tokA := e.token(auth.RoleProducer, a)
	active := func(parent string) *pb.Listing {
		ls, err := e.producers.ListListings(ctx, &pb.ListListingsRequest{Parent: parent, Filter: "state = ACTIVE"})
		if err != nil || len(ls.GetListings()) == 0 {
			t.Fatalf("active listing of %s: %v", parent, err)
		}
		return ls.GetListings()[0]
	}
	ownA, activeB := active(a), active(b)
	tmpl := &pb.Listing{Title: "Djembe 50 cm, draft", Category: pb.Category_MUSICAL_INSTRUMENT, HsCode: "920600", Unit: activeB.GetUnit(), MinOrderQuantity: proto.Int64(10)}
	draftB, err := e.producers.CreateListing(ctx, &pb.CreateListingRequest{Parent: b, ListingId: "secret-draft", Listing: tmpl})
	if err != nil {
		t.Fatal(err)
	}

	// PATCH through A's own path with a body naming B's listing: the path
	// decides the target, so only A's listing changes.
	r := e.doAs(tokA, http.MethodPatch, "/v1/"+ownA.GetName()+"?updateMask=title",
		map[string]any{"name": activeB.GetName(), "title": "Djembe renamed by A"}).must(t, http.StatusOK)
	if r.str("name") != ownA.GetName() {
		t.Errorf("PATCH acted on %q, want %q", r.str("name"), ownA.GetName())
	}
	// A mask naming the name is ignored, the name cannot move.
	e.doAs(tokA, http.MethodPatch, "/v1/"+ownA.GetName()+"?updateMask=name,title",
		map[string]any{"name": activeB.GetName(), "title": "Djembe renamed twice"}).must(t, http.StatusOK)
	// B's listings by their own paths.
	e.doAs(tokA, http.MethodPatch, "/v1/"+activeB.GetName()+"?updateMask=title", map[string]any{"title": "mine now"}).must(t, http.StatusForbidden)
	e.doAs(tokA, http.MethodPatch, "/v1/"+draftB.GetName()+"?updateMask=title", map[string]any{"title": "mine now"}).must(t, http.StatusNotFound)
	e.doAs(tokA, http.MethodDelete, "/v1/"+activeB.GetName(), nil).must(t, http.StatusForbidden)
	e.doAs(tokA, http.MethodPost, "/v1/"+activeB.GetName()+":pause", map[string]any{}).must(t, http.StatusForbidden)
	e.doAs(tokA, http.MethodPost, "/v1/"+draftB.GetName()+":publish", map[string]any{}).must(t, http.StatusNotFound)
	e.doAs(tokA, http.MethodGet, "/v1/"+draftB.GetName(), nil).must(t, http.StatusNotFound)
	e.doAs(tokA, http.MethodPost, "/v1/"+b+"/listings", tmpl).must(t, http.StatusForbidden)
	if _, err := e.producers.UpdateListing(as(ctx, tokA), &pb.UpdateListingRequest{
		Listing: &pb.Listing{Name: activeB.GetName(), Title: "mine now"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title"}},
	}); status.Code(err) != codes.PermissionDenied {
		t.Errorf("gRPC update of B's listing: %v, want PermissionDenied", err)
	}
	for _, name := range []string{activeB.GetName(), draftB.GetName()} {
		l, err := e.producers.GetListing(ctx, &pb.GetListingRequest{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if l.GetTitle() == "mine now" || l.GetTitle() == "Djembe renamed by A" || l.GetState() != map[string]pb.Listing_State{activeB.GetName(): pb.Listing_ACTIVE, draftB.GetName(): pb.Listing_DRAFT}[name] {
			t.Errorf("B's listing %s was changed: %v", name, l)
		}
	}

	// Lists: B's drafts never show, whatever the filter says.
	for _, q := range []string{
		"/v1/" + b + "/listings",
		"/v1/" + b + "/listings?filter=" + urlQuery(`state = DRAFT`),
		"/v1/producers/-/listings?filter=" + urlQuery(`state = DRAFT`),
		"/v1/producers/-/listings?pageSize=500",
	} {
		r := e.doAs(tokA, http.MethodGet, q, nil).must(t, http.StatusOK)
		ls, _ := r.body["listings"].([]any)
		for _, l := range ls {
			if l.(map[string]any)["state"] != "ACTIVE" {
				t.Errorf("%s showed %v", q, l.(map[string]any)["name"])
			}
		}
	}

	// Matches: one between buyer and B; A sees it by no route.
	m, err := e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{Match: &pb.Match{
		BuyingRequest: openRequest(t, e, "buyers/heartland-drum-supply"), ProposedBy: pb.Party_TRADE_OFFICE,
		Members: []*pb.MatchMember{{Listing: activeB.GetName()}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.doAs(tokA, http.MethodGet, "/v1/"+m.GetName(), nil).must(t, http.StatusNotFound)
	e.doAs(tokA, http.MethodPost, "/v1/"+m.GetName()+":accept", map[string]any{"party": "PRODUCER_SIDE", "producer": b}).must(t, http.StatusNotFound)
	e.doAs(tokA, http.MethodPost, "/v1/"+m.GetName()+":decline", map[string]any{"party": "PRODUCER_SIDE", "producer": a}).must(t, http.StatusNotFound)
	r = e.doAs(tokA, http.MethodGet, "/v1/matches?filter="+urlQuery(`members.producer = "`+b+`"`), nil).must(t, http.StatusOK)
	if ms, _ := r.body["matches"].([]any); len(ms) != 0 {
		t.Errorf("A listed B's matches: %v", ms)
	}
	got, err := e.matches.GetMatch(ctx, &pb.GetMatchRequest{Name: m.GetName()})
	if err != nil || got.GetMembers()[0].GetAnswer() != pb.Answer_PENDING {
		t.Errorf("B's match changed: %v %v", got, err)
	}
}

func openRequest(t *testing.T, e *env, buyer string) string {
	t.Helper()
	rs, err := e.buyers.ListBuyingRequests(e.ctx(), &pb.ListBuyingRequestsRequest{Parent: buyer, Filter: "state = OPEN"})
	if err != nil || len(rs.GetBuyingRequests()) == 0 {
		t.Fatalf("open request of %s: %v", buyer, err)
	}
	return rs.GetBuyingRequests()[0].GetName()
}

func urlQuery(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "=", "%3D", "/", "%2F", "*", "%2A").Replace(s)
}

// TestContactDetailsAreShownOnlyToThoseEntitled checks profiles and
// matches: the owner and the trade office see contacts, the public does
// not, and the parties of a match see each other's only once connected.
func TestContactDetailsAreShownOnlyToThoseEntitled(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	a, buyer := "producers/kendang-jaya-nglegok", "buyers/heartland-drum-supply"
	tokA, tokBuyer := e.token(auth.RoleProducer, a), e.token(auth.RoleBuyer, buyer)
	tokOther := e.token(auth.RoleProducer, "producers/jimbe-penataran")
	svc := mintToken(t, e.dataDir, auth.Principal{Subject: "svc", Role: auth.RoleService, Methods: []string{
		"/temubisnis.v1.MatchService/GetMatch", "/temubisnis.v1.ProducerService/GetProducer", "/temubisnis.v1.BuyerService/GetBuyer",
	}})
	hasContact := func(r response) bool { _, ok := r.body["contact"]; return ok }

	if r := e.doAs("", http.MethodGet, "/v1/"+a, nil).must(t, http.StatusOK); hasContact(r) {
		t.Error("anonymous caller sees the producer's contact")
	}
	if r := e.doAs(tokOther, http.MethodGet, "/v1/"+a, nil).must(t, http.StatusOK); hasContact(r) {
		t.Error("another producer sees the contact")
	}
	if r := e.doAs(svc, http.MethodGet, "/v1/"+a, nil).must(t, http.StatusOK); hasContact(r) {
		t.Error("a service account sees the contact")
	}
	if r := e.doAs(tokA, http.MethodGet, "/v1/"+a, nil).must(t, http.StatusOK); !hasContact(r) {
		t.Error("the owner does not see its own contact")
	}
	if r := e.do(http.MethodGet, "/v1/"+a, nil).must(t, http.StatusOK); !hasContact(r) {
		t.Error("the trade office does not see the contact")
	}
	r := e.doAs("", http.MethodGet, "/v1/producers?pageSize=100", nil).must(t, http.StatusOK)
	ps, _ := r.body["producers"].([]any)
	if len(ps) == 0 {
		t.Fatal("no producers listed")
	}
	for _, p := range ps {
		if _, ok := p.(map[string]any)["contact"]; ok {
			t.Errorf("anonymous list shows the contact of %v", p.(map[string]any)["name"])
		}
	}

	// A match: contacts only once both accepted, and only for the parties.
	ls, err := e.producers.ListListings(e.ctx(), &pb.ListListingsRequest{Parent: a, Filter: "state = ACTIVE"})
	if err != nil {
		t.Fatal(err)
	}
	m := e.doAs(tokBuyer, http.MethodPost, "/v1/matches", map[string]any{
		"buyingRequest": openRequest(t, e, buyer), "proposedBy": "BUYER",
		"members": []any{map[string]any{"listing": ls.GetListings()[0].GetName(), "allottedQuantity": 100}},
	}).must(t, http.StatusOK)
	name := m.str("name")
	memberContact := func(r response) bool {
		mem := r.body["members"].([]any)[0].(map[string]any)
		_, ok := mem["contact"]
		return ok
	}
	if memberContact(m) {
		t.Error("contacts shown before the producer accepted")
	}
	e.doAs(tokA, http.MethodPost, "/v1/"+name+":accept", map[string]any{"party": "PRODUCER_SIDE", "producer": a}).must(t, http.StatusOK)
	if r := e.doAs(tokBuyer, http.MethodGet, "/v1/"+name, nil).must(t, http.StatusOK); !memberContact(r) {
		t.Errorf("the buyer of a connected match does not see the producer's contact: %s", r.raw)
	}
	if r := e.doAs(tokA, http.MethodGet, "/v1/"+name, nil).must(t, http.StatusOK); r.body["buyerContact"] == nil {
		t.Errorf("the producer of a connected match does not see the buyer's contact: %s", r.raw)
	}
	if r := e.doAs(svc, http.MethodGet, "/v1/"+name, nil).must(t, http.StatusOK); memberContact(r) || r.body["buyerContact"] != nil {
		t.Errorf("a service account sees a match's contacts: %s", r.raw)
	}
	e.doAs(tokOther, http.MethodGet, "/v1/"+name, nil).must(t, http.StatusNotFound)
}

// TestRateLimits exhausts the per-address and the per-caller limits: the
// answer is RESOURCE_EXHAUSTED / 429 with a retry hint, other callers go on,
// and the caller is served again after the hinted wait.
func TestRateLimits(t *testing.T) {
	t.Parallel()
	// One request per second, bursts of two, on a clock that moves only
	// when the test moves it: the counts are exact, and the hinted wait
	// takes no time.
	clock := testclock.New(time.Now())
	e := start(t, startOpts{seed: config.SeedDemo, args: []string{"-rate-limit-address", "1", "-rate-limit-caller", "1"}, rateLimitClock: clock.Now})
	var got []int
	var retry int
	for range 3 {
		r := e.doAs("", http.MethodGet, "/v1/listings:search?query=djembe", nil)
		got = append(got, r.code)
		if r.code == http.StatusTooManyRequests {
			r.grpc(t, int(codes.ResourceExhausted))
			retry, _ = strconv.Atoi(r.header.Get("Retry-After"))
		}
	}
	if want := []int{200, 200, 429}; !equalInts(got, want) {
		t.Fatalf("per address: %v, want %v", got, want)
	}
	if retry < 1 {
		t.Fatalf("Retry-After %d, want whole seconds", retry)
	}
	// gRPC from the same address is limited too, with a RetryInfo detail.
	_, err := e.producers.GetProducer(as(e.ctx(), ""), &pb.GetProducerRequest{Name: "producers/kendang-jaya-nglegok"})
	st := status.Convert(err)
	if st.Code() != codes.ResourceExhausted {
		t.Fatalf("gRPC: %v, want ResourceExhausted", err)
	}
	var hint *errdetails.RetryInfo
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			hint = ri
		}
	}
	if hint == nil || hint.GetRetryDelay().AsDuration() < time.Second {
		t.Errorf("no usable RetryInfo: %v", st.Details())
	}
	// Operators see the refusals.
	if m := e.doAs("", http.MethodGet, "/metrics", nil); !strings.Contains(m.raw, `temubisnis_rate_limited_total{limit="address"} 2`) {
		t.Errorf("metrics do not count the two refusals:\n%s", grepLines(m.raw, "temubisnis_rate_limited"))
	}
	// Refused until the hinted wait has passed, served again after it.
	clock.Advance(time.Duration(retry)*time.Second - time.Millisecond)
	e.doAs("", http.MethodGet, "/v1/listings:search?query=djembe", nil).must(t, http.StatusTooManyRequests)
	clock.Advance(time.Millisecond)
	e.doAs("", http.MethodGet, "/v1/listings:search?query=djembe", nil).must(t, http.StatusOK)
}

func TestRateLimitPerCaller(t *testing.T) {
	t.Parallel()
	// One request per two seconds per caller, no bursts beyond one.
	e := start(t, startOpts{seed: config.SeedDemo, args: []string{"-rate-limit-address", "0", "-rate-limit-caller", "0.5"}})
	tokA := e.token(auth.RoleProducer, "producers/kendang-jaya-nglegok")
	tokB := e.token(auth.RoleProducer, "producers/jimbe-penataran")
	codesA := make([]int, 3)
	for i := range codesA {
		codesA[i] = e.doAs(tokA, http.MethodGet, "/v1/producers/kendang-jaya-nglegok", nil).code
	}
	if want := []int{200, 429, 429}; !equalInts(codesA, want) {
		t.Errorf("caller A: %v, want %v (burst of 1)", codesA, want)
	}
	// Another caller, same address, has its own bucket.
	e.doAs(tokB, http.MethodGet, "/v1/producers/jimbe-penataran", nil).must(t, http.StatusOK)
	// Anonymous callers are limited by address only (off here).
	var wg sync.WaitGroup
	fails := make(chan int, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c := e.doAs("", http.MethodGet, "/v1/listings:search?query=koi", nil).code; c != http.StatusOK {
				fails <- c
			}
		}()
	}
	wg.Wait()
	close(fails)
	for c := range fails {
		t.Errorf("anonymous search: HTTP %d", c)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestAuditTrailRecordsWrites checks that writes, allowed and refused, are
// recorded with who, what and the outcome; that only the trade office reads
// the trail; and that no token or contact detail reaches the log.
func TestAuditTrailRecordsWrites(t *testing.T) {
	t.Parallel()
	var logBuf syncBuffer
	e := start(t, startOpts{seed: config.SeedDemo, logTo: &logBuf})
	a, b := "producers/kendang-jaya-nglegok", "producers/jimbe-penataran"
	tokA := e.token(auth.RoleProducer, a)
	ls, err := e.producers.ListListings(e.ctx(), &pb.ListListingsRequest{Parent: a, Filter: "state = ACTIVE"})
	if err != nil {
		t.Fatal(err)
	}
	own := ls.GetListings()[0].GetName()
	e.doAs(tokA, http.MethodPatch, "/v1/"+own+"?updateMask=title", map[string]any{"title": "Djembe 40 cm, mahogany, goat skin"}).must(t, http.StatusOK)
	e.doAs(tokA, http.MethodPatch, "/v1/"+b+"?updateMask=contact", map[string]any{
		"contact": map[string]any{"personName": "Mallory", "email": "mallory@attacker.example"},
	}).must(t, http.StatusForbidden)
	if _, err := e.producers.UpdateProducer(as(e.ctx(), tokA), &pb.UpdateProducerRequest{
		Producer:   &pb.Producer{Name: a, Contact: &pb.Contact{PersonName: "Pak Slamet", Email: "slamet.secret@kendang.example", Phone: "+6281234567890"}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"contact"}},
	}); err != nil {
		t.Fatal(err)
	}

	e.doAs(tokA, http.MethodGet, "/v1/auditEvents", nil).must(t, http.StatusForbidden)
	r := e.do(http.MethodGet, "/v1/auditEvents?filter="+urlQuery(`actor_resource = "`+a+`"`), nil).must(t, http.StatusOK)
	events, _ := r.body["auditEvents"].([]any)
	if len(events) != 3 {
		t.Fatalf("%d events for %s, want 3: %s", len(events), a, r.raw)
	}
	want := []struct{ method, resource, outcome, transport string }{
		{"/temubisnis.v1.ProducerService/UpdateProducer", a, "OK", "grpc"},
		{"/temubisnis.v1.ProducerService/UpdateProducer", b, "PERMISSION_DENIED", "rest"},
		{"/temubisnis.v1.ProducerService/UpdateListing", own, "OK", "rest"},
	}
	for i, w := range want {
		ev := events[i].(map[string]any)
		if ev["method"] != w.method || ev["resource"] != w.resource || ev["outcome"] != w.outcome || ev["transport"] != w.transport ||
			ev["actorRole"] != "producer" || ev["actor"] != "test:producer:"+a || ev["clientAddress"] != "127.0.0.1" {
			t.Errorf("event %d = %v, want %+v", i, ev, w)
		}
	}
	if strings.Contains(r.raw, "slamet.secret") || strings.Contains(r.raw, tokA) {
		t.Error("the audit trail holds a contact detail or a token")
	}
	log := logBuf.String()
	if log == "" {
		t.Fatal("no log captured")
	}
	for _, secret := range []string{tokA, e.admin, "slamet.secret@kendang.example", "+6281234567890", "mallory@attacker.example"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log contains %q", secret[:min(len(secret), 20)])
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestBadTokensAreRateLimited: refusing a token is work, and refused writes
// are audited, so callers with bad tokens are limited by address too.
func TestBadTokensAreRateLimited(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo, args: []string{"-rate-limit-address", "1", "-rate-limit-caller", "1"}})
	var got []int
	for range 4 {
		got = append(got, e.doAs("not.a.token", http.MethodPost, "/v1/producers", map[string]any{}).code)
	}
	if want := []int{401, 401, 429, 429}; !equalInts(got, want) {
		t.Errorf("bad-token writes: %v, want %v", got, want)
	}
}

// TestProposalAbuse covers the ways one party could use proposals against
// another: hijacking a proposal through its request id, probing hidden
// listings, and flooding a producer's quota of open proposals.
func TestProposalAbuse(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	ctx := e.ctx()
	buyer := "buyers/heartland-drum-supply"
	a, b := "producers/kendang-jaya-nglegok", "producers/jimbe-penataran"
	tokBuyer, tokB := e.token(auth.RoleBuyer, buyer), e.token(auth.RoleProducer, b)
	activeOf := func(p string) []*pb.Listing {
		ls, err := e.producers.ListListings(ctx, &pb.ListListingsRequest{Parent: p, Filter: "state = ACTIVE"})
		if err != nil || len(ls.GetListings()) == 0 {
			t.Fatalf("active listings of %s: %v", p, err)
		}
		return ls.GetListings()
	}
	la, lb := activeOf(a)[0], activeOf(b)[0]
	req := openRequest(t, e, buyer)
	propose := func(tok, by, listing, requestID string) response {
		return e.doAs(tok, http.MethodPost, "/v1/matches?requestId="+requestID, map[string]any{
			"buyingRequest": req, "proposedBy": by,
			"members": []any{map[string]any{"listing": listing, "allottedQuantity": 10}},
		})
	}
	first := propose(tokBuyer, "BUYER", la.GetName(), "r1").must(t, http.StatusOK)
	// The same request id from producer B, with its own listing: not the
	// buyer's match.
	if r := propose(tokB, "PRODUCER_SIDE", lb.GetName(), "r1"); r.code == http.StatusOK || strings.Contains(r.raw, first.str("name")) {
		t.Errorf("producer B got another party's match by reusing its request id: HTTP %d %s", r.code, r.raw)
	}
	// The buyer's own retry still returns its match.
	if r := propose(tokBuyer, "BUYER", la.GetName(), "r1").must(t, http.StatusOK); r.str("name") != first.str("name") {
		t.Errorf("retry returned %q, want %q", r.str("name"), first.str("name"))
	}
	// The same listing again for the same request, under a new request id.
	propose(tokBuyer, "BUYER", la.GetName(), "r2").must(t, http.StatusConflict)

	// A draft listing is not found, as by GetListing.
	draft, err := e.producers.CreateListing(ctx, &pb.CreateListingRequest{Parent: b, ListingId: "hidden-draft", Listing: &pb.Listing{
		Title: "Djembe 70 cm", Category: pb.Category_MUSICAL_INSTRUMENT, HsCode: "920600", Unit: lb.GetUnit(),
	}})
	if err != nil {
		t.Fatal(err)
	}
	propose(tokBuyer, "BUYER", draft.GetName(), "r3").must(t, http.StatusNotFound)

	// One buyer cannot fill producer B's quota: after three open proposals
	// to B, the fourth is refused, while the trade office can still propose.
	var reqs []string
	for i := range 4 {
		r := e.do(http.MethodPost, "/v1/"+buyer+"/buyingRequests?buyingRequestId=flood-"+strconv.Itoa(i), map[string]any{
			"title": "Djembe batch " + strconv.Itoa(i), "category": "MUSICAL_INSTRUMENT", "quantity": "100", "unit": lb.GetUnit(),
		}).must(t, http.StatusOK)
		reqs = append(reqs, r.str("name"))
	}
	for i, rq := range reqs {
		r := e.doAs(tokBuyer, http.MethodPost, "/v1/matches", map[string]any{
			"buyingRequest": rq, "proposedBy": "BUYER", "members": []any{map[string]any{"listing": lb.GetName(), "allottedQuantity": 10}},
		})
		want := http.StatusOK
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		r.must(t, want)
	}
	e.do(http.MethodPost, "/v1/matches", map[string]any{
		"buyingRequest": reqs[3], "proposedBy": "TRADE_OFFICE", "members": []any{map[string]any{"listing": lb.GetName(), "allottedQuantity": 10}},
	}).must(t, http.StatusOK)
}

// TestGroupMembersDoNotSeeEachOther: in a connected group match the buyer
// sees every member's contact, each member sees the buyer's and its own,
// not the other members'.
func TestGroupMembersDoNotSeeEachOther(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	buyer := "buyers/heartland-drum-supply"
	a, b := "producers/kendang-jaya-nglegok", "producers/jimbe-penataran"
	tokBuyer, tokA, tokB := e.token(auth.RoleBuyer, buyer), e.token(auth.RoleProducer, a), e.token(auth.RoleProducer, b)
	listing := func(p string) string {
		ls, err := e.producers.ListListings(e.ctx(), &pb.ListListingsRequest{Parent: p, Filter: "state = ACTIVE"})
		if err != nil || len(ls.GetListings()) == 0 {
			t.Fatalf("active listing of %s: %v", p, err)
		}
		return ls.GetListings()[0].GetName()
	}
	m := e.doAs(tokBuyer, http.MethodPost, "/v1/matches", map[string]any{
		"buyingRequest": openRequest(t, e, buyer), "proposedBy": "BUYER",
		"members": []any{
			map[string]any{"listing": listing(a), "allottedQuantity": 100},
			map[string]any{"listing": listing(b), "allottedQuantity": 100},
		},
	}).must(t, http.StatusOK)
	name := m.str("name")
	e.doAs(tokA, http.MethodPost, "/v1/"+name+":accept", map[string]any{"party": "PRODUCER_SIDE", "producer": a}).must(t, http.StatusOK)
	e.doAs(tokB, http.MethodPost, "/v1/"+name+":accept", map[string]any{"party": "PRODUCER_SIDE", "producer": b}).must(t, http.StatusOK)
	contacts := func(tok string) (buyerC bool, members map[string]bool) {
		r := e.doAs(tok, http.MethodGet, "/v1/"+name, nil).must(t, http.StatusOK)
		if r.str("state") != "CONNECTED" {
			t.Fatalf("match is %s", r.str("state"))
		}
		members = map[string]bool{}
		for _, x := range r.body["members"].([]any) {
			mem := x.(map[string]any)
			_, ok := mem["contact"]
			members[mem["producer"].(string)] = ok
		}
		return r.body["buyerContact"] != nil, members
	}
	if bc, ms := contacts(tokBuyer); bc != true || !ms[a] || !ms[b] {
		t.Errorf("buyer sees buyer contact %v, members %v; want all", bc, ms)
	}
	if bc, ms := contacts(tokA); !bc || !ms[a] || ms[b] {
		t.Errorf("member A sees buyer contact %v, members %v; want the buyer's and its own only", bc, ms)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestTrustedProxy: behind a reverse proxy on a trusted address, the
// client address comes from X-Forwarded-For, for rate limits and the audit
// trail; from an untrusted peer the header changes nothing.
func TestTrustedProxy(t *testing.T) {
	t.Parallel()
	search := func(e *env, xff string) int {
		req, _ := http.NewRequest(http.MethodGet, e.baseURL+"/v1/listings:search?query=koi", nil)
		req.Header.Set("X-Forwarded-For", xff)
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp.StatusCode
	}
	// One call per 100 s per client address (burst 1), so that no bucket
	// refills during the test however slow the machine; each forwarded
	// client has its own bucket.
	e := start(t, startOpts{seed: config.SeedDemo, args: []string{"-trusted-proxies", "127.0.0.1", "-rate-limit-address", "0.01"}})
	got := []int{search(e, "198.51.100.1"), search(e, "198.51.100.1"), search(e, "198.51.100.2")}
	if want := []int{200, 429, 200}; !equalInts(got, want) {
		t.Errorf("behind a trusted proxy: %v, want %v", got, want)
	}

	u := start(t, startOpts{seed: config.SeedDemo, args: []string{"-rate-limit-address", "0.01"}})
	got = []int{search(u, "198.51.100.1"), search(u, "198.51.100.2")}
	if want := []int{200, 429}; !equalInts(got, want) {
		t.Errorf("untrusted peer rotating X-Forwarded-For: %v, want %v", got, want)
	}
}
