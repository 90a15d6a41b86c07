package grpcapi

import (
	"bytes"
	"context"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/api/httpbody"
	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/stats"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// StatisticsService implements pb.StatisticsServiceServer: export
// figures, their CSV and charts, computed from deals (package stats).
type StatisticsService struct {
	pb.UnimplementedStatisticsServiceServer
	base
	source   StatisticsSource
	requests BuyingRequestLister
	// shipments give the export route of deals; nil leaves it unknown.
	shipments ShipmentLister
	rates     func() *pb.ExchangeRates
}

// period validates an optional period.
func period(v *validate.Violations, start, end *date.Date) (time.Time, time.Time) {
	var from, to time.Time
	if start != nil {
		if !validate.Date(start) {
			v.Add("start_date", "must be a full calendar date")
		} else {
			from = time.Date(int(start.GetYear()), time.Month(start.GetMonth()), int(start.GetDay()), 0, 0, 0, 0, time.UTC)
		}
	}
	if end != nil {
		if !validate.Date(end) {
			v.Add("end_date", "must be a full calendar date")
		} else {
			to = time.Date(int(end.GetYear()), time.Month(end.GetMonth()), int(end.GetDay()), 0, 0, 0, 0, time.UTC)
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("end_date", "must not be before start_date")
	}
	return from, to
}

// statisticsInput reads the deals, requests and matches the figures need.
func (s *StatisticsService) statisticsInput(ctx context.Context, from, to time.Time) (stats.Input, error) {
	in := stats.Input{Rates: s.rates(), Start: from, End: to}
	producers := map[string]*pb.Producer{}
	if err := s.source.AllProducers(ctx, func(p *pb.Producer) error { producers[p.GetName()] = p; return nil }); err != nil {
		return in, err
	}
	listings := map[string]*pb.Listing{}
	if err := s.source.AllListings(ctx, func(l *pb.Listing) error { listings[l.GetName()] = l; return nil }); err != nil {
		return in, err
	}
	requests := map[string]time.Time{}
	if err := eachPage(ctx, s.requests.ListBuyingRequests, func(r *pb.BuyingRequest) {
		requests[r.GetName()] = r.GetCreateTime().AsTime()
		in.Requests = append(in.Requests, r.GetCreateTime().AsTime())
	}); err != nil {
		return in, err
	}
	routes, err := s.exportRoutes(ctx)
	if err != nil {
		return in, err
	}
	err = s.source.AllMatches(ctx, func(m *pb.Match) error {
		in.Matches = append(in.Matches, stats.Match{Create: m.GetCreateTime().AsTime(), RequestCreate: requests[m.GetBuyingRequest()],
			Connected: connectTime(m)})
		if d, ok := dealOf(m, listings, producers, routes); ok {
			in.Deals = append(in.Deals, d)
		}
		return nil
	})
	return in, err
}

// eachPage calls fn with every item of a stored collection, page by page.
func eachPage[M interface{ GetName() string }](ctx context.Context,
	list func(context.Context, store.ListOptions) ([]M, bool, error), fn func(M),
) error {
	after := ""
	for {
		items, more, err := list(ctx, store.ListOptions{PageSize: 500, After: after})
		if err != nil {
			return err
		}
		for _, it := range items {
			fn(it)
		}
		if !more || len(items) == 0 {
			return nil
		}
		after = items[len(items)-1].GetName()
	}
}

// exportRoutes is each match's export route, from its first shipment;
// empty without shipments.
func (s *StatisticsService) exportRoutes(ctx context.Context) (map[string]pb.Shipment_ExportRoute, error) {
	routes := map[string]pb.Shipment_ExportRoute{}
	if s.shipments == nil {
		return routes, nil
	}
	err := eachPage(ctx, s.shipments.ListShipments, func(sh *pb.Shipment) {
		// Names sort by match, then shipment: the first wins.
		match, _, _ := strings.Cut(sh.GetName(), "/shipments/")
		if _, ok := routes[match]; !ok {
			routes[match] = sh.GetExportRoute()
		}
	})
	return routes, err
}

// connectTime is when a connected (or closed) match connected: the last
// answer; zero for a match that never connected.
func connectTime(m *pb.Match) time.Time {
	switch m.GetState() {
	case pb.Match_CONNECTED, pb.Match_CLOSED_DEAL, pb.Match_CLOSED_NO_DEAL:
	default:
		return time.Time{}
	}
	t := m.GetBuyerAnswerTime().AsTime()
	for _, mem := range m.GetMembers() {
		if a := mem.GetAnswerTime().AsTime(); a.After(t) {
			t = a
		}
	}
	return t
}

// dealOf is the deal a match closed with, described by its first member's
// listing and producer; false for a match without one.
func dealOf(m *pb.Match, listings map[string]*pb.Listing, producers map[string]*pb.Producer, routes map[string]pb.Shipment_ExportRoute) (stats.Deal, bool) {
	d := m.GetDeal()
	if m.GetState() != pb.Match_CLOSED_DEAL || d == nil || len(m.GetMembers()) == 0 {
		return stats.Deal{}, false
	}
	first := m.GetMembers()[0]
	l, p := listings[first.GetListing()], producers[first.GetProducer()]
	sd := d.GetShipmentDate()
	return stats.Deal{
		Value: d.GetValue(), Quantity: d.GetQuantity(), Unit: d.GetUnit(),
		ShipDate:    time.Date(int(sd.GetYear()), time.Month(sd.GetMonth()), int(sd.GetDay()), 0, 0, 0, 0, time.UTC),
		Destination: d.GetDestinationCountryCode(), Category: l.GetCategory(), HSCode: l.GetHsCode(),
		District: p.GetDistrict(), Kind: p.GetKind(), Producer: first.GetProducer(), Route: routes[m.GetName()],
	}, true
}

func (s *StatisticsService) computeStatistics(ctx context.Context, start, end *date.Date) (stats.Input, *pb.ExportStatistics, error) {
	var v validate.Violations
	from, to := period(&v, start, end)
	if err := v.Err(); err != nil {
		return stats.Input{}, nil, err
	}
	in, err := s.statisticsInput(ctx, from, to)
	if err != nil {
		return in, nil, s.err(ctx, err)
	}
	out, err := stats.Compute(in)
	if err != nil {
		return in, nil, s.err(ctx, err)
	}
	return in, out, nil
}

// GetExportStatistics implements StatisticsService.
func (s *StatisticsService) GetExportStatistics(ctx context.Context, req *pb.GetExportStatisticsRequest) (*pb.ExportStatistics, error) {
	_, out, err := s.computeStatistics(ctx, req.GetStartDate(), req.GetEndDate())
	return out, err
}

// DownloadExportStatistics implements StatisticsService.
func (s *StatisticsService) DownloadExportStatistics(ctx context.Context, req *pb.DownloadExportStatisticsRequest) (*httpbody.HttpBody, error) {
	_, out, err := s.computeStatistics(ctx, req.GetStartDate(), req.GetEndDate())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := stats.WriteCSV(&buf, out); err != nil {
		return nil, s.err(ctx, err)
	}
	return &httpbody.HttpBody{ContentType: "text/csv; charset=utf-8", Data: buf.Bytes()}, nil
}

// RenderExportChart implements StatisticsService.
func (s *StatisticsService) RenderExportChart(ctx context.Context, req *pb.RenderExportChartRequest) (*httpbody.HttpBody, error) {
	var v validate.Violations
	if !stats.ValidChart(req.GetChart()) {
		v.Add("chart", `must be "destination_year", "commodity" or "funnel"`)
	}
	from, to := period(&v, req.GetStartDate(), req.GetEndDate())
	if err := v.Err(); err != nil {
		return nil, err
	}
	in, err := s.statisticsInput(ctx, from, to)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	svg, err := stats.Chart(req.GetChart(), in)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &httpbody.HttpBody{ContentType: "image/svg+xml", Data: svg}, nil
}
