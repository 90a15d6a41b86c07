package matchflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Proposal is what a new match is made of: the request and buyer it is
// for, who proposes, and each member's listing, producer and allotment, as
// read from the store.
type Proposal struct {
	Name       string
	Request    *pb.BuyingRequest
	Buyer      *pb.Buyer
	ProposedBy pb.Party
	Message    string
	Members    []Offer
	Now        time.Time
	// TTL is how long the proposal waits for answers before it expires.
	TTL time.Duration
}

// Offer is one member of a proposal.
type Offer struct {
	Listing  *pb.Listing
	Producer *pb.Producer
	// Quantity is the member's allotment; 0 means the whole requested
	// quantity (only a single member may leave it out).
	Quantity int64
}

// checkRequest refuses a proposal on a buying request that is not open.
func checkRequest(br *pb.BuyingRequest) error {
	if br.GetState() != pb.BuyingRequest_OPEN {
		return fmt.Errorf("%w: buying request %q is %s", store.ErrFailedPrecondition, br.GetName(), br.GetState())
	}
	return nil
}

// checkListing refuses a member listing that is not active.
func checkListing(l *pb.Listing) error {
	if l.GetState() != pb.Listing_ACTIVE {
		return fmt.Errorf("%w: listing %q is %s; only active listings can be matched", store.ErrFailedPrecondition, l.GetName(), l.GetState())
	}
	return nil
}

// OverAllottedError: the members' allotments add up to more than the
// buying request asks for.
type OverAllottedError struct{ Total, Requested int64 }

func (e *OverAllottedError) Error() string {
	return fmt.Sprintf("allotted quantities add up to %d, more than the %d requested", e.Total, e.Requested)
}

// Propose returns the new match of p, PROPOSED and waiting for answers
// until p.Now+p.TTL. The proposer's own side has accepted already: a buyer
// who proposes, or the first member when a producer proposes for itself.
// The trade office proposes on behalf of both sides, who then answer.
func Propose(p Proposal) (*pb.Match, error) {
	if err := checkRequest(p.Request); err != nil {
		return nil, err
	}
	now := timestamppb.New(p.Now)
	m := &pb.Match{
		Name:             p.Name,
		BuyingRequest:    p.Request.GetName(),
		Buyer:            p.Buyer.GetName(),
		BuyerDisplayName: p.Buyer.GetDisplayName(),
		ProposedBy:       p.ProposedBy,
		Message:          p.Message,
		BuyerAnswer:      pb.Answer_PENDING,
		State:            pb.Match_PROPOSED,
		ExpireTime:       timestamppb.New(p.Now.Add(p.TTL)),
	}
	var total int64
	for i, o := range p.Members {
		if err := checkListing(o.Listing); err != nil {
			return nil, err
		}
		qty := o.Quantity
		if qty == 0 {
			qty = p.Request.GetQuantity()
		}
		total += qty
		member := &pb.MatchMember{
			Listing: o.Listing.GetName(), Producer: o.Producer.GetName(), ProducerDisplayName: o.Producer.GetDisplayName(),
			AllottedQuantity: qty, Answer: pb.Answer_PENDING,
		}
		if p.ProposedBy == pb.Party_PRODUCER_SIDE && i == 0 {
			member.Answer, member.AnswerTime = pb.Answer_ACCEPTED, now
		}
		m.Members = append(m.Members, member)
	}
	if total > p.Request.GetQuantity() {
		return nil, &OverAllottedError{Total: total, Requested: p.Request.GetQuantity()}
	}
	if p.ProposedBy == pb.Party_BUYER {
		m.BuyerAnswer, m.BuyerAnswerTime = pb.Answer_ACCEPTED, now
	}
	return m, nil
}

// ErrTooManyOpen: the producer (or this buyer's share of its attention)
// has as many proposals waiting as it may; the API answers
// RESOURCE_EXHAUSTED.
var ErrTooManyOpen = errors.New("too many open proposals")

// refusal is an error with a message written for the caller that still
// matches its kind with errors.Is.
type refusal struct {
	kind error
	msg  string
}

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return r.kind }

// OpenProposals is what CheckLimits reads: matches by condition, and the
// count of a producer's open proposals.
type OpenProposals interface {
	ListMatches(ctx context.Context, o store.ListOptions) ([]*pb.Match, bool, error)
	CountOpenProposals(ctx context.Context, producer string) (int64, error)
}

// Limits bound the proposals waiting for answers.
type Limits struct {
	// PerProducer caps one producer's open proposals; 0 means no cap.
	PerProducer int
	// PerBuyerAndProducer caps the open proposals one buyer sends one
	// producer, so that no buyer can fill a producer's quota and lock
	// everyone else out.
	PerBuyerAndProducer int
}

// CheckLimits refuses a member that repeats an open proposal (same
// request, same listing: store.ErrAlreadyExists), that would give a buyer
// more than its share of a producer's attention, or that exceeds the
// producer's cap (both ErrTooManyOpen). The messages do not reveal other
// parties' proposals.
func CheckLimits(ctx context.Context, st OpenProposals, lim Limits, br *pb.BuyingRequest, buyer, listing, producer string, proposer pb.Party) error {
	openWith := func(field1, value1, field2, value2 string, limit int) (int, error) {
		items, _, err := st.ListMatches(ctx, store.ListOptions{PageSize: limit, Conditions: []query.Condition{
			{Field: field1, Op: query.Eq, Value: value1},
			{Field: field2, Op: query.Eq, Value: value2},
			{Field: "state", Op: query.Eq, Value: pb.Match_PROPOSED.String()},
		}})
		return len(items), err
	}
	n, err := openWith("buying_request", br.GetName(), "members.listing", listing, 1)
	if err != nil {
		return err
	}
	if n > 0 {
		return &refusal{store.ErrAlreadyExists, fmt.Sprintf("listing %q is already proposed for buying request %q and waiting for answers", listing, br.GetName())}
	}
	if proposer == pb.Party_BUYER && lim.PerBuyerAndProducer > 0 {
		n, err := openWith("buyer", buyer, "members.producer", producer, lim.PerBuyerAndProducer)
		if err != nil {
			return err
		}
		if n >= lim.PerBuyerAndProducer {
			return &refusal{ErrTooManyOpen, fmt.Sprintf("%d proposals to producer %q are already waiting for its answer; wait for answers before proposing more", n, producer)}
		}
	}
	if lim.PerProducer <= 0 {
		return nil
	}
	open, err := st.CountOpenProposals(ctx, producer)
	if err != nil {
		return err
	}
	if open >= int64(lim.PerProducer) {
		return &refusal{ErrTooManyOpen, fmt.Sprintf("producer %q cannot take more proposals now; try again later", producer)}
	}
	return nil
}
