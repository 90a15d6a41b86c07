// Package fx holds exchange rates next to money: the dated rate table,
// its validation and exact conversion between currencies. Search, matching,
// quotes and statistics all convert through it.
package fx

import (
	_ "embed"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"unicode/utf8"

	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/encoding/protojson"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// ExchangeRatesName is the resource name of the singleton rate table.
const ExchangeRatesName = "exchangeRates"

// defaultRatesJSON is the dated default table, in the JSON form of
// pb.ExchangeRates, so that an administrator can send the same document to
// UpdateExchangeRates.
//
//go:embed exchange_rates.json
var defaultRatesJSON []byte

// DefaultRates returns the embedded, dated rate table (base USD).
func DefaultRates() *pb.ExchangeRates {
	r := &pb.ExchangeRates{}
	if err := protojson.Unmarshal(defaultRatesJSON, r); err != nil {
		panic(fmt.Sprintf("fx: embedded exchange_rates.json: %v", err))
	}
	r.Name = ExchangeRatesName
	return r
}

var (
	// ErrNoRate means the table has no rate for a currency.
	ErrNoRate = errors.New("no exchange rate for the currency")
	// ErrBadRate means a rate in the table is not a positive decimal.
	ErrBadRate = errors.New("exchange rate is not a positive decimal")
)

// decimalRe is the form of a rate: digits with an optional fraction; no
// sign, exponent or thousands separators.
var decimalRe = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,15})?$`)

// maxRates bounds the table: there are fewer than 200 currencies in use.
const maxRates = 300

// Validate checks a rate table: name "exchangeRates" (or
// empty), a known ISO 4217 base currency, every key a known currency and
// every rate a positive decimal string, the base currency's own rate (if
// given) exactly 1, and a valid as_of_date.
func Validate(v *validate.Violations, field string, r *pb.ExchangeRates) {
	if r == nil {
		v.Add(field, "is required")
		return
	}
	if n := r.GetName(); n != "" && n != ExchangeRatesName {
		v.Addf(join(field, "name"), "is %q; the rate table is the singleton %q", n, ExchangeRatesName)
	}
	base := r.GetBaseCurrencyCode()
	switch {
	case base == "":
		v.Add(join(field, "base_currency_code"), `is required; expected an ISO 4217 code such as "USD"`)
	case !money.ValidCurrency(base):
		v.Addf(join(field, "base_currency_code"), `%q is not an ISO 4217 currency code; expected three upper-case letters such as "USD"`, base)
	}
	if n := len(r.GetRates()); n > maxRates {
		v.Addf(join(field, "rates"), "has %d entries; at most %d are allowed", n, maxRates)
	} else {
		keys := make([]string, 0, n)
		for k := range r.GetRates() {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := fmt.Sprintf("%s[%q]", join(field, "rates"), k)
			if money.ValidCurrency(k) {
				p = join(field, "rates") + "[" + k + "]"
			} else {
				v.Addf(p, `%q is not an ISO 4217 currency code; keys are three upper-case letters such as "IDR" or "JPY"`, k)
				continue
			}
			val := r.GetRates()[k]
			rat, ok := ParseRate(val)
			switch {
			case !ok:
				v.Addf(p, `%q is not a positive decimal; expected digits with an optional fraction, such as "16235" or "144.03", meaning units of %s per one %s`, val, k, base)
			case k == base && rat.Cmp(big.NewRat(1, 1)) != 0:
				v.Addf(p, "is %s, but the base currency's rate must be 1", val)
			}
		}
	}
	d := r.GetAsOfDate()
	switch {
	case d == nil:
		v.Add(join(field, "as_of_date"), "is required; give the date the rates were taken")
	case !validate.Date(d):
		v.Addf(join(field, "as_of_date"), "%04d-%02d-%02d is not a calendar date", d.GetYear(), d.GetMonth(), d.GetDay())
	}
	if n := utf8.RuneCountInString(r.GetSource()); n > 500 {
		v.Addf(join(field, "source"), "is %d characters long; at most 500 are allowed", n)
	}
}

func join(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// ParseRate parses a rate string; it must be a positive decimal.
func ParseRate(s string) (*big.Rat, bool) {
	if !decimalRe.MatchString(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() <= 0 {
		return nil, false
	}
	return r, true
}

// rateOf returns units of code per one base unit.
func rateOf(r *pb.ExchangeRates, code string) (*big.Rat, error) {
	if code == r.GetBaseCurrencyCode() {
		if s, ok := r.GetRates()[code]; ok {
			if rat, ok := ParseRate(s); !ok || rat.Cmp(big.NewRat(1, 1)) != 0 {
				return nil, fmt.Errorf("%s: base rate %q: %w", code, s, ErrBadRate)
			}
		}
		return big.NewRat(1, 1), nil
	}
	s, ok := r.GetRates()[code]
	if !ok {
		return nil, fmt.Errorf("%s: %w", code, ErrNoRate)
	}
	rat, ok := ParseRate(s)
	if !ok {
		return nil, fmt.Errorf("%s: %q: %w", code, s, ErrBadRate)
	}
	return rat, nil
}

// Convert converts m into currency to with the rates of r, exactly (rational
// arithmetic on the decimal rates), rounding half to even to the minor unit
// of to (cents for USD, whole yen for JPY). Converting into m's own currency
// returns a copy, rounded the same way.
func Convert(r *pb.ExchangeRates, m *moneypb.Money, to string) (*moneypb.Money, error) {
	if m == nil {
		return nil, errors.New("no amount to convert")
	}
	from := m.GetCurrencyCode()
	if _, err := money.Scale(from); err != nil {
		return nil, err
	}
	toScale, err := money.Scale(to)
	if err != nil {
		return nil, err
	}
	units, nanos, err := money.Parts(m)
	if err != nil {
		return nil, err
	}
	amount := new(big.Rat).SetFrac(
		new(big.Int).Add(new(big.Int).Mul(big.NewInt(units), big.NewInt(1e9)), big.NewInt(nanos)),
		big.NewInt(1e9))
	if from != to {
		rFrom, err := rateOf(r, from)
		if err != nil {
			return nil, err
		}
		rTo, err := rateOf(r, to)
		if err != nil {
			return nil, err
		}
		amount.Mul(amount, rTo)
		amount.Quo(amount, rFrom)
	}
	amount.Mul(amount, new(big.Rat).SetInt(Pow10(toScale)))
	minor := RoundHalfEven(amount)
	if !minor.IsInt64() {
		return nil, money.ErrOutOfRange
	}
	return money.FromMinor(to, minor.Int64()), nil
}

// Pow10 is 10 to the n.
func Pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// RoundHalfEven rounds x to the nearest integer, ties to even.
func RoundHalfEven(x *big.Rat) *big.Int {
	num, den := x.Num(), x.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	rem.Abs(rem)
	rem.Lsh(rem, 1)
	if c := rem.Cmp(den); c > 0 || c == 0 && q.Bit(0) == 1 {
		if num.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}
