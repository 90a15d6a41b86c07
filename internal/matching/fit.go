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
	// Reason says what is missing, in words fit for the caller.
	Reason string
}

// Fit applies to one listing of producer p the hard constraints Match and
// Recommend apply to every listing (the same code): the listing is active,
// is the product asked for, ships to the destination (the request's, or its
// buyer's country), and its producer holds every required certification
// valid today. It returns the constraints the listing fails, none when it
// would qualify. A proposal (CreateMatch) must pass them like a match does.
func (e *Engine) Fit(req *pb.BuyingRequest, buyer *pb.Buyer, l *pb.Listing, p *pb.Producer) []Unfit {
	m := e.getMatcher()
	defer e.putMatcher(m)
	m.useIndex(nil)
	prod := m.addProducer(p)
	var f lfacts
	m.idx.compileListing(&f, l, prod)
	if !m.setQuery(req, buyer, e.now()) {
		return []Unfit{{"product", "the buying request names no product"}}
	}
	q := &m.q
	var out []Unfit
	fails, fatal := m.checkListing(&f)
	switch {
	case fatal && !f.active:
		out = append(out, Unfit{"listing", "the listing is not active"})
	case fatal && q.category != pb.Category_CATEGORY_UNSPECIFIED && f.category != q.category:
		out = append(out, Unfit{"product", fmt.Sprintf("the listing is %s, the request asks for %s", f.category, q.category)})
	case fatal || fails&(1<<bitProduct) != 0:
		out = append(out, Unfit{"product", fmt.Sprintf("the listing's HS code %q is not under the requested %q", l.GetHsCode(), q.prefix)})
	}
	if fails&(1<<bitDest) != 0 {
		out = append(out, Unfit{"destination", fmt.Sprintf("the listing does not say it ships to %s", q.dest)})
	}
	cfails, cfatal := m.checkProducer(m.pinfo(prod))
	for i, t := range q.required {
		if i < maxCertBits && cfails&(1<<(bitCert0+i)) != 0 {
			out = append(out, Unfit{"certification", fmt.Sprintf("the producer holds no valid %s certificate", t)})
		}
	}
	if cfatal {
		out = append(out, Unfit{"certification", "the producer does not hold every required certificate valid today"})
	}
	return out
}

// Assess judges one listing of producer p for one buying request, the way
// Match would: the score it would get, and the hard constraint it fails
// ("" when it passes them all). Quotes use it (Fit, above, lists every failed constraint in words
// for proposals; this names the first, for a quote): a firm answering a request
// with a listing that cannot serve it is told which constraint stands in
// the way. The names are those of RelaxationHint.constraint, with the
// certification type after a colon ("certification:KHV_FREE_CERTIFICATE").
func (e *Engine) Assess(p *pb.Producer, l *pb.Listing, req *pb.BuyingRequest, buyer *pb.Buyer) (score float64, failed string) {
	if p == nil || l == nil || req == nil {
		return 0, "product"
	}
	if !ownedBy(l, p) {
		return 0, "product"
	}
	m := e.getMatcher()
	defer e.putMatcher(m)
	m.useIndex(nil)
	prod := m.addProducer(p)
	var f lfacts
	m.idx.compileListing(&f, l, prod)
	if !m.setQuery(req, buyer, e.now()) {
		return 0, "product"
	}
	fails, fatal := m.checkListing(&f)
	if fatal {
		return 0, "product"
	}
	pi := m.pinfo(prod)
	pfails, pfatal := m.checkProducer(pi)
	fails |= pfails
	switch {
	case fails&(1<<bitProduct) != 0:
		return 0, "product"
	case fails&(1<<bitDest) != 0:
		return 0, "destination"
	case fails != 0:
		for i, t := range m.q.required {
			if i < maxCertBits && fails&(1<<(bitCert0+i)) != 0 {
				return 0, "certification:" + t
			}
		}
		return 0, "certification"
	case pfatal:
		return 0, "certification"
	}
	return m.score(&f, pi), ""
}
