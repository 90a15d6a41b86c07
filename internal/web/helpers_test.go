package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/adiekspor/temubisnis/internal/auth"
)

func TestParseAndFormatMoney(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, currency, shown string
		bad                 bool
	}{
		{"12.5", "USD", "$12.50", false},
		{"1,250", "USD", "$1,250.00", false},
		{"0.000000001", "USD", "$0.00", false},
		{"1800", "TWD", "NT$1,800.00", false},
		{"1200", "JPY", "¥1,200", false},
		{"-1", "USD", "", true},
		{"1e3", "USD", "", true},
		{"abc", "USD", "", true},
		{"0.0000000001", "USD", "", true},
		{"99999999999999999999", "USD", "", true},
	} {
		m, err := parseMoney(tc.in, tc.currency)
		if (err != nil) != tc.bad {
			t.Errorf("parseMoney(%q): err %v, want bad=%v", tc.in, err, tc.bad)
			continue
		}
		if tc.bad {
			continue
		}
		if got := formatMoney(langEnglish, m); got != tc.shown {
			t.Errorf("%q %s shown as %q, want %q", tc.in, tc.currency, got, tc.shown)
		}
	}
	// Rp 12.5 billion, the programme's 2024 exports: units times 1e9 would
	// overflow int64.
	if got := formatMoney(langEnglish, &money.Money{CurrencyCode: "IDR", Units: 12_500_000_000}); !strings.HasSuffix(got, "12,500,000,000.00") && !strings.HasSuffix(got, "12,500,000,000") {
		t.Errorf("Rp 12.5 billion shown as %q", got)
	}
	for lang, want := range map[language.Tag]string{langJA: "￥1,200", langZhHans: "JP¥1,200"} {
		if got := formatMoney(lang, &money.Money{CurrencyCode: "JPY", Units: 1200}); got != want {
			t.Errorf("yen in %s shown as %q, want %q", lang, got, want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/dashboard":            "/dashboard",
		"/matches?state=OPEN":   "/matches?state=OPEN",
		"":                      "",
		"https://evil.example/": "",
		"//evil.example/":       "",
		"/\\evil.example":       "",
		"javascript:alert(1)":   "",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFieldErrors(t *testing.T) {
	t.Parallel()
	st, _ := status.New(codes.InvalidArgument, "bad").WithDetails(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
		{Field: "listing.hs_code", Description: "must start with 92"},
		{Field: "listing.price_min.units", Description: "is negative"},
		{Field: "listing.ship_to_country_codes[1]", Description: `"XX" is not a country`},
		{Field: "listing.attributes", Description: "too many"},
	}})
	got, ok := fieldErrors(st.Err(), listingFields)
	if !ok {
		t.Fatal("not recognised as field errors")
	}
	want := map[string]string{
		"hs_code":               "must start with 92",
		"price_min":             "is negative",
		"ship_to_country_codes": `"XX" is not a country`,
		"":                      "listing.attributes too many",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %q: %q, want %q", k, got[k], v)
		}
	}
	if _, ok := fieldErrors(status.Error(codes.NotFound, "x"), listingFields); ok {
		t.Error("NOT_FOUND taken for field errors")
	}
}

func TestSessionsExpireAndEvict(t *testing.T) {
	t.Parallel()
	s := newSessions(2)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	a := s.add(&session{expires: now.Add(time.Hour)})
	b := s.add(&session{expires: now.Add(2 * time.Hour)})
	if a.id == b.id || a.csrf == b.csrf || len(a.id) < 40 {
		t.Fatalf("ids not random: %q %q", a.id, b.id)
	}
	c := s.add(&session{expires: now.Add(3 * time.Hour)})
	if got, _ := s.get(a.id); got != nil {
		t.Error("the session closest to its end was not evicted when full")
	}
	now = now.Add(150 * time.Minute)
	if got, expired := s.get(b.id); got != nil || !expired {
		t.Errorf("expired session: got %v, expired %v", got, expired)
	}
	if got, _ := s.get(c.id); got == nil {
		t.Error("live session lost")
	}
}

// testWeb is a web app whose API is never reached (nothing listens).
func testWeb(t *testing.T) *Web {
	t.Helper()
	conn, err := grpc.NewClient("127.0.0.1:1", grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	w, err := New(context.Background(), Options{
		Conn:     conn,
		Metadata: func(*http.Request) metadata.MD { return metadata.MD{} },
		Verifier: fakeVerifier{},
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

type fakeVerifier struct{}

func (fakeVerifier) Verify(string) (auth.Principal, error) { return auth.Principal{}, nil }

// TestExpiredSessionPage: a session that ran out gets a page that says so
// and offers to sign in again, and the cookie is cleared.
func TestExpiredSessionPage(t *testing.T) {
	t.Parallel()
	w := testWeb(t)
	sess := w.sessions.add(&session{token: "x", principal: auth.Principal{Role: auth.RoleProducer, Resource: "producers/a"}, expires: time.Now().Add(-time.Minute)})
	req := httptest.NewRequest("GET", "/dashboard", nil)
	req.Header.Set("Accept-Language", "id")
	req.AddCookie(&http.Cookie{Name: "tb_session", Value: sess.id})
	rec := httptest.NewRecorder()
	w.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusUnauthorized || !strings.Contains(body, "Sesi Anda telah berakhir") || !strings.Contains(body, `href="/signin?next=%2fdashboard"`) {
		t.Errorf("status %d, body:\n%s", rec.Code, body)
	}
	if c := rec.Result().Cookies(); len(c) == 0 || c[0].Name != "tb_session" || c[0].MaxAge >= 0 {
		t.Errorf("session cookie not cleared: %v", c)
	}
}

// TestCrossOriginPostRefused: a form posted from another site is refused
// by Fetch metadata even with a valid CSRF token.
func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	w := testWeb(t)
	sess := w.sessions.add(&session{token: "x", principal: auth.Principal{Role: auth.RoleBuyer, Resource: "buyers/b"}, expires: time.Now().Add(time.Hour)})
	req := httptest.NewRequest("POST", "/requests/new", strings.NewReader("csrf="+sess.csrf+"&title=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(&http.Cookie{Name: "tb_session", Value: sess.id})
	rec := httptest.NewRecorder()
	w.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "Form expired") {
		t.Errorf("cross-site post: %d\n%s", rec.Code, rec.Body.String())
	}
}
