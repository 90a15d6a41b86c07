package validate

import (
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Limits on a buying request's fields.
const (
	maxRequiredCertifications = 20
	// maxRequestLifetime keeps requests from lingering: a request nobody has
	// renewed for a year no longer says what the buyer wants.
	maxRequestLifetime = 366 * 24 * time.Hour
)

// BuyingRequest checks a buying request's input fields against now, which
// bounds needed_by_date and expire_time. field is the path of the request in
// the API call, usually "buying_request".
func BuyingRequest(v *Violations, field string, r *pb.BuyingRequest, now time.Time) {
	if r == nil {
		v.Add(field, "is required")
		return
	}
	text(v, join(field, "title"), r.GetTitle(), maxName, true)
	text(v, join(field, "description"), r.GetDescription(), maxDescription, false)
	// Without either the request cannot be matched to any listing.
	if r.GetCategory() == pb.Category_CATEGORY_UNSPECIFIED && r.GetHsPrefix() == "" {
		v.Add(join(field, "category"), "is required unless hs_prefix is set; give at least one of category and hs_prefix")
	} else {
		enum(v, join(field, "category"), r.GetCategory(), false)
	}
	checkHSPrefix(v, join(field, "hs_prefix"), r.GetHsPrefix())
	checkPositive(v, join(field, "quantity"), r.GetQuantity())
	text(v, join(field, "unit"), r.GetUnit(), maxUnit, true)

	pricePath := join(field, "target_price")
	if minor, ok := checkMoney(v, pricePath, r.GetTargetPrice()); ok && minor == 0 {
		v.Add(pricePath, "must be greater than zero; leave it unset when there is no target price")
	}
	checkCountry(v, join(field, "destination_country_code"), r.GetDestinationCountryCode(), false)
	enum(v, join(field, "incoterm"), r.GetIncoterm(), false)
	requiredCertifications(v, join(field, "required_certification_types"), r.GetRequiredCertificationTypes())

	neededPath := join(field, "needed_by_date")
	if checkDate(v, neededPath, r.GetNeededByDate()) {
		y, m, d := now.UTC().Date()
		today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		if dateTime(r.GetNeededByDate()).Before(today) {
			v.Addf(neededPath, "is in the past; expected %s or later", today.Format(time.DateOnly))
		}
	}

	if et := r.GetExpireTime(); et != nil {
		expirePath := join(field, "expire_time")
		latest := now.Add(maxRequestLifetime)
		switch t := et.AsTime(); {
		case et.CheckValid() != nil:
			v.Add(expirePath, "is not a valid timestamp")
		case !t.After(now):
			v.Add(expirePath, "must be in the future")
		case t.After(latest):
			v.Addf(expirePath, "is more than 366 days ahead; expected %s or earlier", latest.UTC().Format(time.RFC3339))
		}
	}
}

func requiredCertifications(v *Violations, path string, types []string) {
	if tooMany(v, path, len(types), maxRequiredCertifications) {
		return
	}
	seen := make(map[string]int, len(types))
	for i, t := range types {
		p := index(path, i)
		if !CertificationType(t) {
			checkCertificationType(v, p, t, true)
			continue
		}
		if first, dup := seen[t]; dup {
			v.Addf(p, "repeats %s, already given at index %d", t, first)
			continue
		}
		seen[t] = i
	}
}
