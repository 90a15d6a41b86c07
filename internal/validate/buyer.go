package validate

import (
	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Limits on a buyer's repeated fields.
const (
	maxProductInterests    = 50
	maxImportRegistrations = 20
)

// Buyer checks a buyer's input fields. field is the path of the buyer in the
// request, usually "buyer".
func Buyer(v *Violations, field string, b *pb.Buyer) {
	if b == nil {
		v.Add(field, "is required")
		return
	}
	text(v, join(field, "display_name"), b.GetDisplayName(), maxName, true)
	checkCountry(v, join(field, "country_code"), b.GetCountryCode(), true)
	text(v, join(field, "city"), b.GetCity(), maxShort, false)
	enum(v, join(field, "business_type"), b.GetBusinessType(), true)
	checkURI(v, join(field, "website_uri"), b.GetWebsiteUri())
	checkContact(v, join(field, "contact"), b.GetContact())
	languageList(v, join(field, "language_codes"), b.GetLanguageCodes())
	productInterests(v, join(field, "product_interests"), b.GetProductInterests())
	importRegistrations(v, join(field, "import_registrations"), b.GetImportRegistrations())
}

func productInterests(v *Violations, path string, interests []*pb.ProductInterest) {
	if tooMany(v, path, len(interests), maxProductInterests) {
		return
	}
	for i, pi := range interests {
		p := index(path, i)
		// An interest with neither part would match everything, which is
		// never what a buyer means and would flood every producer.
		if pi.GetCategory() == pb.Category_CATEGORY_UNSPECIFIED && pi.GetHsPrefix() == "" {
			v.Add(p, "needs a category, an hs_prefix or both")
			continue
		}
		enum(v, join(p, "category"), pi.GetCategory(), false)
		checkHSPrefix(v, join(p, "hs_prefix"), pi.GetHsPrefix())
	}
}

func importRegistrations(v *Violations, path string, regs []*pb.ImportRegistration) {
	if tooMany(v, path, len(regs), maxImportRegistrations) {
		return
	}
	for i, r := range regs {
		p := index(path, i)
		checkCertificationType(v, join(p, "type"), r.GetType(), true)
		text(v, join(p, "number"), r.GetNumber(), maxShort, false)
		text(v, join(p, "issuer"), r.GetIssuer(), maxShort, false)
		checkCountry(v, join(p, "country_code"), r.GetCountryCode(), false)
		checkDate(v, join(p, "expiry_date"), r.GetExpiryDate())
	}
}
