package matching

import (
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// countryNames overrides the CLDR names that read badly aloud ("Hong Kong
// SAR China").
var countryNames = map[string]string{
	"HK": "Hong Kong",
	"MO": "Macau",
	"US": "the United States",
	"GB": "the United Kingdom",
	"NL": "the Netherlands",
	"AE": "the United Arab Emirates",
}

var regionNamer = display.English.Regions()

// countryName returns the English name of an ISO 3166-1 alpha-2 code, or
// the code itself when it is unknown.
func countryName(code string) string {
	if n, ok := countryNames[code]; ok {
		return n
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := regionNamer.Name(r); n != "" {
		return n
	}
	return code
}

// producerWord is how explanations call the producers of a category, in the
// words the trade office uses ("4 more koi breeders ...").
func producerWord(c pb.Category, n int) string {
	one, many := "producer", "producers"
	switch c {
	case pb.Category_MUSICAL_INSTRUMENT:
		one, many = "djembe maker", "djembe makers"
	case pb.Category_ORNAMENTAL_FISH:
		one, many = "koi breeder", "koi breeders"
	case pb.Category_ORNAMENTAL_PLANT:
		one, many = "plant grower", "plant growers"
	case pb.Category_FOOD:
		one, many = "sambal maker", "sambal makers"
	}
	if n == 1 {
		return one
	}
	return many
}

// categoryName names a category in running text.
func categoryName(c pb.Category) string {
	switch c {
	case pb.Category_MUSICAL_INSTRUMENT:
		return "musical instruments"
	case pb.Category_FOOD:
		return "food"
	case pb.Category_ORNAMENTAL_PLANT:
		return "ornamental plants"
	case pb.Category_ORNAMENTAL_FISH:
		return "ornamental fish"
	case pb.Category_HANDICRAFT:
		return "handicraft"
	}
	return "other goods"
}

// categoryOfHS returns the category an HS prefix settles, for wording only
// (the same prefixes package requirement and validate use).
func categoryOfHS(hs string) pb.Category {
	switch {
	case strings.HasPrefix(hs, "0301"):
		return pb.Category_ORNAMENTAL_FISH
	case strings.HasPrefix(hs, "0602"):
		return pb.Category_ORNAMENTAL_PLANT
	case strings.HasPrefix(hs, "92"):
		return pb.Category_MUSICAL_INSTRUMENT
	case len(hs) >= 2 && hs[:2] >= "16" && hs[:2] <= "21":
		return pb.Category_FOOD
	}
	return pb.Category_CATEGORY_UNSPECIFIED
}

// thousands writes n with comma separators ("10,000").
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatMinor writes an amount in minor units as "USD 1,234.50" or
// "JPY 9,000": the code first, because it reads aloud unambiguously where
// "$" or "¥" would not.
func formatMinor(code string, minor int64, scale int) string {
	if scale <= 0 {
		return code + " " + thousands(minor)
	}
	div := pow10[scale]
	whole, frac := minor/div, minor%div
	sign := ""
	if minor < 0 {
		sign, whole, frac = "-", -whole, -frac
	}
	f := strconv.FormatInt(frac, 10)
	for len(f) < scale {
		f = "0" + f
	}
	return code + " " + sign + thousands(whole) + "." + f
}

// quantityOf writes "10,000 pieces"; units are kept as the listing writes
// them, with a plain English plural.
func quantityOf(n int64, unit string) string {
	if unit == "" {
		return thousands(n)
	}
	return thousands(n) + " " + plural(unit, n)
}

func plural(unit string, n int64) string {
	if n == 1 {
		return unit
	}
	switch unit {
	case "fish", "kg", "g", "set of", "pcs":
		return unit
	}
	if strings.HasSuffix(unit, "s") || strings.HasSuffix(unit, "x") || strings.HasSuffix(unit, "ch") || strings.HasSuffix(unit, "sh") {
		return unit + "es"
	}
	return unit + "s"
}

// normalizeUnit folds the spellings of a unit that mean the same count, so
// that "pcs" and "piece" compare equal. Units that differ after this
// (kg against jar) are not comparable: quantity and price are then UNKNOWN.
func normalizeUnit(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	switch u {
	case "pc", "pcs", "piece", "pieces", "unit", "units":
		return "piece"
	case "kg", "kgs", "kilogram", "kilograms", "kilo", "kilos":
		return "kg"
	case "fish", "fishes":
		return "fish"
	}
	if len(u) > 3 && strings.HasSuffix(u, "s") && !strings.HasSuffix(u, "ss") {
		return u[:len(u)-1]
	}
	return u
}

// joinAnd joins items as "a, b and c".
func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

var pow10 = [...]int64{1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000}
