package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// ListListings serves a List method from the index, which holds every
// listing in every state: in name order, the listings of parent
// ("producers/{p}"; empty for all producers) whose name sorts after after
// and that keep accepts, at most limit of them, and whether more follow.
// keep sees a fresh copy it may keep. The scan stops with ctx's error when
// ctx ends, so an abandoned call does no more work.
//
// One producer's listings come from its own set (a handful, sorted per
// call); all producers' from the index's name order, kept sorted on every
// insert and delete, so a page costs the listings it reads, not the
// catalogue.
func (x *Index) ListListings(ctx context.Context, parent, after string, limit int, keep func(*pb.Listing) bool) ([]*pb.Listing, bool, error) {
	if parent == "" {
		x.mu.Lock()
		x.mergePending()
		x.mu.Unlock()
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var recs []*listingRec
	if parent == "" && len(x.pending) == 0 {
		i, _ := slices.BinarySearchFunc(x.order, after, compareRec)
		if i < len(x.order) && x.order[i].name == after {
			i++
		}
		recs = x.order[i:]
	} else if parent == "" {
		// A write slipped in between the merge and the read lock.
		recs = slices.Concat(x.order, x.pending)
		recs = slices.DeleteFunc(recs, func(r *listingRec) bool { return r.name <= after })
		slices.SortFunc(recs, func(a, b *listingRec) int { return strings.Compare(a.name, b.name) })
	} else if slot, ok := x.producerSlots[parent]; ok {
		pr := x.producers[slot]
		recs = make([]*listingRec, 0, len(pr.listings))
		for _, r := range pr.listings {
			if r.name > after {
				recs = append(recs, r)
			}
		}
		slices.SortFunc(recs, func(a, b *listingRec) int { return strings.Compare(a.name, b.name) })
	}
	var out []*pb.Listing
	for i, r := range recs {
		if i%256 == 255 {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		l := new(pb.Listing)
		if err := proto.Unmarshal(r.data, l); err != nil {
			return nil, false, fmt.Errorf("decode listing %s: %w", r.name, err)
		}
		if keep != nil && !keep(l) {
			continue
		}
		if len(out) == limit {
			return out, true, nil
		}
		out = append(out, l)
	}
	return out, false, nil
}

func compareRec(r *listingRec, name string) int { return strings.Compare(r.name, name) }

// pendingMax bounds the listings waiting, out of name order, to be merged
// into the order: a load in random order then costs a merge per pendingMax
// listings instead of moving half the order per listing.
const pendingMax = 4096

// orderInsert puts a new listing into the name order, or among the pending
// ones when it does not sort last.
func (x *Index) orderInsert(rec *listingRec) {
	if n := len(x.order); n == 0 || x.order[n-1].name < rec.name {
		x.order = append(x.order, rec)
		return
	}
	x.pending = append(x.pending, rec)
	if len(x.pending) >= pendingMax {
		x.mergePending()
	}
}

// mergePending merges the pending listings into the order; under the write
// lock.
func (x *Index) mergePending() {
	if len(x.pending) == 0 {
		return
	}
	slices.SortFunc(x.pending, func(a, b *listingRec) int { return strings.Compare(a.name, b.name) })
	merged := make([]*listingRec, 0, len(x.order)+len(x.pending))
	i, j := 0, 0
	for i < len(x.order) && j < len(x.pending) {
		if x.order[i].name < x.pending[j].name {
			merged = append(merged, x.order[i])
			i++
		} else {
			merged = append(merged, x.pending[j])
			j++
		}
	}
	merged = append(merged, x.order[i:]...)
	merged = append(merged, x.pending[j:]...)
	x.order = merged
	clear(x.pending)
	x.pending = x.pending[:0]
}

// orderRemove takes a listing out of the name order (or the pending ones).
func (x *Index) orderRemove(rec *listingRec) {
	if i := slices.Index(x.pending, rec); i >= 0 {
		x.pending = slices.Delete(x.pending, i, i+1)
		return
	}
	if i, found := slices.BinarySearchFunc(x.order, rec.name, compareRec); found {
		x.order = slices.Delete(x.order, i, i+1)
	}
}
