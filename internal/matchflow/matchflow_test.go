package matchflow

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

var now = time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)

func proposed(members ...string) *pb.Match {
	m := &pb.Match{Name: "matches/m1", BuyingRequest: "buyers/b/buyingRequests/r", State: pb.Match_PROPOSED, BuyerAnswer: pb.Answer_PENDING}
	for _, p := range members {
		m.Members = append(m.Members, &pb.MatchMember{Producer: p, Answer: pb.Answer_PENDING})
	}
	return m
}

func TestAcceptConnectsWhenEveryoneAccepted(t *testing.T) {
	m := proposed("producers/a", "producers/b")
	for i, step := range []struct {
		party    pb.Party
		producer string
		want     pb.Match_State
	}{
		{pb.Party_PRODUCER_SIDE, "producers/a", pb.Match_PROPOSED},
		{pb.Party_BUYER, "", pb.Match_PROPOSED},
		{pb.Party_BUYER, "", pb.Match_PROPOSED}, // twice: no change
		{pb.Party_PRODUCER_SIDE, "producers/b", pb.Match_CONNECTED},
	} {
		if err := Accept(m, step.party, step.producer, now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if m.GetState() != step.want {
			t.Fatalf("step %d: state %v, want %v", i, m.GetState(), step.want)
		}
	}
	if got := m.GetBuyerAnswerTime().AsTime(); !got.Equal(now.Add(time.Minute)) {
		t.Errorf("a second accept moved the buyer's answer time to %v", got)
	}
}

func TestRefusals(t *testing.T) {
	connected := proposed("producers/a")
	connected.State = pb.Match_CONNECTED
	closed := proposed("producers/a")
	closed.State = pb.Match_CLOSED_DEAL
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"accept by a non-member", Accept(proposed("producers/a"), pb.Party_PRODUCER_SIDE, "producers/x", now), ErrNotMember},
		{"accept by the trade office", Accept(proposed("producers/a"), pb.Party_TRADE_OFFICE, "", now), ErrParty},
		{"accept a connected match", Accept(connected, pb.Party_BUYER, "", now), store.ErrFailedPrecondition},
		{"decline a connected match", Decline(connected, pb.Party_BUYER, "", "", now), store.ErrFailedPrecondition},
		{"decline by a non-member", Decline(proposed("producers/a"), pb.Party_PRODUCER_SIDE, "producers/x", "", now), ErrNotMember},
		{"close a proposed match", Close(proposed("producers/a"), nil, "no reply", &pb.BuyingRequest{}), store.ErrFailedPrecondition},
		{"close a closed match", Close(closed, nil, "again", &pb.BuyingRequest{}), store.ErrFailedPrecondition},
		{"connect on a closed request", CanConnect(proposed("producers/a"), &pb.BuyingRequest{State: pb.BuyingRequest_CLOSED}), store.ErrFailedPrecondition},
		{"connect on a deleted request", CanConnect(proposed("producers/a"), nil), store.ErrFailedPrecondition},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.err, tc.want)
		}
	}
	if err := CanConnect(proposed("producers/a"), &pb.BuyingRequest{State: pb.BuyingRequest_OPEN}); err != nil {
		t.Errorf("open request: %v", err)
	}
}

func TestDeclineEndsTheMatch(t *testing.T) {
	m := proposed("producers/a")
	if err := Decline(m, pb.Party_PRODUCER_SIDE, "producers/a", "no capacity before June", now); err != nil {
		t.Fatal(err)
	}
	if m.GetState() != pb.Match_DECLINED || m.GetMembers()[0].GetAnswer() != pb.Answer_DECLINED || m.GetNoDealReason() != "declined: no capacity before June" {
		t.Errorf("after decline: %v", m)
	}
}

func TestCloseTakesTheRequestsTerms(t *testing.T) {
	br := &pb.BuyingRequest{Unit: "piece", DestinationCountryCode: "US", Incoterm: pb.Incoterm_FOB}
	m := proposed("producers/a")
	m.State = pb.Match_CONNECTED
	deal := &pb.Deal{Quantity: 400, Value: &money.Money{CurrencyCode: "USD", Units: 6000}}
	if err := Close(m, deal, "", br); err != nil {
		t.Fatal(err)
	}
	d := m.GetDeal()
	if m.GetState() != pb.Match_CLOSED_DEAL || d.GetUnit() != "piece" || d.GetDestinationCountryCode() != "US" || d.GetIncoterm() != pb.Incoterm_FOB {
		t.Errorf("deal %v, state %v", d, m.GetState())
	}
	if deal.GetUnit() != "" {
		t.Error("the caller's deal was changed")
	}
	n := proposed("producers/a")
	n.State = pb.Match_CONNECTED
	if err := Close(n, nil, "buyer chose another supplier", br); err != nil || n.GetState() != pb.Match_CLOSED_NO_DEAL || n.GetNoDealReason() != "buyer chose another supplier" {
		t.Errorf("close without deal: %v %v", err, n)
	}
}

func TestExpire(t *testing.T) {
	m := proposed("producers/a")
	m.ExpireTime = timestamppb.New(now)
	if Expire(m, now.Add(-time.Second)) || m.GetState() != pb.Match_PROPOSED {
		t.Error("expired before its time")
	}
	if !Expire(m, now) || m.GetState() != pb.Match_EXPIRED {
		t.Error("not expired at its expire time")
	}
	c := proposed("producers/a")
	c.State, c.ExpireTime = pb.Match_CONNECTED, timestamppb.New(now)
	if Expire(c, now.Add(time.Hour)) || c.GetState() != pb.Match_CONNECTED {
		t.Error("a connected match expired")
	}
}
