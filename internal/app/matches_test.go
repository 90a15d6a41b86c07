package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

const (
	koiRequest = "buyers/yokohama-aqua-trading/buyingRequests/kohaku-sanke-200-fish"
)

// activeListings returns the names of active listings matching filter.
func activeListings(t *testing.T, e *env, filter string) []*pb.Listing {
	t.Helper()
	resp, err := e.producers.ListListings(e.ctx(), &pb.ListListingsRequest{Parent: "producers/-", Filter: filter + " AND state = ACTIVE", PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetListings()
}

func TestMatchLifeCycle(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	ctx := e.ctx()
	koi := activeListings(t, e, "category = ORNAMENTAL_FISH")
	if len(koi) < 2 {
		t.Fatalf("%d koi listings", len(koi))
	}
	listing := koi[0]

	m, err := e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{Match: &pb.Match{
		BuyingRequest: koiRequest, ProposedBy: pb.Party_BUYER, Message: "Interested in your Kohaku",
		Members: []*pb.MatchMember{{Listing: listing.GetName()}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if m.GetState() != pb.Match_PROPOSED || m.GetBuyerAnswer() != pb.Answer_ACCEPTED || m.GetMembers()[0].GetAnswer() != pb.Answer_PENDING {
		t.Fatalf("proposal: %v", m)
	}
	if m.GetMembers()[0].GetAllottedQuantity() != 200 || m.GetExpireTime() == nil {
		t.Fatalf("defaults: %v", m)
	}
	if m.GetBuyerContact() != nil || m.GetMembers()[0].GetContact() != nil {
		t.Fatal("contact details visible before both sides accepted")
	}
	producer := m.GetMembers()[0].GetProducer()

	// The same accept sent twice with one request id is applied once.
	accept := &pb.AcceptMatchRequest{Name: m.GetName(), Party: pb.Party_PRODUCER_SIDE, Producer: producer, RequestId: "accept-1"}
	first, err := e.matches.AcceptMatch(ctx, accept)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.matches.AcceptMatch(ctx, accept)
	if err != nil {
		t.Fatal(err)
	}
	if first.GetEtag() != second.GetEtag() {
		t.Fatalf("second accept with the same request id wrote again: %s then %s", first.GetEtag(), second.GetEtag())
	}
	if first.GetState() != pb.Match_CONNECTED {
		t.Fatalf("state after both accepted: %v", first.GetState())
	}
	if first.GetBuyerContact().GetEmail() == "" || first.GetMembers()[0].GetContact().GetPhone() == "" {
		t.Fatalf("contact details not shared once connected: %v", first)
	}

	// Illegal moves.
	for name, call := range map[string]func() error{
		"accept connected": func() error {
			_, err := e.matches.AcceptMatch(ctx, &pb.AcceptMatchRequest{Name: m.GetName(), Party: pb.Party_BUYER})
			return err
		},
		"decline connected": func() error {
			_, err := e.matches.DeclineMatch(ctx, &pb.DeclineMatchRequest{Name: m.GetName(), Party: pb.Party_BUYER})
			return err
		},
	} {
		if c, _ := code(call()); c != codes.FailedPrecondition {
			t.Errorf("%s: %v, want FailedPrecondition", name, c)
		}
	}
	if c, f := code(func() error {
		_, err := e.matches.AcceptMatch(ctx, &pb.AcceptMatchRequest{Name: m.GetName(), Party: pb.Party_TRADE_OFFICE})
		return err
	}()); c != codes.InvalidArgument || len(f) == 0 || f[0] != "party" {
		t.Errorf("trade office accept: %v %v", c, f)
	}

	// Close with a deal: recorded completely.
	closed, err := e.matches.CloseMatch(ctx, &pb.CloseMatchRequest{Name: m.GetName(), Deal: &pb.Deal{
		Quantity: 180, Value: &money.Money{CurrencyCode: "JPY", Units: 2_160_000},
		ShipmentDate: &date.Date{Year: 2027, Month: 3, Day: 15},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if closed.GetState() != pb.Match_CLOSED_DEAL || closed.GetDeal().GetUnit() != "fish" || closed.GetDeal().GetDestinationCountryCode() != "JP" {
		t.Fatalf("deal: %v", closed.GetDeal())
	}
	if _, err := e.matches.CloseMatch(ctx, &pb.CloseMatchRequest{Name: m.GetName(), NoDealReason: "again"}); err == nil {
		t.Fatal("closed twice")
	}
	if c, f := code(func() error {
		_, err := e.matches.CloseMatch(ctx, &pb.CloseMatchRequest{Name: m.GetName()})
		return err
	}()); c != codes.InvalidArgument || len(f) == 0 {
		t.Errorf("close without outcome: %v %v", c, f)
	}

	// A producer declines another proposal.
	m2, err := e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{Match: &pb.Match{
		BuyingRequest: koiRequest, ProposedBy: pb.Party_TRADE_OFFICE,
		Members: []*pb.MatchMember{{Listing: koi[1].GetName()}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if m2.GetBuyerAnswer() != pb.Answer_PENDING {
		t.Fatalf("trade office proposal accepted for the buyer: %v", m2)
	}
	d, err := e.matches.DeclineMatch(ctx, &pb.DeclineMatchRequest{Name: m2.GetName(), Party: pb.Party_PRODUCER_SIDE, Producer: m2.GetMembers()[0].GetProducer(), Reason: "no stock"})
	if err != nil {
		t.Fatal(err)
	}
	if d.GetState() != pb.Match_DECLINED || d.GetBuyerContact() != nil {
		t.Fatalf("declined: %v", d)
	}
	// A producer that is not a member cannot answer.
	_, err = e.matches.AcceptMatch(ctx, &pb.AcceptMatchRequest{Name: m2.GetName(), Party: pb.Party_PRODUCER_SIDE, Producer: "producers/somebody-else"})
	if c, _ := code(err); c != codes.InvalidArgument && c != codes.FailedPrecondition {
		t.Fatalf("non-member answer: %v", err)
	}

	// Lists by party and state.
	list, err := e.matches.ListMatches(ctx, &pb.ListMatchesRequest{Filter: `members.producer = "` + producer + `" AND state = CLOSED_DEAL`})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetMatches()) != 1 || !proto.Equal(list.GetMatches()[0].GetDeal(), closed.GetDeal()) {
		t.Fatalf("list by producer and state: %v", list)
	}
}

func TestMatchProposalCap(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo", args: []string{"-max-open-proposals", "2"}})
	ctx := e.ctx()
	requests, err := e.buyers.ListBuyingRequests(ctx, &pb.ListBuyingRequestsRequest{Parent: "buyers/-", Filter: "state = OPEN AND category = MUSICAL_INSTRUMENT"})
	if err != nil {
		t.Fatal(err)
	}
	drums := activeListings(t, e, "category = MUSICAL_INSTRUMENT")
	if len(requests.GetBuyingRequests()) < 3 || len(drums) == 0 {
		t.Fatalf("%d drum requests, %d drum listings", len(requests.GetBuyingRequests()), len(drums))
	}
	for i, br := range requests.GetBuyingRequests()[:3] {
		_, err := e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{Match: &pb.Match{
			BuyingRequest: br.GetName(), ProposedBy: pb.Party_TRADE_OFFICE,
			Members: []*pb.MatchMember{{Listing: drums[0].GetName(), AllottedQuantity: 1}},
		}})
		c, _ := code(err)
		switch {
		case i < 2 && c != codes.OK:
			t.Fatalf("proposal %d: %v", i, err)
		case i == 2 && c != codes.ResourceExhausted:
			t.Fatalf("third open proposal for one producer: %v, want ResourceExhausted", err)
		}
	}
	// A proposal on a closed request is refused for that, the lasting
	// reason, before the cap (which would ask the caller to wait) is asked.
	closed, err := e.buyers.CloseBuyingRequest(ctx, &pb.CloseBuyingRequestRequest{Name: requests.GetBuyingRequests()[2].GetName()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{Match: &pb.Match{
		BuyingRequest: closed.GetName(), ProposedBy: pb.Party_TRADE_OFFICE,
		Members: []*pb.MatchMember{{Listing: drums[0].GetName(), AllottedQuantity: 1}},
	}})
	if c, _ := code(err); c != codes.FailedPrecondition || !strings.Contains(err.Error(), "CLOSED") {
		t.Errorf("proposal on a closed request to a producer at its cap: %v, want FailedPrecondition naming the state", err)
	}
}

func TestMatchLifeCycleOverREST(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	koi := activeListings(t, e, "category = ORNAMENTAL_FISH")
	m := e.do("POST", "/v1/matches", map[string]any{
		"buyingRequest": koiRequest, "proposedBy": "PRODUCER_SIDE",
		"members": []map[string]any{{"listing": koi[0].GetName()}},
	}).must(t, http.StatusOK)
	name := m.str("name")
	if m.str("state") != "PROPOSED" || strings.Contains(m.raw, "contact") || strings.Contains(m.raw, "buyerContact") {
		t.Fatalf("proposal: %s", m.raw)
	}
	a := e.do("POST", "/v1/"+name+":accept", map[string]any{"party": "BUYER", "requestId": "r1"}).must(t, http.StatusOK)
	if a.str("state") != "CONNECTED" || !strings.Contains(a.raw, "buyerContact") {
		t.Fatalf("accept: %s", a.raw)
	}
	e.do("POST", "/v1/"+name+":decline", map[string]any{"party": "BUYER"}).must(t, http.StatusBadRequest).grpc(t, 9)
	c := e.do("POST", "/v1/"+name+":close", map[string]any{"noDealReason": "price too high"}).must(t, http.StatusOK)
	if c.str("state") != "CLOSED_NO_DEAL" {
		t.Fatalf("close: %s", c.raw)
	}
	// A proposal on a request that has since been closed cannot connect.
	m2 := e.do("POST", "/v1/matches?requestId=p2", map[string]any{
		"buyingRequest": koiRequest, "proposedBy": "BUYER",
		"members": []map[string]any{{"listing": koi[1].GetName()}},
	}).must(t, http.StatusOK)
	again := e.do("POST", "/v1/matches?requestId=p2", map[string]any{
		"buyingRequest": koiRequest, "proposedBy": "BUYER",
		"members": []map[string]any{{"listing": koi[1].GetName()}},
	}).must(t, http.StatusOK)
	if again.str("name") != m2.str("name") || again.str("etag") != m2.str("etag") {
		t.Fatalf("retried proposal made another match: %s vs %s", again.str("name"), m2.str("name"))
	}
	e.do("POST", "/v1/"+koiRequest+":close", map[string]any{}).must(t, http.StatusOK)
	e.do("POST", "/v1/"+m2.str("name")+":accept", map[string]any{"party": "PRODUCER_SIDE", "producer": producerOf(koi[1].GetName())}).must(t, http.StatusBadRequest).grpc(t, 9)
	bad := e.do("POST", "/v1/matches", map[string]any{"buyingRequest": "nonsense", "proposedBy": "BUYER"}).must(t, http.StatusBadRequest)
	if !slices.Contains(bad.violations(), "match.buying_request") || !slices.Contains(bad.violations(), "match.members") {
		t.Fatalf("violations %v", bad.violations())
	}
	e.do("GET", "/v1/matches/nothing-here", nil).must(t, http.StatusNotFound)
	l := e.do("GET", "/v1/matches?filter="+url.QueryEscape(`buyer = "buyers/yokohama-aqua-trading"`), nil).must(t, http.StatusOK)
	if len(items(l, "matches")) != 2 {
		t.Fatalf("list by buyer: %s", l.raw)
	}
}
