package requirement

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// trainingCatalogue: two exit-side fish rows, one US and one JP fish row,
// rows that must never count (importer, recommended) and one djembe row.
func trainingCatalogue() []*pb.Requirement {
	fish, djembe := pb.Category_ORNAMENTAL_FISH, pb.Category_MUSICAL_INSTRUMENT
	exporter, importer := pb.Requirement_EXPORTER, pb.Requirement_IMPORTER
	mandatory, recommended := pb.Requirement_MANDATORY, pb.Requirement_RECOMMENDED
	return []*pb.Requirement{
		row("fish-exit-ki1", "0301", fish, "", exporter, mandatory, "FISH_HEALTH_CERTIFICATE"),
		row("fish-exit-ckib", "0301", fish, "", exporter, mandatory, "CKIB"),
		row("koi-us-health", "030111", fish, "US", exporter, mandatory, "FISH_HEALTH_CERTIFICATE"),
		row("koi-us-permit", "030111", fish, "US", importer, mandatory, "USDA_APHIS_VS_17_129"),
		row("koi-us-origin", "", fish, "US", exporter, recommended, "SKA"),
		row("koi-jp-health", "030111", fish, "JP", exporter, mandatory, "JP_FISH_HEALTH_CERTIFICATE"),
		row("djembe-cn-ispm15", "9206", djembe, "CN", exporter, mandatory, "ISPM15"),
	}
}

// Three koi breeders: a holds everything but Japan's certificate; b's
// health certificate has expired and its CKIB expires soon (still met); c
// holds nothing. x's only koi listing is archived; d makes djembe.
func trainingFixture() ([]*pb.Producer, []*pb.Listing) {
	producers := []*pb.Producer{
		producer("c-koi", cert("USDA_APHIS_VS_17_129", "not-ours", day(90))),
		producer("a-koi", cert("FISH_HEALTH_CERTIFICATE", "a1", day(200)), cert("CKIB", "a2", day(300))),
		producer("b-koi", cert("FISH_HEALTH_CERTIFICATE", "b1", day(-5)), cert("CKIB", "b2", day(10))),
		producer("x-koi-archived"),
		producer("d-djembe", cert("ISPM15", "d1", nil)),
	}
	listings := []*pb.Listing{
		listing("a-koi", "kohaku", pb.Category_ORNAMENTAL_FISH, pb.Listing_ACTIVE),
		listing("a-koi", "sanke", pb.Category_ORNAMENTAL_FISH, pb.Listing_PAUSED), // a second listing counts once
		listing("b-koi", "showa", pb.Category_ORNAMENTAL_FISH, pb.Listing_DRAFT),
		listing("c-koi", "tosai", pb.Category_ORNAMENTAL_FISH, pb.Listing_ACTIVE),
		listing("x-koi-archived", "old", pb.Category_ORNAMENTAL_FISH, pb.Listing_ARCHIVED),
		listing("d-djembe", "djembe-40", pb.Category_MUSICAL_INSTRUMENT, pb.Listing_ACTIVE),
		listing("unknown-producer", "lost", pb.Category_ORNAMENTAL_FISH, pb.Listing_ACTIVE),
		{Name: "not-a-listing-name", Category: pb.Category_ORNAMENTAL_FISH},
		nil,
	}
	return producers, listings
}

// need summarises a TrainingNeed for comparison.
type need struct {
	Category    pb.Category
	Destination string
	Requirement string
	Lacking     string // "2 of 3"
	Producers   []string
}

func summarise(needs []*pb.TrainingNeed) []need {
	var out []need
	for _, n := range needs {
		out = append(out, need{
			Category:    n.GetCategory(),
			Destination: n.GetDestinationCountryCode(),
			Requirement: n.GetRequirement().GetName(),
			Lacking:     fmt.Sprintf("%d of %d", n.GetProducersLacking(), n.GetProducersTotal()),
			Producers:   n.GetLackingProducers(),
		})
	}
	return out
}

func TestTrainingNeeds(t *testing.T) {
	producers, listings := trainingFixture()
	all := trainingCatalogue()
	fish := pb.Category_ORNAMENTAL_FISH
	jp := need{fish, "JP", "requirements/koi-jp-health", "3 of 3", []string{"producers/a-koi", "producers/b-koi", "producers/c-koi"}}
	ki1 := need{fish, "", "requirements/fish-exit-ki1", "2 of 3", []string{"producers/b-koi", "producers/c-koi"}}
	usHealth := need{fish, "US", "requirements/koi-us-health", "2 of 3", []string{"producers/b-koi", "producers/c-koi"}}
	ckib := need{fish, "", "requirements/fish-exit-ckib", "1 of 3", []string{"producers/c-koi"}}
	tests := []struct {
		name     string
		category pb.Category
		dest     string
		want     []need
	}{
		// d-djembe holds ISPM15, so djembe has no need and is left out.
		{"all commodities and markets", pb.Category_CATEGORY_UNSPECIFIED, "", []need{jp, ki1, usHealth, ckib}},
		{"one commodity", fish, "", []need{jp, ki1, usHealth, ckib}},
		{"one market keeps the exit side", pb.Category_CATEGORY_UNSPECIFIED, "US", []need{ki1, usHealth, ckib}},
		{"a market without rows gets the exit side", fish, "MY", []need{ki1, ckib}},
		{"a commodity nobody lacks anything for", pb.Category_MUSICAL_INSTRUMENT, "", nil},
		{"a commodity without producers", pb.Category_FOOD, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarise(TrainingNeeds(all, producers, listings, tt.category, tt.dest, testNow))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TrainingNeeds (-want +got):\n%s", diff)
			}
		})
	}
}

// A consolidator belongs to a commodity by its own listings and is judged
// by its own certificates, not its members'.
func TestTrainingNeedsConsolidator(t *testing.T) {
	coop := producer("koperasi", cert("CKIB", "k", day(100)))
	coop.Kind = pb.Producer_CONSOLIDATOR
	coop.MemberProducers = []string{"producers/member"}
	member := producer("member", cert("FISH_HEALTH_CERTIFICATE", "m", day(100)))
	listings := []*pb.Listing{listing("koperasi", "mixed-lot", pb.Category_ORNAMENTAL_FISH, pb.Listing_ACTIVE)}
	got := summarise(TrainingNeeds(trainingCatalogue(), []*pb.Producer{coop, member}, listings, pb.Category_ORNAMENTAL_FISH, "", testNow))
	want := []need{
		{pb.Category_ORNAMENTAL_FISH, "", "requirements/fish-exit-ki1", "1 of 1", []string{"producers/koperasi"}},
		{pb.Category_ORNAMENTAL_FISH, "JP", "requirements/koi-jp-health", "1 of 1", []string{"producers/koperasi"}},
		{pb.Category_ORNAMENTAL_FISH, "US", "requirements/koi-us-health", "1 of 1", []string{"producers/koperasi"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TrainingNeeds (-want +got):\n%s", diff)
	}
}

// With the seed catalogue, the row objects in the answer are the rows
// passed in, and the example of the issue reads as intended.
func TestTrainingNeedsWithCatalogue(t *testing.T) {
	all := Catalogue()
	var producers []*pb.Producer
	var listings []*pb.Listing
	for i := range 12 {
		id := fmt.Sprintf("koi-%02d", i)
		var certs []*pb.Certification
		if i < 3 { // three of twelve farms are registered for Japan
			certs = append(certs, cert(typeJPRegisteredFarm, id, day(100)))
		}
		producers = append(producers, producer(id, certs...))
		listings = append(listings, listing(id, "kohaku", pb.Category_ORNAMENTAL_FISH, pb.Listing_ACTIVE))
	}
	needs := TrainingNeeds(all, producers, listings, pb.Category_ORNAMENTAL_FISH, "JP", testNow)
	var found bool
	for _, n := range needs {
		if n.GetRequirement().GetName() != "requirements/koi-jp-health-conditions" {
			continue
		}
		found = true
		if n.GetProducersLacking() != 9 || n.GetProducersTotal() != 12 {
			t.Errorf("Japan's certificate: %d of %d lack it, want 9 of 12", n.GetProducersLacking(), n.GetProducersTotal())
		}
		if n.GetRequirement() != byName(all, n.GetRequirement().GetName()) {
			t.Error("the need does not point at the catalogue row passed in")
		}
	}
	if !found {
		t.Error("no need for Japan's health certificate")
	}
	for _, n := range needs {
		r := n.GetRequirement()
		if r.GetObligation() != pb.Requirement_MANDATORY || r.GetResponsibleParty() != pb.Requirement_EXPORTER {
			t.Errorf("%s is not a mandatory exporter-side row", r.GetName())
		}
		if d := r.GetDestinationCountryCode(); d != "" && d != "JP" {
			t.Errorf("%s is for %s", r.GetName(), d)
		}
	}
}

func TestListingParent(t *testing.T) {
	tests := map[string]string{
		"producers/a/listings/b":   "producers/a",
		"producers/a":              "",
		"buyers/a/listings/b":      "",
		"producers/a/b/listings/c": "",
		"":                         "",
	}
	for in, want := range tests {
		if got := listingParent(in); got != want {
			t.Errorf("listingParent(%q) = %q, want %q", in, got, want)
		}
	}
}
