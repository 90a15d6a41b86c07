package mongostore

import (
	"context"
	"errors"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/quote"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Quotes round-trip with their history, expire by the clock, filter on the
// derived state, count per firm, and one firm has one quote per request.
func TestQuoteStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	s := newStore(t, c)
	qs := NewQuotes(s)
	if err := qs.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if err := qs.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	const req = "buyers/b/buyingRequests/r"
	terms := func(units int64, validFor time.Duration) *pb.QuoteTerms {
		return &pb.QuoteTerms{UnitPrice: &moneypb.Money{CurrencyCode: "USD", Units: units, Nanos: 500_000_000}, Quantity: 10, LeadTimeDays: 5,
			Incoterm: pb.Incoterm_FOB, IncotermPlace: "Tanjung Perak", ExpireTime: timestamppb.New(c.t.Add(validFor)),
			SamplePrice: &moneypb.Money{CurrencyCode: "IDR", Units: 150_000}, SamplesAvailable: true, DepositPercent: 30,
			PaymentMethod: pb.PaymentMethod_LETTER_OF_CREDIT, Packaging: "cartons", Note: "n"}
	}
	in := quote.New(&pb.Quote{Producer: "producers/p", Listings: []string{"producers/p/listings/l"}, Terms: terms(30, 24*time.Hour)},
		quote.Name(req, "producers/p"), "P")
	q, err := qs.CreateQuote(ctx, in, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qs.CreateQuote(ctx, in, "other"); !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("second quote of the firm: %v", err)
	}
	if again, err := qs.CreateQuote(ctx, in, "r1"); err != nil || again.GetEtag() != q.GetEtag() {
		t.Fatalf("retry with the same request id: %v", err)
	}
	if _, err := qs.CreateQuote(ctx, quote.New(&pb.Quote{Producer: "producers/o", Listings: []string{"producers/o/listings/l"}, Terms: terms(40, 72*time.Hour)},
		quote.Name(req, "producers/o"), "O"), ""); err != nil {
		t.Fatal(err)
	}
	revised, err := qs.UpdateQuote(ctx, q.GetName(), q.GetEtag(), func(q *pb.Quote) error { return quote.Revise(q, terms(28, 24*time.Hour), nil, c.t) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := qs.GetQuote(ctx, q.GetName())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(revised, got, protocmp.Transform()); diff != "" {
		t.Fatalf("read back differs (-written +read):\n%s", diff)
	}
	if got.GetRevision() != 2 || len(got.GetHistory()) != 1 || got.GetHistory()[0].GetTerms().GetUnitPrice().GetUnits() != 30 {
		t.Fatalf("history: %v", got)
	}
	count := func(state string) int {
		items, _, err := qs.ListQuotes(ctx, store.ListOptions{Parent: req, PageSize: 10, Conditions: []query.Condition{{Field: "state", Op: query.Eq, Value: state}}})
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}
	if n, _ := qs.CountOpenQuotes(ctx, "producers/p"); n != 1 || count("OPEN") != 2 || count("EXPIRED") != 0 {
		t.Fatalf("before expiry: open %d, OPEN %d", n, count("OPEN"))
	}
	c.t = c.t.Add(48 * time.Hour)
	if got, _ := qs.GetQuote(ctx, q.GetName()); got.GetState() != pb.Quote_EXPIRED {
		t.Fatalf("after its validity: %v", got.GetState())
	}
	if n, _ := qs.CountOpenQuotes(ctx, "producers/p"); n != 0 || count("OPEN") != 1 || count("EXPIRED") != 1 {
		t.Fatalf("after expiry: open %d, OPEN %d, EXPIRED %d", n, count("OPEN"), count("EXPIRED"))
	}
}

// Shipments filter on overdue papers by the clock.
func TestShipmentStoreOverdue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 1, 3, 0, 0, 0, time.UTC)}
	s := newStore(t, c)
	sh := NewShipments(s)
	if err := sh.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	in := &pb.Shipment{Name: "matches/m/shipments/s", PlannedDepartureDate: &date.Date{Year: 2026, Month: 11, Day: 10}, Quantity: 1,
		Value: &moneypb.Money{CurrencyCode: "USD", Units: 10}, Mode: pb.Shipment_AIR, PortOfLoading: "Juanda", ExportRoute: pb.Shipment_OWN_NAME,
		Producer: "producers/p", Buyer: "buyers/b", Category: pb.Category_FOOD,
		Documents: []*pb.ShipmentDocument{{Id: "peb", Title: "PEB", Kind: pb.Requirement_DECLARATION, FiledBy: pb.ShipmentDocument_EXPORTER,
			DaysBeforeDeparture: 3, DueDate: &date.Date{Year: 2026, Month: 11, Day: 7}, State: pb.ShipmentDocument_TO_DO}}}
	if _, err := sh.CreateShipment(ctx, in, ""); err != nil {
		t.Fatal(err)
	}
	overdue := func() int {
		items, _, err := sh.ListShipments(ctx, store.ListOptions{PageSize: 10, Conditions: []query.Condition{{Field: "overdue", Op: query.Eq, Value: true}}})
		if err != nil {
			t.Fatal(err)
		}
		return len(items)
	}
	if overdue() != 0 {
		t.Fatal("overdue before the due date")
	}
	c.t = time.Date(2026, 11, 7, 18, 0, 0, 0, time.UTC) // 8 November in Blitar
	if overdue() != 1 {
		t.Fatal("not overdue the day after the due date")
	}
	got, _ := sh.GetShipment(ctx, in.GetName())
	if !got.GetDocuments()[0].GetOverdue() {
		t.Fatal("paper not flagged overdue")
	}
	if _, err := sh.UpdateShipment(ctx, in.GetName(), "", func(s *pb.Shipment) error {
		s.Documents[0].State = pb.ShipmentDocument_FILED
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if overdue() != 0 {
		t.Fatal("overdue after the paper was filed")
	}
}
