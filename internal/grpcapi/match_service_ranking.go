package grpcapi

import (
	"context"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matching"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
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
	listings, err := s.subjectListings(ctx, p, name, isListing)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	requests, err := s.openRequestsFor(ctx, listings)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	buyers, err := s.buyersOf(ctx, requests)
	if err != nil {
		return nil, s.err(ctx, err)
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

// subjectListings are the listings recommendations are made for: the one
// named, or every active listing of the producer.
func (s *MatchService) subjectListings(ctx context.Context, p *pb.Producer, name string, isListing bool) ([]*pb.Listing, error) {
	if isListing {
		l, err := s.listings.GetListing(ctx, name)
		if err != nil {
			return nil, err
		}
		return []*pb.Listing{l}, nil
	}
	return allPages(func(o store.ListOptions) ([]*pb.Listing, bool, error) {
		o.Parent = p.GetName()
		o.Conditions = []query.Condition{{Field: "state", Op: query.Eq, Value: pb.Listing_ACTIVE.String()}}
		return s.listings.ListListings(ctx, o)
	})
}

// openRequestsFor reads the open requests of the product families the
// listings offer.
func (s *MatchService) openRequestsFor(ctx context.Context, listings []*pb.Listing) ([]*pb.BuyingRequest, error) {
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
			return nil, err
		}
		requests = append(requests, rs...)
	}
	return requests, nil
}

// buyersOf reads the buyer of each request, once each.
func (s *MatchService) buyersOf(ctx context.Context, requests []*pb.BuyingRequest) (map[string]*pb.Buyer, error) {
	buyers := map[string]*pb.Buyer{}
	for _, r := range requests {
		buyerID, _, _ := parseBuyingRequestName(r.GetName())
		b := buyerName(buyerID)
		if _, done := buyers[b]; done {
			continue
		}
		buyer, err := s.buyers.GetBuyer(ctx, b)
		if err != nil {
			return nil, err
		}
		buyers[b] = buyer
	}
	return buyers, nil
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
