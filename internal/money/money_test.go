package money

import (
	"errors"
	"testing"

	moneypb "google.golang.org/genproto/googleapis/type/money"
)

func TestToMinorAndBack(t *testing.T) {
	tests := []struct {
		in    *moneypb.Money
		minor int64
	}{
		{&moneypb.Money{CurrencyCode: "USD", Units: 12, Nanos: 500_000_000}, 1250},
		{&moneypb.Money{CurrencyCode: "USD", Units: -3, Nanos: -10_000_000}, -301},
		{&moneypb.Money{CurrencyCode: "JPY", Units: 1500}, 1500},
		{&moneypb.Money{CurrencyCode: "IDR", Units: 45000}, 45000},
		{&moneypb.Money{CurrencyCode: "HKD", Nanos: 990_000_000}, 99},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			got, err := ToMinor(tt.in)
			if err != nil {
				t.Fatalf("ToMinor: %v", err)
			}
			if got != tt.minor {
				t.Fatalf("ToMinor = %d, want %d", got, tt.minor)
			}
			back := FromMinor(tt.in.CurrencyCode, got)
			if back.Units != tt.in.Units || back.Nanos != tt.in.Nanos || back.CurrencyCode != tt.in.CurrencyCode {
				t.Fatalf("FromMinor = %v, want %v", back, tt.in)
			}
		})
	}
}

func TestToMinorErrors(t *testing.T) {
	tests := []struct {
		name string
		in   *moneypb.Money
		want error
	}{
		{"unknown currency", &moneypb.Money{CurrencyCode: "XYZ", Units: 1}, ErrUnknownCurrency},
		{"lower case", &moneypb.Money{CurrencyCode: "usd", Units: 1}, ErrUnknownCurrency},
		{"empty", &moneypb.Money{Units: 1}, ErrUnknownCurrency},
		{"yen has no cents", &moneypb.Money{CurrencyCode: "JPY", Units: 1, Nanos: 500_000_000}, ErrTooPrecise},
		{"sub-cent", &moneypb.Money{CurrencyCode: "USD", Nanos: 1}, ErrTooPrecise},
		{"mixed signs", &moneypb.Money{CurrencyCode: "USD", Units: 1, Nanos: -1}, ErrSignMismatch},
		{"overflow", &moneypb.Money{CurrencyCode: "USD", Units: 1 << 62}, ErrOutOfRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ToMinor(tt.in); !errors.Is(err, tt.want) {
				t.Fatalf("ToMinor(%v) error = %v, want %v", tt.in, err, tt.want)
			}
		})
	}
}
