package validate

import (
	"slices"
	"strings"
	"unicode/utf8"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Limits on a listing's fields.
const (
	maxAttributes     = 50
	maxAttributeValue = 200
	maxShipTo         = 250 // every country there is
	maxImages         = 20
	maxLeadTimeDays   = 365
)

// categoryHS ties the categories whose HS classification is unambiguous to
// the code every such product starts with. The other categories (food,
// handicraft, other) span too many chapters to check.
var categoryHS = map[pb.Category]struct{ prefix, what string }{
	pb.Category_ORNAMENTAL_FISH:    {"0301", "heading 0301, live fish"},
	pb.Category_ORNAMENTAL_PLANT:   {"0602", "heading 0602, live plants"},
	pb.Category_MUSICAL_INSTRUMENT: {"92", "chapter 92, musical instruments"},
}

// Listing checks a listing's input fields. field is the path of the listing
// in the request, usually "listing".
func Listing(v *Violations, field string, l *pb.Listing) {
	if l == nil {
		v.Add(field, "is required")
		return
	}
	text(v, join(field, "title"), l.GetTitle(), maxName, true)
	text(v, join(field, "description"), l.GetDescription(), maxDescription, false)
	enum(v, join(field, "category"), l.GetCategory(), true)
	listingHSCode(v, join(field, "hs_code"), l.GetCategory(), l.GetHsCode())
	attributes(v, join(field, "attributes"), l.GetAttributes())
	text(v, join(field, "unit"), l.GetUnit(), maxUnit, true)
	listingPrices(v, field, l)

	if l.MinOrderQuantity != nil && l.GetMinOrderQuantity() <= 0 {
		v.Addf(join(field, "min_order_quantity"), "is %d; it must be greater than zero, or left unset when unknown", l.GetMinOrderQuantity())
	}
	if l.MonthlyCapacity != nil && l.GetMonthlyCapacity() <= 0 {
		v.Addf(join(field, "monthly_capacity"), "is %d; it must be greater than zero, or left unset when unknown", l.GetMonthlyCapacity())
	}
	if d := l.GetLeadTimeDays(); l.LeadTimeDays != nil && (d < 0 || d > maxLeadTimeDays) {
		v.Addf(join(field, "lead_time_days"), "is %d; expected 0 to %d days, or unset when unknown", d, maxLeadTimeDays)
	}
	countryList(v, join(field, "ship_to_country_codes"), l.GetShipToCountryCodes(), maxShipTo)

	images := join(field, "image_uris")
	if !tooMany(v, images, len(l.GetImageUris()), maxImages) {
		for i, u := range l.GetImageUris() {
			if u == "" {
				v.Add(index(images, i), "is empty; expected an http:// or https:// URL")
				continue
			}
			checkURI(v, index(images, i), u)
		}
	}
}

func listingHSCode(v *Violations, path string, category pb.Category, code string) {
	if code == "" {
		return
	}
	if !HSCode(code) {
		v.Addf(path, `%s is not an HS code; expected 4, 6, 8 or 10 digits without dots, such as "9206" or "03011191"`, quote(code))
		return
	}
	if want, ok := categoryHS[category]; ok && !strings.HasPrefix(code, want.prefix) {
		v.Addf(path, "category and HS code disagree: category %s expects a code starting with %s (%s), but the code is %s; fix the code or the category", category, want.prefix, want.what, code)
	}
}

// attributes are checked in key order so that the violations, like the rest
// of the response, do not change from one call to the next.
func attributes(v *Violations, path string, attrs map[string]string) {
	if tooMany(v, path, len(attrs), maxAttributes) {
		return
	}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := mapKey(path, k)
		if !attributeKeyRe.MatchString(k) {
			v.Addf(p, `%s is not an attribute name; expected 1 to 40 lower-case letters, digits and underscores starting with a letter, such as "size_cm"`, quote(k))
			continue
		}
		val := strings.TrimSpace(attrs[k])
		switch n := utf8.RuneCountInString(val); {
		case n == 0:
			v.Add(p, "has an empty value; remove the attribute or give it a value")
		case n > maxAttributeValue:
			v.Addf(p, "value is %d characters long; at most %d are allowed", n, maxAttributeValue)
		}
	}
}

// listingPrices checks the price range: each bound on its own, then that
// they form a range a buyer can read.
func listingPrices(v *Violations, field string, l *pb.Listing) {
	minPath, maxPath := join(field, "price_min"), join(field, "price_max")
	lo, hi := l.GetPriceMin(), l.GetPriceMax()
	loMinor, loOK := checkMoney(v, minPath, lo)
	hiMinor, hiOK := checkMoney(v, maxPath, hi)
	if hi != nil && lo == nil {
		v.Add(minPath, "is required when price_max is set; give the lowest price too (it may equal price_max)")
		return
	}
	if !loOK || !hiOK {
		return
	}
	if lo.GetCurrencyCode() != hi.GetCurrencyCode() {
		v.Addf(join(maxPath, "currency_code"), "is %s but price_min is in %s; both prices must use the same currency", hi.GetCurrencyCode(), lo.GetCurrencyCode())
		return
	}
	if loMinor > hiMinor {
		code := lo.GetCurrencyCode()
		v.Addf(minPath, "minimum above maximum: price_min is %s but price_max is %s", formatMinor(code, loMinor), formatMinor(code, hiMinor))
	}
}
