package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"
)

// testIdP is a small OpenID Connect provider: discovery, JWKS, an authorize
// endpoint that signs the user in at once, and a token endpoint that checks
// the code, the client and the PKCE verifier.
type testIdP struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	mu     sync.Mutex
	codes  map[string]grant
	claims map[string]any // the user's API claims (role, resource)
	// exchanged counts successful code exchanges.
	exchanged int
}

type grant struct {
	challenge, nonce, redirect, clientID string
}

func newTestIdP(t *testing.T, claims map[string]any) *testIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	idp := &testIdP{t: t, key: key, codes: map[string]grant{}, claims: claims}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                idp.srv.URL,
			"authorization_endpoint":                idp.srv.URL + "/authorize",
			"token_endpoint":                        idp.srv.URL + "/token",
			"jwks_uri":                              idp.srv.URL + "/jwks",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"code_challenge_methods_supported":      []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
			http.Error(w, "bad authorization request: "+r.URL.RawQuery, http.StatusBadRequest)
			return
		}
		code := base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
		idp.mu.Lock()
		idp.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri"), clientID: q.Get("client_id")}
		idp.mu.Unlock()
		http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		idp.mu.Lock()
		g, ok := idp.codes[r.PostForm.Get("code")]
		delete(idp.codes, r.PostForm.Get("code"))
		idp.mu.Unlock()
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		clientID, _, _ := r.BasicAuth()
		if clientID == "" {
			clientID = r.PostForm.Get("client_id")
		}
		switch {
		case !ok:
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
			http.Error(w, `{"error":"invalid_grant","error_description":"PKCE verifier does not match"}`, http.StatusBadRequest)
			return
		case r.PostForm.Get("redirect_uri") != g.redirect || clientID != g.clientID:
			http.Error(w, `{"error":"invalid_client"}`, http.StatusBadRequest)
			return
		}
		now := time.Now()
		idToken := idp.sign(jwt.MapClaims{"iss": idp.srv.URL, "aud": g.clientID, "sub": "user-1", "nonce": g.nonce, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()})
		access := jwt.MapClaims{"iss": idp.srv.URL, "aud": "temubisnis", "sub": "user-1", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
		for k, v := range idp.claims {
			access[k] = v
		}
		idp.mu.Lock()
		idp.exchanged++
		idp.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": idp.sign(access), "id_token": idToken, "token_type": "Bearer", "expires_in": 3600})
	})
	idp.srv = httptest.NewServer(mux)
	t.Cleanup(idp.srv.Close)
	return idp
}

func (idp *testIdP) sign(c jwt.MapClaims) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(idp.key)
	if err != nil {
		idp.t.Fatal(err)
	}
	return s
}

// freePort reserves a loopback port for the server, whose redirect URL must
// be known before it starts.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestOpenIDConnectSignIn: the web app signs a buyer in at the identity
// provider (code flow with PKCE), the session acts with the provider's
// access token, which the API verifies against the provider's JWKS; a
// callback without the state the browser started with is refused.
func TestOpenIDConnectSignIn(t *testing.T) {
	t.Parallel()
	idp := newTestIdP(t, map[string]any{"role": "buyer", "resource": "buyers/heartland-drum-supply"})
	addr := freePort(t)
	s := startApp(t, "-http-addr", addr,
		"-auth-jwks-url", idp.srv.URL+"/jwks", "-auth-issuer", idp.srv.URL, "-auth-audience", "temubisnis",
		"-oidc-issuer-url", idp.srv.URL, "-oidc-client-id", "temubisnis-web", "-oidc-client-secret", "s3cret",
		"-oidc-redirect-url", "http://"+addr+"/signin/callback")
	c := client(t)
	c.CheckRedirect = nil // follow the round trip through the provider, as a browser does
	code, page := get(t, c, s.base+"/signin")
	if code != http.StatusOK || !strings.Contains(page, `id="oidc-signin"`) || strings.Contains(page, `id="account"`) {
		t.Fatalf("sign-in page with a provider: %d\n%s", code, page)
	}
	resp, err := c.PostForm(s.base+"/signin", url.Values{"csrf": {csrfOf(t, page)}, "next": {"/matches"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/matches" {
		t.Fatalf("after the provider: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	_, page = get(t, c, s.base+"/requests")
	if !strings.Contains(page, `<span class="who">Heartland Drum Supply`) {
		t.Errorf("not signed in as the buyer:\n%s", page)
	}
	if idp.exchanged != 1 {
		t.Errorf("%d code exchanges, want 1", idp.exchanged)
	}

	// A callback the browser did not start (no state cookie) is refused.
	other := client(t)
	code, page = get(t, other, s.base+"/signin/callback?code=x&state=y")
	if code != http.StatusForbidden || strings.Contains(page, `class="who"`) {
		t.Errorf("forged callback: %d", code)
	}
}
