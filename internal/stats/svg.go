package stats

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Charts the service draws.
const (
	ChartDestinationYear = "destination_year"
	ChartCommodity       = "commodity"
	ChartFunnel          = "funnel"
)

// ValidChart reports whether Chart knows kind.
func ValidChart(kind string) bool {
	return kind == ChartDestinationYear || kind == ChartCommodity || kind == ChartFunnel
}

// bar is one bar of a chart; series picks its colour.
type bar struct {
	group, series string
	value         float64
}

// Chart draws one of the charts as a self-contained SVG document. No
// charting library is used: the charts are plain bars, and a hand-written
// SVG of a few dozen elements needs no dependency.
func Chart(kind string, in Input) ([]byte, error) {
	s, err := Compute(in)
	if err != nil {
		return nil, err
	}
	switch kind {
	case ChartCommodity:
		var bars []bar
		for _, f := range s.GetFigures() {
			if f.GetDimension() == "commodity" {
				bars = append(bars, bar{group: f.GetKey(), series: "value", value: usd(f.GetValueUsd())})
			}
		}
		return draw("Exports by commodity", "Commodity", "Export value (USD)", bars), nil
	case ChartFunnel:
		f := s.GetFunnel()
		bars := []bar{
			{group: "Requests", series: "count", value: float64(f.GetRequests())},
			{group: "Matches", series: "count", value: float64(f.GetMatches())},
			{group: "Connections", series: "count", value: float64(f.GetConnections())},
			{group: "Deals", series: "count", value: float64(f.GetDeals())},
		}
		return draw("From buying request to deal", "Stage", "Number", bars), nil
	case ChartDestinationYear:
		cells := map[[2]string]float64{}
		for _, d := range in.Deals {
			if !in.within(d.ShipDate) {
				continue
			}
			v, err := minorIn(in.Rates, d.Value, "USD")
			if err != nil {
				return nil, err
			}
			k := keys(d)
			cells[[2]string{k[2], k[6]}] += float64(v) / 100
		}
		var bars []bar
		for k, v := range cells {
			bars = append(bars, bar{group: k[0], series: k[1], value: v})
		}
		slices.SortFunc(bars, func(a, b bar) int {
			if a.group != b.group {
				if a.group < b.group {
					return -1
				}
				return 1
			}
			if a.series < b.series {
				return -1
			}
			if a.series > b.series {
				return 1
			}
			return 0
		})
		return draw("Exports by destination and year", "Destination", "Export value (USD)", bars), nil
	}
	return nil, fmt.Errorf("unknown chart %q", kind)
}

func usd(m interface {
	GetUnits() int64
	GetNanos() int32
}) float64 {
	return float64(m.GetUnits()) + float64(m.GetNanos())/1e9
}

var palette = []string{"#1b6ca8", "#e07a1f", "#3a9d5d", "#b53f3f", "#7a5ca8", "#8c6d31", "#2a9d8f"}

// draw lays out grouped bars with both axes named, ticks on the value
// axis, a legend of the series and a <title> on every bar.
func draw(title, xLabel, yLabel string, bars []bar) []byte {
	const w, h, left, right, top, bottom = 720.0, 420.0, 90.0, 20.0, 50.0, 90.0
	var groups, series []string
	maxV := 0.0
	for _, b := range bars {
		if !slices.Contains(groups, b.group) {
			groups = append(groups, b.group)
		}
		if !slices.Contains(series, b.series) {
			series = append(series, b.series)
		}
		maxV = math.Max(maxV, b.value)
	}
	slices.Sort(series)
	top10 := niceMax(maxV)
	var buf bytes.Buffer
	esc := func(s string) string {
		var b bytes.Buffer
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }
	fmt.Fprintf(&buf, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" font-family="sans-serif" font-size="12">`, int(w), int(h), int(w), int(h), esc(title))
	fmt.Fprintf(&buf, `<title>%s</title>`, esc(title))
	fmt.Fprintf(&buf, `<text x="%s" y="24" font-size="16" text-anchor="middle">%s</text>`, f(w/2), esc(title))
	plotW, plotH := w-left-right, h-top-bottom
	// Axes and their names.
	fmt.Fprintf(&buf, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, f(left), f(top), f(left), f(top+plotH))
	fmt.Fprintf(&buf, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, f(left), f(top+plotH), f(left+plotW), f(top+plotH))
	fmt.Fprintf(&buf, `<text class="axis-label" x="%s" y="%s" text-anchor="middle">%s</text>`, f(left+plotW/2), f(h-12), esc(xLabel))
	fmt.Fprintf(&buf, `<text class="axis-label" x="18" y="%s" text-anchor="middle" transform="rotate(-90 18 %s)">%s</text>`, f(top+plotH/2), f(top+plotH/2), esc(yLabel))
	for i := 0; i <= 4; i++ {
		v := top10 * float64(i) / 4
		y := top + plotH - plotH*float64(i)/4
		fmt.Fprintf(&buf, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd"/>`, f(left), f(y), f(left+plotW), f(y))
		fmt.Fprintf(&buf, `<text x="%s" y="%s" text-anchor="end">%s</text>`, f(left-6), f(y+4), esc(compact(v)))
	}
	if len(groups) == 0 {
		fmt.Fprintf(&buf, `<text x="%s" y="%s" text-anchor="middle">no deals in the period</text>`, f(left+plotW/2), f(top+plotH/2))
	}
	gw := plotW / math.Max(1, float64(len(groups)))
	bw := gw * 0.8 / math.Max(1, float64(len(series)))
	for _, b := range bars {
		gi, si := slices.Index(groups, b.group), slices.Index(series, b.series)
		bh := 0.0
		if top10 > 0 {
			bh = plotH * b.value / top10
		}
		x := left + gw*float64(gi) + gw*0.1 + bw*float64(si)
		fmt.Fprintf(&buf, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>`,
			f(x), f(top+plotH-bh), f(bw), f(bh), palette[si%len(palette)], esc(b.group), esc(b.series), esc(compact(b.value)))
	}
	for gi, g := range groups {
		fmt.Fprintf(&buf, `<text x="%s" y="%s" text-anchor="middle">%s</text>`, f(left+gw*float64(gi)+gw/2), f(top+plotH+16), esc(g))
	}
	if len(series) > 1 {
		for si, s := range series {
			x := left + float64(si)*80
			fmt.Fprintf(&buf, `<rect x="%s" y="%s" width="10" height="10" fill="%s"/><text x="%s" y="%s">%s</text>`,
				f(x), f(h-42), palette[si%len(palette)], f(x+14), f(h-33), esc(s))
		}
	}
	buf.WriteString(`</svg>`)
	return buf.Bytes()
}

// niceMax rounds v up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// compact writes 1234567 as "1.2M".
func compact(v float64) string {
	switch {
	case v >= 1e9:
		return strconv.FormatFloat(v/1e9, 'f', 1, 64) + "B"
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
