package validate

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// koiHealthRequirement is an exporter-side row for koi to the United States.
func koiHealthRequirement() *pb.Requirement {
	return &pb.Requirement{
		Name:                   "requirements/koi-us-health-certificate",
		Title:                  "Veterinary health certificate for koi to the US",
		HsPrefix:               "030111",
		Category:               pb.Category_ORNAMENTAL_FISH,
		DestinationCountryCode: "US",
		Kind:                   pb.Requirement_CERTIFICATE,
		Obligation:             pb.Requirement_MANDATORY,
		ResponsibleParty:       pb.Requirement_EXPORTER,
		Authority:              "Barantin",
		Document:               "veterinary health certificate for live fish",
		CertificationType:      "FISH_HEALTH_CERTIFICATE",
		TypicalLeadTimeDays:    ptr(int32(7)),
		TypicalCost:            price("IDR", 150000, 0),
		ExplanationEn:          "The US admits koi only with a health certificate from the exporting country's authority.",
		ExplanationId:          "AS hanya menerima koi dengan sertifikat kesehatan dari otoritas negara pengekspor.",
		SourceTitle:            `USDA APHIS, "Import - Live Fish"`,
		SourceUri:              "https://www.aphis.usda.gov/",
		Confirmation:           pb.Requirement_CONFIRMED,
	}
}

// hkImporterRequirement is an importer-side, category-only row.
func hkImporterRequirement() *pb.Requirement {
	return &pb.Requirement{
		Title:                  "Hong Kong food importer registration (Cap. 612)",
		Category:               pb.Category_FOOD,
		DestinationCountryCode: "HK",
		Kind:                   pb.Requirement_REGISTRATION,
		Obligation:             pb.Requirement_MANDATORY,
		ResponsibleParty:       pb.Requirement_IMPORTER,
		Confirmation:           pb.Requirement_CONFIRMED,
		SourceTitle:            "Centre for Food Safety, Cap. 612",
	}
}

// svlkRequirement is an exit-side row (no destination) still to be verified.
func svlkRequirement() *pb.Requirement {
	return &pb.Requirement{
		Title:             "Timber legality document (SVLK / V-Legal)",
		HsPrefix:          "9206",
		Kind:              pb.Requirement_CERTIFICATE,
		Obligation:        pb.Requirement_RECOMMENDED,
		ResponsibleParty:  pb.Requirement_EXPORTER,
		CertificationType: "SVLK",
		Confirmation:      pb.Requirement_TO_VERIFY,
		VerificationNote:  "Check whether HS 9206 is in the annex.",
	}
}

func TestRequirementValid(t *testing.T) {
	for name, r := range map[string]*pb.Requirement{
		"exporter row with every field":    koiHealthRequirement(),
		"importer row without a type":      hkImporterRequirement(),
		"exit-side row with only a prefix": svlkRequirement(),
		"importer row with a type": func() *pb.Requirement {
			r := hkImporterRequirement()
			r.CertificationType = "HK_FOOD_IMPORTER"
			return r
		}(),
		"shorter prefix inside the category": func() *pb.Requirement { r := koiHealthRequirement(); r.HsPrefix = "03"; return r }(),
		"food row with any chapter":          func() *pb.Requirement { r := hkImporterRequirement(); r.HsPrefix = "2008"; return r }(),
		"lead time zero":                     func() *pb.Requirement { r := koiHealthRequirement(); r.TypicalLeadTimeDays = ptr(int32(0)); return r }(),
		"lead time at the cap":               func() *pb.Requirement { r := koiHealthRequirement(); r.TypicalLeadTimeDays = ptr(int32(730)); return r }(),
		"free of charge":                     func() *pb.Requirement { r := koiHealthRequirement(); r.TypicalCost = price("USD", 0, 0); return r }(),
		"per-shipment document with every field": func() *pb.Requirement {
			r := koiHealthRequirement()
			r.Issuance = pb.Requirement_PER_SHIPMENT
			r.FilingChannel = "PTK Online or SSM Ekspor (INSW)"
			r.ApplyDaysBeforeDeparture = ptr(int32(3))
			r.PrerequisiteCertificationTypes = []string{"CKIB", "JP_REGISTERED_FARM"}
			r.Condition = "the drum heads are untanned goatskin"
			r.LastCheckedDate = &date.Date{Year: 2026, Month: 12, Day: 1}
			return r
		}(),
		"held row": func() *pb.Requirement { r := koiHealthRequirement(); r.Issuance = pb.Requirement_HELD; return r }(),
		"texts at their limits": func() *pb.Requirement {
			r := koiHealthRequirement()
			r.Title = strings.Repeat("t", 200)
			r.Authority = strings.Repeat("a", 200)
			r.Document = strings.Repeat("d", 200)
			r.ExplanationEn = strings.Repeat("e", 5000)
			r.ExplanationId = strings.Repeat("i", 5000)
			r.SourceTitle = strings.Repeat("s", 300)
			r.VerificationNote = strings.Repeat("v", 1000)
			return r
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			var v Violations
			Requirement(&v, "requirement", r)
			wantFields(t, &v)
		})
	}
}

func TestRequirementInvalid(t *testing.T) {
	tests := []struct {
		name   string
		base   func() *pb.Requirement
		mutate func(r *pb.Requirement)
		want   []string
	}{
		{"title missing", koiHealthRequirement, func(r *pb.Requirement) { r.Title = "" }, []string{"requirement.title"}},
		{"title blank", koiHealthRequirement, func(r *pb.Requirement) { r.Title = "  " }, []string{"requirement.title"}},
		{"title too long", koiHealthRequirement, func(r *pb.Requirement) { r.Title = strings.Repeat("t", 201) }, []string{"requirement.title"}},
		{"neither prefix nor category", koiHealthRequirement, func(r *pb.Requirement) {
			r.HsPrefix = ""
			r.Category = pb.Category_CATEGORY_UNSPECIFIED
		}, []string{"requirement.category"}},
		{"prefix with dots", koiHealthRequirement, func(r *pb.Requirement) { r.HsPrefix = "0301.11" }, []string{"requirement.hs_prefix"}},
		{"prefix of one digit", svlkRequirement, func(r *pb.Requirement) { r.HsPrefix = "9" }, []string{"requirement.hs_prefix"}},
		{"prefix too long", svlkRequirement, func(r *pb.Requirement) { r.HsPrefix = "92060000001" }, []string{"requirement.hs_prefix"}},
		{"prefix outside the category", koiHealthRequirement, func(r *pb.Requirement) { r.HsPrefix = "9206" }, []string{"requirement.hs_prefix"}},
		{"plant row under a fish code", koiHealthRequirement, func(r *pb.Requirement) {
			r.Category = pb.Category_ORNAMENTAL_PLANT
			r.HsPrefix = "0301"
		}, []string{"requirement.hs_prefix"}},
		{"category unknown", hkImporterRequirement, func(r *pb.Requirement) { r.Category = 42 }, []string{"requirement.category"}},
		{"destination lower case", koiHealthRequirement, func(r *pb.Requirement) { r.DestinationCountryCode = "us" }, []string{"requirement.destination_country_code"}},
		{"destination a grouping", koiHealthRequirement, func(r *pb.Requirement) { r.DestinationCountryCode = "EU" }, []string{"requirement.destination_country_code"}},
		{"kind missing", koiHealthRequirement, func(r *pb.Requirement) { r.Kind = pb.Requirement_KIND_UNSPECIFIED }, []string{"requirement.kind"}},
		{"kind unknown", koiHealthRequirement, func(r *pb.Requirement) { r.Kind = 99 }, []string{"requirement.kind"}},
		{"obligation missing", koiHealthRequirement, func(r *pb.Requirement) { r.Obligation = pb.Requirement_OBLIGATION_UNSPECIFIED }, []string{"requirement.obligation"}},
		{"obligation unknown", koiHealthRequirement, func(r *pb.Requirement) { r.Obligation = 7 }, []string{"requirement.obligation"}},
		{"party missing", hkImporterRequirement, func(r *pb.Requirement) { r.ResponsibleParty = pb.Requirement_PARTY_UNSPECIFIED }, []string{"requirement.responsible_party"}},
		{"party unknown", hkImporterRequirement, func(r *pb.Requirement) { r.ResponsibleParty = 3 }, []string{"requirement.responsible_party"}},
		{"confirmation missing", koiHealthRequirement, func(r *pb.Requirement) { r.Confirmation = pb.Requirement_CONFIRMATION_UNSPECIFIED }, []string{"requirement.confirmation"}},
		{"confirmation unknown", svlkRequirement, func(r *pb.Requirement) { r.Confirmation = 5 }, []string{"requirement.confirmation"}},
		{"authority too long", koiHealthRequirement, func(r *pb.Requirement) { r.Authority = strings.Repeat("a", 201) }, []string{"requirement.authority"}},
		{"document too long", koiHealthRequirement, func(r *pb.Requirement) { r.Document = strings.Repeat("d", 201) }, []string{"requirement.document"}},
		{"exporter row without a type", koiHealthRequirement, func(r *pb.Requirement) { r.CertificationType = "" }, []string{"requirement.certification_type"}},
		{"type lower case", koiHealthRequirement, func(r *pb.Requirement) { r.CertificationType = "fish_health_certificate" }, []string{"requirement.certification_type"}},
		{"importer type malformed", hkImporterRequirement, func(r *pb.Requirement) { r.CertificationType = "HK FOOD IMPORTER" }, []string{"requirement.certification_type"}},
		{"lead time negative", koiHealthRequirement, func(r *pb.Requirement) { r.TypicalLeadTimeDays = ptr(int32(-1)) }, []string{"requirement.typical_lead_time_days"}},
		{"lead time over two years", koiHealthRequirement, func(r *pb.Requirement) { r.TypicalLeadTimeDays = ptr(int32(731)) }, []string{"requirement.typical_lead_time_days"}},
		{"cost negative", koiHealthRequirement, func(r *pb.Requirement) { r.TypicalCost = price("IDR", -150000, 0) }, []string{"requirement.typical_cost"}},
		{"cost without currency", koiHealthRequirement, func(r *pb.Requirement) { r.TypicalCost.CurrencyCode = "" }, []string{"requirement.typical_cost.currency_code"}},
		{"cost more precise than yen", koiHealthRequirement, func(r *pb.Requirement) { r.TypicalCost = price("JPY", 100, 500000000) }, []string{"requirement.typical_cost.nanos"}},
		{"explanation en too long", koiHealthRequirement, func(r *pb.Requirement) { r.ExplanationEn = strings.Repeat("e", 5001) }, []string{"requirement.explanation_en"}},
		{"explanation id too long", koiHealthRequirement, func(r *pb.Requirement) { r.ExplanationId = strings.Repeat("i", 5001) }, []string{"requirement.explanation_id"}},
		{"source uri not a web address", koiHealthRequirement, func(r *pb.Requirement) { r.SourceUri = "aphis.usda.gov" }, []string{"requirement.source_uri"}},
		{"source uri ftp", koiHealthRequirement, func(r *pb.Requirement) { r.SourceUri = "ftp://aphis.usda.gov/x.pdf" }, []string{"requirement.source_uri"}},
		{"source title too long", koiHealthRequirement, func(r *pb.Requirement) { r.SourceTitle = strings.Repeat("s", 301) }, []string{"requirement.source_title"}},
		{"verification note too long", svlkRequirement, func(r *pb.Requirement) { r.VerificationNote = strings.Repeat("v", 1001) }, []string{"requirement.verification_note"}},
		{"confirmed without a source", koiHealthRequirement, func(r *pb.Requirement) { r.SourceTitle = " " }, []string{"requirement.source_title"}},
		{"issuance unknown", koiHealthRequirement, func(r *pb.Requirement) { r.Issuance = 9 }, []string{"requirement.issuance"}},
		{"last checked a partial date", koiHealthRequirement, func(r *pb.Requirement) { r.LastCheckedDate = &date.Date{Year: 2026} }, []string{"requirement.last_checked_date"}},
		{"last checked 31 February", koiHealthRequirement, func(r *pb.Requirement) { r.LastCheckedDate = &date.Date{Year: 2026, Month: 2, Day: 31} }, []string{"requirement.last_checked_date"}},
		{"days before departure negative", koiHealthRequirement, func(r *pb.Requirement) { r.ApplyDaysBeforeDeparture = ptr(int32(-2)) }, []string{"requirement.apply_days_before_departure"}},
		{"days before departure over two years", koiHealthRequirement, func(r *pb.Requirement) { r.ApplyDaysBeforeDeparture = ptr(int32(731)) }, []string{"requirement.apply_days_before_departure"}},
		{"filing channel too long", koiHealthRequirement, func(r *pb.Requirement) { r.FilingChannel = strings.Repeat("f", 201) }, []string{"requirement.filing_channel"}},
		{"condition too long", koiHealthRequirement, func(r *pb.Requirement) { r.Condition = strings.Repeat("c", 1001) }, []string{"requirement.condition"}},
		{"prerequisite malformed", koiHealthRequirement, func(r *pb.Requirement) { r.PrerequisiteCertificationTypes = []string{"CKIB", "svlk cert"} }, []string{"requirement.prerequisite_certification_types[1]"}},
		{"prerequisite empty", koiHealthRequirement, func(r *pb.Requirement) { r.PrerequisiteCertificationTypes = []string{""} }, []string{"requirement.prerequisite_certification_types[0]"}},
		{"too many prerequisites", koiHealthRequirement, func(r *pb.Requirement) {
			r.PrerequisiteCertificationTypes = slices.Repeat([]string{"CKIB"}, 21)
		}, []string{"requirement.prerequisite_certification_types"}},
		{"several at once", koiHealthRequirement, func(r *pb.Requirement) {
			r.Title = ""
			r.Kind = pb.Requirement_KIND_UNSPECIFIED
			r.CertificationType = ""
			r.SourceUri = "not a uri"
		}, []string{"requirement.title", "requirement.kind", "requirement.certification_type", "requirement.source_uri"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.base()
			tt.mutate(r)
			var v Violations
			Requirement(&v, "requirement", r)
			wantFields(t, &v, tt.want...)
		})
	}
}

func TestRequirementNil(t *testing.T) {
	var v Violations
	Requirement(&v, "requirement", nil)
	wantFields(t, &v, "requirement")
}

// A request whose body is the requirement itself validates with an empty
// parent path.
func TestRequirementTopLevelPaths(t *testing.T) {
	r := koiHealthRequirement()
	r.CertificationType = ""
	var v Violations
	Requirement(&v, "", r)
	wantFields(t, &v, "certification_type")
	// A row still to be verified may lack its source; a confirmed one not.
	r = svlkRequirement()
	v = Violations{}
	Requirement(&v, "", r)
	wantFields(t, &v)
}

func TestRequirementDescriptions(t *testing.T) {
	tests := []struct {
		name     string
		base     func() *pb.Requirement
		mutate   func(r *pb.Requirement)
		field    string
		contains string
	}{
		{"type needed by the readiness check", koiHealthRequirement, func(r *pb.Requirement) { r.CertificationType = "" }, "requirement.certification_type", "responsible_party is EXPORTER"},
		{"product scope", hkImporterRequirement, func(r *pb.Requirement) { r.Category = pb.Category_CATEGORY_UNSPECIFIED }, "requirement.category", "needs a category, an hs_prefix or both"},
		{"scope", koiHealthRequirement, func(r *pb.Requirement) { r.HsPrefix = "9206" }, "requirement.hs_prefix", "category and HS prefix disagree"},
		{"lead time range", koiHealthRequirement, func(r *pb.Requirement) { r.TypicalLeadTimeDays = ptr(int32(900)) }, "requirement.typical_lead_time_days", "is 900; expected 0 to 730 days"},
		{"enum names listed", koiHealthRequirement, func(r *pb.Requirement) { r.ResponsibleParty = pb.Requirement_PARTY_UNSPECIFIED }, "requirement.responsible_party", "EXPORTER, IMPORTER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.base()
			tt.mutate(r)
			var v Violations
			Requirement(&v, "requirement", r)
			if d := description(&v, tt.field); !strings.Contains(d, tt.contains) {
				t.Errorf("description of %s = %q, want it to contain %q%s", tt.field, d, tt.contains, describe(&v))
			}
		})
	}
}

func TestNormalizeRequirement(t *testing.T) {
	in := &pb.Requirement{
		Name:                   "requirements/koi-us-health-certificate",
		Title:                  " Veterinary health certificate ",
		HsPrefix:               " 0301.11 ",
		Category:               pb.Category_ORNAMENTAL_FISH,
		DestinationCountryCode: " us",
		Kind:                   pb.Requirement_CERTIFICATE,
		Obligation:             pb.Requirement_MANDATORY,
		ResponsibleParty:       pb.Requirement_EXPORTER,
		Authority:              " Barantin\n",
		Document:               "\tKI-1 ",
		CertificationType:      " fish_health_certificate ",
		TypicalCost:            &moneypb.Money{},
		ExplanationEn:          " Needed. ",
		ExplanationId:          " Wajib. ",
		SourceTitle:            " APHIS ",
		SourceUri:              " https://www.aphis.usda.gov/ ",
		Confirmation:           pb.Requirement_TO_VERIFY,
		VerificationNote:       " check ",
		Etag:                   " keep ",
	}
	want := &pb.Requirement{
		Name:                   "requirements/koi-us-health-certificate",
		Title:                  "Veterinary health certificate",
		HsPrefix:               "030111",
		Category:               pb.Category_ORNAMENTAL_FISH,
		DestinationCountryCode: "US",
		Kind:                   pb.Requirement_CERTIFICATE,
		Obligation:             pb.Requirement_MANDATORY,
		ResponsibleParty:       pb.Requirement_EXPORTER,
		Authority:              "Barantin",
		Document:               "KI-1",
		CertificationType:      "FISH_HEALTH_CERTIFICATE",
		ExplanationEn:          "Needed.",
		ExplanationId:          "Wajib.",
		SourceTitle:            "APHIS",
		SourceUri:              "https://www.aphis.usda.gov/",
		Confirmation:           pb.Requirement_TO_VERIFY,
		VerificationNote:       "check",
		Etag:                   " keep ",
	}
	NormalizeRequirement(in)
	if diff := cmp.Diff(want, in, protocmp.Transform()); diff != "" {
		t.Errorf("NormalizeRequirement (-want +got):\n%s", diff)
	}
	var v Violations
	Requirement(&v, "requirement", in)
	wantFields(t, &v)
}

func TestNormalizeRequirementNil(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("panicked: %v", r)
		}
	}()
	NormalizeRequirement(nil)
	NormalizeRequirement(&pb.Requirement{})
}
