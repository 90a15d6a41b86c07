// Package quote holds the rules of quotes: firms' sealed answers to buying
// requests, their revisions, expiry, the limits that keep them from being
// abused, the buyer's side-by-side comparison and what accepting one does.
// The functions are plain: the API layer loads, calls them and saves; the
// tests need no database.
package quote

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

// MaxValidity bounds how far ahead a quote may hold: prices of handmade
// goods and fish do not hold for longer than half a year.
const MaxValidity = 180 * 24 * time.Hour

// DefaultMaxOpenPerProducer caps the open quotes one firm holds at once, so
// that nobody sprays every request with quotes it cannot honour.
const DefaultMaxOpenPerProducer = 20

// Name returns the name of the quote firm producer sends on a request: the
// firm's id under the request, so that one firm has one quote per request
// by construction (the store's unique _id), with no transaction.
func Name(request, producer string) string {
	return request + "/quotes/" + strings.TrimPrefix(producer, "producers/")
}

// Request returns the buying request a quote name belongs to.
func Request(name string) string {
	if i := strings.LastIndex(name, "/quotes/"); i > 0 {
		return name[:i]
	}
	return ""
}

// Expire derives EXPIRED for an open quote whose validity has passed, the
// same way buying requests and proposals expire: no background job.
func Expire(q *pb.Quote, now time.Time) {
	if q.GetState() == pb.Quote_OPEN && q.GetTerms().GetExpireTime() != nil && !q.GetTerms().GetExpireTime().AsTime().After(now) {
		q.State = pb.Quote_EXPIRED
	}
}

// Live reports whether a quote still waits for the buyer.
func Live(q *pb.Quote, now time.Time) bool {
	c := proto.CloneOf(q)
	Expire(c, now)
	return c.GetState() == pb.Quote_OPEN
}

// CheckRequest refuses quotes on a request that no longer takes offers.
func CheckRequest(br *pb.BuyingRequest, now time.Time) error {
	if br.GetState() != pb.BuyingRequest_OPEN {
		return fmt.Errorf("%w: buying request %q is %s and takes no quotes", store.ErrFailedPrecondition, br.GetName(), br.GetState())
	}
	if t := br.GetExpireTime(); t != nil && !t.AsTime().After(now) {
		return fmt.Errorf("%w: buying request %q has expired and takes no quotes", store.ErrFailedPrecondition, br.GetName())
	}
	return nil
}

// CheckCap refuses a new open quote when the firm already holds max.
func CheckCap(open int64, max int) error {
	if max > 0 && open >= int64(max) {
		return fmt.Errorf("%w: the firm already has %d open quotes, the most it may hold; wait for answers or let some expire", ErrTooMany, open)
	}
	return nil
}

// ErrTooMany is the sentinel of CheckCap; the API answers RESOURCE_EXHAUSTED.
var ErrTooMany = fmt.Errorf("too many open quotes")

// New prepares a quote for storing: revision 1, OPEN, no history.
func New(q *pb.Quote, name, displayName string) *pb.Quote {
	out := proto.CloneOf(q)
	out.Name, out.ProducerDisplayName = name, displayName
	out.Revision, out.History, out.State = 1, nil, pb.Quote_OPEN
	out.DeclineReason, out.Match = "", ""
	out.CreateTime, out.UpdateTime, out.Etag = nil, nil, ""
	return out
}

// Revise replaces the terms (and, when given, the listings) of an open or
// expired quote, keeping the replaced terms in its history. An expired quote
// revised with a later expire_time is open again.
func Revise(q *pb.Quote, terms *pb.QuoteTerms, listings []string, now time.Time) error {
	Expire(q, now)
	switch q.GetState() {
	case pb.Quote_OPEN, pb.Quote_EXPIRED:
	default:
		return fmt.Errorf("%w: quote %q is %s; only open or expired quotes can be revised", store.ErrFailedPrecondition, q.GetName(), q.GetState())
	}
	q.History = append(q.History, &pb.QuoteRevision{Revision: q.GetRevision(), Terms: q.GetTerms(), ReviseTime: timestamppb.New(now)})
	q.Terms = proto.CloneOf(terms)
	q.Revision++
	if len(listings) > 0 {
		q.Listings = slices.Clone(listings)
	}
	q.State = pb.Quote_OPEN
	Expire(q, now)
	return nil
}

// Accept marks an open quote accepted, connected through match. Accepting
// it again is a no-op, so that a retried accept can finish its work.
func Accept(q *pb.Quote, match string, now time.Time) error {
	Expire(q, now)
	switch q.GetState() {
	case pb.Quote_ACCEPTED:
		return nil
	case pb.Quote_OPEN:
		q.State, q.Match = pb.Quote_ACCEPTED, match
		return nil
	}
	return fmt.Errorf("%w: quote %q is %s; only open quotes can be accepted", store.ErrFailedPrecondition, q.GetName(), q.GetState())
}

// Decline marks an open quote declined. Declining a declined quote again is
// a no-op; an accepted one cannot be declined.
func Decline(q *pb.Quote, reason string, now time.Time) error {
	Expire(q, now)
	switch q.GetState() {
	case pb.Quote_DECLINED:
		return nil
	case pb.Quote_OPEN:
		q.State, q.DeclineReason = pb.Quote_DECLINED, reason
		return nil
	}
	return fmt.Errorf("%w: quote %q is %s; only open quotes can be declined", store.ErrFailedPrecondition, q.GetName(), q.GetState())
}

// Covers reports whether the quote supplies all the request asks for, in
// which case accepting it closes the request.
func Covers(q *pb.Quote, br *pb.BuyingRequest) bool {
	return q.GetTerms().GetQuantity() >= br.GetQuantity()
}

// MatchName is the name of the match accepting quote q makes. It derives
// from the quote so that a retried accept finds the match it made.
func MatchName(q string) string {
	return "matches/" + q[strings.LastIndex(q, "/quotes/")+len("/quotes/"):] + "-" + shortHash(q)
}

// ConnectedMatch is the match accepting q connects: both sides have said
// yes (the buyer by accepting, the firm by quoting), so it is CONNECTED at
// once and carries the quote and its first listing.
func ConnectedMatch(q *pb.Quote, br *pb.BuyingRequest, buyer *pb.Buyer, score float64, now time.Time) *pb.Match {
	ts := timestamppb.New(now)
	return &pb.Match{
		Name:             MatchName(q.GetName()),
		BuyingRequest:    br.GetName(),
		Buyer:            buyer.GetName(),
		BuyerDisplayName: buyer.GetDisplayName(),
		Members: []*pb.MatchMember{{
			Listing: q.GetListings()[0], Producer: q.GetProducer(), ProducerDisplayName: q.GetProducerDisplayName(),
			AllottedQuantity: min(q.GetTerms().GetQuantity(), br.GetQuantity()), Answer: pb.Answer_ACCEPTED, AnswerTime: ts,
		}},
		ProposedBy:      pb.Party_PRODUCER_SIDE,
		Message:         "accepted quote " + q.GetName(),
		BuyerAnswer:     pb.Answer_ACCEPTED,
		BuyerAnswerTime: ts,
		State:           pb.Match_CONNECTED,
		Score:           score,
		ExpireTime:      q.GetTerms().GetExpireTime(),
		Quote:           q.GetName(),
	}
}

func shortHash(s string) string {
	// FNV-1a, 32 bits: enough to keep two quotes of one firm apart.
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return fmt.Sprintf("%08x", h)
}

// Row is one quote as the comparison orders it.
type Row struct {
	Name       string
	Comparable bool
	// PriceMinor is the converted unit price in minor units.
	PriceMinor   int64
	LeadTimeDays int32
	Score        float64
	Verified     bool
}

// Orders a comparison can take.
const (
	ByPrice    = "price"
	ByLeadTime = "lead_time"
	ByScore    = "score"
)

// ValidOrder reports whether by is an order Sort knows ("" is price).
func ValidOrder(by string) bool {
	switch by {
	case "", ByPrice, ByLeadTime, ByScore:
		return true
	}
	return false
}

// Sort orders rows: cheapest first (prices that cannot be compared last),
// fastest first, or best match first; ties by name, so the order is stable
// across calls.
func Sort(rows []Row, by string) {
	slices.SortStableFunc(rows, func(a, b Row) int {
		var c int
		switch by {
		case ByLeadTime:
			c = cmp.Compare(a.LeadTimeDays, b.LeadTimeDays)
		case ByScore:
			c = cmp.Compare(b.Score, a.Score)
		default:
			switch {
			case a.Comparable && !b.Comparable:
				c = -1
			case !a.Comparable && b.Comparable:
				c = 1
			case a.Comparable:
				c = cmp.Compare(a.PriceMinor, b.PriceMinor)
			}
		}
		if c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
}

// Comparable says whether a quote's price can be set beside prices on the
// request's Incoterm. Converting between Incoterms needs the freight and
// insurance between them, which nobody here knows, so only the same rule
// (or a request that names none) compares.
func Comparable(q *pb.Quote, br *pb.BuyingRequest) (bool, string) {
	want, got := br.GetIncoterm(), q.GetTerms().GetIncoterm()
	if want == pb.Incoterm_INCOTERM_UNSPECIFIED || want == got {
		return true, ""
	}
	return false, fmt.Sprintf("quoted %s, the request asks for %s; the cost between them is not known", got, want)
}
