package app_test

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"google.golang.org/grpc/metadata"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/config"
)

// h2conn is a raw HTTP/2 client connection to the gRPC port, for what a
// gRPC client library would never send.
type h2conn struct {
	t  *testing.T
	c  net.Conn
	fr *http2.Framer
}

func dialH2(t *testing.T, addr string) *h2conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	// A deadline only so that a broken server fails the test instead of
	// hanging it; nothing waits on it.
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte(http2.ClientPreface)); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(c, c)
	if err := fr.WriteSettings(); err != nil {
		t.Fatal(err)
	}
	return &h2conn{t: t, c: c, fr: fr}
}

// settings reads frames until the server's SETTINGS and returns them.
func (h *h2conn) settings() map[http2.SettingID]uint32 {
	h.t.Helper()
	for {
		f, err := h.fr.ReadFrame()
		if err != nil {
			h.t.Fatalf("reading the server's SETTINGS: %v", err)
		}
		sf, ok := f.(*http2.SettingsFrame)
		if !ok || sf.IsAck() {
			continue
		}
		out := map[http2.SettingID]uint32{}
		_ = sf.ForeachSetting(func(s http2.Setting) error { out[s.ID] = s.Val; return nil })
		return out
	}
}

// TestGRPCListenerLimits is issue 10 item 12: the gRPC port took 15 MiB of
// metadata from anonymous callers, advertised no concurrent-stream limit,
// and tolerated clients pinging without end. It now advertises a 64 KiB
// header list and 100 concurrent streams, refuses larger metadata, and
// answers a ping flood with GOAWAY (ENHANCE_YOUR_CALM).
func TestGRPCListenerLimits(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo})

	got := dialH2(t, e.app.Server.GRPCAddr()).settings()
	if got[http2.SettingMaxHeaderListSize] != 64<<10 {
		t.Errorf("SETTINGS_MAX_HEADER_LIST_SIZE %d, want 65536", got[http2.SettingMaxHeaderListSize])
	}
	if got[http2.SettingMaxConcurrentStreams] != 100 {
		t.Errorf("SETTINGS_MAX_CONCURRENT_STREAMS %d, want 100", got[http2.SettingMaxConcurrentStreams])
	}

	// 100 KiB of metadata is refused; the same call without it works.
	req := &pb.GetProducerRequest{Name: "producers/kendang-jaya-nglegok"}
	big := metadata.AppendToOutgoingContext(e.ctx(), "x-padding", strings.Repeat("a", 100<<10))
	if _, err := e.producers.GetProducer(big, req); err == nil {
		t.Error("a call with 100 KiB of metadata was served")
	}
	if _, err := e.producers.GetProducer(e.ctx(), req); err != nil {
		t.Fatalf("the same call without the padding: %v", err)
	}
	// REST headers are held to the same bound.
	hreq, _ := http.NewRequest(http.MethodGet, e.baseURL+"/v1/producers/kendang-jaya-nglegok", nil)
	hreq.Header.Set("X-Padding", strings.Repeat("a", 100<<10))
	resp, err := e.http.Do(hreq)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("REST with 100 KiB of headers: HTTP %d, want 431", resp.StatusCode)
	}

	// A ping flood: the server sends GOAWAY with ENHANCE_YOUR_CALM.
	h := dialH2(t, e.app.Server.GRPCAddr())
	h.settings()
	if err := h.fr.WriteSettingsAck(); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if err := h.fr.WritePing(false, [8]byte{byte(i)}); err != nil {
			break // the server may already have hung up
		}
	}
	for {
		f, err := h.fr.ReadFrame()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				t.Fatal("no GOAWAY after a ping flood")
			}
			t.Fatalf("connection closed without GOAWAY: %v", err)
		}
		if ga, ok := f.(*http2.GoAwayFrame); ok {
			if ga.ErrCode != http2.ErrCodeEnhanceYourCalm {
				t.Errorf("GOAWAY %v, want ENHANCE_YOUR_CALM", ga.ErrCode)
			}
			return
		}
	}
}
