package requirement

import (
	"cmp"
	"slices"
	"strings"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TrainingNeeds lists, for every commodity (category) and every destination
// market named in the catalogue, the mandatory exporter-side requirements
// and how many producers of that commodity do not meet them at now (MISSING
// or EXPIRED; EXPIRING_SOON still meets them). category and dest narrow the
// answer to one commodity or one market when set.
//
// A producer belongs to a commodity when it has at least one listing of that
// category that is not ARCHIVED; consolidators count like any producer, by
// their own listings and certificates. Listings of producers not in
// producers are ignored, since their certificates are unknown.
//
// The markets of a commodity are the destinations of its catalogue rows.
// Exit-side rows apply whatever the market, so they are reported once per
// commodity with an empty destination rather than once per market; a market
// requested in dest gets them too, because shipping there needs them, and
// may be one the catalogue has no rows for (then only they are reported).
//
// Needs that no producer lacks are left out. The order is most producers
// lacking first, then category, destination (exit side first) and
// requirement name.
func TrainingNeeds(all []*pb.Requirement, producers []*pb.Producer, listings []*pb.Listing, category pb.Category, dest string, now time.Time) []*pb.TrainingNeed {
	day := today(now)
	groups := commodityGroups(producers, listings)
	var needs []*pb.TrainingNeed
	for _, c := range categoriesOf(all, category) {
		group := groups[c]
		if len(group) == 0 {
			continue
		}
		for _, market := range marketsOf(all, c, dest) {
			for _, r := range Applicable(all, "", c, market) {
				if r.GetDestinationCountryCode() != market || !countsInScore(r) {
					continue
				}
				need := &pb.TrainingNeed{
					Category:               c,
					DestinationCountryCode: market,
					Requirement:            r,
					ProducersTotal:         int32(len(group)),
				}
				for _, p := range group {
					if s := assess(r, p.GetCertifications(), day).status; !isMet(s) {
						need.LackingProducers = append(need.LackingProducers, p.GetName())
					}
				}
				need.ProducersLacking = int32(len(need.LackingProducers))
				if need.ProducersLacking > 0 {
					needs = append(needs, need)
				}
			}
		}
	}
	slices.SortFunc(needs, func(a, b *pb.TrainingNeed) int {
		if c := cmp.Compare(b.GetProducersLacking(), a.GetProducersLacking()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.GetCategory(), b.GetCategory()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.GetDestinationCountryCode(), b.GetDestinationCountryCode()); c != 0 {
			return c
		}
		return cmp.Compare(a.GetRequirement().GetName(), b.GetRequirement().GetName())
	})
	return needs
}

// commodityGroups maps each category to the producers with a live listing
// of it, ordered by name so that lacking_producers comes out sorted.
func commodityGroups(producers []*pb.Producer, listings []*pb.Listing) map[pb.Category][]*pb.Producer {
	byName := make(map[string]*pb.Producer, len(producers))
	for _, p := range producers {
		if p != nil && p.GetName() != "" {
			byName[p.GetName()] = p
		}
	}
	seen := make(map[pb.Category]map[string]bool)
	groups := make(map[pb.Category][]*pb.Producer)
	for _, l := range listings {
		if l == nil || l.GetState() == pb.Listing_ARCHIVED {
			continue
		}
		p := byName[listingParent(l.GetName())]
		c := l.GetCategory()
		if p == nil || seen[c][p.GetName()] {
			continue
		}
		if seen[c] == nil {
			seen[c] = make(map[string]bool)
		}
		seen[c][p.GetName()] = true
		groups[c] = append(groups[c], p)
	}
	for _, g := range groups {
		slices.SortFunc(g, func(a, b *pb.Producer) int { return cmp.Compare(a.GetName(), b.GetName()) })
	}
	return groups
}

// listingParent returns the producer part of a listing name,
// "producers/{p}" of "producers/{p}/listings/{l}", or "" for anything else.
func listingParent(name string) string {
	parent, _, ok := strings.Cut(name, "/listings/")
	if !ok || !strings.HasPrefix(parent, "producers/") || strings.Count(parent, "/") != 1 {
		return ""
	}
	return parent
}

// categoriesOf returns the requested category, or every category the
// catalogue names, in enum order.
func categoriesOf(all []*pb.Requirement, requested pb.Category) []pb.Category {
	if requested != pb.Category_CATEGORY_UNSPECIFIED {
		return []pb.Category{requested}
	}
	var out []pb.Category
	for _, r := range all {
		if c := r.GetCategory(); c != pb.Category_CATEGORY_UNSPECIFIED && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// marketsOf returns the exit side ("") followed by the requested market, or
// by every destination the catalogue names for category c, sorted.
func marketsOf(all []*pb.Requirement, c pb.Category, requested string) []string {
	if requested != "" {
		return []string{"", requested}
	}
	var dests []string
	for _, r := range all {
		if d := r.GetDestinationCountryCode(); d != "" && r.GetCategory() == c && !slices.Contains(dests, d) {
			dests = append(dests, d)
		}
	}
	slices.Sort(dests)
	return append([]string{""}, dests...)
}
