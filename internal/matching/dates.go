package matching

import (
	"fmt"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
)

// wib is Western Indonesia Time, Blitar's time zone (UTC+7, no daylight
// saving). Days are counted in Blitar, as package requirement does, so that
// a certificate the readiness report calls valid is valid here too.
var wib = time.FixedZone("WIB", 7*60*60)

// dayOf returns the calendar day of t in Blitar as a day number (days since
// 1970-01-01). Day numbers are plain integers so that the hot loop compares
// dates without building time.Time values.
func dayOf(t time.Time) int {
	y, m, d := t.In(wib).Date()
	return daysFromCivil(y, int(m), d)
}

// dateDay returns the day number of a full calendar date, and false for a
// nil, partial or impossible date (30 February), which cannot be compared
// with a day: such a date never makes a certificate valid.
func dateDay(d *date.Date) (int, bool) {
	if d == nil {
		return 0, false
	}
	y, m, day := int(d.GetYear()), int(d.GetMonth()), int(d.GetDay())
	if y < 1 || y > 9999 || m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
		return 0, false
	}
	return daysFromCivil(y, m, day), true
}

// noDate reports whether d means "no date": unset, or all zero, which is
// what a JSON client sends (package requirement reads it the same way).
func noDate(d *date.Date) bool {
	return d == nil || d.GetYear() == 0 && d.GetMonth() == 0 && d.GetDay() == 0
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

// daysFromCivil is the proleptic Gregorian day number of y-m-d, with
// 1970-01-01 as day 0 (H. Hinnant's algorithm).
func daysFromCivil(y, m, d int) int {
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
	return era*146097 + doe - 719468
}

// formatDay writes a day number as an ISO 8601 date.
func formatDay(n int) string {
	return time.Unix(int64(n)*86400, 0).UTC().Format(time.DateOnly)
}

// formatDate writes a google.type.Date as an ISO 8601 date.
func formatDate(d *date.Date) string {
	return fmt.Sprintf("%04d-%02d-%02d", d.GetYear(), d.GetMonth(), d.GetDay())
}
