// Package policy decides who may call which method on which resource. It is
// the one place where access rules live: the table below has a row for every
// method of every service, and a test fails when a method has none. A reader
// can audit the whole of it in one sitting.
//
// The roles (see package auth):
//
//   - anonymous: search, active listings, public producer profiles, the
//     requirement catalogue, exchange rates;
//   - producer (bound to producers/{id}): its own profile and listings, open
//     buying requests (requests for quotation are meant for producers to see),
//     recommendations for itself, and its own matches;
//   - buyer (bound to buyers/{id}): its own profile, requests and matches;
//   - trade office: everything;
//   - service account: exactly the methods its token grants, and only
//     methods marked grantable (reads and matching), never writes.
//
// Decisions are gRPC status errors: UNAUTHENTICATED when a method needs a
// token and none came, PERMISSION_DENIED when the caller may see the resource
// but not do this to it, NOT_FOUND (worded exactly like the store's) when the
// caller may not even know the resource exists.
//
// Contact details are cleared from every response except for their owner
// and the trade office; a match shows them to its parties once connected
// (package grpcapi fills them in only then).
package policy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Facts answers the questions about stored data that some decisions need.
// Each returns an error wrapping store.ErrNotFound when the resource does not
// exist.
type Facts interface {
	ListingState(ctx context.Context, name string) (pb.Listing_State, error)
	BuyingRequestState(ctx context.Context, name string) (pb.BuyingRequest_State, error)
	MatchParties(ctx context.Context, name string) (buyer string, producers []string, err error)
}

// Policy applies the table to calls.
type Policy struct{ facts Facts }

// New returns the policy, reading stored data through facts.
func New(facts Facts) *Policy { return &Policy{facts: facts} }

// rule is one row of the table.
type rule struct {
	// write marks methods that change data; the audit trail records them.
	write bool
	// grantable marks methods a service account may be granted.
	grantable bool
	// check decides for callers other than the trade office and granted
	// service accounts. It may narrow the request (a list filter, a
	// parent). nil means the trade office only.
	check func(c *call) error
	// after checks a response for the same callers, for rules that depend
	// on the resource's state (a paused listing is hidden). May be nil.
	after func(c *call, resp any) error
}

// Methods are full gRPC method names; short aliases keep the table readable.
const (
	prod  = "/temubisnis.v1.ProducerService/"
	buy   = "/temubisnis.v1.BuyerService/"
	reqs  = "/temubisnis.v1.RequirementService/"
	srch  = "/temubisnis.v1.SearchService/"
	match = "/temubisnis.v1.MatchService/"
	audit = "/temubisnis.v1.AuditService/"
)

var table = map[string]rule{
	// Producers: profiles are public (without contact details); the
	// producer edits its own, the trade office verifies.
	prod + "CreateProducer": {write: true, check: func(c *call) error {
		r := c.req.(*pb.CreateProducerRequest)
		if c.p.Role == auth.RoleProducer && r.GetProducerId() != "" && "producers/"+r.GetProducerId() == c.p.Resource {
			return nil
		}
		return c.deny("a producer account creates only its own profile, with producer_id set to its own id")
	}},
	prod + "GetProducer":    {grantable: true, check: anyone},
	prod + "ListProducers":  {grantable: true, check: anyone},
	prod + "UpdateProducer": {write: true, check: func(c *call) error { return c.ownProducer(c.req.(*pb.UpdateProducerRequest).GetProducer().GetName()) }},
	prod + "DeleteProducer": {write: true, check: func(c *call) error { return c.ownProducer(c.req.(*pb.DeleteProducerRequest).GetName()) }},
	prod + "VerifyProducer": {write: true},

	// Listings: active ones are public; drafts, paused and archived ones
	// exist only for their producer and the trade office.
	prod + "CreateListing": {write: true, check: func(c *call) error { return c.ownProducer(c.req.(*pb.CreateListingRequest).GetParent()) }},
	prod + "GetListing":    {grantable: true, check: anyone, after: listingVisible},
	prod + "ListListings": {grantable: true, check: func(c *call) error {
		r := c.req.(*pb.ListListingsRequest)
		if c.p.Role != auth.RoleProducer || r.GetParent() != c.p.Resource {
			r.Filter = and(r.GetFilter(), "state = ACTIVE")
		}
		return nil
	}},
	prod + "UpdateListing":  {write: true, check: func(c *call) error { return c.ownListing(c.req.(*pb.UpdateListingRequest).GetListing().GetName()) }},
	prod + "DeleteListing":  {write: true, check: func(c *call) error { return c.ownListing(c.req.(*pb.DeleteListingRequest).GetName()) }},
	prod + "PublishListing": {write: true, check: func(c *call) error { return c.ownListing(c.req.(*pb.PublishListingRequest).GetName()) }},
	prod + "PauseListing":   {write: true, check: func(c *call) error { return c.ownListing(c.req.(*pb.PauseListingRequest).GetName()) }},
	prod + "ArchiveListing": {write: true, check: func(c *call) error { return c.ownListing(c.req.(*pb.ArchiveListingRequest).GetName()) }},

	// Buyers are private to themselves and the trade office.
	buy + "CreateBuyer": {write: true, check: func(c *call) error {
		r := c.req.(*pb.CreateBuyerRequest)
		if c.p.Role == auth.RoleBuyer && r.GetBuyerId() != "" && "buyers/"+r.GetBuyerId() == c.p.Resource {
			return nil
		}
		return c.deny("a buyer account creates only its own profile, with buyer_id set to its own id")
	}},
	buy + "GetBuyer":    {grantable: true, check: func(c *call) error { return c.ownBuyer(c.req.(*pb.GetBuyerRequest).GetName()) }},
	buy + "ListBuyers":  {grantable: true},
	buy + "UpdateBuyer": {write: true, check: func(c *call) error { return c.ownBuyer(c.req.(*pb.UpdateBuyerRequest).GetBuyer().GetName()) }},
	buy + "DeleteBuyer": {write: true, check: func(c *call) error { return c.ownBuyer(c.req.(*pb.DeleteBuyerRequest).GetName()) }},
	buy + "VerifyBuyer": {write: true, check: func(c *call) error {
		if err := c.ownBuyer(c.req.(*pb.VerifyBuyerRequest).GetName()); err != nil {
			return err
		}
		return c.deny("only the trade office verifies buyers")
	}},

	// Buying requests: the buyer's own; open ones are also shown to
	// producers, who are who they are meant for.
	buy + "CreateBuyingRequest": {write: true, check: func(c *call) error { return c.ownBuyer(c.req.(*pb.CreateBuyingRequestRequest).GetParent()) }},
	buy + "GetBuyingRequest":    {grantable: true, check: func(c *call) error { return c.readRequest(c.req.(*pb.GetBuyingRequestRequest).GetName()) }, after: requestVisible},
	buy + "ListBuyingRequests": {grantable: true, check: func(c *call) error {
		r := c.req.(*pb.ListBuyingRequestsRequest)
		switch c.p.Role {
		case auth.RoleBuyer:
			if r.GetParent() == "buyers/-" {
				r.Parent = c.p.Resource
			}
			return c.ownBuyer(r.GetParent())
		case auth.RoleProducer:
			r.Filter = and(r.GetFilter(), "state = OPEN")
			return nil
		}
		return c.signedIn()
	}},
	buy + "UpdateBuyingRequest": {write: true, check: func(c *call) error {
		return c.ownRequest(c.req.(*pb.UpdateBuyingRequestRequest).GetBuyingRequest().GetName())
	}},
	buy + "DeleteBuyingRequest": {write: true, check: func(c *call) error { return c.ownRequest(c.req.(*pb.DeleteBuyingRequestRequest).GetName()) }},
	buy + "CloseBuyingRequest":  {write: true, check: func(c *call) error { return c.ownRequest(c.req.(*pb.CloseBuyingRequestRequest).GetName()) }},

	// Requirements: the catalogue is public, the trade office keeps it.
	// Readiness is public for whatever the caller can see: a buyer may ask
	// whether a supplier is ready for its market.
	reqs + "CreateRequirement":          {write: true},
	reqs + "GetRequirement":             {grantable: true, check: anyone},
	reqs + "ListRequirements":           {grantable: true, check: anyone},
	reqs + "UpdateRequirement":          {write: true},
	reqs + "DeleteRequirement":          {write: true},
	reqs + "LookupRequirements":         {grantable: true, check: anyone},
	reqs + "CheckReadiness":             {grantable: true, check: func(c *call) error { return c.readSubject(c.req.(*pb.CheckReadinessRequest).GetName()) }},
	reqs + "ListTrainingNeeds":          {grantable: true},
	reqs + "ListExpiringCertifications": {grantable: true},

	// Search and exchange rates.
	srch + "SearchListings":      {grantable: true, check: anyone},
	srch + "GetExchangeRates":    {grantable: true, check: anyone},
	srch + "UpdateExchangeRates": {write: true},

	// Matching: a buyer matches its own requests, a producer gets
	// recommendations for itself. Matches belong to their parties.
	match + "MatchBuyingRequest": {grantable: true, check: func(c *call) error {
		name := c.req.(*pb.MatchBuyingRequestRequest).GetName()
		if err := c.readRequest(name); err != nil || c.p.Role == auth.RoleBuyer {
			return err
		}
		return c.deny("matching a buying request is for its buyer and the trade office")
	}},
	match + "RecommendBuyingRequests": {grantable: true, check: func(c *call) error {
		name := c.req.(*pb.RecommendBuyingRequestsRequest).GetName()
		if err := c.signedIn(); err != nil {
			return err
		}
		if c.owns(name) {
			return nil
		}
		if err := c.readSubject(name); err != nil {
			return err
		}
		return c.deny("recommendations are for the producer itself and the trade office")
	}},
	match + "CreateMatch": {write: true, check: createMatch, after: matchParty},
	match + "GetMatch":    {grantable: true, check: func(c *call) error { return c.party(c.req.(*pb.GetMatchRequest).GetName()) }},
	match + "ListMatches": {grantable: true, check: func(c *call) error {
		r := c.req.(*pb.ListMatchesRequest)
		switch c.p.Role {
		case auth.RoleBuyer:
			r.Filter = and(r.GetFilter(), fmt.Sprintf("buyer = %q", c.p.Resource))
		case auth.RoleProducer:
			r.Filter = and(r.GetFilter(), fmt.Sprintf("members.producer = %q", c.p.Resource))
		}
		return c.signedIn()
	}},
	match + "AcceptMatch": {write: true, check: func(c *call) error {
		r := c.req.(*pb.AcceptMatchRequest)
		return c.answer(r.GetName(), r.GetParty(), r.GetProducer())
	}},
	match + "DeclineMatch": {write: true, check: func(c *call) error {
		r := c.req.(*pb.DeclineMatchRequest)
		return c.answer(r.GetName(), r.GetParty(), r.GetProducer())
	}},
	match + "CloseMatch": {write: true, check: func(c *call) error { return c.party(c.req.(*pb.CloseMatchRequest).GetName()) }},

	// The audit trail is the trade office's.
	audit + "ListAuditEvents": {grantable: true},
	audit + "GetAuditEvent":   {grantable: true},
}

// Known reports whether method has a row in the table.
func Known(method string) bool { _, ok := table[method]; return ok }

// IsWrite reports whether method changes data (and so is audited).
func IsWrite(method string) bool { return table[method].write }

// Authorize decides whether p may call method with req, before the call. It
// may narrow req in place: a list is filtered to what p may see. Methods
// not in the table are refused, so a new method is closed until it has a
// row.
func (pol *Policy) Authorize(ctx context.Context, p auth.Principal, method string, req any) error {
	r, ok := table[method]
	if !ok {
		return status.Errorf(codes.PermissionDenied, "method %s is not open to any caller", method)
	}
	switch p.Role {
	case auth.RoleTradeOffice:
		return nil
	case auth.RoleService:
		if r.grantable && slices.Contains(p.Methods, method) {
			return nil
		}
		return status.Errorf(codes.PermissionDenied, "service account %q is not granted %s", p.Subject, method)
	}
	c := &call{ctx: ctx, p: p, req: req, facts: pol.facts}
	if r.check == nil {
		return c.deny("only the trade office may do this")
	}
	return r.check(c)
}

// Filter applies the table to a response, after the call: it hides what
// depends on the resource's state, and clears the contact details p may not
// see. It changes resp in place; handlers return messages of their own.
func (pol *Policy) Filter(ctx context.Context, p auth.Principal, method string, resp any) error {
	r := table[method]
	if r.after != nil && p.Role != auth.RoleTradeOffice && p.Role != auth.RoleService {
		if err := r.after(&call{ctx: ctx, p: p, facts: pol.facts}, resp); err != nil {
			return err
		}
	}
	redact(p, resp)
	return nil
}

// call is one decision in progress.
type call struct {
	ctx   context.Context
	p     auth.Principal
	req   any
	facts Facts
}

func anyone(*call) error { return nil }

// signedIn refuses anonymous callers.
func (c *call) signedIn() error {
	if c.p.Role == auth.RoleAnonymous {
		return status.Error(codes.Unauthenticated, "this method needs a bearer token in the Authorization header")
	}
	return nil
}

// deny refuses: UNAUTHENTICATED for anonymous callers (a token might help),
// PERMISSION_DENIED for everyone else.
func (c *call) deny(why string) error {
	if err := c.signedIn(); err != nil {
		return err
	}
	return status.Errorf(codes.PermissionDenied, "%s may not do this: %s", c.p.Role, why)
}

// hide answers as if the resource did not exist, in the store's words.
func hide(noun, name string) error {
	return status.Error(codes.NotFound, fmt.Sprintf("%v: %s %q", store.ErrNotFound, noun, name))
}

// fact turns a failed lookup into a decision: a missing resource is not
// found, anything else a retryable failure.
func fact(err error, noun, name string) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return hide(noun, name)
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, "the request took too long")
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "the request was cancelled")
	}
	// The database failed; the handler that would have run next logs such
	// failures, and the caller may simply retry.
	return status.Error(codes.Unavailable, "could not check access to "+name+"; try again")
}

// A blank resource name passes the checks below: every handler refuses it
// with INVALID_ARGUMENT naming the field, which tells the caller more than a
// NOT_FOUND would, and a blank name reaches no resource.

// owns reports whether name is the caller's own resource or lies under it:
// "producers/a" and "producers/a/listings/x" belong to the producer bound to
// producers/a. The trailing slash keeps producers/a from owning
// producers/ab.
func (c *call) owns(name string) bool {
	if c.p.Resource == "" || (c.p.Role != auth.RoleProducer && c.p.Role != auth.RoleBuyer) {
		return false
	}
	return name == c.p.Resource || strings.HasPrefix(name, c.p.Resource+"/")
}

// ownProducer: public producer data, changed only by its owner.
func (c *call) ownProducer(name string) error {
	if c.owns(name) || (name == "" && c.p.Role != auth.RoleAnonymous) {
		return nil
	}
	return c.deny("producers change only their own profile and listings")
}

// ownListing: a listing's owner may change it; others learn it exists only
// if it is active.
func (c *call) ownListing(name string) error {
	if err := c.signedIn(); err != nil || c.owns(name) || name == "" {
		return err
	}
	st, err := c.facts.ListingState(c.ctx, name)
	if err != nil {
		return fact(err, "listing", name)
	}
	if st != pb.Listing_ACTIVE {
		return hide("listing", name)
	}
	return c.deny("producers change only their own listings")
}

// ownBuyer: buyers and everything under them exist only for their owner.
func (c *call) ownBuyer(name string) error {
	if err := c.signedIn(); err != nil || c.owns(name) || name == "" {
		return err
	}
	return hide("buyer", name)
}

// readRequest: the buyer's own requests, or (for producers) open ones, the
// state being checked on the response.
func (c *call) readRequest(name string) error {
	if err := c.signedIn(); err != nil || c.owns(name) || name == "" {
		return err
	}
	if c.p.Role == auth.RoleProducer {
		st, err := c.facts.BuyingRequestState(c.ctx, name)
		if err != nil {
			return fact(err, "buying request", name)
		}
		if st == pb.BuyingRequest_OPEN {
			return nil
		}
	}
	return hide("buying request", name)
}

// ownRequest: only the buyer changes its requests; producers learn open
// ones exist.
func (c *call) ownRequest(name string) error {
	if err := c.readRequest(name); err != nil || c.owns(name) || name == "" {
		return err
	}
	return c.deny("buyers change only their own requests")
}

// readSubject: a producer (public) or a listing (public while active).
func (c *call) readSubject(name string) error {
	if c.owns(name) || !strings.Contains(name, "/listings/") || name == "" {
		return nil
	}
	st, err := c.facts.ListingState(c.ctx, name)
	if err != nil {
		return fact(err, "listing", name)
	}
	if st != pb.Listing_ACTIVE {
		return hide("listing", name)
	}
	return nil
}

// party: the buyer of a match or one of its member producers.
func (c *call) party(name string) error {
	if err := c.signedIn(); err != nil || name == "" {
		return err
	}
	buyer, producers, err := c.facts.MatchParties(c.ctx, name)
	if err != nil {
		return fact(err, "match", name)
	}
	if side := sideOf(c.p, buyer, producers); side != notParty {
		return nil
	}
	return hide("match", name)
}

// side is where a caller stands in a match.
type side int

const (
	notParty side = iota
	buyerSide
	memberSide
)

// sideOf says whether p is the buyer of a match, one of its member
// producers, or neither.
func sideOf(p auth.Principal, buyer string, producers []string) side {
	switch {
	case p.Role == auth.RoleBuyer && buyer == p.Resource:
		return buyerSide
	case p.Role == auth.RoleProducer && slices.Contains(producers, p.Resource):
		return memberSide
	}
	return notParty
}

// matchSide is sideOf for a match at hand.
func matchSide(p auth.Principal, m *pb.Match) side {
	producers := make([]string, 0, len(m.GetMembers()))
	for _, mem := range m.GetMembers() {
		producers = append(producers, mem.GetProducer())
	}
	return sideOf(p, m.GetBuyer(), producers)
}

// answer: a party answers for itself only. (The trade office, as
// facilitator, may answer for either side; Authorize lets it through before
// any check.)
func (c *call) answer(name string, party pb.Party, producer string) error {
	if err := c.party(name); err != nil {
		return err
	}
	switch {
	case c.p.Role == auth.RoleBuyer && party == pb.Party_BUYER:
		return nil
	case c.p.Role == auth.RoleProducer && party == pb.Party_PRODUCER_SIDE && producer == c.p.Resource:
		return nil
	}
	return c.deny("a party answers only for itself: party BUYER for the buyer, PRODUCER_SIDE with its own producer name for a member")
}

// createMatch: a buyer proposes on its own requests; a producer proposes
// its own listing for an open request.
func createMatch(c *call) error {
	if err := c.signedIn(); err != nil {
		return err
	}
	m := c.req.(*pb.CreateMatchRequest).GetMatch()
	switch c.p.Role {
	case auth.RoleBuyer:
		if err := c.ownBuyer(m.GetBuyingRequest()); err != nil {
			return hide("buying request", m.GetBuyingRequest())
		}
		if m.GetProposedBy() != pb.Party_BUYER {
			return c.deny("a buyer proposes with proposed_by BUYER")
		}
		// A listing the buyer cannot see is not found, not "not active".
		for _, mem := range m.GetMembers() {
			if err := c.readSubject(mem.GetListing()); err != nil {
				return err
			}
		}
		return nil
	case auth.RoleProducer:
		if m.GetProposedBy() != pb.Party_PRODUCER_SIDE {
			return c.deny("a producer proposes with proposed_by PRODUCER_SIDE")
		}
		for _, mem := range m.GetMembers() {
			if !c.owns(mem.GetListing()) {
				return c.deny("a producer proposes only its own listings")
			}
		}
		return c.readRequest(m.GetBuyingRequest())
	}
	return c.deny("matches are proposed by buyers, producers and the trade office")
}

// listingVisible hides a listing that is not active from everyone but its
// producer.
func listingVisible(c *call, resp any) error {
	l, ok := resp.(*pb.Listing)
	if ok && l.GetState() != pb.Listing_ACTIVE && !c.owns(l.GetName()) {
		return hide("listing", l.GetName())
	}
	return nil
}

// matchParty hides a match the caller is not a party of: a retried
// proposal answers with the match first made under its request id, which
// must be the caller's own.
func matchParty(c *call, resp any) error {
	m, ok := resp.(*pb.Match)
	if !ok || matchSide(c.p, m) != notParty {
		return nil
	}
	return hide("match", m.GetName())
}

// requestVisible hides a request that is no longer open from producers
// (the state may have changed since Authorize looked).
func requestVisible(c *call, resp any) error {
	r, ok := resp.(*pb.BuyingRequest)
	if ok && c.p.Role == auth.RoleProducer && r.GetState() != pb.BuyingRequest_OPEN {
		return hide("buying request", r.GetName())
	}
	return nil
}

// and adds a condition to an AIP-160 filter of the query package's
// AND-only subset.
func and(filter, cond string) string {
	if strings.TrimSpace(filter) == "" {
		return cond
	}
	return filter + " AND " + cond
}

// redact clears the contact details p may not see.
func redact(p auth.Principal, resp any) {
	if p.Role == auth.RoleTradeOffice {
		return
	}
	mine := func(name string) bool {
		return (p.Role == auth.RoleProducer || p.Role == auth.RoleBuyer) && name == p.Resource
	}
	switch r := resp.(type) {
	case *pb.Producer:
		if !mine(r.GetName()) {
			r.Contact = nil
		}
	case *pb.ListProducersResponse:
		for _, x := range r.GetProducers() {
			if !mine(x.GetName()) {
				x.Contact = nil
			}
		}
	case *pb.Buyer:
		if !mine(r.GetName()) {
			r.Contact = nil
		}
	case *pb.ListBuyersResponse:
		for _, x := range r.GetBuyers() {
			if !mine(x.GetName()) {
				x.Contact = nil
			}
		}
	case *pb.Match:
		redactMatch(p, r)
	case *pb.ListMatchesResponse:
		for _, m := range r.GetMatches() {
			redactMatch(p, m)
		}
	}
}

// redactMatch keeps a match's contacts for the counterparts (grpcapi fills
// them in once the match is connected): the buyer sees every member's, a
// member sees the buyer's and its own, not those of the other members of a
// group, who are not its counterparts.
func redactMatch(p auth.Principal, m *pb.Match) {
	side := matchSide(p, m)
	if side == notParty {
		m.BuyerContact = nil
	}
	for _, mem := range m.GetMembers() {
		if side != buyerSide && !(side == memberSide && mem.GetProducer() == p.Resource) {
			mem.Contact = nil
		}
	}
}
