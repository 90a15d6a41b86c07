package web

import (
	"net/http"
	"slices"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

type statisticsData struct {
	Stats    *pb.ExportStatistics
	ByDim    map[string][]*pb.ExportFigure
	Dims     []string
	Charts   []string
	From, To string
	Problem  string
}

// charts are the server's SVG charts the statistics page shows.
var charts = []string{"destination_year", "commodity", "funnel"}

// statLabels are the message keys of the chart and dimension ids the API
// uses.
var statLabels = map[string]string{
	"destination_year": "Export value by destination and year",
	"commodity":        "Export value by commodity",
	"funnel":           "From request to deal",
	"hs_chapter":       "By HS chapter",
	"destination":      "By destination",
	"district":         "By district",
	"producer_kind":    "By kind of firm",
	"export_route":     "Own name or through others",
	"year":             "By year",
	"month":            "By month",
}

// statisticsPage shows the programme's export figures from recorded deals
// (the trade office): totals, the request-to-deal funnel, figures by
// dimension, the SVG charts the API draws and the CSV for spreadsheets.
func (w *Web) statisticsPage(p *pageCtx) error {
	if !p.isOffice() {
		return errNotYours
	}
	q := p.r.URL.Query()
	d := &statisticsData{Charts: charts, From: q.Get("from"), To: q.Get("to"), ByDim: map[string][]*pb.ExportFigure{}}
	req := &pb.GetExportStatisticsRequest{}
	var okFrom, okTo bool
	req.StartDate, okFrom = parseDateInput(d.From)
	req.EndDate, okTo = parseDateInput(d.To)
	if !okFrom || !okTo {
		d.Problem = p.T("Enter a date")
		d.Stats = &pb.ExportStatistics{}
		p.status = http.StatusBadRequest
		return p.ok("statistics.html", p.T("Export statistics"), d)
	}
	st, err := w.stats.GetExportStatistics(p.api(), req)
	if err != nil {
		return err
	}
	d.Stats = st
	for _, f := range st.GetFigures() {
		if _, ok := d.ByDim[f.GetDimension()]; !ok {
			d.Dims = append(d.Dims, f.GetDimension())
		}
		d.ByDim[f.GetDimension()] = append(d.ByDim[f.GetDimension()], f)
	}
	return p.ok("statistics.html", p.T("Export statistics"), d)
}

// chartImage passes the API's SVG chart through to the browser, which has
// the session, not the token.
func (w *Web) chartImage(p *pageCtx) error {
	if !p.isOffice() {
		return errNotYours
	}
	chart, ok := strings.CutSuffix(p.r.PathValue("chart"), ".svg")
	if !ok || !slices.Contains(charts, chart) {
		return errNotFound
	}
	q := p.r.URL.Query()
	req := &pb.RenderExportChartRequest{Chart: chart}
	req.StartDate, _ = parseDateInput(q.Get("from"))
	req.EndDate, _ = parseDateInput(q.Get("to"))
	body, err := w.stats.RenderExportChart(p.api(), req)
	if err != nil {
		return err
	}
	p.rw.Header().Set("Content-Type", "image/svg+xml")
	p.rw.Header().Set("Cache-Control", "private, max-age=300")
	p.rw.WriteHeader(http.StatusOK)
	_, _ = p.rw.Write(body.GetData())
	return nil
}

// statisticsCSV passes the API's CSV through, as a download.
func (w *Web) statisticsCSV(p *pageCtx) error {
	if !p.isOffice() {
		return errNotYours
	}
	q := p.r.URL.Query()
	req := &pb.DownloadExportStatisticsRequest{}
	req.StartDate, _ = parseDateInput(q.Get("from"))
	req.EndDate, _ = parseDateInput(q.Get("to"))
	body, err := w.stats.DownloadExportStatistics(p.api(), req)
	if err != nil {
		return err
	}
	p.rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
	p.rw.Header().Set("Content-Disposition", `attachment; filename="adi-ekspor-statistics.csv"`)
	p.rw.WriteHeader(http.StatusOK)
	_, _ = p.rw.Write(body.GetData())
	return nil
}
