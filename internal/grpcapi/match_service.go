package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/matchcache"
	"github.com/adiekspor/temubisnis/internal/matchflow"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// MatchService implements pb.MatchServiceServer: proposals and their life
// cycle (package matchflow), and the rankings of the matching engine
// (match_service_ranking.go).
type MatchService struct {
	pb.UnimplementedMatchServiceServer
	base
	matches MatchStore
	policy  MatchPolicy
	// matching ranks and checks fits; nil leaves fits unchecked and the
	// rankings unimplemented.
	matching  *matchcache.Cache
	producers ProducerReader
	listings  ListingQueries
	buyers    BuyerReader
	requests  BuyingRequestQueries
}

// MatchPolicy holds the configurable rules of the match life cycle.
type MatchPolicy struct {
	// ProposalTTL is how long a proposal waits for answers before it
	// expires.
	ProposalTTL time.Duration
	// MaxOpenProposals caps the unanswered proposals one producer can hold,
	// so that the most responsive firms are not flooded.
	MaxOpenProposals int
}

// DefaultMatchPolicy is used unless configured otherwise.
var DefaultMatchPolicy = MatchPolicy{ProposalTTL: 14 * 24 * time.Hour, MaxOpenProposals: 10}

const matchNameHelp = "must be a match name like matches/m-abc123"

var matchSchema = query.Schema{
	"buyer":            {Kind: query.String},
	"buying_request":   {Kind: query.String},
	"members.producer": {Kind: query.String, Repeated: true},
	"members.listing":  {Kind: query.String, Repeated: true},
	"state":            {Kind: query.Enum, Enum: pb.Match_STATE_UNSPECIFIED.Descriptor()},
	"proposed_by":      {Kind: query.Enum, Enum: pb.Party_PARTY_UNSPECIFIED.Descriptor()},
}

func parseMatchName(name string) bool {
	_, ok := parseName(name, "matches/{}")
	return ok
}

// maxGroupMembers bounds a group; Blitar's largest known order took 23
// craftsmen.
const maxGroupMembers = 50

// maxQuantity bounds one allotment, so that sums cannot overflow.
const maxQuantity = 1_000_000_000_000

// CreateMatch implements MatchService: a proposal. The rules of a new
// match are matchflow's (Propose, CheckLimits); the handler reads what
// they need.
func (s *MatchService) CreateMatch(ctx context.Context, req *pb.CreateMatchRequest) (*pb.Match, error) {
	if err := checkProposal(req); err != nil {
		return nil, err
	}
	in := req.GetMatch()
	if req.GetRequestId() != "" {
		// A retry returns the match the first call made, whatever has
		// changed since (the cap, the listing's state).
		if m, err := s.retriedProposal(ctx, req); m != nil || err != nil {
			return m, err
		}
	}
	br, err := s.requests.GetBuyingRequest(ctx, in.GetBuyingRequest())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	buyerID, _, _ := parseBuyingRequestName(in.GetBuyingRequest())
	buyer, err := s.buyers.GetBuyer(ctx, buyerName(buyerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	offers, err := s.offers(ctx, in)
	if err != nil {
		return nil, err
	}
	// Propose refuses a request that is not open and a listing that is not
	// active; the limits and the fit are asked only of a proposal it takes.
	m, err := matchflow.Propose(matchflow.Proposal{
		Name: matchName(req), Request: br, Buyer: buyer, ProposedBy: in.GetProposedBy(), Message: in.GetMessage(),
		Members: offers, Now: s.now(), TTL: s.policy.ProposalTTL,
	})
	var over *matchflow.OverAllottedError
	if errors.As(err, &over) {
		return nil, invalid("match.members", over.Error())
	}
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.checkOffers(ctx, in.GetProposedBy(), br, buyer, offers); err != nil {
		return nil, err
	}
	out, err := s.matches.CreateMatch(ctx, m, req.GetRequestId())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return s.withContacts(ctx, out)
}

// checkProposal validates the form of a CreateMatch request.
func checkProposal(req *pb.CreateMatchRequest) error {
	var v validate.Violations
	in := req.GetMatch()
	if in == nil {
		v.Add("match", "is required")
		return v.Err()
	}
	checkRequestID(&v, req.GetRequestId())
	checkID(&v, "match_id", req.GetMatchId())
	if _, _, ok := parseBuyingRequestName(in.GetBuyingRequest()); !ok {
		v.Add("match.buying_request", buyingRequestNameHelp)
	}
	switch in.GetProposedBy() {
	case pb.Party_BUYER, pb.Party_TRADE_OFFICE:
	case pb.Party_PRODUCER_SIDE:
		if len(in.GetMembers()) > 1 {
			v.Add("match.proposed_by", "a producer proposes for itself only; group proposals come from the buyer or the trade office")
		}
	default:
		v.Add("match.proposed_by", "must be BUYER, PRODUCER_SIDE or TRADE_OFFICE")
	}
	if len(in.GetMessage()) > 1000 {
		v.Add("match.message", "must be at most 1000 characters")
	}
	checkMembers(&v, in.GetMembers())
	return v.Err()
}

// checkMembers validates the members of a proposal: listing names, one
// membership per producer, allotments (required in a group).
func checkMembers(v *validate.Violations, members []*pb.MatchMember) {
	switch {
	case len(members) == 0:
		v.Add("match.members", "at least one listing is required")
	case len(members) > maxGroupMembers:
		v.Addf("match.members", "at most %d members", maxGroupMembers)
	}
	seen := map[string]bool{}
	for i, m := range members {
		field := fmt.Sprintf("match.members[%d]", i)
		producerID, _, ok := parseListingName(m.GetListing())
		if !ok {
			v.Add(field+".listing", listingNameHelp)
			continue
		}
		if seen[producerID] {
			v.Add(field+".listing", "each producer can be a member once")
		}
		seen[producerID] = true
		if m.GetAllottedQuantity() < 0 || (len(members) > 1 && m.GetAllottedQuantity() == 0) {
			v.Add(field+".allotted_quantity", "must be positive (required for every member of a group)")
		}
		if m.GetAllottedQuantity() > maxQuantity {
			v.Addf(field+".allotted_quantity", "must be at most %d", maxQuantity)
		}
	}
}

// retriedProposal returns the match an earlier call with the same request
// id made, nil when there is none; the same id sent with a different
// proposal is ALREADY_EXISTS.
func (s *MatchService) retriedProposal(ctx context.Context, req *pb.CreateMatchRequest) (*pb.Match, error) {
	m, err := s.matches.GetMatch(ctx, matchName(req))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if !sameProposal(m, req.GetMatch()) {
		return nil, status.Errorf(codes.AlreadyExists, "request_id %q was already used for a different proposal on this buying request; use a new request id", req.GetRequestId())
	}
	return s.withContacts(ctx, m)
}

// offers reads each member's listing and producer.
func (s *MatchService) offers(ctx context.Context, in *pb.Match) ([]matchflow.Offer, error) {
	offers := make([]matchflow.Offer, 0, len(in.GetMembers()))
	for _, want := range in.GetMembers() {
		l, err := s.listings.GetListing(ctx, want.GetListing())
		if err != nil {
			return nil, s.err(ctx, err)
		}
		producerID, _, _ := parseListingName(l.GetName())
		p, err := s.producers.GetProducer(ctx, producerName(producerID))
		if err != nil {
			return nil, s.err(ctx, err)
		}
		offers = append(offers, matchflow.Offer{Listing: l, Producer: p, Quantity: want.GetAllottedQuantity()})
	}
	return offers, nil
}

// checkOffers checks each member against the limits on open proposals and,
// for a producer's own proposal, the request's hard constraints.
func (s *MatchService) checkOffers(ctx context.Context, proposer pb.Party, br *pb.BuyingRequest, buyer *pb.Buyer, offers []matchflow.Offer) error {
	limits := matchflow.Limits{PerProducer: s.policy.MaxOpenProposals, PerBuyerAndProducer: maxOpenPerBuyerAndProducer}
	fit := proposer == pb.Party_PRODUCER_SIDE && auth.FromContext(ctx).Role == auth.RoleProducer
	for i, o := range offers {
		if err := matchflow.CheckLimits(ctx, s.matches, limits, br, buyer.GetName(), o.Listing.GetName(), o.Producer.GetName(), proposer); err != nil {
			return s.err(ctx, err)
		}
		if fit {
			if err := s.checkFit(ctx, br, buyer, o.Listing, o.Producer, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// matchName is the name of the match a CreateMatch call makes: the
// client's match_id, or one derived from the request id (so that a retry
// finds the first call's match), or a fresh one.
func matchName(req *pb.CreateMatchRequest) string {
	if id := req.GetMatchId(); id != "" {
		return "matches/" + id
	}
	return "matches/" + newID("m", req.GetMatch().GetBuyingRequest(), req.GetRequestId())
}

// withContacts fills in the parties' contact details of a CONNECTED (or
// closed after connecting) match; before that they stay hidden.
func (s *MatchService) withContacts(ctx context.Context, m *pb.Match) (*pb.Match, error) {
	switch m.GetState() {
	case pb.Match_CONNECTED, pb.Match_CLOSED_DEAL, pb.Match_CLOSED_NO_DEAL:
	default:
		return m, nil
	}
	if b, err := s.buyers.GetBuyer(ctx, m.GetBuyer()); err == nil {
		m.BuyerContact = b.GetContact()
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, s.err(ctx, err)
	}
	for _, mem := range m.GetMembers() {
		if p, err := s.producers.GetProducer(ctx, mem.GetProducer()); err == nil {
			mem.Contact = p.GetContact()
		} else if !errors.Is(err, store.ErrNotFound) {
			return nil, s.err(ctx, err)
		}
	}
	return m, nil
}

// GetMatch implements MatchService.
func (s *MatchService) GetMatch(ctx context.Context, req *pb.GetMatchRequest) (*pb.Match, error) {
	if !parseMatchName(req.GetName()) {
		return nil, invalid("name", matchNameHelp)
	}
	m, err := s.matches.GetMatch(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return s.withContacts(ctx, m)
}

// ListMatches implements MatchService.
func (s *MatchService) ListMatches(ctx context.Context, req *pb.ListMatchesRequest) (*pb.ListMatchesResponse, error) {
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		method: "ListMatches", schema: matchSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	items, more, err := s.matches.ListMatches(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	for i, m := range items {
		if items[i], err = s.withContacts(ctx, m); err != nil {
			return nil, err
		}
	}
	return &pb.ListMatchesResponse{Matches: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// answer applies one side's answer, once per request id.
func (s *MatchService) answer(ctx context.Context, name string, party pb.Party, producer, requestID, verb string, apply func(m *pb.Match, now time.Time) error) (*pb.Match, error) {
	var v validate.Violations
	if !parseMatchName(name) {
		v.Add("name", matchNameHelp)
	}
	switch party {
	case pb.Party_BUYER:
	case pb.Party_PRODUCER_SIDE:
		if _, ok := parseProducerName(producer); !ok {
			v.Add("producer", "the member producer answering, like producers/jimbe-jaya, is required for PRODUCER_SIDE")
		}
	default:
		v.Add("party", "must be BUYER or PRODUCER_SIDE: the trade office proposes but does not answer")
	}
	checkRequestID(&v, requestID)
	if err := v.Err(); err != nil {
		return nil, err
	}
	key := ""
	if requestID != "" {
		key = verb + "/" + party.String() + "/" + producer + "/" + requestID
	}
	out, err := s.matches.AnswerMatch(ctx, name, key, func(m *pb.Match) error {
		err := apply(m, s.now())
		if errors.Is(err, matchflow.ErrNotMember) {
			return status.Errorf(codes.InvalidArgument, "producer %q is not a member of match %q", producer, name)
		}
		return err
	})
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return s.withContacts(ctx, out)
}

// matchAndRequest reads a match and its buying request; a request deleted
// since comes back empty (its state then reads as unspecified, not OPEN).
func (s *MatchService) matchAndRequest(ctx context.Context, name string) (*pb.Match, *pb.BuyingRequest, error) {
	m, err := s.matches.GetMatch(ctx, name)
	if err != nil {
		return nil, nil, s.err(ctx, err)
	}
	br, err := s.requests.GetBuyingRequest(ctx, m.GetBuyingRequest())
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, s.err(ctx, err)
	}
	return m, br, nil
}

// AcceptMatch implements MatchService. Accepting twice is harmless; the
// match connects when the buyer and every member have accepted.
func (s *MatchService) AcceptMatch(ctx context.Context, req *pb.AcceptMatchRequest) (*pb.Match, error) {
	if parseMatchName(req.GetName()) {
		// Nobody connects on a request that is closed or expired.
		m, br, err := s.matchAndRequest(ctx, req.GetName())
		if err != nil {
			return nil, err
		}
		if err := matchflow.CanConnect(m, br); err != nil {
			return nil, s.err(ctx, err)
		}
	}
	return s.answer(ctx, req.GetName(), req.GetParty(), req.GetProducer(), req.GetRequestId(), "accept", func(m *pb.Match, now time.Time) error {
		return matchflow.Accept(m, req.GetParty(), req.GetProducer(), now)
	})
}

// DeclineMatch implements MatchService.
func (s *MatchService) DeclineMatch(ctx context.Context, req *pb.DeclineMatchRequest) (*pb.Match, error) {
	if len(req.GetReason()) > 1000 {
		return nil, invalid("reason", "must be at most 1000 characters")
	}
	return s.answer(ctx, req.GetName(), req.GetParty(), req.GetProducer(), req.GetRequestId(), "decline", func(m *pb.Match, now time.Time) error {
		return matchflow.Decline(m, req.GetParty(), req.GetProducer(), req.GetReason(), now)
	})
}

// CloseMatch implements MatchService. A deal records quantity, value and
// shipment date completely, with unit, destination and Incoterm taken from
// the buying request, because export statistics are built from deals.
func (s *MatchService) CloseMatch(ctx context.Context, req *pb.CloseMatchRequest) (*pb.Match, error) {
	var v validate.Violations
	if !parseMatchName(req.GetName()) {
		v.Add("name", matchNameHelp)
	}
	checkRequestID(&v, req.GetRequestId())
	deal := req.GetDeal()
	switch {
	case deal == nil && req.GetNoDealReason() == "":
		v.Add("deal", "give the deal, or a no_deal_reason when there was none")
	case deal != nil && req.GetNoDealReason() != "":
		v.Add("no_deal_reason", "give either a deal or a no_deal_reason, not both")
	case deal != nil:
		checkDeal(&v, deal)
	}
	if len(req.GetNoDealReason()) > 1000 {
		v.Add("no_deal_reason", "must be at most 1000 characters")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	_, br, err := s.matchAndRequest(ctx, req.GetName())
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, req.GetName(), pb.Party_BUYER, "", req.GetRequestId(), "close", func(m *pb.Match, _ time.Time) error {
		return matchflow.Close(m, deal, req.GetNoDealReason(), br)
	})
}

// checkDeal validates the deal a match is closed with.
func checkDeal(v *validate.Violations, deal *pb.Deal) {
	if deal.GetQuantity() <= 0 {
		v.Add("deal.quantity", "must be positive")
	}
	if deal.GetValue() == nil {
		v.Add("deal.value", "is required")
	} else {
		validate.Money(v, "deal.value", deal.GetValue())
	}
	if deal.GetShipmentDate() == nil || !validate.Date(deal.GetShipmentDate()) {
		v.Add("deal.shipment_date", "must be a full calendar date")
	}
	if len(deal.GetNote()) > 1000 {
		v.Add("deal.note", "must be at most 1000 characters")
	}
	if _, ok := pb.Incoterm_name[int32(deal.GetIncoterm())]; !ok {
		v.Add("deal.incoterm", "is not an Incoterms 2020 rule")
	}
	if deal.GetQuantity() > maxQuantity {
		v.Addf("deal.quantity", "must be at most %d", maxQuantity)
	}
}

// sameProposal reports whether a stored match is the proposal in (a retry)
// rather than a different one sent under the same request id: the same
// proposer and the same members, in any order, with the same quantities (a
// member sent without one got the request's quantity when stored).
func sameProposal(m, in *pb.Match) bool {
	if m.GetProposedBy() != in.GetProposedBy() || len(m.GetMembers()) != len(in.GetMembers()) {
		return false
	}
	stored := make(map[string]int64, len(m.GetMembers()))
	for _, mem := range m.GetMembers() {
		stored[mem.GetListing()] = mem.GetAllottedQuantity()
	}
	for _, mem := range in.GetMembers() {
		qty, ok := stored[mem.GetListing()]
		if !ok || (mem.GetAllottedQuantity() != 0 && mem.GetAllottedQuantity() != qty) {
			return false
		}
	}
	return true
}

// maxOpenPerBuyerAndProducer bounds the unanswered proposals one buyer may
// send one producer (matchflow.Limits).
const maxOpenPerBuyerAndProducer = 3

// checkFit refuses a member listing that fails a hard constraint of
// matching (product, destination, required certificates): a producer's own
// proposal, which counts as its acceptance, is not a way around the
// constraints the buyer set (issue 10 item 14). Proposals of the buyer (who
// set the constraints and may waive them) and of the trade office (which
// curates group orders from near misses, and may propose for a producer)
// are not checked. The answer is
// FAILED_PRECONDITION with a PreconditionFailure naming each failed
// constraint.
func (s *MatchService) checkFit(ctx context.Context, br *pb.BuyingRequest, buyer *pb.Buyer, l *pb.Listing, p *pb.Producer, i int) error {
	if s.matching == nil {
		return nil
	}
	eng, err := s.matching.Engine(ctx)
	if err != nil {
		return s.err(ctx, err)
	}
	unfit := eng.Fit(br, buyer, l, p)
	if len(unfit) == 0 {
		return nil
	}
	pf := &errdetails.PreconditionFailure{}
	msg := fmt.Sprintf("listing %q does not fit buying request %q:", l.GetName(), br.GetName())
	for j, u := range unfit {
		pf.Violations = append(pf.Violations, &errdetails.PreconditionFailure_Violation{
			Type: strings.ToUpper(u.Constraint), Subject: fmt.Sprintf("match.members[%d].listing", i), Description: u.Reason,
		})
		if j > 0 {
			msg += ";"
		}
		msg += " " + u.Reason
	}
	st, derr := status.New(codes.FailedPrecondition, msg).WithDetails(pf)
	if derr != nil {
		return status.Error(codes.FailedPrecondition, msg)
	}
	return st.Err()
}
