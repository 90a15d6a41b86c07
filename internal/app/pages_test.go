package app_test

import (
	"slices"
	"testing"

	"google.golang.org/grpc/codes"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// walk collects every page of a computed list, page by page, and checks
// the pages against one call that takes the whole list at once.
func walk[T interface{ GetNextPageToken() string }](t *testing.T, name string, call func(size int32, token string) (T, error), names func(T) []string) []string {
	t.Helper()
	whole, err := call(100, "")
	if err != nil {
		t.Fatalf("%s, one page: %v", name, err)
	}
	want := names(whole)
	var got []string
	token, pages := "", 0
	for {
		page, err := call(2, token)
		if err != nil {
			t.Fatalf("%s, page %d: %v", name, pages+1, err)
		}
		pages++
		if len(names(page)) > 2 {
			t.Fatalf("%s: page of %d with page_size 2", name, len(names(page)))
		}
		got = append(got, names(page)...)
		if token = page.GetNextPageToken(); token == "" {
			break
		}
		if pages > 60 {
			t.Fatalf("%s: more than 60 pages", name)
		}
	}
	if len(want) < 3 || !slices.Equal(got, want) {
		t.Fatalf("%s: pages gave %v, one call %v (the test needs at least 3 items)", name, got, want)
	}
	return got
}

func testComputedListsArePaged(t *testing.T, e *env) {
	ctx := e.ctx()
	reqs := pb.NewRequirementServiceClient(e.conn)

	walk(t, "MatchBuyingRequest", func(size int32, token string) (*pb.MatchBuyingRequestResponse, error) {
		return e.matches.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: koiRequest, PageSize: size, PageToken: token})
	}, func(r *pb.MatchBuyingRequestResponse) (out []string) {
		for _, m := range r.GetMatches() {
			out = append(out, m.GetListing().GetName())
		}
		return out
	})
	walk(t, "ListTrainingNeeds", func(size int32, token string) (*pb.ListTrainingNeedsResponse, error) {
		return reqs.ListTrainingNeeds(ctx, &pb.ListTrainingNeedsRequest{PageSize: size, PageToken: token})
	}, func(r *pb.ListTrainingNeedsResponse) (out []string) {
		for _, n := range r.GetNeeds() {
			out = append(out, n.GetCategory().String()+"/"+n.GetDestinationCountryCode()+"/"+n.GetRequirement().GetName())
		}
		return out
	})
	walk(t, "ListExpiringCertifications", func(size int32, token string) (*pb.ListExpiringCertificationsResponse, error) {
		return reqs.ListExpiringCertifications(ctx, &pb.ListExpiringCertificationsRequest{WithinDays: 366, IncludeExpired: true, PageSize: size, PageToken: token})
	}, func(r *pb.ListExpiringCertificationsResponse) (out []string) {
		for _, c := range r.GetCertifications() {
			out = append(out, c.GetProducer()+"/"+c.GetCertification().GetType())
		}
		return out
	})

	// A token is bound to its query, and sizes are checked.
	first, err := reqs.ListExpiringCertifications(ctx, &pb.ListExpiringCertificationsRequest{WithinDays: 366, IncludeExpired: true, PageSize: 1})
	if err != nil || first.GetNextPageToken() == "" {
		t.Fatalf("first page: %v, token %q", err, first.GetNextPageToken())
	}
	for name, call := range map[string]func() error{
		"page_token": func() error {
			_, err := reqs.ListExpiringCertifications(ctx, &pb.ListExpiringCertificationsRequest{WithinDays: 30, PageToken: first.GetNextPageToken()})
			return err
		},
		"page_size": func() error {
			_, err := e.matches.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: koiRequest, PageSize: -1})
			return err
		},
	} {
		c, fields := code(call())
		if c != codes.InvalidArgument || !slices.Equal(fields, []string{name}) {
			t.Errorf("bad %s: %v %v, want INVALID_ARGUMENT on %s", name, c, fields, name)
		}
	}
	_, err = e.matches.RecommendBuyingRequests(ctx, &pb.RecommendBuyingRequestsRequest{Name: "producers/kendang-jaya-nglegok", PageToken: "garbage"})
	if c, fields := code(err); c != codes.InvalidArgument || !slices.Equal(fields, []string{"page_token"}) {
		t.Errorf("garbage token: %v %v", c, fields)
	}
}

func TestCreateMatchWithClientID(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	ctx := e.ctx()
	koi := activeListings(t, e, "category = ORNAMENTAL_FISH")
	req := &pb.CreateMatchRequest{MatchId: "ojiya-kohaku-1", RequestId: "3f1c2a9e-2222-4a4a-8b8b-123456789abc", Match: &pb.Match{
		BuyingRequest: koiRequest, ProposedBy: pb.Party_BUYER, Members: []*pb.MatchMember{{Listing: koi[0].GetName()}},
	}}
	m, err := e.matches.CreateMatch(ctx, req)
	if err != nil || m.GetName() != "matches/ojiya-kohaku-1" {
		t.Fatalf("create with match_id: %v, name %q", err, m.GetName())
	}
	again, err := e.matches.CreateMatch(ctx, req)
	if err != nil || again.GetEtag() != m.GetEtag() {
		t.Fatalf("retry with the same request id: %v, etag %q then %q", err, m.GetEtag(), again.GetEtag())
	}
	req.RequestId = ""
	if _, err := e.matches.CreateMatch(ctx, req); codeOf(err) != codes.AlreadyExists {
		t.Errorf("second match with the same id: %v, want ALREADY_EXISTS", err)
	}
	req.MatchId = "Not An Id"
	if c, fields := code(mustFail(e.matches.CreateMatch(ctx, req))); c != codes.InvalidArgument || !slices.Equal(fields, []string{"match_id"}) {
		t.Errorf("bad match_id: %v %v", c, fields)
	}
}

func TestGetAuditEvent(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	ctx := e.ctx()
	audit := pb.NewAuditServiceClient(e.conn)
	if _, err := e.producers.UpdateProducer(ctx, &pb.UpdateProducerRequest{Producer: &pb.Producer{Name: "producers/kendang-jaya-nglegok", Village: "Penataran"}}); err != nil {
		t.Fatal(err)
	}
	list, err := audit.ListAuditEvents(ctx, &pb.ListAuditEventsRequest{PageSize: 1})
	if err != nil || len(list.GetAuditEvents()) != 1 {
		t.Fatalf("list: %v", err)
	}
	want := list.GetAuditEvents()[0]
	got, err := audit.GetAuditEvent(ctx, &pb.GetAuditEventRequest{Name: want.GetName()})
	if err != nil || got.GetName() != want.GetName() || got.GetMethod() != want.GetMethod() {
		t.Fatalf("get %s: %v, %v", want.GetName(), err, got)
	}
	if _, err := audit.GetAuditEvent(ctx, &pb.GetAuditEventRequest{Name: "auditEvents/nothing"}); codeOf(err) != codes.NotFound {
		t.Errorf("missing event: %v, want NOT_FOUND", err)
	}
	if c, fields := code(mustFail(audit.GetAuditEvent(ctx, &pb.GetAuditEventRequest{Name: "producers/x"}))); c != codes.InvalidArgument || !slices.Equal(fields, []string{"name"}) {
		t.Errorf("bad name: %v %v", c, fields)
	}
}

func codeOf(err error) codes.Code { c, _ := code(err); return c }

func mustFail[T any](_ T, err error) error { return err }
