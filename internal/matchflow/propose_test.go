package matchflow

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

func proposal(by pb.Party, qtys ...int64) Proposal {
	p := Proposal{
		Name:       "matches/m1",
		Request:    &pb.BuyingRequest{Name: "buyers/b/buyingRequests/r", State: pb.BuyingRequest_OPEN, Quantity: 300},
		Buyer:      &pb.Buyer{Name: "buyers/b", DisplayName: "B"},
		ProposedBy: by,
		Message:    "hello",
		Now:        now,
		TTL:        14 * 24 * time.Hour,
	}
	for i, q := range qtys {
		id := string(rune('a' + i))
		p.Members = append(p.Members, Offer{
			Listing:  &pb.Listing{Name: "producers/" + id + "/listings/l", State: pb.Listing_ACTIVE},
			Producer: &pb.Producer{Name: "producers/" + id, DisplayName: "P" + id},
			Quantity: q,
		})
	}
	return p
}

func TestProposeByEachParty(t *testing.T) {
	ts := timestamppb.New(now)
	base := func() *pb.Match {
		return &pb.Match{
			Name: "matches/m1", BuyingRequest: "buyers/b/buyingRequests/r", Buyer: "buyers/b", BuyerDisplayName: "B",
			Message: "hello", BuyerAnswer: pb.Answer_PENDING, State: pb.Match_PROPOSED,
			ExpireTime: timestamppb.New(now.Add(14 * 24 * time.Hour)),
			Members: []*pb.MatchMember{{Listing: "producers/a/listings/l", Producer: "producers/a", ProducerDisplayName: "Pa",
				AllottedQuantity: 300, Answer: pb.Answer_PENDING}},
		}
	}
	buyer := base()
	buyer.ProposedBy, buyer.BuyerAnswer, buyer.BuyerAnswerTime = pb.Party_BUYER, pb.Answer_ACCEPTED, ts
	producer := base()
	producer.ProposedBy = pb.Party_PRODUCER_SIDE
	producer.Members[0].Answer, producer.Members[0].AnswerTime = pb.Answer_ACCEPTED, ts
	office := base()
	office.ProposedBy = pb.Party_TRADE_OFFICE
	for _, tc := range []struct {
		by   pb.Party
		want *pb.Match
	}{
		{pb.Party_BUYER, buyer},
		{pb.Party_PRODUCER_SIDE, producer},
		{pb.Party_TRADE_OFFICE, office},
	} {
		t.Run(tc.by.String(), func(t *testing.T) {
			got, err := Propose(proposal(tc.by, 0)) // 0: the whole request
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, got, protocmp.Transform()); d != "" {
				t.Errorf("match (-want +got):\n%s", d)
			}
		})
	}
}

func TestProposeGroup(t *testing.T) {
	m, err := Propose(proposal(pb.Party_TRADE_OFFICE, 100, 200))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.GetMembers()) != 2 || m.GetMembers()[0].GetAllottedQuantity() != 100 || m.GetMembers()[1].GetAllottedQuantity() != 200 {
		t.Errorf("members %v", m.GetMembers())
	}
	for _, mem := range m.GetMembers() {
		if mem.GetAnswer() != pb.Answer_PENDING {
			t.Errorf("%s answered %s on an office proposal", mem.GetProducer(), mem.GetAnswer())
		}
	}
}

func TestProposeRefusals(t *testing.T) {
	closed := proposal(pb.Party_BUYER, 0)
	closed.Request.State = pb.BuyingRequest_CLOSED
	paused := proposal(pb.Party_BUYER, 100, 100)
	paused.Members[1].Listing.State = pb.Listing_PAUSED
	for name, tc := range map[string]struct {
		p    Proposal
		want error
	}{
		"closed request": {closed, store.ErrFailedPrecondition},
		"paused listing": {paused, store.ErrFailedPrecondition},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Propose(tc.p); !errors.Is(err, tc.want) {
				t.Errorf("Propose: %v, want %v", err, tc.want)
			}
		})
	}
	_, err := Propose(proposal(pb.Party_TRADE_OFFICE, 200, 101))
	var over *OverAllottedError
	if !errors.As(err, &over) || over.Total != 301 || over.Requested != 300 {
		t.Errorf("Propose over the requested quantity: %v", err)
	}
	if _, err := Propose(proposal(pb.Party_TRADE_OFFICE, 200, 100)); err != nil {
		t.Errorf("Propose of exactly the requested quantity: %v", err)
	}
}

// openStore counts open proposals by the first condition's value.
type openStore struct {
	byRequestListing map[string]int // "request|listing"
	byBuyerProducer  map[string]int // "buyer|producer"
	perProducer      map[string]int64
	err              error
}

func (s *openStore) ListMatches(_ context.Context, o store.ListOptions) ([]*pb.Match, bool, error) {
	if s.err != nil {
		return nil, false, s.err
	}
	var c []query.Condition = o.Conditions
	if len(c) != 3 || c[2].Field != "state" || c[2].Value != pb.Match_PROPOSED.String() {
		return nil, false, errors.New("unexpected query")
	}
	key := c[0].Value.(string) + "|" + c[1].Value.(string)
	n := s.byRequestListing[key]
	if c[0].Field == "buyer" {
		n = s.byBuyerProducer[key]
	}
	return make([]*pb.Match, min(n, o.PageSize)), n > o.PageSize, nil
}

func (s *openStore) CountOpenProposals(_ context.Context, producer string) (int64, error) {
	return s.perProducer[producer], s.err
}

func TestCheckLimits(t *testing.T) {
	br := &pb.BuyingRequest{Name: "buyers/b/buyingRequests/r"}
	lim := Limits{PerProducer: 10, PerBuyerAndProducer: 3}
	const listing, producer = "producers/a/listings/l", "producers/a"
	boom := errors.New("database gone")
	for name, tc := range map[string]struct {
		st   *openStore
		by   pb.Party
		lim  Limits
		want error
	}{
		"free":                         {&openStore{}, pb.Party_BUYER, lim, nil},
		"listing already proposed":     {&openStore{byRequestListing: map[string]int{br.GetName() + "|" + listing: 1}}, pb.Party_TRADE_OFFICE, lim, store.ErrAlreadyExists},
		"buyer's share used":           {&openStore{byBuyerProducer: map[string]int{"buyers/b|" + producer: 3}}, pb.Party_BUYER, lim, ErrTooManyOpen},
		"buyer's share is the buyer's": {&openStore{byBuyerProducer: map[string]int{"buyers/b|" + producer: 3}}, pb.Party_TRADE_OFFICE, lim, nil},
		"buyer's share not yet used":   {&openStore{byBuyerProducer: map[string]int{"buyers/b|" + producer: 2}}, pb.Party_BUYER, lim, nil},
		"producer full":                {&openStore{perProducer: map[string]int64{producer: 10}}, pb.Party_PRODUCER_SIDE, lim, ErrTooManyOpen},
		"producer not full":            {&openStore{perProducer: map[string]int64{producer: 9}}, pb.Party_PRODUCER_SIDE, lim, nil},
		"no cap":                       {&openStore{perProducer: map[string]int64{producer: 1000}}, pb.Party_BUYER, Limits{}, nil},
		"store error":                  {&openStore{err: boom}, pb.Party_BUYER, lim, boom},
	} {
		t.Run(name, func(t *testing.T) {
			err := CheckLimits(context.Background(), tc.st, tc.lim, br, "buyers/b", listing, producer, tc.by)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("CheckLimits: %v, want %v", err, tc.want)
			}
		})
	}
}
