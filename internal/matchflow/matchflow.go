// Package matchflow is the life cycle of a match: how it is proposed, who
// may answer it, what an answer changes, and how it ends. The rules are
// plain functions over the match (and its buying request, listings and
// producers), so they are unit-tested without a database; package grpcapi
// reads what they need, calls them (an answer inside the store's
// conditional update) and maps the errors. CheckLimits reads the open
// proposals through a two-method store interface.
//
//	(new) --Propose, within CheckLimits--> PROPOSED
//	PROPOSED --Accept by the buyer and every member--> CONNECTED
//	PROPOSED --Decline by either side--> DECLINED
//	CONNECTED --Close with a deal--> CLOSED_DEAL
//	CONNECTED --Close without one--> CLOSED_NO_DEAL
//	PROPOSED --its expire time passes unanswered--> EXPIRED (Expire)
package matchflow

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Errors of the life cycle. A refused transition wraps
// store.ErrFailedPrecondition, which the API answers FAILED_PRECONDITION.
var (
	// ErrNotMember: the producer answering is not a member of the match.
	ErrNotMember = errors.New("not a member of the match")
	// ErrParty: the trade office proposes but does not answer.
	ErrParty = errors.New("only the buyer or a member producer answers")
)

// Member is the match's member of producer, nil when there is none.
func Member(m *pb.Match, producer string) *pb.MatchMember {
	for _, mem := range m.GetMembers() {
		if mem.GetProducer() == producer {
			return mem
		}
	}
	return nil
}

// checkAnswerer refuses an answer from a party that may not give one.
func checkAnswerer(m *pb.Match, party pb.Party, producer string) error {
	switch party {
	case pb.Party_BUYER:
		return nil
	case pb.Party_PRODUCER_SIDE:
		if Member(m, producer) == nil {
			return fmt.Errorf("%w: producer %q, match %q", ErrNotMember, producer, m.GetName())
		}
		return nil
	}
	return ErrParty
}

// Accept records one side's acceptance of a proposed match. Accepting twice
// changes nothing; when the buyer and every member have accepted, the match
// is CONNECTED.
func Accept(m *pb.Match, party pb.Party, producer string, now time.Time) error {
	if err := checkAnswerer(m, party, producer); err != nil {
		return err
	}
	if m.GetState() != pb.Match_PROPOSED {
		return fmt.Errorf("%w: match %q is %s; only proposed matches can be accepted", store.ErrFailedPrecondition, m.GetName(), m.GetState())
	}
	ts := timestamppb.New(now)
	if party == pb.Party_BUYER {
		if m.GetBuyerAnswer() != pb.Answer_ACCEPTED {
			m.BuyerAnswer, m.BuyerAnswerTime = pb.Answer_ACCEPTED, ts
		}
	} else if mem := Member(m, producer); mem.GetAnswer() != pb.Answer_ACCEPTED {
		mem.Answer, mem.AnswerTime = pb.Answer_ACCEPTED, ts
	}
	all := m.GetBuyerAnswer() == pb.Answer_ACCEPTED
	for _, mem := range m.GetMembers() {
		all = all && mem.GetAnswer() == pb.Answer_ACCEPTED
	}
	if all {
		m.State = pb.Match_CONNECTED
	}
	return nil
}

// Decline records one side's refusal: the match is DECLINED, with the
// reason when one is given.
func Decline(m *pb.Match, party pb.Party, producer, reason string, now time.Time) error {
	if err := checkAnswerer(m, party, producer); err != nil {
		return err
	}
	if m.GetState() != pb.Match_PROPOSED {
		return fmt.Errorf("%w: match %q is %s; only proposed matches can be declined", store.ErrFailedPrecondition, m.GetName(), m.GetState())
	}
	ts := timestamppb.New(now)
	if party == pb.Party_BUYER {
		m.BuyerAnswer, m.BuyerAnswerTime = pb.Answer_DECLINED, ts
	} else {
		mem := Member(m, producer)
		mem.Answer, mem.AnswerTime = pb.Answer_DECLINED, ts
	}
	m.State = pb.Match_DECLINED
	if reason != "" {
		m.NoDealReason = "declined: " + reason
	}
	return nil
}

// Close ends a connected match: with a deal (its unit and destination
// taken from the buying request, its Incoterm too unless the deal names
// one, because export statistics are built from deals) or with the reason
// there was none.
func Close(m *pb.Match, deal *pb.Deal, noDealReason string, br *pb.BuyingRequest) error {
	if m.GetState() != pb.Match_CONNECTED {
		return fmt.Errorf("%w: match %q is %s; only connected matches can be closed", store.ErrFailedPrecondition, m.GetName(), m.GetState())
	}
	if deal == nil {
		m.State, m.NoDealReason = pb.Match_CLOSED_NO_DEAL, noDealReason
		return nil
	}
	d := proto.CloneOf(deal)
	d.Unit, d.DestinationCountryCode = br.GetUnit(), br.GetDestinationCountryCode()
	if d.Incoterm == pb.Incoterm_INCOTERM_UNSPECIFIED {
		d.Incoterm = br.GetIncoterm()
	}
	m.State, m.Deal = pb.Match_CLOSED_DEAL, d
	return nil
}

// CanConnect refuses an acceptance that would connect parties on a request
// that is no longer open (closed, expired or deleted).
func CanConnect(m *pb.Match, br *pb.BuyingRequest) error {
	if m.GetState() == pb.Match_PROPOSED && br.GetState() != pb.BuyingRequest_OPEN {
		return fmt.Errorf("%w: buying request %q is no longer open", store.ErrFailedPrecondition, m.GetBuyingRequest())
	}
	return nil
}

// Expire derives EXPIRED for a proposal nobody answered before its expire
// time; it is applied whenever a match is read, so no background job has to
// run. It reports whether the match expired.
func Expire(m *pb.Match, now time.Time) bool {
	if m.GetState() == pb.Match_PROPOSED && m.GetExpireTime() != nil && !m.GetExpireTime().AsTime().After(now) {
		m.State = pb.Match_EXPIRED
		return true
	}
	return false
}
