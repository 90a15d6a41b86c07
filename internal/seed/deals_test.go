package seed

import (
	"testing"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/stats"
)

// TestDealHistory pins the history derived from the demo data as of
// 1 December 2026: deals per year and their value in US cents at the
// built-in rates. A change to the demo data that changes them should be
// looked at, and the numbers here updated deliberately.
func TestDealHistory(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	d := Demo(now)
	h := DealHistory(d, now)
	if len(h.Matches) != len(h.Requests) || len(h.Matches) != len(h.Shipments) {
		t.Fatalf("%d requests, %d matches, %d shipments", len(h.Requests), len(h.Matches), len(h.Shipments))
	}
	listings := map[string]*pb.Listing{}
	for _, l := range d.Listings {
		listings[l.GetName()] = l
	}
	byYear := map[int]int{}
	var in []stats.Deal
	for i, m := range h.Matches {
		l := listings[m.GetMembers()[0].GetListing()]
		if l == nil || l.GetCategory() != h.Requests[i].GetCategory() {
			t.Fatalf("%s: listing %s is not a demo listing of the request's category", m.GetName(), m.GetMembers()[0].GetListing())
		}
		if m.GetState() != pb.Match_CLOSED_DEAL || m.GetDeal().GetValue() == nil || h.Requests[i].GetState() != pb.BuyingRequest_CLOSED {
			t.Fatalf("%s: %v", m.GetName(), m)
		}
		sd := m.GetDeal().GetShipmentDate()
		ship := time.Date(int(sd.GetYear()), time.Month(sd.GetMonth()), int(sd.GetDay()), 0, 0, 0, 0, time.UTC)
		if ship.After(now) || !m.GetCreateTime().AsTime().Before(ship) {
			t.Fatalf("%s: shipped %v, created %v", m.GetName(), ship, m.GetCreateTime().AsTime())
		}
		byYear[ship.Year()]++
		in = append(in, stats.Deal{Value: m.GetDeal().GetValue(), ShipDate: ship, Destination: m.GetDeal().GetDestinationCountryCode()})
	}
	s, err := stats.Compute(stats.Input{Deals: in, Rates: fx.DefaultRates()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("deals per year %v; total %v", byYear, s.GetValueUsd())
	want := map[int]int{2023: 14, 2024: 14, 2025: 14, 2026: 11}
	for y, n := range want {
		if byYear[y] != n {
			t.Errorf("%d: %d deals, want %d", y, byYear[y], n)
		}
	}
	if s.GetDealCount() != int64(len(h.Matches)) {
		t.Errorf("statistics count %d deals of %d", s.GetDealCount(), len(h.Matches))
	}
	if cents, _ := money.ToMinor(s.GetValueUsd()); cents != 55_618_600 {
		t.Errorf("total %d US cents, want 55618600", cents)
	}
}
