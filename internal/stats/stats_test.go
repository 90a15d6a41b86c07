package stats

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
)

var rates = &pb.ExchangeRates{BaseCurrencyCode: "USD", Rates: map[string]string{"USD": "1", "IDR": "16000", "JPY": "150"},
	AsOfDate: &date.Date{Year: 2026, Month: 11, Day: 1}}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func dollars(units int64) *moneypb.Money { return &moneypb.Money{CurrencyCode: "USD", Units: units} }

var deals = []Deal{
	{Value: dollars(1000), Quantity: 100, Unit: "piece", ShipDate: day(2024, 3, 1), Destination: "US", Category: pb.Category_MUSICAL_INSTRUMENT, HSCode: "920600", District: "Nglegok", Kind: pb.Producer_PRODUCER, Producer: "producers/a", Route: pb.Shipment_OWN_NAME},
	{Value: &moneypb.Money{CurrencyCode: "JPY", Units: 300000}, Quantity: 200, Unit: "fish", ShipDate: day(2024, 7, 9), Destination: "JP", Category: pb.Category_ORNAMENTAL_FISH, HSCode: "030111", District: "Kanigoro", Kind: pb.Producer_PRODUCER, Producer: "producers/b", Route: pb.Shipment_AGENT},
	{Value: &moneypb.Money{CurrencyCode: "IDR", Units: 48_000_000}, Quantity: 50, Unit: "piece", ShipDate: day(2025, 1, 20), Destination: "US", Category: pb.Category_MUSICAL_INSTRUMENT, HSCode: "920600", District: "Nglegok", Kind: pb.Producer_CONSOLIDATOR, Producer: "producers/c"},
	{Value: dollars(500), Quantity: 10, Unit: "kg", ShipDate: day(2025, 12, 31), Destination: "HK", Category: pb.Category_FOOD, District: "Srengat", Kind: pb.Producer_PRODUCER, Producer: "producers/a", Route: pb.Shipment_OWN_NAME},
}

func figure(s *pb.ExportStatistics, dim, key string) *pb.ExportFigure {
	for _, f := range s.GetFigures() {
		if f.GetDimension() == dim && f.GetKey() == key {
			return f
		}
	}
	return nil
}

func minor(m *moneypb.Money) int64 {
	v, err := money.ToMinor(m)
	if err != nil {
		panic(err)
	}
	return v
}

// Totals by destination and by year each add up to the sum of the deals.
func TestTotalsAddUp(t *testing.T) {
	s, err := Compute(Input{Deals: deals, Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	// 1000 + 2000 (300000 JPY) + 3000 (48M IDR) + 500 USD.
	if s.GetDealCount() != 4 || minor(s.GetValueUsd()) != 650_000 || minor(s.GetValueIdr()) != 104_000_000 {
		t.Fatalf("totals: %d deals, %v, %v", s.GetDealCount(), s.GetValueUsd(), s.GetValueIdr())
	}
	for _, dim := range Dimensions {
		var n, v int64
		for _, f := range s.GetFigures() {
			if f.GetDimension() == dim {
				n += f.GetDealCount()
				v += minor(f.GetValueUsd())
			}
		}
		if n != s.GetDealCount() || v != minor(s.GetValueUsd()) {
			t.Errorf("%s: %d deals worth %d cents, want %d and %d", dim, n, v, s.GetDealCount(), minor(s.GetValueUsd()))
		}
	}
	us := figure(s, "destination", "US")
	if us.GetDealCount() != 2 || minor(us.GetValueUsd()) != 400_000 || len(us.GetVolumes()) != 1 || us.GetVolumes()[0].GetQuantity() != 150 {
		t.Errorf("US: %v", us)
	}
	if f := figure(s, "export_route", "UNKNOWN"); f.GetDealCount() != 1 {
		t.Errorf("deals without a shipment: %v", f)
	}
	if f := figure(s, "hs_chapter", "92"); f.GetDealCount() != 2 {
		t.Errorf("chapter 92: %v", f)
	}
	if s.GetOwnNameExporters() != 1 {
		t.Errorf("own-name exporters: %d", s.GetOwnNameExporters())
	}
}

func TestPeriodAndFunnel(t *testing.T) {
	in := Input{Deals: deals, Rates: rates, Start: day(2025, 1, 1), End: day(2025, 12, 31),
		Requests: []time.Time{day(2024, 12, 1), day(2025, 2, 1), day(2025, 3, 1), day(2025, 4, 1)},
		Matches: []Match{
			{Create: day(2025, 2, 3), Connected: day(2025, 2, 11), RequestCreate: day(2025, 2, 1)},
			{Create: day(2025, 3, 2), Connected: day(2025, 3, 5), RequestCreate: day(2025, 3, 1)},
			{Create: day(2025, 4, 2)},
			{Create: day(2024, 4, 2), Connected: day(2024, 5, 1)},
		}}
	s, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if s.GetDealCount() != 2 || figure(s, "year", "2024") != nil {
		t.Fatalf("period: %d deals", s.GetDealCount())
	}
	f := s.GetFunnel()
	if f.GetRequests() != 3 || f.GetMatches() != 3 || f.GetConnections() != 2 || f.GetDeals() != 2 || f.GetMedianDaysToConnection() != 7 || f.GetDealRate() != 1 {
		t.Fatalf("funnel: %v", f)
	}
	if _, err := Compute(Input{Deals: []Deal{{Value: &moneypb.Money{CurrencyCode: "EUR", Units: 1}, ShipDate: day(2025, 1, 1)}}, Rates: rates}); err == nil {
		t.Fatal("a currency without a rate was accepted")
	}
}

func TestCSVParses(t *testing.T) {
	s, err := Compute(Input{Deals: deals, Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, s); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "dimension,key,deals,value_idr,value_usd,quantity,unit" {
		t.Fatalf("header %v", rows[0])
	}
	last := rows[len(rows)-1]
	if last[0] != "total" || last[2] != "4" || last[4] != "6500.00" || last[3] != "104000000" {
		t.Fatalf("total row %v", last)
	}
	found := false
	for _, r := range rows {
		if r[0] == "destination" && r[1] == "JP" {
			found = r[4] == "2000.00" && r[5] == "200" && r[6] == "fish"
		}
	}
	if !found {
		t.Fatal("no JP row with 2000.00 USD and 200 fish")
	}
}

func TestChartsAreWellFormed(t *testing.T) {
	in := Input{Deals: deals, Rates: rates, Matches: []Match{{Create: day(2025, 1, 1)}}, Requests: []time.Time{day(2025, 1, 1)}}
	for kind, want := range map[string][]string{
		ChartDestinationYear: {"Destination", "Export value (USD)", "2024", "2025", "US"},
		ChartCommodity:       {"Commodity", "Export value (USD)", "MUSICAL_INSTRUMENT"},
		ChartFunnel:          {"Stage", "Number", "Deals"},
	} {
		svg, err := Chart(kind, in)
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(bytes.NewReader(svg))
		var labels []string
		root := ""
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed: %v", kind, err)
			}
			switch e := tok.(type) {
			case xml.StartElement:
				if root == "" {
					root = e.Name.Local
				}
			case xml.CharData:
				labels = append(labels, string(e))
			}
		}
		text := strings.Join(labels, "|")
		if root != "svg" {
			t.Errorf("%s: root %q", kind, root)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in %s", kind, w, text)
			}
		}
	}
	if _, err := Chart("pie", Input{}); err == nil || ValidChart("pie") {
		t.Error("unknown chart accepted")
	}
}
