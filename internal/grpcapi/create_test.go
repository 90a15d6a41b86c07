package grpcapi

import (
	"context"
	"log/slog"
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

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

// createStores is the storage behind the Create methods: it knows the
// producers in known, records every call and stores nothing.
type createStores struct {
	ProducerStore
	ListingStore
	BuyerStore
	known   map[string]bool
	calls   []string
	created proto.Message
	request string
}

func (s *createStores) GetProducer(_ context.Context, name string) (*pb.Producer, error) {
	s.calls = append(s.calls, "GetProducer "+name)
	if !s.known[name] {
		return nil, store.ErrNotFound
	}
	return &pb.Producer{Name: name}, nil
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

// The three Create methods of producers, buyers and listings: what each
// refuses (the field violations, in order, and before which store call),
// what it ignores (output-only fields), the name it picks and the initial
// state it sets. The expectations were recorded on the three hand-written
// methods before they were folded into create.
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &createStores{known: map[string]bool{"producers/jimbe": true, "producers/self": true}}
			svc := New(Options{Producers: st, Listings: st, Buyers: st, Log: slog.New(slog.DiscardHandler)})
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

// The output-only sets that create clears name fields their messages have
// (clearFields panics on a misspelt one). Sets used only by update are
// looked up, never cleared: exchangeRatesOutputOnly holds the common
// create_time, which ExchangeRates does not have.
func TestOutputOnlyFieldsExist(t *testing.T) {
	for _, tc := range []struct {
		msg proto.Message
		set map[string]bool
	}{
		{&pb.Producer{}, producerOutputOnly},
		{&pb.Buyer{}, buyerOutputOnly},
		{&pb.Listing{}, listingOutputOnly},
	} {
		fields := tc.msg.ProtoReflect().Descriptor().Fields()
		for name := range tc.set {
			if fields.ByName(protoreflect.Name(name)) == nil {
				t.Errorf("%T has no field %q", tc.msg, name)
			}
		}
	}
}
