package query

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/types/descriptorpb"
)

// The field-type enum stands in for an API enum; the package only needs a
// descriptor.
var schema = Schema{
	"district":              {Kind: String},
	"kind":                  {Kind: Enum, Enum: descriptorpb.FieldDescriptorProto_TYPE_STRING.Descriptor()},
	"hs_code":               {Kind: String, Prefix: true, Check: func(s string) bool { return len(s) >= 4 }},
	"ship_to_country_codes": {Kind: Country, Repeated: true, Check: func(s string) bool { return s == "JP" || s == "US" }},
	"exports_in_own_name":   {Kind: Bool},
	"year":                  {Kind: Int},
}

func TestParse(t *testing.T) {
	tests := []struct {
		filter string
		want   []Condition
	}{
		{"", nil},
		{`district = "Nglegok"`, []Condition{{Field: "district", Op: Eq, Value: "Nglegok"}}},
		{`district="Nglegok" AND exports_in_own_name = true`, []Condition{
			{Field: "district", Op: Eq, Value: "Nglegok"},
			{Field: "exports_in_own_name", Op: Eq, Value: true},
		}},
		{`hs_code = "0301*"`, []Condition{{Field: "hs_code", Op: Eq, Value: "0301", Prefix: true}}},
		{`ship_to_country_codes:jp`, []Condition{{Field: "ship_to_country_codes", Op: Has, Value: "JP"}}},
		{`kind != type_string`, []Condition{{Field: "kind", Op: Ne, Value: "TYPE_STRING"}}},
		{`year >= 2021 AND year < 2025`, []Condition{
			{Field: "year", Op: Ge, Value: int64(2021)},
			{Field: "year", Op: Lt, Value: int64(2025)},
		}},
		{`district = 'Garum'`, []Condition{{Field: "district", Op: Eq, Value: "Garum"}}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			got, err := Parse(tt.filter, schema)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, filter := range []string{
		`colour = "red"`,
		`district = "A" OR district = "B"`,
		`(district = "A")`,
		`district`,
		`district =`,
		`district = "Nglegok`,
		`exports_in_own_name = maybe`,
		`year = ten`,
		`kind = SOMETHING`,
		`district = "Ngl*"`,
		`hs_code != "03*"`,
		`ship_to_country_codes = "FR"`,
		`district : "x"`,
		`district < "x"`,
		`district = "a" district = "b"`,
		`NOT district = "a"`,
		`hs_code = "03*01"`,
	} {
		t.Run(filter, func(t *testing.T) {
			_, err := Parse(filter, schema)
			var qe *Error
			if !errors.As(err, &qe) {
				t.Fatalf("Parse(%q) error = %v, want *Error", filter, err)
			}
		})
	}
}

func TestPageToken(t *testing.T) {
	fp := Fingerprint("ListListings", "producers/-", `category = FOOD`)
	tok := EncodePageToken("producers/a/listings/b", fp)
	after, err := DecodePageToken(tok, fp)
	if err != nil || after != "producers/a/listings/b" {
		t.Fatalf("DecodePageToken = %q, %v", after, err)
	}
	if after, err := DecodePageToken("", fp); err != nil || after != "" {
		t.Fatalf("empty token = %q, %v", after, err)
	}
	other := Fingerprint("ListListings", "producers/-", `category = OTHER`)
	if _, err := DecodePageToken(tok, other); err == nil {
		t.Fatal("token accepted for another filter")
	}
	for _, bad := range []string{"!!!", "bm90IGpzb24", tok + "x"} {
		if _, err := DecodePageToken(bad, fp); err == nil {
			t.Fatalf("token %q accepted", bad)
		}
	}
}
