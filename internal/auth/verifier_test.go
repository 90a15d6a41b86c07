package auth

import (
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/adiekspor/temubisnis/internal/testclock"
)

func TestMintedTokenVerifies(t *testing.T) {
	v := newVerifier(t, VerifierOptions{KeyFile: defaultKeyFile(t)})
	tests := []struct {
		name string
		p    Principal
	}{
		{"producer", Principal{Subject: "u-101", Role: RoleProducer, Resource: "producers/kendang-makmur"}},
		{"buyer", Principal{Subject: "u-202", Role: RoleBuyer, Resource: "buyers/causeway-nusantara-foods"}},
		{"trade office", Principal{Subject: "staff-7", Role: RoleTradeOffice}},
		{"service", Principal{Subject: "svc-reports", Role: RoleService, Methods: []string{
			"/temubisnis.v1.SearchService/SearchListings",
			"/temubisnis.v1.MatchService/ListMatches",
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := Mint(edKey(), tt.p, testIssuer, testAudience, time.Hour, t0)
			if err != nil {
				t.Fatalf("Mint: %v", err)
			}
			got, err := v.Verify(tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if diff := cmp.Diff(tt.p, got); diff != "" {
				t.Errorf("principal (-minted +verified):\n%s", diff)
			}
		})
	}
}

func TestMintHeader(t *testing.T) {
	tok, err := Mint(edKey(), Principal{Subject: "s", Role: RoleTradeOffice}, testIssuer, testAudience, time.Minute, t0)
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"alg": "EdDSA", "typ": "JWT", "kid": kidOf(t, edKey().Public())}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if len(h["kid"].(string)) != 11 {
		t.Errorf("kid %q is not 8 bytes in base64url", h["kid"])
	}
}

func TestMintRefuses(t *testing.T) {
	producer := Principal{Subject: "u", Role: RoleProducer, Resource: "producers/p"}
	tests := []struct {
		name     string
		key      []byte
		p        Principal
		iss, aud string
		ttl      time.Duration
		want     string
	}{
		{"short key", edKey()[:10], producer, testIssuer, testAudience, time.Hour, "malformed Ed25519 key"},
		{"no issuer", edKey(), producer, "", testAudience, time.Hour, "issuer and audience"},
		{"no audience", edKey(), producer, testIssuer, "", time.Hour, "issuer and audience"},
		{"zero ttl", edKey(), producer, testIssuer, testAudience, 0, "lifetime"},
		{"negative ttl", edKey(), producer, testIssuer, testAudience, -time.Hour, "lifetime"},
		{"anonymous", edKey(), Principal{Subject: "u"}, testIssuer, testAudience, time.Hour, "unknown role"},
		{"no subject", edKey(), Principal{Role: RoleTradeOffice}, testIssuer, testAudience, time.Hour, "missing subject"},
		{"producer without resource", edKey(), Principal{Subject: "u", Role: RoleProducer}, testIssuer, testAudience, time.Hour, "producers/{id}"},
		{"service without methods", edKey(), Principal{Subject: "u", Role: RoleService}, testIssuer, testAudience, time.Hour, "needs methods"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := Mint(tt.key, tt.p, tt.iss, tt.aud, tt.ttl, t0)
			if err == nil {
				t.Fatalf("Mint gave a token: %s", tok)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want %q", err, tt.want)
			}
		})
	}
}

// TestVerifyRefuses is the list of tokens that must never get in. Each case
// names the reason it must be refused for, so that a case cannot pass by
// being refused for something else (a fixture mistake, say).
func TestVerifyRefuses(t *testing.T) {
	v := newVerifier(t, VerifierOptions{KeyFile: defaultKeyFile(t)})
	edKid := kidOf(t, edKey().Public())
	rsaKid := kidOf(t, rsaKey().Public())
	good := func() string { return sign(t, jwt.SigningMethodEdDSA, edKey(), edKid, claims(nil)) }
	with := func(o map[string]any) string { return sign(t, jwt.SigningMethodEdDSA, edKey(), edKid, claims(o)) }
	hmacWith := func(method jwt.SigningMethod, secret []byte) string {
		return sign(t, method, secret, edKid, claims(nil))
	}
	edPubPEM := pemPublic(t, edKey().Public())
	rsaPubPEM := pemPublic(t, rsaKey().Public())

	tests := []struct {
		name   string
		token  func() string
		reason string
	}{
		{"tampered payload", func() string {
			parts := strings.Split(good(), ".")
			forged, _ := json.Marshal(claims(map[string]any{"role": "trade_office", "resource": nil}))
			parts[1] = base64.RawURLEncoding.EncodeToString(forged)
			return strings.Join(parts, ".")
		}, "invalid signature"},
		{"tampered signature", func() string {
			parts := strings.Split(good(), ".")
			sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
			sig[len(sig)/2] ^= 0x01
			parts[2] = base64.RawURLEncoding.EncodeToString(sig)
			return strings.Join(parts, ".")
		}, "invalid signature"},
		{"signature of another token", func() string {
			a := strings.Split(good(), ".")
			b := strings.Split(with(map[string]any{"sub": "user-2"}), ".")
			return a[0] + "." + a[1] + "." + b[2]
		}, "invalid signature"},
		{"expired", func() string {
			return with(map[string]any{"iat": t0.Add(-2 * time.Hour).Unix(), "exp": t0.Add(-time.Hour).Unix()})
		}, "token expired"},
		{"expired this second", func() string { return with(map[string]any{"exp": t0.Unix()}) }, "token expired"},
		{"not yet valid", func() string { return with(map[string]any{"nbf": t0.Add(time.Minute).Unix()}) }, "token not valid yet"},
		{"issued in the future", func() string { return with(map[string]any{"iat": t0.Add(time.Minute).Unix()}) }, "issued in the future"},
		{"wrong issuer", func() string { return with(map[string]any{"iss": "https://evil.example"}) }, "wrong issuer"},
		{"missing issuer", func() string { return with(map[string]any{"iss": nil}) }, "missing issuer"},
		{"wrong audience", func() string { return with(map[string]any{"aud": "another-service"}) }, "wrong audience"},
		{"wrong audiences", func() string { return with(map[string]any{"aud": []string{"a", "b"}}) }, "wrong audience"},
		{"missing audience", func() string { return with(map[string]any{"aud": nil}) }, "missing audience"},
		{"missing exp", func() string { return with(map[string]any{"exp": nil}) }, "missing expiry"},
		{"exp not a number", func() string { return with(map[string]any{"exp": "tomorrow"}) }, "claim exp is not a number"},
		{"exp a string holding a number", func() string { return with(map[string]any{"exp": strconv.FormatInt(t0.Add(time.Hour).Unix(), 10)}) }, "claim exp is not a number"},
		{"iat a string holding a number", func() string { return with(map[string]any{"iat": strconv.FormatInt(t0.Unix(), 10)}) }, "claim iat is not a number"},
		{"nbf a string holding a number", func() string { return with(map[string]any{"nbf": strconv.FormatInt(t0.Unix(), 10)}) }, "claim nbf is not a number"},
		{"exp null", func() string { return with(map[string]any{"exp": json.RawMessage("null")}) }, "claim exp is not a number"},
		{"role in upper case beside role", func() string {
			return with(map[string]any{"role": "buyer", "resource": "buyers/b", "ROLE": "trade_office"})
		}, "repeated or in the wrong case"},
		{"role only in upper case", func() string { return with(map[string]any{"role": nil, "ROLE": "trade_office", "resource": nil}) }, "claim name \"role\" repeated or in the wrong case"},
		{"Resource beside resource", func() string { return with(map[string]any{"Resource": "producers/other"}) }, "repeated or in the wrong case"},
		{"Methods instead of methods", func() string {
			return with(map[string]any{"role": "service", "resource": nil, "Methods": []string{"/temubisnis.v1.ProducerService/VerifyProducer"}})
		}, "repeated or in the wrong case"},
		{"sub spelt with the long s", func() string { return with(map[string]any{"sub": nil, "\u017fub": "user-1"}) }, "repeated or in the wrong case"},
		{"resource with the long s beside resource", func() string {
			return with(map[string]any{"reſource": "producers/other"})
		}, "repeated or in the wrong case"},
		{"exactly duplicated role", func() string {
			parts := strings.Split(good(), ".")
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			payload = append(payload[:len(payload)-1], []byte(`,"role":"trade_office"}`)...)
			return parts[0] + "." + base64.RawURLEncoding.EncodeToString(payload) + "." + parts[2]
		}, "repeated or in the wrong case"},
		{"lifetime above the maximum", func() string {
			return with(map[string]any{"iat": t0.Add(-time.Hour).Unix(), "exp": t0.Add(DefaultMaxLifetime).Unix()})
		}, "token lifetime above 24h0m0s"},
		{"lifetime above the maximum without iat", func() string {
			return with(map[string]any{"iat": nil, "exp": t0.Add(DefaultMaxLifetime + time.Minute).Unix()})
		}, "token lifetime above"},
		{"payload an array", func() string {
			return handMade(t, map[string]any{"alg": "EdDSA"}, nil, []byte("x"))
		}, "malformed token"},
		{"missing sub", func() string { return with(map[string]any{"sub": nil}) }, "missing subject"},
		{"sub with control characters", func() string { return with(map[string]any{"sub": "u\nrole=admin"}) }, "malformed subject"},
		{"sub too long", func() string { return with(map[string]any{"sub": strings.Repeat("u", 257)}) }, "malformed subject"},
		{"missing role", func() string { return with(map[string]any{"role": nil}) }, "missing role"},
		{"unknown role", func() string { return with(map[string]any{"role": "admin"}) }, "unknown role"},
		{"role anonymous", func() string { return with(map[string]any{"role": "anonymous"}) }, "unknown role"},
		{"role in other case", func() string { return with(map[string]any{"role": "Trade_Office", "resource": nil}) }, "unknown role"},
		{"role not a string", func() string { return with(map[string]any{"role": 3}) }, "malformed token"},
		{"producer without resource", func() string { return with(map[string]any{"resource": nil}) }, "producer token needs resource"},
		{"producer bound to a buyer", func() string { return with(map[string]any{"resource": "buyers/b"}) }, "producer token needs resource"},
		{"producer bound to every producer", func() string { return with(map[string]any{"resource": "producers/-"}) }, "producer token needs resource"},
		{"producer bound to a listing", func() string {
			return with(map[string]any{"resource": "producers/p/listings/l"})
		}, "producer token needs resource"},
		{"producer resource with bad id", func() string { return with(map[string]any{"resource": "producers/Kendang_Makmur"}) }, "producer token needs resource"},
		{"buyer without resource", func() string { return with(map[string]any{"role": "buyer", "resource": nil}) }, "buyer token needs resource"},
		{"buyer bound to a producer", func() string { return with(map[string]any{"role": "buyer"}) }, "buyer token needs resource"},
		{"trade office with resource", func() string { return with(map[string]any{"role": "trade_office"}) }, "must not carry a resource"},
		{"producer with methods", func() string {
			return with(map[string]any{"methods": []string{"/temubisnis.v1.ProducerService/VerifyProducer"}})
		}, "must not carry methods"},
		{"service without methods", func() string { return with(map[string]any{"role": "service", "resource": nil}) }, "service token needs methods"},
		{"service with empty methods", func() string {
			return with(map[string]any{"role": "service", "resource": nil, "methods": []string{}})
		}, "service token needs methods"},
		{"service with wildcard method", func() string {
			return with(map[string]any{"role": "service", "resource": nil, "methods": []string{"/temubisnis.v1.ProducerService/*"}})
		}, "malformed method name"},
		{"service with REST path as method", func() string {
			return with(map[string]any{"role": "service", "resource": nil, "methods": []string{"/v1/producers"}})
		}, "malformed method name"},
		{"service with too many methods", func() string {
			var methods []string
			for i := range maxMethods + 1 {
				methods = append(methods, fmt.Sprintf("/a.S/M%d", i))
			}
			return with(map[string]any{"role": "service", "resource": nil, "methods": methods})
		}, "too many methods"},
		{"methods not an array", func() string {
			return with(map[string]any{"role": "service", "resource": nil, "methods": 7})
		}, "malformed token"},
		{"alg none, no signature", func() string {
			return handMade(t, map[string]any{"alg": "none", "typ": "JWT"}, claims(nil), nil)
		}, "signing algorithm not accepted"},
		{"alg none, valid signature kept", func() string {
			parts := strings.Split(good(), ".")
			h, _ := json.Marshal(map[string]any{"alg": "none", "typ": "JWT", "kid": edKid})
			return base64.RawURLEncoding.EncodeToString(h) + "." + parts[1] + "." + parts[2]
		}, "signing algorithm not accepted"},
		{"alg None", func() string {
			return handMade(t, map[string]any{"alg": "None"}, claims(nil), nil)
		}, "signing algorithm not accepted"},
		{"alg missing", func() string {
			return handMade(t, map[string]any{"typ": "JWT"}, claims(nil), []byte("x"))
		}, "signing algorithm not accepted"},
		{"HS256 with the Ed25519 public key PEM as secret", func() string {
			return hmacWith(jwt.SigningMethodHS256, edPubPEM)
		}, "signing algorithm not accepted"},
		{"HS256 with the raw Ed25519 public key as secret", func() string {
			return hmacWith(jwt.SigningMethodHS256, []byte(edKey().Public().(ed25519.PublicKey)))
		}, "signing algorithm not accepted"},
		{"HS256 with the RSA public key PEM as secret", func() string {
			return sign(t, jwt.SigningMethodHS256, rsaPubPEM, rsaKid, claims(nil))
		}, "signing algorithm not accepted"},
		{"HS512 with the RSA public key PEM as secret", func() string {
			return sign(t, jwt.SigningMethodHS512, rsaPubPEM, "", claims(nil))
		}, "signing algorithm not accepted"},
		{"PS384, an RSA algorithm not on the list", func() string {
			return sign(t, jwt.SigningMethodPS384, rsaKey(), rsaKid, claims(nil))
		}, "signing algorithm not accepted"},
		{"ES384 with a P-384 key", func() string {
			return sign(t, jwt.SigningMethodES384, mustEC(elliptic.P384()), "", claims(nil))
		}, "signing algorithm not accepted"},
		{"RS256 by a key not in the file", func() string {
			return sign(t, jwt.SigningMethodRS256, otherRSAKey(), "", claims(nil))
		}, "invalid signature"},
		{"RS256 by another key, naming a trusted kid", func() string {
			return sign(t, jwt.SigningMethodRS256, otherRSAKey(), rsaKid, claims(nil))
		}, "invalid signature"},
		{"PS256 by a key not in the file", func() string {
			return sign(t, jwt.SigningMethodPS256, otherRSAKey(), "", claims(nil))
		}, "invalid signature"},
		{"ES256 by a key not in the file", func() string {
			return sign(t, jwt.SigningMethodES256, otherECKey(), "", claims(nil))
		}, "invalid signature"},
		{"EdDSA by a key not in the file", func() string {
			return sign(t, jwt.SigningMethodEdDSA, otherEdKey(), edKid, claims(nil))
		}, "invalid signature"},
		{"RS256 naming the Ed25519 key's kid", func() string {
			// The kid points at a key that cannot verify RS256; the RSA
			// keys of the file are the fallback and do not match either.
			return sign(t, jwt.SigningMethodRS256, otherRSAKey(), edKid, claims(nil))
		}, "invalid signature"},
		{"critical header", func() string {
			tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims(nil))
			tok.Header["crit"] = []string{"exp"}
			s, err := tok.SignedString(edKey())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, "unsupported critical header"},
		{"kid not a string", func() string {
			tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims(nil))
			tok.Header["kid"] = 42
			s, err := tok.SignedString(edKey())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, "malformed key id"},
		{"garbage", func() string { return "not-a-token" }, "malformed token"},
		{"two segments", func() string {
			parts := strings.Split(good(), ".")
			return parts[0] + "." + parts[1]
		}, "malformed token"},
		{"header not JSON", func() string {
			parts := strings.Split(good(), ".")
			return base64.RawURLEncoding.EncodeToString([]byte("{alg")) + "." + parts[1] + "." + parts[2]
		}, "malformed token"},
		{"padded base64", func() string {
			parts := strings.Split(good(), ".")
			return parts[0] + "." + parts[1] + "." + base64.URLEncoding.EncodeToString([]byte("si"))
		}, "malformed token"},
		{"empty", func() string { return "" }, "missing token"},
		{"too large", func() string { return with(map[string]any{"pad": strings.Repeat("x", maxTokenLen)}) }, "token too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token()
			p, err := v.Verify(tok)
			wantRefused(t, p, err, tok, tt.reason)
		})
	}
}

// TestVerifyKeyFile checks every key type and encoding a key file may hold,
// with and without key ids, including ids of an external provider, which a
// PEM file cannot know.
func TestVerifyKeyFile(t *testing.T) {
	v := newVerifier(t, VerifierOptions{KeyFile: defaultKeyFile(t)})
	want := Principal{Subject: "user-1", Role: RoleProducer, Resource: "producers/kendang-makmur"}
	tests := []struct {
		name   string
		method jwt.SigningMethod
		key    any
		kid    string
	}{
		{"RS256 PKIX", jwt.SigningMethodRS256, rsaKey(), ""},
		{"RS384 PKIX", jwt.SigningMethodRS384, rsaKey(), ""},
		{"RS512 PKIX", jwt.SigningMethodRS512, rsaKey(), ""},
		{"PS256 PKIX", jwt.SigningMethodPS256, rsaKey(), ""},
		{"RS256 PKCS1", jwt.SigningMethodRS256, rsaKey2(), ""},
		{"RS256 derived kid", jwt.SigningMethodRS256, rsaKey(), kidOf(t, rsaKey().Public())},
		{"RS256 provider kid", jwt.SigningMethodRS256, rsaKey2(), "idp-2026-03"},
		{"ES256", jwt.SigningMethodES256, ecKey(), ""},
		{"ES256 derived kid", jwt.SigningMethodES256, ecKey(), kidOf(t, ecKey().Public())},
		{"EdDSA", jwt.SigningMethodEdDSA, edKey(), ""},
		{"EdDSA provider kid", jwt.SigningMethodEdDSA, edKey(), "k1"},
	}
	for _, tt := range tests {
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
}

// TestVerifyKeyTypeMismatch: an algorithm with no key of its kind in the file
// is refused before any signature check.
func TestVerifyKeyTypeMismatch(t *testing.T) {
	edOnly := newVerifier(t, VerifierOptions{KeyFile: writeFile(t, "ed.pem", pemPublic(t, edKey().Public()))})
	tests := []struct {
		name   string
		method jwt.SigningMethod
		key    any
	}{
		{"RS256", jwt.SigningMethodRS256, rsaKey()},
		{"ES256", jwt.SigningMethodES256, ecKey()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, tt.method, tt.key, "", claims(nil))
			p, err := edOnly.Verify(tok)
			wantRefused(t, p, err, tok, "no matching key")
		})
	}
}

func TestVerifyLeeway(t *testing.T) {
	v := newVerifier(t, VerifierOptions{KeyFile: defaultKeyFile(t), Leeway: time.Minute})
	tests := []struct {
		name   string
		claims map[string]any
		reason string // empty: accepted
	}{
		{"expired within leeway", map[string]any{"exp": t0.Add(-30 * time.Second).Unix()}, ""},
		{"expired beyond leeway", map[string]any{"exp": t0.Add(-2 * time.Minute).Unix()}, "token expired"},
		{"nbf within leeway", map[string]any{"nbf": t0.Add(30 * time.Second).Unix()}, ""},
		{"nbf beyond leeway", map[string]any{"nbf": t0.Add(2 * time.Minute).Unix()}, "token not valid yet"},
		{"iat within leeway", map[string]any{"iat": t0.Add(30 * time.Second).Unix()}, ""},
		{"iat beyond leeway", map[string]any{"iat": t0.Add(2 * time.Minute).Unix()}, "issued in the future"},
		{"no iat", map[string]any{"iat": nil}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := sign(t, jwt.SigningMethodEdDSA, edKey(), "", claims(tt.claims))
			p, err := v.Verify(tok)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			wantRefused(t, p, err, tok, tt.reason)
		})
	}
}

// TestVerifyClock: the verifier reads its clock per call, not once.
func TestVerifyClock(t *testing.T) {
	clock := testclock.New(t0)
	v := newVerifier(t, VerifierOptions{KeyFile: defaultKeyFile(t), Now: clock.Now})
	tok, err := Mint(edKey(), Principal{Subject: "s", Role: RoleTradeOffice}, testIssuer, testAudience, time.Hour, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	clock.Advance(time.Hour)
	p, err := v.Verify(tok)
	wantRefused(t, p, err, tok, "token expired")
}

func TestNewVerifierRejectsConfig(t *testing.T) {
	keyFile := defaultKeyFile(t)
	rsaPriv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey())})
	edDER, err := x509.MarshalPKCS8PrivateKey(edKey())
	if err != nil {
		t.Fatal(err)
	}
	edPriv := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER})
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}})
	tests := []struct {
		name string
		opts VerifierOptions
		want string
	}{
		{"no issuer", VerifierOptions{Audience: testAudience, KeyFile: keyFile}, "issuer is required"},
		{"no audience", VerifierOptions{Issuer: testIssuer, KeyFile: keyFile}, "audience is required"},
		{"no keys", VerifierOptions{Issuer: testIssuer, Audience: testAudience}, "key file or a JWKS URL"},
		{"negative leeway", VerifierOptions{Issuer: testIssuer, Audience: testAudience, KeyFile: keyFile, Leeway: -time.Second}, "leeway"},
		{"huge leeway", VerifierOptions{Issuer: testIssuer, Audience: testAudience, KeyFile: keyFile, Leeway: time.Hour}, "leeway"},
		{"missing key file", VerifierOptions{Issuer: testIssuer, Audience: testAudience, KeyFile: "/nonexistent/keys.pem"}, "read key file"},
		{"empty key file", VerifierOptions{Issuer: testIssuer, Audience: testAudience, KeyFile: writeFile(t, "k.pem")}, "no PEM public key"},
		{"JWKS saved as key file", VerifierOptions{Issuer: testIssuer, Audience: testAudience,
			KeyFile: writeFile(t, "k.pem", jwkSet(okpJWK("a", edKey().Public().(ed25519.PublicKey))))}, "no PEM public key"},
		{"RSA private key", VerifierOptions{Issuer: testIssuer, Audience: testAudience, KeyFile: writeFile(t, "k.pem", rsaPriv)}, "private key"},
		{"PKCS8 private key after a public one", VerifierOptions{Issuer: testIssuer, Audience: testAudience,
			KeyFile: writeFile(t, "k.pem", pemPublic(t, ecKey().Public()), edPriv)}, "block 2 is a private key"},
		{"certificate", VerifierOptions{Issuer: testIssuer, Audience: testAudience, KeyFile: writeFile(t, "k.pem", cert)}, "unsupported PEM type"},
		{"short RSA key", VerifierOptions{Issuer: testIssuer, Audience: testAudience,
			KeyFile: writeFile(t, "k.pem", pemPublic(t, mustRSA(1024).Public()))}, "too short"},
		{"P-384 key", VerifierOptions{Issuer: testIssuer, Audience: testAudience,
			KeyFile: writeFile(t, "k.pem", pemPublic(t, mustEC(elliptic.P384()).Public()))}, "only P-256"},
		{"trailing data", VerifierOptions{Issuer: testIssuer, Audience: testAudience,
			KeyFile: writeFile(t, "k.pem", pemPublic(t, ecKey().Public()), []byte("-----BEGIN PUBLIC"))}, "unexpected data"},
		{"corrupt block", VerifierOptions{Issuer: testIssuer, Audience: testAudience,
			KeyFile: writeFile(t, "k.pem", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("junk")}))}, "block 1"},
		{"plain http JWKS", VerifierOptions{Issuer: testIssuer, Audience: testAudience, JWKSURL: "http://id.example.com/jwks"}, "https"},
		{"ftp JWKS", VerifierOptions{Issuer: testIssuer, Audience: testAudience, JWKSURL: "ftp://127.0.0.1/jwks"}, "unsupported scheme"},
		{"relative JWKS", VerifierOptions{Issuer: testIssuer, Audience: testAudience, JWKSURL: "/jwks"}, "no host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Logger = discardLogger()
			v, err := NewVerifier(tt.opts)
			if err == nil {
				t.Fatalf("NewVerifier succeeded: %+v", v)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			// Key material must not end up in logs through the error.
			for _, secret := range []string{"MII", "MC4CAQ", "BEGIN"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes key material", err)
				}
			}
		})
	}
}
