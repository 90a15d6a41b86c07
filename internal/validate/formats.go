package validate

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"google.golang.org/genproto/googleapis/type/date"
)

var (
	resourceIDRe        = regexp.MustCompile(`^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)
	requestIDRe         = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	certificationTypeRe = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,39}$`)
	attributeKeyRe      = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	e164Re              = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
)

// ResourceID reports whether s is a valid AIP-122 resource id: lower-case
// letters, digits and hyphens, starting with a letter, not ending with a
// hyphen, at most 63 characters.
func ResourceID(s string) bool {
	return resourceIDRe.MatchString(s)
}

// RequestID reports whether s is a valid idempotency key: 1 to 64 characters
// of letters, digits, '.', '_' and '-'. Clients usually send a UUID.
func RequestID(s string) bool {
	return requestIDRe.MatchString(s)
}

// withdrawnCountries are ISO 3166-1 codes that x/text still calls countries
// but that ISO withdrew without one successor, so Canonicalize keeps them.
// Accepting them would let a buyer be filed under "Yugoslavia".
var withdrawnCountries = map[string]bool{
	"AN": true, // Netherlands Antilles
	"CS": true, // Serbia and Montenegro
	"NT": true, // Neutral Zone
	"SU": true, // Soviet Union
	"YU": true, // Yugoslavia
}

// CountryCode reports whether code is the upper-case ISO 3166-1 alpha-2 code
// of a country in use today, e.g. "JP", "US", "HK", "TW". Groupings ("EU"),
// private-use codes ("XX", "ZZ"), lower case and deprecated codes ("UK" for
// GB) are rejected. XK (Kosovo) is accepted because x/text and most trade
// systems treat it as a country.
func CountryCode(code string) bool {
	if len(code) != 2 || !isUpperASCII(code) || withdrawnCountries[code] {
		return false
	}
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() || r.String() != code {
		return false
	}
	// A deprecated code canonicalises to its successor (UK -> GB, ZR -> CD);
	// exceptionally reserved codes (EA, IC, AC, UN ...) have no M.49 number.
	return r.Canonicalize() == r && r.M49() != 0
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// HSCode reports whether s is a Harmonized System code written without dots:
// 4 (heading), 6 (subheading), 8 or 10 (national tariff line) digits.
func HSCode(s string) bool {
	switch len(s) {
	case 4, 6, 8, 10:
		return isDigits(s)
	}
	return false
}

// HSPrefix reports whether s is the leading part of an HS code: 2 (chapter)
// to 10 digits. Odd lengths are allowed because a prefix only narrows a search.
func HSPrefix(s string) bool {
	return len(s) >= 2 && len(s) <= 10 && isDigits(s)
}

// NIB reports whether s is an Indonesian business number (Nomor Induk
// Berusaha): exactly 13 digits.
func NIB(s string) bool {
	return len(s) == 13 && isDigits(s)
}

// E164 reports whether s is a valid phone number written in E.164 form,
// e.g. "+6281234567890". The number must be one that libphonenumber knows to
// be assignable, and must already be in canonical form (no spaces, no
// national trunk "0" after the country code).
func E164(s string) bool {
	if !e164Re.MatchString(s) {
		return false
	}
	n, err := phonenumbers.Parse(s, "")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return false
	}
	return phonenumbers.Format(n, phonenumbers.E164) == s
}

// maxEmailLength is the longest address SMTP can carry (RFC 5321 path limit).
const maxEmailLength = 254

// Email reports whether s is a bare e-mail address such as
// "sales@jimbejaya.co.id": no display name, no angle brackets, and a domain
// with at least one dot, since a business contact on "localhost" or an IP
// literal is never what a firm meant.
func Email(s string) bool {
	if s == "" || len(s) > maxEmailLength {
		return false
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return false
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, "[") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// maxURILength keeps links within what browsers and proxies reliably handle.
const maxURILength = 2048

// URI reports whether s is an absolute http or https URL with a host, at most
// 2048 characters. Whitespace and user credentials are rejected: these links
// are shown to other firms.
func URI(s string) bool {
	if s == "" || len(s) > maxURILength {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.User != nil {
		return false
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	return u.Hostname() != ""
}

// maxLanguageTagLength is RFC 5646's advice for the longest tag worth storing.
const maxLanguageTagLength = 35

// LanguageCode reports whether s is a well-formed BCP 47 tag with a known
// language, e.g. "id", "en", "zh-TW", "jv". "und" and private-use-only tags
// are rejected because they say nothing about which language to write in.
func LanguageCode(s string) bool {
	if s == "" || len(s) > maxLanguageTagLength {
		return false
	}
	tag, err := language.Parse(s)
	if err != nil {
		return false
	}
	_, conf := tag.Base()
	return conf == language.Exact
}

// CertificationType reports whether s is a certification or registration
// type code: upper snake case, 2 to 40 characters, starting with a letter,
// e.g. "CKIB", "ISPM15", "HK_FOOD_IMPORTER".
func CertificationType(s string) bool {
	return certificationTypeRe.MatchString(s)
}

// Date reports whether d is a full calendar date that exists: year 1 to 9999
// and month and day set. google.type.Date also allows partial dates (a year
// alone, a month and day); none of the fields validated here means that.
func Date(d *date.Date) bool {
	if d == nil {
		return false
	}
	y, m, day := int(d.GetYear()), int(d.GetMonth()), int(d.GetDay())
	if y < 1 || y > 9999 || m < 1 || m > 12 || day < 1 || day > 31 {
		return false
	}
	// time.Date rolls 30 February over into March; a real date survives.
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	return t.Day() == day && int(t.Month()) == m
}

// dateTime returns a valid date as midnight UTC, for comparisons.
func dateTime(d *date.Date) time.Time {
	return time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, time.UTC)
}
