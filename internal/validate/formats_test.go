package validate

import (
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
)

func TestStringFormats(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) bool
		ok    []string
		bad   []string
	}{
		{"ResourceID", ResourceID,
			[]string{"a", "jimbe-jaya-nglegok", "k7", "a" + strings.Repeat("b", 62)},
			[]string{"", "7k", "Jimbe", "jimbe_jaya", "jimbe-", "-jimbe", "a" + strings.Repeat("b", 63), "jimbe jaya"}},
		{"RequestID", RequestID,
			[]string{"a", "2f1e0c9a-7b3d-4e59-9a51-0c3f5e8d2b71", "retry.1_A", strings.Repeat("x", 64)},
			[]string{"", strings.Repeat("x", 65), "has space", "a/b", "é"}},
		{"CountryCode", CountryCode,
			[]string{"ID", "JP", "US", "CN", "TW", "HK", "MY", "GB", "DE", "XK"},
			[]string{"", "XX", "EU", "zz", "ZZ", "jp", "Jp", "JPN", "UK", "YU", "SU", "AN", "ZR", "EA", "UN", "QO", "001", "J"}},
		{"HSCode", HSCode,
			[]string{"9206", "920600", "92060020", "0301119100"},
			[]string{"", "92", "920", "92060", "9206.00", "92060020000", "920a", " 9206"}},
		{"HSPrefix", HSPrefix,
			[]string{"92", "030", "0301", "0301119100"},
			[]string{"", "9", "03011191000", "03.01", "abc"}},
		{"NIB", NIB,
			[]string{"9120001234567", "0000000000000"},
			[]string{"", "912000123456", "91200012345678", "912000123456O", "9120-00123456"}},
		{"E164", E164,
			[]string{"+6281234567890", "+62342801234", "+81661234567", "+12125550143", "+85291234567", "+8613812345678"},
			[]string{"", "6281234567890", "081234567890", "+62 812 3456 7890", "+62-812-3456-7890", "+62081234567890", "+0123", "+62812", "+999123456789", "+8190123456789"}},
		{"Email", Email,
			[]string{"sales@jimbejaya.co.id", "Tanaka.H@example.jp", "a+b@x.io"},
			[]string{"", "sales", "sales@", "@x.id", "Sales <sales@x.id>", "<sales@x.id>", "sales@localhost", "a@[10.0.0.1]", "a@b.c.", " a@b.co", "a@b.co ", strings.Repeat("a", 250) + "@x.id"}},
		{"URI", URI,
			[]string{"https://jimbejaya.co.id", "http://x.id/a?b=c#d", "HTTPS://X.ID/", "https://x.id:8443/p"},
			[]string{"", "jimbejaya.co.id", "//x.id", "ftp://x.id", "mailto:a@x.id", "https://", "https:///path", "http://:80", "https://u:p@x.id", "https://x.id/a b", "https://x.id/\n", "https://x.id/" + strings.Repeat("a", 2048)}},
		{"LanguageCode", LanguageCode,
			[]string{"id", "en", "zh", "jv", "ja", "zh-TW", "en-US", "zh-Hant"},
			[]string{"", "xx", "und", "x-private", "english", "e", "en_US!", strings.Repeat("en-", 20) + "US"}},
		{"CertificationType", CertificationType,
			[]string{"CKIB", "ISPM15", "HK_FOOD_IMPORTER", "PQ", "A" + strings.Repeat("B", 39)},
			[]string{"", "C", "ckib", "1SO", "_CKIB", "FISH-HEALTH", "FISH HEALTH", "A" + strings.Repeat("B", 40)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, s := range tt.ok {
				if !tt.check(s) {
					t.Errorf("%s(%q) = false, want true", tt.name, s)
				}
			}
			for _, s := range tt.bad {
				if tt.check(s) {
					t.Errorf("%s(%q) = true, want false", tt.name, s)
				}
			}
		})
	}
}

// TestCountryCodeCount pins how many codes CountryCode accepts: ISO 3166-1's
// 249 countries plus XK. A change of x/text that widens or narrows the set
// shows up here.
func TestCountryCodeCount(t *testing.T) {
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if CountryCode(string([]rune{a, b})) {
				n++
			}
		}
	}
	if n != 250 {
		t.Errorf("CountryCode accepts %d codes, want 250 (249 ISO 3166-1 countries and XK)", n)
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		name string
		d    *date.Date
		want bool
	}{
		{"nil", nil, false},
		{"ordinary", ymd(2025, 11, 3), true},
		{"leap day", ymd(2024, 2, 29), true},
		{"29 February in a common year", ymd(2025, 2, 29), false},
		{"30 February", ymd(2025, 2, 30), false},
		{"31 April", ymd(2025, 4, 31), false},
		{"first day", ymd(1, 1, 1), true},
		{"last day", ymd(9999, 12, 31), true},
		{"year zero", ymd(0, 5, 1), false},
		{"year 10000", ymd(10000, 1, 1), false},
		{"month zero", ymd(2025, 0, 1), false},
		{"month 13", ymd(2025, 13, 1), false},
		{"day zero", ymd(2025, 5, 0), false},
		{"day 32", ymd(2025, 1, 32), false},
		{"negative day", ymd(2025, 1, -1), false},
		{"all zero", &date.Date{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Date(tt.d); got != tt.want {
				t.Errorf("Date(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}
