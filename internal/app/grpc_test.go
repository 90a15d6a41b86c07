package app_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func hkImporter() *pb.Buyer {
	return &pb.Buyer{
		DisplayName:  "Wan Chai Nusantara Foods",
		CountryCode:  "HK",
		City:         "Hong Kong",
		BusinessType: pb.Buyer_IMPORTER,
		Contact:      &pb.Contact{PersonName: "Ms Lau", Phone: "+85291234567", Email: "buying@example.hk"},
		ProductInterests: []*pb.ProductInterest{
			{Category: pb.Category_FOOD, HsPrefix: "2103"},
		},
		ImportRegistrations: []*pb.ImportRegistration{
			{Type: "HK_FOOD_IMPORTER", Number: "FI-123456", Issuer: "Centre for Food Safety", CountryCode: "HK"},
		},
	}
}

func sambalRequest(now time.Time) *pb.BuyingRequest {
	nb := now.AddDate(0, 2, 0)
	return &pb.BuyingRequest{
		Title:       "500 kg sambal pecel for Indonesian shops",
		Category:    pb.Category_FOOD,
		HsPrefix:    "2103",
		Quantity:    500,
		Unit:        "kg",
		TargetPrice: &money.Money{CurrencyCode: "HKD", Units: 60},
		Incoterm:    pb.Incoterm_CIF,
		NeededByDate: &date.Date{
			Year: int32(nb.Year()), Month: int32(nb.Month()), Day: int32(nb.Day()),
		},
	}
}

// code returns the gRPC code of err and the fields of its BadRequest detail.
func code(err error) (codes.Code, []string) {
	st, _ := status.FromError(err)
	var fields []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				fields = append(fields, v.GetField())
			}
		}
	}
	return st.Code(), fields
}

func TestGRPCBuyerAndBuyingRequests(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	ctx := e.ctx()

	b, err := e.buyers.CreateBuyer(ctx, &pb.CreateBuyerRequest{Buyer: hkImporter(), BuyerId: "wanchai-foods"})
	if err != nil {
		t.Fatal(err)
	}
	if b.GetName() != "buyers/wanchai-foods" || b.GetVerificationState() != pb.VerificationState_UNVERIFIED {
		t.Fatalf("created %v", b)
	}
	got, err := e.buyers.GetBuyer(ctx, &pb.GetBuyerRequest{Name: b.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b, got, protocmp.Transform()); diff != "" {
		t.Fatalf("get differs from create (-create +get):\n%s", diff)
	}

	// Server-chosen ids are readable slugs.
	b2, err := e.buyers.CreateBuyer(ctx, &pb.CreateBuyerRequest{Buyer: &pb.Buyer{
		DisplayName: "Niigata Koi Farm Trading", CountryCode: "JP", BusinessType: pb.Buyer_DISTRIBUTOR,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if n := b2.GetName(); len(n) < len("buyers/niigata") || n[:len("buyers/niigata")] != "buyers/niigata" {
		t.Fatalf("generated name %q", n)
	}

	now := time.Now()
	r, err := e.buyers.CreateBuyingRequest(ctx, &pb.CreateBuyingRequestRequest{
		Parent: b.GetName(), BuyingRequest: sambalRequest(now), BuyingRequestId: "sambal-500kg",
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.GetState() != pb.BuyingRequest_OPEN || r.GetDestinationCountryCode() != "HK" {
		t.Fatalf("defaults not applied: %v", r)
	}
	if exp := r.GetExpireTime().AsTime(); exp.Before(now.Add(59*24*time.Hour)) || exp.After(now.Add(61*24*time.Hour)) {
		t.Fatalf("default expiry %v", exp)
	}

	// Update with a mask.
	r.Quantity = 800
	up, err := e.buyers.UpdateBuyingRequest(ctx, &pb.UpdateBuyingRequestRequest{
		BuyingRequest: r, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"quantity"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if up.GetQuantity() != 800 || up.GetEtag() == r.GetEtag() {
		t.Fatalf("update: %v", up)
	}

	// List with filters over all buyers.
	list, err := e.buyers.ListBuyingRequests(ctx, &pb.ListBuyingRequestsRequest{Parent: "buyers/-", Filter: `state = OPEN AND destination_country_code = "HK"`})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetBuyingRequests()) != 1 {
		t.Fatalf("list: %v", list)
	}
	buyers, err := e.buyers.ListBuyers(ctx, &pb.ListBuyersRequest{Filter: `country_code = "JP"`})
	if err != nil {
		t.Fatal(err)
	}
	if len(buyers.GetBuyers()) != 1 || buyers.GetBuyers()[0].GetName() != b2.GetName() {
		t.Fatalf("buyers filtered by country: %v", buyers)
	}

	// Close, then a closed request refuses updates.
	cl, err := e.buyers.CloseBuyingRequest(ctx, &pb.CloseBuyingRequestRequest{Name: r.GetName()})
	if err != nil || cl.GetState() != pb.BuyingRequest_CLOSED {
		t.Fatalf("close: %v %v", cl, err)
	}
	_, err = e.buyers.UpdateBuyingRequest(ctx, &pb.UpdateBuyingRequestRequest{
		BuyingRequest: &pb.BuyingRequest{Name: r.GetName(), Quantity: 1}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"quantity"}},
	})
	if c, _ := code(err); c != codes.FailedPrecondition {
		t.Fatalf("update of closed request: %v", err)
	}

	// A buyer with requests is deleted only with force, and then its requests go too.
	_, err = e.buyers.DeleteBuyer(ctx, &pb.DeleteBuyerRequest{Name: b.GetName()})
	if c, _ := code(err); c != codes.FailedPrecondition {
		t.Fatalf("delete without force: %v", err)
	}
	if _, err := e.buyers.DeleteBuyer(ctx, &pb.DeleteBuyerRequest{Name: b.GetName(), Force: true}); err != nil {
		t.Fatal(err)
	}
	_, err = e.buyers.GetBuyingRequest(ctx, &pb.GetBuyingRequestRequest{Name: r.GetName()})
	if c, _ := code(err); c != codes.NotFound {
		t.Fatalf("request survived its buyer: %v", err)
	}
}

func TestGRPCIdempotentCreate(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	ctx := e.ctx()
	req := &pb.CreateBuyerRequest{Buyer: hkImporter(), RequestId: "3f1c2a9e-1111-4a4a-8b8b-123456789abc"}
	first, err := e.buyers.CreateBuyer(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.buyers.CreateBuyer(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(first, second) {
		t.Fatalf("retry gave another buyer:\n%v\n%v", first, second)
	}
	all, err := e.buyers.ListBuyers(ctx, &pb.ListBuyersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.GetBuyers()) != 1 {
		t.Fatalf("%d buyers after a retried create, want 1", len(all.GetBuyers()))
	}
}

// TestGRPCConcurrentUpdateRace sends many updates carrying the same etag at
// once: exactly one may win, the rest must get ABORTED, and the stored value
// must be the winner's.
func TestGRPCConcurrentUpdateRace(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	ctx := e.ctx()
	b, err := e.buyers.CreateBuyer(ctx, &pb.CreateBuyerRequest{Buyer: hkImporter(), BuyerId: "wanchai-foods"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 12
	var wg sync.WaitGroup
	results := make([]error, n)
	cities := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cities[i] = "City " + string(rune('A'+i))
			_, results[i] = e.buyers.UpdateBuyer(ctx, &pb.UpdateBuyerRequest{
				Buyer:      &pb.Buyer{Name: b.GetName(), City: cities[i], Etag: b.GetEtag()},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"city"}},
			})
		}()
	}
	wg.Wait()
	var winners []string
	for i, err := range results {
		switch c, _ := code(err); c {
		case codes.OK:
			winners = append(winners, cities[i])
		case codes.Aborted:
		default:
			t.Errorf("update %d: %v", i, err)
		}
	}
	if len(winners) != 1 {
		t.Fatalf("%d updates with the same etag succeeded, want exactly 1", len(winners))
	}
	got, err := e.buyers.GetBuyer(ctx, &pb.GetBuyerRequest{Name: b.GetName()})
	if err != nil {
		t.Fatal(err)
	}
	if got.GetCity() != winners[0] {
		t.Fatalf("stored city %q, winner wrote %q", got.GetCity(), winners[0])
	}

	// Without etags, concurrent updates of different fields all land.
	var wg2 sync.WaitGroup
	errs := make([]error, 2)
	wg2.Add(2)
	go func() {
		defer wg2.Done()
		_, errs[0] = e.buyers.UpdateBuyer(ctx, &pb.UpdateBuyerRequest{Buyer: &pb.Buyer{Name: b.GetName(), City: "Kowloon"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"city"}}})
	}()
	go func() {
		defer wg2.Done()
		_, errs[1] = e.buyers.UpdateBuyer(ctx, &pb.UpdateBuyerRequest{Buyer: &pb.Buyer{Name: b.GetName(), WebsiteUri: "https://example.hk"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"website_uri"}}})
	}()
	wg2.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got, _ = e.buyers.GetBuyer(ctx, &pb.GetBuyerRequest{Name: b.GetName()})
	if got.GetCity() != "Kowloon" || got.GetWebsiteUri() != "https://example.hk" {
		t.Fatalf("a concurrent update was lost: %v", got)
	}
}

func TestGRPCInvalidArguments(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	ctx := e.ctx()
	if _, err := e.buyers.CreateBuyer(ctx, &pb.CreateBuyerRequest{Buyer: hkImporter(), BuyerId: "wanchai-foods"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"unknown country", func() error {
			b := hkImporter()
			b.CountryCode = "XX"
			_, err := e.buyers.CreateBuyer(ctx, &pb.CreateBuyerRequest{Buyer: b})
			return err
		}, "buyer.country_code"},
		{"bad phone", func() error {
			b := hkImporter()
			b.Contact.Phone = "12345"
			_, err := e.buyers.CreateBuyer(ctx, &pb.CreateBuyerRequest{Buyer: b})
			return err
		}, "buyer.contact.phone"},
		{"bad id", func() error {
			_, err := e.buyers.CreateBuyer(ctx, &pb.CreateBuyerRequest{Buyer: hkImporter(), BuyerId: "Not_Valid"})
			return err
		}, "buyer_id"},
		{"zero quantity", func() error {
			r := sambalRequest(time.Now())
			r.Quantity = 0
			_, err := e.buyers.CreateBuyingRequest(ctx, &pb.CreateBuyingRequestRequest{Parent: "buyers/wanchai-foods", BuyingRequest: r})
			return err
		}, "buying_request.quantity"},
		{"unknown currency", func() error {
			r := sambalRequest(time.Now())
			r.TargetPrice.CurrencyCode = "ABC"
			_, err := e.buyers.CreateBuyingRequest(ctx, &pb.CreateBuyingRequestRequest{Parent: "buyers/wanchai-foods", BuyingRequest: r})
			return err
		}, "buying_request.target_price.currency_code"},
		{"malformed parent", func() error {
			_, err := e.buyers.CreateBuyingRequest(ctx, &pb.CreateBuyingRequestRequest{Parent: "sellers/x", BuyingRequest: sambalRequest(time.Now())})
			return err
		}, "parent"},
		{"malformed name", func() error {
			_, err := e.buyers.GetBuyer(ctx, &pb.GetBuyerRequest{Name: "buyers/"})
			return err
		}, "name"},
		{"page size too large", func() error {
			_, err := e.buyers.ListBuyers(ctx, &pb.ListBuyersRequest{PageSize: 501})
			return err
		}, "page_size"},
		{"negative page size", func() error {
			_, err := e.buyers.ListBuyers(ctx, &pb.ListBuyersRequest{PageSize: -1})
			return err
		}, "page_size"},
		{"garbage page token", func() error {
			_, err := e.buyers.ListBuyers(ctx, &pb.ListBuyersRequest{PageToken: "garbage"})
			return err
		}, "page_token"},
		{"unknown filter field", func() error {
			_, err := e.buyers.ListBuyers(ctx, &pb.ListBuyersRequest{Filter: `password = "x"`})
			return err
		}, "filter"},
		{"unknown mask path", func() error {
			_, err := e.buyers.UpdateBuyer(ctx, &pb.UpdateBuyerRequest{Buyer: &pb.Buyer{Name: "buyers/wanchai-foods"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"colour"}}})
			return err
		}, "update_mask.paths[0]"},
		{"update makes it invalid", func() error {
			_, err := e.buyers.UpdateBuyer(ctx, &pb.UpdateBuyerRequest{Buyer: &pb.Buyer{Name: "buyers/wanchai-foods"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}})
			return err
		}, "buyer.display_name"},
		{"verify without state", func() error {
			_, err := e.buyers.VerifyBuyer(ctx, &pb.VerifyBuyerRequest{Name: "buyers/wanchai-foods"})
			return err
		}, "verification_state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fields := code(tt.call())
			if c != codes.InvalidArgument {
				t.Fatalf("code %v, want InvalidArgument", c)
			}
			if !slices.Contains(fields, tt.field) {
				t.Fatalf("violations %v do not name %q", fields, tt.field)
			}
		})
	}
	// Unknown ids are NOT_FOUND.
	_, err := e.buyers.GetBuyer(ctx, &pb.GetBuyerRequest{Name: "buyers/nobody"})
	if c, _ := code(err); c != codes.NotFound {
		t.Fatalf("unknown buyer: %v", err)
	}
}
