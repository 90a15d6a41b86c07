package grpcapi

import (
	"context"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// SearchService implements pb.SearchServiceServer: search over the
// in-memory catalogue and the exchange-rate table.
type SearchService struct {
	pb.UnimplementedSearchServiceServer
	base
	search Searcher
	rates  RatesStore
}

// exchangeRatesOutputOnly is spelt out rather than built by set: the rate
// table is replaced, never created, and has no create_time.
var exchangeRatesOutputOnly = map[string]bool{"name": true, "update_time": true, "etag": true}

// SearchListings implements SearchService. It never touches the database.
func (s *SearchService) SearchListings(_ context.Context, req *pb.SearchListingsRequest) (*pb.SearchListingsResponse, error) {
	if _, ok := pb.ListingView_name[int32(req.GetView())]; !ok {
		return nil, invalid("view", "must be BASIC or FULL")
	}
	// The index builds BASIC hits itself, and its answer may be shared
	// with other callers (a cached answer): it is passed on unchanged.
	return s.search.Search(req, s.now())
}

// GetExchangeRates implements SearchService.
func (s *SearchService) GetExchangeRates(_ context.Context, req *pb.GetExchangeRatesRequest) (*pb.ExchangeRates, error) {
	if req.GetName() != fx.ExchangeRatesName {
		return nil, invalid("name", `must be "exchangeRates"`)
	}
	return s.search.ExchangeRates(), nil
}

// UpdateExchangeRates implements SearchService.
func (s *SearchService) UpdateExchangeRates(ctx context.Context, req *pb.UpdateExchangeRatesRequest) (*pb.ExchangeRates, error) {
	return update(ctx, &s.base, "exchange_rates", req.GetExchangeRates(), req.GetUpdateMask(), exchangeRatesOutputOnly,
		func(n string) bool { return n == fx.ExchangeRatesName }, `must be "exchangeRates"`,
		func(ctx context.Context, _, etag string, mutate func(*pb.ExchangeRates) error) (*pb.ExchangeRates, error) {
			return s.rates.UpdateExchangeRates(ctx, etag, mutate)
		}, nil,
		func(cur *pb.ExchangeRates) error {
			var v validate.Violations
			fx.Validate(&v, "exchange_rates", cur)
			return v.Err()
		})
}
