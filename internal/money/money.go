// Package money converts google.type.Money to and from integer minor units
// (cents, sen, yen), the form in which the service stores and compares prices.
// Currency codes and their number of decimals come from golang.org/x/text.
package money

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"golang.org/x/text/currency"
	moneypb "google.golang.org/genproto/googleapis/type/money"
)

var (
	// ErrUnknownCurrency means the code is not an ISO 4217 currency.
	ErrUnknownCurrency = errors.New("unknown ISO 4217 currency code")
	// ErrTooPrecise means the amount has digits below the currency's minor unit.
	ErrTooPrecise = errors.New("amount is more precise than the currency's minor unit")
	// ErrOutOfRange means the amount does not fit in int64 minor units.
	ErrOutOfRange = errors.New("amount out of range")
	// ErrSignMismatch means units and nanos have different signs.
	ErrSignMismatch = errors.New("units and nanos must have the same sign")
)

// Scale returns how many decimals the currency's minor unit has (2 for USD,
// 0 for JPY). The code must be upper case ISO 4217.
func Scale(code string) (int, error) {
	unit, err := currency.ParseISO(code)
	if err != nil || unit.String() != code {
		return 0, fmt.Errorf("%q: %w", code, ErrUnknownCurrency)
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale, nil
}

// ValidCurrency reports whether code is a known upper-case ISO 4217 code.
func ValidCurrency(code string) bool {
	_, err := Scale(code)
	return err == nil
}

// ToMinor returns the amount of m in minor units of its currency.
func ToMinor(m *moneypb.Money) (int64, error) {
	scale, err := Scale(m.GetCurrencyCode())
	if err != nil {
		return 0, err
	}
	units, nanos, err := Parts(m)
	if err != nil {
		return 0, err
	}
	step := int64(math.Pow10(9 - scale))
	if nanos%step != 0 {
		return 0, fmt.Errorf("%s allows %d decimals: %w", m.GetCurrencyCode(), scale, ErrTooPrecise)
	}
	total := new(big.Int).Mul(big.NewInt(units), big.NewInt(int64(math.Pow10(scale))))
	total.Add(total, big.NewInt(nanos/step))
	if !total.IsInt64() {
		return 0, ErrOutOfRange
	}
	return total.Int64(), nil
}

// Parts returns m's units and nanos once they are known to form an amount:
// nanos within ±999,999,999 and not of the opposite sign to units.
func Parts(m *moneypb.Money) (units, nanos int64, err error) {
	units, nanos = m.GetUnits(), int64(m.GetNanos())
	if nanos <= -1e9 || nanos >= 1e9 {
		return 0, 0, fmt.Errorf("nanos %d: %w", nanos, ErrOutOfRange)
	}
	if (units > 0 && nanos < 0) || (units < 0 && nanos > 0) {
		return 0, 0, ErrSignMismatch
	}
	return units, nanos, nil
}

// FromMinor builds a Money from an amount in minor units of code. The code is
// trusted (it was validated when the amount was stored).
func FromMinor(code string, minor int64) *moneypb.Money {
	scale, err := Scale(code)
	if err != nil {
		scale = 0
	}
	div := int64(math.Pow10(scale))
	return &moneypb.Money{
		CurrencyCode: code,
		Units:        minor / div,
		Nanos:        int32((minor % div) * int64(math.Pow10(9-scale))),
	}
}
