package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"sort"
	"testing"
	"time"
)

// BenchmarkPages renders the main pages over real HTTP against the demo
// data and reports each page's weight (HTML plus the stylesheet, gzip, as a
// browser receives them) and server time percentiles:
//
//	go test ./internal/web -run '^$' -bench Pages -benchtime 200x
func BenchmarkPages(b *testing.B) {
	s := startApp(b)
	c := client(nil)
	signIn := func(account string) *http.Client {
		cl := client(nil)
		_, page := get(b, cl, s.base+"/signin")
		resp, err := cl.PostForm(s.base+"/signin", url.Values{"account": {account}, "csrf": {csrfOf(b, page)}})
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		return cl
	}
	producer := signIn("producer|producers/kendang-jaya-nglegok")
	office := signIn("trade_office")
	css := gzSize(b, c, s.base+"/static/style.css")
	for _, pg := range []struct {
		name string
		c    *http.Client
		path string
	}{
		{"search-zh", c, "/?q=" + url.QueryEscape("非洲鼓") + "&lang=zh-Hans"},
		{"listing", c, "/producers/kendang-jaya-nglegok/listings/djembe-40cm-mahogany"},
		{"producer", c, "/producers/kendang-jaya-nglegok"},
		{"dashboard", producer, "/dashboard"},
		{"office", office, "/office"},
	} {
		b.Run(pg.name, func(b *testing.B) {
			weight := gzSize(b, pg.c, s.base+pg.path) + css
			times := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				resp, err := pg.c.Get(s.base + pg.path)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", pg.path, resp.StatusCode)
				}
				times = append(times, time.Since(start))
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			b.ReportMetric(float64(weight)/1024, "KiB-gz")
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// gzSize fetches a page as a browser would (accepting gzip) and returns the
// bytes on the wire.
func gzSize(b testing.TB, c *http.Client, u string) int {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	tr := &http.Transport{DisableCompression: true}
	cl := &http.Client{Transport: tr, Jar: c.Jar}
	resp, err := cl.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") != "gzip" {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write(raw)
		zw.Close()
		return buf.Len()
	}
	return len(raw)
}
