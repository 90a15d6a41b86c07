package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/policy"
)

type noTokens struct{}

func (noTokens) Verify(string) (auth.Principal, error) {
	return auth.Principal{}, auth.ErrUnauthenticated
}

// serverSettings reads the SETTINGS a gRPC server sends on conn.
func serverSettings(t *testing.T, c net.Conn) map[http2.SettingID]uint32 {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write([]byte(http2.ClientPreface)); err != nil {
		t.Fatal(err)
	}
	fr := http2.NewFramer(c, c)
	if err := fr.WriteSettings(); err != nil {
		t.Fatal(err)
	}
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		if sf, ok := f.(*http2.SettingsFrame); ok && !sf.IsAck() {
			out := map[http2.SettingID]uint32{}
			_ = sf.ForeachSetting(func(s http2.Setting) error { out[s.ID] = s.Val; return nil })
			return out
		}
	}
}

// TestGatewayIsNotThrottled: the public listener limits concurrent
// streams per connection; the gateway and the web app call in-process,
// through no connection at all (issue 10 item 12; the channel itself has
// no limit: TestInprocChannelHasNoStreamLimit).
func TestGatewayIsNotThrottled(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := New(context.Background(), Options{
		GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", RequestTimeout: time.Second, ShutdownTimeout: time.Second, MaxBodyBytes: 1 << 20,
		Access: Access{Verifier: noTokens{}, Policy: policy.New(nil)},
	}, grpcapi.New(grpcapi.Options{Log: log}), log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})

	public, err := net.Dial("tcp", s.GRPCAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer public.Close()
	settings := serverSettings(t, public)
	if got := settings[http2.SettingMaxConcurrentStreams]; got != maxConcurrentStreams {
		t.Errorf("public listener: max concurrent streams %d, want %d", got, maxConcurrentStreams)
	}
	if got := settings[http2.SettingMaxHeaderListSize]; got != maxHeaderListBytes {
		t.Errorf("public listener: max header list %d, want %d", got, maxHeaderListBytes)
	}
	if _, ok := s.ClientConn().(*inprocChannel); !ok {
		t.Errorf("the gateway's and web app's connection is a %T, want the in-process channel", s.ClientConn())
	}
}
