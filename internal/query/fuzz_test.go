package query

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse: no filter makes the parser panic, hang or accept a field the
// schema does not have; a refusal is always the package's own error (which
// the API turns into a field violation). Run longer with
// go test ./internal/query -run '^$' -fuzz FuzzParse -fuzztime 1m
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		``, `district = "Garum"`, `kind = TYPE_STRING AND year >= 2020`, `hs_code = "9206*"`,
		`ship_to_country_codes = "JP" AND exports_in_own_name = true`, `district = "Garum" OR district = "Wlingi"`,
		`(district = "x")`, `year = 99999999999999999999`, `district = "unterminated`, `district = 'single'`,
		`NOT district = "x"`, `district != "x" AND district != "y"`, "district = \"\xff\"", `= = =`, `district`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		conds, err := Parse(filter, schema)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse(%q): error of type %T: %v", filter, err, err)
			}
			return
		}
		for _, c := range conds {
			if _, ok := schema[c.Field]; !ok {
				t.Fatalf("Parse(%q) accepted unknown field %q", filter, c.Field)
			}
			if s, ok := c.Value.(string); ok && !utf8.ValidString(s) {
				t.Fatalf("Parse(%q) accepted a value that is not UTF-8: %q", filter, s)
			}
		}
	})
}

// FuzzPageToken: a token round-trips with its query's fingerprint, is
// refused with another, and no string makes DecodePageToken panic.
func FuzzPageToken(f *testing.F) {
	f.Add("producers/kendang-jaya", "fp1", "eyJhIjoiYiJ9")
	f.Add("", "", "")
	f.Add("producers/\x00", "fp", "!!!")
	f.Fuzz(func(t *testing.T, after, query, raw string) {
		// Fingerprints are what Fingerprint makes of the query, as in use.
		fingerprint := Fingerprint(query)
		if after != "" && utf8.ValidString(after) {
			got, err := DecodePageToken(EncodePageToken(after, fingerprint), fingerprint)
			if err != nil || got != after {
				t.Fatalf("round trip of %q: %q, %v", after, got, err)
			}
			if _, err := DecodePageToken(EncodePageToken(after, fingerprint), fingerprint+"x"); err == nil {
				t.Fatalf("token for %q accepted with another fingerprint", after)
			}
		}
		_, _ = DecodePageToken(raw, fingerprint)
	})
}
