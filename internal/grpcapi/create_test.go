package grpcapi

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/shipment"
	"github.com/adiekspor/temubisnis/internal/store"
)

// createStores is the storage behind the Create methods: it knows the
// producers, buyers and listings in known and the matches in matches,
// records every call and stores nothing.
type createStores struct {
	ProducerStore
	ListingStore
	BuyerStore
	BuyingRequestStore
	RequirementStore
	MatchStore
	ShipmentStore
	known   map[string]bool
	calls   []string
	created proto.Message
	request string
	matches map[string]*pb.Match
}

func (s *createStores) GetProducer(_ context.Context, name string) (*pb.Producer, error) {
	s.calls = append(s.calls, "GetProducer "+name)
	if !s.known[name] {
		return nil, store.ErrNotFound
	}
	return &pb.Producer{Name: name}, nil
}

func (s *createStores) GetBuyer(_ context.Context, name string) (*pb.Buyer, error) {
	s.calls = append(s.calls, "GetBuyer "+name)
	if !s.known[name] {
		return nil, store.ErrNotFound
	}
	return &pb.Buyer{Name: name, CountryCode: "JP"}, nil
}

func (s *createStores) GetListing(_ context.Context, name string) (*pb.Listing, error) {
	s.calls = append(s.calls, "GetListing "+name)
	if !s.known[name] {
		return nil, store.ErrNotFound
	}
	return &pb.Listing{Name: name, HsCode: "030111", Category: pb.Category_ORNAMENTAL_FISH}, nil
}

func (s *createStores) GetMatch(_ context.Context, name string) (*pb.Match, error) {
	s.calls = append(s.calls, "GetMatch "+name)
	m, ok := s.matches[name]
	if !ok {
		return nil, store.ErrNotFound
	}
	return proto.CloneOf(m), nil
}

func (s *createStores) GetBuyingRequest(_ context.Context, name string) (*pb.BuyingRequest, error) {
	s.calls = append(s.calls, "GetBuyingRequest "+name)
	if !s.known[name] {
		return nil, store.ErrNotFound
	}
	return &pb.BuyingRequest{Name: name, HsPrefix: "0301"}, nil
}

func (s *createStores) AllRequirements(context.Context) ([]*pb.Requirement, error) {
	s.calls = append(s.calls, "AllRequirements")
	return nil, nil
}

func (s *createStores) stored(m proto.Message, requestID string) {
	s.calls = append(s.calls, "Create")
	s.created, s.request = proto.Clone(m), requestID
}

func (s *createStores) CreateProducer(_ context.Context, p *pb.Producer, requestID string) (*pb.Producer, error) {
	s.stored(p, requestID)
	return p, nil
}

func (s *createStores) CreateListing(_ context.Context, l *pb.Listing, requestID string) (*pb.Listing, error) {
	s.stored(l, requestID)
	return l, nil
}

func (s *createStores) CreateBuyer(_ context.Context, b *pb.Buyer, requestID string) (*pb.Buyer, error) {
	s.stored(b, requestID)
	return b, nil
}

func (s *createStores) CreateBuyingRequest(_ context.Context, r *pb.BuyingRequest, requestID string) (*pb.BuyingRequest, error) {
	s.stored(r, requestID)
	return r, nil
}

func (s *createStores) CreateRequirement(_ context.Context, r *pb.Requirement, requestID string) (*pb.Requirement, error) {
	s.stored(r, requestID)
	return r, nil
}

func (s *createStores) CreateShipment(_ context.Context, sh *pb.Shipment, requestID string) (*pb.Shipment, error) {
	s.stored(sh, requestID)
	return sh, nil
}

func createProducer() *pb.Producer {
	return &pb.Producer{DisplayName: "Jimbe Jaya Nglegok", Kind: pb.Producer_PRODUCER, District: "Nglegok"}
}

func createBuyer() *pb.Buyer {
	return &pb.Buyer{
		DisplayName: "Wan Chai Nusantara Foods", CountryCode: "HK", BusinessType: pb.Buyer_IMPORTER,
		Contact: &pb.Contact{Email: "buying@example.hk"},
	}
}

func createListing() *pb.Listing {
	return &pb.Listing{Title: "Djembe 60 cm", Category: pb.Category_MUSICAL_INSTRUMENT, HsCode: "920600", Unit: "piece"}
}

// createNow is the clock of the Create tests.
var createNow = time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)

func createBuyingRequest() *pb.BuyingRequest {
	return &pb.BuyingRequest{Title: "Kohaku for spring", Category: pb.Category_ORNAMENTAL_FISH, Quantity: 200, Unit: "fish"}
}

func createRequirement() *pb.Requirement {
	return &pb.Requirement{
		Title: "US APHIS import permit", Category: pb.Category_ORNAMENTAL_FISH, DestinationCountryCode: "US",
		Kind: pb.Requirement_PERMIT, Obligation: pb.Requirement_MANDATORY, ResponsibleParty: pb.Requirement_IMPORTER,
		Confirmation: pb.Requirement_TO_VERIFY,
	}
}

func createShipment() *pb.Shipment {
	return &pb.Shipment{
		PlannedDepartureDate: &date.Date{Year: 2027, Month: 1, Day: 15}, Quantity: 200,
		Value: &money.Money{CurrencyCode: "USD", Units: 4000}, Mode: pb.Shipment_AIR,
		PortOfLoading: "Juanda, Surabaya", ExportRoute: pb.Shipment_OWN_NAME,
	}
}

// createdShipment is what CreateShipment stores for createShipment on the
// connected match matches/m-1 (see TestCreate's stores).
func createdShipment(name string) *pb.Shipment {
	sh := createShipment()
	sh.Name = name
	sh.DestinationCountryCode, sh.HsCode, sh.Category = "JP", "030111", pb.Category_ORNAMENTAL_FISH
	sh.Producer, sh.Buyer = "producers/jimbe", "buyers/osaka"
	sh.Documents = shipment.Checklist(nil, "030111", pb.Category_ORNAMENTAL_FISH, "JP", pb.Shipment_OWN_NAME, sh.GetPlannedDepartureDate())
	return sh
}

// shipmentCalls are the reads CreateShipment makes on matches/m-1, in order,
// and its write.
var shipmentCalls = []string{
	"GetMatch matches/m-1", "GetBuyingRequest buyers/osaka/buyingRequests/koi", "GetBuyer buyers/osaka",
	"GetListing producers/jimbe/listings/koi", "AllRequirements", "Create",
}

// withOutputOnly sets, on a copy of m, every field a caller may not write.
func withOutputOnly[M proto.Message](m M) M {
	m = proto.CloneOf(m)
	ts := timestamppb.New(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	switch x := any(m).(type) {
	case *pb.Producer:
		x.Name, x.CreateTime, x.UpdateTime, x.Etag = "producers/forged", ts, ts, "forged"
		x.VerificationState, x.VerificationNote = pb.VerificationState_VERIFIED, "forged"
	case *pb.Buyer:
		x.Name, x.CreateTime, x.UpdateTime, x.Etag = "buyers/forged", ts, ts, "forged"
		x.VerificationState, x.VerificationNote = pb.VerificationState_VERIFIED, "forged"
	case *pb.Listing:
		x.Name, x.CreateTime, x.UpdateTime, x.Etag = "producers/p/listings/forged", ts, ts, "forged"
		x.State = pb.Listing_ACTIVE
	case *pb.BuyingRequest:
		x.Name, x.CreateTime, x.UpdateTime, x.Etag = "buyers/b/buyingRequests/forged", ts, ts, "forged"
		x.State = pb.BuyingRequest_CLOSED
	case *pb.Requirement:
		x.Name, x.CreateTime, x.UpdateTime, x.Etag = "requirements/forged", ts, ts, "forged"
	case *pb.Shipment:
		x.Name, x.CreateTime, x.UpdateTime, x.Etag = "matches/forged/shipments/forged", ts, ts, "forged"
		x.DestinationCountryCode, x.HsCode, x.Category = "XX", "999999", pb.Category_MUSICAL_INSTRUMENT
		x.Producer, x.Buyer = "producers/forged", "buyers/forged"
		x.Documents = []*pb.ShipmentDocument{{Id: "forged"}}
	}
	return m
}

// violations returns the code of err and the fields of its violations in order.
func violations(err error) (codes.Code, []string) {
	st := status.Convert(err)
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				fields = append(fields, fv.GetField())
			}
		}
	}
	return st.Code(), fields
}

// The Create methods of producers, buyers, listings, buying requests,
// requirements and shipments: what each
// refuses (the field violations, in order, and before which store call),
// what it ignores (output-only fields), the name it picks and the initial
// state it sets. The expectations were recorded on the hand-written methods
// before they were folded into create.
func TestCreate(t *testing.T) {
	bad := "Not_Valid"
	consolidator := createProducer()
	consolidator.Kind, consolidator.ExportsInOwnName = pb.Producer_CONSOLIDATOR, true
	consolidator.MemberProducers = []string{"producers/jimbe", "producers/ghost", "producers/self"}
	badProducer := createProducer()
	badProducer.District = "Atlantis"
	tests := []struct {
		name   string
		call   func(*Services) (proto.Message, error)
		code   codes.Code
		fields []string
		calls  []string
		want   proto.Message // the resource stored (and returned)
		reqID  string
	}{
		{
			name: "producer missing",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateProducer(context.Background(), &pb.CreateProducerRequest{ProducerId: bad})
			},
			code: codes.InvalidArgument, fields: []string{"producer"},
		},
		{
			name: "producer, bad id, request id and district at once",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateProducer(context.Background(), &pb.CreateProducerRequest{Producer: badProducer, ProducerId: bad, RequestId: "a b"})
			},
			code: codes.InvalidArgument, fields: []string{"producer_id", "request_id", "producer.district"},
		},
		{
			name: "producer with its id; output-only fields ignored",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateProducer(context.Background(), &pb.CreateProducerRequest{Producer: withOutputOnly(createProducer()), ProducerId: "jimbe-jaya", RequestId: "r-1"})
			},
			calls: []string{"Create"}, reqID: "r-1",
			want: func() proto.Message {
				p := createProducer()
				p.Name, p.VerificationState = "producers/jimbe-jaya", pb.VerificationState_UNVERIFIED
				return p
			}(),
		},
		{
			name: "producer named from its display name and request id",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateProducer(context.Background(), &pb.CreateProducerRequest{Producer: createProducer(), RequestId: "r-2"})
			},
			calls: []string{"Create"}, reqID: "r-2",
			want: func() proto.Message {
				p := createProducer()
				p.Name, p.VerificationState = "producers/"+newID("Jimbe Jaya Nglegok", "producers", "r-2"), pb.VerificationState_UNVERIFIED
				return p
			}(),
		},
		{
			name: "consolidator's members are checked after the name is chosen",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateProducer(context.Background(), &pb.CreateProducerRequest{Producer: consolidator, ProducerId: "self"})
			},
			code: codes.InvalidArgument, fields: []string{"producer.member_producers[1]", "producer.member_producers[2]"},
			calls: []string{"GetProducer producers/jimbe", "GetProducer producers/ghost"},
		},
		{
			name: "buyer missing",
			call: func(s *Services) (proto.Message, error) {
				return s.Buyer.CreateBuyer(context.Background(), &pb.CreateBuyerRequest{})
			},
			code: codes.InvalidArgument, fields: []string{"buyer"},
		},
		{
			name: "buyer, bad id, request id and country at once",
			call: func(s *Services) (proto.Message, error) {
				b := createBuyer()
				b.CountryCode = "XX"
				return s.Buyer.CreateBuyer(context.Background(), &pb.CreateBuyerRequest{Buyer: b, BuyerId: bad, RequestId: "a b"})
			},
			code: codes.InvalidArgument, fields: []string{"buyer_id", "request_id", "buyer.country_code"},
		},
		{
			name: "buyer with its id; output-only fields ignored",
			call: func(s *Services) (proto.Message, error) {
				return s.Buyer.CreateBuyer(context.Background(), &pb.CreateBuyerRequest{Buyer: withOutputOnly(createBuyer()), BuyerId: "wanchai", RequestId: "r-3"})
			},
			calls: []string{"Create"}, reqID: "r-3",
			want: func() proto.Message {
				b := createBuyer()
				b.Name, b.VerificationState = "buyers/wanchai", pb.VerificationState_UNVERIFIED
				return b
			}(),
		},
		{
			name: "buyer named from its display name and request id",
			call: func(s *Services) (proto.Message, error) {
				return s.Buyer.CreateBuyer(context.Background(), &pb.CreateBuyerRequest{Buyer: createBuyer(), RequestId: "r-4"})
			},
			calls: []string{"Create"}, reqID: "r-4",
			want: func() proto.Message {
				b := createBuyer()
				b.Name, b.VerificationState = "buyers/"+newID("Wan Chai Nusantara Foods", "buyers", "r-4"), pb.VerificationState_UNVERIFIED
				return b
			}(),
		},
		{
			name: "listing missing, with a bad parent: both are reported",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateListing(context.Background(), &pb.CreateListingRequest{Parent: "buyers/x", ListingId: bad})
			},
			code: codes.InvalidArgument, fields: []string{"parent", "listing"},
		},
		{
			name: "listing, bad parent, id, request id and title at once, before the parent is read",
			call: func(s *Services) (proto.Message, error) {
				l := createListing()
				l.Title = ""
				return s.Producer.CreateListing(context.Background(), &pb.CreateListingRequest{Parent: "buyers/x", Listing: l, ListingId: bad, RequestId: "a b"})
			},
			code: codes.InvalidArgument, fields: []string{"parent", "listing_id", "request_id", "listing.title"},
		},
		{
			name: "listing of a producer that does not exist",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateListing(context.Background(), &pb.CreateListingRequest{Parent: "producers/ghost", Listing: createListing()})
			},
			code: codes.NotFound, calls: []string{"GetProducer producers/ghost"},
		},
		{
			name: "listing with its id starts as a draft; output-only fields ignored",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateListing(context.Background(), &pb.CreateListingRequest{Parent: "producers/jimbe", Listing: withOutputOnly(createListing()), ListingId: "djembe-60", RequestId: "r-5"})
			},
			calls: []string{"GetProducer producers/jimbe", "Create"}, reqID: "r-5",
			want: func() proto.Message {
				l := createListing()
				l.Name, l.State = "producers/jimbe/listings/djembe-60", pb.Listing_DRAFT
				return l
			}(),
		},
		{
			name: "listing named from its title, parent and request id",
			call: func(s *Services) (proto.Message, error) {
				return s.Producer.CreateListing(context.Background(), &pb.CreateListingRequest{Parent: "producers/jimbe", Listing: createListing(), RequestId: "r-6"})
			},
			calls: []string{"GetProducer producers/jimbe", "Create"}, reqID: "r-6",
			want: func() proto.Message {
				l := createListing()
				l.Name, l.State = "producers/jimbe/listings/"+newID("Djembe 60 cm", "producers/jimbe", "r-6"), pb.Listing_DRAFT
				return l
			}(),
		},
		{
			name: "buying request missing, with a bad parent: both are reported",
			call: func(s *Services) (proto.Message, error) {
				return s.Buyer.CreateBuyingRequest(context.Background(), &pb.CreateBuyingRequestRequest{Parent: "producers/x", BuyingRequestId: bad})
			},
			code: codes.InvalidArgument, fields: []string{"parent", "buying_request"},
		},
		{
			name: "buying request, bad parent, id, request id, title and expiry at once, before the buyer is read",
			call: func(s *Services) (proto.Message, error) {
				r := createBuyingRequest()
				r.Title, r.ExpireTime = "", timestamppb.New(createNow.Add(-time.Hour))
				return s.Buyer.CreateBuyingRequest(context.Background(), &pb.CreateBuyingRequestRequest{Parent: "producers/x", BuyingRequest: r, BuyingRequestId: bad, RequestId: "a b"})
			},
			code: codes.InvalidArgument, fields: []string{"parent", "buying_request_id", "request_id", "buying_request.title", "buying_request.expire_time"},
		},
		{
			name: "buying request of a buyer that does not exist",
			call: func(s *Services) (proto.Message, error) {
				return s.Buyer.CreateBuyingRequest(context.Background(), &pb.CreateBuyingRequestRequest{Parent: "buyers/ghost", BuyingRequest: createBuyingRequest()})
			},
			code: codes.NotFound, calls: []string{"GetBuyer buyers/ghost"},
		},
		{
			name: "buying request with its id opens, expires by default and ships to the buyer's country; output-only fields ignored",
			call: func(s *Services) (proto.Message, error) {
				return s.Buyer.CreateBuyingRequest(context.Background(), &pb.CreateBuyingRequestRequest{Parent: "buyers/osaka", BuyingRequest: withOutputOnly(createBuyingRequest()), BuyingRequestId: "koi", RequestId: "r-7"})
			},
			calls: []string{"GetBuyer buyers/osaka", "Create"}, reqID: "r-7",
			want: func() proto.Message {
				r := createBuyingRequest()
				r.Name, r.State, r.DestinationCountryCode = "buyers/osaka/buyingRequests/koi", pb.BuyingRequest_OPEN, "JP"
				r.ExpireTime = timestamppb.New(createNow.Add(DefaultRequestLifetime))
				return r
			}(),
		},
		{
			name: "buying request named from its title, parent and request id keeps its destination and expiry",
			call: func(s *Services) (proto.Message, error) {
				r := createBuyingRequest()
				r.DestinationCountryCode, r.ExpireTime = "hk", timestamppb.New(createNow.Add(24*time.Hour))
				return s.Buyer.CreateBuyingRequest(context.Background(), &pb.CreateBuyingRequestRequest{Parent: "buyers/osaka", BuyingRequest: r, RequestId: "r-8"})
			},
			calls: []string{"GetBuyer buyers/osaka", "Create"}, reqID: "r-8",
			want: func() proto.Message {
				r := createBuyingRequest()
				r.Name = "buyers/osaka/buyingRequests/" + newID("Kohaku for spring", "buyers/osaka", "r-8")
				r.State, r.DestinationCountryCode = pb.BuyingRequest_OPEN, "HK"
				r.ExpireTime = timestamppb.New(createNow.Add(24 * time.Hour))
				return r
			}(),
		},
		{
			name: "requirement missing",
			call: func(s *Services) (proto.Message, error) {
				return s.Requirement.CreateRequirement(context.Background(), &pb.CreateRequirementRequest{RequirementId: bad})
			},
			code: codes.InvalidArgument, fields: []string{"requirement"},
		},
		{
			name: "requirement, bad id, request id and title at once",
			call: func(s *Services) (proto.Message, error) {
				r := createRequirement()
				r.Title = ""
				return s.Requirement.CreateRequirement(context.Background(), &pb.CreateRequirementRequest{Requirement: r, RequirementId: bad, RequestId: "a b"})
			},
			code: codes.InvalidArgument, fields: []string{"requirement_id", "request_id", "requirement.title"},
		},
		{
			name: "requirement with its id; output-only fields ignored",
			call: func(s *Services) (proto.Message, error) {
				return s.Requirement.CreateRequirement(context.Background(), &pb.CreateRequirementRequest{Requirement: withOutputOnly(createRequirement()), RequirementId: "koi-us-aphis-permit", RequestId: "r-9"})
			},
			calls: []string{"Create"}, reqID: "r-9",
			want: func() proto.Message {
				r := createRequirement()
				r.Name = "requirements/koi-us-aphis-permit"
				return r
			}(),
		},
		{
			name: "requirement named from its title and request id",
			call: func(s *Services) (proto.Message, error) {
				return s.Requirement.CreateRequirement(context.Background(), &pb.CreateRequirementRequest{Requirement: createRequirement(), RequestId: "r-10"})
			},
			calls: []string{"Create"}, reqID: "r-10",
			want: func() proto.Message {
				r := createRequirement()
				r.Name = "requirements/" + newID("US APHIS import permit", "requirements", "r-10")
				return r
			}(),
		},
		{
			name: "shipment missing, with a bad parent: both are reported",
			call: func(s *Services) (proto.Message, error) {
				return s.Shipment.CreateShipment(context.Background(), &pb.CreateShipmentRequest{Parent: "buyers/x", ShipmentId: bad})
			},
			code: codes.InvalidArgument, fields: []string{"parent", "shipment"},
		},
		{
			name: "shipment, bad parent, request id (before the id), id and quantity at once, before the match is read",
			call: func(s *Services) (proto.Message, error) {
				sh := createShipment()
				sh.Quantity = 0
				return s.Shipment.CreateShipment(context.Background(), &pb.CreateShipmentRequest{Parent: "buyers/x", Shipment: sh, ShipmentId: bad, RequestId: "a b"})
			},
			code: codes.InvalidArgument, fields: []string{"parent", "request_id", "shipment_id", "shipment.quantity"},
		},
		{
			name: "shipment of a match that does not exist",
			call: func(s *Services) (proto.Message, error) {
				return s.Shipment.CreateShipment(context.Background(), &pb.CreateShipmentRequest{Parent: "matches/ghost", Shipment: createShipment()})
			},
			code: codes.NotFound, calls: []string{"GetMatch matches/ghost"},
		},
		{
			name: "shipment of a match that is only proposed",
			call: func(s *Services) (proto.Message, error) {
				return s.Shipment.CreateShipment(context.Background(), &pb.CreateShipmentRequest{Parent: "matches/m-2", Shipment: createShipment()})
			},
			code: codes.FailedPrecondition, calls: []string{"GetMatch matches/m-2"},
		},
		{
			name: "shipment with its id takes the goods, parties and papers of its match; output-only fields ignored",
			call: func(s *Services) (proto.Message, error) {
				return s.Shipment.CreateShipment(context.Background(), &pb.CreateShipmentRequest{Parent: "matches/m-1", Shipment: withOutputOnly(createShipment()), ShipmentId: "s-1", RequestId: "r-11"})
			},
			calls: shipmentCalls, reqID: "r-11",
			want: createdShipment("matches/m-1/shipments/s-1"),
		},
		{
			name: "shipment named from its parent and request id",
			call: func(s *Services) (proto.Message, error) {
				return s.Shipment.CreateShipment(context.Background(), &pb.CreateShipmentRequest{Parent: "matches/m-1", Shipment: createShipment(), RequestId: "r-12"})
			},
			calls: shipmentCalls, reqID: "r-12",
			want: createdShipment("matches/m-1/shipments/" + newID("s", "matches/m-1", "r-12")),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &createStores{
				known: map[string]bool{
					"producers/jimbe": true, "producers/self": true, "producers/jimbe/listings/koi": true,
					"buyers/osaka": true, "buyers/osaka/buyingRequests/koi": true,
				},
				matches: map[string]*pb.Match{
					"matches/m-1": {
						Name: "matches/m-1", State: pb.Match_CONNECTED, Buyer: "buyers/osaka", BuyingRequest: "buyers/osaka/buyingRequests/koi",
						Members: []*pb.MatchMember{{Listing: "producers/jimbe/listings/koi", Producer: "producers/jimbe"}},
					},
					"matches/m-2": {
						Name: "matches/m-2", State: pb.Match_PROPOSED, Buyer: "buyers/osaka", BuyingRequest: "buyers/osaka/buyingRequests/koi",
						Members: []*pb.MatchMember{{Listing: "producers/jimbe/listings/koi", Producer: "producers/jimbe"}},
					},
				},
			}
			svc := New(Options{
				Producers: st, Listings: st, Buyers: st, BuyingRequests: st, Requirements: st, Matches: st, Shipments: st,
				Now: func() time.Time { return createNow }, Log: slog.New(slog.DiscardHandler),
			})
			got, err := tt.call(svc)
			c, fields := violations(err)
			if c != tt.code || !cmp.Equal(fields, tt.fields) {
				t.Fatalf("code %v, violations %q; want %v, %q (%v)", c, fields, tt.code, tt.fields, err)
			}
			if diff := cmp.Diff(tt.calls, st.calls); diff != "" {
				t.Errorf("store calls (-want +got):\n%s", diff)
			}
			if tt.want == nil {
				return
			}
			if diff := cmp.Diff(tt.want, st.created, protocmp.Transform()); diff != "" {
				t.Errorf("stored (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("returned (-want +got):\n%s", diff)
			}
			if st.request != tt.reqID {
				t.Errorf("request id %q reached the store, want %q", st.request, tt.reqID)
			}
		})
	}
}

// Every *OutputOnly set of the package names fields its message has:
// create clears them (clearFields panics on a misspelt one) and update
// compares them with mask paths and field names (where a misspelt one
// silently protects nothing). The sets are found in the source, so that a
// new one cannot be left out of the table.
func TestOutputOnlyFieldsExist(t *testing.T) {
	sets := map[string]struct {
		msg proto.Message
		set map[string]bool
	}{
		"producerOutputOnly":      {&pb.Producer{}, producerOutputOnly},
		"buyerOutputOnly":         {&pb.Buyer{}, buyerOutputOnly},
		"listingOutputOnly":       {&pb.Listing{}, listingOutputOnly},
		"buyingRequestOutputOnly": {&pb.BuyingRequest{}, buyingRequestOutputOnly},
		"requirementOutputOnly":   {&pb.Requirement{}, requirementOutputOnly},
		"shipmentOutputOnly":      {&pb.Shipment{}, shipmentOutputOnly},
		"exchangeRatesOutputOnly": {&pb.ExchangeRates{}, exchangeRatesOutputOnly},
	}
	for name, tc := range sets {
		fields := tc.msg.ProtoReflect().Descriptor().Fields()
		for f := range tc.set {
			if fields.ByName(protoreflect.Name(f)) == nil {
				t.Errorf("%s: %T has no field %q", name, tc.msg, f)
			}
		}
	}
	for _, name := range outputOnlyVars(t) {
		if _, ok := sets[name]; !ok {
			t.Errorf("%s is not checked: add it and its message to the table", name)
		}
	}
}

// outputOnlyVars returns the package-level variables of the package's
// non-test source whose names end in OutputOnly, except commonOutputOnly,
// which every set built by set holds.
func outputOnlyVars(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if strings.HasSuffix(n.Name, "OutputOnly") && n.Name != "commonOutputOnly" {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("found no *OutputOnly variables: the search is broken")
	}
	return names
}
