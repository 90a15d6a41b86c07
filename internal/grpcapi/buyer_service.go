package grpcapi

import (
	"context"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/emptypb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// BuyerService implements pb.BuyerServiceServer: buyers and their buying
// requests (buyer_service_requests.go).
type BuyerService struct {
	pb.UnimplementedBuyerServiceServer
	base
	buyers   BuyerStore
	requests BuyingRequestStore
}

var buyerOutputOnly = set("verification_state", "verification_note")

const buyerNameHelp = "must be a buyer name like buyers/osaka-nishikigoi"

// CreateBuyer implements BuyerService.
func (s *BuyerService) CreateBuyer(ctx context.Context, req *pb.CreateBuyerRequest) (*pb.Buyer, error) {
	return create(ctx, &s.base, &validate.Violations{}, req.GetBuyer(), createSpec[*pb.Buyer]{
		field: "buyer", outputOnly: buyerOutputOnly,
		check: func(v *validate.Violations, b *pb.Buyer) {
			validate.NormalizeBuyer(b)
			validate.Buyer(v, "buyer", b)
		},
		idField: "buyer_id", id: req.GetBuyerId(), requestID: req.GetRequestId(),
		title: (*pb.Buyer).GetDisplayName, scope: "buyers", name: buyerName,
		prepare: func(b *pb.Buyer) error {
			b.VerificationState = pb.VerificationState_UNVERIFIED
			return nil
		},
		write: s.buyers.CreateBuyer,
	})
}

// GetBuyer implements BuyerService.
func (s *BuyerService) GetBuyer(ctx context.Context, req *pb.GetBuyerRequest) (*pb.Buyer, error) {
	if _, ok := parseBuyerName(req.GetName()); !ok {
		return nil, invalid("name", buyerNameHelp)
	}
	b, err := s.buyers.GetBuyer(ctx, req.GetName())
	return b, s.err(ctx, err)
}

// ListBuyers implements BuyerService.
func (s *BuyerService) ListBuyers(ctx context.Context, req *pb.ListBuyersRequest) (*pb.ListBuyersResponse, error) {
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		method: "ListBuyers", schema: buyerSchema,
	}.options()
	if err != nil {
		return nil, err
	}
	items, more, err := s.buyers.ListBuyers(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListBuyersResponse{Buyers: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// UpdateBuyer implements BuyerService.
func (s *BuyerService) UpdateBuyer(ctx context.Context, req *pb.UpdateBuyerRequest) (*pb.Buyer, error) {
	var stored *pb.Buyer
	return update(ctx, &s.base, "buyer", req.GetBuyer(), req.GetUpdateMask(), buyerOutputOnly,
		func(n string) bool { _, ok := parseBuyerName(n); return ok }, buyerNameHelp,
		s.buyers.UpdateBuyer,
		func(cur *pb.Buyer) error { stored = proto.CloneOf(cur); return nil },
		func(cur *pb.Buyer) error {
			validate.NormalizeBuyer(cur)
			reviewBuyer(ctx, stored, cur)
			var v validate.Violations
			validate.Buyer(&v, "buyer", cur)
			return v.Err()
		})
}

// DeleteBuyer implements BuyerService.
func (s *BuyerService) DeleteBuyer(ctx context.Context, req *pb.DeleteBuyerRequest) (*emptypb.Empty, error) {
	var v validate.Violations
	if _, ok := parseBuyerName(req.GetName()); !ok {
		v.Add("name", buyerNameHelp)
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.buyers.DeleteBuyer(ctx, req.GetName(), req.GetEtag(), req.GetForce()); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

// VerifyBuyer implements BuyerService.
func (s *BuyerService) VerifyBuyer(ctx context.Context, req *pb.VerifyBuyerRequest) (*pb.Buyer, error) {
	var v validate.Violations
	if _, ok := parseBuyerName(req.GetName()); !ok {
		v.Add("name", buyerNameHelp)
	}
	if _, ok := pb.VerificationState_name[int32(req.GetVerificationState())]; !ok || req.GetVerificationState() == pb.VerificationState_VERIFICATION_STATE_UNSPECIFIED {
		v.Add("verification_state", "must be UNVERIFIED, PENDING_REVIEW, VERIFIED or REJECTED")
	}
	if len(req.GetNote()) > 500 {
		v.Add("note", "must be at most 500 characters")
	}
	checkEtag(&v, "etag", req.GetEtag())
	if err := v.Err(); err != nil {
		return nil, err
	}
	out, err := s.buyers.UpdateBuyer(ctx, req.GetName(), req.GetEtag(), func(b *pb.Buyer) error {
		b.VerificationState, b.VerificationNote = req.GetVerificationState(), req.GetNote()
		return nil
	})
	return out, s.err(ctx, err)
}
