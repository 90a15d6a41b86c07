package mongostore

import (
	"fmt"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// buyerDoc is a Buyer as stored in the buyers collection.
type buyerDoc struct {
	ID                  string                  `bson:"_id"`
	DisplayName         string                  `bson:"displayName"`
	CountryCode         string                  `bson:"countryCode"`
	City                string                  `bson:"city,omitempty"`
	BusinessType        string                  `bson:"businessType"`
	WebsiteURI          string                  `bson:"websiteUri,omitempty"`
	Contact             *contactDoc             `bson:"contact,omitempty"`
	LanguageCodes       []string                `bson:"languageCodes,omitempty"`
	ProductInterests    []productInterestDoc    `bson:"productInterests,omitempty"`
	ImportRegistrations []importRegistrationDoc `bson:"importRegistrations,omitempty"`
	VerificationState   string                  `bson:"verificationState"`
	VerificationNote    string                  `bson:"verificationNote,omitempty"`

	Version    int64     `bson:"version"`
	RequestID  string    `bson:"requestId,omitempty"`
	CreateTime time.Time `bson:"createTime"`
	UpdateTime time.Time `bson:"updateTime"`
}

// productInterestDoc is one ProductInterest inside buyerDoc.productInterests.
type productInterestDoc struct {
	// Always written, like every enum, so that matching on the
	// unspecified category is an equality like any other.
	Category string `bson:"category"`
	HsPrefix string `bson:"hsPrefix,omitempty"`
}

// importRegistrationDoc is one ImportRegistration inside
// buyerDoc.importRegistrations.
type importRegistrationDoc struct {
	Type        string     `bson:"type"`
	Number      string     `bson:"number,omitempty"`
	Issuer      string     `bson:"issuer,omitempty"`
	CountryCode string     `bson:"countryCode,omitempty"`
	ExpiryDate  *time.Time `bson:"expiryDate,omitempty"`
}

// buyerFilterFields maps the AIP-160 field paths of ListBuyers to BSON keys.
var buyerFilterFields = map[string]string{
	"display_name":                "displayName",
	"country_code":                "countryCode",
	"business_type":               "businessType",
	"verification_state":          "verificationState",
	"product_interests.category":  "productInterests.category",
	"product_interests.hs_prefix": "productInterests.hsPrefix",
	"language_codes":              "languageCodes",
	"city":                        "city",
}

// buyerToDoc converts b for storage. Version and RequestID are left for the
// store.
func buyerToDoc(b *pb.Buyer) (*buyerDoc, error) {
	businessType, err := enumToDoc("business_type", b.GetBusinessType())
	if err != nil {
		return nil, err
	}
	verification, err := enumToDoc("verification_state", b.GetVerificationState())
	if err != nil {
		return nil, err
	}
	d := &buyerDoc{
		ID:                b.GetName(),
		DisplayName:       b.GetDisplayName(),
		CountryCode:       b.GetCountryCode(),
		City:              b.GetCity(),
		BusinessType:      businessType,
		WebsiteURI:        b.GetWebsiteUri(),
		Contact:           contactToDoc(b.GetContact()),
		LanguageCodes:     cloneStrings(b.GetLanguageCodes()),
		VerificationState: verification,
		VerificationNote:  b.GetVerificationNote(),
		CreateTime:        timeToDoc(b.GetCreateTime()),
		UpdateTime:        timeToDoc(b.GetUpdateTime()),
	}
	for i, pi := range b.GetProductInterests() {
		category, err := enumToDoc(fmt.Sprintf("product_interests[%d].category", i), pi.GetCategory())
		if err != nil {
			return nil, err
		}
		d.ProductInterests = append(d.ProductInterests, productInterestDoc{
			Category: category,
			HsPrefix: pi.GetHsPrefix(),
		})
	}
	for i, r := range b.GetImportRegistrations() {
		expires, err := dateToDoc(fmt.Sprintf("import_registrations[%d].expiry_date", i), r.GetExpiryDate())
		if err != nil {
			return nil, err
		}
		d.ImportRegistrations = append(d.ImportRegistrations, importRegistrationDoc{
			Type:        r.GetType(),
			Number:      r.GetNumber(),
			Issuer:      r.GetIssuer(),
			CountryCode: r.GetCountryCode(),
			ExpiryDate:  expires,
		})
	}
	return d, nil
}

// buyerFromDoc converts a stored buyer back; the etag comes from the stored
// version.
func buyerFromDoc(d *buyerDoc) *pb.Buyer {
	b := &pb.Buyer{
		Name:              d.ID,
		DisplayName:       d.DisplayName,
		CountryCode:       d.CountryCode,
		City:              d.City,
		BusinessType:      enumFromDoc[pb.Buyer_BusinessType](pb.Buyer_BusinessType_value, d.BusinessType),
		WebsiteUri:        d.WebsiteURI,
		Contact:           contactFromDoc(d.Contact),
		LanguageCodes:     cloneStrings(d.LanguageCodes),
		VerificationState: enumFromDoc[pb.VerificationState](pb.VerificationState_value, d.VerificationState),
		VerificationNote:  d.VerificationNote,
		CreateTime:        timeFromDoc(d.CreateTime),
		UpdateTime:        timeFromDoc(d.UpdateTime),
		Etag:              formatEtag(d.Version),
	}
	for _, pi := range d.ProductInterests {
		b.ProductInterests = append(b.ProductInterests, &pb.ProductInterest{
			Category: enumFromDoc[pb.Category](pb.Category_value, pi.Category),
			HsPrefix: pi.HsPrefix,
		})
	}
	for _, r := range d.ImportRegistrations {
		b.ImportRegistrations = append(b.ImportRegistrations, &pb.ImportRegistration{
			Type:        r.Type,
			Number:      r.Number,
			Issuer:      r.Issuer,
			CountryCode: r.CountryCode,
			ExpiryDate:  dateFromDoc(r.ExpiryDate),
		})
	}
	return b
}
