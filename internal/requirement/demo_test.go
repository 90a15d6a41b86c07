package requirement

import (
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

	t.Run("no koi farm is yet ready for Japan", func(t *testing.T) {
		for _, id := range []string{"mina-kanigoro-koi", "wlingi-nishikigoi", "sumber-koi-sanankulon", "koi-dayu-nglegok", "talun-koi-centre", "koperasi-mina-koi-blitar"} {
			rep := koi(id, "JP")
			if rep.GetScore() >= 1 || statusOf(rep, "koi-jp-health-certificate") != pb.ReadinessStatus_MISSING {
				t.Errorf("%s: score %v, Japan certificate %s", id, rep.GetScore(), statusOf(rep, "koi-jp-health-certificate"))
			}
			if !rep.GetHasUnconfirmed() {
				t.Errorf("%s: the Japan report rests on the unconfirmed KHV row but does not say so", id)
			}
		}
	})
	t.Run("Wlingi Nishikigoi is ready for the US with its CKIB due for renewal", func(t *testing.T) {
		rep := koi("wlingi-nishikigoi", "US")
		if rep.GetScore() != 1 || rep.GetMandatoryTotal() != 3 || rep.GetHasUnconfirmed() {
			t.Errorf("score %v of %d rows, unconfirmed %v; want 1 of 3, confirmed", rep.GetScore(), rep.GetMandatoryTotal(), rep.GetHasUnconfirmed())
		}
		if s := statusOf(rep, "fish-exit-ckib"); s != pb.ReadinessStatus_EXPIRING_SOON {
			t.Errorf("CKIB is %s, want EXPIRING_SOON (the seed gives it 50 days)", s)
		}
		if s := statusOf(rep, "koi-us-aphis-permit"); s != pb.ReadinessStatus_IMPORTER_RESPONSIBILITY {
			t.Errorf("APHIS permit is %s", s)
		}
	})
	t.Run("Koi Dayu must renew its CKIB", func(t *testing.T) {
		rep := koi("koi-dayu-nglegok", "US")
		if s := statusOf(rep, "fish-exit-ckib"); s != pb.ReadinessStatus_EXPIRED {
			t.Errorf("CKIB is %s, want EXPIRED", s)
		}
		if rep.GetMandatoryMet() != 2 || rep.GetMandatoryTotal() != 3 {
			t.Errorf("%d of %d met, want 2 of 3", rep.GetMandatoryMet(), rep.GetMandatoryTotal())
		}
	})
	t.Run("Talun Koi Centre holds nothing yet", func(t *testing.T) {
		if rep := koi("talun-koi-centre", "US"); rep.GetScore() != 0 {
			t.Errorf("score %v, want 0", rep.GetScore())
		}
	})
	t.Run("a djembe listing's producer with ISPM 15 on file", func(t *testing.T) {
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
		if rep.GetScore() != 1 || statusOf(rep, "djembe-cn-ispm15") != pb.ReadinessStatus_MET || !rep.GetHasUnconfirmed() {
			t.Errorf("score %v, ISPM 15 %s, unconfirmed %v; want 1, MET, true (SVLK and goatskin rows)",
				rep.GetScore(), statusOf(rep, "djembe-cn-ispm15"), rep.GetHasUnconfirmed())
		}
	})
	t.Run("an expired SVLK is reported but, unconfirmed, does not lower the score", func(t *testing.T) {
		rep := Check(all, demoProducer(t, d, "mahoni-kanigoro"), "producers/mahoni-kanigoro", "920600", pb.Category_MUSICAL_INSTRUMENT, "TW", testNow)
		if s := statusOf(rep, "djembe-exit-svlk"); s != pb.ReadinessStatus_EXPIRED {
			t.Errorf("SVLK is %s, want EXPIRED", s)
		}
		if rep.GetMandatoryTotal() != 1 {
			t.Errorf("%d mandatory rows, want 1 (ISPM 15 only)", rep.GetMandatoryTotal())
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
		// Six koi producers (the cooperative included); Koi Dayu's CKIB has
		// expired and Talun Koi Centre has none.
		{"fish-exit-ckib", "", 2, 6, []string{"producers/koi-dayu-nglegok", "producers/talun-koi-centre"}},
		// Sumber Koi's health certificate expires within weeks: still met.
		{"fish-exit-health-certificate", "", 1, 6, []string{"producers/talun-koi-centre"}},
		{"koi-jp-health-certificate", "JP", 6, 6, nil},
		// Flora Talun's certificate expires in 30 days (met); Taman
		// Anthurium's has expired and Griya Philodendron has none.
		{"plants-us-phytosanitary", "US", 2, 4, []string{"producers/griya-philodendron-jiwut", "producers/taman-anthurium-gandusari"}},
		{"food-us-fda-registration", "US", 4, 4, nil},
		// Eleven djembe producers: the archived 70 cm listing does not
		// matter, Mahoni Kanigoro has active ones too.
		{"djembe-cn-ispm15", "CN", 7, 11, nil},
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
		"25 producers/sumber-koi-sanankulon KI-1/SBY/2025/01288",
		"30 producers/flora-talun-nusantara PC-ID/35/2025/097512",
		"40 producers/pecel-lestari-kademangan P-IRT 2063505010458-26",
		"50 producers/wlingi-nishikigoi CKIB/35.05/0015/2023",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Expiring within 60 days (-want +got):\n%s", diff)
	}
	withExpired := Expiring(d.Producers, 60, true, testNow)
	if n := len(withExpired) - len(got); n != 3 {
		t.Errorf("include_expired added %d certificates, want 3 (Taman Anthurium's phytosanitary, Koi Dayu's CKIB, Mahoni Kanigoro's SVLK)", n)
	}
	if withExpired[0].GetDaysToExpiry() >= 0 {
		t.Error("expired certificates do not come first")
	}
}
