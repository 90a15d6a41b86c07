// Command temubisnis-load measures search over REST: it sends buyer searches
// to a running temubisnis from a number of concurrent clients for a fixed
// time and reports throughput and latency percentiles.
//
// It only targets loopback addresses: it is a benchmark for this machine, not
// a tool to point at other people's servers.
//
//	go run ./cmd/temubisnis -seed synthetic -synthetic-listings 100000 -data-dir /tmp/tb100k &
//	go run ./cmd/temubisnis-load -duration 30s -concurrency 32
//
// With -vegeta-targets it only prints the same searches as targets for an
// independent load generator, vegeta (github.com/tsenart/vegeta):
//
//	go run ./cmd/temubisnis-load -vegeta-targets | vegeta attack -rate 0 -max-workers 8 -duration 20s | vegeta report
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// queries is the mix of searches sent, cycled: text in several languages,
// filters, facets, price conversion and sorting.
var queries = []string{
	"query=djembe",
	"query=nishikigoi&shipToCountryCode=JP",
	"query=%E9%9D%9E%E6%B4%B2%E9%BC%93", // 非洲鼓
	"query=monstera&verifiedOnly=true",
	"query=sambal+pecel&shipToCountryCode=HK",
	"categories=MUSICAL_INSTRUMENT&shipToCountryCode=CN&maxMinOrderQuantity=500",
	"query=koi&currencyCode=JPY&priceMax.currencyCode=JPY&priceMax.units=20000&orderBy=PRICE_ASCENDING",
	"query=drum&district=Nglegok&pageSize=50",
	"categories=ORNAMENTAL_PLANT&orderBy=CAPACITY_DESCENDING",
	"query=kendang&producerKind=CONSOLIDATOR",
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "temubisnis-load:", err)
		os.Exit(1)
	}
}

func run() error {
	target := flag.String("target", "http://127.0.0.1:8080", "base URL of the service (loopback only)")
	duration := flag.Duration("duration", 20*time.Second, "how long to send load")
	warmup := flag.Duration("warmup", 3*time.Second, "load sent first and not measured")
	concurrency := flag.Int("concurrency", 32, "concurrent clients")
	view := flag.String("view", "FULL", "listing view of the hits: FULL or BASIC")
	targets := flag.Bool("vegeta-targets", false, "print the searches as vegeta targets and exit")
	flag.Parse()
	if *view != "FULL" && *view != "BASIC" {
		return errors.New("view must be FULL or BASIC")
	}

	u, err := url.Parse(*target)
	if err != nil {
		return err
	}
	ips, err := net.LookupIP(u.Hostname())
	if err != nil {
		return err
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("target %s is not a loopback address", u.Host)
		}
	}
	if *targets {
		for _, q := range queries {
			fmt.Printf("GET %s/v1/listings:search?%s&view=%s\n", *target, q, *view)
		}
		return nil
	}
	if *duration <= 0 || *duration > 10*time.Minute || *concurrency < 1 || *concurrency > 1024 {
		return errors.New("duration must be in (0, 10m] and concurrency in [1, 1024]")
	}

	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *concurrency, MaxConnsPerHost: *concurrency},
	}
	get := func(i int) (time.Duration, error) {
		start := time.Now()
		resp, err := client.Get(*target + "/v1/listings:search?" + queries[i%len(queries)] + "&view=" + *view)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close() // read to the end; nothing left to lose
		if resp.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("HTTP %d for %s", resp.StatusCode, queries[i%len(queries)])
		}
		return time.Since(start), nil
	}
	if _, err := get(0); err != nil {
		return fmt.Errorf("first request: %w", err)
	}

	type result struct {
		lat    []time.Duration
		errors int
		first  error
	}
	results := make([]result, *concurrency)
	ctx, cancel := context.WithTimeout(context.Background(), *warmup+*duration)
	defer cancel()
	measureFrom := time.Now().Add(*warmup)
	// A live line on stderr shows the run moving: phase, time left,
	// requests so far and their rate.
	var done, failed atomic.Int64
	live := make(chan struct{})
	go func() {
		defer close(live)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				fmt.Fprintln(os.Stderr)
				return
			case now := <-tick.C:
				phase, left := "measuring", time.Until(measureFrom.Add(*duration))
				if now.Before(measureFrom) {
					phase, left = "warming up", time.Until(measureFrom)
				}
				fmt.Fprintf(os.Stderr, "\r%-10s %4.0fs left  %8d requests  %6.0f/s  %d errors ",
					phase, left.Seconds(), done.Load(), float64(done.Load())/time.Since(measureFrom.Add(-*warmup)).Seconds(), failed.Load())
			}
		}
	}()
	var wg sync.WaitGroup
	for w := range *concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[w]
			for i := w; ctx.Err() == nil; i += *concurrency {
				d, err := get(i)
				done.Add(1)
				if err != nil {
					failed.Add(1)
				}
				if time.Now().Before(measureFrom) {
					continue
				}
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					r.errors++
					if r.first == nil {
						r.first = err
					}
					continue
				}
				r.lat = append(r.lat, d)
			}
		}()
	}
	wg.Wait()
	<-live

	var all []time.Duration
	errs := 0
	var firstErr error
	for _, r := range results {
		all = append(all, r.lat...)
		errs += r.errors
		if firstErr == nil {
			firstErr = r.first
		}
	}
	if len(all) == 0 {
		return fmt.Errorf("no successful request; first error: %v", firstErr)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(float64(len(all))*p))] }
	fmt.Printf("requests %d, errors %d, concurrency %d, duration %s\n", len(all), errs, *concurrency, *duration)
	fmt.Printf("throughput %.0f searches/s\n", float64(len(all))/duration.Seconds())
	fmt.Printf("latency p50 %s  p90 %s  p99 %s  max %s\n", pct(0.50), pct(0.90), pct(0.99), all[len(all)-1])
	if firstErr != nil {
		fmt.Printf("first error: %v\n", firstErr)
	}
	return nil
}
