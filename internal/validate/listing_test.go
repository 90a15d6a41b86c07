package validate

import (
	"fmt"
	"strings"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func djembeListing() *pb.Listing {
	return &pb.Listing{
		Title:       "Djembe 60 cm, mahogany body, goatskin head",
		Description: "Hand-carved kendang jimbe from Nglegok. Wood packaging treated under ISPM 15.",
		Category:    pb.Category_MUSICAL_INSTRUMENT,
		HsCode:      "92060020",
		Attributes:  map[string]string{"size_cm": "60", "body_wood": "mahogany", "head": "goatskin"},
		Unit:        "piece",
		PriceMin:    price("USD", 45, 0),
		PriceMax:    price("USD", 60, 500000000),
		// One container holds about 3,600 drums.
		MinOrderQuantity:   ptr(int64(100)),
		MonthlyCapacity:    ptr(int64(3600)),
		LeadTimeDays:       ptr(int32(45)),
		ShipToCountryCodes: []string{"CN", "TW"},
		ImageUris:          []string{"https://jimbejaya.co.id/img/djembe-60.jpg"},
	}
}

func koiListing() *pb.Listing {
	return &pb.Listing{
		Title:              "Kohaku koi, 30 cm, CKIB farm",
		Category:           pb.Category_ORNAMENTAL_FISH,
		HsCode:             "03011191",
		Attributes:         map[string]string{"variety": "Kohaku", "size_cm": "30"},
		Unit:               "fish",
		PriceMin:           price("JPY", 8000, 0),
		PriceMax:           price("JPY", 8000, 0),
		LeadTimeDays:       ptr(int32(0)),
		ShipToCountryCodes: []string{"JP", "US"},
	}
}

func monsteraListing() *pb.Listing {
	return &pb.Listing{
		Title:    "Monstera deliciosa, bare-root",
		Category: pb.Category_ORNAMENTAL_PLANT,
		HsCode:   "060290",
		Unit:     "plant",
		PriceMin: price("USD", 5, 0),
		PriceMax: price("USD", 250, 0),
	}
}

func sambalListing() *pb.Listing {
	return &pb.Listing{
		Title:            "Sambal pecel, 500 g pouch",
		Category:         pb.Category_FOOD,
		HsCode:           "210390",
		Unit:             "kg",
		PriceMin:         price("HKD", 65, 0),
		MinOrderQuantity: ptr(int64(3)),
	}
}

func TestListingValid(t *testing.T) {
	for name, l := range map[string]*pb.Listing{
		"djembe to China":             djembeListing(),
		"koi to Japan":                koiListing(),
		"monstera to the US":          monsteraListing(),
		"sambal pecel to Hong Kong":   sambalListing(),
		"only required fields":        {Title: "Kendang", Category: pb.Category_HANDICRAFT, Unit: "piece"},
		"food is not checked against": {Title: "Keripik", Category: pb.Category_FOOD, HsCode: "9206", Unit: "kg"},
		"free price":                  {Title: "Sample", Category: pb.Category_OTHER, Unit: "piece", PriceMin: price("USD", 0, 0)},
		"lead time at the limit":      {Title: "Djembe", Category: pb.Category_MUSICAL_INSTRUMENT, HsCode: "9206", Unit: "piece", LeadTimeDays: ptr(int32(365))},
	} {
		t.Run(name, func(t *testing.T) {
			var v Violations
			Listing(&v, "listing", l)
			wantFields(t, &v)
		})
	}
}

func TestListingInvalid(t *testing.T) {
	manyAttrs := make(map[string]string, 51)
	for i := range 51 {
		manyAttrs[fmt.Sprintf("a%d", i)] = "x"
	}
	tests := []struct {
		name   string
		base   func() *pb.Listing
		mutate func(l *pb.Listing)
		want   []string
	}{
		{"title missing", djembeListing, func(l *pb.Listing) { l.Title = " " }, []string{"listing.title"}},
		{"title too long", djembeListing, func(l *pb.Listing) { l.Title = strings.Repeat("t", 201) }, []string{"listing.title"}},
		{"description too long", djembeListing, func(l *pb.Listing) { l.Description = strings.Repeat("d", 5001) }, []string{"listing.description"}},
		{"category missing", djembeListing, func(l *pb.Listing) { l.Category = pb.Category_CATEGORY_UNSPECIFIED }, []string{"listing.category"}},
		{"category unknown", sambalListing, func(l *pb.Listing) { l.Category = 99 }, []string{"listing.category"}},
		{"hs code with dots", djembeListing, func(l *pb.Listing) { l.HsCode = "9206.00.20" }, []string{"listing.hs_code"}},
		{"hs code of 3 digits", djembeListing, func(l *pb.Listing) { l.HsCode = "920" }, []string{"listing.hs_code"}},
		{"hs code of 5 digits", djembeListing, func(l *pb.Listing) { l.HsCode = "92060" }, []string{"listing.hs_code"}},
		{"koi under an instrument code", koiListing, func(l *pb.Listing) { l.HsCode = "920600" }, []string{"listing.hs_code"}},
		{"koi under food fish", koiListing, func(l *pb.Listing) { l.HsCode = "0302" }, []string{"listing.hs_code"}},
		{"plant under a fish code", monsteraListing, func(l *pb.Listing) { l.HsCode = "030111" }, []string{"listing.hs_code"}},
		{"djembe under a plant code", djembeListing, func(l *pb.Listing) { l.HsCode = "0602" }, []string{"listing.hs_code"}},
		{"too many attributes", djembeListing, func(l *pb.Listing) { l.Attributes = manyAttrs }, []string{"listing.attributes"}},
		{"attribute key with space", djembeListing, func(l *pb.Listing) { l.Attributes["Size cm"] = "60" }, []string{`listing.attributes["Size cm"]`}},
		{"attribute key upper case", djembeListing, func(l *pb.Listing) { l.Attributes["Wood"] = "mahogany" }, []string{"listing.attributes[Wood]"}},
		{"attribute key too long", djembeListing, func(l *pb.Listing) { l.Attributes["k"+strings.Repeat("x", 40)] = "v" }, []string{"listing.attributes[k" + strings.Repeat("x", 40) + "]"}},
		{"attribute value empty", djembeListing, func(l *pb.Listing) { l.Attributes["size_cm"] = "  " }, []string{"listing.attributes[size_cm]"}},
		{"attribute value too long", koiListing, func(l *pb.Listing) { l.Attributes["variety"] = strings.Repeat("k", 201) }, []string{"listing.attributes[variety]"}},
		{"unit missing", djembeListing, func(l *pb.Listing) { l.Unit = "" }, []string{"listing.unit"}},
		{"unit too long", djembeListing, func(l *pb.Listing) { l.Unit = strings.Repeat("u", 31) }, []string{"listing.unit"}},
		{"min price lower-case currency", djembeListing, func(l *pb.Listing) { l.PriceMin.CurrencyCode = "usd" }, []string{"listing.price_min.currency_code"}},
		{"min price without currency", djembeListing, func(l *pb.Listing) { l.PriceMin.CurrencyCode = "" }, []string{"listing.price_min.currency_code"}},
		{"max price unknown currency", djembeListing, func(l *pb.Listing) { l.PriceMax.CurrencyCode = "XYZ" }, []string{"listing.price_max.currency_code"}},
		{"yen with sen", koiListing, func(l *pb.Listing) { l.PriceMin.Nanos = 500000000 }, []string{"listing.price_min.nanos"}},
		{"negative price", djembeListing, func(l *pb.Listing) { l.PriceMin = price("USD", -45, 0) }, []string{"listing.price_min"}},
		{"nanos out of range", djembeListing, func(l *pb.Listing) { l.PriceMax.Nanos = 1_000_000_000 }, []string{"listing.price_max.nanos"}},
		{"max without min", monsteraListing, func(l *pb.Listing) { l.PriceMin = nil }, []string{"listing.price_min"}},
		{"currencies differ", monsteraListing, func(l *pb.Listing) { l.PriceMax.CurrencyCode = "EUR" }, []string{"listing.price_max.currency_code"}},
		{"minimum above maximum", djembeListing, func(l *pb.Listing) { l.PriceMin = price("USD", 60, 510000000) }, []string{"listing.price_min"}},
		{"min order zero", djembeListing, func(l *pb.Listing) { l.MinOrderQuantity = ptr(int64(0)) }, []string{"listing.min_order_quantity"}},
		{"min order negative", djembeListing, func(l *pb.Listing) { l.MinOrderQuantity = ptr(int64(-3)) }, []string{"listing.min_order_quantity"}},
		{"capacity zero", djembeListing, func(l *pb.Listing) { l.MonthlyCapacity = ptr(int64(0)) }, []string{"listing.monthly_capacity"}},
		{"lead time negative", djembeListing, func(l *pb.Listing) { l.LeadTimeDays = ptr(int32(-1)) }, []string{"listing.lead_time_days"}},
		{"lead time over a year", djembeListing, func(l *pb.Listing) { l.LeadTimeDays = ptr(int32(366)) }, []string{"listing.lead_time_days"}},
		{"ship to a private-use code", djembeListing, func(l *pb.Listing) { l.ShipToCountryCodes[1] = "XX" }, []string{"listing.ship_to_country_codes[1]"}},
		{"ship to a grouping", djembeListing, func(l *pb.Listing) { l.ShipToCountryCodes[0] = "EU" }, []string{"listing.ship_to_country_codes[0]"}},
		{"ship to lower case", djembeListing, func(l *pb.Listing) { l.ShipToCountryCodes[0] = "cn" }, []string{"listing.ship_to_country_codes[0]"}},
		{"ship to empty", djembeListing, func(l *pb.Listing) { l.ShipToCountryCodes[0] = "" }, []string{"listing.ship_to_country_codes[0]"}},
		{"ship to repeated", koiListing, func(l *pb.Listing) { l.ShipToCountryCodes = append(l.ShipToCountryCodes, "JP") }, []string{"listing.ship_to_country_codes[2]"}},
		{"ship to too many", djembeListing, func(l *pb.Listing) { l.ShipToCountryCodes = repeat("CN", 251) }, []string{"listing.ship_to_country_codes"}},
		{"image empty", djembeListing, func(l *pb.Listing) { l.ImageUris[0] = "" }, []string{"listing.image_uris[0]"}},
		{"image without scheme", djembeListing, func(l *pb.Listing) { l.ImageUris = append(l.ImageUris, "www.jimbejaya.co.id/a.jpg") }, []string{"listing.image_uris[1]"}},
		{"image with space", djembeListing, func(l *pb.Listing) { l.ImageUris[0] = "https://jimbejaya.co.id/img/djembe 60.jpg" }, []string{"listing.image_uris[0]"}},
		{"too many images", djembeListing, func(l *pb.Listing) { l.ImageUris = repeat("https://x.id/a.jpg", 21) }, []string{"listing.image_uris"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.base()
			tt.mutate(l)
			var v Violations
			Listing(&v, "listing", l)
			wantFields(t, &v, tt.want...)
		})
	}
}

func TestListingNil(t *testing.T) {
	var v Violations
	Listing(&v, "listing", nil)
	wantFields(t, &v, "listing")
}

func TestListingDescriptions(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(l *pb.Listing)
		field    string
		contains string
	}{
		{"minimum above maximum", func(l *pb.Listing) { l.PriceMin = price("USD", 70, 0) }, "listing.price_min", "minimum above maximum: price_min is USD 70.00 but price_max is USD 60.50"},
		{"category and code", func(l *pb.Listing) { l.HsCode = "0602" }, "listing.hs_code", "category and HS code disagree"},
		{"currencies", func(l *pb.Listing) { l.PriceMax.CurrencyCode = "CNY" }, "listing.price_max.currency_code", "is CNY but price_min is in USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := djembeListing()
			tt.mutate(l)
			var v Violations
			Listing(&v, "listing", l)
			if d := description(&v, tt.field); !strings.Contains(d, tt.contains) {
				t.Errorf("description of %s = %q, want it to contain %q%s", tt.field, d, tt.contains, describe(&v))
			}
		})
	}
}
