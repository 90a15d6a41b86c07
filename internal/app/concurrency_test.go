package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"

	"github.com/adiekspor/temubisnis/internal/mongostore"
	"github.com/adiekspor/temubisnis/internal/resttest"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

// TestConcurrentPatchesWithoutEtag is issue 10 item 4: six concurrent
// PATCHes of different fields of one producer, none with an etag, got 409
// for some. A caller without an etag asked for its fields to be written; all
// succeed, and every field ends up written.
func TestConcurrentPatchesWithoutEtag(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)
	for round := range 3 {
		patches := []struct {
			mask string
			body map[string]any
		}{
			{"village", map[string]any{"village": fmt.Sprintf("Modangan %d", round)}},
			{"displayName", map[string]any{"displayName": fmt.Sprintf("Kendang Jaya %d", round)}},
			{"workerCount", map[string]any{"workerCount": 20 + round}},
			{"yearFounded", map[string]any{"yearFounded": 2000 + round}},
			{"languageCodes", map[string]any{"languageCodes": []string{"id", "en", []string{"ja", "de", "fr"}[round]}}},
			{"contact.personName", map[string]any{"contact": map[string]any{"personName": fmt.Sprintf("Bu Sri %d", round)}}},
		}
		var wg sync.WaitGroup
		codes := make([]int, len(patches))
		raws := make([]string, len(patches))
		for i, p := range patches {
			wg.Go(func() {
				r := e.doNoFatal("PATCH", "/v1/producers/kendang-jaya?updateMask="+p.mask, p.body)
				codes[i], raws[i] = r.code, r.raw
			})
		}
		wg.Wait()
		for i, c := range codes {
			if c != http.StatusOK {
				t.Errorf("round %d: PATCH %s: HTTP %d %s", round, patches[i].mask, c, raws[i])
			}
		}
		r := e.do("GET", "/v1/producers/kendang-jaya", nil).must(t, http.StatusOK)
		contact, _ := r.body["contact"].(map[string]any)
		if r.str("village") != fmt.Sprintf("Modangan %d", round) || r.str("displayName") != fmt.Sprintf("Kendang Jaya %d", round) ||
			r.body["workerCount"] != float64(20+round) || r.body["yearFounded"] != float64(2000+round) ||
			contact["personName"] != fmt.Sprintf("Bu Sri %d", round) {
			t.Errorf("round %d: a PATCH was lost: %s", round, r.raw)
		}
	}
}

// TestStaleClaimIsTakenOver is issue 10 item 3: a process killed between
// claiming a resource's next version and writing it left every later update
// of that resource answering 409 "read it again" for about a minute. The
// claim now carries a short lease its live holder renews: updates wait it
// out and succeed within the request's deadline, and a caller whose
// deadline ends first is told "being updated, retry" with a retry delay,
// not to read again.
//
// (The claim below is written as a dead writer leaves it; its lease is made
// long for the first request, so that a busy machine cannot let it run out
// meanwhile, and then short, as it is in the last seconds of a real lease.)
func TestStaleClaimIsTakenOver(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	etag := e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK).str("etag")

	client, err := mongo.Connect(options.Client().ApplyURI(testdb.URI(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(t.Context()) })
	// What a writer leaves behind when it dies after claiming version 2.
	now := time.Now().UTC()
	if _, err := client.Database(e.database).Collection(mongostore.ClaimsCollection).InsertOne(t.Context(), bson.M{
		"_id": "producers/kendang-jaya#2", "at": now, "until": now.Add(time.Minute), "holder": "killed-process-1",
	}); err != nil {
		t.Fatal(err)
	}

	// A caller whose deadline ends before the lease is told "being
	// updated, retry" with a retry delay, not to read again. The deadline
	// of 3 s goes to the server in the gateway's Grpc-Timeout header, so
	// that the answer is read however slow a busy machine makes it (a
	// client-side deadline would give up first).
	req, err := http.NewRequest("PATCH", e.baseURL+"/v1/producers/kendang-jaya?updateMask=village",
		strings.NewReader(`{"village": "Sananwetan", "etag": `+strconv.Quote(etag)+`}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.admin)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Grpc-Timeout", "3S")
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	err = resttest.StatusError(resp.StatusCode, raw)
	if d, reason := retryInfo(err); resp.StatusCode != http.StatusServiceUnavailable || status.Code(err) != codes.Unavailable || reason != "RESOURCE_BUSY" || d <= 0 || !strings.Contains(err.Error(), "being updated") {
		t.Errorf("update while the claim looks held, 3 s deadline: HTTP %d %v (retry %v, reason %q); want 503 UNAVAILABLE \"being updated, retry\"", resp.StatusCode, err, d, reason)
	}
	// The lease now ends in 2 s.
	if _, err := client.Database(e.database).Collection(mongostore.ClaimsCollection).UpdateOne(t.Context(),
		bson.M{"_id": "producers/kendang-jaya#2"}, bson.M{"$set": bson.M{"until": time.Now().UTC().Add(2 * time.Second)}}); err != nil {
		t.Fatal(err)
	}
	// With the default deadline the update waits for the lease to run
	// out, takes the claim over and succeeds; the etag was current all
	// along, so it is no conflict.
	r := e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=village", map[string]any{"village": "Modangan", "etag": etag}).must(t, http.StatusOK)
	if r.str("village") != "Modangan" {
		t.Errorf("village %q", r.str("village"))
	}
	// And the resource is free for updates, with and without etag.
	e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=yearFounded", map[string]any{"yearFounded": 2010, "etag": r.str("etag")}).must(t, http.StatusOK)
	e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=workerCount", map[string]any{"workerCount": 30}).must(t, http.StatusOK)
	// A stale etag is still a conflict.
	e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=yearFounded", map[string]any{"yearFounded": 2011, "etag": etag}).must(t, http.StatusConflict)
}

// doNoFatal is do for goroutines other than the test's: a transport
// failure comes back as code 0 with the error in raw instead of stopping
// the test from the wrong goroutine.
func (e *env) doNoFatal(method, path string, body any) response {
	buf, err := json.Marshal(body)
	if err != nil {
		return response{raw: err.Error()}
	}
	req, err := http.NewRequest(method, e.baseURL+path, bytes.NewReader(buf))
	if err != nil {
		return response{raw: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.admin)
	resp, err := e.http.Do(req)
	if err != nil {
		return response{raw: err.Error()}
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	out := response{code: resp.StatusCode, raw: string(raw), header: resp.Header}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// TestDuplicateAnswersReturnTheStateAfterTheFirst is issue 10 item 5: of
// 20 concurrent :accept calls with the same requestId, 18 answered with the
// match as it was before the answer. Every copy now returns the match with
// the answer applied (once), and the request id is stored in the match
// document with the answer, in one write.
func TestDuplicateAnswersReturnTheStateAfterTheFirst(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	koi := activeListings(t, e, "category = ORNAMENTAL_FISH")
	name := e.do("POST", "/v1/matches", map[string]any{
		"buyingRequest": koiRequest, "proposedBy": "PRODUCER_SIDE",
		"members": []map[string]any{{"listing": koi[0].GetName()}},
	}).must(t, http.StatusOK).str("name")
	const n = 20
	var wg sync.WaitGroup
	replies := make([]response, n)
	for i := range n {
		wg.Go(func() {
			replies[i] = e.doNoFatal("POST", "/v1/"+name+":accept", map[string]any{"party": "BUYER", "requestId": "accept-once"})
		})
	}
	wg.Wait()
	version := ""
	for i, r := range replies {
		if r.code != http.StatusOK || r.str("buyerAnswer") != "ACCEPTED" || r.str("state") != "CONNECTED" {
			t.Errorf("reply %d: HTTP %d buyerAnswer %q state %q, want the match after the answer", i, r.code, r.str("buyerAnswer"), r.str("state"))
		}
		if version == "" {
			version = r.str("etag")
		} else if r.str("etag") != version {
			t.Errorf("reply %d has etag %q, another %q: the answer was applied more than once", i, r.str("etag"), version)
		}
	}
	client, err := mongo.Connect(options.Client().ApplyURI(testdb.URI(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(t.Context()) })
	var doc struct {
		Applied []string `bson:"appliedAnswers"`
	}
	if err := client.Database(e.database).Collection(mongostore.MatchesCollection).FindOne(t.Context(), bson.M{"_id": name}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Applied) != 1 || !strings.HasSuffix(doc.Applied[0], "/accept-once") {
		t.Errorf("applied answers in the match document: %v, want the one request id", doc.Applied)
	}
}

// TestProposalCapHoldsUnderConcurrency is issue 10 item 6: the cap on open
// proposals per producer was checked by counting, then inserting, so
// concurrent proposals could all pass the count. With a cap of 2 and eight
// proposals for one listing to eight open requests at once, exactly 2 are
// stored and the rest get RESOURCE_EXHAUSTED (429).
func TestProposalCapHoldsUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo", args: []string{"-max-open-proposals", "2"}})
	listing := activeListings(t, e, "category = ORNAMENTAL_FISH")[0].GetName()
	reqs, err := e.buyers.ListBuyingRequests(e.ctx(), &pb.ListBuyingRequestsRequest{Parent: "buyers/-", Filter: "state = OPEN", PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs.GetBuyingRequests()) < 5 {
		t.Fatalf("only %d open requests in the demo data", len(reqs.GetBuyingRequests()))
	}
	var wg sync.WaitGroup
	replies := make([]response, len(reqs.GetBuyingRequests()))
	for i, br := range reqs.GetBuyingRequests() {
		wg.Go(func() {
			replies[i] = e.doNoFatal("POST", "/v1/matches", map[string]any{
				"buyingRequest": br.GetName(), "proposedBy": "TRADE_OFFICE",
				"members": []map[string]any{{"listing": listing, "allottedQuantity": 1}},
			})
		})
	}
	wg.Wait()
	stored := 0
	for i, r := range replies {
		switch r.code {
		case http.StatusOK:
			stored++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("proposal %d: HTTP %d %s", i, r.code, r.raw)
		}
	}
	if stored != 2 {
		t.Errorf("%d proposals stored, want the cap of 2", stored)
	}
}
