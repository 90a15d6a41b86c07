package catalogsync

import (
	"context"
	"fmt"
	"slices"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// ListingLister serves lists of listings from memory (catalog.Index).
type ListingLister interface {
	ListListings(ctx context.Context, parent, after string, limit int, keep func(*pb.Listing) bool) ([]*pb.Listing, bool, error)
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
	items, more, err := s.Lists.ListListings(ctx, o.Parent, o.After, o.PageSize, keep)
	if err != nil {
		return nil, false, fmt.Errorf("list listings: %w", err)
	}
	return items, more, nil
}

// listingFilter turns AIP-160 conditions on listings into a test with the
// semantics the MongoDB query of mongostore has: an absent field (empty
// string or list, which the documents omit) equals no value and differs
// from every value; a prefix matches only a present value; a repeated
// field equals a value when one of its elements does.
func listingFilter(conds []query.Condition) (func(*pb.Listing) bool, error) {
	if len(conds) == 0 {
		return nil, nil
	}
	tests := make([]func(*pb.Listing) bool, 0, len(conds))
	for _, c := range conds {
		v, ok := c.Value.(string)
		if !ok {
			return nil, fmt.Errorf("filter on %s: value %v is not a string", c.Field, c.Value)
		}
		var get func(*pb.Listing) string
		switch c.Field {
		case "category":
			get = func(l *pb.Listing) string { return l.GetCategory().String() }
		case "state":
			get = func(l *pb.Listing) string { return l.GetState().String() }
		case "hs_code":
			get = (*pb.Listing).GetHsCode
		case "unit":
			get = (*pb.Listing).GetUnit
		case "title":
			get = (*pb.Listing).GetTitle
		case "ship_to_country_codes":
			if c.Op != query.Eq && c.Op != query.Has {
				return nil, fmt.Errorf("filter on %s: operator %s is not supported", c.Field, c.Op)
			}
			tests = append(tests, func(l *pb.Listing) bool { return slices.Contains(l.GetShipToCountryCodes(), v) })
			continue
		default:
			// The API checks fields against its schema; reaching this is a bug.
			return nil, fmt.Errorf("filter field %q has no in-memory mapping", c.Field)
		}
		switch {
		case c.Prefix:
			tests = append(tests, func(l *pb.Listing) bool { s := get(l); return s != "" && strings.HasPrefix(s, v) })
		case c.Op == query.Eq || c.Op == query.Has:
			tests = append(tests, func(l *pb.Listing) bool { return get(l) == v })
		case c.Op == query.Ne:
			tests = append(tests, func(l *pb.Listing) bool { return get(l) != v })
		default:
			return nil, fmt.Errorf("filter on %s: operator %s is not supported", c.Field, c.Op)
		}
	}
	return func(l *pb.Listing) bool {
		for _, t := range tests {
			if !t(l) {
				return false
			}
		}
		return true
	}, nil
}
