package auth

import (
	"crypto/ed25519"
	"crypto/elliptic"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/adiekspor/temubisnis/internal/testclock"
)

func edPub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func TestJWKSKeyTypes(t *testing.T) {
	srv := newJWKSServer(t, jwkSet(
		rsaJWK("rsa-1", "", &rsaKey().PublicKey),
		rsaJWK("rsa-rs256-only", "RS256", &rsaKey2().PublicKey),
		ecJWK("ec-1", &ecKey().PublicKey),
		okpJWK("ed-1", edPub(edKey())),
		// Entries a provider publishes for other purposes; ignored.
		map[string]any{"kty": "RSA", "kid": "enc-1", "use": "enc", "n": "AQAB", "e": "AQAB"},
		map[string]any{"kty": "oct", "kid": "hmac-1", "k": "c2VjcmV0"},
		ecJWK("p384", &mustEC(elliptic.P384()).PublicKey),
		map[string]any{"kty": "OKP", "kid": "x25519", "crv": "X25519", "x": b64u(make([]byte, 32))},
	))
	v := newVerifier(t, VerifierOptions{JWKSURL: srv.URL + "/jwks"})
	want := Principal{Subject: "user-1", Role: RoleProducer, Resource: "producers/kendang-makmur"}

	accepted := []struct {
		name   string
		method jwt.SigningMethod
		key    any
		kid    string
	}{
		{"RSA RS256", jwt.SigningMethodRS256, rsaKey(), "rsa-1"},
		{"RSA RS512", jwt.SigningMethodRS512, rsaKey(), "rsa-1"},
		{"RSA PS256", jwt.SigningMethodPS256, rsaKey(), "rsa-1"},
		{"RSA with alg RS256", jwt.SigningMethodRS256, rsaKey2(), "rsa-rs256-only"},
		{"EC ES256", jwt.SigningMethodES256, ecKey(), "ec-1"},
		{"OKP EdDSA", jwt.SigningMethodEdDSA, edKey(), "ed-1"},
		{"no kid", jwt.SigningMethodES256, ecKey(), ""},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(sign(t, tt.method, tt.key, tt.kid, claims(nil)))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("principal (-want +got):\n%s", diff)
			}
		})
	}

	refused := []struct {
		name   string
		method jwt.SigningMethod
		key    any
		kid    string
		reason string
	}{
		{"key restricted to another alg", jwt.SigningMethodPS256, rsaKey2(), "rsa-rs256-only", "no matching key"},
		{"kid of a key of another type", jwt.SigningMethodEdDSA, edKey(), "rsa-1", "no matching key"},
		{"kid of an encryption key", jwt.SigningMethodRS256, rsaKey(), "enc-1", "no matching key"},
		{"kid of the right key, wrong signer", jwt.SigningMethodES256, otherECKey(), "ec-1", "invalid signature"},
		{"no kid, unknown signer", jwt.SigningMethodEdDSA, otherEdKey(), "", "invalid signature"},
		{"HS256 with the kid of an oct key", jwt.SigningMethodHS256, []byte("secret"), "hmac-1", "signing algorithm not accepted"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, tt.method, tt.key, tt.kid, claims(nil))
			p, err := v.Verify(tok)
			wantRefused(t, p, err, tok, tt.reason)
		})
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1 (no refresh for known kids or tokens without kid)", n)
	}
}

// TestJWKSWithKeyFile: both sources together; a key-file kid is not an
// unknown kid and does not cause a fetch.
func TestJWKSWithKeyFile(t *testing.T) {
	srv := newJWKSServer(t, jwkSet(okpJWK("ed-1", edPub(edKey()))))
	clock := testclock.New(t0)
	v := newVerifier(t, VerifierOptions{
		JWKSURL: srv.URL,
		KeyFile: writeFile(t, "k.pem", pemPublic(t, rsaKey().Public())),
		Now:     clock.Now,
	})
	clock.Advance(2 * time.Minute)
	for _, tok := range []string{
		sign(t, jwt.SigningMethodEdDSA, edKey(), "ed-1", claims(nil)),
		sign(t, jwt.SigningMethodRS256, rsaKey(), kidOf(t, rsaKey().Public()), claims(nil)),
		sign(t, jwt.SigningMethodRS256, rsaKey(), "", claims(nil)),
	} {
		if _, err := v.Verify(tok); err != nil {
			t.Errorf("Verify: %v", err)
		}
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1", n)
	}
}

func TestJWKSRefreshOnUnknownKid(t *testing.T) {
	srv := newJWKSServer(t, jwkSet(okpJWK("a", edPub(edKey()))))
	clock := testclock.New(t0)
	v := newVerifier(t, VerifierOptions{JWKSURL: srv.URL, Now: clock.Now})
	// Token times follow the clock, so every token is valid when verified.
	tokenFor := func(key ed25519.PrivateKey, kid string) string {
		now := clock.Now()
		return sign(t, jwt.SigningMethodEdDSA, key, kid, claims(map[string]any{
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		}))
	}
	keyB, keyC := mustEd(), mustEd()
	step := func(name string, tok string, wantOK bool, wantHits int64) {
		t.Helper()
		_, err := v.Verify(tok)
		if wantOK && err != nil {
			t.Errorf("%s: Verify: %v", name, err)
		}
		if !wantOK && err == nil {
			t.Errorf("%s: Verify accepted the token", name)
		}
		if got := srv.hits.Load(); got != wantHits {
			t.Errorf("%s: %d fetches, want %d", name, got, wantHits)
		}
	}

	step("known kid", tokenFor(edKey(), "a"), true, 1)
	srv.serve(http.StatusOK, jwkSet(okpJWK("a", edPub(edKey())), okpJWK("b", edPub(keyB))))
	// The set was fetched at start-up, less than a minute ago: the new key
	// is not seen yet, and a burst of made-up kids costs no fetch either.
	step("new kid right after start", tokenFor(keyB, "b"), false, 1)
	for i := range 20 {
		step("made-up kid", tokenFor(otherEdKey(), fmt.Sprintf("bogus-%d", i)), false, 1)
	}
	clock.Advance(time.Minute)
	step("new kid a minute later", tokenFor(keyB, "b"), true, 2)
	step("new kid again", tokenFor(keyB, "b"), true, 2)
	step("old kid still there", tokenFor(edKey(), "a"), true, 2)

	srv.serve(http.StatusOK, jwkSet(okpJWK("b", edPub(keyB)), okpJWK("c", edPub(keyC))))
	clock.Advance(59 * time.Second)
	step("newer kid within the minute", tokenFor(keyC, "c"), false, 2)
	step("made-up kid within the minute", tokenFor(otherEdKey(), "bogus"), false, 2)
	clock.Advance(time.Second)
	step("newer kid after the minute", tokenFor(keyC, "c"), true, 3)
	// The refresh replaced the set, so the withdrawn key "a" is gone.
	step("withdrawn kid", tokenFor(edKey(), "a"), false, 3)
}

// TestJWKSConcurrentUnknownKid: many requests with the same new kid at once
// cause one fetch, and all of them see its result.
func TestJWKSConcurrentUnknownKid(t *testing.T) {
	srv := newJWKSServer(t, jwkSet(okpJWK("a", edPub(edKey()))))
	clock := testclock.New(t0)
	v := newVerifier(t, VerifierOptions{JWKSURL: srv.URL, Now: clock.Now})
	keyB := mustEd()
	srv.serve(http.StatusOK, jwkSet(okpJWK("a", edPub(edKey())), okpJWK("b", edPub(keyB))))
	clock.Advance(time.Minute)
	tok := sign(t, jwt.SigningMethodEdDSA, keyB, "b", claims(nil))

	const n = 32
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = v.Verify(tok) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("%d fetches, want 2", got)
	}
}

func TestJWKSRefreshFailureKeepsKeys(t *testing.T) {
	srv := newJWKSServer(t, jwkSet(okpJWK("a", edPub(edKey()))))
	clock := testclock.New(t0)
	v := newVerifier(t, VerifierOptions{JWKSURL: srv.URL, Now: clock.Now})
	srv.serve(http.StatusServiceUnavailable, []byte("down for maintenance"))
	clock.Advance(time.Minute)

	tok := sign(t, jwt.SigningMethodEdDSA, mustEd(), "new", claims(nil))
	p, err := v.Verify(tok)
	wantRefused(t, p, err, tok, "no matching key")
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("%d fetches, want 2", got)
	}
	if _, err := v.Verify(sign(t, jwt.SigningMethodEdDSA, edKey(), "a", claims(nil))); err != nil {
		t.Errorf("cached key after a failed refresh: %v", err)
	}
	// Past the maximum age the failed fetch is retried, at most once a
	// minute, and the cached keys keep working meanwhile.
	clock.Advance(time.Hour)
	srv.serve(http.StatusOK, []byte(`{"keys": []}`))
	if _, err := v.Verify(sign(t, jwt.SigningMethodEdDSA, edKey(), "a", claims(map[string]any{
		"exp": clock.Now().Add(time.Hour).Unix(),
	}))); err != nil {
		t.Errorf("cached key after a refresh without usable keys: %v", err)
	}
	if got := srv.hits.Load(); got != 3 {
		t.Errorf("%d fetches, want 3", got)
	}
}

// TestJWKSMaxAge: a key the provider withdrew stops verifying once the cache
// is an hour old, even though its kid is known.
func TestJWKSMaxAge(t *testing.T) {
	keyB := mustEd()
	srv := newJWKSServer(t, jwkSet(okpJWK("a", edPub(edKey())), okpJWK("b", edPub(keyB))))
	clock := testclock.New(t0)
	v := newVerifier(t, VerifierOptions{JWKSURL: srv.URL, Now: clock.Now})
	srv.serve(http.StatusOK, jwkSet(okpJWK("b", edPub(keyB))))
	tokenFor := func(key ed25519.PrivateKey, kid string) string {
		now := clock.Now()
		return sign(t, jwt.SigningMethodEdDSA, key, kid, claims(map[string]any{
			"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		}))
	}

	clock.Advance(59 * time.Minute)
	if _, err := v.Verify(tokenFor(edKey(), "a")); err != nil {
		t.Errorf("before max age: %v", err)
	}
	if got := srv.hits.Load(); got != 1 {
		t.Errorf("before max age: %d fetches, want 1", got)
	}
	clock.Advance(time.Minute)
	tok := tokenFor(edKey(), "a")
	p, err := v.Verify(tok)
	wantRefused(t, p, err, tok, "no matching key")
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("after max age: %d fetches, want 2", got)
	}
	if _, err := v.Verify(tokenFor(keyB, "b")); err != nil {
		t.Errorf("remaining key: %v", err)
	}
}

func TestJWKSStartupFailures(t *testing.T) {
	redirect := httptest.NewServer(http.RedirectHandler("http://jwks.example.com/keys", http.StatusFound))
	t.Cleanup(redirect.Close)
	tests := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"server error", http.StatusInternalServerError, `{"keys": []}`, "status 500"},
		{"not JSON", http.StatusOK, `<html>login</html>`, "not a JSON key set"},
		{"no usable key", http.StatusOK, string(jwkSet(map[string]any{"kty": "oct", "k": "c2VjcmV0"})), "no usable signing key"},
		{"private key published", http.StatusOK, string(jwkSet(map[string]any{
			"kty": "OKP", "crv": "Ed25519", "x": b64u(edPub(edKey())), "d": b64u(edKey().Seed()),
		})), "private key material"},
		{"too large", http.StatusOK, `{"keys": [], "pad": "` + strings.Repeat("x", jwksMaxBytes) + `"}`, "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newJWKSServer(t, nil)
			srv.serve(tt.status, []byte(tt.body))
			_, err := NewVerifier(VerifierOptions{Issuer: testIssuer, Audience: testAudience, JWKSURL: srv.URL, Logger: discardLogger()})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewVerifier error %v, want %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), b64u(edKey().Seed())) {
				t.Errorf("error quotes private key material")
			}
		})
	}
	t.Run("redirect to plain http", func(t *testing.T) {
		_, err := NewVerifier(VerifierOptions{Issuer: testIssuer, Audience: testAudience, JWKSURL: redirect.URL, Logger: discardLogger()})
		if err == nil || !strings.Contains(err.Error(), "https") {
			t.Errorf("NewVerifier error %v, want a refused redirect", err)
		}
	})
}

func TestParseJWKSSkipsBrokenKeys(t *testing.T) {
	good := okpJWK("good", edPub(edKey()))
	rsa := rsaJWK("rsa", "", &rsaKey().PublicKey)
	ec := ecJWK("ec", &ecKey().PublicKey)
	with := func(base map[string]any, k string, v any) map[string]any {
		m := map[string]any{}
		for key, val := range base {
			m[key] = val
		}
		m[k] = v
		return m
	}
	offCurve := with(ec, "y", b64u(make([]byte, 32)))
	tests := []struct {
		name    string
		entry   any
		skipped bool // false: ignored without a log line
	}{
		{"short RSA key", rsaJWK("short", "", &mustRSA(1024).PublicKey), true},
		{"RSA without n", with(rsa, "n", ""), true},
		{"RSA exponent 1", with(rsa, "e", b64u([]byte{1})), true},
		{"RSA even exponent", with(rsa, "e", b64u([]byte{1, 0, 0})), true},
		{"RSA huge exponent", with(rsa, "e", b64u([]byte{1, 0, 0, 0, 1})), true},
		{"RSA with an EC alg", with(rsa, "alg", "ES256"), true},
		{"EC off the curve", offCurve, true},
		{"EC short x", with(ec, "x", b64u(make([]byte, 31))), true},
		{"OKP short x", with(good, "x", b64u(make([]byte, 31))), true},
		{"OKP not base64", with(good, "x", "!!"), true},
		{"kid not a string", with(good, "kid", 7), true},
		{"encryption key", with(rsa, "use", "enc"), false},
		{"key_ops without verify", with(rsa, "key_ops", []string{"encrypt"}), false},
		{"HMAC alg", with(rsa, "alg", "HS256"), false},
		{"unknown kty", map[string]any{"kty": "PQC", "x": "AA"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, skipped, err := parseJWKS(jwkSet(good, tt.entry.(map[string]any)))
			if err != nil {
				t.Fatalf("parseJWKS: %v", err)
			}
			if len(keys) != 1 || keys[0].kid != "good" {
				t.Errorf("keys %+v, want only the good one", keys)
			}
			if got := len(skipped) > 0; got != tt.skipped {
				t.Errorf("skipped %q, want a reason: %v", skipped, tt.skipped)
			}
		})
	}
}

func TestParseJWKSPadding(t *testing.T) {
	padded := okpJWK("p", edPub(edKey()))
	padded["x"] = padded["x"].(string) + "="
	keys, _, err := parseJWKS(jwkSet(padded))
	if err != nil || len(keys) != 1 {
		t.Fatalf("padded key: %v, %d keys", err, len(keys))
	}
}
