package grpcapi

import (
	"context"
	"time"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/catalog"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// Searcher is the in-memory catalogue behind SearchListings.
type Searcher interface {
	Search(req *pb.SearchListingsRequest, now time.Time) (*pb.SearchListingsResponse, error)
	ExchangeRates() *pb.ExchangeRates
}

// RatesStore keeps the exchange-rate table.
type RatesStore interface {
	UpdateExchangeRates(ctx context.Context, etag string, mutate func(*pb.ExchangeRates) error) (*pb.ExchangeRates, error)
}

// WithSearch enables SearchService on the catalogue idx, with the rates kept
// in rs.
func (s *Service) WithSearch(idx Searcher, rs RatesStore) *Service {
	s.search, s.rates = idx, rs
	return s
}

const exchangeRatesName = "exchangeRates"

var exchangeRatesOutputOnly = set()

// SearchListings implements SearchService. It never touches the database.
func (s *Service) SearchListings(_ context.Context, req *pb.SearchListingsRequest) (*pb.SearchListingsResponse, error) {
	return s.search.Search(req, s.now())
}

// GetExchangeRates implements SearchService.
func (s *Service) GetExchangeRates(_ context.Context, req *pb.GetExchangeRatesRequest) (*pb.ExchangeRates, error) {
	if req.GetName() != exchangeRatesName {
		return nil, invalid("name", `must be "exchangeRates"`)
	}
	return proto.CloneOf(s.search.ExchangeRates()), nil
}

// UpdateExchangeRates implements SearchService.
func (s *Service) UpdateExchangeRates(ctx context.Context, req *pb.UpdateExchangeRatesRequest) (*pb.ExchangeRates, error) {
	var v validate.Violations
	patch := req.GetExchangeRates()
	if patch == nil {
		v.Add("exchange_rates", "is required")
		return nil, v.Err()
	}
	if patch.GetName() != exchangeRatesName {
		v.Add("exchange_rates.name", `must be "exchangeRates"`)
	}
	checkEtag(&v, "exchange_rates.etag", patch.GetEtag())
	paths := maskPaths(&v, req.GetUpdateMask(), patch, exchangeRatesOutputOnly)
	if err := v.Err(); err != nil {
		return nil, err
	}
	out, err := s.rates.UpdateExchangeRates(ctx, patch.GetEtag(), func(cur *pb.ExchangeRates) error {
		applyPaths(cur, patch, paths)
		var v validate.Violations
		catalog.ValidateExchangeRates(&v, "exchange_rates", cur)
		return v.Err()
	})
	return out, s.err(ctx, err)
}
