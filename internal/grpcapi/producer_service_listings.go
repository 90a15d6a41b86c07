package grpcapi

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

var listingOutputOnly = set("state")

const listingNameHelp = "must be a listing name like producers/jimbe-jaya/listings/djembe-60cm"

// CreateListing implements ProducerService. New listings start as DRAFT.
func (s *ProducerService) CreateListing(ctx context.Context, req *pb.CreateListingRequest) (*pb.Listing, error) {
	var v validate.Violations
	producerID, ok := parseProducerName(req.GetParent())
	if !ok {
		v.Add("parent", "must be a producer name like producers/jimbe-jaya")
	}
	return create(ctx, &s.base, &v, req.GetListing(), createSpec[*pb.Listing]{
		field: "listing", outputOnly: listingOutputOnly,
		check: func(v *validate.Violations, l *pb.Listing) {
			validate.NormalizeListing(l)
			validate.Listing(v, "listing", l)
		},
		idField: "listing_id", id: req.GetListingId(), requestID: req.GetRequestId(),
		title: (*pb.Listing).GetTitle, scope: req.GetParent(),
		name: func(id string) string { return listingName(producerID, id) },
		prepare: func(l *pb.Listing) error {
			if _, err := s.producers.GetProducer(ctx, req.GetParent()); err != nil {
				return s.err(ctx, err)
			}
			l.State = pb.Listing_DRAFT
			return nil
		},
		write: s.listings.CreateListing,
	})
}

// GetListing implements ProducerService.
func (s *ProducerService) GetListing(ctx context.Context, req *pb.GetListingRequest) (*pb.Listing, error) {
	if _, _, ok := parseListingName(req.GetName()); !ok {
		return nil, invalid("name", listingNameHelp)
	}
	l, err := s.listings.GetListing(ctx, req.GetName())
	return l, s.err(ctx, err)
}

// ListListings implements ProducerService; parent "producers/-" lists across
// every producer (AIP-159).
func (s *ProducerService) ListListings(ctx context.Context, req *pb.ListListingsRequest) (*pb.ListListingsResponse, error) {
	parent := req.GetParent()
	if _, ok := parseProducerName(parent); !ok && parent != producerName(wildcard) {
		return nil, invalid("parent", "must be a producer name like producers/jimbe-jaya, or producers/- for all producers")
	}
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		parent: parent, method: "ListListings", schema: listingSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	if parent != producerName(wildcard) {
		o.Parent = parent
	}
	items, more, err := s.listings.ListListings(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListListingsResponse{Listings: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// UpdateListing implements ProducerService. Archived listings are final.
func (s *ProducerService) UpdateListing(ctx context.Context, req *pb.UpdateListingRequest) (*pb.Listing, error) {
	return update(ctx, &s.base, "listing", req.GetListing(), req.GetUpdateMask(), listingOutputOnly,
		func(n string) bool { _, _, ok := parseListingName(n); return ok }, listingNameHelp,
		s.listings.UpdateListing,
		func(cur *pb.Listing) error {
			if cur.GetState() == pb.Listing_ARCHIVED {
				return fmt.Errorf("%w: listing %q is archived and can no longer be changed", store.ErrFailedPrecondition, cur.GetName())
			}
			return nil
		},
		func(cur *pb.Listing) error {
			validate.NormalizeListing(cur)
			var v validate.Violations
			validate.Listing(&v, "listing", cur)
			return v.Err()
		})
}

// DeleteListing implements ProducerService.
func (s *ProducerService) DeleteListing(ctx context.Context, req *pb.DeleteListingRequest) (*emptypb.Empty, error) {
	var v validate.Violations
	if _, _, ok := parseListingName(req.GetName()); !ok {
		v.Add("name", listingNameHelp)
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.listings.DeleteListing(ctx, req.GetName(), req.GetEtag()); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// listingTransitions says, for each target state, which states may move to
// it. Moving to the state a listing is already in succeeds without a write,
// so that retries are harmless.
var listingTransitions = map[pb.Listing_State][]pb.Listing_State{
	pb.Listing_ACTIVE:   {pb.Listing_DRAFT, pb.Listing_PAUSED},
	pb.Listing_PAUSED:   {pb.Listing_ACTIVE},
	pb.Listing_ARCHIVED: {pb.Listing_DRAFT, pb.Listing_ACTIVE, pb.Listing_PAUSED},
}

func (s *ProducerService) transitionListing(ctx context.Context, name, etag string, to pb.Listing_State) (*pb.Listing, error) {
	var v validate.Violations
	if _, _, ok := parseListingName(name); !ok {
		v.Add("name", listingNameHelp)
	}
	checkEtag(&v, "etag", etag)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cur, err := s.listings.GetListing(ctx, name)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if cur.GetState() == to && (etag == "" || etag == cur.GetEtag()) {
		return cur, nil
	}
	out, err := s.listings.UpdateListing(ctx, name, etag, func(l *pb.Listing) error {
		if l.GetState() == to {
			return nil
		}
		for _, from := range listingTransitions[to] {
			if l.GetState() == from {
				l.State = to
				return nil
			}
		}
		return fmt.Errorf("%w: a %s listing cannot become %s", store.ErrFailedPrecondition, l.GetState(), to)
	})
	return out, s.err(ctx, err)
}

// PublishListing implements ProducerService.
func (s *ProducerService) PublishListing(ctx context.Context, req *pb.PublishListingRequest) (*pb.Listing, error) {
	return s.transitionListing(ctx, req.GetName(), req.GetEtag(), pb.Listing_ACTIVE)
}

// PauseListing implements ProducerService.
func (s *ProducerService) PauseListing(ctx context.Context, req *pb.PauseListingRequest) (*pb.Listing, error) {
	return s.transitionListing(ctx, req.GetName(), req.GetEtag(), pb.Listing_PAUSED)
}

// ArchiveListing implements ProducerService.
func (s *ProducerService) ArchiveListing(ctx context.Context, req *pb.ArchiveListingRequest) (*pb.Listing, error) {
	return s.transitionListing(ctx, req.GetName(), req.GetEtag(), pb.Listing_ARCHIVED)
}
