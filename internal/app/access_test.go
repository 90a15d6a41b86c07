package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/notify"
)

// The callers of the role table, in the order of its outcome strings.
const (
	rAnon    = iota // no token
	rOwnerP         // producer A, owner of the producer-side targets
	rOtherP         // producer B
	rOwnerB         // buyer A, owner of the buyer-side targets
	rOtherB         // buyer B
	rOffice         // trade office
	rService        // service account granted every method of the API
	nRoles
)

var roleNames = [nRoles]string{"anonymous", "producer-A", "producer-B", "buyer-A", "buyer-B", "trade-office", "service"}

// world is the data the role table acts on: the demo data plus a few
// resources in the states the rules tell apart.
type world struct {
	e      *env
	tokens [nRoles]string

	producerA, producerB string
	activeA, draftA      string // listings of producer A
	buyerA, buyerB       string
	openA, closedA       string // buying requests of buyer A
	matchA               string // buyer A with producer A's active listing
	quoteA               string // producer A's quote on buyer A's open request
	shipmentA            string // a shipment of a connected match of buyer A and producer A
	requirement          string
	auditEvent           string            // one event of the writes above
	notifications        map[string]string // inbox -> one notification in it
	webhook              string            // a webhook subscription
	listingTemplate      *pb.Listing
	producerTmpl         *pb.Producer
	buyerTmpl            *pb.Buyer
	requirementTmpl      *pb.Requirement
}

func newWorld(t *testing.T, e *env) *world {
	ctx := e.ctx()
	w := &world{e: e,
		producerA: "producers/kendang-jaya-nglegok", producerB: "producers/jimbe-penataran",
		buyerA: "buyers/heartland-drum-supply", buyerB: "buyers/yokohama-aqua-trading",
	}
	ls, err := e.producers.ListListings(ctx, &pb.ListListingsRequest{Parent: w.producerA, Filter: "state = ACTIVE"})
	if err != nil || len(ls.GetListings()) == 0 {
		t.Fatalf("active listing of %s: %v", w.producerA, err)
	}
	w.activeA = ls.GetListings()[0].GetName()
	w.listingTemplate = proto.CloneOf(ls.GetListings()[0])
	w.listingTemplate.Name, w.listingTemplate.Etag, w.listingTemplate.CreateTime, w.listingTemplate.UpdateTime, w.listingTemplate.State = "", "", nil, nil, 0
	draft, err := e.producers.CreateListing(ctx, &pb.CreateListingRequest{Parent: w.producerA, ListingId: "draft-for-access", Listing: w.listingTemplate})
	if err != nil {
		t.Fatal(err)
	}
	w.draftA = draft.GetName()

	rs, err := e.buyers.ListBuyingRequests(ctx, &pb.ListBuyingRequestsRequest{Parent: w.buyerA, Filter: "state = OPEN"})
	if err != nil || len(rs.GetBuyingRequests()) == 0 {
		t.Fatalf("open request of %s: %v", w.buyerA, err)
	}
	w.openA = rs.GetBuyingRequests()[0].GetName()
	tmpl := proto.CloneOf(rs.GetBuyingRequests()[0])
	tmpl.Name, tmpl.Etag, tmpl.CreateTime, tmpl.UpdateTime, tmpl.State, tmpl.ExpireTime = "", "", nil, nil, 0, nil
	closed, err := e.buyers.CreateBuyingRequest(ctx, &pb.CreateBuyingRequestRequest{Parent: w.buyerA, BuyingRequestId: "closed-for-access", BuyingRequest: tmpl})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.buyers.CloseBuyingRequest(ctx, &pb.CloseBuyingRequestRequest{Name: closed.GetName()}); err != nil {
		t.Fatal(err)
	}
	w.closedA = closed.GetName()

	m, err := e.matches.CreateMatch(ctx, &pb.CreateMatchRequest{Match: &pb.Match{
		BuyingRequest: w.openA, ProposedBy: pb.Party_TRADE_OFFICE,
		Members: []*pb.MatchMember{{Listing: w.activeA}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	w.matchA = m.GetName()

	// The quote needs a listing of producer A that passes the request's
	// hard constraints: the djembe of the template, shipped to the US.
	lt := proto.CloneOf(w.listingTemplate)
	lt.ShipToCountryCodes = append(lt.ShipToCountryCodes, "US")
	ql, err := e.producers.CreateListing(ctx, &pb.CreateListingRequest{Parent: w.producerA, ListingId: "quote-for-access", Listing: lt})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.producers.PublishListing(ctx, &pb.PublishListingRequest{Name: ql.GetName()}); err != nil {
		t.Fatal(err)
	}
	fitting := ql.GetName()
	q, err := pb.NewQuoteServiceClient(e.conn).CreateQuote(ctx, &pb.CreateQuoteRequest{Parent: w.openA, Quote: &pb.Quote{
		Producer: w.producerA, Listings: []string{fitting}, Terms: tableQuoteTerms(),
	}})
	if err != nil {
		t.Fatal(err)
	}
	w.quoteA = q.GetName()
	w.shipmentA = tableShipment(t, e, w.openA, fitting)

	p, err := e.producers.GetProducer(ctx, &pb.GetProducerRequest{Name: w.producerA})
	if err != nil {
		t.Fatal(err)
	}
	w.producerTmpl = p
	b, err := e.buyers.GetBuyer(ctx, &pb.GetBuyerRequest{Name: w.buyerA})
	if err != nil {
		t.Fatal(err)
	}
	w.buyerTmpl = b
	reqs, err := pb.NewRequirementServiceClient(e.conn).ListRequirements(ctx, &pb.ListRequirementsRequest{PageSize: 1})
	if err != nil || len(reqs.GetRequirements()) == 0 {
		t.Fatalf("requirements: %v", err)
	}
	w.requirement = reqs.GetRequirements()[0].GetName()
	w.requirementTmpl = proto.CloneOf(reqs.GetRequirements()[0])
	w.requirementTmpl.Name, w.requirementTmpl.Etag, w.requirementTmpl.CreateTime, w.requirementTmpl.UpdateTime = "", "", nil, nil

	// The writes above were audited before they answered.
	evs, err := pb.NewAuditServiceClient(e.conn).ListAuditEvents(ctx, &pb.ListAuditEventsRequest{PageSize: 1})
	if err != nil || len(evs.GetAuditEvents()) == 0 {
		t.Fatalf("audit events: %v", err)
	}
	w.auditEvent = evs.GetAuditEvents()[0].GetName()

	w.notifications = notificationsFor(t, e, w.producerA, w.buyerA, notify.TradeOffice)
	w.webhook = subscribe(t, e, "https://crm.example.com/hooks", string(notify.DealRecorded))

	var all []string
	protoregistry.GlobalFiles.RangeFilesByPackage("temubisnis.v1", func(fd protoreflect.FileDescriptor) bool {
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			for j := 0; j < sd.Methods().Len(); j++ {
				all = append(all, "/"+string(sd.FullName())+"/"+string(sd.Methods().Get(j).Name()))
			}
		}
		return true
	})
	w.tokens = [nRoles]string{
		rAnon:    "",
		rOwnerP:  e.token(auth.RoleProducer, w.producerA),
		rOtherP:  e.token(auth.RoleProducer, w.producerB),
		rOwnerB:  e.token(auth.RoleBuyer, w.buyerA),
		rOtherB:  e.token(auth.RoleBuyer, w.buyerB),
		rOffice:  e.admin,
		rService: mintToken(t, e.dataDir, auth.Principal{Subject: "svc:reporting", Role: auth.RoleService, Methods: all}),
	}
	return w
}

// stale is an etag no resource has: a write that takes an etag and passes
// the policy then fails with ABORTED and changes nothing, so the table can
// try updates, deletes and state changes on the shared world without
// destroying it. Creates and match answers take no etag and do run: the
// table accepts any answer but the policy's for an allowed caller ('+'), and
// their success paths are tested in matches_test.go and grpc_test.go.
const stale = "v999999"

// roleCase is one row of the role table: a call and, per caller, the
// outcome: '.' OK; '+' allowed (any answer the policy would not give:
// OK, ABORTED, ALREADY_EXISTS, FAILED_PRECONDITION...); 'U'
// UNAUTHENTICATED; 'D' PERMISSION_DENIED; 'N' NOT_FOUND.
type roleCase struct {
	name   string
	method string
	req    func(w *world) proto.Message
	want   string // one letter per caller: anon, P-A, P-B, B-A, B-B, office, service
}

func roleTable() []roleCase {
	ps, bs, rs, ss, ms := "/temubisnis.v1.ProducerService/", "/temubisnis.v1.BuyerService/", "/temubisnis.v1.RequirementService/", "/temubisnis.v1.SearchService/", "/temubisnis.v1.MatchService/"
	sh := "/temubisnis.v1.ShipmentService/"
	mask := func(paths ...string) *fieldmaskpb.FieldMask { return &fieldmaskpb.FieldMask{Paths: paths} }
	ns, ws := "/temubisnis.v1.NotificationService/", "/temubisnis.v1.WebhookService/"
	return []roleCase{
		// Producers.
		{"create own producer", ps + "CreateProducer", func(w *world) proto.Message {
			p := proto.CloneOf(w.producerTmpl)
			p.Name, p.Etag, p.CreateTime, p.UpdateTime, p.VerificationState = "", "", nil, nil, 0
			return &pb.CreateProducerRequest{ProducerId: "kendang-jaya-nglegok", Producer: p}
		}, "U+DDD+D"},
		{"get producer", ps + "GetProducer", func(w *world) proto.Message { return &pb.GetProducerRequest{Name: w.producerA} }, "......."},
		{"list producers", ps + "ListProducers", func(w *world) proto.Message { return &pb.ListProducersRequest{PageSize: 5} }, "......."},
		{"update producer", ps + "UpdateProducer", func(w *world) proto.Message {
			return &pb.UpdateProducerRequest{Producer: &pb.Producer{Name: w.producerA, DisplayName: "X", Etag: stale}, UpdateMask: mask("display_name")}
		}, "U+DDD+D"},
		{"delete producer", ps + "DeleteProducer", func(w *world) proto.Message { return &pb.DeleteProducerRequest{Name: w.producerA, Etag: stale} }, "U+DDD+D"},
		{"verify producer", ps + "VerifyProducer", func(w *world) proto.Message {
			return &pb.VerifyProducerRequest{Name: w.producerA, VerificationState: pb.VerificationState_VERIFIED, Etag: stale}
		}, "UDDDD+D"},

		// Listings.
		{"create listing", ps + "CreateListing", func(w *world) proto.Message {
			return &pb.CreateListingRequest{Parent: w.producerA, ListingId: "table-listing", Listing: w.listingTemplate}
		}, "U+DDD+D"},
		{"get active listing", ps + "GetListing", func(w *world) proto.Message { return &pb.GetListingRequest{Name: w.activeA} }, "......."},
		{"get draft listing", ps + "GetListing", func(w *world) proto.Message { return &pb.GetListingRequest{Name: w.draftA} }, "N.NNN.."},
		{"list listings", ps + "ListListings", func(w *world) proto.Message { return &pb.ListListingsRequest{Parent: w.producerA} }, "......."},
		{"update active listing", ps + "UpdateListing", func(w *world) proto.Message {
			return &pb.UpdateListingRequest{Listing: &pb.Listing{Name: w.activeA, Title: "X", Etag: stale}, UpdateMask: mask("title")}
		}, "U+DDD+D"},
		{"update draft listing", ps + "UpdateListing", func(w *world) proto.Message {
			return &pb.UpdateListingRequest{Listing: &pb.Listing{Name: w.draftA, Title: "X", Etag: stale}, UpdateMask: mask("title")}
		}, "U+NNN+D"},
		{"delete draft listing", ps + "DeleteListing", func(w *world) proto.Message { return &pb.DeleteListingRequest{Name: w.draftA, Etag: stale} }, "U+NNN+D"},
		{"publish draft listing", ps + "PublishListing", func(w *world) proto.Message { return &pb.PublishListingRequest{Name: w.draftA, Etag: stale} }, "U+NNN+D"},
		{"pause active listing", ps + "PauseListing", func(w *world) proto.Message { return &pb.PauseListingRequest{Name: w.activeA, Etag: stale} }, "U+DDD+D"},
		{"archive active listing", ps + "ArchiveListing", func(w *world) proto.Message { return &pb.ArchiveListingRequest{Name: w.activeA, Etag: stale} }, "U+DDD+D"},

		// Buyers.
		{"create own buyer", bs + "CreateBuyer", func(w *world) proto.Message {
			b := proto.CloneOf(w.buyerTmpl)
			b.Name, b.Etag, b.CreateTime, b.UpdateTime, b.VerificationState = "", "", nil, nil, 0
			return &pb.CreateBuyerRequest{BuyerId: "heartland-drum-supply", Buyer: b}
		}, "UDD+D+D"},
		{"get buyer", bs + "GetBuyer", func(w *world) proto.Message { return &pb.GetBuyerRequest{Name: w.buyerA} }, "UNN.N.."},
		{"list buyers", bs + "ListBuyers", func(w *world) proto.Message { return &pb.ListBuyersRequest{} }, "UDDDD.."},
		{"update buyer", bs + "UpdateBuyer", func(w *world) proto.Message {
			return &pb.UpdateBuyerRequest{Buyer: &pb.Buyer{Name: w.buyerA, DisplayName: "X", Etag: stale}, UpdateMask: mask("display_name")}
		}, "UNN+N+D"},
		{"delete buyer", bs + "DeleteBuyer", func(w *world) proto.Message { return &pb.DeleteBuyerRequest{Name: w.buyerA, Etag: stale} }, "UNN+N+D"},
		{"verify buyer", bs + "VerifyBuyer", func(w *world) proto.Message {
			return &pb.VerifyBuyerRequest{Name: w.buyerA, VerificationState: pb.VerificationState_VERIFIED, Etag: stale}
		}, "UNNDN+D"},

		// Buying requests.
		{"create buying request", bs + "CreateBuyingRequest", func(w *world) proto.Message {
			return &pb.CreateBuyingRequestRequest{Parent: w.buyerA, BuyingRequest: &pb.BuyingRequest{}}
		}, "UNN+N+D"},
		{"get open request", bs + "GetBuyingRequest", func(w *world) proto.Message { return &pb.GetBuyingRequestRequest{Name: w.openA} }, "U...N.."},
		{"get closed request", bs + "GetBuyingRequest", func(w *world) proto.Message { return &pb.GetBuyingRequestRequest{Name: w.closedA} }, "UNN.N.."},
		{"list buyer's requests", bs + "ListBuyingRequests", func(w *world) proto.Message { return &pb.ListBuyingRequestsRequest{Parent: w.buyerA} }, "U...N.."},
		{"update open request", bs + "UpdateBuyingRequest", func(w *world) proto.Message {
			return &pb.UpdateBuyingRequestRequest{BuyingRequest: &pb.BuyingRequest{Name: w.openA, Title: "X", Etag: stale}, UpdateMask: mask("title")}
		}, "UDD+N+D"},
		{"delete open request", bs + "DeleteBuyingRequest", func(w *world) proto.Message { return &pb.DeleteBuyingRequestRequest{Name: w.openA, Etag: stale} }, "UDD+N+D"},
		{"close open request", bs + "CloseBuyingRequest", func(w *world) proto.Message { return &pb.CloseBuyingRequestRequest{Name: w.openA, Etag: stale} }, "UDD+N+D"},
		{"close closed request", bs + "CloseBuyingRequest", func(w *world) proto.Message { return &pb.CloseBuyingRequestRequest{Name: w.closedA, Etag: stale} }, "UNN+N+D"},

		// Requirements.
		{"create requirement", rs + "CreateRequirement", func(w *world) proto.Message {
			return &pb.CreateRequirementRequest{Requirement: w.requirementTmpl, RequirementId: "table-requirement"}
		}, "UDDDD+D"},
		{"get requirement", rs + "GetRequirement", func(w *world) proto.Message { return &pb.GetRequirementRequest{Name: w.requirement} }, "......."},
		{"list requirements", rs + "ListRequirements", func(w *world) proto.Message { return &pb.ListRequirementsRequest{} }, "......."},
		{"update requirement", rs + "UpdateRequirement", func(w *world) proto.Message {
			return &pb.UpdateRequirementRequest{Requirement: &pb.Requirement{Name: w.requirement, Etag: stale, Title: "X"}, UpdateMask: mask("title")}
		}, "UDDDD+D"},
		{"delete requirement", rs + "DeleteRequirement", func(w *world) proto.Message { return &pb.DeleteRequirementRequest{Name: w.requirement, Etag: stale} }, "UDDDD+D"},
		{"lookup requirements", rs + "LookupRequirements", func(w *world) proto.Message {
			return &pb.LookupRequirementsRequest{Category: pb.Category_MUSICAL_INSTRUMENT, DestinationCountryCode: "US"}
		}, "......."},
		{"readiness of active listing", rs + "CheckReadiness", func(w *world) proto.Message {
			return &pb.CheckReadinessRequest{Name: w.activeA, DestinationCountryCode: "US"}
		}, "......."},
		{"readiness of draft listing", rs + "CheckReadiness", func(w *world) proto.Message {
			return &pb.CheckReadinessRequest{Name: w.draftA, DestinationCountryCode: "US"}
		}, "N.NNN.."},
		{"training needs", rs + "ListTrainingNeeds", func(w *world) proto.Message { return &pb.ListTrainingNeedsRequest{} }, "UDDDD.."},
		{"expiring certifications", rs + "ListExpiringCertifications", func(w *world) proto.Message { return &pb.ListExpiringCertificationsRequest{WithinDays: 60} }, "UDDDD.."},

		// Search and exchange rates.
		{"search", ss + "SearchListings", func(w *world) proto.Message { return &pb.SearchListingsRequest{Query: "djembe"} }, "......."},
		{"get exchange rates", ss + "GetExchangeRates", func(w *world) proto.Message { return &pb.GetExchangeRatesRequest{Name: "exchangeRates"} }, "......."},
		{"update exchange rates", ss + "UpdateExchangeRates", func(w *world) proto.Message {
			return &pb.UpdateExchangeRatesRequest{ExchangeRates: &pb.ExchangeRates{Name: "exchangeRates", Etag: stale}, UpdateMask: mask("rates")}
		}, "UDDDD+D"},

		// Matching and matches.
		{"match a request", ms + "MatchBuyingRequest", func(w *world) proto.Message { return &pb.MatchBuyingRequestRequest{Name: w.openA} }, "UDD.N.."},
		{"recommend for a producer", ms + "RecommendBuyingRequests", func(w *world) proto.Message { return &pb.RecommendBuyingRequestsRequest{Name: w.producerA} }, "U.DDD.."},
		{"recommend for a draft", ms + "RecommendBuyingRequests", func(w *world) proto.Message { return &pb.RecommendBuyingRequestsRequest{Name: w.draftA} }, "U.NNN.."},
		{"buyer proposes", ms + "CreateMatch", func(w *world) proto.Message {
			return &pb.CreateMatchRequest{RequestId: "table-buyer", Match: &pb.Match{BuyingRequest: w.openA, ProposedBy: pb.Party_BUYER, Members: []*pb.MatchMember{{Listing: w.activeA}}}}
		}, "UDD+N+D"},
		{"producer proposes", ms + "CreateMatch", func(w *world) proto.Message {
			return &pb.CreateMatchRequest{RequestId: "table-producer", Match: &pb.Match{BuyingRequest: w.openA, ProposedBy: pb.Party_PRODUCER_SIDE, Members: []*pb.MatchMember{{Listing: w.activeA}}}}
		}, "U+DDN+D"},
		{"get match", ms + "GetMatch", func(w *world) proto.Message { return &pb.GetMatchRequest{Name: w.matchA} }, "U.N.N.."},
		{"list matches", ms + "ListMatches", func(w *world) proto.Message { return &pb.ListMatchesRequest{} }, "U......"},
		{"accept as buyer", ms + "AcceptMatch", func(w *world) proto.Message {
			return &pb.AcceptMatchRequest{Name: w.matchA, Party: pb.Party_BUYER}
		}, "UDN+N+D"},
		{"accept as member", ms + "AcceptMatch", func(w *world) proto.Message {
			return &pb.AcceptMatchRequest{Name: w.matchA, Party: pb.Party_PRODUCER_SIDE, Producer: w.producerA}
		}, "U+NDN+D"},
		{"decline as member", ms + "DeclineMatch", func(w *world) proto.Message {
			return &pb.DeclineMatchRequest{Name: w.matchA, Party: pb.Party_PRODUCER_SIDE, Producer: w.producerA}
		}, "U+NDN+D"},
		{"close match", ms + "CloseMatch", func(w *world) proto.Message { return &pb.CloseMatchRequest{Name: w.matchA, NoDealReason: "price"} }, "U+N+N+D"},

		// Quotes are sealed: the quoting firm and the request's buyer see a
		// quote, nobody else knows it exists. Writes that pass the policy
		// are sent with an invalid field, so they are refused by the
		// handler ('+') and change nothing.
		{"create quote", qs + "CreateQuote", func(w *world) proto.Message {
			return &pb.CreateQuoteRequest{Parent: w.openA, Quote: &pb.Quote{Producer: w.producerA, Listings: []string{w.activeA}}}
		}, "U+DDN+D"},
		{"get quote", qs + "GetQuote", func(w *world) proto.Message { return &pb.GetQuoteRequest{Name: w.quoteA} }, "U.N.N.."},
		{"list quotes", qs + "ListQuotes", func(w *world) proto.Message { return &pb.ListQuotesRequest{Parent: w.openA} }, "U...N.."},
		{"revise quote", qs + "ReviseQuote", func(w *world) proto.Message { return &pb.ReviseQuoteRequest{Name: w.quoteA} }, "U+NDN+D"},
		{"compare quotes", qs + "CompareQuotes", func(w *world) proto.Message { return &pb.CompareQuotesRequest{Parent: w.openA} }, "UDD.N.."},
		{"accept quote", qs + "AcceptQuote", func(w *world) proto.Message {
			return &pb.AcceptQuoteRequest{Name: w.quoteA, DeclineReason: strings.Repeat("x", 1001)}
		}, "UDN+N+D"},
		{"decline quote", qs + "DeclineQuote", func(w *world) proto.Message {
			return &pb.DeclineQuoteRequest{Name: w.quoteA, Reason: strings.Repeat("x", 1001)}
		}, "UDN+N+D"},

		// Shipments belong to the parties of their match; the producer
		// records them, either party keeps the papers.
		{"create shipment", sh + "CreateShipment", func(w *world) proto.Message {
			return &pb.CreateShipmentRequest{Parent: strings.Split(w.shipmentA, "/shipments/")[0], Shipment: &pb.Shipment{}}
		}, "U+NDN+D"},
		{"get shipment", sh + "GetShipment", func(w *world) proto.Message { return &pb.GetShipmentRequest{Name: w.shipmentA} }, "U.N.N.."},
		{"list a match's shipments", sh + "ListShipments", func(w *world) proto.Message {
			return &pb.ListShipmentsRequest{Parent: strings.Split(w.shipmentA, "/shipments/")[0]}
		}, "U.N.N.."},
		{"list all shipments", sh + "ListShipments", func(w *world) proto.Message { return &pb.ListShipmentsRequest{Parent: "matches/-"} }, "U......"},
		{"update shipment", sh + "UpdateShipment", func(w *world) proto.Message {
			return &pb.UpdateShipmentRequest{Shipment: &pb.Shipment{Name: w.shipmentA, PortOfLoading: "Juanda", Etag: stale}}
		}, "U+NDN+D"},
		{"update shipment paper", sh + "UpdateShipmentDocument", func(w *world) proto.Message {
			return &pb.UpdateShipmentDocumentRequest{Name: w.shipmentA, Document: "x", State: pb.ShipmentDocument_FILED, Etag: stale}
		}, "U+N+N+D"},

		// The programme's figures are the trade office's.
		{"export statistics", "/temubisnis.v1.StatisticsService/GetExportStatistics", func(w *world) proto.Message { return &pb.GetExportStatisticsRequest{} }, "UDDDD.."},
		{"export statistics CSV", "/temubisnis.v1.StatisticsService/DownloadExportStatistics", func(w *world) proto.Message { return &pb.DownloadExportStatisticsRequest{} }, "UDDDD.."},
		{"export chart", "/temubisnis.v1.StatisticsService/RenderExportChart", func(w *world) proto.Message { return &pb.RenderExportChartRequest{Chart: "funnel"} }, "UDDDD.."},

		// The audit trail.
		{"list audit events", "/temubisnis.v1.AuditService/ListAuditEvents", func(w *world) proto.Message { return &pb.ListAuditEventsRequest{} }, "UDDDD.."},
		{"get audit event", "/temubisnis.v1.AuditService/GetAuditEvent", func(w *world) proto.Message { return &pb.GetAuditEventRequest{Name: w.auditEvent} }, "UDDDD.."},

		// Inboxes, notification settings and webhooks.
		{"list producer's notifications", ns + "ListNotifications", func(w *world) proto.Message { return &pb.ListNotificationsRequest{Parent: w.producerA} }, "U.DDD.."},
		{"list buyer's notifications", ns + "ListNotifications", func(w *world) proto.Message { return &pb.ListNotificationsRequest{Parent: w.buyerA} }, "UNN.N.."},
		{"list trade office's notifications", ns + "ListNotifications", func(w *world) proto.Message { return &pb.ListNotificationsRequest{Parent: notify.TradeOffice} }, "UDDDD.."},
		{"mark producer's notification read", ns + "MarkNotificationRead", func(w *world) proto.Message {
			return &pb.MarkNotificationReadRequest{Name: w.notifications[w.producerA]}
		}, "U+DDD+D"},
		{"mark buyer's notification read", ns + "MarkNotificationRead", func(w *world) proto.Message {
			return &pb.MarkNotificationReadRequest{Name: w.notifications[w.buyerA]}
		}, "UNN+N+D"},
		{"mark trade office's notification read", ns + "MarkNotificationRead", func(w *world) proto.Message {
			return &pb.MarkNotificationReadRequest{Name: w.notifications[notify.TradeOffice]}
		}, "UDDDD+D"},
		{"get producer's settings", ns + "GetNotificationSettings", func(w *world) proto.Message {
			return &pb.GetNotificationSettingsRequest{Name: w.producerA + "/notificationSettings"}
		}, "U.DDD.."},
		{"get buyer's settings", ns + "GetNotificationSettings", func(w *world) proto.Message {
			return &pb.GetNotificationSettingsRequest{Name: w.buyerA + "/notificationSettings"}
		}, "UNN.N.."},
		{"update producer's settings", ns + "UpdateNotificationSettings", func(w *world) proto.Message {
			return &pb.UpdateNotificationSettingsRequest{NotificationSettings: &pb.NotificationSettings{Name: w.producerA + "/notificationSettings", LanguageCode: "en", Etag: stale}, UpdateMask: mask("language_code")}
		}, "U+DDD+D"},
		{"update buyer's settings", ns + "UpdateNotificationSettings", func(w *world) proto.Message {
			return &pb.UpdateNotificationSettingsRequest{NotificationSettings: &pb.NotificationSettings{Name: w.buyerA + "/notificationSettings", LanguageCode: "en", Etag: stale}, UpdateMask: mask("language_code")}
		}, "UNN+N+D"},
		{"create webhook subscription", ws + "CreateWebhookSubscription", func(w *world) proto.Message {
			return &pb.CreateWebhookSubscriptionRequest{RequestId: "table-webhook", WebhookSubscription: &pb.WebhookSubscription{
				Uri: "https://crm.example.com/table", Secret: hookSecret, EventTypes: []string{string(notify.DealRecorded)}}}
		}, "UDDDD+D"},
		{"get webhook subscription", ws + "GetWebhookSubscription", func(w *world) proto.Message { return &pb.GetWebhookSubscriptionRequest{Name: w.webhook} }, "UDDDD.."},
		{"list webhook subscriptions", ws + "ListWebhookSubscriptions", func(w *world) proto.Message { return &pb.ListWebhookSubscriptionsRequest{} }, "UDDDD.."},
		{"delete webhook subscription", ws + "DeleteWebhookSubscription", func(w *world) proto.Message {
			// Not a valid id: the trade office is let in and told so,
			// and the shared subscription survives the table.
			return &pb.DeleteWebhookSubscriptionRequest{Name: "webhookSubscriptions/Not-Valid"}
		}, "UDDDD+D"},
		{"list webhook deliveries", ws + "ListWebhookDeliveries", func(w *world) proto.Message { return &pb.ListWebhookDeliveriesRequest{Parent: w.webhook} }, "UDDDD.."},
		{"watch events (gRPC only)", ws + "WatchEvents", func(w *world) proto.Message { return &pb.WatchEventsRequest{} }, "UDDDD.."},
	}
}

// outcome classifies a gRPC code the way the table writes it.
func outcome(c codes.Code) byte {
	switch c {
	case codes.OK:
		return '.'
	case codes.Unauthenticated:
		return 'U'
	case codes.PermissionDenied:
		return 'D'
	case codes.NotFound:
		return 'N'
	case codes.Internal, codes.Unknown, codes.Unavailable, codes.Unimplemented:
		return '!'
	}
	return '+'
}

var httpToCode = map[int]codes.Code{
	http.StatusOK: codes.OK, http.StatusUnauthorized: codes.Unauthenticated, http.StatusForbidden: codes.PermissionDenied,
	http.StatusNotFound: codes.NotFound, http.StatusConflict: codes.Aborted, http.StatusBadRequest: codes.InvalidArgument,
	http.StatusInternalServerError: codes.Internal, http.StatusServiceUnavailable: codes.Unavailable,
	http.StatusTooManyRequests: codes.ResourceExhausted, http.StatusNotImplemented: codes.Unimplemented,
}

func matches(want byte, got codes.Code) bool {
	o := outcome(got)
	if want == '+' {
		return o == '+' || o == '.'
	}
	return o == want
}

// TestRoleTable runs every method of the API as every kind of caller, over
// gRPC and over REST, and checks who is let in, who is refused and who is
// told the resource does not exist.
func TestRoleTable(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})
	w := newWorld(t, e)
	cases := roleTable()

	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.method] = true
	}
	protoregistry.GlobalFiles.RangeFilesByPackage("temubisnis.v1", func(fd protoreflect.FileDescriptor) bool {
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			for j := 0; j < sd.Methods().Len(); j++ {
				if m := "/" + string(sd.FullName()) + "/" + string(sd.Methods().Get(j).Name()); !covered[m] {
					t.Errorf("the role table has no row for %s", m)
				}
			}
		}
		return true
	})

	for _, tc := range cases {
		if len(tc.want) != nRoles {
			t.Fatalf("%s: outcome string %q needs %d letters", tc.name, tc.want, nRoles)
		}
		t.Run(tc.name, func(t *testing.T) {
			for role := 0; role < nRoles; role++ {
				want := tc.want[role]
				got := callGRPC(t, e, tc.method, tc.req(w), w.tokens[role])
				if !matches(want, status.Code(got)) {
					t.Errorf("gRPC as %s: %v, want %c", roleNames[role], got, want)
				}
				if !hasREST(tc.method) {
					continue
				}
				codeREST, body := e.rest.Call(t, tc.method, tc.req(w), w.tokens[role])
				gotREST, ok := httpToCode[codeREST]
				if !ok {
					gotREST = codes.FailedPrecondition // 412 and others: an answer the policy does not give
					if codeREST >= 500 {
						gotREST = codes.Internal
					}
				}
				if !matches(want, gotREST) {
					t.Errorf("REST as %s: HTTP %d %s, want %c", roleNames[role], codeREST, body, want)
				}
			}
		})
	}
}

// callGRPC invokes any method of the API with a token ("" for none).
func callGRPC(t *testing.T, e *env, method string, req proto.Message, token string) error {
	t.Helper()
	i := strings.LastIndex(method, "/")
	sd, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(strings.Trim(method[:i], "/")))
	if err != nil {
		t.Fatal(err)
	}
	md := sd.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(method[i+1:]))
	if md == nil {
		t.Fatalf("no method %s", method)
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
	if err != nil {
		t.Fatal(err)
	}
	resp := mt.New().Interface()
	if md.IsStreamingServer() {
		return openStream(e, method, req, token)
	}
	return e.conn.Invoke(as(context.Background(), token), method, req, resp)
}

// openStream starts a server stream and returns how it was answered: nil
// once the server accepted it (its headers came), else the refusal.
func openStream(e *env, method string, req proto.Message, token string) error {
	ctx, cancel := context.WithCancel(as(context.Background(), token))
	defer cancel()
	st, err := e.conn.NewStream(ctx, &grpc.StreamDesc{ServerStreams: true}, method)
	if err != nil {
		return err
	}
	if err := st.SendMsg(req); err != nil {
		return err
	}
	if err := st.CloseSend(); err != nil {
		return err
	}
	if hdr, err := st.Header(); err != nil || hdr == nil {
		// Ended without headers: RecvMsg tells the status.
		return st.RecvMsg(&emptypb.Empty{})
	}
	return nil
}

// hasREST reports whether method has a REST binding (streams have none).
func hasREST(method string) bool {
	i := strings.LastIndex(method, "/")
	sd, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(strings.Trim(method[:i], "/")))
	if err != nil {
		return false
	}
	md := sd.(protoreflect.ServiceDescriptor).Methods().ByName(protoreflect.Name(method[i+1:]))
	return md != nil && proto.HasExtension(md.Options(), annotations.E_Http)
}
