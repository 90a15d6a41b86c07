package requirement

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/seed"
)

// The demo data set is what a new installation shows. Its certificate dates
// are relative to the load time, so these facts hold whatever day it is
// loaded; testNow only fixes the day counts.

func demoProducer(t *testing.T, d *seed.Dataset, id string) *pb.Producer {
	t.Helper()
	for _, p := range d.Producers {
		if p.GetName() == "producers/"+id {
			return p
		}
	}
	t.Fatalf("demo data has no producer %s", id)
	return nil
}

func statusOf(rep *pb.ReadinessReport, id string) pb.ReadinessStatus {
	for _, it := range rep.GetItems() {
		if it.GetRequirement().GetName() == "requirements/"+id {
			return it.GetStatus()
		}
	}
	return pb.ReadinessStatus_READINESS_STATUS_UNSPECIFIED
}

func TestDemoReadiness(t *testing.T) {
	all := Catalogue()
	d := seed.Demo(testNow)
	koi := func(id, dest string) *pb.ReadinessReport {
		return Check(all, demoProducer(t, d, id), "producers/"+id, "03011191", pb.Category_ORNAMENTAL_FISH, dest, testNow)
	}
	koiFarms := []string{"mina-kanigoro-koi", "wlingi-nishikigoi", "sumber-koi-sanankulon", "koi-dayu-nglegok", "talun-koi-centre", "koperasi-mina-koi-blitar"}

	// Audit, item 1: Japan's MAFF permit, and health conditions for
	// Indonesian koi that nobody has confirmed.
	t.Run("koi to Japan is unconfirmed and needs the MAFF permit", func(t *testing.T) {
		for _, id := range koiFarms {
			rep := koi(id, "JP")
			if rep.GetScore() >= 1 || statusOf(rep, "koi-jp-health-conditions") != pb.ReadinessStatus_MISSING {
				t.Errorf("%s: score %v, Japan health conditions %s", id, rep.GetScore(), statusOf(rep, "koi-jp-health-conditions"))
			}
			if s := statusOf(rep, "koi-jp-import-permit"); s != pb.ReadinessStatus_IMPORTER_RESPONSIBILITY {
				t.Errorf("%s: MAFF permit is %s", id, s)
			}
			if !rep.GetHasUnconfirmed() {
				t.Errorf("%s: the Japan report does not say it rests on unconfirmed rules", id)
			}
		}
		r := byName(all, "requirements/koi-jp-health-conditions")
		if r.GetConfirmation() != pb.Requirement_TO_VERIFY || !strings.Contains(r.GetExplanationEn(), "No agreed health conditions for Indonesian koi were found") {
			t.Errorf("the Japan row does not say plainly that Indonesian koi conditions are unconfirmed: %s / %q", r.GetConfirmation(), r.GetExplanationEn())
		}
		for _, disease := range []string{"spring viremia of carp", "KHV", "enteric redmouth"} {
			if !strings.Contains(r.GetExplanationEn(), disease) {
				t.Errorf("the Japan row does not name %s", disease)
			}
		}
		if p := byName(all, "requirements/koi-jp-import-permit"); !strings.Contains(p.GetDocument(), "MAFF import permit") {
			t.Errorf("the Japan permit row names %q", p.GetDocument())
		}
	})
	// Audit, item 4: per-consignment papers are obtained, not held.
	t.Run("koi to the US: the health certificate is obtainable per consignment", func(t *testing.T) {
		rep := koi("wlingi-nishikigoi", "US")
		if rep.GetScore() != 1 || rep.GetMandatoryTotal() != 3 {
			t.Errorf("score %v of %d rows; want 1 of 3 (US health certificate, KI-1, PEB)", rep.GetScore(), rep.GetMandatoryTotal())
		}
		for _, id := range []string{"koi-us-health-certificate", "fish-exit-health-certificate", "exit-peb-ornamental-fish"} {
			if s := statusOf(rep, id); s != pb.ReadinessStatus_OBTAINABLE {
				t.Errorf("%s is %s, want OBTAINABLE", id, s)
			}
		}
		if s := statusOf(rep, "fish-exit-ckib"); s != pb.ReadinessStatus_EXPIRING_SOON {
			t.Errorf("CKIB is %s, want EXPIRING_SOON (the seed gives it 50 days)", s)
		}
		for _, id := range []string{"koi-us-aphis-permit", "koi-us-port-notice", "fish-us-usfws-licence"} {
			if s := statusOf(rep, id); s != pb.ReadinessStatus_IMPORTER_RESPONSIBILITY {
				t.Errorf("%s is %s", id, s)
			}
		}
	})
	t.Run("CKIB is recommended: an expired one is reported but does not lower the score", func(t *testing.T) {
		rep := koi("koi-dayu-nglegok", "US")
		if s := statusOf(rep, "fish-exit-ckib"); s != pb.ReadinessStatus_EXPIRED {
			t.Errorf("CKIB is %s, want EXPIRED", s)
		}
		if rep.GetScore() != 1 || !rep.GetHasUnconfirmed() {
			t.Errorf("score %v, unconfirmed %v; want 1, true", rep.GetScore(), rep.GetHasUnconfirmed())
		}
	})
	t.Run("a shipment document never appears as an expiring certificate", func(t *testing.T) {
		for _, p := range d.Producers {
			for _, c := range p.GetCertifications() {
				if ShipmentDocumentType(c.GetType()) {
					t.Errorf("%s holds shipment document %s %s on file", p.GetName(), c.GetType(), c.GetNumber())
				}
			}
			for _, dest := range []string{"US", "JP", "CN", "HK", "TW"} {
				for _, product := range [][2]string{{"03011191", ""}, {"060290", ""}, {"210390", ""}, {"920600", ""}} {
					rep := Check(all, p, p.GetName(), product[0], pb.Category_CATEGORY_UNSPECIFIED, dest, testNow)
					for _, it := range rep.GetItems() {
						r := it.GetRequirement()
						if PerShipment(r) && it.GetCertification().GetType() == r.GetCertificationType() && it.GetCertification() != nil {
							t.Errorf("%s %s: %s is judged on a %s held on file", p.GetName(), dest, r.GetName(), r.GetCertificationType())
						}
					}
				}
			}
		}
	})
	t.Run("djembe to the US lists the Lacey declaration and the goatskin rule", func(t *testing.T) {
		rep := Check(all, demoProducer(t, d, "blitar-ekspor-mandiri"), "producers/blitar-ekspor-mandiri", "920600", pb.Category_MUSICAL_INSTRUMENT, "US", testNow)
		if s := statusOf(rep, "djembe-us-lacey-declaration"); s != pb.ReadinessStatus_IMPORTER_RESPONSIBILITY {
			t.Errorf("Lacey declaration is %s", s)
		}
		lacey := byName(all, "requirements/djembe-us-lacey-declaration")
		for _, want := range []string{"PPQ 505", "Swietenia macrophylla", "country"} {
			if !strings.Contains(lacey.GetDocument()+" "+lacey.GetExplanationEn(), want) {
				t.Errorf("Lacey row does not mention %q", want)
			}
		}
		if statusOf(rep, "djembe-us-goatskin") == pb.ReadinessStatus_READINESS_STATUS_UNSPECIFIED {
			t.Error("the US goatskin rule is missing")
		}
		// Conditional rows (goatskin, ISPM 15, CITES) never lower the score.
		if rep.GetScore() != 1 {
			t.Errorf("score %v, want 1: only the PEB counts, and it is obtainable", rep.GetScore())
		}
	})
	t.Run("goatskin and ISPM 15 apply to every destination, conditionally", func(t *testing.T) {
		for _, dest := range []string{"CN", "TW", "JP", "US", "DE"} {
			rows := Applicable(all, "920600", pb.Category_MUSICAL_INSTRUMENT, dest)
			for _, id := range []string{"djembe-exit-goatskin-fmd", "packaging-ispm15-musical-instrument"} {
				r := byName(rows, "requirements/"+id)
				if r == nil {
					t.Errorf("%s: %s does not apply", dest, id)
					continue
				}
				if r.GetCondition() == "" || CountsInScore(r) {
					t.Errorf("%s: %s is not conditional", dest, id)
				}
			}
		}
		if r := byName(all, "requirements/packaging-ispm15-musical-instrument"); !strings.Contains(r.GetExplanationEn(), "6 mm") || !strings.Contains(r.GetExplanationEn(), "Cartons") {
			t.Error("the ISPM 15 row does not state its exemptions")
		}
	})
	t.Run("a djembe producer with an ISPM 15 provider on file", func(t *testing.T) {
		var listing *pb.Listing
		for _, l := range d.Listings {
			if l.GetName() == "producers/blitar-ekspor-mandiri/listings/djembe-40cm-lcl" {
				listing = l
			}
		}
		if listing == nil {
			t.Fatal("demo listing not found")
		}
		rep := Check(all, demoProducer(t, d, "blitar-ekspor-mandiri"), listing.GetName(), listing.GetHsCode(), listing.GetCategory(), "CN", testNow)
		if rep.GetScore() != 1 || statusOf(rep, "packaging-ispm15-musical-instrument") != pb.ReadinessStatus_OBTAINABLE || !rep.GetHasUnconfirmed() {
			t.Errorf("score %v, ISPM 15 %s, unconfirmed %v; want 1, OBTAINABLE, true (SVLK and goatskin rows)",
				rep.GetScore(), statusOf(rep, "packaging-ispm15-musical-instrument"), rep.GetHasUnconfirmed())
		}
	})
	t.Run("an expired SVLK certificate is reported but, unconfirmed, does not lower the score", func(t *testing.T) {
		rep := Check(all, demoProducer(t, d, "mahoni-kanigoro"), "producers/mahoni-kanigoro", "920600", pb.Category_MUSICAL_INSTRUMENT, "TW", testNow)
		if s := statusOf(rep, "djembe-exit-svlk"); s != pb.ReadinessStatus_EXPIRED {
			t.Errorf("V-Legal is %s, want EXPIRED (its prerequisite SVLK has expired)", s)
		}
		if rep.GetMandatoryTotal() != 1 {
			t.Errorf("%d mandatory rows, want 1 (the PEB only)", rep.GetMandatoryTotal())
		}
	})
}

func TestDemoTrainingNeeds(t *testing.T) {
	d := seed.Demo(testNow)
	needs := TrainingNeeds(Catalogue(), d.Producers, d.Listings, pb.Category_CATEGORY_UNSPECIFIED, "", testNow)
	find := func(id, dest string) *pb.TrainingNeed {
		for _, n := range needs {
			if n.GetRequirement().GetName() == "requirements/"+id && n.GetDestinationCountryCode() == dest {
				return n
			}
		}
		return nil
	}
	tests := []struct {
		id, dest     string
		lacking, all int32
		who          []string
	}{
		// No koi farm is registered for Japan's (unconfirmed) health conditions.
		{"koi-jp-health-conditions", "JP", 6, 6, nil},
		// Rasa Wlingi holds an FDA registration; the three others do not.
		{"food-us-fda-registration", "US", 3, 4, []string{"producers/pecel-lestari-kademangan", "producers/pecel-mbok-darmi", "producers/sambal-sri-rejeki"}},
		{"food-hk-labelling", "HK", 3, 4, []string{"producers/pecel-lestari-kademangan", "producers/pecel-mbok-darmi", "producers/sambal-sri-rejeki"}},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.dest, func(t *testing.T) {
			n := find(tt.id, tt.dest)
			if n == nil {
				t.Fatal("no such need")
			}
			if n.GetProducersLacking() != tt.lacking || n.GetProducersTotal() != tt.all {
				t.Errorf("%d of %d lack it, want %d of %d: %v", n.GetProducersLacking(), n.GetProducersTotal(), tt.lacking, tt.all, n.GetLackingProducers())
			}
			if tt.who != nil {
				if diff := cmp.Diff(tt.who, n.GetLackingProducers()); diff != "" {
					t.Errorf("lacking producers (-want +got):\n%s", diff)
				}
			}
		})
	}
	for i := 1; i < len(needs); i++ {
		if needs[i].GetProducersLacking() > needs[i-1].GetProducersLacking() {
			t.Errorf("needs not sorted by producers lacking at %d", i)
		}
	}
	// Papers any exporter can apply for per shipment are no training need.
	for _, id := range []string{"fish-exit-health-certificate", "plants-us-phytosanitary"} {
		for _, dest := range []string{"", "US"} {
			if find(id, dest) != nil {
				t.Errorf("%s %q is listed as a training need", id, dest)
			}
		}
	}
	for _, n := range needs {
		if r := n.GetRequirement(); r.GetObligation() != pb.Requirement_MANDATORY || r.GetResponsibleParty() != pb.Requirement_EXPORTER {
			t.Errorf("%s is not a mandatory exporter-side row", r.GetName())
		}
	}
}

func TestDemoExpiring(t *testing.T) {
	d := seed.Demo(testNow)
	got := summariseExpiring(Expiring(d.Producers, 60, false, testNow))
	want := []string{
		"40 producers/pecel-lestari-kademangan P-IRT 2063505010458-26",
		"50 producers/wlingi-nishikigoi CKIB/35.05/0015/2023",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Expiring within 60 days (-want +got):\n%s", diff)
	}
	withExpired := Expiring(d.Producers, 60, true, testNow)
	if n := len(withExpired) - len(got); n != 2 {
		t.Errorf("include_expired added %d certificates, want 2 (Koi Dayu's CKIB, Mahoni Kanigoro's SVLK)", n)
	}
	if withExpired[0].GetDaysToExpiry() >= 0 {
		t.Error("expired certificates do not come first")
	}
}
