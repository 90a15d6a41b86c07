package requirement

import (
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// testNow is 15 March 2026, 10:00 in Blitar (03:00 UTC): the same calendar
// day in UTC and WIB, so that day counts below are easy to check by hand.
var testNow = time.Date(2026, time.March, 15, 3, 0, 0, 0, time.UTC)

// day returns the date n days after testNow's date (before it when n < 0).
func day(n int) *date.Date {
	t := time.Date(2026, time.March, 15+n, 0, 0, 0, 0, time.UTC)
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

func ymd(y, m, d int32) *date.Date { return &date.Date{Year: y, Month: m, Day: d} }

// cert builds a certificate; expiry nil means it does not expire.
func cert(typ, number string, expiry *date.Date) *pb.Certification {
	return &pb.Certification{Type: typ, Number: number, Issuer: "Barantin", ExpiryDate: expiry}
}

func producer(id string, certs ...*pb.Certification) *pb.Producer {
	return &pb.Producer{Name: "producers/" + id, DisplayName: id, Kind: pb.Producer_PRODUCER, District: "Talun", Certifications: certs}
}

func listing(producerID, id string, c pb.Category, state pb.Listing_State) *pb.Listing {
	return &pb.Listing{Name: "producers/" + producerID + "/listings/" + id, Title: id, Category: c, Unit: "piece", State: state}
}

func names(rows []*pb.Requirement) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.GetName())
	}
	return out
}

func byName(rows []*pb.Requirement, name string) *pb.Requirement {
	for _, r := range rows {
		if r.GetName() == name {
			return r
		}
	}
	return nil
}

func i32(n int32) *int32 { return &n }

// row builds a minimal valid requirement for ordering and readiness tests.
func row(id, prefix string, c pb.Category, dest string, party pb.Requirement_Party, obligation pb.Requirement_Obligation, typ string) *pb.Requirement {
	return &pb.Requirement{
		Name:                   "requirements/" + id,
		Title:                  id,
		HsPrefix:               prefix,
		Category:               c,
		DestinationCountryCode: dest,
		Kind:                   pb.Requirement_CERTIFICATE,
		Obligation:             obligation,
		ResponsibleParty:       party,
		Authority:              "Barantin",
		Document:               id + " certificate",
		CertificationType:      typ,
		Confirmation:           pb.Requirement_CONFIRMED,
	}
}
