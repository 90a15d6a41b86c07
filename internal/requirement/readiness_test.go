package requirement

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/seed"
)

func TestStandingOn(t *testing.T) {
	const typ = "CKIB"
	expired := cert(typ, "old", day(-30))
	valid := cert(typ, "current", day(200))
	later := cert(typ, "later", day(400))
	forever := cert(typ, "forever", nil)
	tests := []struct {
		name     string
		certs    []*pb.Certification
		want     pb.ReadinessStatus
		wantCert string // number of the certificate reported
		wantDays *int32
	}{
		{"no certificates", nil, pb.ReadinessStatus_MISSING, "", nil},
		{"only other types", []*pb.Certification{cert("PHYTOSANITARY", "p", day(100))}, pb.ReadinessStatus_MISSING, "", nil},
		{"type compared exactly", []*pb.Certification{cert("ckib", "lower", day(100))}, pb.ReadinessStatus_MISSING, "", nil},
		{"no expiry date is met", []*pb.Certification{forever}, pb.ReadinessStatus_MET, "forever", nil},
		{"all-zero expiry date means none", []*pb.Certification{cert(typ, "zero", ymd(0, 0, 0))}, pb.ReadinessStatus_MET, "zero", nil},
		{"61 days left is met", []*pb.Certification{cert(typ, "c", day(61))}, pb.ReadinessStatus_MET, "c", i32(61)},
		{"60 days left is expiring", []*pb.Certification{cert(typ, "c", day(60))}, pb.ReadinessStatus_EXPIRING_SOON, "c", i32(60)},
		{"expires today is still valid", []*pb.Certification{cert(typ, "c", day(0))}, pb.ReadinessStatus_EXPIRING_SOON, "c", i32(0)},
		{"expired yesterday", []*pb.Certification{cert(typ, "c", day(-1))}, pb.ReadinessStatus_EXPIRED, "c", i32(-1)},
		{"valid beats expired", []*pb.Certification{expired, valid}, pb.ReadinessStatus_MET, "current", i32(200)},
		{"latest expiry wins", []*pb.Certification{valid, later}, pb.ReadinessStatus_MET, "later", i32(400)},
		{"latest expiry wins in any order", []*pb.Certification{later, valid}, pb.ReadinessStatus_MET, "later", i32(400)},
		{"no expiry beats a date", []*pb.Certification{later, forever, valid}, pb.ReadinessStatus_MET, "forever", nil},
		{"renewal on file beats the expiring one", []*pb.Certification{cert(typ, "expiring", day(10)), valid}, pb.ReadinessStatus_MET, "current", i32(200)},
		{"most recently expired is reported", []*pb.Certification{cert(typ, "older", day(-400)), expired}, pb.ReadinessStatus_EXPIRED, "old", i32(-30)},
		{"malformed expiry never counts", []*pb.Certification{cert(typ, "bad", ymd(2026, 13, 1))}, pb.ReadinessStatus_MISSING, "", nil},
		{"partial expiry never counts", []*pb.Certification{cert(typ, "bad", ymd(2027, 0, 0))}, pb.ReadinessStatus_MISSING, "", nil},
		{"malformed next to a valid one", []*pb.Certification{cert(typ, "bad", ymd(2026, 2, 30)), valid}, pb.ReadinessStatus_MET, "current", i32(200)},
		{"nil certificate skipped", []*pb.Certification{nil, valid}, pb.ReadinessStatus_MET, "current", i32(200)},
		{"far future date", []*pb.Certification{cert(typ, "far", ymd(9999, 12, 31))}, pb.ReadinessStatus_MET, "far", i32(2912369)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := standingOn(tt.certs, typ, today(testNow))
			if st.status != tt.want {
				t.Errorf("status = %s, want %s", st.status, tt.want)
			}
			if got := st.cert.GetNumber(); got != tt.wantCert {
				t.Errorf("certificate = %q, want %q", got, tt.wantCert)
			}
			if diff := cmp.Diff(tt.wantDays, st.days); diff != "" {
				t.Errorf("days (-want +got):\n%s", diff)
			}
		})
	}
}

// Expiry is judged on the calendar day in Blitar (WIB, UTC+7).
func TestStandingUsesBlitarCalendar(t *testing.T) {
	certs := []*pb.Certification{cert("CKIB", "c", ymd(2026, 3, 14))}
	tests := []struct {
		name string
		now  time.Time
		want pb.ReadinessStatus
		days int32
	}{
		{"16:59 UTC is 23:59 on the expiry day in Blitar", time.Date(2026, 3, 14, 16, 59, 0, 0, time.UTC), pb.ReadinessStatus_EXPIRING_SOON, 0},
		{"17:00 UTC is already the next day in Blitar", time.Date(2026, 3, 14, 17, 0, 0, 0, time.UTC), pb.ReadinessStatus_EXPIRED, -1},
		{"a clock in another zone gives the same answer", time.Date(2026, 3, 15, 2, 0, 0, 0, time.FixedZone("JST", 9*3600)), pb.ReadinessStatus_EXPIRED, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := standingOn(certs, "CKIB", today(tt.now))
			if st.status != tt.want || st.days == nil || *st.days != tt.days {
				t.Errorf("got %s, %v days; want %s, %d days", st.status, st.days, tt.want, tt.days)
			}
		})
	}
}

// readinessCatalogue is a small catalogue with one row of every sort the
// score must treat differently.
func readinessCatalogue() []*pb.Requirement {
	fish := pb.Category_ORNAMENTAL_FISH
	exporter, importer := pb.Requirement_EXPORTER, pb.Requirement_IMPORTER
	mandatory, recommended := pb.Requirement_MANDATORY, pb.Requirement_RECOMMENDED
	permit := row("us-permit", "030111", fish, "US", importer, mandatory, "USDA_APHIS_VS_17_129")
	permit.Kind = pb.Requirement_PERMIT
	permit.Authority, permit.Document = "USDA APHIS", "permit VS 17-129"
	unconfirmed := row("us-unconfirmed", "030111", fish, "US", exporter, recommended, "KHV_FREE_CERTIFICATE")
	unconfirmed.Confirmation = pb.Requirement_TO_VERIFY
	unconfirmed.VerificationNote = "check"
	return []*pb.Requirement{
		row("us-health", "030111", fish, "US", exporter, mandatory, "FISH_HEALTH_CERTIFICATE"),
		permit,
		row("exit-ckib", "0301", fish, "", exporter, mandatory, "CKIB"),
		row("exit-registration", "0301", fish, "", exporter, mandatory, "FARM_REGISTRATION"),
		row("exit-origin", "", fish, "", exporter, recommended, "SKA"),
		row("exit-licence", "", fish, "", exporter, mandatory, "EXPORT_LICENCE"),
		unconfirmed,
		row("jp-health", "030111", fish, "JP", exporter, mandatory, "JP_FISH_HEALTH_CERTIFICATE"),
	}
}

func TestCheck(t *testing.T) {
	all := readinessCatalogue()
	p := producer("mina-koi",
		cert("FISH_HEALTH_CERTIFICATE", "KI-1/1", day(30)), // expiring soon: still met
		cert("CKIB", "CKIB/1", day(-10)),                   // expired
		cert("FARM_REGISTRATION", "REG/1", nil),            // never expires
		// EXPORT_LICENCE missing; SKA (recommended) missing
		cert("USDA_APHIS_VS_17_129", "held-by-mistake", day(100)), // must not matter: the importer's duty
	)
	got := Check(all, p, "producers/mina-koi/listings/kohaku", "03011191", pb.Category_ORNAMENTAL_FISH, "US", testNow)

	want := &pb.ReadinessReport{
		Subject:                "producers/mina-koi/listings/kohaku",
		Producer:               "producers/mina-koi",
		DestinationCountryCode: "US",
		HsCode:                 "03011191",
		Category:               pb.Category_ORNAMENTAL_FISH,
		Items: []*pb.ReadinessItem{
			{Requirement: all[0], Status: pb.ReadinessStatus_EXPIRING_SOON, Certification: p.Certifications[0], DaysToExpiry: i32(30)},
			{Requirement: all[1], Status: pb.ReadinessStatus_IMPORTER_RESPONSIBILITY},
			{Requirement: all[6], Status: pb.ReadinessStatus_MISSING},
			{Requirement: all[2], Status: pb.ReadinessStatus_EXPIRED, Certification: p.Certifications[1], DaysToExpiry: i32(-10)},
			{Requirement: all[3], Status: pb.ReadinessStatus_MET, Certification: p.Certifications[2]},
			{Requirement: all[5], Status: pb.ReadinessStatus_MISSING},
			{Requirement: all[4], Status: pb.ReadinessStatus_MISSING},
		},
		// us-health, exit-ckib, exit-registration, exit-licence; not the
		// importer's permit, not the recommended rows.
		MandatoryTotal: 4,
		MandatoryMet:   2,
		Score:          0.5,
		HasUnconfirmed: true,
		CheckTime:      timestamppb.New(testNow),
	}
	if diff := cmp.Diff(want, got, protocmp.Transform(), protocmp.IgnoreFields(&pb.ReadinessItem{}, "next_step", "next_step_id")); diff != "" {
		t.Errorf("Check (-want +got):\n%s", diff)
	}
	for _, it := range got.GetItems() {
		if it.GetNextStep() == "" {
			t.Errorf("%s has no next step", it.GetRequirement().GetName())
		}
	}
}

func TestCheckScore(t *testing.T) {
	all := readinessCatalogue()
	full := []*pb.Certification{
		cert("FISH_HEALTH_CERTIFICATE", "f", day(300)),
		cert("CKIB", "c", day(300)),
		cert("FARM_REGISTRATION", "r", nil),
		cert("EXPORT_LICENCE", "l", day(5)),
	}
	tests := []struct {
		name       string
		certs      []*pb.Certification
		dest       string
		total, met int32
		score      float64
		unconf     bool
	}{
		{"everything mandatory held", full, "US", 4, 4, 1, true},
		{"nothing held", nil, "US", 4, 0, 0, true},
		// The importer's permit is absent and the recommended rows are
		// missing, yet the producer is fully ready.
		{"importer and recommended rows do not count", full, "US", 4, 4, 1, true},
		{"exit side only", full[1:], "MY", 3, 3, 1, false},
		{"Japan adds its own certificate", full, "JP", 4, 3, 0.75, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(all, producer("p", tt.certs...), "producers/p", "030111", pb.Category_ORNAMENTAL_FISH, tt.dest, testNow)
			if got.GetMandatoryTotal() != tt.total || got.GetMandatoryMet() != tt.met || got.GetScore() != tt.score {
				t.Errorf("got %d of %d, score %v; want %d of %d, score %v",
					got.GetMandatoryMet(), got.GetMandatoryTotal(), got.GetScore(), tt.met, tt.total, tt.score)
			}
			if got.GetHasUnconfirmed() != tt.unconf {
				t.Errorf("has_unconfirmed = %v, want %v", got.GetHasUnconfirmed(), tt.unconf)
			}
		})
	}
}

// An importer row is never the producer's gap, whatever the producer holds.
func TestCheckImporterRowIsNeverAGap(t *testing.T) {
	all := Catalogue()
	for _, dest := range []string{"US", "JP", "HK", "CN", "TW"} {
		for _, product := range []struct {
			hs string
			c  pb.Category
		}{{"03011191", pb.Category_ORNAMENTAL_FISH}, {"060290", pb.Category_ORNAMENTAL_PLANT}, {"210390", pb.Category_FOOD}, {"920600", pb.Category_MUSICAL_INSTRUMENT}} {
			got := Check(all, producer("empty"), "producers/empty", product.hs, product.c, dest, testNow)
			for _, it := range got.GetItems() {
				importer := it.GetRequirement().GetResponsibleParty() == pb.Requirement_IMPORTER
				if importer != (it.GetStatus() == pb.ReadinessStatus_IMPORTER_RESPONSIBILITY) {
					t.Errorf("%s %s: %s is %s", product.hs, dest, it.GetRequirement().GetName(), it.GetStatus())
				}
				if importer && (it.GetCertification() != nil || it.DaysToExpiry != nil) {
					t.Errorf("%s: importer row reports a certificate", it.GetRequirement().GetName())
				}
			}
		}
	}
}

func TestCheckNothingMandatory(t *testing.T) {
	got := Check(Catalogue(), producer("craft"), "producers/craft", "460211", pb.Category_HANDICRAFT, "DE", testNow)
	if got.GetScore() != 1 || got.GetMandatoryTotal() != 1 || len(got.GetItems()) != 3 {
		t.Errorf("got score %v of %d mandatory rows and %d items; want 1, 1 (the PEB, obtainable) and 3 (PEB, SKA, ISPM 15)",
			got.GetScore(), got.GetMandatoryTotal(), len(got.GetItems()))
	}
}

func TestCheckNilProducer(t *testing.T) {
	got := Check(Catalogue(), nil, "producers/gone", "920600", pb.Category_MUSICAL_INSTRUMENT, "CN", testNow)
	if got.GetProducer() != "" || got.GetScore() != 1 || got.GetMandatoryTotal() != 1 {
		t.Errorf("got producer %q, score %v of %d; want an empty producer, 1 of 1: the PEB needs nothing on file", got.GetProducer(), got.GetScore(), got.GetMandatoryTotal())
	}
}

// A producer asked about with an HS code only gets the category the code
// settles, and the report says so.
func TestCheckInfersCategory(t *testing.T) {
	got := Check(Catalogue(), producer("p"), "producers/p", "210390", pb.Category_CATEGORY_UNSPECIFIED, "HK", testNow)
	if got.GetCategory() != pb.Category_FOOD || len(got.GetItems()) != 8 {
		t.Errorf("got category %s with %d items; want FOOD with 8", got.GetCategory(), len(got.GetItems()))
	}
}

func TestNextStep(t *testing.T) {
	all := Catalogue()
	get := func(id string) *pb.Requirement { return byName(all, "requirements/"+id) }
	tests := []struct {
		name  string
		row   *pb.Requirement
		certs []*pb.Certification
		want  string
	}{
		{"per-shipment certificate anyone can apply for", get("koi-us-health-certificate"), nil,
			"For each shipment, apply to Barantin for the veterinary health certificate for live fish through PTK Online or SSM Ekspor (INSW)."},
		{"KI-1: any exporter applies, three days ahead", get("fish-exit-health-certificate"), nil,
			"For each shipment, apply to Barantin for the Health Certificate for Fish and Fish Product (KI-1) through PTK Online or SSM Ekspor (INSW), at least 3 days before departure."},
		{"per-shipment certificate with a lead time and a prerequisite held", get("food-hk-health-certificate"), []*pb.Certification{cert("PIRT", "p", day(400))},
			"Recommended, not required: for each shipment, apply to BPOM for the export certificate for processed food (SKE) through BPOM's online export-certificate service, " +
				"at least 3 days before departure. Your PIRT on file lets you obtain it while it is valid (until 2027-04-19)."},
		{"per-shipment certificate whose prerequisite is missing", get("koi-jp-health-conditions"), nil,
			"To obtain the health certificate in the format agreed with Japan (spring viremia of carp, KHV disease, enteric redmouth) for a shipment you first need JP_REGISTERED_FARM; " +
				"then record it as certification type JP_REGISTERED_FARM. This requirement is not yet confirmed: check with the trade office before spending money on it."},
		{"conditional per-shipment treatment", get("packaging-ispm15-musical-instrument"), []*pb.Certification{cert("ISPM15", "i", nil)},
			"Only if the goods are packed in or on solid wood (crates, pallets, dunnage) thicker than 6 mm: for each shipment, apply to Barantin for the ISPM 15 treatment and IPPC mark on the wood packaging " +
				"through a packaging maker or treatment provider registered with Barantin. Your ISPM15 on file lets you obtain it."},
		{"expired certificate", get("fish-exit-ckib"), []*pb.Certification{cert("CKIB", "c", day(-20))},
			"Recommended, not required: renew the CKIB certificate with Barantin: the one on file expired on 2026-02-23; then record the new one as certification type CKIB. " +
				"This requirement is not yet confirmed: check with the trade office before spending money on it."},
		{"expiring certificate", get("food-us-fda-registration"), []*pb.Certification{cert("FDA_FOOD_FACILITY", "c", day(50))},
			"Renew the food facility registration (with a US agent) with US FDA before 2026-05-04 (50 days left); then record the new one as certification type FDA_FOOD_FACILITY."},
		{"expiring today", get("food-us-fda-registration"), []*pb.Certification{cert("FDA_FOOD_FACILITY", "c", day(0))},
			"Renew the food facility registration (with a US agent) with US FDA before 2026-03-15 (it expires today); then record the new one as certification type FDA_FOOD_FACILITY."},
		{"met with an expiry", get("food-us-fda-registration"), []*pb.Certification{cert("FDA_FOOD_FACILITY", "p", day(100))},
			"Nothing to do now: the food facility registration (with a US agent) on file is valid until 2026-06-23."},
		{"met without expiry", get("food-hk-labelling"), []*pb.Certification{cert("HK_FOOD_LABEL_CHECK", "i", nil)},
			"Nothing to do: the labelling rules of Cap. 132W on file does not expire."},
		{"missing treatment", get("plants-us-soil-free"), nil,
			"Arrange bare-root packing free of soil and growing media (USDA APHIS); then record it as certification type US_SOIL_FREE_CHECK."},
		{"missing registration", get("food-us-fda-registration"), nil,
			"Apply to US FDA for food facility registration (with a US agent); then record it as certification type FDA_FOOD_FACILITY."},
		{"missing labels", get("food-hk-labelling"), nil,
			"Bring the labels in line with the labelling rules of Cap. 132W (Hong Kong's Centre for Food Safety); then record it as certification type HK_FOOD_LABEL_CHECK."},
		{"missing other", get("plants-us-nappra"), nil,
			"Check the goods against the NAPPRA list (USDA APHIS); then record it as certification type US_NAPPRA_CHECK."},
		{"importer permit with lead time", get("plants-us-ppq587-permit"), nil,
			"Tell the buyer that it must hold permit PPQ 587 from USDA APHIS before the goods ship, and ask for a copy (typically about 42 days). This is the importer's duty, not a gap of yours."},
		{"importer declaration", get("food-us-prior-notice"), nil,
			"Agree with the buyer who files the Prior Notice of imported food (US FDA), and send the shipment details in good time. This is the importer's duty, not a gap of yours."},
		{"importer row that binds only some goods", get("plants-us-ppq621-permit"), nil,
			"Only if the species is listed in the CITES appendices: tell the buyer that it must hold permit PPQ 621 from USDA APHIS before the goods ship, and ask for a copy (typically about 42 days). This is the importer's duty, not a gap of yours."},
		{"recommended per-shipment paper", get("origin-ska-food"), nil,
			"Recommended, not required: for each shipment, apply to Kemendag (Ministry of Trade) for the certificate of origin (SKA, issued online as e-SKA) through e-SKA (Kemendag)."},
		{"unconfirmed and recommended, prerequisite expired", get("djembe-exit-svlk"), []*pb.Certification{cert("SVLK", "v", day(-60))},
			"Recommended, not required: renew your SVLK, which expired on 2026-01-14: without a valid one you cannot obtain the V-Legal document (SVLK) for a shipment; " +
				"then record the new one as certification type SVLK. This requirement is not yet confirmed: check with the trade office before spending money on it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.row == nil {
				t.Fatal("row not in the catalogue")
			}
			st := assess(tt.row, tt.certs, today(testNow))
			if got := nextStep(english, tt.row, st); got != tt.want {
				t.Errorf("next step:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Rows the trade office adds may lack a document or authority, or carry a
// lead time longer than the days left; the sentences must still read.
func TestNextStepGenericRows(t *testing.T) {
	r := &pb.Requirement{
		Title: "Export licence", Kind: pb.Requirement_PERMIT, Obligation: pb.Requirement_MANDATORY,
		ResponsibleParty: pb.Requirement_EXPORTER, CertificationType: "EXPORT_LICENCE",
		TypicalLeadTimeDays: i32(30), Confirmation: pb.Requirement_CONFIRMED,
	}
	tests := []struct {
		name  string
		certs []*pb.Certification
		want  string
	}{
		{"missing, no authority", nil, "Apply for Export licence (typically about 30 days); then record it as certification type EXPORT_LICENCE."},
		{"expiring faster than renewal", []*pb.Certification{cert("EXPORT_LICENCE", "e", day(20))},
			"Renew the Export licence before 2026-04-04 (20 days left); start now, as it typically takes about 30 days; then record the new one as certification type EXPORT_LICENCE."},
		{"expiring with time to spare", []*pb.Certification{cert("EXPORT_LICENCE", "e", day(45))},
			"Renew the Export licence before 2026-04-29 (45 days left); it typically takes about 30 days; then record the new one as certification type EXPORT_LICENCE."},
		{"one day left", []*pb.Certification{cert("EXPORT_LICENCE", "e", day(1))},
			"Renew the Export licence before 2026-03-16 (1 day left); start now, as it typically takes about 30 days; then record the new one as certification type EXPORT_LICENCE."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nextStep(english, r, assess(r, tt.certs, today(testNow))); got != tt.want {
				t.Errorf("next step:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	noType := &pb.Requirement{Title: "Something", Kind: pb.Requirement_DECLARATION, ResponsibleParty: pb.Requirement_EXPORTER, Obligation: pb.Requirement_MANDATORY}
	if got := nextStep(english, noType, assess(noType, nil, today(testNow))); got != "File Something." {
		t.Errorf("row without a type: %q", got)
	}
}

func TestArticles(t *testing.T) {
	tests := map[string]string{
		"CKIB certificate":          "a CKIB certificate",
		"export licence":            "an export licence",
		"the NAPPRA list":           "the NAPPRA list",
		"An existing article":       "An existing article",
		"a veterinary certificate":  "a veterinary certificate",
		"":                          "",
		"International certificate": "an International certificate",
	}
	for in, want := range tests {
		if got := article(english, in); got != want {
			t.Errorf("article(%q) = %q, want %q", in, got, want)
		}
	}
	if got := lowerFirst("USDA permit"); got != "USDA permit" {
		t.Errorf("lowerFirst lowered an acronym: %q", got)
	}
	if got := lowerFirst("Obtain x"); !strings.HasPrefix(got, "obtain") {
		t.Errorf("lowerFirst(%q) = %q", "Obtain x", got)
	}
}

// TestNextStepInIndonesian: every next step of every demo producer's
// readiness for every catalogue market is written in Indonesian as well,
// never left in English.
func TestNextStepInIndonesian(t *testing.T) {
	english := regexp.MustCompile(`\b(the|apply|renew|record|obtain|nothing to do|before|days|buyer|shipment|required)\b`)
	rows := Catalogue()
	for _, p := range seed.Demo(testNow).Producers {
		for _, dest := range []string{"US", "JP", "CN", "TW", "HK"} {
			for _, c := range []pb.Category{pb.Category_MUSICAL_INSTRUMENT, pb.Category_FOOD, pb.Category_ORNAMENTAL_FISH, pb.Category_ORNAMENTAL_PLANT} {
				rep := Check(rows, p, p.GetName(), "", c, dest, testNow)
				for _, it := range rep.GetItems() {
					id := it.GetNextStepId()
					if id == "" || id == it.GetNextStep() {
						t.Fatalf("%s %s %s: no Indonesian next step for %q", p.GetName(), c, dest, it.GetNextStep())
					}
					// Document names, authorities and conditions are quoted
					// as the catalogue writes them; judge the rest.
					plain := id
					for _, quoted := range []string{it.GetRequirement().GetDocument(), it.GetRequirement().GetTitle(), it.GetRequirement().GetAuthority(), it.GetRequirement().GetCondition(), it.GetRequirement().GetFilingChannel()} {
						if quoted != "" {
							plain = strings.ReplaceAll(plain, quoted, "")
						}
					}
					if w := english.FindString(strings.ToLower(plain)); w != "" {
						t.Errorf("English %q left in %q", w, id)
					}
				}
			}
		}
	}
}
