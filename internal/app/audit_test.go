package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// auditTrail records a small audit trail through the store, oldest first,
// and returns the events as stored (named, with their times).
func auditTrail(t *testing.T, e *env, base time.Time) []*pb.AuditEvent {
	t.Helper()
	const (
		updateListing = "/temubisnis.v1.ProducerService/UpdateListing"
		createListing = "/temubisnis.v1.ProducerService/CreateListing"
		verifyBuyer   = "/temubisnis.v1.BuyerService/VerifyBuyer"
	)
	events := []*pb.AuditEvent{
		{Actor: "u-jimbe", ActorRole: "producer", ActorResource: "producers/jimbe-jaya", Method: createListing,
			Resource: "producers/jimbe-jaya", Outcome: "OK", RequestId: "7c1d3f3e", ClientAddress: "203.0.113.7", Transport: "rest"},
		{Actor: "u-jimbe", ActorRole: "producer", ActorResource: "producers/jimbe-jaya", Method: updateListing,
			Resource: "producers/jimbe-jaya/listings/djembe-40", Outcome: "OK", ClientAddress: "203.0.113.7", Transport: "rest"},
		{Actor: "u-koi", ActorRole: "producer", ActorResource: "producers/koi-sawentar", Method: updateListing,
			Resource: "producers/jimbe-jaya/listings/djembe-40", Outcome: "PERMISSION_DENIED", ClientAddress: "198.51.100.2", Transport: "grpc"},
		{ActorRole: "anonymous", Method: createListing, Resource: "producers/koi-sawentar", Outcome: "UNAUTHENTICATED",
			ClientAddress: "192.0.2.9", Transport: "rest"},
		{Actor: "u-office", ActorRole: "trade_office", Method: verifyBuyer, Resource: "buyers/wan-chai", Outcome: "OK",
			ClientAddress: "2001:db8::5", Transport: "grpc"},
	}
	for i, ev := range events {
		ev.EventTime = timestamppb.New(base.Add(time.Duration(i) * time.Minute))
		if err := e.app.Store.RecordAudit(e.ctx(), ev); err != nil {
			t.Fatalf("RecordAudit: %v", err)
		}
	}
	return events
}

// resourcesOf lists the "resource" of each event of a REST answer.
func resourcesOf(r response) []string {
	var out []string
	for _, it := range items(r, "auditEvents") {
		s, _ := it["resource"].(string)
		out = append(out, s)
	}
	return out
}

func TestAuditEventsOverREST(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	base := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	ev := auditTrail(t, e, base)
	list := func(query string) response {
		t.Helper()
		return e.do("GET", "/v1/auditEvents?"+query, nil).must(t, http.StatusOK)
	}

	all := list("")
	got := items(all, "auditEvents")
	if len(got) != len(ev) {
		t.Fatalf("%d events listed, want %d: %s", len(got), len(ev), all.raw)
	}
	for i, it := range got { // newest first
		want := ev[len(ev)-1-i]
		if it["name"] != want.GetName() || it["eventTime"] != want.GetEventTime().AsTime().Format(time.RFC3339) {
			t.Errorf("event %d is %v at %v, want %s at %s", i, it["name"], it["eventTime"], want.GetName(), want.GetEventTime().AsTime().Format(time.RFC3339))
		}
	}
	first := got[len(got)-1]
	wantFirst := map[string]any{
		"name": ev[0].GetName(), "eventTime": "2026-05-04T08:00:00Z", "actor": "u-jimbe", "actorRole": "producer",
		"actorResource": "producers/jimbe-jaya", "method": "/temubisnis.v1.ProducerService/CreateListing",
		"resource": "producers/jimbe-jaya", "outcome": "OK", "requestId": "7c1d3f3e", "clientAddress": "203.0.113.7", "transport": "rest",
	}
	if diff := cmp.Diff(wantFirst, first); diff != "" {
		t.Errorf("oldest event as JSON (-want +got):\n%s", diff)
	}

	filters := []struct {
		name, query string
		want        []string
	}{
		{"outcome", "filter=" + url.QueryEscape(`outcome != "OK"`),
			[]string{"producers/koi-sawentar", "producers/jimbe-jaya/listings/djembe-40"}},
		{"resource prefix", "filter=" + url.QueryEscape(`resource = "producers/jimbe-jaya*"`),
			[]string{"producers/jimbe-jaya/listings/djembe-40", "producers/jimbe-jaya/listings/djembe-40", "producers/jimbe-jaya"}},
		{"actor and method", "filter=" + url.QueryEscape(`actor = "u-jimbe" AND method = "/temubisnis.v1.ProducerService/UpdateListing"`),
			[]string{"producers/jimbe-jaya/listings/djembe-40"}},
		{"method prefix", "filter=" + url.QueryEscape(`method = "/temubisnis.v1.BuyerService/*"`), []string{"buyers/wan-chai"}},
		{"role", "filter=" + url.QueryEscape(`actor_role = "anonymous"`), []string{"producers/koi-sawentar"}},
		{"acting for", "filter=" + url.QueryEscape(`actor_resource = "producers/koi-sawentar"`), []string{"producers/jimbe-jaya/listings/djembe-40"}},
		{"time window", "startTime=2026-05-04T08:01:00Z&endTime=2026-05-04T08:03:00Z",
			[]string{"producers/jimbe-jaya/listings/djembe-40", "producers/jimbe-jaya/listings/djembe-40"}},
		{"since", "startTime=2026-05-04T08:03:00Z", []string{"buyers/wan-chai", "producers/koi-sawentar"}},
		{"window and filter", "endTime=2026-05-04T08:02:00Z&filter=" + url.QueryEscape(`outcome = "OK"`),
			[]string{"producers/jimbe-jaya/listings/djembe-40", "producers/jimbe-jaya"}},
	}
	for _, f := range filters {
		t.Run(f.name, func(t *testing.T) {
			if diff := cmp.Diff(f.want, resourcesOf(list(f.query))); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}

	// Pages of two, newest first, add up to the whole trail.
	var names []string
	token, pages := "", 0
	for {
		r := list("pageSize=2&pageToken=" + url.QueryEscape(token))
		pages++
		for _, it := range items(r, "auditEvents") {
			names = append(names, it["name"].(string))
		}
		if token = r.str("nextPageToken"); token == "" {
			break
		}
		if pages > len(ev) {
			t.Fatal("paging does not end")
		}
		// The token is bound to the query: not reusable with another
		// filter or time range.
		for _, other := range []string{"filter=" + url.QueryEscape(`outcome = "OK"`), "startTime=2026-05-04T08:00:00Z"} {
			resp := e.do("GET", "/v1/auditEvents?pageSize=2&"+other+"&pageToken="+url.QueryEscape(token), nil).must(t, http.StatusBadRequest)
			if !slices.Contains(resp.violations(), "page_token") {
				t.Errorf("token reused with %s: violations %v, want page_token", other, resp.violations())
			}
		}
	}
	var want []string
	for i := len(ev) - 1; i >= 0; i-- {
		want = append(want, ev[i].GetName())
	}
	if pages != 3 || !slices.Equal(names, want) {
		t.Fatalf("%d pages of %v, want 3 pages of %v", pages, names, want)
	}

	doc := e.do("GET", "/openapi.json", nil).must(t, http.StatusOK)
	var openapi struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(doc.raw), &openapi); err != nil {
		t.Fatal(err)
	}
	if _, ok := openapi.Paths["/v1/auditEvents"]["get"]; !ok {
		t.Errorf("OpenAPI document lacks GET /v1/auditEvents")
	}

	bad := []struct {
		query  string
		fields []string
	}{
		{"filter=" + url.QueryEscape(`colour = "red"`), []string{"filter"}},
		{"filter=" + url.QueryEscape(`outcome = "Denied"`), []string{"filter"}},
		{"filter=" + url.QueryEscape(`actor_role = "admin"`), []string{"filter"}},
		{"filter=" + url.QueryEscape(`actor = "a*"`), []string{"filter"}},
		{"filter=" + url.QueryEscape(`outcome = "OK" OR outcome = "ABORTED"`), []string{"filter"}},
		{"pageSize=-1", []string{"page_size"}},
		{"pageToken=bm90IGEgdG9rZW4", []string{"page_token"}},
		{"startTime=2026-05-04T09:00:00Z&endTime=2026-05-04T08:00:00Z", []string{"end_time"}},
		{"startTime=2026-05-04T08:00:00Z&endTime=2026-05-04T08:00:00Z", []string{"end_time"}},
		// Every bad field at once.
		{"startTime=2026-05-04T09:00:00Z&endTime=2026-05-04T08:00:00Z&pageSize=-5&filter=x", []string{"end_time", "page_size", "filter"}},
	}
	for _, b := range bad {
		t.Run("bad "+b.query, func(t *testing.T) {
			r := e.do("GET", "/v1/auditEvents?"+b.query, nil).must(t, http.StatusBadRequest).grpc(t, int(codes.InvalidArgument))
			if diff := cmp.Diff(b.fields, r.violations()); diff != "" {
				t.Fatalf("violations (-want +got):\n%s\nbody: %s", diff, r.raw)
			}
		})
	}
}

func TestAuditEventsOverGRPC(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	ev := auditTrail(t, e, time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC))
	client := pb.NewAuditServiceClient(e.conn)

	// The health service knows the audit service and follows readiness.
	e.waitServing("temubisnis.v1.AuditService")

	// Pages of one through the producers' events, as stored.
	req := &pb.ListAuditEventsRequest{PageSize: 1, Filter: `actor_role = "producer"`}
	var got []*pb.AuditEvent
	for range 10 {
		resp, err := client.ListAuditEvents(e.ctx(), req)
		if err != nil {
			t.Fatalf("ListAuditEvents: %v", err)
		}
		got = append(got, resp.GetAuditEvents()...)
		if resp.GetNextPageToken() == "" {
			break
		}
		req = proto.CloneOf(req)
		req.PageToken = resp.GetNextPageToken()
	}
	want := []*pb.AuditEvent{ev[2], ev[1], ev[0]}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Fatalf("producers' events (-want +got):\n%s", diff)
	}

	resp, err := client.ListAuditEvents(e.ctx(), &pb.ListAuditEventsRequest{
		StartTime: ev[1].GetEventTime(), EndTime: ev[3].GetEventTime(), Filter: `outcome = "PERMISSION_DENIED"`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]*pb.AuditEvent{ev[2]}, resp.GetAuditEvents(), protocmp.Transform()); diff != "" {
		t.Fatalf("denied calls in the window (-want +got):\n%s", diff)
	}

	for _, r := range []struct {
		req   *pb.ListAuditEventsRequest
		field string
	}{
		{&pb.ListAuditEventsRequest{Filter: `resource : "x"`}, "filter"},
		{&pb.ListAuditEventsRequest{StartTime: &timestamppb.Timestamp{Seconds: -1 << 40}}, "start_time"},
		{&pb.ListAuditEventsRequest{EndTime: &timestamppb.Timestamp{Nanos: -1}}, "end_time"},
	} {
		_, err := client.ListAuditEvents(e.ctx(), r.req)
		if c, fields := code(err); c != codes.InvalidArgument || !slices.Equal(fields, []string{r.field}) {
			t.Errorf("%v: %v %v, want INVALID_ARGUMENT on %s", r.req, c, fields, r.field)
		}
	}
}
