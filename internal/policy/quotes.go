package policy

import (
	"fmt"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

// quote is the alias of QuoteService in the table.
const quote = "/temubisnis.v1.QuoteService/"

// Quotes are sealed bids. A quote's id is its firm's producer id, so the
// name alone says whose it is and the rules below need no stored facts:
//
//   - the buyer of the request sees, compares, accepts and declines all of
//     its quotes; it never writes a quote;
//   - a producer sends quotes in its own name on open requests, and sees
//     and revises only its own; other firms' quotes do not exist for it;
//   - the trade office does everything (Authorize lets it through).
//
// The rows join the table when the package loads, so that the quote rules
// read in one place.
var quoteRules = map[string]rule{
	quote + "CreateQuote": {write: true, check: func(c *call) error {
		r := c.req.(*pb.CreateQuoteRequest)
		if err := c.signedIn(); err != nil {
			return err
		}
		if c.p.Role != auth.RoleProducer {
			if c.owns(r.GetParent()) {
				return c.deny("quotes are sent by producers; the buyer compares and accepts them")
			}
			return hide("buying request", r.GetParent())
		}
		if p := r.GetQuote().GetProducer(); p != "" && p != c.p.Resource {
			return c.deny("a producer quotes only in its own name")
		}
		return c.readRequest(r.GetParent())
	}},
	quote + "GetQuote": {grantable: true, check: func(c *call) error {
		return c.readQuote(c.req.(*pb.GetQuoteRequest).GetName())
	}},
	quote + "ListQuotes": {grantable: true, check: func(c *call) error {
		r := c.req.(*pb.ListQuotesRequest)
		if err := c.signedIn(); err != nil {
			return err
		}
		switch c.p.Role {
		case auth.RoleProducer:
			r.Filter = and(r.GetFilter(), fmt.Sprintf("producer = %q", c.p.Resource))
			return nil
		case auth.RoleBuyer:
			if c.owns(r.GetParent()) || r.GetParent() == "" {
				return nil
			}
			return hide("buying request", r.GetParent())
		}
		return c.deny("quotes are for their buyer, their firm and the trade office")
	}},
	quote + "ReviseQuote": {write: true, check: func(c *call) error {
		name := c.req.(*pb.ReviseQuoteRequest).GetName()
		if err := c.readQuote(name); err != nil || c.p.Role == auth.RoleProducer {
			return err
		}
		return c.deny("only the quoting firm revises its quote")
	}},
	quote + "CompareQuotes": {grantable: true, check: func(c *call) error {
		return c.buyerOfQuotes(c.req.(*pb.CompareQuotesRequest).GetParent(), "comparing quotes is for the buyer and the trade office")
	}},
	quote + "AcceptQuote": {write: true, check: func(c *call) error {
		return c.answerQuote(c.req.(*pb.AcceptQuoteRequest).GetName())
	}},
	quote + "DeclineQuote": {write: true, check: func(c *call) error {
		return c.answerQuote(c.req.(*pb.DeclineQuoteRequest).GetName())
	}},
}

func init() {
	for m, r := range quoteRules {
		table[m] = r
	}
}

// quoteFirm returns the producer a quote name belongs to
// ("buyers/b/buyingRequests/r/quotes/p" -> "producers/p"), or "".
func quoteFirm(name string) string {
	i := strings.LastIndex(name, "/quotes/")
	if i < 0 || strings.Contains(name[i+len("/quotes/"):], "/") {
		return ""
	}
	return "producers/" + name[i+len("/quotes/"):]
}

// readQuote: the buyer of the request, or the quoting firm. For anyone
// else the quote does not exist.
func (c *call) readQuote(name string) error {
	if err := c.signedIn(); err != nil || name == "" {
		return err
	}
	if c.p.Role == auth.RoleBuyer && c.owns(name) {
		return nil
	}
	if c.p.Role == auth.RoleProducer && quoteFirm(name) == c.p.Resource {
		return nil
	}
	return hide("quote", name)
}

// buyerOfQuotes: the buyer of the request only; a producer may know the
// request (it is open) but is refused.
func (c *call) buyerOfQuotes(parent, why string) error {
	if err := c.signedIn(); err != nil || parent == "" {
		return err
	}
	if c.p.Role == auth.RoleBuyer {
		if c.owns(parent) {
			return nil
		}
		return hide("buying request", parent)
	}
	return c.deny(why)
}

// answerQuote: the buyer answers quotes on its requests; the quoting firm
// is refused, everyone else does not see the quote.
func (c *call) answerQuote(name string) error {
	if err := c.readQuote(name); err != nil || c.p.Role == auth.RoleBuyer || name == "" {
		return err
	}
	return c.deny("only the buyer accepts or declines quotes")
}
