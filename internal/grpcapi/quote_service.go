package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matchcache"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/quote"
	"github.com/adiekspor/temubisnis/internal/requirement"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// QuotePolicy holds the configurable limits of quotes.
type QuotePolicy struct {
	// MaxOpenPerProducer caps the open quotes one firm holds; 0 means
	// quote.DefaultMaxOpenPerProducer.
	MaxOpenPerProducer int
}

// QuoteService implements pb.QuoteServiceServer: sealed quotes on buying
// requests, their revisions, comparison and acceptance (package quote).
type QuoteService struct {
	pb.UnimplementedQuoteServiceServer
	base
	quotes QuoteStore
	policy QuotePolicy
	// matches receives the match an accepted quote makes.
	matches MatchCreator
	// matching scores quoted listings and checks their hard constraints;
	// nil skips both.
	matching     *matchcache.Cache
	rates        func() *pb.ExchangeRates
	requirements RequirementReader
	producers    ProducerReader
	listings     ListingReader
	buyers       BuyerReader
	requests     BuyingRequestUpdater
}

const (
	quoteNameHelp   = "must be a quote name like buyers/osaka-nishikigoi/buyingRequests/koi-spring/quotes/koi-dayu-nglegok"
	quoteParentHelp = "must be a buying request name like buyers/osaka-nishikigoi/buyingRequests/koi-spring"
	allRequests     = "buyers/-/buyingRequests/-"
	maxQuoteListing = 20
)

var quoteSchema = query.Schema{
	"producer": {Kind: query.String},
	"state":    {Kind: query.Enum, Enum: pb.Quote_STATE_UNSPECIFIED.Descriptor()},
}

func parseQuoteName(name string) (buyerID, requestID, producerID string, ok bool) {
	ids, ok := parseName(name, "buyers/{}/buyingRequests/{}/quotes/{}")
	if !ok {
		return "", "", "", false
	}
	return ids[0], ids[1], ids[2], true
}

// checkTerms validates a quote's terms against the clock.
func checkTerms(v *validate.Violations, field string, t *pb.QuoteTerms, now time.Time) {
	if t == nil {
		v.Add(field, "is required")
		return
	}
	checkPriceAndQuantity(v, field, t)
	checkDelivery(v, field, t)
	switch e := t.GetExpireTime(); {
	case e == nil || e.CheckValid() != nil:
		v.Add(field+".expire_time", "is required: until when the quote holds")
	case !e.AsTime().After(now):
		v.Add(field+".expire_time", "must be in the future")
	case e.AsTime().After(now.Add(quote.MaxValidity)):
		v.Addf(field+".expire_time", "must be at most %d days ahead", int(quote.MaxValidity/(24*time.Hour)))
	}
	checkPayment(v, field, t)
	if len(t.GetPackaging()) > 500 {
		v.Add(field+".packaging", "must be at most 500 characters")
	}
	if len(t.GetNote()) > 1000 {
		v.Add(field+".note", "must be at most 1000 characters")
	}
}

// checkPriceAndQuantity validates the unit price and the quantities.
func checkPriceAndQuantity(v *validate.Violations, field string, t *pb.QuoteTerms) {
	if t.GetUnitPrice() == nil {
		v.Add(field+".unit_price", "is required")
	} else {
		validate.Money(v, field+".unit_price", t.GetUnitPrice())
		if m, err := money.ToMinor(t.GetUnitPrice()); err == nil && m <= 0 {
			v.Add(field+".unit_price", "must be more than zero")
		}
	}
	switch q := t.GetQuantity(); {
	case q <= 0:
		v.Add(field+".quantity", "must be positive")
	case q > maxQuantity:
		v.Addf(field+".quantity", "must be at most %d", maxQuantity)
	}
	if mo := t.GetMinimumOrderQuantity(); mo < 0 || (mo > t.GetQuantity() && t.GetQuantity() > 0) {
		v.Add(field+".minimum_order_quantity", "must be between 0 and the quoted quantity")
	}
}

// checkDelivery validates the lead time and the Incoterm with its place.
func checkDelivery(v *validate.Violations, field string, t *pb.QuoteTerms) {
	if d := t.GetLeadTimeDays(); d <= 0 || d > 730 {
		v.Add(field+".lead_time_days", "must be 1 to 730 days")
	}
	if _, ok := pb.Incoterm_name[int32(t.GetIncoterm())]; !ok || t.GetIncoterm() == pb.Incoterm_INCOTERM_UNSPECIFIED {
		v.Add(field+".incoterm", "must be an Incoterms 2020 rule such as FOB or CIF")
	}
	if p := t.GetIncotermPlace(); p == "" || len(p) > 200 {
		v.Add(field+".incoterm_place", `is required (at most 200 characters), e.g. "Tanjung Perak, Surabaya"`)
	}
}

// checkPayment validates samples, deposit and payment method.
func checkPayment(v *validate.Violations, field string, t *pb.QuoteTerms) {
	if sp := t.GetSamplePrice(); sp != nil {
		validate.Money(v, field+".sample_price", sp)
		if !t.GetSamplesAvailable() {
			v.Add(field+".sample_price", "is set but samples_available is false")
		}
	}
	if d := t.GetDepositPercent(); d < 0 || d > 100 {
		v.Add(field+".deposit_percent", "must be 0 to 100")
	}
	if _, ok := pb.PaymentMethod_name[int32(t.GetPaymentMethod())]; !ok || t.GetPaymentMethod() == pb.PaymentMethod_PAYMENT_METHOD_UNSPECIFIED {
		v.Add(field+".payment_method", "must be TELEGRAPHIC_TRANSFER, LETTER_OF_CREDIT, DOCUMENTS_AGAINST_PAYMENT or OPEN_ACCOUNT")
	}
}

// checkListingNames validates the form of a quote's listings.
func checkListingNames(v *validate.Violations, field string, listings []string, required bool) {
	switch {
	case len(listings) == 0 && required:
		v.Add(field, "at least one listing is required")
	case len(listings) > maxQuoteListing:
		v.Addf(field, "at most %d listings", maxQuoteListing)
	}
	seen := map[string]bool{}
	for i, l := range listings {
		if _, _, ok := parseListingName(l); !ok {
			v.Add(fmt.Sprintf("%s[%d]", field, i), listingNameHelp)
		} else if seen[l] {
			v.Add(fmt.Sprintf("%s[%d]", field, i), "is listed twice")
		}
		seen[l] = true
	}
}

// fitListings checks that every listing is active, is the firm's own (or,
// for a consolidator, a listing it quotes for) and passes the request's
// hard constraints, and returns the best match score among them. A failed
// constraint is FAILED_PRECONDITION with a PreconditionFailure naming it.
func (s *QuoteService) fitListings(ctx context.Context, firm *pb.Producer, field string, listings []string, br *pb.BuyingRequest, buyer *pb.Buyer) (float64, error) {
	var best float64
	for i, name := range listings {
		l, owner, err := s.quotedListing(ctx, firm, fmt.Sprintf("%s[%d]", field, i), name)
		if err != nil {
			return 0, err
		}
		if s.matching == nil {
			continue
		}
		e, err := s.matching.Engine(ctx)
		if err != nil {
			return 0, s.err(ctx, err)
		}
		score, failed := e.Assess(owner, l, br, buyer)
		if failed != "" {
			return 0, hardConstraintFailed(name, failed)
		}
		best = max(best, score)
	}
	return best, nil
}

// quotedListing reads a listing a firm quotes with, and its owner: the
// firm itself or, for a consolidator, the member producer. The listing
// must be active.
func (s *QuoteService) quotedListing(ctx context.Context, firm *pb.Producer, field, name string) (*pb.Listing, *pb.Producer, error) {
	l, err := s.listings.GetListing(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, invalid(field, "no such listing")
	}
	if err != nil {
		return nil, nil, s.err(ctx, err)
	}
	producerID, _, _ := parseListingName(name)
	owner := firm
	if producerName(producerID) != firm.GetName() {
		if firm.GetKind() != pb.Producer_CONSOLIDATOR {
			return nil, nil, invalid(field, "is another firm's listing; only a consolidator quotes for other producers' listings")
		}
		if owner, err = s.producers.GetProducer(ctx, producerName(producerID)); err != nil {
			return nil, nil, s.err(ctx, err)
		}
	}
	if l.GetState() != pb.Listing_ACTIVE {
		return nil, nil, s.err(ctx, fmt.Errorf("%w: listing %q is %s; only active listings can be quoted", store.ErrFailedPrecondition, name, l.GetState()))
	}
	return l, owner, nil
}

// hardConstraintFailed is FAILED_PRECONDITION with a PreconditionFailure
// naming the hard constraint a quoted listing fails.
func hardConstraintFailed(listing, constraint string) error {
	st, _ := status.New(codes.FailedPrecondition, fmt.Sprintf("listing %q fails the buying request's hard constraint %q", listing, constraint)).
		WithDetails(&errdetails.PreconditionFailure{Violations: []*errdetails.PreconditionFailure_Violation{{
			Type: "HARD_CONSTRAINT", Subject: listing, Description: constraint,
		}}})
	return st.Err()
}

// CreateQuote implements QuoteService.
func (s *QuoteService) CreateQuote(ctx context.Context, req *pb.CreateQuoteRequest) (*pb.Quote, error) {
	var v validate.Violations
	now := s.now()
	buyerID, _, ok := parseBuyingRequestName(req.GetParent())
	if !ok {
		v.Add("parent", quoteParentHelp)
	}
	in := req.GetQuote()
	if in == nil {
		v.Add("quote", "is required")
		return nil, v.Err()
	}
	checkRequestID(&v, req.GetRequestId())
	producerID, ok := parseProducerName(in.GetProducer())
	if !ok {
		v.Add("quote.producer", "the quoting firm, like producers/kendang-jaya-nglegok, is required")
	}
	if id := req.GetQuoteId(); id != "" && id != producerID {
		v.Add("quote_id", "must be empty or the id of quote.producer: a firm's quote is named after it")
	}
	checkListingNames(&v, "quote.listings", in.GetListings(), true)
	checkTerms(&v, "quote.terms", in.GetTerms(), now)
	if err := v.Err(); err != nil {
		return nil, err
	}
	name := quote.Name(req.GetParent(), in.GetProducer())
	br, err := s.requests.GetBuyingRequest(ctx, req.GetParent())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := quote.CheckRequest(br, now); err != nil {
		return nil, s.err(ctx, err)
	}
	buyer, err := s.buyers.GetBuyer(ctx, buyerName(buyerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	firm, err := s.producers.GetProducer(ctx, in.GetProducer())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.checkCap(ctx, firm.GetName()); err != nil {
		return nil, err
	}
	if _, err := s.fitListings(ctx, firm, "quote.listings", in.GetListings(), br, buyer); err != nil {
		return nil, err
	}
	out, err := s.quotes.CreateQuote(ctx, quote.New(in, name, firm.GetDisplayName()), req.GetRequestId())
	if errors.Is(err, store.ErrAlreadyExists) {
		return nil, status.Errorf(codes.AlreadyExists, "%s already has a quote on this buying request (%s); revise it instead", firm.GetName(), name)
	}
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return out, nil
}

// checkCap refuses another open quote of a firm that holds as many as it
// may.
func (s *QuoteService) checkCap(ctx context.Context, firm string) error {
	open, err := s.quotes.CountOpenQuotes(ctx, firm)
	if err != nil {
		return s.err(ctx, err)
	}
	return s.err(ctx, quote.CheckCap(open, s.policy.MaxOpenPerProducer))
}

// fitRevision checks the listings a revision quotes with, as CreateQuote
// checks a new quote's.
func (s *QuoteService) fitRevision(ctx context.Context, cur *pb.Quote, buyerName string, listings []string, br *pb.BuyingRequest) error {
	buyer, err := s.buyers.GetBuyer(ctx, buyerName)
	if err != nil {
		return s.err(ctx, err)
	}
	firm, err := s.producers.GetProducer(ctx, cur.GetProducer())
	if err != nil {
		return s.err(ctx, err)
	}
	_, err = s.fitListings(ctx, firm, "listings", listings, br, buyer)
	return err
}

// GetQuote implements QuoteService.
func (s *QuoteService) GetQuote(ctx context.Context, req *pb.GetQuoteRequest) (*pb.Quote, error) {
	if _, _, _, ok := parseQuoteName(req.GetName()); !ok {
		return nil, invalid("name", quoteNameHelp)
	}
	q, err := s.quotes.GetQuote(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return q, nil
}

// ListQuotes implements QuoteService.
func (s *QuoteService) ListQuotes(ctx context.Context, req *pb.ListQuotesRequest) (*pb.ListQuotesResponse, error) {
	parent := req.GetParent()
	if _, _, ok := parseBuyingRequestName(parent); !ok && parent != allRequests {
		return nil, invalid("parent", quoteParentHelp+", or "+allRequests+" for every request")
	}
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		parent: parent, method: "ListQuotes", schema: quoteSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	if parent != allRequests {
		o.Parent = parent
	}
	items, more, err := s.quotes.ListQuotes(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListQuotesResponse{Quotes: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// ReviseQuote implements QuoteService.
func (s *QuoteService) ReviseQuote(ctx context.Context, req *pb.ReviseQuoteRequest) (*pb.Quote, error) {
	var v validate.Violations
	now := s.now()
	buyerID, _, _, ok := parseQuoteName(req.GetName())
	if !ok {
		v.Add("name", quoteNameHelp)
	}
	checkEtag(&v, "etag", req.GetEtag())
	checkListingNames(&v, "listings", req.GetListings(), false)
	checkTerms(&v, "terms", req.GetTerms(), now)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cur, err := s.quotes.GetQuote(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	br, err := s.requests.GetBuyingRequest(ctx, quote.Request(req.GetName()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := quote.CheckRequest(br, now); err != nil {
		return nil, s.err(ctx, err)
	}
	if len(req.GetListings()) > 0 {
		if err := s.fitRevision(ctx, cur, buyerName(buyerID), req.GetListings(), br); err != nil {
			return nil, err
		}
	}
	if !quote.Live(cur, now) {
		// Reviving an expired quote counts against the cap like a new one.
		if err := s.checkCap(ctx, cur.GetProducer()); err != nil {
			return nil, err
		}
	}
	out, err := s.quotes.UpdateQuote(ctx, req.GetName(), req.GetEtag(), func(q *pb.Quote) error {
		return quote.Revise(q, req.GetTerms(), req.GetListings(), s.now())
	})
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return out, nil
}

// openQuotes reads every open quote of a request.
func (s *QuoteService) openQuotes(ctx context.Context, request string) ([]*pb.Quote, error) {
	return allPages(func(o store.ListOptions) ([]*pb.Quote, bool, error) {
		o.Parent = request
		o.Conditions = []query.Condition{{Field: "state", Op: query.Eq, Value: pb.Quote_OPEN.String()}}
		return s.quotes.ListQuotes(ctx, o)
	})
}

// CompareQuotes implements QuoteService.
func (s *QuoteService) CompareQuotes(ctx context.Context, req *pb.CompareQuotesRequest) (*pb.CompareQuotesResponse, error) {
	rates := s.rates()
	currency, err := checkCompare(req, rates)
	if err != nil {
		return nil, err
	}
	buyerID, _, _ := parseBuyingRequestName(req.GetParent())
	br, err := s.requests.GetBuyingRequest(ctx, req.GetParent())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	buyer, err := s.buyers.GetBuyer(ctx, buyerName(buyerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if currency == "" {
		currency = "USD"
		if c := br.GetTargetPrice().GetCurrencyCode(); c != "" {
			currency = c
		}
	}
	quotes, err := s.openQuotes(ctx, br.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	reqs, err := s.requirements.AllRequirements(ctx)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	dest := destination(br, buyer)
	now := s.now()
	byName := map[string]*pb.QuoteComparison{}
	var rows []quote.Row
	for _, q := range quotes {
		firm, err := s.producers.GetProducer(ctx, q.GetProducer())
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, s.err(ctx, err)
		}
		c := &pb.QuoteComparison{Quote: q, ProducerVerificationState: firm.GetVerificationState(), CoversQuantity: quote.Covers(q, br)}
		if req.GetVerifiedOnly() && c.GetProducerVerificationState() != pb.VerificationState_VERIFIED {
			continue
		}
		c.Comparable, c.NotComparableReason = quote.Comparable(q, br)
		convertPrice(c, rates, currency)
		c.MatchScore, c.Readiness = s.quoteStanding(ctx, firm, q, br, buyer, reqs, dest, now)
		byName[q.GetName()] = c
		rows = append(rows, comparisonRow(c))
	}
	quote.Sort(rows, req.GetOrderBy())
	resp := &pb.CompareQuotesResponse{CurrencyCode: currency, Incoterm: br.GetIncoterm()}
	for _, r := range rows {
		resp.Quotes = append(resp.Quotes, byName[r.Name])
	}
	return resp, nil
}

// checkCompare validates a CompareQuotes request and returns the currency
// asked for, upper-cased ("" for the request's own).
func checkCompare(req *pb.CompareQuotesRequest, rates *pb.ExchangeRates) (string, error) {
	var v validate.Violations
	if _, _, ok := parseBuyingRequestName(req.GetParent()); !ok {
		v.Add("parent", quoteParentHelp)
	}
	if !quote.ValidOrder(req.GetOrderBy()) {
		v.Add("order_by", `must be "price", "lead_time" or "score"`)
	}
	currency := upper(req.GetCurrencyCode())
	if currency != "" {
		if _, err := fx.Convert(rates, money.FromMinor("USD", 100), currency); err != nil {
			v.Add("currency_code", "must be an ISO 4217 currency the exchange-rate table has, e.g. USD, JPY, IDR")
		}
	}
	return currency, v.Err()
}

// convertPrice fills in a comparison's unit price and total in currency; a
// price without an exchange rate makes the quote not comparable, a total
// too large for int64 minor units is left out.
func convertPrice(c *pb.QuoteComparison, rates *pb.ExchangeRates, currency string) {
	terms := c.GetQuote().GetTerms()
	p, err := fx.Convert(rates, terms.GetUnitPrice(), currency)
	if err != nil {
		c.Comparable, c.NotComparableReason = false, "no exchange rate for "+terms.GetUnitPrice().GetCurrencyCode()
		return
	}
	c.ConvertedUnitPrice = p
	minor, err := money.ToMinor(p)
	if err != nil {
		return
	}
	if hi, lo := bits.Mul64(uint64(minor), uint64(terms.GetQuantity())); hi == 0 && lo <= 1<<62 {
		c.ConvertedTotal = money.FromMinor(currency, int64(lo))
	}
}

// comparisonRow is what quote.Sort orders a comparison by.
func comparisonRow(c *pb.QuoteComparison) quote.Row {
	var minor int64
	if c.GetConvertedUnitPrice() != nil {
		minor, _ = money.ToMinor(c.GetConvertedUnitPrice())
	}
	return quote.Row{Name: c.GetQuote().GetName(), Comparable: c.GetComparable(), PriceMinor: minor,
		LeadTimeDays: c.GetQuote().GetTerms().GetLeadTimeDays(), Score: c.GetMatchScore(),
		Verified: c.GetProducerVerificationState() == pb.VerificationState_VERIFIED}
}

// destination is where a request's goods go: its destination, or the
// buyer's country when it names none.
func destination(br *pb.BuyingRequest, buyer *pb.Buyer) string {
	if d := br.GetDestinationCountryCode(); d != "" {
		return d
	}
	return buyer.GetCountryCode()
}

// quoteStanding is a quoting firm's match score (best of its quoted
// listings) and readiness for the destination (MET when every mandatory
// exporter-side requirement of its first listing's product is met,
// MISSING otherwise).
func (s *QuoteService) quoteStanding(ctx context.Context, firm *pb.Producer, q *pb.Quote, br *pb.BuyingRequest, buyer *pb.Buyer,
	reqs []*pb.Requirement, dest string, now time.Time,
) (float64, pb.ReadinessStatus) {
	var score float64
	readiness := pb.ReadinessStatus_READINESS_STATUS_UNSPECIFIED
	if firm == nil {
		return score, readiness
	}
	for i, name := range q.GetListings() {
		l, err := s.listings.GetListing(ctx, name)
		if err != nil {
			continue
		}
		score = max(score, s.score(ctx, firm, l, br, buyer))
		if i == 0 && dest != "" {
			readiness = readinessFor(requirement.Check(reqs, firm, name, l.GetHsCode(), l.GetCategory(), dest, now))
		}
	}
	return score, readiness
}

// score is the match score of a listing that passes the request's hard
// constraints, 0 for one that fails them or without an engine.
func (s *QuoteService) score(ctx context.Context, firm *pb.Producer, l *pb.Listing, br *pb.BuyingRequest, buyer *pb.Buyer) float64 {
	if s.matching == nil {
		return 0
	}
	e, err := s.matching.Engine(ctx)
	if err != nil {
		return 0
	}
	sc, failed := e.Assess(firm, l, br, buyer)
	if failed != "" {
		return 0
	}
	return sc
}

// readinessFor is MET when every mandatory requirement is met.
func readinessFor(rep *pb.ReadinessReport) pb.ReadinessStatus {
	if rep.GetMandatoryMet() >= rep.GetMandatoryTotal() {
		return pb.ReadinessStatus_MET
	}
	return pb.ReadinessStatus_MISSING
}

// AcceptQuote implements QuoteService. Without transactions the steps are
// ordered so that two covering quotes cannot both be accepted and so that
// repeating the call finishes what a failed one left: a covering quote
// first closes the request (only if it is still open), then the quote is
// marked accepted, then the match (named after the quote) is created, then
// the other quotes are declined; the last three are no-ops when done. A
// failure between closing the request and marking the quote leaves the
// request closed with no quote accepted; the buyer reopens it by creating
// the request anew.
func (s *QuoteService) AcceptQuote(ctx context.Context, req *pb.AcceptQuoteRequest) (*pb.Quote, error) {
	if err := checkAcceptQuote(req); err != nil {
		return nil, err
	}
	buyerID, _, _, _ := parseQuoteName(req.GetName())
	now := s.now()
	cur, err := s.quotes.GetQuote(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	br, err := s.requests.GetBuyingRequest(ctx, quote.Request(req.GetName()))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	again := cur.GetState() == pb.Quote_ACCEPTED
	if !again {
		if err := quote.CheckRequest(br, now); err != nil {
			return nil, s.err(ctx, err)
		}
	}
	buyer, err := s.buyers.GetBuyer(ctx, buyerName(buyerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	var score float64
	if firm, err := s.producers.GetProducer(ctx, cur.GetProducer()); err == nil {
		score, _ = s.quoteStanding(ctx, firm, cur, br, buyer, nil, "", now)
	}
	covers := quote.Covers(cur, br)
	if covers && !again {
		if err := s.closeForQuote(ctx, br.GetName()); err != nil {
			return nil, s.err(ctx, err)
		}
	}
	accepted, err := s.quotes.UpdateQuote(ctx, req.GetName(), "", func(q *pb.Quote) error {
		return quote.Accept(q, quote.MatchName(q.GetName()), s.now())
	})
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if _, err := s.matches.CreateMatch(ctx, quote.ConnectedMatch(accepted, br, buyer, score, now), ""); err != nil && !errors.Is(err, store.ErrAlreadyExists) {
		return nil, s.err(ctx, err)
	}
	if !covers {
		// A part order: the request stays open for the rest.
		return accepted, nil
	}
	reason := "the buyer accepted another quote"
	if r := req.GetDeclineReason(); r != "" {
		reason += ": " + r
	}
	if err := s.declineOthers(ctx, br.GetName(), accepted.GetName(), reason); err != nil {
		return nil, s.err(ctx, err)
	}
	return accepted, nil
}

// checkAcceptQuote validates an AcceptQuote request.
func checkAcceptQuote(req *pb.AcceptQuoteRequest) error {
	var v validate.Violations
	if _, _, _, ok := parseQuoteName(req.GetName()); !ok {
		v.Add("name", quoteNameHelp)
	}
	if len(req.GetDeclineReason()) > 1000 {
		v.Add("decline_reason", "must be at most 1000 characters")
	}
	checkRequestID(&v, req.GetRequestId())
	return v.Err()
}

// closeForQuote closes the request a covering quote was accepted on.
// Closing it first, conditional on it being open, makes it the one write
// two buyers' tabs accepting two covering quotes at once race for: writes
// of one resource are serialised by its version, so exactly one of them
// closes it and the other fails.
func (s *QuoteService) closeForQuote(ctx context.Context, request string) error {
	_, err := s.requests.UpdateBuyingRequest(ctx, request, "", func(r *pb.BuyingRequest) error {
		if err := quote.CheckRequest(r, s.now()); err != nil {
			return err
		}
		r.State = pb.BuyingRequest_CLOSED
		return nil
	})
	return err
}

// declineOthers declines every other live quote on the request.
func (s *QuoteService) declineOthers(ctx context.Context, request, accepted, reason string) error {
	others, err := s.openQuotes(ctx, request)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.GetName() == accepted {
			continue
		}
		if _, err := s.quotes.UpdateQuote(ctx, o.GetName(), "", func(q *pb.Quote) error {
			if !quote.Live(q, s.now()) {
				return nil
			}
			return quote.Decline(q, reason, s.now())
		}); err != nil {
			return err
		}
	}
	return nil
}

// DeclineQuote implements QuoteService.
func (s *QuoteService) DeclineQuote(ctx context.Context, req *pb.DeclineQuoteRequest) (*pb.Quote, error) {
	var v validate.Violations
	if _, _, _, ok := parseQuoteName(req.GetName()); !ok {
		v.Add("name", quoteNameHelp)
	}
	if len(req.GetReason()) > 1000 {
		v.Add("reason", "must be at most 1000 characters")
	}
	checkRequestID(&v, req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	out, err := s.quotes.UpdateQuote(ctx, req.GetName(), "", func(q *pb.Quote) error {
		return quote.Decline(q, req.GetReason(), s.now())
	})
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return out, nil
}
