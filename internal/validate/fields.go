package validate

import (
	"strings"
	"time"
	"unicode/utf8"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Length limits, in characters after trimming. They are generous: they exist
// to stop abuse of the store, not to edit what a firm says about itself.
const (
	maxName        = 200  // display names, legal names, titles
	maxShort       = 200  // city, village, certificate number, issuer ...
	maxDescription = 5000 // free-text product descriptions
	maxAddress     = 500
	maxNote        = 500
	maxUnit        = 30
)

// text checks a string field's trimmed length and, when required, that it is
// not blank.
func text(v *Violations, path, s string, max int, required bool) {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	switch {
	case n == 0 && required:
		v.Add(path, "is required")
	case n > max:
		v.Addf(path, "is %d characters long; at most %d are allowed", n, max)
	}
}

// tooMany adds a violation when a repeated field has more than max entries.
// Callers then skip the per-entry checks: the request fails anyway, and a
// list of thousands of entries should not cost thousands of checks.
func tooMany(v *Violations, path string, n, max int) bool {
	if n <= max {
		return false
	}
	v.Addf(path, "has %d entries; at most %d are allowed", n, max)
	return true
}

// enum checks a required enum field: set, and one of the values this server
// knows (JSON and binary clients can send numbers the schema lacks).
func enum(v *Violations, path string, e protoreflect.Enum, required bool) {
	n := e.Number()
	values := e.Descriptor().Values()
	switch {
	case n == 0 && required:
		v.Addf(path, "is required; expected one of %s", enumNames(values))
	case values.ByNumber(n) == nil:
		v.Addf(path, "%d is not a known value; expected one of %s", n, enumNames(values))
	}
}

// enumNames lists the meaningful values of an enum, leaving out the
// UNSPECIFIED zero value.
func enumNames(values protoreflect.EnumValueDescriptors) string {
	names := make([]string, 0, values.Len())
	for i := range values.Len() {
		if values.Get(i).Number() != 0 {
			names = append(names, string(values.Get(i).Name()))
		}
	}
	return strings.Join(names, ", ")
}

func checkCountry(v *Violations, path, code string, required bool) {
	switch {
	case code == "" && required:
		v.Add(path, `is required; expected an ISO 3166-1 alpha-2 country code such as "JP", "US" or "HK"`)
	case code != "" && !CountryCode(code):
		v.Addf(path, `%s is not an ISO 3166-1 alpha-2 country code; expected two upper-case letters of a country, such as "JP", "US" or "HK"`, quote(code))
	}
}

// countryList checks a repeated country code field: valid codes, each once.
func countryList(v *Violations, path string, codes []string, max int) {
	if tooMany(v, path, len(codes), max) {
		return
	}
	seen := make(map[string]int, len(codes))
	for i, c := range codes {
		p := index(path, i)
		if !CountryCode(c) {
			checkCountry(v, p, c, true)
			continue
		}
		if first, dup := seen[c]; dup {
			v.Addf(p, "repeats %s, already given at index %d", c, first)
			continue
		}
		seen[c] = i
	}
}

func checkURI(v *Violations, path, s string) {
	if s != "" && !URI(s) {
		v.Addf(path, "%s is not a web address; expected an absolute http:// or https:// URL with a host name, at most %d characters", quote(s), maxURILength)
	}
}

// languageList checks BCP 47 tags. Duplicates are found on the canonical tag,
// because "en" and "EN" name the same language.
func languageList(v *Violations, path string, tags []string) {
	const maxLanguages = 20
	if tooMany(v, path, len(tags), maxLanguages) {
		return
	}
	seen := make(map[string]int, len(tags))
	for i, s := range tags {
		p := index(path, i)
		if !LanguageCode(s) {
			v.Addf(p, `%s does not name a known language; expected a BCP 47 language tag such as "id", "en", "zh" or "ja"`, quote(s))
			continue
		}
		key := canonicalLanguage(s)
		if first, dup := seen[key]; dup {
			v.Addf(p, "repeats %s, already given at index %d", quote(s), first)
			continue
		}
		seen[key] = i
	}
}

func checkCertificationType(v *Violations, path, s string, required bool) {
	switch {
	case s == "" && required:
		v.Add(path, `is required; expected an upper-case code such as "CKIB", "PHYTOSANITARY" or "ISPM15"`)
	case s != "" && !CertificationType(s):
		v.Addf(path, `%s is not a type code; expected 2 to 40 upper-case letters, digits and underscores starting with a letter, such as "CKIB" or "HK_FOOD_IMPORTER"`, quote(s))
	}
}

func checkHSPrefix(v *Violations, path, s string) {
	if s != "" && !HSPrefix(s) {
		v.Addf(path, `%s is not an HS code prefix; expected 2 to 10 digits without dots, such as "0301" or "9206"`, quote(s))
	}
}

// checkDate checks an optional date and reports whether it is set and valid.
func checkDate(v *Violations, path string, d *date.Date) bool {
	if d == nil {
		return false
	}
	if !Date(d) {
		v.Addf(path, "%04d-%02d-%02d is not a calendar date; expected a full date with year, month and day", d.GetYear(), d.GetMonth(), d.GetDay())
		return false
	}
	return true
}

func checkE164(v *Violations, path, s string) {
	if s != "" && !E164(s) {
		v.Addf(path, `%s is not a valid phone number in E.164 form; expected "+", the country code and the number without spaces, such as "+6281234567890"`, quote(s))
	}
}

func checkContact(v *Violations, path string, c *pb.Contact) {
	if c == nil {
		return
	}
	text(v, join(path, "person_name"), c.GetPersonName(), maxName, false)
	checkE164(v, join(path, "phone"), c.GetPhone())
	checkE164(v, join(path, "whatsapp"), c.GetWhatsapp())
	if e := c.GetEmail(); e != "" && !Email(e) {
		v.Addf(join(path, "email"), `%s is not an e-mail address; expected a bare address such as "sales@example.co.id"`, quote(e))
	}
}

// wib is Western Indonesia Time, Blitar's time zone. Indonesia has no
// daylight saving, so a fixed offset is exact and needs no tz database.
var wib = time.FixedZone("WIB", 7*60*60)

// checkPositive checks a required count that must be above zero.
func checkPositive(v *Violations, path string, n int64) {
	switch {
	case n == 0:
		v.Add(path, "is required and must be greater than zero")
	case n < 0:
		v.Addf(path, "is %d; it must be greater than zero", n)
	}
}
