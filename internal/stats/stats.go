// Package stats computes the programme's export figures from recorded
// deals, in Go from plain reads: FerretDB 1.24 has no $facet and computes
// only the first accumulator of a $group correctly, and the figures are
// small (thousands of deals), so nothing is aggregated in the database.
package stats

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
)

// Deal is one recorded deal with the facts the figures group by.
type Deal struct {
	Value       *moneypb.Money
	Quantity    int64
	Unit        string
	ShipDate    time.Time
	Destination string
	Category    pb.Category
	HSCode      string
	District    string
	Kind        pb.Producer_Kind
	Producer    string
	// Route is the export route of the deal's first shipment;
	// unspecified when none is recorded.
	Route pb.Shipment_ExportRoute
}

// Match is what the funnel needs of one match.
type Match struct {
	Create time.Time
	// Connected is when both sides had accepted; zero when never.
	Connected time.Time
	// RequestCreate is when its buying request was created; zero when
	// unknown.
	RequestCreate time.Time
}

// Input is everything Compute reads.
type Input struct {
	Deals    []Deal
	Requests []time.Time // creation times of buying requests
	Matches  []Match
	Rates    *pb.ExchangeRates
	// Start and End bound the period (End inclusive, both days in UTC);
	// zero means open.
	Start, End time.Time
}

// Dimensions, in the order figures are listed.
var Dimensions = []string{"commodity", "hs_chapter", "destination", "district", "producer_kind", "export_route", "year", "month"}

const unknown = "UNKNOWN"

func (in Input) within(t time.Time) bool {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return (in.Start.IsZero() || !day.Before(in.Start)) && (in.End.IsZero() || !day.After(in.End))
}

func keys(d Deal) [8]string {
	or := func(s string) string {
		if s == "" {
			return unknown
		}
		return s
	}
	chapter := unknown
	if len(d.HSCode) >= 2 {
		chapter = d.HSCode[:2]
	}
	route := unknown
	if d.Route != pb.Shipment_EXPORT_ROUTE_UNSPECIFIED {
		route = d.Route.String()
	}
	kind := unknown
	if d.Kind != pb.Producer_KIND_UNSPECIFIED {
		kind = d.Kind.String()
	}
	category := unknown
	if d.Category != pb.Category_CATEGORY_UNSPECIFIED {
		category = d.Category.String()
	}
	return [8]string{category, chapter, or(d.Destination), or(d.District), kind, route,
		strconv.Itoa(d.ShipDate.Year()), d.ShipDate.Format("2006-01")}
}

type acc struct {
	deals    int64
	idr, usd int64 // minor units
	volumes  map[string]int64
}

func (a *acc) add(idr, usd int64, d Deal) {
	a.deals++
	a.idr += idr
	a.usd += usd
	if a.volumes == nil {
		a.volumes = map[string]int64{}
	}
	a.volumes[d.Unit] += d.Quantity
}

// Compute returns the figures of the period. Values are converted to IDR
// and USD with in.Rates; a deal in a currency the table lacks is an error,
// not silently left out.
func Compute(in Input) (*pb.ExportStatistics, error) {
	out := &pb.ExportStatistics{DealCount: 0}
	if !in.Start.IsZero() {
		out.StartDate = dateOf(in.Start)
	}
	if !in.End.IsZero() {
		out.EndDate = dateOf(in.End)
	}
	if in.Rates != nil {
		out.ExchangeRatesDate = in.Rates.GetAsOfDate()
	}
	var total acc
	groups := map[[2]string]*acc{}
	own := map[string]bool{}
	for _, d := range in.Deals {
		if !in.within(d.ShipDate) {
			continue
		}
		idr, err := minorIn(in.Rates, d.Value, "IDR")
		if err != nil {
			return nil, err
		}
		usd, err := minorIn(in.Rates, d.Value, "USD")
		if err != nil {
			return nil, err
		}
		total.add(idr, usd, d)
		for i, k := range keys(d) {
			g := groups[[2]string{Dimensions[i], k}]
			if g == nil {
				g = &acc{}
				groups[[2]string{Dimensions[i], k}] = g
			}
			g.add(idr, usd, d)
		}
		if d.Route == pb.Shipment_OWN_NAME {
			own[d.Producer] = true
		}
	}
	out.DealCount = total.deals
	out.ValueIdr, out.ValueUsd = money.FromMinor("IDR", total.idr), money.FromMinor("USD", total.usd)
	out.OwnNameExporters = int64(len(own))
	order := map[string]int{}
	for i, d := range Dimensions {
		order[d] = i
	}
	gk := make([][2]string, 0, len(groups))
	for k := range groups {
		gk = append(gk, k)
	}
	slices.SortFunc(gk, func(a, b [2]string) int {
		if c := cmp.Compare(order[a[0]], order[b[0]]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	for _, k := range gk {
		g := groups[k]
		f := &pb.ExportFigure{Dimension: k[0], Key: k[1], DealCount: g.deals,
			ValueIdr: money.FromMinor("IDR", g.idr), ValueUsd: money.FromMinor("USD", g.usd)}
		units := make([]string, 0, len(g.volumes))
		for u := range g.volumes {
			units = append(units, u)
		}
		sort.Strings(units)
		for _, u := range units {
			f.Volumes = append(f.Volumes, &pb.Volume{Quantity: g.volumes[u], Unit: u})
		}
		out.Figures = append(out.Figures, f)
	}
	out.Funnel = funnel(in, total.deals)
	return out, nil
}

func funnel(in Input, deals int64) *pb.Funnel {
	f := &pb.Funnel{Deals: deals}
	for _, t := range in.Requests {
		if in.within(t) {
			f.Requests++
		}
	}
	var days []float64
	for _, m := range in.Matches {
		if in.within(m.Create) {
			f.Matches++
		}
		if !m.Connected.IsZero() && in.within(m.Connected) {
			f.Connections++
			if !m.RequestCreate.IsZero() {
				days = append(days, m.Connected.Sub(m.RequestCreate).Hours()/24)
			}
		}
	}
	ratio := func(a, b int64) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	f.MatchRate, f.ConnectionRate, f.DealRate = ratio(f.Matches, f.Requests), ratio(f.Connections, f.Matches), ratio(deals, f.Connections)
	if n := len(days); n > 0 {
		slices.Sort(days)
		f.MedianDaysToConnection = days[n/2]
		if n%2 == 0 {
			f.MedianDaysToConnection = (days[n/2-1] + days[n/2]) / 2
		}
	}
	return f
}

func minorIn(r *pb.ExchangeRates, m *moneypb.Money, code string) (int64, error) {
	c, err := fx.Convert(r, m, code)
	if err != nil {
		return 0, fmt.Errorf("convert %s to %s: %w", m.GetCurrencyCode(), code, err)
	}
	return money.ToMinor(c)
}

func dateOf(t time.Time) *date.Date {
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

// WriteCSV writes the figures as CSV: a header, then one row per
// dimension, key and unit (the value columns repeat on each unit's row of
// a key with several units), then the total.
func WriteCSV(w io.Writer, s *pb.ExportStatistics) error {
	cw := csv.NewWriter(w)
	dec := func(m *moneypb.Money) string {
		minor, err := money.ToMinor(m)
		if err != nil {
			return ""
		}
		scale, _ := money.Scale(m.GetCurrencyCode())
		return formatMinor(minor, scale)
	}
	rows := [][]string{{"dimension", "key", "deals", "value_idr", "value_usd", "quantity", "unit"}}
	for _, f := range s.GetFigures() {
		vols := f.GetVolumes()
		if len(vols) == 0 {
			vols = []*pb.Volume{{}}
		}
		for _, v := range vols {
			rows = append(rows, []string{f.GetDimension(), f.GetKey(), strconv.FormatInt(f.GetDealCount(), 10),
				dec(f.GetValueIdr()), dec(f.GetValueUsd()), strconv.FormatInt(v.GetQuantity(), 10), v.GetUnit()})
		}
	}
	rows = append(rows, []string{"total", "", strconv.FormatInt(s.GetDealCount(), 10), dec(s.GetValueIdr()), dec(s.GetValueUsd()), "", ""})
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// formatMinor writes minor units as a decimal with scale digits.
func formatMinor(minor int64, scale int) string {
	s := strconv.FormatInt(minor, 10)
	if scale == 0 {
		return s
	}
	neg := minor < 0
	if neg {
		s = s[1:]
	}
	for len(s) <= scale {
		s = "0" + s
	}
	s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	if neg {
		s = "-" + s
	}
	return s
}
