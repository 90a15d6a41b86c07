package catalog

import (
	"testing"

	"github.com/adiekspor/temubisnis/internal/money/fx"
)

// TestPriceBoundsMatchConversion checks that the integer bounds a price
// filter uses agree exactly with converting each amount and comparing.
func TestPriceBoundsMatchConversion(t *testing.T) {
	tbl := compileRates(fx.DefaultRates())
	for _, pair := range [][2]string{{"USD", "JPY"}, {"JPY", "USD"}, {"IDR", "USD"}, {"USD", "IDR"}, {"HKD", "CNY"}} {
		f, ok := tbl.factor(pair[0], pair[1])
		if !ok {
			t.Fatalf("no factor %v", pair)
		}
		for _, p := range []int64{0, 1, 359, 360, 361, 1000, 3456, 99999} {
			hi, lo := maxBelow(f, p), minAbove(f, p)
			for n := max(0, hi-3); n <= hi+3; n++ {
				if got := convertMinor(f, n) <= p; got != (n <= hi) {
					t.Errorf("%v p=%d: convert(%d)=%d, maxBelow=%d", pair, p, n, convertMinor(f, n), hi)
				}
			}
			for n := max(0, lo-3); n <= lo+3; n++ {
				if got := convertMinor(f, n) >= p; got != (n >= lo) {
					t.Errorf("%v p=%d: convert(%d)=%d, minAbove=%d", pair, p, n, convertMinor(f, n), lo)
				}
			}
		}
	}
}
