package catalogsync

import (
	"context"
	"fmt"
	"slices"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// ListingLister serves lists of listings from memory (catalog.Index).
type ListingLister interface {
	ListListings(ctx context.Context, parent, after string, limit int, keep func(*catalog.ListingFields) bool, need ...[]byte) ([]*pb.Listing, bool, error)
}

// HintedListingLister serves lists of all producers' listings from the
// search bitsets of the values a filter requires (catalog.Index).
type HintedListingLister interface {
	ListListingsHinted(ctx context.Context, after string, limit int, hint catalog.ListHint, keep func(*catalog.ListingFields) bool, need ...[]byte) ([]*pb.Listing, bool, error)
}

// listHint reports the category, ship-to country or non-ACTIVE state that
// every listing the conditions keep must have, if any.
func listHint(conds []query.Condition) (catalog.ListHint, bool) {
	var h catalog.ListHint
	ok := false
	for _, c := range conds {
		v, isString := c.Value.(string)
		if !isString || c.Prefix || (c.Op != query.Eq && c.Op != query.Has) {
			continue
		}
		switch c.Field {
		case "category":
			if n := pb.Category_value[v]; n != 0 {
				h.Category, ok = pb.Category(n), true
			}
		case "ship_to_country_codes":
			if v != "" {
				h.ShipTo, ok = v, true
			}
		case "state":
			if v != pb.Listing_ACTIVE.String() {
				h.NotActive, ok = true, true
			}
		}
	}
	return h, ok
}

// ProducerLister serves lists of producers from memory (catalog.Index).
type ProducerLister interface {
	ListProducers(ctx context.Context, after string, limit int, keep func(*catalog.ProducerFields) bool, need ...[]byte) ([]*pb.Producer, bool, error)
}

// ListProducers serves the list from the read model once it is loaded
// (2.9 s from FerretDB at 100,000 listings, which sorts the whole collection
// in Go), with or without a filter: same filter semantics, name order and
// keyset paging as mongostore (producerFilter).
func (s *Store) ListProducers(ctx context.Context, o store.ListOptions) ([]*pb.Producer, bool, error) {
	pl, ok := s.Lists.(ProducerLister)
	if !ok || o.Parent != "" || s.Ready == nil || !s.Ready() {
		return s.Store.ListProducers(ctx, o)
	}
	keep, err := producerFilter(o.Conditions)
	if err != nil {
		return nil, false, err
	}
	items, more, err := pl.ListProducers(ctx, o.After, o.PageSize, keep, needed(o.Conditions, producerStrings...)...)
	if err != nil {
		return nil, false, fmt.Errorf("list producers: %w", err)
	}
	return items, more, nil
}

// ListListings serves the list from the in-memory read model once it is
// loaded, instead of the database: FerretDB's SQLite backend pushes no
// filter but one on _id down to SQL, so every list of listings read the
// whole collection (504 after 10 s at 100,000 listings). The read model
// holds every listing in every state, with this replica's writes applied
// before they return (read-your-writes) and other replicas' within a poll
// of the change log, like search. Same filter semantics, name order and
// keyset paging as mongostore.
func (s *Store) ListListings(ctx context.Context, o store.ListOptions) ([]*pb.Listing, bool, error) {
	if s.Lists == nil || s.Ready == nil || !s.Ready() {
		return s.Store.ListListings(ctx, o)
	}
	keep, err := listingFilter(o.Conditions)
	if err != nil {
		return nil, false, err
	}
	var items []*pb.Listing
	var more bool
	hl, hinted := s.Lists.(HintedListingLister)
	if hint, ok := listHint(o.Conditions); hinted && ok && o.Parent == "" {
		items, more, err = hl.ListListingsHinted(ctx, o.After, o.PageSize, hint, keep, needed(o.Conditions, listingStrings...)...)
	} else {
		items, more, err = s.Lists.ListListings(ctx, o.Parent, o.After, o.PageSize, keep, needed(o.Conditions, listingStrings...)...)
	}
	if err != nil {
		return nil, false, fmt.Errorf("list listings: %w", err)
	}
	return items, more, nil
}

// needed lists the values a stored form must contain to pass the
// conditions: those of non-empty equalities on the given string fields,
// which are stored verbatim. (A prefix is contained too.)
func needed(conds []query.Condition, fields ...string) [][]byte {
	var out [][]byte
	for _, c := range conds {
		if !slices.Contains(fields, c.Field) {
			continue
		}
		if v, ok := c.Value.(string); ok && v != "" && (c.Op == query.Eq || c.Op == query.Has) {
			out = append(out, []byte(v))
		}
	}
	return out
}

// listingStrings are the string fields of a listing the stored form holds
// verbatim.
var listingStrings = []string{"hs_code", "unit", "title", "ship_to_country_codes"}

// allOf is the test that every one of tests passes (nil when there are
// none, which keeps everything).
func allOf[F any](tests []func(*F) bool) func(*F) bool {
	if len(tests) == 0 {
		return nil
	}
	return func(f *F) bool {
		for _, t := range tests {
			if !t(f) {
				return false
			}
		}
		return true
	}
}

// enumTest compares an enum stored by value name, as numbers: an unknown
// name equals no value and differs from every one. nil for an operator
// other than = and !=.
func enumTest[F any](op query.Op, name string, values map[string]int32, get func(*F) int32) func(*F) bool {
	n, known := values[name]
	switch op {
	case query.Eq:
		return func(f *F) bool { return known && get(f) == n }
	case query.Ne:
		return func(f *F) bool { return !known || get(f) != n }
	}
	return nil
}

// listingFilter turns AIP-160 conditions on listings into a test with the
// semantics the MongoDB query of mongostore has: an absent field (empty
// string or list, which the documents omit) equals no value and differs
// from every value; a prefix matches only a present value; a repeated
// field equals a value when one of its elements does.
func listingFilter(conds []query.Condition) (func(*catalog.ListingFields) bool, error) {
	type test = func(*catalog.ListingFields) bool
	tests := make([]test, 0, len(conds))
	for _, c := range conds {
		v, ok := c.Value.(string)
		if !ok {
			return nil, fmt.Errorf("filter on %s: value %v is not a string", c.Field, c.Value)
		}
		var t test
		switch c.Field {
		case "category", "state":
			// Enums are stored by value name; compare numbers.
			values := pb.Category_value
			get := func(f *catalog.ListingFields) int32 { return int32(f.Category) }
			if c.Field == "state" {
				values = pb.Listing_State_value
				get = func(f *catalog.ListingFields) int32 { return int32(f.State) }
			}
			if !c.Prefix || c.Op == query.Ne {
				t = enumTest(c.Op, v, values, get)
			}
		case "ship_to_country_codes":
			if c.Op == query.Eq || c.Op == query.Has {
				t = func(f *catalog.ListingFields) bool { return slices.Contains(f.ShipToCountryCodes, v) }
			}
		case "hs_code", "unit", "title":
			get := func(f *catalog.ListingFields) string { return f.Title }
			switch c.Field {
			case "hs_code":
				get = func(f *catalog.ListingFields) string { return f.HsCode }
			case "unit":
				get = func(f *catalog.ListingFields) string { return f.Unit }
			}
			switch {
			case c.Prefix:
				t = func(f *catalog.ListingFields) bool { s := get(f); return s != "" && strings.HasPrefix(s, v) }
			case c.Op == query.Eq || c.Op == query.Has:
				t = func(f *catalog.ListingFields) bool { return get(f) == v }
			case c.Op == query.Ne:
				t = func(f *catalog.ListingFields) bool { return get(f) != v }
			}
		default:
			// The API checks fields against its schema; reaching this is a bug.
			return nil, fmt.Errorf("filter field %q has no in-memory mapping", c.Field)
		}
		if t == nil {
			return nil, fmt.Errorf("filter on %s: operator %s is not supported", c.Field, c.Op)
		}
		tests = append(tests, t)
	}
	return allOf(tests), nil
}
