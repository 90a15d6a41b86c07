package catalog

import (
	"bytes"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// ListListings serves a List method from the index, which holds every
// listing in every state: in name order, the listings of parent
// ("producers/{p}"; empty for all producers) whose name sorts after after
// and whose filter fields keep accepts (nil keeps all), at most limit of
// them, and whether more follow. Only kept listings are decoded, so a
// selective filter over the whole catalogue reads 100,000 listings in tens
// of milliseconds. The scan stops with ctx's error when ctx ends, so an
// abandoned call does no more work.
//
// One producer's listings come from its own set (a handful, sorted per
// call); all producers' from the index's name order, kept sorted on every
// insert and delete, so a page costs the listings it reads, not the
// catalogue.
//
// need, when given, are byte strings that the stored form of every listing
// keep accepts contains (the values of equality conditions on strings): a
// cheap pre-test that spares reading the fields of most listings when a
// filter matches few.
func (x *Index) ListListings(ctx context.Context, parent, after string, limit int, keep func(*ListingFields) bool, need ...[]byte) ([]*pb.Listing, bool, error) {
	if parent == "" {
		x.flushPending()
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.listListings(ctx, parent, after, limit, keep, need)
}

// listListings is ListListings under the read lock, the pending listings
// merged (or as good as: a write may slip in between).
func (x *Index) listListings(ctx context.Context, parent, after string, limit int, keep func(*ListingFields) bool, need [][]byte) ([]*pb.Listing, bool, error) {
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
	return pageOfListings(ctx, listingSeq(recs), limit, keep, need)
}

// listingSeq yields the names and stored forms of recs, in their order.
func listingSeq(recs []*listingRec) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		for _, r := range recs {
			if !yield(r.name, r.data) {
				return
			}
		}
	}
}

// pageOfListings is one page of a List of listings (see pageOf).
func pageOfListings(ctx context.Context, recs iter.Seq2[string, []byte], limit int, keep func(*ListingFields) bool, need [][]byte) ([]*pb.Listing, bool, error) {
	return pageOf(ctx, recs, limit, keep, need, "listing", func() *pb.Listing { return new(pb.Listing) })
}

// wireFields are the filter fields of a resource (ListingFields,
// ProducerFields), read from its stored form.
type wireFields[F any] interface {
	*F
	read([]byte) error
}

// pageOf is one page of a List: the records recs yields (names and stored
// forms, in name order) that contain every byte string of need and whose
// fields keep accepts (nil keeps all), decoded into messages of newMsg, at
// most limit of them, and whether more follow. It stops reading recs once
// it knows that, so a lazy sequence costs the records up to the first
// after the page. It stops with ctx's error when ctx ends.
func pageOf[M proto.Message, F any, PF wireFields[F]](ctx context.Context, recs iter.Seq2[string, []byte], limit int, keep func(*F) bool, need [][]byte, noun string, newMsg func() M) ([]M, bool, error) {
	var out []M
	var f F
	i := 0
	for name, data := range recs {
		if i++; i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		if !containsAll(data, need) {
			continue
		}
		if keep != nil {
			if err := PF(&f).read(data); err != nil {
				return nil, false, fmt.Errorf("read %s %s: %w", noun, name, err)
			}
			if !keep(&f) {
				continue
			}
		}
		if len(out) == limit {
			return out, true, nil
		}
		m := newMsg()
		if err := proto.Unmarshal(data, m); err != nil {
			return nil, false, fmt.Errorf("decode %s %s: %w", noun, name, err)
		}
		out = append(out, m)
	}
	return out, false, nil
}

func containsAll(data []byte, need [][]byte) bool {
	for _, n := range need {
		if !bytes.Contains(data, n) {
			return false
		}
	}
	return true
}

// ListingFields are the fields of a listing that List filters test, read
// from the stored wire form without decoding the rest. The strings share
// the stored bytes, which are never changed in place.
type ListingFields struct {
	Category           pb.Category
	State              pb.Listing_State
	HsCode             string
	Unit               string
	Title              string
	ShipToCountryCodes []string
}

// Field numbers of the filter fields of Listing.
var (
	fnCategory = messageField(&pb.Listing{}, "category")
	fnState    = messageField(&pb.Listing{}, "state")
	fnHsCode   = messageField(&pb.Listing{}, "hs_code")
	fnUnit     = messageField(&pb.Listing{}, "unit")
	fnTitle    = messageField(&pb.Listing{}, "title")
	fnShipTo   = messageField(&pb.Listing{}, "ship_to_country_codes")
)

// read fills f from a listing's wire form, reusing f's slice.
func (f *ListingFields) read(b []byte) error {
	*f = ListingFields{ShipToCountryCodes: f.ShipToCountryCodes[:0]}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		b = b[n:]
		switch {
		case typ == protowire.VarintType && (num == fnCategory || num == fnState):
			v, m := protowire.ConsumeVarint(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			if num == fnCategory {
				f.Category = pb.Category(int32(v))
			} else {
				f.State = pb.Listing_State(int32(v))
			}
			n = m
		case typ == protowire.BytesType && (num == fnHsCode || num == fnUnit || num == fnTitle || num == fnShipTo):
			v, m := protowire.ConsumeBytes(b)
			if m < 0 {
				return protowire.ParseError(m)
			}
			s := bytesString(v)
			switch num {
			case fnHsCode:
				f.HsCode = s
			case fnUnit:
				f.Unit = s
			case fnTitle:
				f.Title = s
			default:
				f.ShipToCountryCodes = append(f.ShipToCountryCodes, s)
			}
			n = m
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return protowire.ParseError(n)
			}
		}
		b = b[n:]
	}
	return nil
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

// flushPending takes the write lock and merges the pending listings into
// the order, for a List of all producers' listings.
func (x *Index) flushPending() {
	x.mu.Lock()
	x.mergePending()
	x.mu.Unlock()
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

// ListProducers serves a List of producers from the index: in name order,
// the producers whose name sorts after after and whose filter fields keep
// accepts (nil keeps all), at most limit of them, and whether more follow. need is as for ListListings: byte
// strings the wire form of every producer keep accepts contains. The scan
// stops with ctx's error when ctx ends.
func (x *Index) ListProducers(ctx context.Context, after string, limit int, keep func(*ProducerFields) bool, need ...[]byte) ([]*pb.Producer, bool, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	recs := x.sortedProducers()
	i, found := slices.BinarySearchFunc(recs, after, func(r *producerRec, name string) int { return strings.Compare(r.name, name) })
	if found {
		i++
	}
	recs = recs[i:]
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	seq := func(yield func(string, []byte) bool) {
		for _, pr := range recs {
			if !yield(pr.name, pr.data) {
				return
			}
		}
	}
	return pageOf(ctx, seq, limit, keep, need, "producer", func() *pb.Producer { return new(pb.Producer) })
}

// producerOrder keeps the present producers sorted by name between calls of
// ListProducers, which would otherwise sort all of them per page. It is not
// maintained by writes: each call checks it (every cached record still in
// its slot, as many present producers as cached: pointer comparisons, no
// sort) and rebuilds it when a producer was added or removed. A rebuild
// makes new slices, so a reader holding the old ones is not disturbed.
type producerOrder struct {
	mu    sync.Mutex
	recs  []*producerRec
	slots []int32
}

// sortedProducers returns the present producers in name order; under the
// read lock.
func (x *Index) sortedProducers() []*producerRec {
	po := &x.porder
	po.mu.Lock()
	defer po.mu.Unlock()
	n := 0
	for _, pr := range x.producers {
		if pr != nil && pr.present {
			n++
		}
	}
	valid := n == len(po.recs)
	for i := 0; valid && i < len(po.recs); i++ {
		valid = x.producers[po.slots[i]] == po.recs[i]
	}
	if valid {
		return po.recs
	}
	slots := make([]int32, 0, n)
	for slot, pr := range x.producers {
		if pr != nil && pr.present {
			slots = append(slots, int32(slot))
		}
	}
	slices.SortFunc(slots, func(a, b int32) int { return strings.Compare(x.producers[a].name, x.producers[b].name) })
	recs := make([]*producerRec, len(slots))
	for i, slot := range slots {
		recs[i] = x.producers[slot]
	}
	po.recs, po.slots = recs, slots
	return recs
}
