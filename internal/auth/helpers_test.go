package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testIssuer   = "https://id.disperindag.blitarkab.go.id"
	testAudience = "temubisnis"
)

// t0 is the fixed "now" of the tests.
var t0 = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// Keys are generated once per test binary: RSA generation is slow, and the
// tests only need keys that are distinct from each other.
var (
	rsaKey      = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(2048) })
	rsaKey2     = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(2048) })
	otherRSAKey = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA(2048) })
	ecKey       = sync.OnceValue(func() *ecdsa.PrivateKey { return mustEC(elliptic.P256()) })
	otherECKey  = sync.OnceValue(func() *ecdsa.PrivateKey { return mustEC(elliptic.P256()) })
	edKey       = sync.OnceValue(func() ed25519.PrivateKey { return mustEd() })
	otherEdKey  = sync.OnceValue(func() ed25519.PrivateKey { return mustEd() })
)

func mustRSA(bits int) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEC(c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEd() ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}
func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// pemPublic encodes a public key as a PKIX "PUBLIC KEY" block.
func pemPublic(t testing.TB, key crypto.PublicKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// pemPKCS1 encodes an RSA public key as a PKCS #1 "RSA PUBLIC KEY" block.
func pemPKCS1(key *rsa.PublicKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(key)})
}

func writeFile(t testing.TB, name string, blocks ...[]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	var data []byte
	for _, b := range blocks {
		data = append(data, b...)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// defaultKeyFile holds the public halves of rsaKey (PKIX), rsaKey2 (PKCS #1),
// ecKey and edKey.
func defaultKeyFile(t testing.TB) string {
	return writeFile(t, "keys.pem",
		pemPublic(t, rsaKey().Public()),
		pemPKCS1(&rsaKey2().PublicKey),
		pemPublic(t, ecKey().Public()),
		pemPublic(t, edKey().Public()),
	)
}

func newVerifier(t testing.TB, opts VerifierOptions) *Verifier {
	t.Helper()
	if opts.Issuer == "" {
		opts.Issuer = testIssuer
	}
	if opts.Audience == "" {
		opts.Audience = testAudience
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	if opts.Logger == nil {
		opts.Logger = discardLogger()
	}
	v, err := NewVerifier(opts)
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	return v
}

// claims returns valid claims of a producer token issued at t0, with the
// overrides applied; an override to nil deletes the claim.
func claims(overrides map[string]any) jwt.MapClaims {
	c := jwt.MapClaims{
		"iss":      testIssuer,
		"aud":      testAudience,
		"sub":      "user-1",
		"role":     "producer",
		"resource": "producers/kendang-makmur",
		"iat":      t0.Unix(),
		"exp":      t0.Add(time.Hour).Unix(),
	}
	for k, v := range overrides {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// sign signs c with method and key, with a kid header unless kid is empty.
func sign(t testing.TB, method jwt.SigningMethod, key any, kid string, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatalf("sign %s: %v", method.Alg(), err)
	}
	return s
}

// handMade assembles a token from a header, claims and raw signature, for the
// tokens no honest library would produce.
func handMade(t testing.TB, header map[string]any, c jwt.MapClaims, sig []byte) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "." + enc.EncodeToString(sig)
}

func kidOf(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	kid, err := keyID(pub)
	if err != nil {
		t.Fatal(err)
	}
	return kid
}

// wantRefused checks that err is a refusal with the given reason, that it
// does not quote the token, and that the principal is empty.
func wantRefused(t testing.TB, p Principal, err error, token, reason string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Verify accepted the token: %+v", p)
	}
	if !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("error %q does not wrap ErrUnauthenticated", err)
	}
	if !strings.Contains(err.Error(), reason) {
		t.Errorf("error %q, want reason %q", err, reason)
	}
	if len(token) > 10 && strings.Contains(err.Error(), token) {
		t.Errorf("error quotes the token")
	}
	if p.Role != RoleAnonymous || p.Subject != "" || p.Resource != "" || p.Methods != nil {
		t.Errorf("refusal returned principal %+v", p)
	}
}

// JWK encodings for the test key set.

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func rsaJWK(kid, alg string, pub *rsa.PublicKey) map[string]any {
	m := map[string]any{
		"kty": "RSA", "kid": kid, "use": "sig",
		"n": b64u(pub.N.Bytes()), "e": b64u(big.NewInt(int64(pub.E)).Bytes()),
	}
	if alg != "" {
		m["alg"] = alg
	}
	return m
}

func ecJWK(kid string, pub *ecdsa.PublicKey) map[string]any {
	b, err := pub.Bytes()
	if err != nil {
		panic(err)
	}
	size := (len(b) - 1) / 2
	crv := map[int]string{32: "P-256", 48: "P-384", 66: "P-521"}[size]
	return map[string]any{
		"kty": "EC", "kid": kid, "crv": crv,
		"x": b64u(b[1 : 1+size]), "y": b64u(b[1+size:]),
	}
}

func okpJWK(kid string, pub ed25519.PublicKey) map[string]any {
	return map[string]any{"kty": "OKP", "kid": kid, "crv": "Ed25519", "x": b64u(pub)}
}

func jwkSet(keys ...map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"keys": keys})
	if err != nil {
		panic(err)
	}
	return b
}

// jwksServer serves a key set on loopback and counts the fetches.
type jwksServer struct {
	*httptest.Server
	hits   atomic.Int64
	mu     sync.Mutex
	body   []byte
	status int
}

func newJWKSServer(t testing.TB, body []byte) *jwksServer {
	t.Helper()
	s := &jwksServer{body: body, status: http.StatusOK}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		s.mu.Lock()
		body, status := s.body, s.status
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) serve(status int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.body = status, body
}
