package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	// jwksMinRefresh is the shortest time between two fetches. Token
	// headers are attacker-controlled, so without it every token with a
	// made-up kid would cost the identity provider a request.
	jwksMinRefresh = time.Minute
	// jwksMaxAge is how long a fetched key set is trusted before it is
	// fetched again, so a key the provider withdrew stops verifying tokens
	// within the hour even if no unknown kid ever comes along.
	jwksMaxAge = time.Hour
	// jwksTimeout bounds one fetch; the request that triggered it waits.
	jwksTimeout = 10 * time.Second
	// jwksMaxBytes bounds a key set; real ones are a few kilobytes.
	jwksMaxBytes = 1 << 20
	// jwksMaxRedirects is what a provider moving its key URL needs.
	jwksMaxRedirects = 3
)

// jwksCache holds the keys of one JWKS URL.
type jwksCache struct {
	url    string
	client *http.Client
	now    func() time.Time
	logger *slog.Logger

	// fetchMu is held for the duration of a fetch, so that concurrent
	// requests with the same new kid cause one fetch and then all see its
	// result. It guards attempted.
	fetchMu   sync.Mutex
	attempted time.Time // last fetch, successful or not

	mu      sync.RWMutex
	keys    []publicKey
	fetched time.Time // last successful fetch
}

func newJWKSCache(url string, now func() time.Time, logger *slog.Logger) *jwksCache {
	return &jwksCache{
		url: url,
		client: &http.Client{
			Timeout: jwksTimeout,
			// A redirect must meet the same rules as the configured URL,
			// or an https URL could hand us keys fetched over plain http.
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) > jwksMaxRedirects {
					return errors.New("too many redirects")
				}
				return checkJWKSURL(req.URL.String())
			},
		},
		now:    now,
		logger: logger,
	}
}

// load performs the first fetch; NewVerifier fails with its error, since a
// verifier without keys would refuse every token and look like an outage
// rather than the configuration error it is.
func (c *jwksCache) load() error {
	c.fetchMu.Lock()
	defer c.fetchMu.Unlock()
	c.attempted = c.now()
	keys, err := c.fetch()
	if err != nil {
		return err
	}
	c.store(keys)
	return nil
}

// snapshot returns the current keys. The slice is replaced, never modified,
// so callers may read it without holding the lock.
func (c *jwksCache) snapshot() []publicKey {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.keys
}

// refreshForUnknownKid fetches the key set again unless that was done less
// than jwksMinRefresh ago. Callers take a new snapshot afterwards either way:
// if they waited for someone else's fetch, its result is what they need.
func (c *jwksCache) refreshForUnknownKid() {
	c.fetchMu.Lock()
	defer c.fetchMu.Unlock()
	c.refreshLocked()
}

// refreshIfStale fetches the key set when it is older than jwksMaxAge. It
// never waits for a fetch in progress: the cached keys are still good enough
// for the requests arriving meanwhile.
func (c *jwksCache) refreshIfStale() {
	c.mu.RLock()
	fetched := c.fetched
	c.mu.RUnlock()
	if c.now().Sub(fetched) < jwksMaxAge {
		return
	}
	if !c.fetchMu.TryLock() {
		return
	}
	defer c.fetchMu.Unlock()
	c.refreshLocked()
}

// refreshLocked fetches if the rate limit allows; fetchMu must be held. A
// failed fetch keeps the previous keys: an identity provider that is briefly
// down should not log everybody out.
func (c *jwksCache) refreshLocked() {
	now := c.now()
	if now.Sub(c.attempted) < jwksMinRefresh {
		return
	}
	c.attempted = now
	keys, err := c.fetch()
	if err != nil {
		c.logger.Warn("JWKS refresh failed, keeping the cached keys", "url", c.url, "error", err)
		return
	}
	c.store(keys)
}

func (c *jwksCache) store(keys []publicKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys = keys
	c.fetched = c.now()
}

func (c *jwksCache) fetch() ([]publicKey, error) {
	ctx, cancel := context.WithTimeout(context.Background(), jwksTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url, nil)
	if err != nil {
		return nil, fmt.Errorf("JWKS request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer func() { _ = resp.Body.Close() }() // a read body; its close error says nothing
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch JWKS: HTTP status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read JWKS: %w", err)
	}
	if len(body) > jwksMaxBytes {
		return nil, fmt.Errorf("JWKS larger than %d bytes", jwksMaxBytes)
	}
	keys, skipped, err := parseJWKS(body)
	for _, s := range skipped {
		c.logger.Warn("JWKS key ignored", "url", c.url, "reason", s)
	}
	if err != nil {
		return nil, fmt.Errorf("JWKS: %w", err)
	}
	return keys, nil
}

// jwk is one entry of a key set (RFC 7517, 7518, 8037), the members we use.
type jwk struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	Alg    string   `json:"alg"`
	Crv    string   `json:"crv"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
	// D is private key material; only its presence matters.
	D string `json:"d"`
}

// parseJWKS reads a key set. Entries meant for something else (encryption
// keys, symmetric keys, algorithms we refuse) are left out silently, because
// providers publish such keys routinely. Entries that look like ours but are
// broken are left out with a reason for the log, so one bad key does not take
// down authentication. No usable key at all is an error.
func parseJWKS(data []byte) (keys []publicKey, skipped []string, err error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, nil, errors.New("not a JSON key set")
	}
	for i, raw := range set.Keys {
		var k jwk
		if err := json.Unmarshal(raw, &k); err != nil {
			skipped = append(skipped, fmt.Sprintf("key %d: malformed entry", i))
			continue
		}
		// A published private key is compromised by definition; trusting
		// the rest of such a set would be trusting whoever published it.
		if k.D != "" {
			return nil, skipped, fmt.Errorf("key %d contains private key material", i)
		}
		if !forSigning(k) {
			continue
		}
		key, err := k.publicKey()
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("key %d (kid %q): %v", i, k.Kid, err))
			continue
		}
		if key == nil {
			continue
		}
		keys = append(keys, publicKey{kid: k.Kid, alg: k.Alg, key: key})
	}
	if len(keys) == 0 {
		return nil, skipped, errors.New("no usable signing key")
	}
	return keys, skipped, nil
}

// forSigning reports whether an entry may verify signatures at all.
func forSigning(k jwk) bool {
	if k.Use != "" && k.Use != "sig" {
		return false
	}
	if len(k.KeyOps) > 0 && !slices.Contains(k.KeyOps, "verify") {
		return false
	}
	return k.Alg == "" || slices.Contains(allowedAlgs, k.Alg)
}

// publicKey decodes the entry's key; nil without error for key types the
// verifier does not use.
func (k jwk) publicKey() (crypto.PublicKey, error) {
	var key crypto.PublicKey
	switch k.Kty {
	case "RSA":
		n, err := b64(k.N)
		if err != nil || len(n) == 0 {
			return nil, errors.New("malformed n")
		}
		e, err := b64(k.E)
		if err != nil || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("malformed e")
		}
		exp := new(big.Int).SetBytes(e).Int64()
		if exp < 3 || exp%2 == 0 {
			return nil, errors.New("unusable exponent")
		}
		key = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp)}
	case "EC":
		if k.Crv != "P-256" {
			return nil, nil
		}
		x, errX := b64(k.X)
		y, errY := b64(k.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			return nil, errors.New("malformed coordinates")
		}
		// The uncompressed point form, which the parser checks is on the
		// curve: an off-curve point is the start of invalid-curve attacks.
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			return nil, errors.New("point not on curve")
		}
		key = pk
	case "OKP":
		if k.Crv != "Ed25519" {
			return nil, nil
		}
		x, err := b64(k.X)
		if err != nil || len(x) != ed25519.PublicKeySize {
			return nil, errors.New("malformed x")
		}
		key = ed25519.PublicKey(x)
	default:
		return nil, nil
	}
	if err := checkPublicKey(key); err != nil {
		return nil, err
	}
	// An "alg" that does not fit the key type would make the key unusable;
	// say so rather than keep a key that can never verify anything.
	if k.Alg != "" && !(publicKey{alg: k.Alg, key: key}).fits(k.Alg) {
		return nil, fmt.Errorf("alg %s does not fit the key", k.Alg)
	}
	return key, nil
}

// b64 decodes base64url, tolerating the padding RFC 7515 forbids but some
// providers still emit.
func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
