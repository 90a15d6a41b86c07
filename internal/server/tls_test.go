package server

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/adiekspor/temubisnis/internal/testcert"
)

// testCert writes a self-signed certificate for name (not for 127.0.0.1: the
// self-dial must work although the loopback address is not among the
// certificate's names) and its key into dir.
func testCert(t *testing.T, dir, name string) (certFile, keyFile string) {
	certFile, keyFile, _ = testcert.Write(t, dir, name)
	return certFile, keyFile
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustLoadTLS(t *testing.T, certFile, keyFile string) *tls.Config {
	t.Helper()
	cfg, err := loadTLS(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestTLSHTTPServesH2(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := testCert(t, dir, "temubisnis.test")
	cfg := mustLoadTLS(t, certFile, keyFile)
	if cfg.MinVersion != tls.VersionTLS12 || cfg.Certificates[0].Leaf == nil {
		t.Fatalf("config: min version %x, leaf %v", cfg.MinVersion, cfg.Certificates[0].Leaf)
	}

	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		TLSConfig:         cfg,
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0), // the TLS 1.1 attempt below is logged
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			io.WriteString(w, "ok")
		}),
	}
	go srv.ServeTLS(lis, "", "")
	t.Cleanup(func() { srv.Close() })

	roots := x509.NewCertPool()
	roots.AddCert(cfg.Certificates[0].Leaf)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: roots, ServerName: "temubisnis.test"},
		ForceAttemptHTTP2: true,
	}}
	resp, err := client.Get("https://" + lis.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Proto != "HTTP/2.0" || string(body) != "ok" {
		t.Fatalf("got %s %q, want HTTP/2.0 \"ok\"", resp.Proto, body)
	}

	// TLS 1.1 is refused.
	conn, err := tls.Dial("tcp", lis.Addr().String(), &tls.Config{
		RootCAs: roots, ServerName: "temubisnis.test",
		MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
	})
	if err == nil {
		conn.Close()
		t.Fatal("TLS 1.1 handshake succeeded")
	}
}

func TestLoadTLSErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := testCert(t, dir, "a")
	_, otherKey := testCert(t, dir, "b")
	missing := filepath.Join(dir, "missing.pem")
	garbage := filepath.Join(dir, "garbage.pem")
	writeFile(t, garbage, []byte("not PEM at all\n"))
	badKey := filepath.Join(dir, "bad.key")
	writeFile(t, badKey, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("nonsense")}))

	tests := []struct {
		name, cert, key string
		want            []string // substrings of the error
	}{
		{"missing cert", missing, keyFile, []string{missing, "certificate", "no such file"}},
		{"missing key", certFile, missing, []string{missing, "key", "no such file"}},
		{"cert is a directory", dir, keyFile, []string{dir, "certificate"}},
		{"cert not PEM", garbage, keyFile, []string{garbage, "certificate", "CERTIFICATE"}},
		{"key not PEM", certFile, garbage, []string{garbage, "key", "PRIVATE KEY"}},
		{"key is the certificate", certFile, certFile, []string{"key file " + certFile, "PRIVATE KEY"}},
		{"key unparsable", certFile, badKey, []string{certFile, badKey, "parse private key"}},
		{"mismatched key", certFile, otherKey, []string{certFile, otherKey, "does not match"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadTLS(tt.cert, tt.key)
			if err == nil {
				t.Fatalf("loadTLS(%s, %s) = %v, want an error", tt.cert, tt.key, cfg)
			}
			t.Log(err)
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}

	_, err := loadTLS(missing, keyFile)
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file error %v does not wrap os.ErrNotExist", err)
	}
}
