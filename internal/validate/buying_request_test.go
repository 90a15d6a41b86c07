package validate

import (
	"strings"
	"testing"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func djembeRequest() *pb.BuyingRequest {
	return &pb.BuyingRequest{
		Title:                      "2 containers of 40 cm djembe for spring",
		Description:                "Mahogany body, goatskin head, tuned. Mixed colours welcome.",
		Category:                   pb.Category_MUSICAL_INSTRUMENT,
		HsPrefix:                   "9206",
		Quantity:                   7200,
		Unit:                       "piece",
		TargetPrice:                price("USD", 38, 500000000),
		DestinationCountryCode:     "CN",
		Incoterm:                   pb.Incoterm_FOB,
		RequiredCertificationTypes: []string{"ISPM15", "SVLK"},
		NeededByDate:               ymd(2026, 6, 1),
		ExpireTime:                 ts(testNow.Add(60 * 24 * time.Hour)),
	}
}

func koiRequest() *pb.BuyingRequest {
	return &pb.BuyingRequest{
		Title:                      "Kohaku and Sanke koi, 25-35 cm",
		HsPrefix:                   "030111",
		Quantity:                   80,
		Unit:                       "fish",
		TargetPrice:                price("JPY", 7500, 0),
		DestinationCountryCode:     "JP",
		Incoterm:                   pb.Incoterm_CIF,
		RequiredCertificationTypes: []string{"CKIB", "FISH_HEALTH_CERTIFICATE"},
	}
}

func TestBuyingRequestValid(t *testing.T) {
	for name, r := range map[string]*pb.BuyingRequest{
		"djembe for China":          djembeRequest(),
		"koi for Japan by HS only":  koiRequest(),
		"sambal by category only":   {Title: "Sambal pecel, 10 kg a week", Category: pb.Category_FOOD, Quantity: 10, Unit: "kg"},
		"needed today (UTC)":        {Title: "Monstera", Category: pb.Category_ORNAMENTAL_PLANT, Quantity: 50, Unit: "pot", NeededByDate: ymd(2026, 3, 15)},
		"expires in exactly a year": {Title: "Djembe", Category: pb.Category_MUSICAL_INSTRUMENT, Quantity: 1, Unit: "piece", ExpireTime: ts(testNow.Add(366 * 24 * time.Hour))},
	} {
		t.Run(name, func(t *testing.T) {
			var v Violations
			BuyingRequest(&v, "buying_request", r, testNow)
			wantFields(t, &v)
		})
	}
}

func TestBuyingRequestInvalid(t *testing.T) {
	tests := []struct {
		name   string
		base   func() *pb.BuyingRequest
		mutate func(r *pb.BuyingRequest)
		want   []string
	}{
		{"title missing", djembeRequest, func(r *pb.BuyingRequest) { r.Title = "" }, []string{"buying_request.title"}},
		{"title too long", djembeRequest, func(r *pb.BuyingRequest) { r.Title = strings.Repeat("t", 201) }, []string{"buying_request.title"}},
		{"description too long", djembeRequest, func(r *pb.BuyingRequest) { r.Description = strings.Repeat("d", 5001) }, []string{"buying_request.description"}},
		{"neither category nor prefix", koiRequest, func(r *pb.BuyingRequest) { r.HsPrefix = "" }, []string{"buying_request.category"}},
		{"category unknown", djembeRequest, func(r *pb.BuyingRequest) { r.Category = 50 }, []string{"buying_request.category"}},
		{"prefix with a dot", koiRequest, func(r *pb.BuyingRequest) { r.HsPrefix = "0301.11" }, []string{"buying_request.hs_prefix"}},
		{"prefix of one digit", djembeRequest, func(r *pb.BuyingRequest) { r.HsPrefix = "9" }, []string{"buying_request.hs_prefix"}},
		{"quantity missing", djembeRequest, func(r *pb.BuyingRequest) { r.Quantity = 0 }, []string{"buying_request.quantity"}},
		{"quantity negative", djembeRequest, func(r *pb.BuyingRequest) { r.Quantity = -80 }, []string{"buying_request.quantity"}},
		{"unit missing", koiRequest, func(r *pb.BuyingRequest) { r.Unit = "" }, []string{"buying_request.unit"}},
		{"unit too long", koiRequest, func(r *pb.BuyingRequest) { r.Unit = strings.Repeat("u", 31) }, []string{"buying_request.unit"}},
		{"target price zero", djembeRequest, func(r *pb.BuyingRequest) { r.TargetPrice = price("USD", 0, 0) }, []string{"buying_request.target_price"}},
		{"target price negative", djembeRequest, func(r *pb.BuyingRequest) { r.TargetPrice = price("USD", 0, -500000000) }, []string{"buying_request.target_price"}},
		{"target price unknown currency", koiRequest, func(r *pb.BuyingRequest) { r.TargetPrice.CurrencyCode = "YEN" }, []string{"buying_request.target_price.currency_code"}},
		{"target price too precise", djembeRequest, func(r *pb.BuyingRequest) { r.TargetPrice.Nanos = 505000000 }, []string{"buying_request.target_price.nanos"}},
		{"destination private use", djembeRequest, func(r *pb.BuyingRequest) { r.DestinationCountryCode = "ZZ" }, []string{"buying_request.destination_country_code"}},
		{"destination withdrawn", djembeRequest, func(r *pb.BuyingRequest) { r.DestinationCountryCode = "YU" }, []string{"buying_request.destination_country_code"}},
		{"incoterm unknown", djembeRequest, func(r *pb.BuyingRequest) { r.Incoterm = 12 }, []string{"buying_request.incoterm"}},
		{"certification type with space", koiRequest, func(r *pb.BuyingRequest) { r.RequiredCertificationTypes[1] = "FISH HEALTH" }, []string{"buying_request.required_certification_types[1]"}},
		{"certification type empty", koiRequest, func(r *pb.BuyingRequest) { r.RequiredCertificationTypes[0] = "" }, []string{"buying_request.required_certification_types[0]"}},
		{"certification type repeated", koiRequest, func(r *pb.BuyingRequest) {
			r.RequiredCertificationTypes = append(r.RequiredCertificationTypes, "CKIB")
		}, []string{"buying_request.required_certification_types[2]"}},
		{"too many certification types", koiRequest, func(r *pb.BuyingRequest) { r.RequiredCertificationTypes = repeat("CKIB", 21) }, []string{"buying_request.required_certification_types"}},
		{"needed by yesterday", djembeRequest, func(r *pb.BuyingRequest) { r.NeededByDate = ymd(2026, 3, 14) }, []string{"buying_request.needed_by_date"}},
		{"needed by 31 April", djembeRequest, func(r *pb.BuyingRequest) { r.NeededByDate = ymd(2026, 4, 31) }, []string{"buying_request.needed_by_date"}},
		{"needed by year zero", djembeRequest, func(r *pb.BuyingRequest) { r.NeededByDate = ymd(0, 6, 1) }, []string{"buying_request.needed_by_date"}},
		{"expired already", djembeRequest, func(r *pb.BuyingRequest) { r.ExpireTime = ts(testNow.Add(-time.Minute)) }, []string{"buying_request.expire_time"}},
		{"expires right now", djembeRequest, func(r *pb.BuyingRequest) { r.ExpireTime = ts(testNow) }, []string{"buying_request.expire_time"}},
		{"expires after 366 days", djembeRequest, func(r *pb.BuyingRequest) { r.ExpireTime = ts(testNow.Add(366*24*time.Hour + time.Second)) }, []string{"buying_request.expire_time"}},
		{"expire time out of range", djembeRequest, func(r *pb.BuyingRequest) { r.ExpireTime = &timestamppb.Timestamp{Seconds: 1 << 62} }, []string{"buying_request.expire_time"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.base()
			tt.mutate(r)
			var v Violations
			BuyingRequest(&v, "buying_request", r, testNow)
			wantFields(t, &v, tt.want...)
		})
	}
}

func TestBuyingRequestNilAndEmpty(t *testing.T) {
	var v Violations
	BuyingRequest(&v, "buying_request", nil, testNow)
	wantFields(t, &v, "buying_request")

	v = Violations{}
	BuyingRequest(&v, "buying_request", &pb.BuyingRequest{}, testNow)
	wantFields(t, &v, "buying_request.title", "buying_request.category", "buying_request.quantity", "buying_request.unit")
}
