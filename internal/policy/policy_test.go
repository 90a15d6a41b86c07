package policy

import (
	"context"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/store"
)

// apiMethods lists every method of every service of package temubisnis.v1.
func apiMethods(t *testing.T) []string {
	t.Helper()
	var methods []string
	protoregistry.GlobalFiles.RangeFilesByPackage("temubisnis.v1", func(fd protoreflect.FileDescriptor) bool {
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			for j := 0; j < sd.Methods().Len(); j++ {
				methods = append(methods, "/"+string(sd.FullName())+"/"+string(sd.Methods().Get(j).Name()))
			}
		}
		return true
	})
	if len(methods) < 40 {
		t.Fatalf("found only %d methods; is the generated package linked?", len(methods))
	}
	return methods
}

func TestEveryMethodHasARule(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range apiMethods(t) {
		seen[m] = true
		if !Known(m) {
			t.Errorf("%s has no row in the policy table", m)
		}
	}
	for m := range table {
		if !seen[m] {
			t.Errorf("the table has a row for %s, which no service has", m)
		}
	}
}

// Writes are never grantable: service accounts read and match.
func TestServiceAccountsNeverWrite(t *testing.T) {
	for m, r := range table {
		if r.write && r.grantable {
			t.Errorf("%s is a write but grantable to service accounts", m)
		}
	}
}

type facts struct{}

func (facts) ListingState(_ context.Context, name string) (pb.Listing_State, error) {
	switch name {
	case "producers/b/listings/active":
		return pb.Listing_ACTIVE, nil
	case "producers/b/listings/draft":
		return pb.Listing_DRAFT, nil
	}
	return 0, store.ErrNotFound
}

func (facts) BuyingRequestState(_ context.Context, name string) (pb.BuyingRequest_State, error) {
	switch name {
	case "buyers/b/buyingRequests/open":
		return pb.BuyingRequest_OPEN, nil
	case "buyers/b/buyingRequests/closed":
		return pb.BuyingRequest_CLOSED, nil
	}
	return 0, store.ErrNotFound
}

func (facts) MatchParties(_ context.Context, name string) (string, []string, error) {
	if name == "matches/m1" {
		return "buyers/b", []string{"producers/a", "producers/c"}, nil
	}
	return "", nil, store.ErrNotFound
}

func TestDecisions(t *testing.T) {
	anon := auth.Anonymous()
	prodA := auth.Principal{Subject: "a", Role: auth.RoleProducer, Resource: "producers/a"}
	prodAB := auth.Principal{Subject: "ab", Role: auth.RoleProducer, Resource: "producers/ab"}
	buyerB := auth.Principal{Subject: "b", Role: auth.RoleBuyer, Resource: "buyers/b"}
	buyerX := auth.Principal{Subject: "x", Role: auth.RoleBuyer, Resource: "buyers/x"}
	office := auth.Principal{Subject: "o", Role: auth.RoleTradeOffice}
	svc := auth.Principal{Subject: "s", Role: auth.RoleService, Methods: []string{srch + "SearchListings", prod + "DeleteListing"}}
	pol := New(facts{})
	for _, tc := range []struct {
		name   string
		p      auth.Principal
		method string
		req    any
		want   codes.Code
	}{
		{"anonymous searches", anon, srch + "SearchListings", &pb.SearchListingsRequest{}, codes.OK},
		{"anonymous cannot write", anon, prod + "UpdateListing", &pb.UpdateListingRequest{Listing: &pb.Listing{Name: "producers/a/listings/x"}}, codes.Unauthenticated},
		{"owner updates its listing", prodA, prod + "UpdateListing", &pb.UpdateListingRequest{Listing: &pb.Listing{Name: "producers/a/listings/x"}}, codes.OK},
		{"prefix is not ownership", prodAB, prod + "UpdateListing", &pb.UpdateListingRequest{Listing: &pb.Listing{Name: "producers/a/listings/x"}}, codes.NotFound},
		{"other's active listing: denied", prodA, prod + "PauseListing", &pb.PauseListingRequest{Name: "producers/b/listings/active"}, codes.PermissionDenied},
		{"other's draft listing: hidden", prodA, prod + "PauseListing", &pb.PauseListingRequest{Name: "producers/b/listings/draft"}, codes.NotFound},
		{"buyer cannot verify itself", buyerB, buy + "VerifyBuyer", &pb.VerifyBuyerRequest{Name: "buyers/b"}, codes.PermissionDenied},
		{"other buyer is hidden", buyerX, buy + "GetBuyer", &pb.GetBuyerRequest{Name: "buyers/b"}, codes.NotFound},
		{"producer reads open request", prodA, buy + "GetBuyingRequest", &pb.GetBuyingRequestRequest{Name: "buyers/b/buyingRequests/open"}, codes.OK},
		{"producer cannot see closed request", prodA, buy + "GetBuyingRequest", &pb.GetBuyingRequestRequest{Name: "buyers/b/buyingRequests/closed"}, codes.NotFound},
		{"producer cannot close open request", prodA, buy + "CloseBuyingRequest", &pb.CloseBuyingRequestRequest{Name: "buyers/b/buyingRequests/open"}, codes.PermissionDenied},
		{"member reads match", prodA, match + "GetMatch", &pb.GetMatchRequest{Name: "matches/m1"}, codes.OK},
		{"non-member: hidden", prodAB, match + "GetMatch", &pb.GetMatchRequest{Name: "matches/m1"}, codes.NotFound},
		{"member answers for another member", prodA, match + "AcceptMatch", &pb.AcceptMatchRequest{Name: "matches/m1", Party: pb.Party_PRODUCER_SIDE, Producer: "producers/c"}, codes.PermissionDenied},
		{"member answers for the buyer", prodA, match + "AcceptMatch", &pb.AcceptMatchRequest{Name: "matches/m1", Party: pb.Party_BUYER}, codes.PermissionDenied},
		{"member answers for itself", prodA, match + "AcceptMatch", &pb.AcceptMatchRequest{Name: "matches/m1", Party: pb.Party_PRODUCER_SIDE, Producer: "producers/a"}, codes.OK},
		{"trade office does anything", office, reqs + "DeleteRequirement", &pb.DeleteRequirementRequest{}, codes.OK},
		{"producer cannot edit requirements", prodA, reqs + "DeleteRequirement", &pb.DeleteRequirementRequest{}, codes.PermissionDenied},
		{"service: granted read", svc, srch + "SearchListings", &pb.SearchListingsRequest{}, codes.OK},
		{"service: not granted", svc, prod + "GetListing", &pb.GetListingRequest{}, codes.PermissionDenied},
		{"service: a write is never granted", svc, prod + "DeleteListing", &pb.DeleteListingRequest{}, codes.PermissionDenied},
		{"unknown method is closed", office, "/temubisnis.v1.Secret/Do", nil, codes.PermissionDenied},
		{"producer creates itself", prodA, prod + "CreateProducer", &pb.CreateProducerRequest{ProducerId: "a"}, codes.OK},
		{"producer creates another", prodA, prod + "CreateProducer", &pb.CreateProducerRequest{ProducerId: "b"}, codes.PermissionDenied},
		{"buyer proposes on other's request", buyerX, match + "CreateMatch", &pb.CreateMatchRequest{Match: &pb.Match{BuyingRequest: "buyers/b/buyingRequests/open", ProposedBy: pb.Party_BUYER}}, codes.NotFound},
		{"producer proposes other's listing", prodA, match + "CreateMatch", &pb.CreateMatchRequest{Match: &pb.Match{BuyingRequest: "buyers/b/buyingRequests/open", ProposedBy: pb.Party_PRODUCER_SIDE, Members: []*pb.MatchMember{{Listing: "producers/b/listings/active"}}}}, codes.PermissionDenied},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := pol.Authorize(context.Background(), tc.p, tc.method, tc.req)
			if got := status.Code(err); got != tc.want {
				t.Fatalf("got %v (%v), want %v", got, err, tc.want)
			}
		})
	}
}

func TestListsAreNarrowed(t *testing.T) {
	pol := New(facts{})
	prodA := auth.Principal{Subject: "a", Role: auth.RoleProducer, Resource: "producers/a"}
	buyerB := auth.Principal{Subject: "b", Role: auth.RoleBuyer, Resource: "buyers/b"}
	ctx := context.Background()

	own := &pb.ListListingsRequest{Parent: "producers/a", Filter: "category = FOOD"}
	all := &pb.ListListingsRequest{Parent: "producers/-", Filter: "category = FOOD"}
	if err := pol.Authorize(ctx, prodA, prod+"ListListings", own); err != nil || own.Filter != "category = FOOD" {
		t.Errorf("own listings: %v, filter %q", err, own.Filter)
	}
	if err := pol.Authorize(ctx, prodA, prod+"ListListings", all); err != nil || all.Filter != "category = FOOD AND state = ACTIVE" {
		t.Errorf("all listings: %v, filter %q", err, all.Filter)
	}
	reqs := &pb.ListBuyingRequestsRequest{Parent: "buyers/-"}
	if err := pol.Authorize(ctx, buyerB, buy+"ListBuyingRequests", reqs); err != nil || reqs.Parent != "buyers/b" {
		t.Errorf("buyer's requests: %v, parent %q", err, reqs.Parent)
	}
	other := &pb.ListBuyingRequestsRequest{Parent: "buyers/x"}
	if err := pol.Authorize(ctx, buyerB, buy+"ListBuyingRequests", other); status.Code(err) != codes.NotFound {
		t.Errorf("another buyer's requests: %v, want NotFound", err)
	}
	ms := &pb.ListMatchesRequest{Filter: `buyer = "buyers/x"`}
	if err := pol.Authorize(ctx, prodA, match+"ListMatches", ms); err != nil || ms.Filter != `buyer = "buyers/x" AND members.producer = "producers/a"` {
		t.Errorf("matches: %v, filter %q", err, ms.Filter)
	}
}

func TestContactsAreRedacted(t *testing.T) {
	pol := New(facts{})
	prodA := auth.Principal{Subject: "a", Role: auth.RoleProducer, Resource: "producers/a"}
	c := func() *pb.Contact { return &pb.Contact{Email: "x@example.com"} }
	list := &pb.ListProducersResponse{Producers: []*pb.Producer{{Name: "producers/a", Contact: c()}, {Name: "producers/b", Contact: c()}}}
	if err := pol.Filter(context.Background(), prodA, prod+"ListProducers", list); err != nil {
		t.Fatal(err)
	}
	if list.Producers[0].Contact == nil || list.Producers[1].Contact != nil {
		t.Errorf("own contact kept, other's cleared; got %v", list.Producers)
	}
	m := &pb.Match{Buyer: "buyers/b", BuyerContact: c(), Members: []*pb.MatchMember{{Producer: "producers/a", Contact: c()}}}
	svc := auth.Principal{Subject: "s", Role: auth.RoleService, Methods: []string{match + "GetMatch"}}
	if err := pol.Filter(context.Background(), svc, match+"GetMatch", m); err != nil {
		t.Fatal(err)
	}
	if m.BuyerContact != nil || m.Members[0].Contact != nil {
		t.Errorf("a service account must not see match contacts: %v", m)
	}
	draft := &pb.Listing{Name: "producers/b/listings/d", State: pb.Listing_DRAFT}
	if err := pol.Filter(context.Background(), prodA, prod+"GetListing", draft); status.Code(err) != codes.NotFound {
		t.Errorf("another producer's draft: %v, want NotFound", err)
	}
}

// The anonymous column of the README's access table, as the table says it:
// the OpenAPI document's security requirements are generated from
// OpenToAnonymous, so this pins what it reports.
func TestOpenToAnonymous(t *testing.T) {
	open := map[string]bool{
		prod + "GetProducer": true, prod + "ListProducers": true, prod + "GetListing": true, prod + "ListListings": true,
		reqs + "GetRequirement": true, reqs + "ListRequirements": true, reqs + "LookupRequirements": true, reqs + "CheckReadiness": true,
		srch + "SearchListings": true, srch + "GetExchangeRates": true,
	}
	for _, m := range Methods() {
		got, err := OpenToAnonymous(m)
		if err != nil {
			t.Fatal(err)
		}
		if got != open[m] {
			t.Errorf("OpenToAnonymous(%s) = %v, want %v", m, got, open[m])
		}
	}
	if _, err := OpenToAnonymous("/temubisnis.v1.Secret/Do"); err == nil {
		t.Error("an unknown method must be an error")
	}
}
