package grpcapi

import (
	"context"
	"fmt"

	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

var buyingRequestOutputOnly = set("state")

const buyingRequestNameHelp = "must be a buying request name like buyers/osaka-nishikigoi/buyingRequests/kohaku-spring"

// CreateBuyingRequest implements BuyerService. The destination defaults to
// the buyer's country and the expiry to DefaultRequestLifetime from now.
func (s *BuyerService) CreateBuyingRequest(ctx context.Context, req *pb.CreateBuyingRequestRequest) (*pb.BuyingRequest, error) {
	var v validate.Violations
	buyerID, ok := parseBuyerName(req.GetParent())
	if !ok {
		v.Add("parent", buyerNameHelp)
	}
	return create(ctx, &s.base, &v, req.GetBuyingRequest(), createSpec[*pb.BuyingRequest]{
		field: "buying_request", outputOnly: buyingRequestOutputOnly,
		check: func(v *validate.Violations, r *pb.BuyingRequest) {
			now := s.now()
			if r.ExpireTime == nil {
				r.ExpireTime = timestamppb.New(now.Add(DefaultRequestLifetime).UTC())
			}
			validate.NormalizeBuyingRequest(r)
			validate.BuyingRequest(v, "buying_request", r, now)
		},
		idField: "buying_request_id", id: req.GetBuyingRequestId(), requestID: req.GetRequestId(),
		title: (*pb.BuyingRequest).GetTitle, scope: req.GetParent(),
		name: func(id string) string { return buyingRequestName(buyerID, id) },
		prepare: func(r *pb.BuyingRequest) error {
			buyer, err := s.buyers.GetBuyer(ctx, req.GetParent())
			if err != nil {
				return s.err(ctx, err)
			}
			if r.GetDestinationCountryCode() == "" {
				r.DestinationCountryCode = buyer.GetCountryCode()
			}
			r.State = pb.BuyingRequest_OPEN
			return nil
		},
		write: s.requests.CreateBuyingRequest,
	})
}

// GetBuyingRequest implements BuyerService.
func (s *BuyerService) GetBuyingRequest(ctx context.Context, req *pb.GetBuyingRequestRequest) (*pb.BuyingRequest, error) {
	if _, _, ok := parseBuyingRequestName(req.GetName()); !ok {
		return nil, invalid("name", buyingRequestNameHelp)
	}
	r, err := s.requests.GetBuyingRequest(ctx, req.GetName())
	return r, s.err(ctx, err)
}

// ListBuyingRequests implements BuyerService; parent "buyers/-" lists across
// every buyer (AIP-159).
func (s *BuyerService) ListBuyingRequests(ctx context.Context, req *pb.ListBuyingRequestsRequest) (*pb.ListBuyingRequestsResponse, error) {
	parent := req.GetParent()
	if _, ok := parseBuyerName(parent); !ok && parent != buyerName(wildcard) {
		return nil, invalid("parent", "must be a buyer name like buyers/osaka-nishikigoi, or buyers/- for all buyers")
	}
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		parent: parent, method: "ListBuyingRequests", schema: buyingRequestSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	if parent != buyerName(wildcard) {
		o.Parent = parent
	}
	items, more, err := s.requests.ListBuyingRequests(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListBuyingRequestsResponse{BuyingRequests: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// UpdateBuyingRequest implements BuyerService. Only open requests change.
func (s *BuyerService) UpdateBuyingRequest(ctx context.Context, req *pb.UpdateBuyingRequestRequest) (*pb.BuyingRequest, error) {
	return update(ctx, &s.base, "buying_request", req.GetBuyingRequest(), req.GetUpdateMask(), buyingRequestOutputOnly,
		func(n string) bool { _, _, ok := parseBuyingRequestName(n); return ok }, buyingRequestNameHelp,
		s.requests.UpdateBuyingRequest,
		func(cur *pb.BuyingRequest) error {
			if cur.GetState() != pb.BuyingRequest_OPEN {
				return fmt.Errorf("%w: buying request %q is %s; only open requests can be changed", store.ErrFailedPrecondition, cur.GetName(), cur.GetState())
			}
			return nil
		},
		func(cur *pb.BuyingRequest) error {
			validate.NormalizeBuyingRequest(cur)
			var v validate.Violations
			validate.BuyingRequest(&v, "buying_request", cur, s.now())
			if cur.GetExpireTime() == nil {
				v.Add("buying_request.expire_time", "cannot be cleared: every request expires (give a new time instead)")
			}
			return v.Err()
		})
}

// DeleteBuyingRequest implements BuyerService.
func (s *BuyerService) DeleteBuyingRequest(ctx context.Context, req *pb.DeleteBuyingRequestRequest) (*emptypb.Empty, error) {
	var v validate.Violations
	if _, _, ok := parseBuyingRequestName(req.GetName()); !ok {
		v.Add("name", buyingRequestNameHelp)
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.requests.DeleteBuyingRequest(ctx, req.GetName(), req.GetEtag()); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// CloseBuyingRequest implements BuyerService. Closing a closed request is a
// no-op; an expired request cannot be closed.
func (s *BuyerService) CloseBuyingRequest(ctx context.Context, req *pb.CloseBuyingRequestRequest) (*pb.BuyingRequest, error) {
	var v validate.Violations
	if _, _, ok := parseBuyingRequestName(req.GetName()); !ok {
		v.Add("name", buyingRequestNameHelp)
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	cur, err := s.requests.GetBuyingRequest(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if cur.GetState() == pb.BuyingRequest_CLOSED && (req.GetEtag() == "" || req.GetEtag() == cur.GetEtag()) {
		return cur, nil
	}
	out, err := s.requests.UpdateBuyingRequest(ctx, req.GetName(), req.GetEtag(), func(r *pb.BuyingRequest) error {
		switch r.GetState() {
		case pb.BuyingRequest_OPEN:
			r.State = pb.BuyingRequest_CLOSED
			return nil
		case pb.BuyingRequest_CLOSED:
			return nil
		default:
			return fmt.Errorf("%w: buying request %q is %s and cannot be closed", store.ErrFailedPrecondition, req.GetName(), r.GetState())
		}
	})
	return out, s.err(ctx, err)
}
