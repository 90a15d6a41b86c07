package auth

import (
	"errors"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// FuzzVerify: no string is accepted as a token unless signed by a trusted
// key, none makes Verify panic, and every refusal wraps ErrUnauthenticated
// without quoting the token. The seeds include valid tokens and the
// duplicate-claim trick of issue 10 item 7. Run longer with
// go test ./internal/auth -run '^$' -fuzz FuzzVerify.
func FuzzVerify(f *testing.F) {
	v := newVerifier(f, VerifierOptions{KeyFile: defaultKeyFile(f)})
	good := sign(f, jwt.SigningMethodEdDSA, edKey(), "", claims(nil))
	f.Add(good)
	f.Add(sign(f, jwt.SigningMethodRS256, rsaKey(), "", claims(map[string]any{"role": "trade_office", "resource": nil})))
	f.Add(sign(f, jwt.SigningMethodEdDSA, edKey(), "", claims(map[string]any{"ROLE": "trade_office"})))
	f.Add(handMade(f, map[string]any{"alg": "none"}, claims(nil), nil))
	f.Add("a.b.c")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		p, err := v.Verify(token)
		if err == nil {
			// Only a token signed by our keys can pass; the fuzzer cannot
			// forge one, so an accepted token must be a seed's bytes.
			if p.Subject == "" || !strings.Contains(token, ".") {
				t.Fatalf("accepted %q as %+v", token, p)
			}
			return
		}
		if !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("refusal %v does not wrap ErrUnauthenticated", err)
		}
		if len(token) > 16 && strings.Contains(err.Error(), token) {
			t.Fatalf("refusal quotes the token")
		}
	})
}

// FuzzParseJWKS: no document makes the key set parser panic, and every key
// it returns has an id and a key.
func FuzzParseJWKS(f *testing.F) {
	f.Add(jwkSet(okpJWK("k1", edPub(edKey()))))
	f.Add(jwkSet(rsaJWK("k2", "RS256", &rsaKey().PublicKey), ecJWK("k3", &ecKey().PublicKey)))
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"","y":""}]}`))
	f.Add([]byte(`{"keys":null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		keys, _, err := parseJWKS(doc)
		if err != nil {
			return
		}
		for _, k := range keys {
			if k.key == nil {
				t.Fatalf("key without key material: %+v", k)
			}
		}
	})
}
