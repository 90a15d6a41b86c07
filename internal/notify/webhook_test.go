package notify

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	secret, body := []byte("s3cret"), []byte(`{"id":"x"}`)
	now := time.Unix(1_800_000_000, 0)
	sig := Sign(secret, now, body)
	if !strings.HasPrefix(sig, "v1=") || len(sig) != 3+64 {
		t.Fatalf("signature %q", sig)
	}
	ts := "1800000000"
	tests := []struct {
		name           string
		secret, body   []byte
		timestamp, sig string
		now            time.Time
		want           error
	}{
		{"valid", secret, body, ts, sig, now.Add(time.Minute), nil},
		{"other body", secret, []byte(`{"id":"y"}`), ts, sig, now, ErrBadSignature},
		{"other secret", []byte("guess"), body, ts, sig, now, ErrBadSignature},
		{"replayed later", secret, body, ts, sig, now.Add(ReplayWindow + time.Second), ErrStale},
		{"timestamp moved", secret, body, "1800000001", sig, now, ErrBadSignature},
		{"no timestamp", secret, body, "", sig, now, ErrStale},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := Verify(tc.secret, tc.timestamp, tc.sig, tc.body, tc.now); !errors.Is(err, tc.want) {
				t.Errorf("Verify: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestCheckURL(t *testing.T) {
	dev := TargetPolicy{AllowLoopback: true}
	office := TargetPolicy{AllowPrivate: true}
	tests := []struct {
		url string
		tp  TargetPolicy
		ok  bool
	}{
		{"https://crm.example.com/hooks/temubisnis", TargetPolicy{}, true},
		{"http://crm.example.com/hooks", TargetPolicy{}, false},
		{"https://10.0.0.5/hook", TargetPolicy{}, false},
		{"https://192.168.1.20/hook", TargetPolicy{}, false},
		{"https://172.16.0.1/hook", TargetPolicy{}, false},
		{"https://169.254.169.254/latest/meta-data", TargetPolicy{}, false},
		{"https://100.64.1.1/", TargetPolicy{}, false},
		{"https://[fd00::1]/", TargetPolicy{}, false},
		{"https://10.0.0.5/hook", office, true},
		{"https://127.0.0.1/hook", TargetPolicy{}, false},
		{"http://127.0.0.1:8080/hook", dev, true},
		{"http://localhost:8080/hook", dev, true},
		{"http://[::1]:8080/hook", dev, true},
		{"https://0.0.0.0/", dev, false},
		{"https://user:pw@crm.example.com/", TargetPolicy{}, false},
		{"crm.example.com/hook", TargetPolicy{}, false},
		{"ftp://crm.example.com/", TargetPolicy{}, false},
		{"https://[::ffff:10.0.0.1]/", TargetPolicy{}, false},
	}
	for _, tc := range tests {
		err := tc.tp.CheckURL(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("CheckURL(%q) with %+v: %v, want ok=%v", tc.url, tc.tp, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrTarget) {
			t.Errorf("CheckURL(%q): %v does not wrap ErrTarget", tc.url, err)
		}
	}
}

// The client refuses a name that resolves to a refused address at
// connection time: the URL check alone would let "localhost" through a
// policy without loopback.
func TestClientRefusesResolvedAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	c := TargetPolicy{}.Client(2 * time.Second)
	_, err := c.Get(strings.Replace(srv.URL, "127.0.0.1", "localhost", 1))
	if err == nil || !errors.Is(err, ErrTarget) {
		t.Fatalf("GET loopback through the strict client: %v, want ErrTarget", err)
	}
	if _, err := (TargetPolicy{AllowLoopback: true}).Client(2 * time.Second).Get(srv.URL); err != nil {
		t.Fatalf("GET loopback allowed: %v", err)
	}
}

func TestBackoff(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	base, ceiling := time.Second, time.Minute
	for attempt, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 10: time.Minute} {
		for range 50 {
			d := Backoff(attempt, base, ceiling, r)
			if d < want/2 || d > want {
				t.Fatalf("Backoff(%d) = %v, want within [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
	seen := map[time.Duration]bool{}
	for range 20 {
		seen[Backoff(3, base, ceiling, r)] = true
	}
	if len(seen) < 5 {
		t.Errorf("Backoff has no jitter: %v", seen)
	}
}
