package mongostore

import (
	"maps"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// listingDoc is a Listing as stored in the listings collection of all
// producers together; Parent says whose it is.
type listingDoc struct {
	ID          string `bson:"_id"`
	Parent      string `bson:"parent"`
	Title       string `bson:"title"`
	Description string `bson:"description,omitempty"`
	Category    string `bson:"category"`
	HsCode      string `bson:"hsCode,omitempty"`
	// Attributes is a sub-document, so a single attribute can be matched
	// with a dotted key ("attributes.size_cm").
	Attributes map[string]string `bson:"attributes,omitempty"`
	Unit       string            `bson:"unit"`
	PriceMin   *moneyDoc         `bson:"priceMin,omitempty"`
	PriceMax   *moneyDoc         `bson:"priceMax,omitempty"`
	// The optional quantities are pointers because unknown is not zero: a
	// producer with no stated MOQ must not look like one that takes any
	// order. A set zero is kept (omitempty only drops nil pointers).
	MinOrderQuantity   *int64   `bson:"minOrderQuantity,omitempty"`
	MonthlyCapacity    *int64   `bson:"monthlyCapacity,omitempty"`
	LeadTimeDays       *int32   `bson:"leadTimeDays,omitempty"`
	ShipToCountryCodes []string `bson:"shipToCountryCodes,omitempty"`
	ImageURIs          []string `bson:"imageUris,omitempty"`
	State              string   `bson:"state"`

	Version    int64     `bson:"version"`
	RequestID  string    `bson:"requestId,omitempty"`
	CreateTime time.Time `bson:"createTime"`
	UpdateTime time.Time `bson:"updateTime"`
}

// listingFilterFields maps the AIP-160 field paths of ListListings to BSON
// keys. The parent is not among them: it comes from the request URL.
var listingFilterFields = map[string]string{
	"category":              "category",
	"state":                 "state",
	"hs_code":               "hsCode",
	"ship_to_country_codes": "shipToCountryCodes",
	"unit":                  "unit",
	"title":                 "title",
}

// listingToDoc converts l for storage; Parent is derived from the name so
// that it can never disagree with it.
func listingToDoc(l *pb.Listing) (*listingDoc, error) {
	category, err := enumToDoc("category", l.GetCategory())
	if err != nil {
		return nil, err
	}
	state, err := enumToDoc("state", l.GetState())
	if err != nil {
		return nil, err
	}
	priceMin, err := moneyToDoc("price_min", l.GetPriceMin())
	if err != nil {
		return nil, err
	}
	priceMax, err := moneyToDoc("price_max", l.GetPriceMax())
	if err != nil {
		return nil, err
	}
	return &listingDoc{
		ID:                 l.GetName(),
		Parent:             parentOf(l.GetName()),
		Title:              l.GetTitle(),
		Description:        l.GetDescription(),
		Category:           category,
		HsCode:             l.GetHsCode(),
		Attributes:         cloneAttributes(l.GetAttributes()),
		Unit:               l.GetUnit(),
		PriceMin:           priceMin,
		PriceMax:           priceMax,
		MinOrderQuantity:   clonePtr(l.MinOrderQuantity),
		MonthlyCapacity:    clonePtr(l.MonthlyCapacity),
		LeadTimeDays:       clonePtr(l.LeadTimeDays),
		ShipToCountryCodes: cloneStrings(l.GetShipToCountryCodes()),
		ImageURIs:          cloneStrings(l.GetImageUris()),
		State:              state,
		CreateTime:         timeToDoc(l.GetCreateTime()),
		UpdateTime:         timeToDoc(l.GetUpdateTime()),
	}, nil
}

// listingFromDoc converts a stored listing back; the etag comes from the
// stored version.
func listingFromDoc(d *listingDoc) *pb.Listing {
	return &pb.Listing{
		Name:               d.ID,
		Title:              d.Title,
		Description:        d.Description,
		Category:           enumFromDoc[pb.Category](pb.Category_value, d.Category),
		HsCode:             d.HsCode,
		Attributes:         cloneAttributes(d.Attributes),
		Unit:               d.Unit,
		PriceMin:           moneyFromDoc(d.PriceMin),
		PriceMax:           moneyFromDoc(d.PriceMax),
		MinOrderQuantity:   clonePtr(d.MinOrderQuantity),
		MonthlyCapacity:    clonePtr(d.MonthlyCapacity),
		LeadTimeDays:       clonePtr(d.LeadTimeDays),
		ShipToCountryCodes: cloneStrings(d.ShipToCountryCodes),
		ImageUris:          cloneStrings(d.ImageURIs),
		State:              enumFromDoc[pb.Listing_State](pb.Listing_State_value, d.State),
		CreateTime:         timeFromDoc(d.CreateTime),
		UpdateTime:         timeFromDoc(d.UpdateTime),
		Etag:               formatEtag(d.Version),
	}
}

// cloneAttributes copies the map for the same reason as cloneStrings, and
// turns an empty map into nil so that "no attributes" has one stored form.
func cloneAttributes(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

// clonePtr copies an optional scalar so that doc and message do not share
// it, keeping nil (unknown) distinct from a pointer to zero.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
