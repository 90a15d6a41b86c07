package validate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// testNow is the clock for tests that depend on it: 15 March 2026, 10:00 in
// Blitar.
var testNow = time.Date(2026, time.March, 15, 3, 0, 0, 0, time.UTC)

func ymd(y, m, d int32) *date.Date { return &date.Date{Year: y, Month: m, Day: d} }

func ts(t time.Time) *timestamppb.Timestamp { return timestamppb.New(t) }

func price(code string, units int64, nanos int32) *moneypb.Money {
	return &moneypb.Money{CurrencyCode: code, Units: units, Nanos: nanos}
}

func ptr[T any](x T) *T { return &x }

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// goErrorFragments are pieces of Go error strings from the libraries this
// package uses; a description containing one leaked an error verbatim.
var goErrorFragments = []string{
	"unknown ISO 4217 currency code", "more precise than the currency's minor unit",
	"well-formed", "not well-formed", "mail: ", "parse ", "invalid character",
	"the phone number supplied", "invalid country code",
}

// wantFields checks that v holds violations for exactly the given field
// paths (order ignored) and that every description is plain and non-empty.
func wantFields(t *testing.T, v *Violations, want ...string) {
	t.Helper()
	var got []string
	for _, fv := range v.List() {
		got = append(got, fv.GetField())
		d := fv.GetDescription()
		if strings.TrimSpace(d) == "" {
			t.Errorf("violation on %s has no description", fv.GetField())
		}
		for _, frag := range goErrorFragments {
			if strings.Contains(d, frag) {
				t.Errorf("violation on %s leaks a Go error (%q): %s", fv.GetField(), frag, d)
			}
		}
	}
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if diff := cmp.Diff(want, got, cmpEmptyNil); diff != "" {
		t.Errorf("violation fields (-want +got):\n%s\nall: %s", diff, describe(v))
	}
}

var cmpEmptyNil = cmp.Transformer("emptyNil", func(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
})

func describe(v *Violations) string {
	var b strings.Builder
	for _, fv := range v.List() {
		b.WriteString("\n  " + fv.GetField() + ": " + fv.GetDescription())
	}
	return b.String()
}

// description returns the description of the violation on field, or "".
func description(v *Violations, field string) string {
	for _, fv := range v.List() {
		if fv.GetField() == field {
			return fv.GetDescription()
		}
	}
	return ""
}
