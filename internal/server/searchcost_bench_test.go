package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// benchSearches is the query mix of cmd/temubisnis-load.
var benchSearches = []string{
	"query=djembe",
	"query=nishikigoi&shipToCountryCode=JP",
	"query=%E9%9D%9E%E6%B4%B2%E9%BC%93",
	"query=monstera&verifiedOnly=true",
	"query=sambal+pecel&shipToCountryCode=HK",
	"categories=MUSICAL_INSTRUMENT&shipToCountryCode=CN&maxMinOrderQuantity=500",
	"query=koi&currencyCode=JPY&priceMax.currencyCode=JPY&priceMax.units=20000&orderBy=PRICE_ASCENDING",
	"query=drum&district=Nglegok&pageSize=50",
	"categories=ORNAMENTAL_PLANT&orderBy=CAPACITY_DESCENDING",
	"query=kendang&producerKind=CONSOLIDATOR",
}

const benchServerEnv = "TEMUBISNIS_BENCH_SERVER"

// BenchmarkSearchServerCPU compares the server's CPU time per search over
// REST and over gRPC (the same searches). The server runs in a process of
// its own (this test binary again, see TestBenchServerProcess), so that the
// clients' work is not counted: server-ms/op is the server process's user
// and system time divided by the calls. Catalogue size:
// TEMUBISNIS_BENCH_LISTINGS (default 20,000); the server's CPU profile goes
// to TEMUBISNIS_BENCH_CPUPROFILE if set.
//
//	go test -run '^$' -bench SearchServerCPU -benchtime 2000x ./internal/server/
func BenchmarkSearchServerCPU(b *testing.B) {
	srv := startBenchServer(b)
	views := []string{"FULL", "BASIC"}
	for _, view := range views {
		b.Run("rest/"+view, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			get := func(i int) {
				resp, err := client.Get("http://" + srv.http + "/v1/listings:search?" + benchSearches[i%len(benchSearches)] + "&view=" + view)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("HTTP %d", resp.StatusCode)
				}
			}
			srv.measure(b, get)
		})
		b.Run("grpc/"+view, func(b *testing.B) {
			cc, err := grpc.NewClient(srv.grpc, grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				b.Fatal(err)
			}
			defer cc.Close()
			c := pb.NewSearchServiceClient(cc)
			reqs := make([]*pb.SearchListingsRequest, len(benchSearches))
			for i, q := range benchSearches {
				v, err := url.ParseQuery(q + "&view=" + view)
				if err != nil {
					b.Fatal(err)
				}
				reqs[i] = &pb.SearchListingsRequest{}
				if err := runtime.PopulateQueryParameters(reqs[i], v, utilities.NewDoubleArray(nil)); err != nil {
					b.Fatal(err)
				}
			}
			call := func(i int) {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				if _, err := c.SearchListings(ctx, reqs[i%len(reqs)]); err != nil {
					b.Fatal(err)
				}
			}
			srv.measure(b, call)
		})
	}
}

type benchServer struct {
	pid        int
	http, grpc string
}

// measure runs call b.N times (after a warm-up round of every query) and
// reports the server's CPU time per call.
func (s *benchServer) measure(b *testing.B, call func(i int)) {
	for i := range 2 * len(benchSearches) {
		call(i)
	}
	start := s.cpu(b)
	i := 0
	for b.Loop() {
		call(i)
		i++
	}
	used := s.cpu(b) - start
	b.ReportMetric(float64(used.Microseconds())/1000/float64(i), "server-ms/op")
}

// cpu is the server process's user and system time so far, from
// /proc/<pid>/stat (in clock ticks of 10 ms).
func (s *benchServer) cpu(b *testing.B) time.Duration {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(s.pid) + "/stat")
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	fields := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+1:]))
	utime, _ := strconv.ParseInt(fields[11], 10, 64)
	stime, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// startBenchServer starts the server process and waits for its addresses.
func startBenchServer(b *testing.B) *benchServer {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchServerProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), benchServerEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_ = stdin.Close() // the server stops when its stdin closes
		_ = cmd.Wait()
	})
	lines := bufio.NewScanner(stdout)
	s := &benchServer{pid: cmd.Process.Pid}
	for lines.Scan() {
		if addrs, ok := strings.CutPrefix(lines.Text(), "serving "); ok {
			s.grpc, s.http, _ = strings.Cut(addrs, " ")
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return s
		}
	}
	b.Fatalf("the server process ended before serving: %v", lines.Err())
	return nil
}

// TestBenchServerProcess is the server of BenchmarkSearchServerCPU when run
// by it; otherwise it does nothing.
func TestBenchServerProcess(t *testing.T) {
	if os.Getenv(benchServerEnv) != "1" {
		t.Skip("the server process of BenchmarkSearchServerCPU")
	}
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("TEMUBISNIS_BENCH_LISTINGS")); err == nil && v > 0 {
		n = v
	}
	now := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	s, stop := startSearchServer(t, synthIndex(1, max(n/8, 1), n, now), now, false)
	if path := os.Getenv("TEMUBISNIS_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			t.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("serving %s %s\n", s.GRPCAddr(), s.HTTPAddr())
	_, _ = io.Copy(io.Discard, os.Stdin) // until the benchmark closes it
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
