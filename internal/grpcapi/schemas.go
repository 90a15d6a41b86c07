package grpcapi

import (
	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// The fields each List method can filter on. The storage maps the same paths
// to its own keys.
var (
	producerSchema = query.Schema{
		"display_name":                {Kind: query.String},
		"kind":                        {Kind: query.Enum, Enum: pb.Producer_KIND_UNSPECIFIED.Descriptor()},
		"district":                    {Kind: query.String, Check: func(s string) bool { c, ok := validate.District(s); return ok && c == s }},
		"verification_state":          {Kind: query.Enum, Enum: pb.VerificationState_VERIFICATION_STATE_UNSPECIFIED.Descriptor()},
		"exports_in_own_name":         {Kind: query.Bool},
		"export_history.country_code": {Kind: query.Country, Repeated: true, Check: validate.CountryCode},
		"certifications.type":         {Kind: query.String, Repeated: true},
		"language_codes":              {Kind: query.String, Repeated: true},
		"business_id":                 {Kind: query.String},
	}
	listingSchema = query.Schema{
		"category":              {Kind: query.Enum, Enum: pb.Category_CATEGORY_UNSPECIFIED.Descriptor()},
		"state":                 {Kind: query.Enum, Enum: pb.Listing_STATE_UNSPECIFIED.Descriptor()},
		"hs_code":               {Kind: query.String, Prefix: true, Check: validate.HSCode},
		"ship_to_country_codes": {Kind: query.Country, Repeated: true, Check: validate.CountryCode},
		"unit":                  {Kind: query.String},
		"title":                 {Kind: query.String},
	}
	buyerSchema = query.Schema{
		"display_name":                {Kind: query.String},
		"country_code":                {Kind: query.Country, Check: validate.CountryCode},
		"city":                        {Kind: query.String},
		"business_type":               {Kind: query.Enum, Enum: pb.Buyer_BUSINESS_TYPE_UNSPECIFIED.Descriptor()},
		"verification_state":          {Kind: query.Enum, Enum: pb.VerificationState_VERIFICATION_STATE_UNSPECIFIED.Descriptor()},
		"product_interests.category":  {Kind: query.Enum, Repeated: true, Enum: pb.Category_CATEGORY_UNSPECIFIED.Descriptor()},
		"product_interests.hs_prefix": {Kind: query.String, Repeated: true, Check: validate.HSPrefix},
		"language_codes":              {Kind: query.String, Repeated: true},
	}
	buyingRequestSchema = query.Schema{
		"category":                     {Kind: query.Enum, Enum: pb.Category_CATEGORY_UNSPECIFIED.Descriptor()},
		"state":                        {Kind: query.Enum, Enum: pb.BuyingRequest_STATE_UNSPECIFIED.Descriptor()},
		"hs_prefix":                    {Kind: query.String, Prefix: true, Check: validate.HSPrefix},
		"destination_country_code":     {Kind: query.Country, Check: validate.CountryCode},
		"incoterm":                     {Kind: query.Enum, Enum: pb.Incoterm_INCOTERM_UNSPECIFIED.Descriptor()},
		"required_certification_types": {Kind: query.String, Repeated: true},
		"title":                        {Kind: query.String},
	}
)
