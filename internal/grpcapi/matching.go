package grpcapi

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/matching"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// CandidateSource is the in-memory catalogue the matching engine scans, with
// the exchange rates it compares prices with.
type CandidateSource interface {
	matching.Source
	ExchangeRates() *pb.ExchangeRates
}

// MatchHistory gives every match, for the responsiveness and deal counts of
// producers.
type MatchHistory interface {
	AllMatches(ctx context.Context, fn func(*pb.Match) error) error
}

// matchingState caches the engine (rebuilt when the requirement catalogue or
// the exchange rates change) and the producers' history (refreshed at most
// every statsTTL), so that a match call reads neither in full. The reads
// happen outside the lock, one at a time (singleflight): a slow database
// delays the callers that need the fresh copy, never the ones that can use
// the cached one.
type matchingState struct {
	src     CandidateSource
	history MatchHistory
	weights matching.Weights
	flight  singleflight.Group

	mu        sync.Mutex
	engine    *matching.Engine
	engineKey string
	rates     *pb.ExchangeRates
	stats     map[string]matching.ProducerStats
	statsAt   time.Time
	reqs      []*pb.Requirement
	reqsKey   string
	reqsAt    time.Time
}

// statsTTL is how stale the producers' answer and deal counts may be;
// reqsTTL how stale the requirement catalogue the engine uses may be (it
// changes a few times a year; a trade-office edit shows within seconds).
const (
	statsTTL = 30 * time.Second
	reqsTTL  = 2 * time.Second
)

// WithMatching enables MatchBuyingRequest and RecommendBuyingRequests over
// src, with producer history from history.
func (s *Service) WithMatching(src CandidateSource, history MatchHistory, weights matching.Weights) *Service {
	s.matching = &matchingState{src: src, history: history, weights: weights}
	return s
}

func (s *Service) engine(ctx context.Context) (*matching.Engine, error) {
	ms := s.matching
	ms.mu.Lock()
	needStats := time.Since(ms.statsAt) > statsTTL
	needReqs := time.Since(ms.reqsAt) > reqsTTL
	ms.mu.Unlock()
	if needReqs {
		if _, err, _ := ms.flight.Do("requirements", func() (any, error) {
			reqs, err := s.reqs.AllRequirements(ctx)
			if err != nil {
				return nil, err
			}
			var key strings.Builder
			for _, r := range reqs {
				key.WriteString(r.GetName() + "@" + r.GetEtag() + ";")
			}
			ms.mu.Lock()
			ms.reqs, ms.reqsKey, ms.reqsAt = reqs, key.String(), time.Now()
			ms.mu.Unlock()
			return nil, nil
		}); err != nil {
			return nil, err
		}
	}
	if needStats {
		if _, err, _ := ms.flight.Do("stats", func() (any, error) {
			stats, err := producerStats(ctx, ms.history)
			if err != nil {
				return nil, err
			}
			ms.mu.Lock()
			ms.stats, ms.statsAt, ms.engine = stats, time.Now(), nil
			ms.mu.Unlock()
			return nil, nil
		}); err != nil {
			return nil, err
		}
	}
	ms.mu.Lock()
	defer ms.mu.Unlock()
	rates := ms.src.ExchangeRates()
	if ms.engine == nil || ms.engineKey != ms.reqsKey || ms.rates != rates {
		stats := ms.stats
		ms.engine = matching.New(ms.src, matching.Options{
			Weights:      ms.weights,
			Requirements: ms.reqs,
			Rates:        rates,
			Stats:        func(p string) matching.ProducerStats { return stats[p] },
			Now:          s.now,
		})
		ms.engineKey, ms.rates = ms.reqsKey, rates
	}
	return ms.engine, nil
}

// producerStats counts every producer's proposals, answers and deals.
func producerStats(ctx context.Context, history MatchHistory) (map[string]matching.ProducerStats, error) {
	stats := map[string]matching.ProducerStats{}
	err := history.AllMatches(ctx, func(m *pb.Match) error {
		for _, mem := range m.GetMembers() {
			st := stats[mem.GetProducer()]
			st.Proposals++
			if mem.GetAnswer() == pb.Answer_ACCEPTED || mem.GetAnswer() == pb.Answer_DECLINED {
				st.Answered++
			}
			if m.GetState() == pb.Match_CLOSED_DEAL {
				st.Deals++
			}
			stats[mem.GetProducer()] = st
		}
		return nil
	})
	return stats, err
}

// MatchBuyingRequest implements MatchService.
func (s *Service) MatchBuyingRequest(ctx context.Context, req *pb.MatchBuyingRequestRequest) (*pb.MatchBuyingRequestResponse, error) {
	var v validate.Violations
	buyerID, _, ok := parseBuyingRequestName(req.GetName())
	if !ok {
		v.Add("name", buyingRequestNameHelp)
	}
	page := pageOf(&v, req.GetPageSize(), matching.DefaultLimit, matching.MaxLimit, req.GetPageToken(), "MatchBuyingRequest", req.GetName())
	if err := v.Err(); err != nil {
		return nil, err
	}
	br, err := s.store.GetBuyingRequest(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	buyer, err := s.store.GetBuyer(ctx, buyerName(buyerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	e, err := s.engine(ctx)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	// One more than the page tells whether another follows; the ranking
	// never holds more than MaxLimit.
	resp := e.Match(br, buyer, min(page.end()+1, matching.MaxLimit))
	resp.Matches, resp.NextPageToken = cut(page, resp.GetMatches())
	return resp, nil
}

// RecommendBuyingRequests implements MatchService.
func (s *Service) RecommendBuyingRequests(ctx context.Context, req *pb.RecommendBuyingRequestsRequest) (*pb.RecommendBuyingRequestsResponse, error) {
	var v validate.Violations
	name := req.GetName()
	producerID, isListing := parseSubject(&v, name)
	page := pageOf(&v, req.GetPageSize(), matching.DefaultLimit, matching.MaxLimit, req.GetPageToken(), "RecommendBuyingRequests", name)
	if err := v.Err(); err != nil {
		return nil, err
	}
	p, err := s.store.GetProducer(ctx, producerName(producerID))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	var listings []*pb.Listing
	if isListing {
		l, err := s.store.GetListing(ctx, name)
		if err != nil {
			return nil, s.err(ctx, err)
		}
		listings = []*pb.Listing{l}
	} else {
		listings, err = allPages(func(o store.ListOptions) ([]*pb.Listing, bool, error) {
			o.Parent = p.GetName()
			o.Conditions = []query.Condition{{Field: "state", Op: query.Eq, Value: pb.Listing_ACTIVE.String()}}
			return s.store.ListListings(ctx, o)
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
			return s.store.ListBuyingRequests(ctx, o)
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
		buyer, err := s.store.GetBuyer(ctx, b)
		if err != nil {
			return nil, s.err(ctx, err)
		}
		buyers[b] = buyer
	}
	e, err := s.engine(ctx)
	if err != nil {
		return nil, s.err(ctx, err)
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
