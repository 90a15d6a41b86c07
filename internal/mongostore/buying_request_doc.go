package mongostore

import (
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// buyingRequestDoc is a BuyingRequest as stored in the buying requests
// collection of all buyers together; Parent says whose it is.
type buyingRequestDoc struct {
	ID                         string    `bson:"_id"`
	Parent                     string    `bson:"parent"`
	Title                      string    `bson:"title"`
	Description                string    `bson:"description,omitempty"`
	Category                   string    `bson:"category"`
	HsPrefix                   string    `bson:"hsPrefix,omitempty"`
	Quantity                   int64     `bson:"quantity"`
	Unit                       string    `bson:"unit"`
	TargetPrice                *moneyDoc `bson:"targetPrice,omitempty"`
	DestinationCountryCode     string    `bson:"destinationCountryCode,omitempty"`
	Incoterm                   string    `bson:"incoterm"`
	RequiredCertificationTypes []string  `bson:"requiredCertificationTypes,omitempty"`
	// Midnight UTC of the date; absent when the buyer gave none.
	NeededByDate *time.Time `bson:"neededByDate,omitempty"`
	// A pointer so that a request without an expiry time is stored without
	// one, rather than as having expired in the year 1.
	ExpireTime *time.Time `bson:"expireTime,omitempty"`
	// State is the stored state; EXPIRED may also be derived on read from
	// ExpireTime, which is the store's business, not this conversion's.
	State string `bson:"state"`

	Version    int64     `bson:"version"`
	RequestID  string    `bson:"requestId,omitempty"`
	CreateTime time.Time `bson:"createTime"`
	UpdateTime time.Time `bson:"updateTime"`
}

// buyingRequestFilterFields maps the AIP-160 field paths of
// ListBuyingRequests to BSON keys. The parent comes from the request URL.
var buyingRequestFilterFields = map[string]string{
	"category":                     "category",
	"state":                        "state",
	"hs_prefix":                    "hsPrefix",
	"destination_country_code":     "destinationCountryCode",
	"incoterm":                     "incoterm",
	"required_certification_types": "requiredCertificationTypes",
	"title":                        "title",
}

// buyingRequestToDoc converts r for storage; Parent is derived from the name.
// Version and RequestID are left for the store.
func buyingRequestToDoc(r *pb.BuyingRequest) (*buyingRequestDoc, error) {
	category, err := enumToDoc("category", r.GetCategory())
	if err != nil {
		return nil, err
	}
	incoterm, err := enumToDoc("incoterm", r.GetIncoterm())
	if err != nil {
		return nil, err
	}
	state, err := enumToDoc("state", r.GetState())
	if err != nil {
		return nil, err
	}
	target, err := moneyToDoc("target_price", r.GetTargetPrice())
	if err != nil {
		return nil, err
	}
	neededBy, err := dateToDoc("needed_by_date", r.GetNeededByDate())
	if err != nil {
		return nil, err
	}
	return &buyingRequestDoc{
		ID:                         r.GetName(),
		Parent:                     parentOf(r.GetName()),
		Title:                      r.GetTitle(),
		Description:                r.GetDescription(),
		Category:                   category,
		HsPrefix:                   r.GetHsPrefix(),
		Quantity:                   r.GetQuantity(),
		Unit:                       r.GetUnit(),
		TargetPrice:                target,
		DestinationCountryCode:     r.GetDestinationCountryCode(),
		Incoterm:                   incoterm,
		RequiredCertificationTypes: cloneStrings(r.GetRequiredCertificationTypes()),
		NeededByDate:               neededBy,
		ExpireTime:                 optionalTimeToDoc(r.GetExpireTime()),
		State:                      state,
		CreateTime:                 timeToDoc(r.GetCreateTime()),
		UpdateTime:                 timeToDoc(r.GetUpdateTime()),
	}, nil
}

// buyingRequestFromDoc converts a stored buying request back; the etag comes
// from the stored version.
func buyingRequestFromDoc(d *buyingRequestDoc) *pb.BuyingRequest {
	return &pb.BuyingRequest{
		Name:                       d.ID,
		Title:                      d.Title,
		Description:                d.Description,
		Category:                   enumFromDoc[pb.Category](pb.Category_value, d.Category),
		HsPrefix:                   d.HsPrefix,
		Quantity:                   d.Quantity,
		Unit:                       d.Unit,
		TargetPrice:                moneyFromDoc(d.TargetPrice),
		DestinationCountryCode:     d.DestinationCountryCode,
		Incoterm:                   enumFromDoc[pb.Incoterm](pb.Incoterm_value, d.Incoterm),
		RequiredCertificationTypes: cloneStrings(d.RequiredCertificationTypes),
		NeededByDate:               dateFromDoc(d.NeededByDate),
		ExpireTime:                 optionalTimeFromDoc(d.ExpireTime),
		State:                      enumFromDoc[pb.BuyingRequest_State](pb.BuyingRequest_State_value, d.State),
		CreateTime:                 timeFromDoc(d.CreateTime),
		UpdateTime:                 timeFromDoc(d.UpdateTime),
		Etag:                       formatEtag(d.Version),
	}
}
