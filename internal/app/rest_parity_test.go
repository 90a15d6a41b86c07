package app_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/resttest"
)

// TestRESTCallMatchesGRPC runs the same requests over gRPC and over REST
// against the running service and compares the answers. Both transports go
// without a token: the reads are public, and the writes must then either
// succeed on both (a service without authentication) or be refused alike.
func TestRESTCallMatchesGRPC(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	conn, err := grpc.NewClient(e.app.Server.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })

	// both runs req over both transports; the answers or errors must be
	// the same. It returns the answer (nil when both failed) and the error.
	both := func(t *testing.T, full string, req proto.Message, opts ...cmp.Option) (proto.Message, error) {
		t.Helper()
		g, r := newReply(t, full), newReply(t, full)
		gerr := conn.Invoke(e.ctx(), full, req, g)
		rerr := e.rest.Invoke(t, full, req, r, "")
		switch {
		case gerr != nil || rerr != nil:
			gs, rs := status.Convert(gerr), status.Convert(rerr)
			if gs.Code() != rs.Code() || gs.Message() != rs.Message() {
				t.Fatalf("%s: gRPC: %v; REST: %v", full, gerr, rerr)
			}
			return nil, gerr
		}
		if diff := cmp.Diff(g, r, append([]cmp.Option{protocmp.Transform()}, opts...)...); diff != "" {
			t.Fatalf("%s %v: gRPC and REST answers differ (-gRPC +REST):\n%s", full, req, diff)
		}
		return g, nil
	}
	mustBoth := func(t *testing.T, full string, req proto.Message, opts ...cmp.Option) proto.Message {
		t.Helper()
		out, err := both(t, full, req, opts...)
		if err != nil {
			t.Fatalf("%s %v: %v", full, req, err)
		}
		return out
	}

	// Search with text, repeated categories, a price range in yen, an
	// optional field, an enum order and a view; then its second page.
	search := &pb.SearchListingsRequest{
		Query:               "djembe",
		Categories:          []pb.Category{pb.Category_MUSICAL_INSTRUMENT, pb.Category_HANDICRAFT},
		CurrencyCode:        "JPY",
		PriceMin:            &money.Money{CurrencyCode: "JPY", Units: 1000},
		PriceMax:            &money.Money{CurrencyCode: "JPY", Units: 20000},
		MaxMinOrderQuantity: proto.Int64(1000),
		OrderBy:             pb.SearchListingsRequest_PRICE_ASCENDING,
		PageSize:            3,
		View:                pb.ListingView_BASIC,
	}
	res := mustBoth(t, "/temubisnis.v1.SearchService/SearchListings", search).(*pb.SearchListingsResponse)
	if len(res.GetHits()) == 0 || res.GetNextPageToken() == "" || res.GetCurrencyCode() != "JPY" {
		t.Fatalf("search: %d hits of %d, next page %q, currency %s", len(res.GetHits()), res.GetTotalSize(), res.GetNextPageToken(), res.GetCurrencyCode())
	}
	all := mustBoth(t, "/temubisnis.v1.SearchService/SearchListings", &pb.SearchListingsRequest{Query: "djembe", PageSize: 100}).(*pb.SearchListingsResponse)
	if res.GetTotalSize() >= all.GetTotalSize() {
		t.Errorf("filters do not narrow the search: %d of %d hits", res.GetTotalSize(), all.GetTotalSize())
	}
	page2 := proto.Clone(search).(*pb.SearchListingsRequest)
	page2.PageToken = res.GetNextPageToken()
	mustBoth(t, "/temubisnis.v1.SearchService/SearchListings", page2)
	mustBoth(t, "/temubisnis.v1.SearchService/SearchListings", &pb.SearchListingsRequest{
		Query: "koi", ShipToCountryCode: "JP", VerifiedOnly: true, MinMonthlyCapacity: proto.Int64(10), ProducerKind: pb.Producer_PRODUCER,
	})

	hit := res.GetHits()[0]
	listing, producer := hit.GetListing().GetName(), hit.GetProducer().GetName()
	got := mustBoth(t, "/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: listing}).(*pb.Listing)
	if got.GetState() != pb.Listing_ACTIVE {
		t.Fatalf("%s is %v", listing, got.GetState())
	}
	mustBoth(t, "/temubisnis.v1.ProducerService/GetProducer", &pb.GetProducerRequest{Name: producer})
	list := mustBoth(t, "/temubisnis.v1.ProducerService/ListListings", &pb.ListListingsRequest{
		Parent: producer, Filter: `category = MUSICAL_INSTRUMENT`, PageSize: 2,
	}).(*pb.ListListingsResponse)
	if len(list.GetListings()) == 0 {
		t.Fatalf("no listings of %s", producer)
	}
	jp := mustBoth(t, "/temubisnis.v1.ProducerService/ListListings", &pb.ListListingsRequest{
		Parent: "producers/-", Filter: `ship_to_country_codes:"JP"`, PageSize: 100,
	}).(*pb.ListListingsResponse)
	if len(jp.GetListings()) == 0 {
		t.Fatal("no listings ship to JP")
	}
	// Both bindings of CheckReadiness.
	checkTime := protocmp.IgnoreFields(&pb.ReadinessReport{}, "check_time")
	mustBoth(t, "/temubisnis.v1.RequirementService/CheckReadiness", &pb.CheckReadinessRequest{Name: listing, DestinationCountryCode: "JP"}, checkTime)
	mustBoth(t, "/temubisnis.v1.RequirementService/CheckReadiness", &pb.CheckReadinessRequest{Name: producer, DestinationCountryCode: "JP", Category: pb.Category_MUSICAL_INSTRUMENT}, checkTime)
	mustBoth(t, "/temubisnis.v1.SearchService/GetExchangeRates", &pb.GetExchangeRatesRequest{Name: "exchangeRates"})
	mustBoth(t, "/temubisnis.v1.RequirementService/LookupRequirements", &pb.LookupRequirementsRequest{
		Category: pb.Category_MUSICAL_INSTRUMENT, HsCode: hit.GetListing().GetHsCode(), DestinationCountryCode: "JP",
	})
	// Errors compare too.
	if _, err := both(t, "/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: producer + "/listings/no-such-listing"}); status.Code(err) != codes.NotFound {
		t.Fatalf("missing listing: %v", err)
	}
	if _, err := both(t, "/temubisnis.v1.SearchService/SearchListings", &pb.SearchListingsRequest{Query: "koi", CurrencyCode: "XYZ"}); status.Code(err) != codes.InvalidArgument {
		t.Fatalf("bad currency: %v", err)
	}

	// Writes: an update with a mask (PATCH with body "listing"), then a
	// pause and a publish (POST custom methods, body "*") with etags. The
	// gRPC call goes first, the REST call repeats it.
	call := func(rest bool, full string, req proto.Message) (proto.Message, error) {
		t.Helper()
		out := newReply(t, full)
		if rest {
			return out, e.rest.Invoke(t, full, req, out, "")
		}
		return out, conn.Invoke(e.ctx(), full, req, out)
	}
	const updateM = "/temubisnis.v1.ProducerService/UpdateListing"
	update := func(title string, etag string) *pb.UpdateListingRequest {
		return &pb.UpdateListingRequest{
			Listing:    &pb.Listing{Name: listing, Title: title, LeadTimeDays: proto.Int32(0), Etag: etag},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title", "lead_time_days"}},
		}
	}
	g, gerr := call(false, updateM, update("Djembe over gRPC", got.GetEtag()))
	if gerr != nil {
		// Without a token both transports must refuse alike.
		_, rerr := call(true, updateM, update("Djembe over REST", got.GetEtag()))
		gs, rs := status.Convert(gerr), status.Convert(rerr)
		if c := gs.Code(); c != codes.Unauthenticated && c != codes.PermissionDenied {
			t.Fatalf("anonymous update over gRPC: %v", gerr)
		}
		if gs.Code() != rs.Code() || gs.Message() != rs.Message() {
			t.Fatalf("anonymous update: gRPC: %v; REST: %v", gerr, rerr)
		}
		if _, err := both(t, "/temubisnis.v1.ProducerService/PublishListing", &pb.PublishListingRequest{Name: listing, Etag: got.GetEtag()}); status.Code(err) != gs.Code() {
			t.Fatalf("anonymous publish: %v", err)
		}
		t.Logf("writes need a token (%v over both transports); the write comparison stops here", gs.Code())
		return
	}
	gl := g.(*pb.Listing)
	r, err := call(true, updateM, update("Djembe over REST", gl.GetEtag()))
	if err != nil {
		t.Fatalf("update over REST: %v", err)
	}
	rl := r.(*pb.Listing)
	if rl.GetTitle() != "Djembe over REST" || rl.LeadTimeDays == nil || rl.GetLeadTimeDays() != 0 {
		t.Fatalf("REST update: %v", rl)
	}
	ignoreChange := protocmp.IgnoreFields(&pb.Listing{}, "etag", "update_time")
	if diff := cmp.Diff(gl, rl, protocmp.Transform(), ignoreChange, protocmp.IgnoreFields(&pb.Listing{}, "title")); diff != "" {
		t.Fatalf("updates differ beyond the title (-gRPC +REST):\n%s", diff)
	}
	if now := mustBoth(t, "/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: listing}); !proto.Equal(now, rl) {
		t.Fatalf("listing after the REST update: %v, want %v", now, rl)
	}
	// A stale etag is refused alike.
	if _, err := both(t, updateM, update("stale", gl.GetEtag())); status.Code(err) != codes.Aborted && status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("stale etag: %v", err)
	}

	etag := rl.GetEtag()
	var published [2]*pb.Listing
	for i, rest := range []bool{false, true} {
		p, err := call(rest, "/temubisnis.v1.ProducerService/PauseListing", &pb.PauseListingRequest{Name: listing, Etag: etag})
		if err != nil {
			t.Fatalf("pause (REST %v): %v", rest, err)
		}
		if s := p.(*pb.Listing).GetState(); s != pb.Listing_PAUSED {
			t.Fatalf("paused listing (REST %v) is %v", rest, s)
		}
		l, err := call(rest, "/temubisnis.v1.ProducerService/PublishListing", &pb.PublishListingRequest{Name: listing, Etag: p.(*pb.Listing).GetEtag()})
		if err != nil {
			t.Fatalf("publish (REST %v): %v", rest, err)
		}
		published[i] = l.(*pb.Listing)
		etag = published[i].GetEtag()
	}
	if published[1].GetState() != pb.Listing_ACTIVE {
		t.Fatalf("published over REST: %v", published[1].GetState())
	}
	if diff := cmp.Diff(published[0], published[1], protocmp.Transform(), ignoreChange); diff != "" {
		t.Fatalf("publish over gRPC and REST differ (-gRPC +REST):\n%s", diff)
	}
}

// newReply returns an empty reply of the gRPC method full.
func newReply(t *testing.T, full string) proto.Message {
	t.Helper()
	m, err := resttest.NewReply(full)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
