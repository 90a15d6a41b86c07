package certday

import (
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

func d(y, m, day int32) *date.Date { return &date.Date{Year: y, Month: m, Day: day} }

func TestTodayIsBlitarsDate(t *testing.T) {
	for _, tc := range []struct {
		utc  string
		want string
	}{
		{"2026-12-01T16:59:59Z", "2026-12-01"}, // 23:59:59 WIB
		{"2026-12-01T17:00:00Z", "2026-12-02"}, // midnight WIB
		{"2024-02-28T17:00:00Z", "2024-02-29"},
	} {
		now, _ := time.Parse(time.RFC3339, tc.utc)
		if got := Today(now).String(); got != tc.want {
			t.Errorf("Today(%s) = %s, want %s", tc.utc, got, tc.want)
		}
	}
}

func TestOfRefusesWhatCannotBeADay(t *testing.T) {
	for _, bad := range []*date.Date{nil, d(2026, 0, 0), d(2026, 2, 30), d(2025, 2, 29), d(0, 1, 1), d(2026, 13, 1), d(10000, 1, 1)} {
		if _, ok := Of(bad); ok {
			t.Errorf("Of(%v) accepted", bad)
		}
	}
	for _, good := range []*date.Date{d(2024, 2, 29), d(1, 1, 1), d(9999, 12, 31), d(1970, 1, 1)} {
		day, ok := Of(good)
		if !ok {
			t.Errorf("Of(%v) refused", good)
			continue
		}
		want := time.Date(int(good.Year), time.Month(good.Month), int(good.Day), 0, 0, 0, 0, time.UTC)
		if !day.Time().Equal(want) {
			t.Errorf("Of(%v).Time() = %v", good, day.Time())
		}
	}
}

// TestInForce pins the edge cases the three former copies disagreed on.
func TestInForce(t *testing.T) {
	today, _ := Of(d(2026, 12, 1))
	for _, tc := range []struct {
		name string
		c    *pb.Certification
		want bool
	}{
		{"no dates", &pb.Certification{Type: "HALAL"}, true},
		{"all-zero dates mean none", &pb.Certification{IssueDate: d(0, 0, 0), ExpiryDate: d(0, 0, 0)}, true},
		{"expires today", &pb.Certification{ExpiryDate: d(2026, 12, 1)}, true},
		{"expired yesterday", &pb.Certification{ExpiryDate: d(2026, 11, 30)}, false},
		{"issued today", &pb.Certification{IssueDate: d(2026, 12, 1)}, true},
		{"issued tomorrow", &pb.Certification{IssueDate: d(2026, 12, 2), ExpiryDate: d(2027, 12, 1)}, false},
		{"malformed expiry", &pb.Certification{ExpiryDate: d(2027, 2, 30)}, false},
		{"partial expiry (a year alone)", &pb.Certification{ExpiryDate: d(2027, 0, 0)}, false},
		{"malformed issue date", &pb.Certification{IssueDate: d(2020, 13, 1), ExpiryDate: d(2030, 1, 1)}, false},
		{"far future expiry", &pb.Certification{ExpiryDate: d(9999, 12, 31)}, true},
	} {
		if got := InForce(tc.c, today); got != tc.want {
			t.Errorf("%s: InForce = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDaysUntil(t *testing.T) {
	a, _ := Of(d(2026, 12, 1))
	b, _ := Of(d(2027, 3, 1))
	if n := a.DaysUntil(b); n != 90 {
		t.Errorf("2026-12-01 to 2027-03-01: %d days, want 90", n)
	}
	if n := b.DaysUntil(a); n != -90 {
		t.Errorf("backwards: %d", n)
	}
}
