package app_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
)

// signRaw signs a hand-written JSON payload with the service's local key,
// for payloads no JWT library would write (duplicate names, for one).
func signRaw(t *testing.T, key ed25519.PrivateKey, payload string) string {
	t.Helper()
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(`{"alg":"EdDSA","typ":"JWT"}`)) + "." + enc.EncodeToString([]byte(payload))
	sig, err := jwt.SigningMethodEdDSA.Sign(signing, key)
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

// TestTokenClaimsAreReadCaseSensitively is issue 10 item 7 over REST: a
// token signed by the trusted key whose claims repeat a name in another case
// ("role":"buyer" then "ROLE":"trade_office") was accepted as the trade
// office. Such tokens, tokens living longer than the configured maximum and
// tokens whose exp is a string are refused with 401, while the same token
// without the trick gets in.
func TestTokenClaimsAreReadCaseSensitively(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo, args: []string{"-max-token-lifetime", "2h"}})
	key, err := auth.LoadOrCreateSigningKey(e.dataDir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	base := fmt.Sprintf(`"iss":"temubisnis-local","aud":"temubisnis","sub":"mallory","iat":%d`, now.Add(-time.Minute).Unix())
	exp := fmt.Sprintf(`"exp":%d`, now.Add(time.Hour).Unix())
	buyer := `"role":"buyer","resource":"buyers/heartland-drum-supply"`
	tests := []struct {
		name, payload string
		want          int
	}{
		{"plain buyer token", "{" + base + "," + exp + "," + buyer + "}", http.StatusForbidden},
		{"ROLE after role", "{" + base + "," + exp + "," + buyer + `,"ROLE":"trade_office","Resource":""}`, http.StatusUnauthorized},
		{"Role alone", "{" + base + "," + exp + `,"Role":"trade_office"}`, http.StatusUnauthorized},
		{"role twice", "{" + base + "," + exp + `,"role":"buyer","role":"trade_office"}`, http.StatusUnauthorized},
		{"exp a string", "{" + base + `,"exp":"` + fmt.Sprint(now.Add(time.Hour).Unix()) + `",` + buyer + "}", http.StatusUnauthorized},
		{"lifetime above the maximum", "{" + base + fmt.Sprintf(`,"exp":%d,`, now.Add(3*time.Hour).Unix()) + buyer + "}", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := signRaw(t, key, tt.payload)
			// The audit trail is the trade office's alone: a buyer gets
			// 403, a refused token 401.
			r := e.doAs(tok, http.MethodGet, "/v1/auditEvents", nil).must(t, tt.want)
			if tt.want == http.StatusUnauthorized && !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("no Bearer challenge: %v", r.header)
			}
		})
	}
}
