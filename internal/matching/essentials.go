package matching

import pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"

// Essentials returns a listing holding only the fields the engine reads
// when it ranks, checks and groups: name, category, HS code, unit, prices,
// minimum order, capacity, lead time, destinations and state. Title,
// description, attributes, photos, times and etag are left out, which
// makes a candidate about a third the size of the whole message: a Source
// holding the whole catalogue keeps these and implements Hydrator, so that
// the matches it returns still carry whole listings.
//
// The result shares sub-messages and slices with l; like every candidate
// it must not be changed.
func Essentials(l *pb.Listing) *pb.Listing {
	if l == nil {
		return nil
	}
	return &pb.Listing{
		Name:               l.GetName(),
		Category:           l.GetCategory(),
		HsCode:             l.GetHsCode(),
		Unit:               l.GetUnit(),
		PriceMin:           l.GetPriceMin(),
		PriceMax:           l.GetPriceMax(),
		MinOrderQuantity:   l.MinOrderQuantity,
		MonthlyCapacity:    l.MonthlyCapacity,
		LeadTimeDays:       l.LeadTimeDays,
		ShipToCountryCodes: l.GetShipToCountryCodes(),
		State:              l.GetState(),
	}
}

// Hydrator is implemented by a Source whose candidates are Essentials:
// FullListing returns the whole listing of that name, or nil when it is
// gone. Match puts whole listings into the matches it returns.
type Hydrator interface {
	FullListing(name string) *pb.Listing
}

// hydrate replaces the listings of resp's matches by whole ones.
func hydrate(resp *pb.MatchBuyingRequestResponse, h Hydrator) {
	put := func(m *pb.ListingMatch) {
		if m == nil || m.GetListing() == nil {
			return
		}
		if full := h.FullListing(m.GetListing().GetName()); full != nil {
			m.Listing = full
		}
	}
	for _, m := range resp.GetMatches() {
		put(m)
	}
	for _, g := range resp.GetGroupProposal().GetMembers() {
		put(g.GetMatch())
	}
}
