package validate

import (
	"slices"
	"testing"
)

func TestDistricts(t *testing.T) {
	if len(Districts) != 22 {
		t.Fatalf("len(Districts) = %d, want the 22 kecamatan", len(Districts))
	}
	if !slices.IsSorted(Districts) {
		t.Error("Districts are not in alphabetical order")
	}
	// A "did you mean" must never point from one real district to another.
	for i, a := range Districts {
		for _, b := range Districts[i+1:] {
			if d := editDistance(lower(a), lower(b)); d <= maxSuggestDistance {
				t.Errorf("%s and %s are only %d edits apart", a, b, d)
			}
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestDistrict(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"Nglegok", "Nglegok", true},
		{"nglegok", "Nglegok", true},
		{"  GARUM ", "Garum", true},
		{"kanigoro", "Kanigoro", true},
		{"Wonotirto", "Wonotirto", true},
		{"Ngelgok", "", false},
		// Kota Blitar, the city, is a place of business too (audit, item 11).
		{"Kota Blitar", "Kota Blitar", true},
		{" kota blitar", "Kota Blitar", true},
		{"Blitar City", "Kota Blitar", true},
		// The programme's own article spells Nglegok "Ngelegok".
		{"Ngelegok", "Nglegok", true},
		{"ngelegok ", "Nglegok", true},
		{"Sukorejo", "", false}, // a kecamatan of Kota Blitar: name the city instead
		{"Blitar", "", false},   // the regency or the city? ambiguous
		{"", "", false},
		{"Garum Kanigoro", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := District(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("District(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
	for _, d := range Districts {
		if got, ok := District(d); !ok || got != d {
			t.Errorf("District(%q) = %q, %v; want itself", d, got, ok)
		}
	}
}

// Aliases and Kota Blitar must not sit within typo distance of a real
// district either, or a "did you mean" could point the wrong way.
func TestDistrictAliases(t *testing.T) {
	for alias, canonical := range districtAliases {
		if _, ok := District(canonical); !ok {
			t.Errorf("alias %q means %q, which is not a place", alias, canonical)
		}
		for _, d := range Places {
			if d != canonical && editDistance(alias, lower(d)) <= maxSuggestDistance {
				t.Errorf("alias %q is within %d edits of %s", alias, maxSuggestDistance, d)
			}
		}
	}
	for _, d := range Districts {
		if editDistance(lower(KotaBlitar), lower(d)) <= maxSuggestDistance {
			t.Errorf("Kota Blitar is within typo distance of %s", d)
		}
	}
}

func TestSuggestDistrict(t *testing.T) {
	tests := map[string]string{
		"Ngelgok":     "Nglegok",
		"Ponggk":      "Ponggok",
		"wlinggi":     "Wlingi",
		"Sanan Kulon": "Sanankulon",
		"Surabaya":    "",
		"":            "",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := suggestDistrict(in); got != want {
				t.Errorf("suggestDistrict(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"nglegok", "nglegok", 0},
		{"ngelgok", "nglegok", 1}, // one swap
		{"garum", "garam", 1},
		{"talun", "talung", 1},
		{"doko", "bakung", 5},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
