package matching

import (
	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Fit judges one listing of producer p for one buying request, the way
// Match would: the score it would get, and the hard constraint it fails
// ("" when it passes them all). Quotes use it: a firm answering a request
// with a listing that cannot serve it is told which constraint stands in
// the way. The names are those of RelaxationHint.constraint, with the
// certification type after a colon ("certification:KHV_FREE_CERTIFICATE").
func (e *Engine) Fit(p *pb.Producer, l *pb.Listing, req *pb.BuyingRequest, buyer *pb.Buyer) (score float64, failed string) {
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
