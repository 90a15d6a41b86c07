package matching

import (
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/type/date"

	"github.com/adiekspor/temubisnis/internal/certday"
)

// Days are counted in Blitar by package certday, as search and readiness
// count them, so that a certificate the readiness report calls valid is
// valid here too. These wrappers keep day numbers plain ints in the hot loop.

// dayOf returns the calendar day of t in Blitar as a day number.
func dayOf(t time.Time) int { return int(certday.Today(t)) }

// dateDay returns the day number of a full calendar date, and false for a
// nil, partial or impossible date.
func dateDay(d *date.Date) (int, bool) {
	day, ok := certday.Of(d)
	return int(day), ok
}

// noDate reports whether d means "no date": unset, or all zero.
func noDate(d *date.Date) bool { return certday.Unset(d) }

// formatDay writes a day number as an ISO 8601 date.
func formatDay(n int) string { return certday.Day(n).String() }

// formatDate writes a google.type.Date as an ISO 8601 date.
func formatDate(d *date.Date) string {
	return fmt.Sprintf("%04d-%02d-%02d", d.GetYear(), d.GetMonth(), d.GetDay())
}
