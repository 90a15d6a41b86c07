package matching

import (
	"fmt"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Unfit is one hard constraint a listing fails for a buying request.
type Unfit struct {
	// Constraint is "listing", "product", "destination" or
	// "certification".
	Constraint string
	// Type is the certification type a "certification" failure is about,
	// empty when the producer fails the certificates as a whole.
	Type string
	// Reason says what is missing, in words fit for the caller.
	Reason string
}

// Name is the failure as RelaxationHint.constraint names it, with the
// certification type after a colon ("certification:KHV_FREE_CERTIFICATE");
// an inactive listing reads as "product", as Match counts it.
func (u Unfit) Name() string {
	switch {
	case u.Constraint == "listing":
		return "product"
	case u.Type != "":
		return u.Constraint + ":" + u.Type
	}
	return u.Constraint
}

// Fit applies to one listing of producer p the hard constraints Match and
// Recommend apply to every listing (the same code): the listing is active,
// is the product asked for, ships to the destination (the request's, or its
// buyer's country), and its producer holds every required certification
// valid today. It returns the constraints the listing fails, none when it
// would qualify. A proposal (CreateMatch) must pass them like a match does.
func (e *Engine) Fit(req *pb.BuyingRequest, buyer *pb.Buyer, l *pb.Listing, p *pb.Producer) []Unfit {
	_, out := e.judge(req, buyer, l, p, false)
	return out
}

// Assess judges one listing of producer p for one buying request, the way
// Match would: the score it would get, and the first hard constraint it
// fails, by its Name ("" when it passes them all). Quotes use it: a firm
// answering a request with a listing that cannot serve it is told which
// constraint stands in the way.
func (e *Engine) Assess(p *pb.Producer, l *pb.Listing, req *pb.BuyingRequest, buyer *pb.Buyer) (score float64, failed string) {
	if p == nil || l == nil || req == nil || !ownedBy(l, p) {
		return 0, "product"
	}
	score, out := e.judge(req, buyer, l, p, true)
	if len(out) > 0 {
		return 0, out[0].Name()
	}
	return score, ""
}

// judge is Fit and Assess: the failed constraints in Match's order, and
// the score when asked for and nothing fails.
func (e *Engine) judge(req *pb.BuyingRequest, buyer *pb.Buyer, l *pb.Listing, p *pb.Producer, withScore bool) (float64, []Unfit) {
	m := e.getMatcher()
	defer e.putMatcher(m)
	m.useIndex(nil)
	prod := m.addProducer(p)
	var f lfacts
	m.idx.compileListing(&f, l, prod)
	if !m.setQuery(req, buyer, e.now()) {
		return 0, []Unfit{{Constraint: "product", Reason: "the buying request names no product"}}
	}
	q := &m.q
	var out []Unfit
	fails, fatal := m.checkListing(&f)
	switch {
	case fatal && !f.active:
		out = append(out, Unfit{Constraint: "listing", Reason: "the listing is not active"})
	case fatal && q.category != pb.Category_CATEGORY_UNSPECIFIED && f.category != q.category:
		out = append(out, Unfit{Constraint: "product", Reason: fmt.Sprintf("the listing is %s, the request asks for %s", f.category, q.category)})
	case fatal || fails&(1<<bitProduct) != 0:
		out = append(out, Unfit{Constraint: "product", Reason: fmt.Sprintf("the listing's HS code %q is not under the requested %q", l.GetHsCode(), q.prefix)})
	}
	if fails&(1<<bitDest) != 0 {
		out = append(out, Unfit{Constraint: "destination", Reason: fmt.Sprintf("the listing does not say it ships to %s", q.dest)})
	}
	pi := m.pinfo(prod)
	cfails, cfatal := m.checkProducer(pi)
	for i, t := range q.required {
		if i < maxCertBits && cfails&(1<<(bitCert0+i)) != 0 {
			out = append(out, Unfit{Constraint: "certification", Type: t, Reason: fmt.Sprintf("the producer holds no valid %s certificate", t)})
		}
	}
	if cfatal {
		out = append(out, Unfit{Constraint: "certification", Reason: "the producer does not hold every required certificate valid today"})
	}
	if len(out) > 0 || !withScore {
		return 0, out
	}
	return m.score(&f, pi), nil
}
