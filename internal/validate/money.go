package validate

import (
	"errors"
	"fmt"

	"github.com/adiekspor/temubisnis/internal/money"
	moneypb "google.golang.org/genproto/googleapis/type/money"
)

// Money checks an amount of money: a known ISO 4217 currency, an amount the
// currency can express in whole minor units (no fractions of a sen or cent)
// that fits the store, and not negative. A nil m is not checked; whether a
// price is required is the caller's rule.
func Money(v *Violations, field string, m *moneypb.Money) {
	checkMoney(v, field, m)
}

// checkMoney is Money that also returns the amount in minor units, and false
// when m is nil or invalid, so that callers can compare prices.
func checkMoney(v *Violations, field string, m *moneypb.Money) (int64, bool) {
	if m == nil {
		return 0, false
	}
	ok := true
	code := m.GetCurrencyCode()
	codePath := join(field, "currency_code")
	switch {
	case code == "":
		v.Add(codePath, `is required; expected an ISO 4217 currency code such as "USD", "IDR" or "JPY"`)
		ok = false
	case !money.ValidCurrency(code):
		v.Addf(codePath, `%s is not an ISO 4217 currency code; expected three upper-case letters such as "USD", "IDR" or "JPY"`, quote(code))
		ok = false
	}

	units, nanos := m.GetUnits(), m.GetNanos()
	switch {
	case nanos <= -1e9 || nanos >= 1e9:
		v.Addf(join(field, "nanos"), "is %d; expected a fraction of one unit, between -999999999 and 999999999", nanos)
		return 0, false
	case units > 0 && nanos < 0 || units < 0 && nanos > 0:
		v.Add(field, "units and nanos have different signs; both must be zero or positive")
		return 0, false
	case units < 0 || nanos < 0:
		v.Add(field, "must not be negative")
		return 0, false
	}
	if !ok {
		return 0, false
	}

	minor, err := money.ToMinor(m)
	switch {
	case err == nil:
		return minor, true
	case errors.Is(err, money.ErrTooPrecise):
		scale, _ := money.Scale(code)
		v.Addf(join(field, "nanos"), "%s has %s; the amount must not be more precise than that", code, decimals(scale))
	case errors.Is(err, money.ErrOutOfRange):
		v.Add(join(field, "units"), "is too large to store")
	default:
		// The cases above cover every error ToMinor documents; a new one
		// still has to reach the caller as a violation, in our own words.
		v.Add(field, "is not a valid amount of money")
	}
	return 0, false
}

func decimals(scale int) string {
	switch scale {
	case 0:
		return "no decimal places"
	case 1:
		return "1 decimal place"
	}
	return fmt.Sprintf("%d decimal places", scale)
}

// formatMinor renders an amount for a description, e.g. "USD 12.50".
func formatMinor(code string, minor int64) string {
	m := money.FromMinor(code, minor)
	scale, _ := money.Scale(code)
	if scale == 0 {
		return fmt.Sprintf("%s %d", code, m.GetUnits())
	}
	frac := int64(m.GetNanos())
	for range 9 - scale {
		frac /= 10
	}
	return fmt.Sprintf("%s %d.%0*d", code, m.GetUnits(), scale, frac)
}
