package app_test

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/encoding/protojson"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/money"
)

// TestExportStatistics: on the demo data with its deal history, the totals
// by destination and by year add up to the sum of the recorded deals; the
// CSV parses with encoding/csv; the SVG charts are well-formed and name
// their axes; only the trade office gets them.
func TestExportStatistics(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo", args: []string{"-demo-deals"}})
	ctx := e.ctx()

	// The deals as recorded on the matches, in US cents.
	var deals int64
	after := ""
	for {
		resp, err := e.matches.ListMatches(ctx, &pb.ListMatchesRequest{Filter: "state = CLOSED_DEAL", PageSize: 500, PageToken: after})
		if err != nil {
			t.Fatal(err)
		}
		deals += int64(len(resp.GetMatches()))
		if after = resp.GetNextPageToken(); after == "" {
			break
		}
	}
	if deals < 20 {
		t.Fatalf("only %d deals in the demo history", deals)
	}

	s, err := pb.NewStatisticsServiceClient(e.conn).GetExportStatistics(ctx, &pb.GetExportStatisticsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if s.GetDealCount() != deals || s.GetFunnel().GetDeals() != deals || s.GetOwnNameExporters() == 0 {
		t.Fatalf("%d deals in the statistics, %d recorded; funnel %v", s.GetDealCount(), deals, s.GetFunnel())
	}
	total, _ := money.ToMinor(s.GetValueUsd())
	for _, dim := range []string{"destination", "year", "commodity", "export_route"} {
		var n, v int64
		for _, f := range s.GetFigures() {
			if f.GetDimension() == dim {
				m, _ := money.ToMinor(f.GetValueUsd())
				n, v = n+f.GetDealCount(), v+m
			}
		}
		if n != deals || v != total {
			t.Errorf("by %s: %d deals worth %d cents; totals %d and %d", dim, n, v, deals, total)
		}
	}

	// A period: only 2024.
	y24, err := pb.NewStatisticsServiceClient(e.conn).GetExportStatistics(ctx, &pb.GetExportStatisticsRequest{
		StartDate: &date.Date{Year: 2024, Month: 1, Day: 1}, EndDate: &date.Date{Year: 2024, Month: 12, Day: 31}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range s.GetFigures() {
		if f.GetDimension() == "year" && f.GetKey() == "2024" && f.GetDealCount() != y24.GetDealCount() {
			t.Errorf("2024: %d deals by year, %d in the period", f.GetDealCount(), y24.GetDealCount())
		}
	}

	// The same over REST, as JSON, CSV and SVG.
	get := func(path, token string) (int, string, []byte) {
		req, _ := http.NewRequest("GET", e.baseURL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), body
	}
	code, _, body := get("/v1/exportStatistics", e.admin)
	var viaREST pb.ExportStatistics
	if code != 200 || protojson.Unmarshal(body, &viaREST) != nil || viaREST.GetDealCount() != deals {
		t.Fatalf("JSON over REST: %d %.300s", code, body)
	}
	code, ctype, body := get("/v1/exportStatistics:download", e.admin)
	if code != 200 || !strings.HasPrefix(ctype, "text/csv") {
		t.Fatalf("CSV: %d %s %.200s", code, ctype, body)
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	last := rows[len(rows)-1]
	if rows[0][0] != "dimension" || last[0] != "total" || last[2] != strconv.FormatInt(deals, 10) {
		t.Fatalf("CSV header %v, total %v", rows[0], last)
	}
	for chart, axes := range map[string][]string{
		"destination_year": {"Destination", "Export value (USD)"},
		"commodity":        {"Commodity", "Export value (USD)"},
		"funnel":           {"Stage", "Number"},
	} {
		code, ctype, body := get("/v1/exportStatistics:chart?chart="+chart, e.admin)
		if code != 200 || ctype != "image/svg+xml" {
			t.Fatalf("%s: %d %s", chart, code, ctype)
		}
		d := xml.NewDecoder(bytes.NewReader(body))
		var text strings.Builder
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed: %v", chart, err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				text.Write(cd)
				text.WriteByte('|')
			}
		}
		for _, a := range axes {
			if !strings.Contains(text.String(), "|"+a+"|") {
				t.Errorf("%s does not name its axis %q", chart, a)
			}
		}
	}
	if code, _, body := get("/v1/exportStatistics:chart?chart=pie", e.admin); code != 400 || !strings.Contains(string(body), `"chart"`) {
		t.Errorf("unknown chart: %d %s", code, body)
	}
	if code, _, body := get("/v1/exportStatistics?startDate.year=2025&startDate.month=1&startDate.day=1&endDate.year=2024&endDate.month=1&endDate.day=1", e.admin); code != 400 || !strings.Contains(string(body), "end_date") {
		t.Errorf("period backwards: %d %s", code, body)
	}
	if code, _, _ := get("/v1/exportStatistics", e.token(auth.RoleProducer, "producers/kendang-jaya-nglegok")); code != 403 {
		t.Errorf("a producer reads the statistics: %d", code)
	}
}
