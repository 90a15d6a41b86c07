package fx

import (
	"errors"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/google/go-cmp/cmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/validate"
)

func usdCents(c int64) *moneypb.Money { return money.FromMinor("USD", c) }

func TestDefaultExchangeRates(t *testing.T) {
	r := DefaultRates()
	var v validate.Violations
	Validate(&v, "exchange_rates", r)
	if v.Len() > 0 {
		t.Fatalf("default table invalid: %v", v.List())
	}
	if r.GetName() != "exchangeRates" || r.GetBaseCurrencyCode() != "USD" || r.GetAsOfDate() == nil {
		t.Errorf("default table: name %q base %q date %v", r.GetName(), r.GetBaseCurrencyCode(), r.GetAsOfDate())
	}
	for _, c := range []string{"IDR", "JPY", "HKD", "CNY", "TWD", "EUR", "SGD", "MYR", "AUD", "GBP", "CAD"} {
		if _, ok := r.GetRates()[c]; !ok {
			t.Errorf("no rate for %s", c)
		}
	}
}

func TestConvert(t *testing.T) {
	rates := &pb.ExchangeRates{
		BaseCurrencyCode: "USD",
		Rates:            map[string]string{"USD": "1", "EUR": "0.5", "JPY": "144.5", "IDR": "16250", "KWD": "0.3"},
		AsOfDate:         &date.Date{Year: 2025, Month: 6, Day: 30},
	}
	for _, tc := range []struct {
		name string
		in   *moneypb.Money
		to   string
		want *moneypb.Money
	}{
		{"same currency", usdCents(1234), "USD", usdCents(1234)},
		{"to JPY, half to even down", usdCents(100), "JPY", money.FromMinor("JPY", 144)}, // 144.5 -> 144
		{"to JPY, half to even up", usdCents(300), "JPY", money.FromMinor("JPY", 434)},   // 433.5 -> 434
		{"to JPY, plain rounding", usdCents(2550), "JPY", money.FromMinor("JPY", 3685)},  // 3684.75
		{"to EUR, tie to even 0", usdCents(1), "EUR", money.FromMinor("EUR", 0)},         // 0.005
		{"to EUR, tie to even 2", usdCents(3), "EUR", money.FromMinor("EUR", 2)},         // 0.015
		{"from JPY to USD", money.FromMinor("JPY", 1445), "USD", usdCents(1000)},
		{"cross rate JPY to IDR", money.FromMinor("JPY", 289), "IDR", money.FromMinor("IDR", 32500)}, // 2 USD; IDR has no minor unit here
		{"three decimals", usdCents(101), "KWD", money.FromMinor("KWD", 303)},                        // 0.303
		{"negative, half to even", usdCents(-300), "JPY", money.FromMinor("JPY", -434)},
		{"nanos beyond the minor unit", &moneypb.Money{CurrencyCode: "USD", Units: 1, Nanos: 5_000_000}, "JPY", money.FromMinor("JPY", 145)}, // 145.2225
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Convert(rates, tc.in, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("Convert(%v, %s) (-want +got):\n%s", tc.in, tc.to, diff)
			}
		})
	}
	if _, err := Convert(rates, usdCents(100), "CHF"); !errors.Is(err, ErrNoRate) {
		t.Errorf("missing rate: err = %v; want ErrNoRate", err)
	}
	if _, err := Convert(rates, usdCents(100), "XYZ"); !errors.Is(err, money.ErrUnknownCurrency) {
		t.Errorf("unknown currency: err = %v", err)
	}
	// Amounts are checked as money.ToMinor checks them (money.Parts).
	if _, err := Convert(rates, &moneypb.Money{CurrencyCode: "USD", Units: 1, Nanos: -1}, "JPY"); !errors.Is(err, money.ErrSignMismatch) {
		t.Errorf("mixed signs: err = %v; want ErrSignMismatch", err)
	}
	if _, err := Convert(rates, &moneypb.Money{CurrencyCode: "USD", Nanos: 1e9}, "JPY"); !errors.Is(err, money.ErrOutOfRange) {
		t.Errorf("nanos of a whole unit: err = %v; want ErrOutOfRange", err)
	}
	bad := proto.Clone(rates).(*pb.ExchangeRates)
	bad.Rates["JPY"] = "-1"
	if _, err := Convert(bad, usdCents(100), "JPY"); !errors.Is(err, ErrBadRate) {
		t.Errorf("bad rate: err = %v; want ErrBadRate", err)
	}
}

func TestValidateExchangeRates(t *testing.T) {
	good := func() *pb.ExchangeRates {
		return &pb.ExchangeRates{
			Name: "exchangeRates", BaseCurrencyCode: "USD",
			Rates:    map[string]string{"USD": "1", "JPY": "144.03"},
			AsOfDate: &date.Date{Year: 2025, Month: 6, Day: 30},
		}
	}
	for _, tc := range []struct {
		name   string
		change func(r *pb.ExchangeRates)
		field  string
	}{
		{"unknown base", func(r *pb.ExchangeRates) { r.BaseCurrencyCode = "XYZ" }, "exchange_rates.base_currency_code"},
		{"missing base", func(r *pb.ExchangeRates) { r.BaseCurrencyCode = "" }, "exchange_rates.base_currency_code"},
		{"unknown key", func(r *pb.ExchangeRates) { r.Rates["ABC"] = "2" }, `exchange_rates.rates["ABC"]`},
		{"negative", func(r *pb.ExchangeRates) { r.Rates["JPY"] = "-144" }, "exchange_rates.rates[JPY]"},
		{"zero", func(r *pb.ExchangeRates) { r.Rates["JPY"] = "0" }, "exchange_rates.rates[JPY]"},
		{"exponent", func(r *pb.ExchangeRates) { r.Rates["JPY"] = "1.4e2" }, "exchange_rates.rates[JPY]"},
		{"base not 1", func(r *pb.ExchangeRates) { r.Rates["USD"] = "1.01" }, "exchange_rates.rates[USD]"},
		{"no date", func(r *pb.ExchangeRates) { r.AsOfDate = nil }, "exchange_rates.as_of_date"},
		{"bad date", func(r *pb.ExchangeRates) { r.AsOfDate = &date.Date{Year: 2025, Month: 2, Day: 30} }, "exchange_rates.as_of_date"},
		{"wrong name", func(r *pb.ExchangeRates) { r.Name = "rates" }, "exchange_rates.name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := good()
			tc.change(r)
			var v validate.Violations
			Validate(&v, "exchange_rates", r)
			found := false
			for _, fv := range v.List() {
				found = found || fv.GetField() == tc.field
			}
			if !found {
				t.Errorf("violations %v do not name %s", v.List(), tc.field)
			}
		})
	}
	var v validate.Violations
	Validate(&v, "exchange_rates", good())
	if v.Len() > 0 {
		t.Errorf("good table: %v", v.List())
	}
}
