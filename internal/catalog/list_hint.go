package catalog

import (
	"context"
	"iter"
	"math/bits"
	"slices"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// ListHint names conditions a List of all producers' listings is known to
// require, so that the index can start from the search bitsets instead of
// testing every listing: a filter that matches almost nothing then costs
// the listings it may match, not the catalogue.
type ListHint struct {
	// Category, when set, is a category every listing kept has.
	Category pb.Category
	// ShipTo, when set, is a country every listing kept ships to.
	ShipTo string
	// NotActive says no listing kept is ACTIVE (a state filter on another
	// state), so no searchable listing is.
	NotActive bool
}

// hintMax is the most searchable candidates a hint may leave for the hinted
// path to be taken: they are sorted per call, while a common value fills a
// page from the name order after a few listings.
const hintMax = 4096

// ListListingsHinted is ListListings over all producers (parent "") with a
// hint: the same answer, from fewer listings. Searchable listings (ACTIVE,
// producer known) are taken from the bitsets of the hinted values; the
// others, which the bitsets do not hold, from the name order, walked only
// until the page is full. When the hint leaves many candidates it falls
// back to ListListings.
func (x *Index) ListListingsHinted(ctx context.Context, after string, limit int, hint ListHint, keep func(*ListingFields) bool, need ...[]byte) ([]*pb.Listing, bool, error) {
	x.flushPending()
	x.mu.RLock()
	defer x.mu.RUnlock()
	cands, ok := x.hintCandidates(after, hint)
	if !ok {
		return x.listListings(ctx, "", after, limit, keep, need)
	}
	return pageOfListings(ctx, cands, limit, keep, need)
}

// hintCandidates returns, in name order, the listings after after that the
// hint leaves (a superset of those kept), or false when there are too many
// searchable ones or writes are pending; under the read lock, which must be
// held while the sequence is read. The searchable candidates are collected
// and sorted at once (at most hintMax of them); the others are read from
// the name order as the sequence is, so a caller that stops early does not
// walk the rest of the catalogue.
func (x *Index) hintCandidates(after string, hint ListHint) (iter.Seq2[string, []byte], bool) {
	if len(x.pending) > 0 {
		return nil, false
	}
	var docs bitset
	if !hint.NotActive {
		docs = bitsetOf(nil, len(x.liveBits))
		copy(docs, x.liveBits)
		narrowed := false
		if hint.Category != pb.Category_CATEGORY_UNSPECIFIED {
			docs.and(x.catBits.get(int(hint.Category)))
			narrowed = true
		}
		if hint.ShipTo != "" {
			if id, ok := x.countries.lookup(hint.ShipTo); ok {
				docs.and(x.countryBits.get(int(id)))
			} else {
				clear(docs)
			}
			narrowed = true
		}
		if !narrowed || docs.count() > hintMax {
			return nil, false
		}
	}
	var active []*listingRec
	for w, word := range docs {
		for word != 0 {
			slot := int32(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
			if r := x.cold[slot].rec; r != nil && r.name > after {
				active = append(active, r)
			}
		}
	}
	slices.SortFunc(active, func(a, b *listingRec) int { return strings.Compare(a.name, b.name) })
	// Merged with the listings that are not searchable, in name order.
	i, _ := slices.BinarySearchFunc(x.order, after, compareRec)
	if i < len(x.order) && x.order[i].name == after {
		i++
	}
	rest := x.order[i:]
	return func(yield func(string, []byte) bool) {
		active := active
		for _, r := range rest {
			if r.doc >= 0 {
				continue
			}
			for len(active) > 0 && active[0].name < r.name {
				if !yield(active[0].name, active[0].data) {
					return
				}
				active = active[1:]
			}
			if !yield(r.name, r.data) {
				return
			}
		}
		for _, r := range active {
			if !yield(r.name, r.data) {
				return
			}
		}
	}, true
}
