package requirement

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func expiringFixture() []*pb.Producer {
	return []*pb.Producer{
		producer("b-farm",
			cert("CKIB", "b-30", day(30)),
			cert("HACCP", "b-minus-1", day(-1)),
			cert("HALAL", "b-forever", nil),
			cert("PIRT", "b-bad-date", ymd(2026, 2, 30)),
		),
		producer("a-farm",
			cert("HALAL", "a-0", day(0)),
			cert("SVLK", "a-31", day(31)),
			cert("CKIB", "a-minus-10", day(-10)),
			cert("ISPM15", "a-5", day(5)),
		),
		producer("c-farm",
			// Renewed: the old one expires in 5 days, the new one later.
			cert("HACCP", "c-old", day(5)),
			cert("HACCP", "c-new", day(300)),
			// Replaced by one that does not expire.
			cert("ISPM15", "c-dated", day(-3)),
			cert("ISPM15", "c-forever", nil),
			// Two of a type expiring the same day: neither outlasts the other.
			cert("CKIB", "c-twin-2", day(5)),
			cert("CKIB", "c-twin-1", day(5)),
		),
		nil,
	}
}

func summariseExpiring(list []*pb.ExpiringCertification) []string {
	var out []string
	for _, e := range list {
		out = append(out, fmt.Sprintf("%d %s %s", e.GetDaysToExpiry(), e.GetProducer(), e.GetCertification().GetNumber()))
	}
	return out
}

func TestExpiring(t *testing.T) {
	tests := []struct {
		name           string
		within         int
		includeExpired bool
		want           []string
	}{
		{"next 30 days", 30, false, []string{
			"0 producers/a-farm a-0",
			"5 producers/a-farm a-5",
			"5 producers/c-farm c-twin-1",
			"5 producers/c-farm c-twin-2",
			"30 producers/b-farm b-30",
		}},
		{"expired ones first when included", 30, true, []string{
			"-10 producers/a-farm a-minus-10",
			"-1 producers/b-farm b-minus-1",
			"0 producers/a-farm a-0",
			"5 producers/a-farm a-5",
			"5 producers/c-farm c-twin-1",
			"5 producers/c-farm c-twin-2",
			"30 producers/b-farm b-30",
		}},
		{"horizon is inclusive", 31, false, []string{
			"0 producers/a-farm a-0",
			"5 producers/a-farm a-5",
			"5 producers/c-farm c-twin-1",
			"5 producers/c-farm c-twin-2",
			"30 producers/b-farm b-30",
			"31 producers/a-farm a-31",
		}},
		{"today only", 0, false, []string{"0 producers/a-farm a-0"}},
		{"negative horizon is today", -5, true, []string{
			"-10 producers/a-farm a-minus-10",
			"-1 producers/b-farm b-minus-1",
			"0 producers/a-farm a-0",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summariseExpiring(Expiring(expiringFixture(), tt.within, tt.includeExpired, testNow))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Expiring (-want +got):\n%s", diff)
			}
		})
	}
}

func TestExpiringFields(t *testing.T) {
	producers := expiringFixture()
	got := Expiring(producers, 0, false, testNow)
	want := []*pb.ExpiringCertification{{
		Producer:            "producers/a-farm",
		ProducerDisplayName: "a-farm",
		Certification:       producers[1].Certifications[0],
		DaysToExpiry:        0,
	}}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("Expiring (-want +got):\n%s", diff)
	}
}

// A per-shipment paper covers one consignment: even when a producer has
// recorded one with an expiry date, it is never listed as expiring.
func TestExpiringSkipsShipmentDocuments(t *testing.T) {
	for _, typ := range []string{"FISH_HEALTH_CERTIFICATE", "PHYTOSANITARY", "V_LEGAL", "FOOD_HEALTH_CERTIFICATE", "PEB", "SKA"} {
		if !ShipmentDocumentType(typ) {
			t.Errorf("%s is not known as a shipment document", typ)
		}
	}
	for _, typ := range []string{"CKIB", "SVLK", "ISPM15", "PIRT"} {
		if ShipmentDocumentType(typ) {
			t.Errorf("%s, which a firm holds, is taken for a shipment document", typ)
		}
	}
	p := producer("koi",
		cert("FISH_HEALTH_CERTIFICATE", "KI-1/SBY/1", day(10)),
		cert("PHYTOSANITARY", "PC/1", day(-3)),
		cert("CKIB", "CKIB/1", day(20)))
	got := summariseExpiring(Expiring([]*pb.Producer{p}, 60, true, testNow))
	if diff := cmp.Diff([]string{"20 producers/koi CKIB/1"}, got); diff != "" {
		t.Errorf("Expiring (-want +got):\n%s", diff)
	}
}
