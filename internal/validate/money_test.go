package validate

import (
	"math"
	"testing"

	moneypb "google.golang.org/genproto/googleapis/type/money"
)

func TestMoney(t *testing.T) {
	tests := []struct {
		name string
		m    *moneypb.Money
		want []string
	}{
		{"nil is not checked", nil, nil},
		{"rupiah", price("IDR", 950000000, 0), nil},
		{"dollars and cents", price("USD", 60, 500000000), nil},
		{"zero", price("USD", 0, 0), nil},
		{"yen", price("JPY", 8000, 0), nil},
		{"cents only", price("USD", 0, 10000000), nil},
		{"currency missing", price("", 10, 0), []string{"price.currency_code"}},
		{"currency lower case", price("idr", 10, 0), []string{"price.currency_code"}},
		{"currency unknown", price("RPH", 10, 0), []string{"price.currency_code"}},
		{"negative units", price("USD", -1, 0), []string{"price"}},
		{"negative nanos", price("USD", 0, -10000000), []string{"price"}},
		{"signs differ", price("USD", 1, -10000000), []string{"price"}},
		{"nanos of a whole unit", price("USD", 1, 1_000_000_000), []string{"price.nanos"}},
		{"nanos below range", price("USD", -1, -1_000_000_000), []string{"price.nanos"}},
		{"fraction of a cent", price("USD", 1, 5_000_000), []string{"price.nanos"}},
		{"fraction of a yen", price("JPY", 1, 1), []string{"price.nanos"}},
		{"too large for minor units", price("USD", math.MaxInt64, 0), []string{"price.units"}},
		{"bad currency and negative", price("XYZ", -5, 0), []string{"price.currency_code", "price"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Violations
			Money(&v, "price", tt.m)
			wantFields(t, &v, tt.want...)
		})
	}
}

func TestFormatMinor(t *testing.T) {
	tests := []struct {
		code  string
		minor int64
		want  string
	}{
		{"USD", 6050, "USD 60.50"},
		{"USD", 5, "USD 0.05"},
		{"JPY", 8000, "JPY 8000"},
		{"IDR", 950000000, "IDR 950000000"}, // x/text gives the rupiah no minor unit
		{"BHD", 1234, "BHD 1.234"},
	}
	for _, tt := range tests {
		if got := formatMinor(tt.code, tt.minor); got != tt.want {
			t.Errorf("formatMinor(%s, %d) = %q, want %q", tt.code, tt.minor, got, tt.want)
		}
	}
}
