package requirement

import (
	"time"

	"github.com/adiekspor/temubisnis/internal/certday"
)

// ExpiringSoonDays is how close to its expiry a valid certificate is
// reported as EXPIRING_SOON: two months is about what a Barantin or CKIB
// renewal takes, so a shorter warning would come too late to act on.
const ExpiringSoonDays = 60

// today returns the calendar date of t in Blitar (package certday, which
// search and matching count days with too), as midnight UTC so that
// subtracting two such values gives whole days.
func today(t time.Time) time.Time { return certday.Today(t).Time() }

// daysBetween counts calendar days from one midnight UTC to another. It
// works on Unix seconds rather than time.Sub, whose Duration saturates after
// 292 years and a certificate "valid until 9999-12-31" is legal input.
func daysBetween(from, to time.Time) int {
	const day = 24 * 60 * 60
	return int((to.Unix() - from.Unix()) / day)
}

// formatDate writes a date the way the reports do, ISO 8601.
func formatDate(t time.Time) string {
	return t.Format(time.DateOnly)
}
