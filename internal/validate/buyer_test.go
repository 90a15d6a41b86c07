package validate

import (
	"strings"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func koiImporter() *pb.Buyer {
	return &pb.Buyer{
		DisplayName:  "Osaka Nishikigoi Trading",
		CountryCode:  "JP",
		City:         "Osaka",
		BusinessType: pb.Buyer_IMPORTER,
		WebsiteUri:   "https://nishikigoi-trading.example.jp/",
		Contact: &pb.Contact{
			PersonName: "Tanaka Hiroshi",
			Phone:      "+81661234567",
			Email:      "tanaka@nishikigoi-trading.example.jp",
		},
		LanguageCodes: []string{"ja", "en"},
		ProductInterests: []*pb.ProductInterest{
			{Category: pb.Category_ORNAMENTAL_FISH, HsPrefix: "030111"},
		},
	}
}

func sambalImporter() *pb.Buyer {
	return &pb.Buyer{
		DisplayName:  "Kedai Jawa Causeway Bay",
		CountryCode:  "HK",
		BusinessType: pb.Buyer_RETAILER,
		Contact:      &pb.Contact{Whatsapp: "+85291234567"},
		LanguageCodes: []string{
			"zh-HK", "id",
		},
		ProductInterests: []*pb.ProductInterest{{Category: pb.Category_FOOD}, {HsPrefix: "2103"}},
		ImportRegistrations: []*pb.ImportRegistration{{
			Type: "HK_FOOD_IMPORTER", Number: "FI-123456", Issuer: "Centre for Food Safety",
			CountryCode: "HK", ExpiryDate: ymd(2028, 1, 31),
		}},
	}
}

func drumDistributor() *pb.Buyer {
	return &pb.Buyer{
		DisplayName:      "Guangzhou Rhythm Instruments",
		CountryCode:      "CN",
		City:             "Guangzhou",
		BusinessType:     pb.Buyer_DISTRIBUTOR,
		Contact:          &pb.Contact{Phone: "+8613812345678"},
		ProductInterests: []*pb.ProductInterest{{Category: pb.Category_MUSICAL_INSTRUMENT, HsPrefix: "92"}},
	}
}

func TestBuyerValid(t *testing.T) {
	for name, b := range map[string]*pb.Buyer{
		"koi importer in Osaka":        koiImporter(),
		"sambal retailer in Hong Kong": sambalImporter(),
		"drum distributor in China":    drumDistributor(),
		"plant seller in the US":       {DisplayName: "Aroid Haven", CountryCode: "US", BusinessType: pb.Buyer_ONLINE_SELLER},
		"buyer in Taiwan":              {DisplayName: "Taipei Percussion", CountryCode: "TW", BusinessType: pb.Buyer_WHOLESALER},
	} {
		t.Run(name, func(t *testing.T) {
			var v Violations
			Buyer(&v, "buyer", b)
			wantFields(t, &v)
		})
	}
}

func TestBuyerInvalid(t *testing.T) {
	tests := []struct {
		name   string
		base   func() *pb.Buyer
		mutate func(b *pb.Buyer)
		want   []string
	}{
		{"display name missing", koiImporter, func(b *pb.Buyer) { b.DisplayName = "" }, []string{"buyer.display_name"}},
		{"display name too long", koiImporter, func(b *pb.Buyer) { b.DisplayName = strings.Repeat("o", 201) }, []string{"buyer.display_name"}},
		{"country missing", koiImporter, func(b *pb.Buyer) { b.CountryCode = "" }, []string{"buyer.country_code"}},
		{"country a grouping", koiImporter, func(b *pb.Buyer) { b.CountryCode = "EU" }, []string{"buyer.country_code"}},
		{"country alpha-3", koiImporter, func(b *pb.Buyer) { b.CountryCode = "JPN" }, []string{"buyer.country_code"}},
		{"country lower case", koiImporter, func(b *pb.Buyer) { b.CountryCode = "jp" }, []string{"buyer.country_code"}},
		{"city too long", koiImporter, func(b *pb.Buyer) { b.City = strings.Repeat("c", 201) }, []string{"buyer.city"}},
		{"business type missing", koiImporter, func(b *pb.Buyer) { b.BusinessType = pb.Buyer_BUSINESS_TYPE_UNSPECIFIED }, []string{"buyer.business_type"}},
		{"business type unknown", koiImporter, func(b *pb.Buyer) { b.BusinessType = 40 }, []string{"buyer.business_type"}},
		{"website with credentials", koiImporter, func(b *pb.Buyer) { b.WebsiteUri = "https://admin:secret@nishikigoi.example.jp" }, []string{"buyer.website_uri"}},
		{"phone in national form", koiImporter, func(b *pb.Buyer) { b.Contact.Phone = "06-6123-4567" }, []string{"buyer.contact.phone"}},
		{"whatsapp not a number", sambalImporter, func(b *pb.Buyer) { b.Contact.Whatsapp = "+852 WHATSAPP" }, []string{"buyer.contact.whatsapp"}},
		{"email on localhost", koiImporter, func(b *pb.Buyer) { b.Contact.Email = "tanaka@localhost" }, []string{"buyer.contact.email"}},
		{"contact person too long", koiImporter, func(b *pb.Buyer) { b.Contact.PersonName = strings.Repeat("t", 201) }, []string{"buyer.contact.person_name"}},
		{"language und", koiImporter, func(b *pb.Buyer) { b.LanguageCodes[0] = "und" }, []string{"buyer.language_codes[0]"}},
		{"language repeated", koiImporter, func(b *pb.Buyer) { b.LanguageCodes[1] = "ja" }, []string{"buyer.language_codes[1]"}},
		{"interest without category or prefix", koiImporter, func(b *pb.Buyer) {
			b.ProductInterests = append(b.ProductInterests, &pb.ProductInterest{})
		}, []string{"buyer.product_interests[1]"}},
		{"interest prefix of one digit", drumDistributor, func(b *pb.Buyer) { b.ProductInterests[0].HsPrefix = "9" }, []string{"buyer.product_interests[0].hs_prefix"}},
		{"interest prefix with dot", sambalImporter, func(b *pb.Buyer) { b.ProductInterests[1].HsPrefix = "2103.90" }, []string{"buyer.product_interests[1].hs_prefix"}},
		{"interest prefix too long", sambalImporter, func(b *pb.Buyer) { b.ProductInterests[1].HsPrefix = "21039000001" }, []string{"buyer.product_interests[1].hs_prefix"}},
		{"interest category unknown", drumDistributor, func(b *pb.Buyer) { b.ProductInterests[0].Category = 77 }, []string{"buyer.product_interests[0].category"}},
		{"too many interests", drumDistributor, func(b *pb.Buyer) {
			for range 50 {
				b.ProductInterests = append(b.ProductInterests, &pb.ProductInterest{HsPrefix: "92"})
			}
		}, []string{"buyer.product_interests"}},
		{"registration type missing", sambalImporter, func(b *pb.Buyer) { b.ImportRegistrations[0].Type = "" }, []string{"buyer.import_registrations[0].type"}},
		{"registration type with hyphen", sambalImporter, func(b *pb.Buyer) { b.ImportRegistrations[0].Type = "HK-FOOD" }, []string{"buyer.import_registrations[0].type"}},
		{"registration number too long", sambalImporter, func(b *pb.Buyer) { b.ImportRegistrations[0].Number = strings.Repeat("9", 201) }, []string{"buyer.import_registrations[0].number"}},
		{"registration issuer too long", sambalImporter, func(b *pb.Buyer) { b.ImportRegistrations[0].Issuer = strings.Repeat("i", 201) }, []string{"buyer.import_registrations[0].issuer"}},
		{"registration country alpha-3", sambalImporter, func(b *pb.Buyer) { b.ImportRegistrations[0].CountryCode = "HKG" }, []string{"buyer.import_registrations[0].country_code"}},
		{"registration expiry not a date", sambalImporter, func(b *pb.Buyer) { b.ImportRegistrations[0].ExpiryDate = ymd(2028, 2, 30) }, []string{"buyer.import_registrations[0].expiry_date"}},
		{"registration expiry year only", sambalImporter, func(b *pb.Buyer) { b.ImportRegistrations[0].ExpiryDate = ymd(2028, 0, 0) }, []string{"buyer.import_registrations[0].expiry_date"}},
		{"too many registrations", sambalImporter, func(b *pb.Buyer) {
			for range 20 {
				b.ImportRegistrations = append(b.ImportRegistrations, &pb.ImportRegistration{Type: "IMPORT_LICENCE"})
			}
		}, []string{"buyer.import_registrations"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.base()
			tt.mutate(b)
			var v Violations
			Buyer(&v, "buyer", b)
			wantFields(t, &v, tt.want...)
		})
	}
}

func TestBuyerNilAndEmpty(t *testing.T) {
	var v Violations
	Buyer(&v, "buyer", nil)
	wantFields(t, &v, "buyer")

	v = Violations{}
	Buyer(&v, "buyer", &pb.Buyer{})
	wantFields(t, &v, "buyer.display_name", "buyer.country_code", "buyer.business_type")
}
