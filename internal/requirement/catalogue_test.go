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
		})
	}
}

// The rows FACTS.md marks "verify" stay TO_VERIFY, and no other row is.
func TestCatalogueUnconfirmedRows(t *testing.T) {
	var got []string
	for _, r := range Catalogue() {
		if r.GetConfirmation() == pb.Requirement_TO_VERIFY {
			got = append(got, r.GetName())
		}
	}
	want := []string{
		"requirements/koi-jp-khv-freedom",
		"requirements/sambal-us-acidified-food",
		"requirements/djembe-cn-goatskin-veterinary",
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
		typeJPFishHealth: true, typeJPQuarantineFacility: true, typeKHVFree: true, typeCITESExport: true,
		typeUSPPQ621: true, typeUSSoilFreeCheck: true, typeUSNAPPRACheck: true, typeHKLabelCheck: true,
		typeFoodHealth: true, typeFDAFacility: true, typeFDAAcidified: true, typeVeterinary: true, typeSKA: true,
	}
	for _, r := range Catalogue() {
		typ := r.GetCertificationType()
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
	for _, typ := range []string{"FISH_HEALTH_CERTIFICATE", "CKIB", "PHYTOSANITARY", "ISPM15", "SVLK"} {
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
		{"koi-us-health-certificate", "US", pb.Requirement_EXPORTER, true},
		{"fish-us-usfws-declaration", "US", pb.Requirement_IMPORTER, true},
		{"koi-jp-health-certificate", "JP", pb.Requirement_EXPORTER, true},
		{"koi-jp-pre-export-quarantine", "JP", pb.Requirement_EXPORTER, true},
		{"koi-jp-khv-freedom", "JP", pb.Requirement_EXPORTER, true},
		{"fish-exit-health-certificate", "", pb.Requirement_EXPORTER, true},
		{"fish-exit-ckib", "", pb.Requirement_EXPORTER, true},
		{"plants-us-ppq587-permit", "US", pb.Requirement_IMPORTER, true},
		{"plants-us-phytosanitary", "US", pb.Requirement_EXPORTER, true},
		{"plants-us-cites-export-permit", "US", pb.Requirement_EXPORTER, false},
		{"plants-us-ppq621-permit", "US", pb.Requirement_IMPORTER, false},
		{"plants-us-soil-free", "US", pb.Requirement_EXPORTER, true},
		{"plants-us-nappra", "US", pb.Requirement_EXPORTER, true},
		{"food-hk-labelling", "HK", pb.Requirement_EXPORTER, true},
		{"food-hk-importer-registration", "HK", pb.Requirement_IMPORTER, true},
		{"food-hk-health-certificate", "HK", pb.Requirement_EXPORTER, false},
		{"food-us-fda-registration", "US", pb.Requirement_EXPORTER, true},
		{"food-us-prior-notice", "US", pb.Requirement_IMPORTER, true},
		{"sambal-us-acidified-food", "US", pb.Requirement_EXPORTER, false},
		{"djembe-cn-ispm15", "CN", pb.Requirement_EXPORTER, true},
		{"djembe-tw-ispm15", "TW", pb.Requirement_EXPORTER, true},
		{"djembe-cn-goatskin-veterinary", "CN", pb.Requirement_EXPORTER, false},
		{"djembe-tw-hide-declaration", "TW", pb.Requirement_IMPORTER, true},
		{"djembe-exit-svlk", "", pb.Requirement_EXPORTER, false},
		{"origin-ska-food", "", pb.Requirement_EXPORTER, false},
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
