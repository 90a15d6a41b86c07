package requirement

import (
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TestStandingFollowsCertday: readiness reads certificates with the same
// rule as search and matching (package certday): a certificate issued after
// today is not held yet, one with a malformed date never counts, one
// expiring today still does.
func TestStandingFollowsCertday(t *testing.T) {
	day := today(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	d := func(y, m, dd int32) *date.Date { return &date.Date{Year: y, Month: m, Day: dd} }
	for _, tc := range []struct {
		name string
		cert *pb.Certification
		want pb.ReadinessStatus
	}{
		{"issued tomorrow", &pb.Certification{Type: "HALAL", IssueDate: d(2026, 12, 2), ExpiryDate: d(2030, 1, 1)}, pb.ReadinessStatus_MISSING},
		{"malformed issue date", &pb.Certification{Type: "HALAL", IssueDate: d(2026, 2, 30), ExpiryDate: d(2030, 1, 1)}, pb.ReadinessStatus_MISSING},
		{"malformed expiry", &pb.Certification{Type: "HALAL", ExpiryDate: d(2030, 0, 0)}, pb.ReadinessStatus_MISSING},
		{"expires today", &pb.Certification{Type: "HALAL", ExpiryDate: d(2026, 12, 1)}, pb.ReadinessStatus_EXPIRING_SOON},
		{"no dates", &pb.Certification{Type: "HALAL"}, pb.ReadinessStatus_MET},
	} {
		if got := standingOn([]*pb.Certification{tc.cert}, "HALAL", day).status; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
