package quote

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

var now = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func terms(units int64, validFor time.Duration) *pb.QuoteTerms {
	return &pb.QuoteTerms{UnitPrice: &money.Money{CurrencyCode: "USD", Units: units}, Quantity: 100, LeadTimeDays: 20,
		Incoterm: pb.Incoterm_FOB, IncotermPlace: "Tanjung Perak", ExpireTime: timestamppb.New(now.Add(validFor)),
		PaymentMethod: pb.PaymentMethod_TELEGRAPHIC_TRANSFER}
}

const req = "buyers/b/buyingRequests/r"

func open(validFor time.Duration) *pb.Quote {
	return New(&pb.Quote{Producer: "producers/p", Listings: []string{"producers/p/listings/l"}, Terms: terms(30, validFor),
		State: pb.Quote_ACCEPTED, Match: "matches/forged", Revision: 7}, Name(req, "producers/p"), "P")
}

func TestNameAndRequest(t *testing.T) {
	n := Name(req, "producers/koi-dayu")
	if n != req+"/quotes/koi-dayu" || Request(n) != req {
		t.Fatalf("name %q, request %q", n, Request(n))
	}
}

func TestNewResetsOutputFields(t *testing.T) {
	q := open(time.Hour)
	if q.GetState() != pb.Quote_OPEN || q.GetRevision() != 1 || q.GetMatch() != "" || q.GetProducerDisplayName() != "P" {
		t.Fatalf("new quote: %v", q)
	}
}

func TestExpire(t *testing.T) {
	for _, tc := range []struct {
		name     string
		validFor time.Duration
		state    pb.Quote_State
		want     pb.Quote_State
	}{
		{"open, still valid", time.Hour, pb.Quote_OPEN, pb.Quote_OPEN},
		{"open, validity passed", -time.Minute, pb.Quote_OPEN, pb.Quote_EXPIRED},
		{"exactly at expiry", 0, pb.Quote_OPEN, pb.Quote_EXPIRED},
		{"accepted stays accepted", -time.Hour, pb.Quote_ACCEPTED, pb.Quote_ACCEPTED},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := open(tc.validFor)
			q.State = tc.state
			Expire(q, now)
			if q.GetState() != tc.want {
				t.Fatalf("state %v, want %v", q.GetState(), tc.want)
			}
		})
	}
}

func TestReviseKeepsHistory(t *testing.T) {
	q := open(time.Hour)
	if err := Revise(q, terms(28, 2*time.Hour), nil, now); err != nil {
		t.Fatal(err)
	}
	if err := Revise(q, terms(27, 2*time.Hour), []string{"producers/p/listings/m"}, now); err != nil {
		t.Fatal(err)
	}
	if q.GetRevision() != 3 || len(q.GetHistory()) != 2 || q.GetTerms().GetUnitPrice().GetUnits() != 27 {
		t.Fatalf("after two revisions: %v", q)
	}
	if h := q.GetHistory(); h[0].GetRevision() != 1 || h[0].GetTerms().GetUnitPrice().GetUnits() != 30 || h[1].GetTerms().GetUnitPrice().GetUnits() != 28 {
		t.Fatalf("history: %v", h)
	}
	if q.GetListings()[0] != "producers/p/listings/m" {
		t.Fatalf("listings: %v", q.GetListings())
	}
}

func TestReviseRevivesExpired(t *testing.T) {
	q := open(-time.Hour)
	if err := Revise(q, terms(30, time.Hour), nil, now); err != nil || q.GetState() != pb.Quote_OPEN {
		t.Fatalf("revive: %v, state %v", err, q.GetState())
	}
}

func TestTransitions(t *testing.T) {
	q := open(time.Hour)
	if err := Decline(q, "too dear", now); err != nil || q.GetState() != pb.Quote_DECLINED || q.GetDeclineReason() != "too dear" {
		t.Fatalf("decline: %v %v", err, q)
	}
	if err := Decline(q, "again", now); err != nil || q.GetDeclineReason() != "too dear" {
		t.Fatalf("declining twice: %v %v", err, q)
	}
	for name, err := range map[string]error{
		"accept declined": Accept(q, "matches/m", now),
		"revise declined": Revise(q, terms(1, time.Hour), nil, now),
	} {
		if !errors.Is(err, store.ErrFailedPrecondition) {
			t.Errorf("%s: %v", name, err)
		}
	}
	a := open(time.Hour)
	if err := Accept(a, "matches/m", now); err != nil || a.GetState() != pb.Quote_ACCEPTED || a.GetMatch() != "matches/m" {
		t.Fatalf("accept: %v %v", err, a)
	}
	if err := Accept(a, "matches/other", now); err != nil || a.GetMatch() != "matches/m" {
		t.Fatalf("accepting twice: %v %v", err, a)
	}
	if err := Decline(a, "", now); !errors.Is(err, store.ErrFailedPrecondition) {
		t.Errorf("decline accepted: %v", err)
	}
	if err := Accept(open(-time.Hour), "matches/m", now); !errors.Is(err, store.ErrFailedPrecondition) {
		t.Errorf("accept expired: %v", err)
	}
}

func TestCheckRequestAndCap(t *testing.T) {
	for _, tc := range []struct {
		name string
		br   *pb.BuyingRequest
		ok   bool
	}{
		{"open", &pb.BuyingRequest{State: pb.BuyingRequest_OPEN}, true},
		{"open, no expiry", &pb.BuyingRequest{State: pb.BuyingRequest_OPEN, ExpireTime: timestamppb.New(now.Add(time.Hour))}, true},
		{"closed", &pb.BuyingRequest{State: pb.BuyingRequest_CLOSED}, false},
		{"expired state", &pb.BuyingRequest{State: pb.BuyingRequest_EXPIRED}, false},
		{"open but past expiry", &pb.BuyingRequest{State: pb.BuyingRequest_OPEN, ExpireTime: timestamppb.New(now)}, false},
	} {
		if err := CheckRequest(tc.br, now); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if CheckCap(19, 20) != nil || !errors.Is(CheckCap(20, 20), ErrTooMany) || CheckCap(1000, 0) != nil {
		t.Error("cap")
	}
}

func TestCoversAndMatch(t *testing.T) {
	q := open(time.Hour)
	br := &pb.BuyingRequest{Name: req, Quantity: 100}
	if !Covers(q, br) {
		t.Fatal("100 of 100 does not cover")
	}
	br.Quantity = 101
	if Covers(q, br) {
		t.Fatal("100 of 101 covers")
	}
	m := ConnectedMatch(q, br, &pb.Buyer{Name: "buyers/b"}, 0.8, now)
	if m.GetState() != pb.Match_CONNECTED || m.GetQuote() != q.GetName() || m.GetBuyerAnswer() != pb.Answer_ACCEPTED ||
		m.GetMembers()[0].GetAnswer() != pb.Answer_ACCEPTED || m.GetMembers()[0].GetAllottedQuantity() != 100 || m.GetName() != MatchName(q.GetName()) {
		t.Fatalf("match: %v", m)
	}
	if MatchName(q.GetName()) == MatchName("buyers/b/buyingRequests/other/quotes/p") {
		t.Fatal("two quotes of one firm share a match name")
	}
}

func TestSortAndComparable(t *testing.T) {
	rows := []Row{
		{Name: "c", Comparable: false, PriceMinor: 1, LeadTimeDays: 5, Score: 0.9},
		{Name: "b", Comparable: true, PriceMinor: 300, LeadTimeDays: 10, Score: 0.5},
		{Name: "a", Comparable: true, PriceMinor: 200, LeadTimeDays: 30, Score: 0.7},
	}
	for by, want := range map[string]string{"": "abc", ByPrice: "abc", ByLeadTime: "cba", ByScore: "cab"} {
		r := append([]Row(nil), rows...)
		Sort(r, by)
		if got := r[0].Name + r[1].Name + r[2].Name; got != want {
			t.Errorf("order %q: %s, want %s", by, got, want)
		}
	}
	if ValidOrder("colour") || !ValidOrder("") {
		t.Error("ValidOrder")
	}
	q := open(time.Hour)
	if ok, _ := Comparable(q, &pb.BuyingRequest{Incoterm: pb.Incoterm_FOB}); !ok {
		t.Error("same Incoterm not comparable")
	}
	if ok, _ := Comparable(q, &pb.BuyingRequest{}); !ok {
		t.Error("request without Incoterm: not comparable")
	}
	if ok, why := Comparable(q, &pb.BuyingRequest{Incoterm: pb.Incoterm_CIF}); ok || why == "" {
		t.Error("FOB against CIF comparable")
	}
}
