package matching

import (
	"math"

	moneypb "google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
)

// scaleOf returns the number of decimals of a currency's minor unit.
func scaleOf(code string) (int, error) { return money.Scale(code) }

// minorOf is money.ToMinor without big-integer arithmetic: the same checks
// (nanos range, signs, precision below the minor unit, int64 range), and
// false where ToMinor would fail.
func minorOf(m *moneypb.Money, scale int) (int64, bool) {
	if scale < 0 || scale > 9 {
		return 0, false
	}
	units, nanos := m.GetUnits(), int64(m.GetNanos())
	if nanos <= -1e9 || nanos >= 1e9 || units > 0 && nanos < 0 || units < 0 && nanos > 0 {
		return 0, false
	}
	step := pow10[9-scale]
	if nanos%step != 0 {
		return 0, false
	}
	mul := pow10[scale]
	if units > math.MaxInt64/mul || units < math.MinInt64/mul {
		return 0, false
	}
	v, add := units*mul, nanos/step
	if add > 0 && v > math.MaxInt64-add || add < 0 && v < math.MinInt64-add {
		return 0, false
	}
	return v + add, true
}

// priceRange returns the ends of a listing's price range. A range with only
// one end uses it for both; a price_max in another currency than price_min
// (which validation rejects) is ignored.
func priceRange(l *pb.Listing) (lo, hi *moneypb.Money, code string, ok bool) {
	lo, hi = l.GetPriceMin(), l.GetPriceMax()
	switch {
	case lo == nil && hi == nil:
		return nil, nil, "", false
	case lo == nil:
		lo = hi
	case hi == nil || hi.GetCurrencyCode() != lo.GetCurrencyCode():
		hi = lo
	}
	return lo, hi, lo.GetCurrencyCode(), true
}

// targetIn returns the buyer's target converted into currency cur, in its
// minor units, computed once per currency and request with catalog.Convert
// (exact rational arithmetic, rounded half to even to the minor unit).
//
// Converting the one target into each listing currency, rather than every
// listing price into the buyer's currency, costs one conversion per
// currency instead of two per listing, and compares exact integers.
func (m *matcher) targetIn(cur int32) (int64, bool) {
	for int(cur) >= len(m.targets) {
		m.targets = append(m.targets, target{})
	}
	t := &m.targets[cur]
	if t.gen == m.gen {
		return t.v, t.ok
	}
	*t = target{gen: m.gen}
	q := &m.q
	code, scale := m.idx.curCode[cur], int(m.idx.curScale[cur])
	if q.target != nil && scale >= 0 {
		if conv, err := fx.Convert(m.e.rates, q.target, code); err == nil {
			if v, ok := minorOf(conv, scale); ok && v > 0 {
				t.v, t.ok = v, true
			}
		}
	}
	return t.v, t.ok
}

// target is a cached conversion of the buyer's target.
type target struct {
	gen uint32
	v   int64
	ok  bool
}
