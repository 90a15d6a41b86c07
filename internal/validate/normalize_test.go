package validate

import (
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestNormalizeProducer(t *testing.T) {
	in := &pb.Producer{
		Name:            " producers/jimbe-jaya ",
		DisplayName:     "  Jimbe Jaya Nglegok ",
		LegalName:       " CV Jimbe Jaya",
		BusinessId:      " 9120001234567 ",
		Kind:            pb.Producer_PRODUCER,
		MemberProducers: nil,
		District:        "  nglegok ",
		Village:         " Kemloko ",
		Address:         "Jl. Raya Penataran No. 12 ",
		Contact: &pb.Contact{
			PersonName: " Slamet Riyadi ",
			Phone:      "0812-3456-7890",
			Whatsapp:   " +62 812 3456 7890 ",
			Email:      " Sales@JimbeJaya.co.id ",
		},
		WebsiteUri:    " https://jimbejaya.co.id ",
		LanguageCodes: []string{" id", "en "},
		ExportHistory: []*pb.ExportRecord{
			{CountryCode: " cn ", Year: 2024, Value: &moneypb.Money{CurrencyCode: "usd", Units: 185000}, Note: " through Surabaya "},
			{CountryCode: "tw", Year: 2023, Value: &moneypb.Money{}},
		},
		Certifications: []*pb.Certification{{
			Type: " ispm15 ", Number: " 0123 ", Issuer: " Barantin ",
			IssueDate: ymd(2024, 3, 1), ExpiryDate: &date.Date{}, DocumentUri: " https://jimbejaya.co.id/ispm15.pdf ",
		}},
		Etag: " e1 ",
	}
	want := &pb.Producer{
		Name:        " producers/jimbe-jaya ",
		DisplayName: "Jimbe Jaya Nglegok",
		LegalName:   "CV Jimbe Jaya",
		BusinessId:  "9120001234567",
		Kind:        pb.Producer_PRODUCER,
		District:    "Nglegok",
		Village:     "Kemloko",
		Address:     "Jl. Raya Penataran No. 12",
		Contact: &pb.Contact{
			PersonName: "Slamet Riyadi",
			Phone:      "+6281234567890",
			Whatsapp:   "+6281234567890",
			Email:      "sales@jimbejaya.co.id",
		},
		WebsiteUri:    "https://jimbejaya.co.id",
		LanguageCodes: []string{"id", "en"},
		ExportHistory: []*pb.ExportRecord{
			{CountryCode: "CN", Year: 2024, Value: &moneypb.Money{CurrencyCode: "USD", Units: 185000}, Note: "through Surabaya"},
			{CountryCode: "TW", Year: 2023},
		},
		Certifications: []*pb.Certification{{
			Type: "ISPM15", Number: "0123", Issuer: "Barantin",
			IssueDate: ymd(2024, 3, 1), DocumentUri: "https://jimbejaya.co.id/ispm15.pdf",
		}},
		Etag: " e1 ",
	}
	NormalizeProducer(in)
	if diff := cmp.Diff(want, in, protocmp.Transform()); diff != "" {
		t.Errorf("NormalizeProducer (-want +got):\n%s", diff)
	}
	var v Violations
	ProducerAt(&v, "producer", in, testNow)
	wantFields(t, &v)

	// Normalizing twice changes nothing more.
	again := proto.Clone(in).(*pb.Producer)
	NormalizeProducer(again)
	if diff := cmp.Diff(in, again, protocmp.Transform()); diff != "" {
		t.Errorf("second NormalizeProducer changed (-first +second):\n%s", diff)
	}
}

func TestNormalizeLeavesBadValuesForValidation(t *testing.T) {
	p := &pb.Producer{
		DisplayName: "Kendang Sari",
		Kind:        pb.Producer_PRODUCER,
		District:    " Ngelgok ",
		Contact:     &pb.Contact{Phone: " 0812 ", Whatsapp: "+1 202 555"},
	}
	NormalizeProducer(p)
	if p.District != "Ngelgok" || p.Contact.Phone != "0812" || p.Contact.Whatsapp != "+1 202 555" {
		t.Errorf("normalized to district %q, phone %q, whatsapp %q; want them trimmed but as typed",
			p.District, p.Contact.Phone, p.Contact.Whatsapp)
	}
	var v Violations
	ProducerAt(&v, "producer", p, testNow)
	wantFields(t, &v, "producer.district", "producer.contact.phone", "producer.contact.whatsapp")
}

func TestNormalizeListing(t *testing.T) {
	in := &pb.Listing{
		Title:              " Kohaku koi ",
		Description:        "\tFrom Kanigoro.\n",
		Category:           pb.Category_ORNAMENTAL_FISH,
		HsCode:             " 0301.11.91 ",
		Attributes:         map[string]string{" variety ": " Kohaku ", "size_cm": "30 ", " size_cm": "35", "size_cm ": "40"},
		Unit:               " fish ",
		PriceMin:           &moneypb.Money{CurrencyCode: " jpy", Units: 8000},
		PriceMax:           &moneypb.Money{},
		ShipToCountryCodes: []string{"jp", " us "},
		ImageUris:          []string{" https://minakoi.id/kohaku.jpg "},
	}
	want := &pb.Listing{
		Title:              "Kohaku koi",
		Description:        "From Kanigoro.",
		Category:           pb.Category_ORNAMENTAL_FISH,
		HsCode:             "03011191",
		Attributes:         map[string]string{"variety": "Kohaku", "size_cm": "30", " size_cm": "35", "size_cm ": "40"},
		Unit:               "fish",
		PriceMin:           &moneypb.Money{CurrencyCode: "JPY", Units: 8000},
		ShipToCountryCodes: []string{"JP", "US"},
		ImageUris:          []string{"https://minakoi.id/kohaku.jpg"},
	}
	NormalizeListing(in)
	if diff := cmp.Diff(want, in, protocmp.Transform()); diff != "" {
		t.Errorf("NormalizeListing (-want +got):\n%s", diff)
	}
	// The keys that collided once trimmed are left for validation.
	var v Violations
	Listing(&v, "listing", in)
	wantFields(t, &v, `listing.attributes[" size_cm"]`, `listing.attributes["size_cm "]`)
}

func TestNormalizeHS(t *testing.T) {
	tests := map[string]string{
		"9206.00.20": "92060020",
		" 0301 11 ":  "030111",
		"0602":       "0602",
		"92a6":       "92a6",
		" 92-06 ":    "92-06",
		"":           "",
		" . ":        ".",
	}
	for in, want := range tests {
		if got := normalizeHS(in); got != want {
			t.Errorf("normalizeHS(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeBuyer(t *testing.T) {
	tests := []struct {
		name                  string
		country, phone, whats string
		wantPhone, wantWhats  string
	}{
		{"Japanese local number", " jp ", "06-6123-4567", "+81 6 6123 4567", "+81661234567", "+81661234567"},
		{"Hong Kong local number", "hk", "9123 4567", "", "+85291234567", ""},
		{"US number with punctuation", "US", "(212) 555-0143", "+1 212-555-0143", "+12125550143", "+12125550143"},
		{"unknown country keeps local numbers", "XX", "06-6123-4567", "+81 6 6123 4567", "06-6123-4567", "+81661234567"},
		{"missing country", "", " 9123 4567 ", "", "9123 4567", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &pb.Buyer{CountryCode: tt.country, Contact: &pb.Contact{Phone: tt.phone, Whatsapp: tt.whats, Email: " Tanaka@Example.JP "}}
			NormalizeBuyer(b)
			if b.Contact.Phone != tt.wantPhone || b.Contact.Whatsapp != tt.wantWhats {
				t.Errorf("phone %q, whatsapp %q; want %q, %q", b.Contact.Phone, b.Contact.Whatsapp, tt.wantPhone, tt.wantWhats)
			}
			if b.Contact.Email != "tanaka@example.jp" {
				t.Errorf("email %q, want it trimmed and lower-cased", b.Contact.Email)
			}
		})
	}

	in := &pb.Buyer{
		DisplayName:      " Kedai Jawa ",
		CountryCode:      " hk",
		City:             " Causeway Bay ",
		BusinessType:     pb.Buyer_RETAILER,
		WebsiteUri:       " https://kedaijawa.example.hk ",
		LanguageCodes:    []string{" zh-HK "},
		ProductInterests: []*pb.ProductInterest{{HsPrefix: " 2103.90 "}},
		ImportRegistrations: []*pb.ImportRegistration{{
			Type: " hk_food_importer ", Number: " FI-1 ", Issuer: " CFS ", CountryCode: "hk ", ExpiryDate: &date.Date{},
		}},
	}
	want := &pb.Buyer{
		DisplayName:      "Kedai Jawa",
		CountryCode:      "HK",
		City:             "Causeway Bay",
		BusinessType:     pb.Buyer_RETAILER,
		WebsiteUri:       "https://kedaijawa.example.hk",
		LanguageCodes:    []string{"zh-HK"},
		ProductInterests: []*pb.ProductInterest{{HsPrefix: "210390"}},
		ImportRegistrations: []*pb.ImportRegistration{{
			Type: "HK_FOOD_IMPORTER", Number: "FI-1", Issuer: "CFS", CountryCode: "HK",
		}},
	}
	NormalizeBuyer(in)
	if diff := cmp.Diff(want, in, protocmp.Transform()); diff != "" {
		t.Errorf("NormalizeBuyer (-want +got):\n%s", diff)
	}
	var v Violations
	Buyer(&v, "buyer", in)
	wantFields(t, &v)
}

func TestNormalizeBuyingRequest(t *testing.T) {
	in := &pb.BuyingRequest{
		Title:                      " Koi for Osaka ",
		Description:                " Kohaku ",
		HsPrefix:                   "0301.11",
		Quantity:                   80,
		Unit:                       " fish",
		TargetPrice:                &moneypb.Money{CurrencyCode: "jpy", Units: 7500},
		DestinationCountryCode:     " jp",
		RequiredCertificationTypes: []string{" ckib ", "fish_health_certificate"},
		NeededByDate:               &date.Date{},
	}
	want := &pb.BuyingRequest{
		Title:                      "Koi for Osaka",
		Description:                "Kohaku",
		HsPrefix:                   "030111",
		Quantity:                   80,
		Unit:                       "fish",
		TargetPrice:                &moneypb.Money{CurrencyCode: "JPY", Units: 7500},
		DestinationCountryCode:     "JP",
		RequiredCertificationTypes: []string{"CKIB", "FISH_HEALTH_CERTIFICATE"},
	}
	NormalizeBuyingRequest(in)
	if diff := cmp.Diff(want, in, protocmp.Transform()); diff != "" {
		t.Errorf("NormalizeBuyingRequest (-want +got):\n%s", diff)
	}
	var v Violations
	BuyingRequest(&v, "buying_request", in, testNow)
	wantFields(t, &v)
}

// A partly set date or amount is kept, so that validation can say what is
// missing instead of the value silently disappearing.
func TestNormalizeKeepsPartialValues(t *testing.T) {
	r := &pb.BuyingRequest{NeededByDate: ymd(2026, 0, 0), TargetPrice: &moneypb.Money{Units: 5}}
	NormalizeBuyingRequest(r)
	if r.NeededByDate == nil || r.TargetPrice == nil {
		t.Errorf("partly set values were dropped: date %v, price %v", r.NeededByDate, r.TargetPrice)
	}
}

func TestNormalizeNil(t *testing.T) {
	tests := []struct {
		name string
		run  func()
	}{
		{"nil producer", func() { NormalizeProducer(nil) }},
		{"nil listing", func() { NormalizeListing(nil) }},
		{"nil buyer", func() { NormalizeBuyer(nil) }},
		{"nil request", func() { NormalizeBuyingRequest(nil) }},
		{"empty producer", func() { NormalizeProducer(&pb.Producer{}) }},
		{"empty listing", func() { NormalizeListing(&pb.Listing{}) }},
		{"empty buyer", func() { NormalizeBuyer(&pb.Buyer{}) }},
		{"empty request", func() { NormalizeBuyingRequest(&pb.BuyingRequest{}) }},
		{"nil elements in producer", func() {
			NormalizeProducer(&pb.Producer{ExportHistory: []*pb.ExportRecord{nil}, Certifications: []*pb.Certification{nil}})
		}},
		{"nil elements in buyer", func() {
			NormalizeBuyer(&pb.Buyer{ProductInterests: []*pb.ProductInterest{nil}, ImportRegistrations: []*pb.ImportRegistration{nil}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("panicked: %v", r)
				}
			}()
			tt.run()
		})
	}
}

// Validators must cope with nil elements too: a Go caller can build them
// even though the wire format cannot.
func TestValidateNilElements(t *testing.T) {
	var v Violations
	ProducerAt(&v, "producer", &pb.Producer{
		DisplayName: "X", Kind: pb.Producer_PRODUCER, District: "Talun",
		ExportHistory: []*pb.ExportRecord{nil}, Certifications: []*pb.Certification{nil},
	}, testNow)
	wantFields(t, &v, "producer.export_history[0].country_code", "producer.export_history[0].year", "producer.certifications[0].type")

	v = Violations{}
	Buyer(&v, "buyer", &pb.Buyer{
		DisplayName: "X", CountryCode: "JP", BusinessType: pb.Buyer_IMPORTER,
		ProductInterests: []*pb.ProductInterest{nil}, ImportRegistrations: []*pb.ImportRegistration{nil},
	})
	wantFields(t, &v, "buyer.product_interests[0]", "buyer.import_registrations[0].type")
}
