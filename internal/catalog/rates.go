package catalog

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
)

// rateTable is a rate table compiled for searching.
type rateTable struct {
	proto *pb.ExchangeRates
	base  string
	// rates holds units per base unit for every usable currency,
	// the base included.
	rates map[string]*big.Rat
	// perMinorInBase is the base-currency value of one minor unit of a
	// currency, as a float: only for ordering hits by price, never for
	// amounts shown or compared against a filter.
	perMinorInBase map[string]float64
	// factors caches factor for every pair of currencies of the table;
	// filled by compileRates and read-only after.
	factors map[[2]string]*big.Rat
}

// compileRates keeps the usable entries of r; unusable ones (which
// ValidateExchangeRates rejects) are skipped, so that those currencies
// simply cannot be converted.
func compileRates(r *pb.ExchangeRates) *rateTable {
	r = proto.Clone(r).(*pb.ExchangeRates)
	if r.GetName() == "" {
		r.Name = fx.ExchangeRatesName
	}
	t := &rateTable{proto: r, base: r.GetBaseCurrencyCode(), rates: map[string]*big.Rat{}, perMinorInBase: map[string]float64{}}
	add := func(code string, rat *big.Rat) {
		scale, err := money.Scale(code)
		if err != nil {
			return
		}
		t.rates[code] = rat
		f, _ := new(big.Rat).Mul(rat, new(big.Rat).SetInt(fx.Pow10(scale))).Float64()
		t.perMinorInBase[code] = 1 / f
	}
	if money.ValidCurrency(t.base) {
		add(t.base, big.NewRat(1, 1))
	}
	for code, s := range r.GetRates() {
		if code == t.base {
			continue
		}
		if rat, ok := fx.ParseRate(s); ok {
			add(code, rat)
		}
	}
	t.factors = make(map[[2]string]*big.Rat, len(t.rates)*len(t.rates))
	for from := range t.rates {
		for to := range t.rates {
			t.factors[[2]string{from, to}] = t.computeFactor(from, to)
		}
	}
	return t
}

// has reports whether amounts in code can be converted.
func (t *rateTable) has(code string) bool {
	_, ok := t.rates[code]
	return ok
}

// factor returns the number of minor units of to worth one minor unit of
// from. The result is shared: callers must not change it.
func (t *rateTable) factor(from, to string) (*big.Rat, bool) {
	f, ok := t.factors[[2]string{from, to}]
	return f, ok
}

func (t *rateTable) computeFactor(from, to string) *big.Rat {
	rf, rt := t.rates[from], t.rates[to]
	sf, _ := money.Scale(from)
	st, _ := money.Scale(to)
	f := new(big.Rat).Quo(rt, rf)
	f.Mul(f, new(big.Rat).SetFrac(fx.Pow10(st), fx.Pow10(sf)))
	return f
}

// convertMinor converts an amount in minor units of from into minor units
// of to, rounding half to even, the same way as Convert.
func convertMinor(f *big.Rat, minor int64) int64 {
	x := new(big.Rat).Mul(new(big.Rat).SetInt64(minor), f)
	return clampInt64(fx.RoundHalfEven(x))
}

func clampInt64(x *big.Int) int64 {
	switch {
	case x.IsInt64():
		return x.Int64()
	case x.Sign() > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}

// maxBelow returns the largest amount n (minor units of the listing's
// currency) whose conversion by f rounds to at most p.
func maxBelow(f *big.Rat, p int64) int64 {
	// n*f < p + 1/2 guarantees rounding to at most p; exactly p + 1/2 may
	// round either way.
	x := new(big.Rat).Add(new(big.Rat).SetInt64(p), big.NewRat(1, 2))
	x.Quo(x, f)
	n := new(big.Int).Div(x.Num(), x.Denom()) // floor: Denom > 0
	v := clampInt64(n)
	if v != math.MaxInt64 && v != math.MinInt64 && convertMinor(f, v) > p {
		v--
	}
	return v
}

// minAbove returns the smallest amount n whose conversion by f rounds to at
// least p.
func minAbove(f *big.Rat, p int64) int64 {
	x := new(big.Rat).Sub(new(big.Rat).SetInt64(p), big.NewRat(1, 2))
	x.Quo(x, f)
	n := new(big.Int).Div(x.Num(), x.Denom())
	if new(big.Int).Mul(n, x.Denom()).Cmp(x.Num()) != 0 {
		n.Add(n, big.NewInt(1)) // ceiling
	}
	v := clampInt64(n)
	if v != math.MaxInt64 && v != math.MinInt64 && convertMinor(f, v) < p {
		v++
	}
	return v
}

// dateString formats a date for messages.
func dateString(d *date.Date) string {
	if d == nil {
		return "undated"
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.GetYear(), d.GetMonth(), d.GetDay())
}

// currencyList names the currencies a table can convert, for messages.
func (t *rateTable) currencyList() string {
	codes := make([]string, 0, len(t.rates))
	for c := range t.rates {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return strings.Join(codes, ", ")
}
