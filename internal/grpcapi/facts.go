package grpcapi

import (
	"context"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Facts answers the access policy's questions about stored data
// (policy.Facts). It reads the store directly: a decision must not rest on a
// catalogue that may be a moment behind.
type Facts struct {
	listings ListingReader
	requests BuyingRequestReader
	matches  MatchReader
}

// ListingState returns the state of the listing called name.
func (s *Facts) ListingState(ctx context.Context, name string) (pb.Listing_State, error) {
	l, err := s.listings.GetListing(ctx, name)
	return l.GetState(), err
}

// BuyingRequestState returns the state of the buying request called name.
func (s *Facts) BuyingRequestState(ctx context.Context, name string) (pb.BuyingRequest_State, error) {
	r, err := s.requests.GetBuyingRequest(ctx, name)
	return r.GetState(), err
}

// MatchParties returns the buyer and the member producers of a match.
func (s *Facts) MatchParties(ctx context.Context, name string) (string, []string, error) {
	if s.matches == nil {
		return "", nil, store.ErrNotFound
	}
	m, err := s.matches.GetMatch(ctx, name)
	if err != nil {
		return "", nil, err
	}
	producers := make([]string, 0, len(m.GetMembers()))
	for _, mem := range m.GetMembers() {
		producers = append(producers, mem.GetProducer())
	}
	return m.GetBuyer(), producers, nil
}
