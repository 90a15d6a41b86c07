package app_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/app"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/testcert"
)

// TestTLSOnBothListeners serves gRPC and REST over TLS: clients that trust
// the certificate get answers (REST through the gateway, which dials the
// gRPC listener over TLS too), plaintext clients do not.
func TestTLSOnBothListeners(t *testing.T) {
	t.Parallel()
	certFile, keyFile, cert := testcert.Write(t, t.TempDir(), "localhost")
	e := start(t, startOpts{seed: config.SeedDemo, args: []string{"-tls-cert-file", certFile, "-tls-key-file", keyFile}})
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	tlsConf := &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}

	httpsURL := strings.Replace(e.baseURL, "http://", "https://", 1)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConf, ForceAttemptHTTP2: true}}
	resp, err := client.Get(httpsURL + "/v1/listings:search?query=djembe")
	if err != nil {
		t.Fatalf("HTTPS search: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 {
		t.Errorf("HTTPS search: HTTP %d over %s, want 200 over HTTP/2", resp.StatusCode, resp.Proto)
	}
	if resp, err := e.http.Get(e.baseURL + "/healthz"); err == nil {
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plaintext HTTP was served on the TLS listener")
		}
	}

	conn, err := grpc.NewClient(e.app.Server.GRPCAddr(), grpc.WithTransportCredentials(credentials.NewTLS(tlsConf)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := pb.NewSearchServiceClient(conn).SearchListings(ctx, &pb.SearchListingsRequest{Query: "djembe"})
	if err != nil || len(res.GetHits()) == 0 {
		t.Fatalf("gRPC over TLS: %d hits, %v", len(res.GetHits()), err)
	}
	// The harness's plaintext client cannot talk to the TLS listener.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel2()
	if _, err := pb.NewSearchServiceClient(e.conn).SearchListings(ctx2, &pb.SearchListingsRequest{Query: "djembe"}); err == nil {
		t.Error("plaintext gRPC was served on the TLS listener")
	}
}

// TestMisconfiguredStartFailsEarly: a missing TLS file or a bad CORS origin
// stops the start with the culprit named, before the database is touched.
func TestMisconfiguredStartFailsEarly(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "missing-cert.pem")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-tls-cert-file", missing, "-tls-key-file", missing}, missing},
		{[]string{"-cors-origins", "https://ok.example, https://bad.example/path"}, "https://bad.example/path"},
	} {
		cfg, err := config.Parse(append([]string{"-mongodb-uri", "mongodb://127.0.0.1:1/unreachable", "-data-dir", t.TempDir()}, tc.args...), func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		_, err = app.Start(context.Background(), cfg, slog.New(slog.DiscardHandler))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error naming %s", tc.args, err, tc.want)
		}
	}
}

// TestCORSAllowList answers browsers from allowed origins, and only them,
// including on refusals a page must be able to read.
func TestCORSAllowList(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo, args: []string{"-cors-origins", "https://adiekspor.example, https://buyers.example:8443"}})
	preflight := func(origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodOptions, e.baseURL+"/v1/producers/kendang-jaya-nglegok/listings", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		return resp
	}
	if r := preflight("https://adiekspor.example"); r.Header.Get("Access-Control-Allow-Origin") != "https://adiekspor.example" ||
		!strings.Contains(strings.ToLower(r.Header.Get("Access-Control-Allow-Headers")), "authorization") {
		t.Errorf("allowed origin: %d %v", r.StatusCode, r.Header)
	}
	if r := preflight("https://evil.example"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("disallowed origin got %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	// A refusal (no token for a write) still carries the header.
	req, _ := http.NewRequest(http.MethodPost, e.baseURL+"/v1/producers/kendang-jaya-nglegok/listings", strings.NewReader(`{}`))
	req.Header.Set("Origin", "https://buyers.example:8443")
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("Access-Control-Allow-Origin") != "https://buyers.example:8443" {
		t.Errorf("refusal: HTTP %d, Access-Control-Allow-Origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
}
