package requirement

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func prefixed(ids ...string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = "requirements/" + id
	}
	return out
}

// Lookups of the seed catalogue for every commodity and market of FACTS.md,
// in the documented order.
func TestApplicableCatalogue(t *testing.T) {
	all := Catalogue()
	tests := []struct {
		name     string
		hs       string
		category pb.Category
		dest     string
		want     []string
		unconf   bool
	}{
		{"koi to the US", "03011191", pb.Category_ORNAMENTAL_FISH, "US", prefixed(
			"koi-us-aphis-permit", "koi-us-health-certificate", "koi-us-port-notice", // 030111, US
			"fish-us-usfws-declaration", "fish-us-usfws-licence", // 0301, US
			"fish-exit-ckib", "fish-exit-health-certificate", // 0301, exit side
			"exit-peb-ornamental-fish", "origin-ska-ornamental-fish", "packaging-ispm15-ornamental-fish", // category only
		), true},
		// Japan: the MAFF permit, and health conditions nobody has confirmed
		// for Indonesian koi (audit, item 1).
		{"koi to Japan", "030111", pb.Category_ORNAMENTAL_FISH, "JP", prefixed(
			"koi-jp-health-conditions", "koi-jp-import-permit",
			"fish-exit-ckib", "fish-exit-health-certificate",
			"exit-peb-ornamental-fish", "origin-ska-ornamental-fish", "packaging-ispm15-ornamental-fish",
		), true},
		{"koi to Malaysia: exit side only", "03011191", pb.Category_ORNAMENTAL_FISH, "MY", prefixed(
			"fish-exit-ckib", "fish-exit-health-certificate", "exit-peb-ornamental-fish", "origin-ska-ornamental-fish", "packaging-ispm15-ornamental-fish",
		), true},
		{"plants to the US", "060290", pb.Category_ORNAMENTAL_PLANT, "US", prefixed(
			"plants-us-cites-export-permit", "plants-us-nappra", "plants-us-phytosanitary",
			"plants-us-ppq587-permit", "plants-us-ppq621-permit", "plants-us-soil-free",
			"exit-peb-ornamental-plant", "origin-ska-ornamental-plant", "packaging-ispm15-ornamental-plant",
		), false},
		{"sambal to Hong Kong", "210390", pb.Category_FOOD, "HK", prefixed(
			"sambal-hk-aflatoxin",
			"food-hk-health-certificate", "food-hk-importer-registration", "food-hk-labelling",
			"exit-peb-food", "food-exit-halal", "origin-ska-food", "packaging-ispm15-food",
		), false},
		{"sambal to the US", "210390", pb.Category_FOOD, "US", prefixed(
			"sambal-us-acidified-food",
			"food-us-fda-registration", "food-us-fsvp", "food-us-prior-notice",
			"exit-peb-food", "food-exit-halal", "origin-ska-food", "packaging-ispm15-food",
		), true},
		{"peanut butter under 2008.11 to the US", "200811", pb.Category_FOOD, "US", prefixed(
			"food-us-fda-registration", "food-us-fsvp", "food-us-prior-notice", "exit-peb-food", "food-exit-halal", "origin-ska-food", "packaging-ispm15-food",
		), false},
		{"food given only as a category to the US", "", pb.Category_FOOD, "US", prefixed(
			"sambal-us-acidified-food", "food-us-fda-registration", "food-us-fsvp", "food-us-prior-notice", "exit-peb-food", "food-exit-halal", "origin-ska-food", "packaging-ispm15-food",
		), true},
		{"sambal to Taiwan", "210390", pb.Category_FOOD, "TW", prefixed(
			"food-tw-chinese-labelling", "food-tw-import-inspection",
			"exit-peb-food", "food-exit-halal", "origin-ska-food", "packaging-ispm15-food",
		), true},
		{"sambal to China", "210390", pb.Category_FOOD, "CN", prefixed(
			"food-cn-gacc-registration", "exit-peb-food", "food-exit-halal", "origin-ska-food", "packaging-ispm15-food",
		), true},
		{"djembe to China", "920600", pb.Category_MUSICAL_INSTRUMENT, "CN", prefixed(
			"djembe-exit-cites", "djembe-exit-goatskin-fmd", "djembe-exit-svlk",
			"exit-peb-musical-instrument", "origin-ska-musical-instrument", "packaging-ispm15-musical-instrument",
		), true},
		{"djembe to Taiwan", "92060000", pb.Category_MUSICAL_INSTRUMENT, "TW", prefixed(
			"djembe-exit-cites", "djembe-exit-goatskin-fmd", "djembe-exit-svlk",
			"exit-peb-musical-instrument", "origin-ska-musical-instrument", "packaging-ispm15-musical-instrument",
		), true},
		// The demo's largest request (audit, item 2).
		{"djembe to the US", "920600", pb.Category_MUSICAL_INSTRUMENT, "US", prefixed(
			"djembe-us-goatskin", "djembe-us-lacey-declaration",
			"djembe-exit-cites", "djembe-exit-goatskin-fmd", "djembe-exit-svlk",
			"exit-peb-musical-instrument", "origin-ska-musical-instrument", "packaging-ispm15-musical-instrument",
		), true},
		{"djembe given only as HS code", "920600", pb.Category_CATEGORY_UNSPECIFIED, "TW", prefixed(
			"djembe-exit-cites", "djembe-exit-goatskin-fmd", "djembe-exit-svlk", "exit-peb-musical-instrument", "origin-ska-musical-instrument", "packaging-ispm15-musical-instrument",
		), true},
		{"sambal given only as HS code", "210390", pb.Category_CATEGORY_UNSPECIFIED, "HK", prefixed(
			"sambal-hk-aflatoxin", "food-hk-health-certificate", "food-hk-importer-registration", "food-hk-labelling", "exit-peb-food", "food-exit-halal", "origin-ska-food", "packaging-ispm15-food",
		), false},
		// A wooden souvenir drum sold as handicraft is not a 9206 instrument.
		{"handicraft under 4420 to China", "442090", pb.Category_HANDICRAFT, "CN", prefixed("exit-peb-handicraft", "origin-ska-handicraft", "packaging-ispm15-handicraft"), false},
		{"instrument category with a foreign code", "442090", pb.Category_MUSICAL_INSTRUMENT, "CN", prefixed("exit-peb-musical-instrument", "origin-ska-musical-instrument", "packaging-ispm15-musical-instrument"), false},
		{"code whose category is unknown", "442090", pb.Category_CATEGORY_UNSPECIFIED, "CN", nil, false},
		{"exit side only when no destination", "03011191", pb.Category_ORNAMENTAL_FISH, "", prefixed(
			"fish-exit-ckib", "fish-exit-health-certificate", "exit-peb-ornamental-fish", "origin-ska-ornamental-fish", "packaging-ispm15-ornamental-fish",
		), true},
		{"no product at all", "", pb.Category_CATEGORY_UNSPECIFIED, "US", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Applicable(all, tt.hs, tt.category, tt.dest)
			if diff := cmp.Diff(tt.want, names(got), cmpEmptyNil); diff != "" {
				t.Errorf("Applicable(%q, %s, %q) (-want +got):\n%s", tt.hs, tt.category, tt.dest, diff)
			}
			if u := HasUnconfirmed(got); u != tt.unconf {
				t.Errorf("HasUnconfirmed = %v, want %v", u, tt.unconf)
			}
		})
	}
}

var cmpEmptyNil = cmp.Transformer("emptyNil", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})

// The order is independent of the catalogue's order: longer prefix first,
// then category-only; destination rows before exit-side rows; then name.
func TestApplicableOrder(t *testing.T) {
	exporter, mandatory := pb.Requirement_EXPORTER, pb.Requirement_MANDATORY
	fish := pb.Category_ORNAMENTAL_FISH
	rows := []*pb.Requirement{
		row("a-category-exit", "", fish, "", exporter, mandatory, "X"),
		row("b-category-us", "", fish, "US", exporter, mandatory, "X"),
		row("c-0301-exit", "0301", fish, "", exporter, mandatory, "X"),
		row("d-0301-us", "0301", fish, "US", exporter, mandatory, "X"),
		row("e-030111-exit", "030111", fish, "", exporter, mandatory, "X"),
		row("f-030111-us", "030111", fish, "US", exporter, mandatory, "X"),
		row("g-03011191-us", "03011191", fish, "US", exporter, mandatory, "X"),
		row("h-0301-us", "0301", fish, "US", exporter, mandatory, "X"),
		// These must not apply.
		row("x-other-destination", "030111", fish, "JP", exporter, mandatory, "X"),
		row("x-other-prefix", "0302", fish, "US", exporter, mandatory, "X"),
		row("x-other-category", "", pb.Category_FOOD, "US", exporter, mandatory, "X"),
		row("x-longer-prefix", "0301119100", fish, "US", exporter, mandatory, "X"),
		// Applies by its prefix when the HS code is known, never to a
		// product given only as a category.
		row("i-0301-us-no-category", "0301", pb.Category_CATEGORY_UNSPECIFIED, "US", exporter, mandatory, "X"),
		row("x-neither", "", pb.Category_CATEGORY_UNSPECIFIED, "", exporter, mandatory, "X"),
		nil,
	}
	t.Run("product with HS code and category", func(t *testing.T) {
		want := prefixed(
			"g-03011191-us",
			"f-030111-us", "e-030111-exit",
			"d-0301-us", "h-0301-us", "i-0301-us-no-category", "c-0301-exit",
			"b-category-us", "a-category-exit",
		)
		// Reversed input must give the same answer.
		for _, in := range [][]*pb.Requirement{rows, reversed(rows)} {
			if diff := cmp.Diff(want, names(Applicable(in, "03011191", fish, "US"))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		}
	})
	t.Run("product given only as a category", func(t *testing.T) {
		// The prefix-only row cannot apply; the others with a category do.
		want := prefixed(
			"x-longer-prefix",
			"g-03011191-us",
			"f-030111-us", "e-030111-exit",
			"d-0301-us", "h-0301-us", "x-other-prefix", "c-0301-exit",
			"b-category-us", "a-category-exit",
		)
		if diff := cmp.Diff(want, names(Applicable(rows, "", fish, "US"))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("product given only as an HS code of unknown category", func(t *testing.T) {
		// 9999 settles no category: prefix rows match on the prefix alone,
		// category-only rows cannot apply.
		in := []*pb.Requirement{
			row("p-99", "99", fish, "US", exporter, mandatory, "X"),
			row("p-none", "9999", pb.Category_CATEGORY_UNSPECIFIED, "", exporter, mandatory, "X"),
			row("c-only", "", fish, "US", exporter, mandatory, "X"),
		}
		want := prefixed("p-none", "p-99")
		if diff := cmp.Diff(want, names(Applicable(in, "999900", pb.Category_CATEGORY_UNSPECIFIED, "US"))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func reversed(rows []*pb.Requirement) []*pb.Requirement {
	out := make([]*pb.Requirement, len(rows))
	for i, r := range rows {
		out[len(rows)-1-i] = r
	}
	return out
}

func TestCategoryOfHS(t *testing.T) {
	tests := map[string]pb.Category{
		"03011191": pb.Category_ORNAMENTAL_FISH,
		"0301":     pb.Category_ORNAMENTAL_FISH,
		"060290":   pb.Category_ORNAMENTAL_PLANT,
		"920600":   pb.Category_MUSICAL_INSTRUMENT,
		"210390":   pb.Category_FOOD,
		"200811":   pb.Category_FOOD,
		"1601":     pb.Category_FOOD,
		"2202":     pb.Category_CATEGORY_UNSPECIFIED, // beverages are not processed food here
		"1509":     pb.Category_CATEGORY_UNSPECIFIED,
		"442090":   pb.Category_CATEGORY_UNSPECIFIED,
		"0302":     pb.Category_CATEGORY_UNSPECIFIED,
		"1a":       pb.Category_CATEGORY_UNSPECIFIED,
		"2":        pb.Category_CATEGORY_UNSPECIFIED,
		"":         pb.Category_CATEGORY_UNSPECIFIED,
	}
	for hs, want := range tests {
		if got := categoryOfHS(hs); got != want {
			t.Errorf("categoryOfHS(%q) = %s, want %s", hs, got, want)
		}
	}
}

func TestApplicableReturnsNewSlice(t *testing.T) {
	all := Catalogue()
	got := Applicable(all, "03011191", pb.Category_ORNAMENTAL_FISH, "US")
	got[0] = nil
	if all[0] == nil {
		t.Error("Applicable returned the catalogue's own slice")
	}
	if byName(all, "requirements/koi-us-aphis-permit") == nil {
		t.Error("catalogue changed")
	}
}
