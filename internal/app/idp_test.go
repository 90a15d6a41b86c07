package app_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
)

// TestExternalIdentityProvider runs the service the production way: tokens
// come from an identity provider whose keys the service fetches from its
// JWKS URL. The provider's tokens are accepted, the local key's are not.
func TestExternalIdentityProvider(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	jwks, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{
		"kty": "RSA", "kid": "idp-2026-11", "use": "sig", "alg": "RS256",
		"n": base64.RawURLEncoding.EncodeToString(key.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(key.E)).Bytes()),
	}}})
	idp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	}))
	defer idp.Close()

	e := start(t, startOpts{seed: config.SeedDemo, args: []string{
		"-auth-jwks-url", idp.URL + "/.well-known/jwks.json",
		"-auth-issuer", "https://login.blitarkab.example", "-auth-audience", "temubisnis-api",
	}})
	sign := func(c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		tok.Header["kid"] = "idp-2026-11"
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Now()
	officer := sign(jwt.MapClaims{
		"iss": "https://login.blitarkab.example", "aud": "temubisnis-api", "sub": "officer-17",
		"role": "trade_office", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
	})
	e.doAs(officer, http.MethodGet, "/v1/buyers?pageSize=1", nil).must(t, http.StatusOK)

	// Tokens of the local development key mean nothing here.
	// (Same issuer and audience as the provider's: only the key differs.)
	localKey, err := auth.LoadOrCreateSigningKey(e.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	local, err := auth.Mint(localKey, auth.Principal{Subject: "x", Role: auth.RoleTradeOffice}, "https://login.blitarkab.example", "temubisnis-api", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	e.doAs(local, http.MethodGet, "/v1/buyers?pageSize=1", nil).must(t, http.StatusUnauthorized)
	// Nor do the provider's tokens for another audience.
	other := sign(jwt.MapClaims{
		"iss": "https://login.blitarkab.example", "aud": "another-app", "sub": "officer-17",
		"role": "trade_office", "exp": now.Add(time.Hour).Unix(),
	})
	e.doAs(other, http.MethodGet, "/v1/buyers?pageSize=1", nil).must(t, http.StatusUnauthorized)
	// A token of the provider without a role is refused, not anonymous.
	noRole := sign(jwt.MapClaims{
		"iss": "https://login.blitarkab.example", "aud": "temubisnis-api", "sub": "someone",
		"exp": now.Add(time.Hour).Unix(),
	})
	e.doAs(noRole, http.MethodGet, "/v1/listings:search?query=koi", nil).must(t, http.StatusUnauthorized)
}
