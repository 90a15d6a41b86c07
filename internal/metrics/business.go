// Package metrics counts what the service does for its users, next to the
// transport metrics of package server: searches run, matches computed,
// proposals made, parties connected, deals closed. An operator (or the trade
// office's dashboard) reads them from /metrics without knowing gRPC method
// names.
package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Business holds the business counters.
type Business struct {
	searches    prometheus.Counter
	matchRuns   *prometheus.CounterVec
	proposals   *prometheus.CounterVec
	connections prometheus.Counter
	deals       *prometheus.CounterVec
}

// NewBusiness returns the counters, at zero.
func NewBusiness() *Business {
	b := &Business{
		searches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "temubisnis_searches_total", Help: "Listing searches answered.",
		}),
		matchRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_matches_computed_total", Help: "Rankings computed: listings for a buying request (direction=request) or requests for a producer or listing (direction=producer).",
		}, []string{"direction"}),
		proposals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_proposals_total", Help: "Match proposals made, by the side that proposed.",
		}, []string{"proposed_by"}),
		connections: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "temubisnis_connections_total", Help: "Matches that became CONNECTED (both sides accepted, contacts shared).",
		}),
		deals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_matches_closed_total", Help: "Connected matches closed, with an order (outcome=deal) or without (outcome=no_deal).",
		}, []string{"outcome"}),
	}
	b.matchRuns.WithLabelValues("request")
	b.matchRuns.WithLabelValues("producer")
	b.deals.WithLabelValues("deal")
	b.deals.WithLabelValues("no_deal")
	return b
}

// Collectors returns the counters to register.
func (b *Business) Collectors() []prometheus.Collector {
	return []prometheus.Collector{b.searches, b.matchRuns, b.proposals, b.connections, b.deals}
}

const matchService = "/temubisnis.v1.MatchService/"

// Interceptor counts successful calls by what they did. It reads the
// responses, so it must run inside the interceptors that answer refusals.
func (b *Business) Interceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err == nil {
			b.count(info.FullMethod, req, resp)
		}
		return resp, err
	}
}

func (b *Business) count(method string, req, resp any) {
	switch method {
	case "/temubisnis.v1.SearchService/SearchListings":
		b.searches.Inc()
	case matchService + "MatchBuyingRequest":
		b.matchRuns.WithLabelValues("request").Inc()
	case matchService + "RecommendBuyingRequests":
		b.matchRuns.WithLabelValues("producer").Inc()
	case matchService + "CreateMatch":
		if m, ok := resp.(*pb.Match); ok {
			b.proposals.WithLabelValues(m.GetProposedBy().String()).Inc()
		}
	case matchService + "AcceptMatch":
		// The accept that connects a match is the one that answers
		// CONNECTED; a retry of it with the same request id answers the
		// same and counts again, which the request id makes rare.
		if m, ok := resp.(*pb.Match); ok && m.GetState() == pb.Match_CONNECTED {
			b.connections.Inc()
		}
	case matchService + "CloseMatch":
		m, _ := resp.(*pb.Match)
		switch m.GetState() {
		case pb.Match_CLOSED_DEAL:
			b.deals.WithLabelValues("deal").Inc()
		case pb.Match_CLOSED_NO_DEAL:
			b.deals.WithLabelValues("no_deal").Inc()
		}
	}
}
