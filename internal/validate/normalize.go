package validate

import (
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// producerPhoneRegion is where a producer's local numbers ("0812...") are
// dialled: every producer is in Blitar.
const producerPhoneRegion = "ID"

// unknownPhoneRegion makes phonenumbers accept only numbers that carry their
// own country code, for buyers whose country is not known.
const unknownPhoneRegion = "ZZ"

// NormalizeProducer tidies what a person typed into a producer: it trims
// every input string, spells the district canonically, upper-cases country,
// currency and certification type codes, lower-cases the e-mail address,
// rewrites Indonesian phone numbers to E.164, and drops empty dates and
// amounts. Values it cannot make sense of
// are left for Producer to reject. Output-only fields and etag are left
// alone. A nil p is a no-op.
func NormalizeProducer(p *pb.Producer) {
	if p == nil {
		return
	}
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	p.LegalName = strings.TrimSpace(p.LegalName)
	p.BusinessId = strings.TrimSpace(p.BusinessId)
	trimAll(p.MemberProducers)
	p.District = strings.TrimSpace(p.District)
	if d, ok := District(p.District); ok {
		p.District = d
	}
	p.Village = strings.TrimSpace(p.Village)
	p.Address = strings.TrimSpace(p.Address)
	normalizeContact(p.Contact, producerPhoneRegion)
	p.WebsiteUri = strings.TrimSpace(p.WebsiteUri)
	trimAll(p.LanguageCodes)
	for _, r := range p.ExportHistory {
		if r == nil {
			continue
		}
		r.CountryCode = upper(r.CountryCode)
		r.Value = normalizeMoney(r.Value)
		r.Note = strings.TrimSpace(r.Note)
	}
	for _, c := range p.Certifications {
		if c == nil {
			continue
		}
		c.Type = upper(c.Type)
		c.Number = strings.TrimSpace(c.Number)
		c.Issuer = strings.TrimSpace(c.Issuer)
		c.IssueDate = normalizeDate(c.IssueDate)
		c.ExpiryDate = normalizeDate(c.ExpiryDate)
		c.DocumentUri = strings.TrimSpace(c.DocumentUri)
	}
}

// NormalizeListing tidies a listing: trimmed strings, HS code without dots or
// spaces ("0301.11.91" -> "03011191"), upper-case currency and country codes.
// A nil l is a no-op.
func NormalizeListing(l *pb.Listing) {
	if l == nil {
		return
	}
	l.Title = strings.TrimSpace(l.Title)
	l.Description = strings.TrimSpace(l.Description)
	l.HsCode = normalizeHS(l.HsCode)
	normalizeAttributes(l.Attributes)
	l.Unit = strings.TrimSpace(l.Unit)
	l.PriceMin = normalizeMoney(l.PriceMin)
	l.PriceMax = normalizeMoney(l.PriceMax)
	upperAll(l.ShipToCountryCodes)
	trimAll(l.ImageUris)
}

// NormalizeBuyer tidies a buyer. Phone numbers written without a country code
// are read as numbers of the buyer's own country. A nil b is a no-op.
func NormalizeBuyer(b *pb.Buyer) {
	if b == nil {
		return
	}
	b.DisplayName = strings.TrimSpace(b.DisplayName)
	b.CountryCode = upper(b.CountryCode)
	b.City = strings.TrimSpace(b.City)
	b.WebsiteUri = strings.TrimSpace(b.WebsiteUri)
	region := unknownPhoneRegion
	if CountryCode(b.CountryCode) {
		region = b.CountryCode
	}
	normalizeContact(b.Contact, region)
	trimAll(b.LanguageCodes)
	for _, pi := range b.ProductInterests {
		if pi != nil {
			pi.HsPrefix = normalizeHS(pi.HsPrefix)
		}
	}
	for _, r := range b.ImportRegistrations {
		if r == nil {
			continue
		}
		r.Type = upper(r.Type)
		r.Number = strings.TrimSpace(r.Number)
		r.Issuer = strings.TrimSpace(r.Issuer)
		r.CountryCode = upper(r.CountryCode)
		r.ExpiryDate = normalizeDate(r.ExpiryDate)
	}
}

// NormalizeBuyingRequest tidies a buying request. A nil r is a no-op.
func NormalizeBuyingRequest(r *pb.BuyingRequest) {
	if r == nil {
		return
	}
	r.Title = strings.TrimSpace(r.Title)
	r.Description = strings.TrimSpace(r.Description)
	r.HsPrefix = normalizeHS(r.HsPrefix)
	r.Unit = strings.TrimSpace(r.Unit)
	r.TargetPrice = normalizeMoney(r.TargetPrice)
	r.DestinationCountryCode = upper(r.DestinationCountryCode)
	upperAll(r.RequiredCertificationTypes)
	r.NeededByDate = normalizeDate(r.NeededByDate)
}

func upper(s string) string {
	return strings.ToUpper(strings.TrimSpace(s))
}

func trimAll(ss []string) {
	for i := range ss {
		ss[i] = strings.TrimSpace(ss[i])
	}
}

func upperAll(ss []string) {
	for i := range ss {
		ss[i] = upper(ss[i])
	}
}

func normalizeContact(c *pb.Contact, region string) {
	if c == nil {
		return
	}
	c.PersonName = strings.TrimSpace(c.PersonName)
	c.Phone = normalizePhone(c.Phone, region)
	c.Whatsapp = normalizePhone(c.Whatsapp, region)
	c.Email = strings.ToLower(strings.TrimSpace(c.Email))
}

// normalizePhone rewrites a number to E.164 when libphonenumber can read it
// as a valid number, dialled from region. Anything else is returned trimmed
// but otherwise as typed, so that the violation quotes what the person wrote.
func normalizePhone(s, region string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return s
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// normalizeHS removes the dots and spaces people write HS codes with
// ("9206.00.20", "0301 11"). A value with anything else in it is only
// trimmed, to be rejected as written.
func normalizeHS(s string) string {
	s = strings.TrimSpace(s)
	compact := strings.NewReplacer(".", "", " ", "").Replace(s)
	if isDigits(compact) {
		return compact
	}
	return s
}

// normalizeAttributes trims keys and values. A key that would collide with
// another once trimmed keeps its spaces, so that validation reports it
// instead of one value silently replacing the other. Keys are visited in
// sorted order so that which one keeps its spaces does not vary.
func normalizeAttributes(attrs map[string]string) {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		val := strings.TrimSpace(attrs[k])
		tk := strings.TrimSpace(k)
		if tk == k {
			attrs[k] = val
			continue
		}
		if _, taken := attrs[tk]; taken {
			attrs[k] = val
			continue
		}
		delete(attrs, k)
		attrs[tk] = val
	}
}

// normalizeMoney upper-cases the currency code and drops an amount that
// carries nothing at all ({} from a JSON client clearing the field), which
// would otherwise fail as "currency required".
func normalizeMoney(m *moneypb.Money) *moneypb.Money {
	if m == nil {
		return nil
	}
	m.CurrencyCode = upper(m.CurrencyCode)
	if m.CurrencyCode == "" && m.Units == 0 && m.Nanos == 0 {
		return nil
	}
	return m
}

// normalizeDate drops an all-zero date, which JSON clients send as {} and
// which google.type.Date gives no meaning; a partly set date is kept for
// validation to reject.
func normalizeDate(d *date.Date) *date.Date {
	if d == nil || d.Year == 0 && d.Month == 0 && d.Day == 0 {
		return nil
	}
	return d
}

// canonicalLanguage returns the canonical form of a valid BCP 47 tag, so that
// "EN" and "en" compare equal.
func canonicalLanguage(s string) string {
	tag, err := language.Parse(s)
	if err != nil {
		return s
	}
	return tag.String()
}
