package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Webhook headers. The signature is HMAC-SHA256, keyed with the
// subscription's secret, over the timestamp header's value, a dot and the
// raw body; it is sent as "v1=" and the lower-case hex digest.
const (
	HeaderEventID   = "Temubisnis-Event-Id"
	HeaderEventType = "Temubisnis-Event-Type"
	HeaderTimestamp = "Temubisnis-Timestamp"
	HeaderSignature = "Temubisnis-Signature"
)

// ReplayWindow is how far a delivery's timestamp may be from the
// receiver's clock before Verify refuses it.
const ReplayWindow = 5 * time.Minute

// Payload is the JSON body of a webhook delivery.
type Payload struct {
	ID      string            `json:"id"`
	Type    Type              `json:"type"`
	Time    time.Time         `json:"time"`
	Subject string            `json:"subject"`
	Data    map[string]string `json:"data"`
}

// Sign returns the signature header value of body sent at ts.
func Sign(secret []byte, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Errors of Verify.
var (
	ErrBadSignature = errors.New("webhook signature does not match")
	ErrStale        = errors.New("webhook timestamp outside the replay window")
)

// Verify checks a delivery as a receiver would: the timestamp within
// ReplayWindow of now, and the signature (compared in constant time).
func Verify(secret []byte, timestamp, signature string, body []byte, now time.Time) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %q", ErrStale, timestamp)
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > ReplayWindow || d < -ReplayWindow {
		return ErrStale
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature)) {
		return ErrBadSignature
	}
	return nil
}

// TargetPolicy says which webhook addresses are acceptable.
type TargetPolicy struct {
	// AllowLoopback admits http:// and https:// on the loopback interface
	// (development).
	AllowLoopback bool
	// AllowPrivate admits private, link-local and shared address ranges
	// (an internal CRM on the office network).
	AllowPrivate bool
}

// ErrTarget is the error of a refused webhook address.
var ErrTarget = errors.New("webhook address refused")

// CheckURL validates a subscription's URL: absolute https (or http on
// loopback when allowed), no user info, and a literal address outside the
// refused ranges. Host names are checked again, after resolution, at every
// connection (Dial), so a name that resolves to an internal address later
// is refused too.
func (tp TargetPolicy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%w: must be an absolute https URL", ErrTarget)
	}
	if u.User != nil {
		return fmt.Errorf("%w: must not carry user info; the signature authenticates deliveries", ErrTarget)
	}
	if u.Fragment != "" {
		return fmt.Errorf("%w: must not have a fragment", ErrTarget)
	}
	host := u.Hostname()
	loopback := strings.EqualFold(host, "localhost")
	if ip, err := netip.ParseAddr(host); err == nil {
		if err := tp.checkIP(ip); err != nil {
			return err
		}
		loopback = ip.Unmap().IsLoopback()
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback && tp.AllowLoopback:
	default:
		return fmt.Errorf("%w: must use https (http only on loopback in development)", ErrTarget)
	}
	if loopback && !tp.AllowLoopback {
		return fmt.Errorf("%w: loopback addresses are not allowed on this server", ErrTarget)
	}
	return nil
}

// checkIP refuses the addresses a subscription must not reach.
func (tp TargetPolicy) checkIP(ip netip.Addr) error {
	ip = ip.Unmap()
	switch {
	case ip.IsLoopback():
		if !tp.AllowLoopback {
			return fmt.Errorf("%w: loopback address %s", ErrTarget, ip)
		}
	case ip.IsUnspecified(), ip.IsMulticast(), ip.IsInterfaceLocalMulticast(), ip.IsLinkLocalMulticast():
		return fmt.Errorf("%w: %s is not a unicast address", ErrTarget, ip)
	case ip.IsPrivate(), ip.IsLinkLocalUnicast(), sharedRange.Contains(ip):
		// Link-local holds the cloud metadata endpoint, 169.254.169.254.
		if !tp.AllowPrivate {
			return fmt.Errorf("%w: private address %s", ErrTarget, ip)
		}
	}
	return nil
}

// sharedRange is carrier-grade NAT space (RFC 6598), internal in practice.
var sharedRange = netip.MustParsePrefix("100.64.0.0/10")

// Client returns the HTTP client deliveries go through: it checks every
// address it connects to (after DNS resolution and on redirects), and
// follows no redirects, which a receiver has no reason to send.
func (tp TargetPolicy) Client(timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrTarget, address)
		}
		return tp.checkIP(ap.Addr())
	}}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout, MaxIdleConnsPerHost: 2, Proxy: nil}
	return &http.Client{Transport: tr, Timeout: timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Post sends one signed delivery and returns the HTTP status; any status
// but 2xx is an error.
func Post(ctx context.Context, c *http.Client, url string, secret []byte, p Payload, now time.Time) (int, error) {
	body, err := json.Marshal(p)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "temubisnis-webhooks/1")
	req.Header.Set(HeaderEventID, p.ID)
	req.Header.Set(HeaderEventType, string(p.Type))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(secret, now, body))
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }() // a read body; its close error says nothing
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, fmt.Errorf("receiver answered HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// Backoff is the wait before retry number attempt (1 for the first retry):
// base doubled per attempt, capped at ceiling, with "equal jitter" (half
// fixed, half random) so that receivers that come back are not hit by every
// retry at once.
func Backoff(attempt int, base, ceiling time.Duration, r *rand.Rand) time.Duration {
	d := base
	for i := 1; i < attempt && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	half := d / 2
	if half <= 0 {
		return d
	}
	var j int64
	if r != nil {
		j = r.Int64N(int64(half) + 1)
	} else {
		j = rand.Int64N(int64(half) + 1)
	}
	return half + time.Duration(j)
}
