package mongostore

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/requirement"
)

// Fixture times are whole milliseconds, the precision of a BSON date.
var (
	created = time.Date(2025, 11, 4, 2, 30, 15, 250_000_000, time.UTC)
	updated = time.Date(2026, 3, 2, 9, 5, 0, 125_000_000, time.UTC)
)

func ts(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }

func usd(units int64, nanos int32) *moneypb.Money {
	return &moneypb.Money{CurrencyCode: "USD", Units: units, Nanos: nanos}
}

// koiFarm is a koi farm in Kanigoro that exports to Japan.
func koiFarm() *pb.Producer {
	return &pb.Producer{
		Name:        "producers/koi-sawentar",
		DisplayName: "Koi Sawentar Kanigoro",
		LegalName:   "CV Mina Koi Sawentar",
		BusinessId:  "9120301234567",
		Kind:        pb.Producer_PRODUCER,
		District:    "Kanigoro",
		Village:     "Sawentar",
		Address:     "Jl. Raya Sawentar No. 12",
		Contact: &pb.Contact{
			PersonName: "Bambang Sutrisno",
			Phone:      "+62342801234",
			Whatsapp:   "+6281234567890",
			Email:      "koi@sawentar.example",
		},
		WebsiteUri:    "https://koisawentar.example",
		LanguageCodes: []string{"id", "en", "ja"},
		YearFounded:   2009,
		WorkerCount:   14,
		ExportHistory: []*pb.ExportRecord{
			{CountryCode: "JP", Year: 2025, Value: usd(38250, 0), Note: "Niigata auction buyers"},
			{CountryCode: "JP", Year: 2024, Note: "through a Surabaya exporter"},
		},
		ExportsInOwnName: true,
		Certifications: []*pb.Certification{{
			Type:        "CKIB",
			Number:      "CKIB/3505/2024/017",
			Issuer:      "Barantin",
			IssueDate:   &date.Date{Year: 2024, Month: 3, Day: 11},
			ExpiryDate:  &date.Date{Year: 2027, Month: 3, Day: 10},
			DocumentUri: "https://files.example/ckib-017.pdf",
		}},
		VerificationState: pb.VerificationState_VERIFIED,
		VerificationNote:  "NIB and CKIB certificate checked on 2026-03-02",
		CreateTime:        ts(created),
		UpdateTime:        ts(updated),
	}
}

// consolidator ships for several djembe workshops in Nglegok.
func consolidator() *pb.Producer {
	return &pb.Producer{
		Name:              "producers/nglegok-jimbe-export",
		DisplayName:       "Nglegok Jimbe Export",
		Kind:              pb.Producer_CONSOLIDATOR,
		MemberProducers:   []string{"producers/jimbe-jaya", "producers/kendang-mulya"},
		District:          "Nglegok",
		VerificationState: pb.VerificationState_PENDING_REVIEW,
		CreateTime:        ts(created),
		UpdateTime:        ts(created),
	}
}

func djembe() *pb.Listing {
	return &pb.Listing{
		Name:               "producers/jimbe-jaya/listings/djembe-60",
		Title:              "Djembe 60 cm, mahogany, goatskin head",
		Description:        "Hand-carved in Nglegok; rope tuned; FOB Tanjung Perak.",
		Category:           pb.Category_MUSICAL_INSTRUMENT,
		HsCode:             "920600",
		Attributes:         map[string]string{"size_cm": "60", "wood": "mahogany"},
		Unit:               "piece",
		PriceMin:           usd(45, 500_000_000),
		PriceMax:           usd(60, 0),
		MinOrderQuantity:   proto.Int64(100),
		MonthlyCapacity:    proto.Int64(800),
		LeadTimeDays:       proto.Int32(45),
		ShipToCountryCodes: []string{"US", "DE", "JP"},
		ImageUris:          []string{"https://files.example/djembe-60-front.jpg"},
		State:              pb.Listing_ACTIVE,
		CreateTime:         ts(created),
		UpdateTime:         ts(updated),
	}
}

func hongKongImporter() *pb.Buyer {
	return &pb.Buyer{
		Name:         "buyers/lucky-harvest-hk",
		DisplayName:  "Lucky Harvest Trading Ltd",
		CountryCode:  "HK",
		City:         "Kowloon",
		BusinessType: pb.Buyer_IMPORTER,
		WebsiteUri:   "https://luckyharvest.example.hk",
		Contact: &pb.Contact{
			PersonName: "Chan Tai Man",
			Phone:      "+85223456789",
			Email:      "sourcing@luckyharvest.example.hk",
		},
		LanguageCodes: []string{"en", "zh-Hant"},
		ProductInterests: []*pb.ProductInterest{
			{Category: pb.Category_FOOD, HsPrefix: "2103"},
			{Category: pb.Category_ORNAMENTAL_FISH},
		},
		ImportRegistrations: []*pb.ImportRegistration{{
			Type:        "HK_FOOD_IMPORTER",
			Number:      "FI-2023-04417",
			Issuer:      "Centre for Food Safety",
			CountryCode: "HK",
			ExpiryDate:  &date.Date{Year: 2026, Month: 11, Day: 30},
		}},
		VerificationState: pb.VerificationState_VERIFIED,
		VerificationNote:  "Cap. 612 registration checked",
		CreateTime:        ts(created),
		UpdateTime:        ts(updated),
	}
}

func kohakuRequest() *pb.BuyingRequest {
	return &pb.BuyingRequest{
		Name:                       "buyers/osaka-nishikigoi/buyingRequests/spring-kohaku",
		Title:                      "300 Kohaku koi, 25-30 cm, for the spring season",
		Description:                "Tosai grade; quarantine documents required.",
		Category:                   pb.Category_ORNAMENTAL_FISH,
		HsPrefix:                   "030111",
		Quantity:                   300,
		Unit:                       "fish",
		TargetPrice:                &moneypb.Money{CurrencyCode: "JPY", Units: 12000},
		DestinationCountryCode:     "JP",
		Incoterm:                   pb.Incoterm_CIF,
		RequiredCertificationTypes: []string{"CKIB", "FISH_HEALTH_CERTIFICATE"},
		NeededByDate:               &date.Date{Year: 2026, Month: 4, Day: 15},
		ExpireTime:                 ts(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)),
		State:                      pb.BuyingRequest_OPEN,
		CreateTime:                 ts(created),
		UpdateTime:                 ts(updated),
	}
}

// roundTrip takes m through toDoc, BSON and fromDoc as the store does,
// with the version the store would have set.
func roundTrip[M proto.Message, D any](t *testing.T, m M, toDoc func(M) (*D, error), fromDoc func(*D) M, version func(*D) *int64, v int64) M {
	t.Helper()
	d, err := toDoc(m)
	if err != nil {
		t.Fatalf("toDoc: %v", err)
	}
	if got := *version(d); got != 0 {
		t.Fatalf("toDoc set version %d; only the store may", got)
	}
	*version(d) = v
	raw, err := bson.Marshal(d)
	if err != nil {
		t.Fatalf("bson.Marshal: %v", err)
	}
	if _, err := bson.Raw(raw).LookupErr("etag"); err == nil {
		t.Errorf("document stores an etag; it must derive from the version")
	}
	var back D
	if err := bson.Unmarshal(raw, &back); err != nil {
		t.Fatalf("bson.Unmarshal: %v", err)
	}
	return fromDoc(&back)
}

func producerRoundTrip(t *testing.T, p *pb.Producer, v int64) *pb.Producer {
	return roundTrip(t, p, producerToDoc, producerFromDoc, func(d *producerDoc) *int64 { return &d.Version }, v)
}

func listingRoundTrip(t *testing.T, l *pb.Listing, v int64) *pb.Listing {
	return roundTrip(t, l, listingToDoc, listingFromDoc, func(d *listingDoc) *int64 { return &d.Version }, v)
}

func buyerRoundTrip(t *testing.T, b *pb.Buyer, v int64) *pb.Buyer {
	return roundTrip(t, b, buyerToDoc, buyerFromDoc, func(d *buyerDoc) *int64 { return &d.Version }, v)
}

func buyingRequestRoundTrip(t *testing.T, r *pb.BuyingRequest, v int64) *pb.BuyingRequest {
	return roundTrip(t, r, buyingRequestToDoc, buyingRequestFromDoc, func(d *buyingRequestDoc) *int64 { return &d.Version }, v)
}

func TestDocRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   proto.Message
		run  func(*testing.T, proto.Message, int64) proto.Message
	}{
		{"producer/koi farm", koiFarm(), func(t *testing.T, m proto.Message, v int64) proto.Message {
			return producerRoundTrip(t, m.(*pb.Producer), v)
		}},
		{"producer/consolidator", consolidator(), func(t *testing.T, m proto.Message, v int64) proto.Message {
			return producerRoundTrip(t, m.(*pb.Producer), v)
		}},
		{"producer/no contact or times", &pb.Producer{Name: "producers/x", DisplayName: "X", Kind: pb.Producer_PRODUCER, District: "Wlingi"},
			func(t *testing.T, m proto.Message, v int64) proto.Message {
				return producerRoundTrip(t, m.(*pb.Producer), v)
			}},
		{"listing/djembe", djembe(), func(t *testing.T, m proto.Message, v int64) proto.Message {
			return listingRoundTrip(t, m.(*pb.Listing), v)
		}},
		{"buyer/hong kong importer", hongKongImporter(), func(t *testing.T, m proto.Message, v int64) proto.Message {
			return buyerRoundTrip(t, m.(*pb.Buyer), v)
		}},
		{"buying request/kohaku", kohakuRequest(), func(t *testing.T, m proto.Message, v int64) proto.Message {
			return buyingRequestRoundTrip(t, m.(*pb.BuyingRequest), v)
		}},
		{"buying request/hs prefix only, no price, date or expiry", &pb.BuyingRequest{
			Name:     "buyers/b/buyingRequests/sambal",
			Title:    "Sambal pecel, 200 g jars",
			HsPrefix: "2103",
			Quantity: 5000,
			Unit:     "jar",
			State:    pb.BuyingRequest_CLOSED,
		}, func(t *testing.T, m proto.Message, v int64) proto.Message {
			return buyingRequestRoundTrip(t, m.(*pb.BuyingRequest), v)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := proto.Clone(tt.in)
			etag := want.ProtoReflect().Descriptor().Fields().ByName("etag")
			want.ProtoReflect().Set(etag, protoreflect.ValueOfString("v3"))

			got := tt.run(t, tt.in, 3)
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Requirements keep every field, the per-shipment and last-checked fields
// included, and every row of the seed catalogue survives the store.
func TestRequirementDocRoundTrip(t *testing.T) {
	t.Parallel()
	lead, before := int32(14), int32(3)
	full := &pb.Requirement{
		Name:                           "requirements/koi-jp-health-conditions",
		Title:                          "Koi to Japan: health certificate",
		HsPrefix:                       "030111",
		Category:                       pb.Category_ORNAMENTAL_FISH,
		DestinationCountryCode:         "JP",
		Kind:                           pb.Requirement_CERTIFICATE,
		Obligation:                     pb.Requirement_MANDATORY,
		ResponsibleParty:               pb.Requirement_EXPORTER,
		Authority:                      "Barantin",
		Document:                       "health certificate",
		CertificationType:              "JP_FISH_HEALTH_CERTIFICATE",
		TypicalLeadTimeDays:            &lead,
		TypicalCost:                    &moneypb.Money{CurrencyCode: "IDR", Units: 150000},
		ExplanationEn:                  "en",
		ExplanationId:                  "id",
		SourceTitle:                    "MAFF",
		SourceUri:                      "https://www.maff.go.jp/",
		Confirmation:                   pb.Requirement_TO_VERIFY,
		VerificationNote:               "ask MAFF",
		CreateTime:                     timestamppb.New(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)),
		UpdateTime:                     timestamppb.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)),
		LastCheckedDate:                &date.Date{Year: 2026, Month: 12, Day: 1},
		Issuance:                       pb.Requirement_PER_SHIPMENT,
		FilingChannel:                  "PTK Online or SSM Ekspor (INSW)",
		ApplyDaysBeforeDeparture:       &before,
		PrerequisiteCertificationTypes: []string{"JP_REGISTERED_FARM", "CKIB"},
		Condition:                      "the fish come from a registered farm",
	}
	rows := append([]*pb.Requirement{full}, requirement.Catalogue()...)
	for _, r := range rows {
		t.Run(r.GetName(), func(t *testing.T) {
			want := proto.Clone(r).(*pb.Requirement)
			want.Etag = "v2"
			got := roundTrip(t, r, requirementToDoc, requirementFromDoc, func(d *requirementDoc) *int64 { return &d.Version }, 2)
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListingDocOptionalInts(t *testing.T) {
	t.Parallel()
	keys := []string{"minOrderQuantity", "monthlyCapacity", "leadTimeDays"}
	tests := []struct {
		name      string
		moq, cap  *int64
		lead      *int32
		wantInDoc bool
	}{
		{"unknown stays nil", nil, nil, nil, false},
		{"zero stays zero", proto.Int64(0), proto.Int64(0), proto.Int32(0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := djembe()
			l.MinOrderQuantity, l.MonthlyCapacity, l.LeadTimeDays = tt.moq, tt.cap, tt.lead

			d, err := listingToDoc(l)
			if err != nil {
				t.Fatalf("listingToDoc: %v", err)
			}
			raw, err := bson.Marshal(d)
			if err != nil {
				t.Fatalf("bson.Marshal: %v", err)
			}
			for _, k := range keys {
				if _, err := bson.Raw(raw).LookupErr(k); (err == nil) != tt.wantInDoc {
					t.Errorf("key %q in document = %v, want %v", k, err == nil, tt.wantInDoc)
				}
			}

			got := listingRoundTrip(t, l, 1)
			if (got.MinOrderQuantity == nil) != (tt.moq == nil) ||
				(got.MonthlyCapacity == nil) != (tt.cap == nil) ||
				(got.LeadTimeDays == nil) != (tt.lead == nil) {
				t.Errorf("presence changed: got moq=%v cap=%v lead=%v", got.MinOrderQuantity, got.MonthlyCapacity, got.LeadTimeDays)
			}
			l.Etag = "v1"
			if diff := cmp.Diff(l, got, protocmp.Transform()); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDocBSONShape pins the stored form that queries and indexes rely on:
// minor units, enum names, dates at midnight UTC, the derived parent.
func TestDocBSONShape(t *testing.T) {
	t.Parallel()
	marshal := func(t *testing.T, d any, err error) bson.Raw {
		t.Helper()
		if err != nil {
			t.Fatalf("toDoc: %v", err)
		}
		raw, err := bson.Marshal(d)
		if err != nil {
			t.Fatalf("bson.Marshal: %v", err)
		}
		return raw
	}
	midnight := func(y int, m time.Month, d int) bson.DateTime {
		return bson.NewDateTimeFromTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
	}
	tests := []struct {
		name string
		doc  func(*testing.T) bson.Raw
		want map[string]any // dotted path -> value
	}{
		{"listing", func(t *testing.T) bson.Raw { d, err := listingToDoc(djembe()); return marshal(t, d, err) }, map[string]any{
			"_id":                  "producers/jimbe-jaya/listings/djembe-60",
			"parent":               "producers/jimbe-jaya",
			"priceMin.currency":    "USD",
			"priceMin.minor":       int64(4550),
			"priceMax.minor":       int64(6000),
			"category":             "MUSICAL_INSTRUMENT",
			"state":                "ACTIVE",
			"hsCode":               "920600",
			"attributes.size_cm":   "60",
			"attributes.wood":      "mahogany",
			"minOrderQuantity":     int64(100),
			"leadTimeDays":         int32(45),
			"shipToCountryCodes.2": "JP",
			"createTime":           bson.NewDateTimeFromTime(created),
		}},
		{"producer", func(t *testing.T) bson.Raw { d, err := producerToDoc(koiFarm()); return marshal(t, d, err) }, map[string]any{
			"kind":                         "PRODUCER",
			"verificationState":            "VERIFIED",
			"exportsInOwnName":             true,
			"contact.personName":           "Bambang Sutrisno",
			"exportHistory.0.countryCode":  "JP",
			"exportHistory.0.value.minor":  int64(3825000),
			"certifications.0.type":        "CKIB",
			"certifications.0.issueDate":   midnight(2024, time.March, 11),
			"certifications.0.expiryDate":  midnight(2027, time.March, 10),
			"certifications.0.documentUri": "https://files.example/ckib-017.pdf",
		}},
		{"producer not exporting in own name", func(t *testing.T) bson.Raw { d, err := producerToDoc(consolidator()); return marshal(t, d, err) }, map[string]any{
			// Must be present, or `exports_in_own_name = false` would not match.
			"exportsInOwnName":  false,
			"kind":              "CONSOLIDATOR",
			"memberProducers.1": "producers/kendang-mulya",
		}},
		{"buyer", func(t *testing.T) bson.Raw { d, err := buyerToDoc(hongKongImporter()); return marshal(t, d, err) }, map[string]any{
			"businessType":                     "IMPORTER",
			"productInterests.0.category":      "FOOD",
			"productInterests.0.hsPrefix":      "2103",
			"productInterests.1.category":      "ORNAMENTAL_FISH",
			"importRegistrations.0.type":       "HK_FOOD_IMPORTER",
			"importRegistrations.0.expiryDate": midnight(2026, time.November, 30),
		}},
		{"buying request", func(t *testing.T) bson.Raw { d, err := buyingRequestToDoc(kohakuRequest()); return marshal(t, d, err) }, map[string]any{
			"parent":                       "buyers/osaka-nishikigoi",
			"targetPrice.currency":         "JPY",
			"targetPrice.minor":            int64(12000),
			"incoterm":                     "CIF",
			"state":                        "OPEN",
			"destinationCountryCode":       "JP",
			"requiredCertificationTypes.1": "FISH_HEALTH_CERTIFICATE",
			"neededByDate":                 midnight(2026, time.April, 15),
			"expireTime":                   midnight(2026, time.May, 1),
		}},
		{"unspecified enums are stored by name too", func(t *testing.T) bson.Raw {
			d, err := buyingRequestToDoc(&pb.BuyingRequest{Name: "buyers/b/buyingRequests/r"})
			return marshal(t, d, err)
		}, map[string]any{
			"category": "CATEGORY_UNSPECIFIED",
			"incoterm": "INCOTERM_UNSPECIFIED",
			"state":    "STATE_UNSPECIFIED",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.doc(t)
			for path, want := range tt.want {
				v, err := raw.LookupErr(strings.Split(path, ".")...)
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				var got any
				switch want.(type) {
				case string:
					got, _ = v.StringValueOK()
				case int64:
					got, _ = v.Int64OK()
				case int32:
					got, _ = v.Int32OK()
				case bool:
					got, _ = v.BooleanOK()
				case bson.DateTime:
					ms, _ := v.DateTimeOK()
					got = bson.DateTime(ms)
				}
				if got != want {
					t.Errorf("%s = %v (BSON %s), want %v (%T)", path, v, v.Type, want, want)
				}
			}
		})
	}
}

func TestDocUnknownEnumNamesReadAsZero(t *testing.T) {
	t.Parallel()
	l := listingFromDoc(&listingDoc{ID: "producers/p/listings/l", Category: "SPACESHIP", State: "RETIRED"})
	if l.GetCategory() != pb.Category_CATEGORY_UNSPECIFIED || l.GetState() != pb.Listing_STATE_UNSPECIFIED {
		t.Errorf("category, state = %v, %v; want the zero values", l.GetCategory(), l.GetState())
	}
	b := buyerFromDoc(&buyerDoc{BusinessType: "", ProductInterests: []productInterestDoc{{Category: "koi"}}})
	if b.GetBusinessType() != pb.Buyer_BUSINESS_TYPE_UNSPECIFIED || b.GetProductInterests()[0].GetCategory() != pb.Category_CATEGORY_UNSPECIFIED {
		t.Errorf("business type, interest category = %v, %v; want the zero values", b.GetBusinessType(), b.GetProductInterests()[0].GetCategory())
	}
}

func TestDocConversionErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		toDoc   func() error
		wantErr error // nil: any error
	}{
		{"listing price with invalid currency", func() error {
			l := djembe()
			l.PriceMin = &moneypb.Money{CurrencyCode: "usd", Units: 45, Nanos: 500_000_000}
			_, err := listingToDoc(l)
			return err
		}, money.ErrUnknownCurrency},
		{"listing max price below a cent", func() error {
			l := djembe()
			l.PriceMax = usd(60, 1)
			_, err := listingToDoc(l)
			return err
		}, money.ErrTooPrecise},
		{"producer export value with invalid currency", func() error {
			p := koiFarm()
			p.ExportHistory[1].Value = &moneypb.Money{CurrencyCode: "RUPIAH", Units: 1}
			_, err := producerToDoc(p)
			return err
		}, money.ErrUnknownCurrency},
		{"buying request target price below one yen", func() error {
			r := kohakuRequest()
			r.TargetPrice.Nanos = 500_000_000
			_, err := buyingRequestToDoc(r)
			return err
		}, money.ErrTooPrecise},
		{"listing category out of range", func() error {
			l := djembe()
			l.Category = pb.Category(99)
			_, err := listingToDoc(l)
			return err
		}, nil},
		{"producer certificate date without a day", func() error {
			p := koiFarm()
			p.Certifications[0].ExpiryDate = &date.Date{Year: 2027, Month: 3}
			_, err := producerToDoc(p)
			return err
		}, nil},
		{"buyer registration date without a year", func() error {
			b := hongKongImporter()
			b.ImportRegistrations[0].ExpiryDate = &date.Date{Month: 11, Day: 30}
			_, err := buyerToDoc(b)
			return err
		}, nil},
		{"buying request on 31 April", func() error {
			r := kohakuRequest()
			r.NeededByDate = &date.Date{Year: 2026, Month: 4, Day: 31}
			_, err := buyingRequestToDoc(r)
			return err
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.toDoc()
			if err == nil {
				t.Fatal("toDoc succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("toDoc error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestDocTimestampsTruncatedToMillis: the store returns the message built
// from the document it wrote, so that message must already have the
// precision a later read will have.
func TestDocTimestampsTruncatedToMillis(t *testing.T) {
	t.Parallel()
	r := kohakuRequest()
	r.ExpireTime = ts(time.Date(2026, 5, 1, 12, 0, 0, 123_456_789, time.UTC))
	d, err := buyingRequestToDoc(r)
	if err != nil {
		t.Fatalf("buyingRequestToDoc: %v", err)
	}
	want := time.Date(2026, 5, 1, 12, 0, 0, 123_000_000, time.UTC)
	if got := buyingRequestFromDoc(d).GetExpireTime().AsTime(); !got.Equal(want) {
		t.Errorf("expire_time = %v, want %v", got, want)
	}
	if got := buyingRequestRoundTrip(t, r, 1).GetExpireTime().AsTime(); !got.Equal(want) {
		t.Errorf("expire_time after BSON = %v, want %v", got, want)
	}
}

// TestDocFilterFields checks both ends of every filter mapping: the path is a
// field of the API message, and the BSON key exists in a stored document.
func TestDocFilterFields(t *testing.T) {
	t.Parallel()
	marshal := func(d any, err error) bson.Raw {
		if err != nil {
			t.Fatalf("toDoc: %v", err)
		}
		raw, err := bson.Marshal(d)
		if err != nil {
			t.Fatalf("bson.Marshal: %v", err)
		}
		return raw
	}
	tests := []struct {
		name   string
		fields map[string]string
		msg    protoreflect.MessageDescriptor
		doc    bson.Raw
	}{
		{"producer", producerFilterFields, (&pb.Producer{}).ProtoReflect().Descriptor(), marshal(producerToDoc(koiFarm()))},
		{"listing", listingFilterFields, (&pb.Listing{}).ProtoReflect().Descriptor(), marshal(listingToDoc(djembe()))},
		{"buyer", buyerFilterFields, (&pb.Buyer{}).ProtoReflect().Descriptor(), marshal(buyerToDoc(hongKongImporter()))},
		{"buying request", buyingRequestFilterFields, (&pb.BuyingRequest{}).ProtoReflect().Descriptor(), marshal(buyingRequestToDoc(kohakuRequest()))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for path, key := range tt.fields {
				if !protoPathExists(tt.msg, path) {
					t.Errorf("filter path %q is not a field of %s", path, tt.msg.FullName())
				}
				if !bsonPathExists(tt.doc, strings.Split(key, ".")) {
					t.Errorf("filter path %q maps to %q, which the stored document does not have", path, key)
				}
			}
		})
	}
}

func protoPathExists(md protoreflect.MessageDescriptor, path string) bool {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		fd := md.Fields().ByName(protoreflect.Name(p))
		if fd == nil {
			return false
		}
		if i < len(parts)-1 {
			if fd.Message() == nil {
				return false
			}
			md = fd.Message()
		}
	}
	return true
}

// bsonPathExists follows a dotted key the way a MongoDB query does: through
// arrays into any of their elements.
func bsonPathExists(doc bson.Raw, keys []string) bool {
	if len(keys) == 0 {
		return true
	}
	v, err := doc.LookupErr(keys[0])
	if err != nil {
		return false
	}
	if len(keys) == 1 {
		return true
	}
	if arr, ok := v.ArrayOK(); ok {
		vals, err := arr.Values()
		if err != nil {
			return false
		}
		for _, e := range vals {
			if sub, ok := e.DocumentOK(); ok && bsonPathExists(sub, keys[1:]) {
				return true
			}
		}
		return false
	}
	sub, ok := v.DocumentOK()
	return ok && bsonPathExists(sub, keys[1:])
}

func TestEtag(t *testing.T) {
	t.Parallel()
	for _, v := range []int64{0, 1, 3, 1 << 40} {
		got, ok := parseEtag(formatEtag(v))
		if !ok || got != v {
			t.Errorf("parseEtag(formatEtag(%d)) = %d, %v", v, got, ok)
		}
	}
	if got := formatEtag(3); got != "v3" {
		t.Errorf("formatEtag(3) = %q, want \"v3\"", got)
	}
	for _, bad := range []string{"", "v", "3", "V3", "w3", "v-1", "v+3", "v03", "v3a", " v3", `"v3"`, "W/v3", "v9223372036854775808"} {
		if v, ok := parseEtag(bad); ok {
			t.Errorf("parseEtag(%q) = %d, true; want false", bad, v)
		}
	}
}

func TestParentOf(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, want string }{
		{"producers/jimbe-jaya/listings/djembe-60", "producers/jimbe-jaya"},
		{"buyers/osaka-nishikigoi/buyingRequests/spring-kohaku", "buyers/osaka-nishikigoi"},
		{"producers/jimbe-jaya", ""},
		{"producers", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := parentOf(tt.name); got != tt.want {
			t.Errorf("parentOf(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
