package requirement

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/seed"
	"github.com/adiekspor/temubisnis/internal/validate"
)

func TestCatalogueRowsValidate(t *testing.T) {
	for _, r := range Catalogue() {
		t.Run(r.GetName(), func(t *testing.T) {
			var v validate.Violations
			validate.Requirement(&v, "requirement", r)
			for _, fv := range v.List() {
				t.Errorf("%s: %s", fv.GetField(), fv.GetDescription())
			}
			// Normalising must not change a catalogue row: it is stored as
			// written, and the API would normalise a copy sent back.
			n := proto.Clone(r).(*pb.Requirement)
			validate.NormalizeRequirement(n)
			if diff := cmp.Diff(r, n, protocmp.Transform()); diff != "" {
				t.Errorf("row is not in normal form (-row +normalised):\n%s", diff)
			}
		})
	}
}

func TestCatalogueRowShape(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Catalogue() {
		t.Run(r.GetName(), func(t *testing.T) {
			id, ok := strings.CutPrefix(r.GetName(), "requirements/")
			if !ok || !validate.ResourceID(id) {
				t.Errorf("name %q is not requirements/{id} with a valid id", r.GetName())
			}
			if seen[r.GetName()] {
				t.Errorf("name %q is used twice", r.GetName())
			}
			seen[r.GetName()] = true
			if r.GetCategory() == pb.Category_CATEGORY_UNSPECIFIED {
				t.Error("row has no category; a lookup by category alone could never find it")
			}
			if r.GetConfirmation() == pb.Requirement_CONFIRMATION_UNSPECIFIED {
				t.Error("confirmation not set")
			}
			if r.GetConfirmation() == pb.Requirement_TO_VERIFY && r.GetVerificationNote() == "" {
				t.Error("TO_VERIFY row does not say what to verify")
			}
			if r.GetConfirmation() == pb.Requirement_CONFIRMED && r.GetVerificationNote() != "" {
				t.Error("CONFIRMED row carries a verification note")
			}
			if r.GetExplanationEn() == "" || r.GetExplanationId() == "" {
				t.Error("row lacks an English or Indonesian explanation")
			}
			if r.GetSourceTitle() == "" || r.GetAuthority() == "" || r.GetDocument() == "" {
				t.Error("row lacks its source title, authority or document")
			}
			if r.GetCreateTime() != nil || r.GetUpdateTime() != nil || r.GetEtag() != "" {
				t.Error("output-only fields are set")
			}
			if !validate.Date(r.GetLastCheckedDate()) {
				t.Error("row does not say when it was last checked")
			}
			if r.GetIssuance() == pb.Requirement_ISSUANCE_UNSPECIFIED {
				t.Error("row does not say whether the document is held or issued per shipment")
			}
			if PerShipment(r) && r.GetResponsibleParty() == pb.Requirement_EXPORTER && r.GetFilingChannel() == "" {
				t.Error("per-shipment document of the exporter does not say where it is applied for")
			}
			if !PerShipment(r) && (r.GetFilingChannel() != "" || r.ApplyDaysBeforeDeparture != nil || len(r.GetPrerequisiteCertificationTypes()) > 0) {
				t.Error("held document carries per-shipment fields")
			}
		})
	}
}

// A CONFIRMED row states a fact as settled, so it must say where a person
// can check it.
func TestConfirmedRowsHaveSource(t *testing.T) {
	for _, r := range Catalogue() {
		if r.GetConfirmation() != pb.Requirement_CONFIRMED {
			continue
		}
		if strings.TrimSpace(r.GetSourceTitle()) == "" {
			t.Errorf("%s is CONFIRMED but names no source", r.GetName())
		}
		if r.GetAuthority() == "" || r.GetLastCheckedDate() == nil {
			t.Errorf("%s is CONFIRMED but lacks its authority or last-checked date", r.GetName())
		}
	}
}

// No row rests on the goldfish letter any more (audit: koi-jp-*).
func TestCatalogueDoesNotCiteTheGoldfishLetter(t *testing.T) {
	for _, r := range Catalogue() {
		if strings.Contains(r.GetSourceTitle(), "1113/BKIPM") {
			t.Errorf("%s still cites the BKIPM letter about goldfish and crustaceans", r.GetName())
		}
	}
}

// The rows the audit leaves unsettled are TO_VERIFY, and no other row is.
func TestCatalogueUnconfirmedRows(t *testing.T) {
	var got []string
	for _, r := range Catalogue() {
		if r.GetConfirmation() == pb.Requirement_TO_VERIFY {
			got = append(got, r.GetName())
		}
	}
	want := []string{
		"requirements/koi-jp-health-conditions",
		"requirements/fish-exit-ckib",
		"requirements/sambal-us-acidified-food",
		"requirements/food-cn-gacc-registration",
		"requirements/food-tw-import-inspection",
		"requirements/food-tw-chinese-labelling",
		"requirements/djembe-exit-goatskin-fmd",
		"requirements/djembe-exit-cites",
		"requirements/djembe-exit-svlk",
	}
	if diff := cmp.Diff(want, got, sortStrings); diff != "" {
		t.Errorf("TO_VERIFY rows (-want +got):\n%s", diff)
	}
}

var sortStrings = cmp.Transformer("sort", func(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
})

// The catalogue's certification types must be the codes the demo data
// uses, or clearly new ones: a misspelt code would leave every producer
// MISSING a certificate it holds.
func TestCatalogueCertificationTypes(t *testing.T) {
	demo := seed.Demo(testNow)
	held := map[string]bool{}
	for _, p := range demo.Producers {
		for _, c := range p.GetCertifications() {
			held[c.GetType()] = true
		}
	}
	registered := map[string]bool{}
	for _, b := range demo.Buyers {
		for _, r := range b.GetImportRegistrations() {
			registered[r.GetType()] = true
		}
	}
	introduced := map[string]bool{
		typeJPFishHealth: true, typeJPRegisteredFarm: true, typeJPKoiPermit: true, typeUSFWSLicence: true, typeCITESExport: true,
		typeUSPPQ621: true, typeUSSoilFreeCheck: true, typeUSNAPPRACheck: true, typeTWLabelCheck: true,
		typeFoodHealth: true, typeAflatoxinTest: true, typeCNGACC: true, typeFDAAcidified: true,
		typeVeterinary: true, typeTannedHide: true, typeVLegal: true, typeISPM15Mark: true, typeSKA: true, typePEB: true,
		typeFishHealth: true, typePhytosanitary: true,
	}
	for _, r := range Catalogue() {
		typ := r.GetCertificationType()
		for _, pre := range r.GetPrerequisiteCertificationTypes() {
			if !held[pre] && !introduced[pre] {
				t.Errorf("%s: prerequisite %s is neither held by a demo producer nor a declared new code", r.GetName(), pre)
			}
		}
		switch {
		case typ == "":
			if r.GetResponsibleParty() == pb.Requirement_EXPORTER {
				t.Errorf("%s: exporter row without a type", r.GetName())
			}
		case r.GetResponsibleParty() == pb.Requirement_IMPORTER:
			if !registered[typ] && !introduced[typ] {
				t.Errorf("%s: importer type %s is neither a demo buyer registration nor a declared new code", r.GetName(), typ)
			}
		case !held[typ] && !introduced[typ]:
			t.Errorf("%s: type %s is neither held by a demo producer nor a declared new code", r.GetName(), typ)
		case held[typ] && introduced[typ]:
			t.Errorf("%s: type %s is declared new but the demo data already uses it", r.GetName(), typ)
		}
	}
	// The codes the demo already uses for these documents must be the ones
	// the catalogue refers to.
	for _, typ := range []string{"CKIB", "ISPM15", "SVLK", "PIRT", "BPOM_MD", "HK_FOOD_LABEL_CHECK", "FDA_FOOD_FACILITY"} {
		if !held[typ] {
			t.Errorf("demo producers no longer hold any %s; the catalogue and the demo data have drifted", typ)
		}
	}
	for _, typ := range []string{"USDA_APHIS_VS_17_129", "USDA_PPQ_587", "HK_FOOD_IMPORTER"} {
		if !registered[typ] {
			t.Errorf("demo buyers no longer register any %s; the catalogue and the demo data have drifted", typ)
		}
	}
}

// Every product-and-market line of FACTS.md has its rows.
func TestCatalogueCoversFacts(t *testing.T) {
	want := []struct {
		name      string
		dest      string
		party     pb.Requirement_Party
		mandatory bool
	}{
		{"koi-us-aphis-permit", "US", pb.Requirement_IMPORTER, true},
		{"koi-us-port-notice", "US", pb.Requirement_IMPORTER, true},
		{"koi-us-health-certificate", "US", pb.Requirement_EXPORTER, true},
		{"fish-us-usfws-declaration", "US", pb.Requirement_IMPORTER, true},
		{"fish-us-usfws-licence", "US", pb.Requirement_IMPORTER, true},
		{"koi-jp-import-permit", "JP", pb.Requirement_IMPORTER, true},
		{"koi-jp-health-conditions", "JP", pb.Requirement_EXPORTER, true},
		{"fish-exit-health-certificate", "", pb.Requirement_EXPORTER, true},
		{"fish-exit-ckib", "", pb.Requirement_EXPORTER, false},
		{"plants-us-ppq587-permit", "US", pb.Requirement_IMPORTER, true},
		{"plants-us-phytosanitary", "US", pb.Requirement_EXPORTER, true},
		{"plants-us-cites-export-permit", "US", pb.Requirement_EXPORTER, true},
		{"plants-us-ppq621-permit", "US", pb.Requirement_IMPORTER, true},
		{"plants-us-soil-free", "US", pb.Requirement_EXPORTER, true},
		{"plants-us-nappra", "US", pb.Requirement_EXPORTER, true},
		{"food-hk-labelling", "HK", pb.Requirement_EXPORTER, true},
		{"food-hk-importer-registration", "HK", pb.Requirement_IMPORTER, true},
		{"food-hk-health-certificate", "HK", pb.Requirement_EXPORTER, false},
		{"sambal-hk-aflatoxin", "HK", pb.Requirement_EXPORTER, true},
		{"food-cn-gacc-registration", "CN", pb.Requirement_EXPORTER, true},
		{"food-us-fda-registration", "US", pb.Requirement_EXPORTER, true},
		{"food-us-prior-notice", "US", pb.Requirement_IMPORTER, true},
		{"food-us-fsvp", "US", pb.Requirement_IMPORTER, true},
		{"sambal-us-acidified-food", "US", pb.Requirement_EXPORTER, false},
		{"djembe-us-lacey-declaration", "US", pb.Requirement_IMPORTER, true},
		{"djembe-us-goatskin", "US", pb.Requirement_EXPORTER, true},
		{"djembe-exit-goatskin-fmd", "", pb.Requirement_EXPORTER, true},
		{"djembe-exit-cites", "", pb.Requirement_EXPORTER, true},
		{"djembe-exit-svlk", "", pb.Requirement_EXPORTER, false},
		{"packaging-ispm15-musical-instrument", "", pb.Requirement_EXPORTER, true},
		{"origin-ska-food", "", pb.Requirement_EXPORTER, false},
		{"food-exit-halal", "", pb.Requirement_EXPORTER, false},
		{"food-tw-import-inspection", "TW", pb.Requirement_IMPORTER, true},
		{"food-tw-chinese-labelling", "TW", pb.Requirement_EXPORTER, true},
		{"exit-peb-food", "", pb.Requirement_EXPORTER, true},
	}
	all := Catalogue()
	for _, w := range want {
		t.Run(w.name, func(t *testing.T) {
			r := byName(all, "requirements/"+w.name)
			if r == nil {
				t.Fatal("missing from the catalogue")
			}
			if r.GetDestinationCountryCode() != w.dest || r.GetResponsibleParty() != w.party ||
				(r.GetObligation() == pb.Requirement_MANDATORY) != w.mandatory {
				t.Errorf("got destination %q, party %s, obligation %s; want %q, %s, mandatory=%v",
					r.GetDestinationCountryCode(), r.GetResponsibleParty(), r.GetObligation(), w.dest, w.party, w.mandatory)
			}
		})
	}
	// The certificate of origin is for any product: one row per category.
	for c := range pb.Category_name {
		if c == 0 {
			continue
		}
		found := slices.ContainsFunc(all, func(r *pb.Requirement) bool {
			return r.GetCertificationType() == typeSKA && r.GetCategory() == pb.Category(c) && r.GetDestinationCountryCode() == ""
		})
		if !found {
			t.Errorf("no certificate-of-origin row for category %s", pb.Category(c))
		}
	}
}

// Callers may change what Catalogue returns without changing the next call.
func TestCatalogueReturnsFreshMessages(t *testing.T) {
	a := Catalogue()
	a[0].Title = "changed"
	if Catalogue()[0].GetTitle() == "changed" {
		t.Error("Catalogue shares messages between calls")
	}
}
