// Package certday owns two facts that search, matching and readiness must
// agree on: which calendar day it is in Blitar, and whether a certificate is
// in force on a day. Before it, each package had its own answer, and the
// search filter "certified" could disagree with the readiness report about
// the same certificate.
//
// The rule: a certificate is in force from its issue date (or always, when
// it has none) through its expiry date inclusive (or for good, when it has
// none). A date that is present but malformed (a year alone, 30 February)
// cannot be judged, so the certificate is never in force. An all-zero date
// is how JSON clients send "no date" and counts as none.
package certday

import (
	"math"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// WIB is Western Indonesia Time, Blitar's time zone. Indonesia has no
// daylight saving, so a fixed offset is exact and needs no tz database.
var WIB = time.FixedZone("WIB", 7*60*60)

// Day is a calendar day as a day number: days since 1970-01-01 in the
// proleptic Gregorian calendar. Plain integers let hot loops compare dates
// without building time.Time values.
type Day int32

// Forever and Always bound spans without an expiry or an issue date.
const (
	Always  Day = math.MinInt32
	Forever Day = math.MaxInt32
)

// Today is now's calendar day in Blitar.
func Today(now time.Time) Day {
	y, m, d := now.In(WIB).Date()
	return civil(y, int(m), d)
}

// Of is the day of a full calendar date; false for nil, partial or
// impossible dates, which cannot be compared with a day.
func Of(d *date.Date) (Day, bool) {
	if d == nil {
		return 0, false
	}
	y, m, day := int(d.GetYear()), int(d.GetMonth()), int(d.GetDay())
	if y < 1 || y > 9999 || m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
		return 0, false
	}
	return civil(y, m, day), true
}

// Unset reports whether d means "no date": nil, or all zero.
func Unset(d *date.Date) bool {
	return d == nil || d.GetYear() == 0 && d.GetMonth() == 0 && d.GetDay() == 0
}

// Time is the day at midnight UTC (for formatting and for APIs that count
// in time.Time).
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String is the day in ISO 8601 form.
func (d Day) String() string { return d.Time().Format(time.DateOnly) }

// DaysUntil counts the days from d to later (negative when later is
// earlier).
func (d Day) DaysUntil(later Day) int { return int(later) - int(d) }

// Span is the days a certificate is in force, From through Until.
type Span struct {
	From, Until Day
}

// Expires reports whether the span ends (the certificate has an expiry
// date).
func (s Span) Expires() bool { return s.Until != Forever }

// Covers reports whether the certificate is in force on day.
func (s Span) Covers(day Day) bool { return s.From <= day && day <= s.Until }

// SpanOf is the span of a certificate; false when an issue or expiry date
// is present but malformed: such a certificate is never in force.
func SpanOf(c *pb.Certification) (Span, bool) {
	s := Span{From: Always, Until: Forever}
	if d := c.GetIssueDate(); !Unset(d) {
		day, ok := Of(d)
		if !ok {
			return Span{}, false
		}
		s.From = day
	}
	if d := c.GetExpiryDate(); !Unset(d) {
		day, ok := Of(d)
		if !ok {
			return Span{}, false
		}
		s.Until = day
	}
	return s, true
}

// InForce reports whether c is in force on day.
func InForce(c *pb.Certification, day Day) bool {
	s, ok := SpanOf(c)
	return ok && s.Covers(day)
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civil is the day number of y-m-d (H. Hinnant's days-from-civil).
func civil(y, m, d int) Day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Day(era*146097 + doe - 719468)
}
