package matching

import (
	"slices"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Recommend ranks open buying requests (given by the caller, with their
// buyers by name) for the producer's ACTIVE listings: one RequestMatch per
// request, with the producer's best-fitting listing. limit is as for Match.
//
// A request takes part when it is OPEN and its expire_time (if set) has not
// passed. A listing fits a request under the same hard constraints as in
// Match, seen from the listing's side: the product, every required
// certification held valid today, and the destination (the request's, or
// its buyer's country) among the countries the listing ships to. The score
// and breakdown are those Match would give the same listing.
//
// The result shares BuyingRequest messages with the caller.
func (e *Engine) Recommend(p *pb.Producer, listings []*pb.Listing, requests []*pb.BuyingRequest, buyers map[string]*pb.Buyer, limit int) []*pb.RequestMatch {
	if p == nil {
		return nil
	}
	limit = normalizeLimit(limit)
	now := e.now()
	active := make([]*pb.Listing, 0, len(listings))
	for _, l := range listings {
		if l != nil && l.GetState() == pb.Listing_ACTIVE && ownedBy(l, p) {
			active = append(active, l)
		}
	}
	if len(active) == 0 {
		return nil
	}
	m := e.getMatcher()
	defer e.putMatcher(m)
	// The producer and its listings are compiled once into the scratch
	// index; each request then only re-derives its own per-request facts.
	m.useIndex(nil)
	prod := m.addProducer(p)
	facts := make([]lfacts, len(active))
	for i, l := range active {
		m.idx.compileListing(&facts[i], l, prod)
	}

	type fit struct {
		req   *pb.BuyingRequest
		buyer *pb.Buyer
		f     *lfacts
		score float64
	}
	var fits []fit
	for _, r := range requests {
		if r == nil || r.GetState() != pb.BuyingRequest_OPEN {
			continue
		}
		if t := r.GetExpireTime(); t != nil && !t.AsTime().After(now) {
			continue
		}
		b := buyers[buyerOf(r.GetName())]
		if !m.setQuery(r, b, now) {
			continue
		}
		pi := m.pinfo(prod)
		if fails, fatal := m.checkProducer(pi); fatal || fails != 0 {
			continue
		}
		var best *lfacts
		var bestScore float64
		for i := range facts {
			f := &facts[i]
			if fails, fatal := m.checkListing(f); fatal || fails != 0 {
				continue
			}
			s := m.score(f, pi)
			if best == nil || s > bestScore || s == bestScore && f.l.GetName() < best.l.GetName() {
				best, bestScore = f, s
			}
		}
		if best != nil {
			fits = append(fits, fit{req: r, buyer: b, f: best, score: bestScore})
		}
	}
	slices.SortFunc(fits, func(a, b fit) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return strings.Compare(a.req.GetName(), b.req.GetName())
	})
	if len(fits) > limit {
		fits = fits[:limit]
	}
	out := make([]*pb.RequestMatch, 0, len(fits))
	for _, f := range fits {
		// Explanations only for the requests returned.
		m.setQuery(f.req, f.buyer, now)
		criteria, total := m.breakdown(f.f, m.pinfo(prod))
		out = append(out, &pb.RequestMatch{
			BuyingRequest:          f.req,
			BuyerDisplayName:       f.buyer.GetDisplayName(),
			BuyerCountryCode:       f.buyer.GetCountryCode(),
			BuyerVerificationState: f.buyer.GetVerificationState(),
			Listing:                f.f.l.GetName(),
			Score:                  total,
			Criteria:               criteria,
		})
	}
	return out
}

// ownedBy reports whether l is one of p's listings, when both names say;
// a caller that passes another producer's listing by mistake must not get
// a recommendation for goods the producer does not make.
func ownedBy(l *pb.Listing, p *pb.Producer) bool {
	if l.GetName() == "" || p.GetName() == "" {
		return true
	}
	return strings.HasPrefix(l.GetName(), p.GetName()+"/listings/")
}

// buyerOf returns the buyer's resource name of a buying request name
// ("buyers/x/buyingRequests/y" -> "buyers/x").
func buyerOf(request string) string {
	if i := strings.Index(request, "/buyingRequests/"); i > 0 {
		return request[:i]
	}
	return ""
}
