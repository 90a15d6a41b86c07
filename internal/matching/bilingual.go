package matching

import (
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/i18n"
)

// Explanations are written in English for buyers and in Indonesian for the
// producers of Blitar, who read the same breakdown on their dashboard
// (CriterionScore.explanation and explanation_id). Each explanation is one
// function of the language, so both say the same thing from the same
// figures.

// lang is the language of an explanation (i18n), with the wording the
// explanations need: names of countries and categories, numbers, money.
type lang struct{ i18n.Lang }

var (
	english    = lang{i18n.English}
	indonesian = lang{i18n.Indonesian}
)

// bilingual is a result whose explanation is written by text in both
// languages.
func bilingual(o outcome, s float64, text func(lang) string) *pb.CriterionScore {
	return &pb.CriterionScore{Outcome: o, Score: s, Explanation: text(english), ExplanationId: text(indonesian)}
}

// countryNamesID overrides the CLDR names that read badly in running
// Indonesian text.
var countryNamesID = map[string]string{
	"HK": "Hong Kong",
	"MO": "Makau",
	"TW": "Taiwan",
}

var regionNamerID = display.Indonesian.Regions()

// country names a country in the language.
func (l lang) country(code string) string {
	if l == english {
		return countryName(code)
	}
	if n, ok := countryNamesID[code]; ok {
		return n
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := regionNamerID.Name(r); n != "" {
		return n
	}
	return code
}

// category names a category in running text.
func (l lang) category(c pb.Category) string {
	if l == english {
		return categoryName(c)
	}
	switch c {
	case pb.Category_MUSICAL_INSTRUMENT:
		return "alat musik"
	case pb.Category_FOOD:
		return "makanan"
	case pb.Category_ORNAMENTAL_PLANT:
		return "tanaman hias"
	case pb.Category_ORNAMENTAL_FISH:
		return "ikan hias"
	case pb.Category_HANDICRAFT:
		return "kerajinan"
	}
	return "barang lain"
}

// num writes n with the language's digit grouping ("10,000"; "10.000").
func (l lang) num(n int64) string {
	if l == english {
		return thousands(n)
	}
	return strings.ReplaceAll(thousands(n), ",", ".")
}

// qty writes a quantity with its unit; Indonesian has no plural.
func (l lang) qty(n int64, unit string) string {
	if l == english {
		return quantityOf(n, unit)
	}
	if unit == "" {
		return l.num(n)
	}
	return l.num(n) + " " + unit
}

// money writes an amount in minor units ("USD 1,234.50"; "USD 1.234,50").
func (l lang) money(code string, minor int64, scale int) string {
	s := formatMinor(code, minor, scale)
	if l == english {
		return s
	}
	return strings.NewReplacer(",", ".", ".", ",").Replace(s)
}

// and joins items as "a, b and c" ("a, b dan c").
func (l lang) and(items []string) string {
	if l == english || len(items) < 2 {
		return joinAnd(items)
	}
	return strings.Join(items[:len(items)-1], ", ") + " dan " + items[len(items)-1]
}

// percent writes a share as a whole percentage.
func (l lang) percent(x float64) string { return strconv.Itoa(int(x*100+0.5)) + "%" }
