package validate

import (
	"fmt"
	"strings"
	"testing"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"google.golang.org/protobuf/proto"
)

// djembeMaker is a kendang jimbe workshop in Nglegok that so far exported
// through a Surabaya trader.
func djembeMaker() *pb.Producer {
	return &pb.Producer{
		DisplayName: "Jimbe Jaya Nglegok",
		LegalName:   "CV Jimbe Jaya",
		BusinessId:  "9120001234567",
		Kind:        pb.Producer_PRODUCER,
		District:    "Nglegok",
		Village:     "Kemloko",
		Address:     "Jl. Raya Penataran No. 12, Nglegok",
		Contact: &pb.Contact{
			PersonName: "Slamet Riyadi",
			Phone:      "+6281234567890",
			Whatsapp:   "+6281234567890",
			Email:      "sales@jimbejaya.co.id",
		},
		WebsiteUri:    "https://jimbejaya.co.id",
		LanguageCodes: []string{"id", "en", "zh"},
		YearFounded:   2008,
		WorkerCount:   23,
		ExportHistory: []*pb.ExportRecord{
			{CountryCode: "CN", Year: 2024, Value: price("USD", 185000, 0), Note: "through a Surabaya exporter"},
			{CountryCode: "TW", Year: 2024},
			{CountryCode: "CN", Year: 2023, Value: price("IDR", 950000000, 0)},
		},
		Certifications: []*pb.Certification{
			{
				Type: "ISPM15", Number: "ID-0123/ISPM15/2024", Issuer: "Barantin",
				IssueDate: ymd(2024, 3, 1), ExpiryDate: ymd(2027, 2, 28),
				DocumentUri: "https://jimbejaya.co.id/docs/ispm15.pdf",
			},
			{Type: "SVLK", Issuer: "Kemendag"},
		},
	}
}

// consolidator ships djembe for several makers under its own name.
func consolidator() *pb.Producer {
	return &pb.Producer{
		DisplayName:      "Cherry Blossom Ekspor",
		LegalName:        "CV Cherry Blossom",
		Kind:             pb.Producer_CONSOLIDATOR,
		MemberProducers:  []string{"producers/jimbe-jaya-nglegok", "producers/kendang-sari-garum", "producers/k7"},
		District:         "Garum",
		ExportsInOwnName: true,
		ExportHistory:    []*pb.ExportRecord{{CountryCode: "CN", Year: 2025, Value: price("USD", 1250000, 0)}},
	}
}

// koiFarm breeds koi in Kanigoro and holds CKIB.
func koiFarm() *pb.Producer {
	return &pb.Producer{
		DisplayName:   "Mina Koi Kanigoro",
		Kind:          pb.Producer_PRODUCER,
		District:      "Kanigoro",
		Contact:       &pb.Contact{Whatsapp: "+6285712345678"},
		LanguageCodes: []string{"id", "ja", "zh-TW"},
		ExportHistory: []*pb.ExportRecord{{CountryCode: "MY", Year: 2022, Value: price("MYR", 12000, 500000000), Note: "80 fish, first direct export"}},
		Certifications: []*pb.Certification{{
			Type: "CKIB", Number: "CKIB/2023/0456", Issuer: "Barantin",
			IssueDate: ymd(2023, 6, 1), ExpiryDate: ymd(2023, 6, 1),
		}},
	}
}

func TestProducerValid(t *testing.T) {
	for name, p := range map[string]*pb.Producer{
		"djembe maker in Nglegok":     djembeMaker(),
		"consolidator in Garum":       consolidator(),
		"koi farm in Kanigoro":        koiFarm(),
		"only the required fields":    {DisplayName: "Sambal Pecel Bu Tini", Kind: pb.Producer_PRODUCER, District: "Wlingi"},
		"founded this year in WIB":    {DisplayName: "Tanaman Hias Doko", Kind: pb.Producer_PRODUCER, District: "Doko", YearFounded: 2026},
		"empty consolidator":          {DisplayName: "Gabungan Garum", Kind: pb.Producer_CONSOLIDATOR, District: "Garum"},
		"year founded at the floor":   {DisplayName: "Pande Wesi", Kind: pb.Producer_PRODUCER, District: "Srengat", YearFounded: 1900, WorkerCount: 1_000_000},
		"djembe maker in Kota Blitar": {DisplayName: "Kendang Sentul", Kind: pb.Producer_PRODUCER, District: "Kota Blitar", Village: "Sentul"},
	} {
		t.Run(name, func(t *testing.T) {
			var v Violations
			ProducerAt(&v, "producer", p, testNow)
			wantFields(t, &v)
		})
	}
}

// "Ngelegok", the spelling of the programme's article, is normalised to
// Nglegok and then valid.
func TestProducerDistrictAlias(t *testing.T) {
	p := djembeMaker()
	p.District = " Ngelegok"
	NormalizeProducer(p)
	if p.District != "Nglegok" {
		t.Fatalf("normalised district %q, want Nglegok", p.District)
	}
	var v Violations
	ProducerAt(&v, "producer", p, testNow)
	wantFields(t, &v)
}

func TestProducerUsesClock(t *testing.T) {
	var v Violations
	Producer(&v, "producer", djembeMaker())
	wantFields(t, &v)
}

func TestProducerInvalid(t *testing.T) {
	members := make([]string, 501)
	for i := range members {
		members[i] = fmt.Sprintf("producers/maker-%d", i)
	}
	tests := []struct {
		name   string
		base   func() *pb.Producer
		mutate func(p *pb.Producer)
		want   []string
	}{
		{"display name missing", djembeMaker, func(p *pb.Producer) { p.DisplayName = "" }, []string{"producer.display_name"}},
		{"display name blank", djembeMaker, func(p *pb.Producer) { p.DisplayName = "   " }, []string{"producer.display_name"}},
		{"display name too long", djembeMaker, func(p *pb.Producer) { p.DisplayName = strings.Repeat("a", 201) }, []string{"producer.display_name"}},
		{"legal name too long", djembeMaker, func(p *pb.Producer) { p.LegalName = strings.Repeat("é", 201) }, []string{"producer.legal_name"}},
		{"business id too short", djembeMaker, func(p *pb.Producer) { p.BusinessId = "912000123456" }, []string{"producer.business_id"}},
		{"business id with a letter", djembeMaker, func(p *pb.Producer) { p.BusinessId = "912000123456X" }, []string{"producer.business_id"}},
		{"kind missing", djembeMaker, func(p *pb.Producer) { p.Kind = pb.Producer_KIND_UNSPECIFIED }, []string{"producer.kind"}},
		{"kind unknown", djembeMaker, func(p *pb.Producer) { p.Kind = 9 }, []string{"producer.kind"}},
		{"members on a plain producer", djembeMaker, func(p *pb.Producer) { p.MemberProducers = []string{"producers/kendang-sari-garum"} }, []string{"producer.member_producers"}},
		{"member without collection", consolidator, func(p *pb.Producer) { p.MemberProducers[1] = "kendang-sari-garum" }, []string{"producer.member_producers[1]"}},
		{"member with upper-case id", consolidator, func(p *pb.Producer) { p.MemberProducers[0] = "producers/Jimbe" }, []string{"producer.member_producers[0]"}},
		{"member of the wrong collection", consolidator, func(p *pb.Producer) { p.MemberProducers[0] = "buyers/osaka-koi" }, []string{"producer.member_producers[0]"}},
		{"member id ending in hyphen", consolidator, func(p *pb.Producer) { p.MemberProducers[2] = "producers/k7-" }, []string{"producer.member_producers[2]"}},
		{"member repeated", consolidator, func(p *pb.Producer) { p.MemberProducers[2] = p.MemberProducers[0] }, []string{"producer.member_producers[2]"}},
		{"too many members", consolidator, func(p *pb.Producer) { p.MemberProducers = members }, []string{"producer.member_producers"}},
		{"district missing", djembeMaker, func(p *pb.Producer) { p.District = "" }, []string{"producer.district"}},
		{"district misspelt", djembeMaker, func(p *pb.Producer) { p.District = "Ngelgok" }, []string{"producer.district"}},
		{"district not canonical", djembeMaker, func(p *pb.Producer) { p.District = "nglegok" }, []string{"producer.district"}},
		{"district is a kecamatan of the city", djembeMaker, func(p *pb.Producer) { p.District = "Sukorejo" }, []string{"producer.district"}},
		{"village too long", djembeMaker, func(p *pb.Producer) { p.Village = strings.Repeat("v", 201) }, []string{"producer.village"}},
		{"address too long", djembeMaker, func(p *pb.Producer) { p.Address = strings.Repeat("a", 501) }, []string{"producer.address"}},
		{"contact person too long", djembeMaker, func(p *pb.Producer) { p.Contact.PersonName = strings.Repeat("p", 201) }, []string{"producer.contact.person_name"}},
		{"phone in national form", djembeMaker, func(p *pb.Producer) { p.Contact.Phone = "081234567890" }, []string{"producer.contact.phone"}},
		{"phone with spaces", djembeMaker, func(p *pb.Producer) { p.Contact.Phone = "+62 812 3456 7890" }, []string{"producer.contact.phone"}},
		{"phone too short to exist", djembeMaker, func(p *pb.Producer) { p.Contact.Phone = "+62812" }, []string{"producer.contact.phone"}},
		{"whatsapp with trunk zero", djembeMaker, func(p *pb.Producer) { p.Contact.Whatsapp = "+62081234567890" }, []string{"producer.contact.whatsapp"}},
		{"email with display name", djembeMaker, func(p *pb.Producer) { p.Contact.Email = "Slamet <slamet@jimbejaya.co.id>" }, []string{"producer.contact.email"}},
		{"email without domain", djembeMaker, func(p *pb.Producer) { p.Contact.Email = "slamet@" }, []string{"producer.contact.email"}},
		{"website without scheme", djembeMaker, func(p *pb.Producer) { p.WebsiteUri = "jimbejaya.co.id" }, []string{"producer.website_uri"}},
		{"website over ftp", djembeMaker, func(p *pb.Producer) { p.WebsiteUri = "ftp://jimbejaya.co.id" }, []string{"producer.website_uri"}},
		{"unknown language", djembeMaker, func(p *pb.Producer) { p.LanguageCodes[1] = "xx" }, []string{"producer.language_codes[1]"}},
		{"language not a tag", djembeMaker, func(p *pb.Producer) { p.LanguageCodes[0] = "Bahasa Indonesia" }, []string{"producer.language_codes[0]"}},
		{"language repeated in other case", djembeMaker, func(p *pb.Producer) { p.LanguageCodes[2] = "EN" }, []string{"producer.language_codes[2]"}},
		{"too many languages", djembeMaker, func(p *pb.Producer) { p.LanguageCodes = repeat("id", 21) }, []string{"producer.language_codes"}},
		{"founded before 1900", djembeMaker, func(p *pb.Producer) { p.YearFounded = 1899 }, []string{"producer.year_founded"}},
		{"founded next year", djembeMaker, func(p *pb.Producer) { p.YearFounded = 2027 }, []string{"producer.year_founded"}},
		{"founded negative", djembeMaker, func(p *pb.Producer) { p.YearFounded = -5 }, []string{"producer.year_founded"}},
		{"negative workers", djembeMaker, func(p *pb.Producer) { p.WorkerCount = -1 }, []string{"producer.worker_count"}},
		{"too many workers", djembeMaker, func(p *pb.Producer) { p.WorkerCount = 1_000_001 }, []string{"producer.worker_count"}},
		{"export country missing", djembeMaker, func(p *pb.Producer) { p.ExportHistory[0].CountryCode = "" }, []string{"producer.export_history[0].country_code"}},
		{"export country deprecated", djembeMaker, func(p *pb.Producer) { p.ExportHistory[1].CountryCode = "UK" }, []string{"producer.export_history[1].country_code"}},
		{"export year missing", djembeMaker, func(p *pb.Producer) { p.ExportHistory[0].Year = 0 }, []string{"producer.export_history[0].year"}},
		{"export year before 1950", djembeMaker, func(p *pb.Producer) { p.ExportHistory[0].Year = 1949 }, []string{"producer.export_history[0].year"}},
		{"export year in the future", djembeMaker, func(p *pb.Producer) { p.ExportHistory[2].Year = 2027 }, []string{"producer.export_history[2].year"}},
		{"export value negative", djembeMaker, func(p *pb.Producer) { p.ExportHistory[0].Value = price("USD", -10, 0) }, []string{"producer.export_history[0].value"}},
		{"export value unknown currency", djembeMaker, func(p *pb.Producer) { p.ExportHistory[0].Value.CurrencyCode = "RPH" }, []string{"producer.export_history[0].value.currency_code"}},
		{"export note too long", djembeMaker, func(p *pb.Producer) { p.ExportHistory[0].Note = strings.Repeat("n", 501) }, []string{"producer.export_history[0].note"}},
		{"export record repeated", djembeMaker, func(p *pb.Producer) { p.ExportHistory[2].Year = 2024 }, []string{"producer.export_history[2]"}},
		{"too many export records", djembeMaker, func(p *pb.Producer) {
			p.ExportHistory = make([]*pb.ExportRecord, 201)
			for i := range p.ExportHistory {
				p.ExportHistory[i] = &pb.ExportRecord{CountryCode: "CN", Year: 2024}
			}
		}, []string{"producer.export_history"}},
		{"certification type missing", djembeMaker, func(p *pb.Producer) { p.Certifications[0].Type = "" }, []string{"producer.certifications[0].type"}},
		{"certification type lower case", djembeMaker, func(p *pb.Producer) { p.Certifications[1].Type = "svlk" }, []string{"producer.certifications[1].type"}},
		{"certification type one letter", djembeMaker, func(p *pb.Producer) { p.Certifications[1].Type = "S" }, []string{"producer.certifications[1].type"}},
		{"certification number too long", djembeMaker, func(p *pb.Producer) { p.Certifications[0].Number = strings.Repeat("1", 201) }, []string{"producer.certifications[0].number"}},
		{"certification issuer too long", djembeMaker, func(p *pb.Producer) { p.Certifications[0].Issuer = strings.Repeat("b", 201) }, []string{"producer.certifications[0].issuer"}},
		{"issue date 30 February", djembeMaker, func(p *pb.Producer) { p.Certifications[0].IssueDate = ymd(2025, 2, 30) }, []string{"producer.certifications[0].issue_date"}},
		{"issue date without day", djembeMaker, func(p *pb.Producer) { p.Certifications[0].IssueDate = ymd(2025, 2, 0) }, []string{"producer.certifications[0].issue_date"}},
		{"expiry date month 13", djembeMaker, func(p *pb.Producer) { p.Certifications[0].ExpiryDate = ymd(2027, 13, 1) }, []string{"producer.certifications[0].expiry_date"}},
		{"expiry before issue", djembeMaker, func(p *pb.Producer) { p.Certifications[0].ExpiryDate = ymd(2024, 2, 29) }, []string{"producer.certifications[0].expiry_date"}},
		{"document not a link", djembeMaker, func(p *pb.Producer) { p.Certifications[0].DocumentUri = "C:\\scan\\ispm15.pdf" }, []string{"producer.certifications[0].document_uri"}},
		{"too many certifications", djembeMaker, func(p *pb.Producer) {
			p.Certifications = make([]*pb.Certification, 101)
			for i := range p.Certifications {
				p.Certifications[i] = &pb.Certification{Type: "HALAL"}
			}
		}, []string{"producer.certifications"}},
		{"several fields at once", djembeMaker, func(p *pb.Producer) {
			p.DisplayName = ""
			p.District = "Ngelgok"
			p.Contact.Phone = "0812"
		}, []string{"producer.display_name", "producer.district", "producer.contact.phone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.base()
			tt.mutate(p)
			var v Violations
			ProducerAt(&v, "producer", p, testNow)
			wantFields(t, &v, tt.want...)
		})
	}
}

func TestProducerNil(t *testing.T) {
	var v Violations
	ProducerAt(&v, "producer", nil, testNow)
	wantFields(t, &v, "producer")
}

func TestProducerEmptyNeedsRequiredFields(t *testing.T) {
	var v Violations
	ProducerAt(&v, "producer", &pb.Producer{}, testNow)
	wantFields(t, &v, "producer.display_name", "producer.kind", "producer.district")
}

func TestProducerFieldPrefix(t *testing.T) {
	p := djembeMaker()
	p.Contact.Email = "not-an-address"
	var v Violations
	ProducerAt(&v, "", p, testNow)
	wantFields(t, &v, "contact.email")
}

func TestProducerDistrictDescription(t *testing.T) {
	tests := []struct {
		district string
		contains []string
	}{
		{"Ngelgok", []string{`"Ngelgok" is not a kecamatan of Kabupaten Blitar`, "expected one of Bakung, Binangun,", "Wonotirto", "did you mean Nglegok?"}},
		{"Surabaya", []string{`"Surabaya" is not a kecamatan`}},
		{"wlingi", []string{`"Wlingi"`}},
	}
	for _, tt := range tests {
		t.Run(tt.district, func(t *testing.T) {
			p := djembeMaker()
			p.District = tt.district
			var v Violations
			ProducerAt(&v, "producer", p, testNow)
			d := description(&v, "producer.district")
			for _, c := range tt.contains {
				if !strings.Contains(d, c) {
					t.Errorf("description %q does not contain %q", d, c)
				}
			}
			if tt.district == "Surabaya" && strings.Contains(d, "did you mean") {
				t.Errorf("description %q suggests a district for an unrelated name", d)
			}
		})
	}
}

func TestProducerDoesNotCheckOutputOnlyFields(t *testing.T) {
	p := djembeMaker()
	p.Name = "not a resource name"
	p.Etag = "\x00 anything"
	p.VerificationState = 42
	p.VerificationNote = strings.Repeat("x", 10000)
	var v Violations
	ProducerAt(&v, "producer", p, testNow)
	wantFields(t, &v)
}

func TestProducerDoesNotModifyInput(t *testing.T) {
	p := djembeMaker()
	p.District = " nglegok "
	before := proto.Clone(p)
	var v Violations
	ProducerAt(&v, "producer", p, testNow)
	if !proto.Equal(before, p) {
		t.Error("ProducerAt changed its input")
	}
}
