package grpcapi

import (
	"context"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matching"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// engine is the matching engine, UNIMPLEMENTED when the server has none.
func (s *MatchService) engine(ctx context.Context) (*matching.Engine, error) {
	if s.matching == nil {
		return nil, status.Error(codes.Unimplemented, "matching is not enabled on this server")
	}
	e, err := s.matching.Engine(ctx)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return e, nil
}

// MatchBuyingRequest implements MatchService.
func (s *MatchService) MatchBuyingRequest(ctx context.Context, req *pb.MatchBuyingRequestRequest) (*pb.MatchBuyingRequestResponse, error) {
	var v validate.Violations
	buyerID, _, ok := parseBuyingRequestName(req.GetName())
	if !ok {
		v.Add("name", buyingRequestNameHelp)
	}
	page := pageOf(&v, req.GetPageSize(), matching.DefaultLimit, matching.MaxLimit, req.GetPageToken(), "MatchBuyingRequest", req.GetName())
	if err := v.Err(); err != nil {
		return nil, err
	}
	br, err := s.requests.GetBuyingRequest(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	buyer, err := s.buyers.GetBuyer(ctx, buyerName(buyerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	e, err := s.engine(ctx)
	if err != nil {
		return nil, err
	}
	// One more than the page tells whether another follows; the ranking
	// never holds more than MaxLimit.
	resp := e.Match(br, buyer, min(page.end()+1, matching.MaxLimit))
	resp.Matches, resp.NextPageToken = cut(page, resp.GetMatches())
	return resp, nil
}

// RecommendBuyingRequests implements MatchService.
func (s *MatchService) RecommendBuyingRequests(ctx context.Context, req *pb.RecommendBuyingRequestsRequest) (*pb.RecommendBuyingRequestsResponse, error) {
	var v validate.Violations
	name := req.GetName()
	producerID, isListing := parseSubject(&v, name)
	page := pageOf(&v, req.GetPageSize(), matching.DefaultLimit, matching.MaxLimit, req.GetPageToken(), "RecommendBuyingRequests", name)
	if err := v.Err(); err != nil {
		return nil, err
	}
	p, err := s.producers.GetProducer(ctx, producerName(producerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	var listings []*pb.Listing
	if isListing {
		l, err := s.listings.GetListing(ctx, name)
		if err != nil {
			return nil, s.err(ctx, err)
		}
		listings = []*pb.Listing{l}
	} else {
		listings, err = allPages(func(o store.ListOptions) ([]*pb.Listing, bool, error) {
			o.Parent = p.GetName()
			o.Conditions = []query.Condition{{Field: "state", Op: query.Eq, Value: pb.Listing_ACTIVE.String()}}
			return s.listings.ListListings(ctx, o)
		})
		if err != nil {
			return nil, s.err(ctx, err)
		}
	}
	// Open requests of the product families the producer offers.
	cats := map[pb.Category]bool{}
	for _, l := range listings {
		cats[l.GetCategory()] = true
	}
	var requests []*pb.BuyingRequest
	for cat := range cats {
		rs, err := allPages(func(o store.ListOptions) ([]*pb.BuyingRequest, bool, error) {
			o.Conditions = []query.Condition{
				{Field: "state", Op: query.Eq, Value: pb.BuyingRequest_OPEN.String()},
				{Field: "category", Op: query.Eq, Value: cat.String()},
			}
			return s.requests.ListBuyingRequests(ctx, o)
		})
		if err != nil {
			return nil, s.err(ctx, err)
		}
		requests = append(requests, rs...)
	}
	buyers := map[string]*pb.Buyer{}
	for _, r := range requests {
		buyerID, _, _ := parseBuyingRequestName(r.GetName())
		b := buyerName(buyerID)
		if _, done := buyers[b]; done {
			continue
		}
		buyer, err := s.buyers.GetBuyer(ctx, b)
		if err != nil {
			return nil, s.err(ctx, err)
		}
		buyers[b] = buyer
	}
	e, err := s.engine(ctx)
	if err != nil {
		return nil, err
	}
	ranked := e.Recommend(p, listings, requests, buyers, min(page.end()+1, matching.MaxLimit))
	resp := &pb.RecommendBuyingRequestsResponse{}
	resp.Requests, resp.NextPageToken = cut(page, ranked)
	return resp, nil
}

// maxScan bounds the items one recommendation reads from the database.
const maxScan = 5000

// allPages reads every page of a list, up to maxScan items.
func allPages[M interface{ GetName() string }](list func(store.ListOptions) ([]M, bool, error)) ([]M, error) {
	var out []M
	after := ""
	for len(out) < maxScan {
		items, more, err := list(store.ListOptions{PageSize: 500, After: after})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if !more || len(items) == 0 {
			break
		}
		after = items[len(items)-1].GetName()
	}
	return out, nil
}
