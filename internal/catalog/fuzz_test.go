package catalog

import (
	"errors"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// FuzzSearchRequest: no query text, page token, currency, prefix or price
// makes a search panic or fail with anything but INVALID_ARGUMENT. Run
// longer with go test ./internal/catalog -run '^$' -fuzz FuzzSearchRequest.
func FuzzSearchRequest(f *testing.F) {
	x, _ := demoIndex(f)
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []struct {
		query, token, currency, prefix, country string
		min, max                                int64
		size                                    int32
	}{
		{"djembe", "", "USD", "", "US", 0, 0, 20},
		{"kendang jimbe \"60 cm\" -kids", "", "", "9206", "", 0, 0, 0},
		{"ikan koi kohaku", "garbage", "JPY", "0301", "JP", 100, 50, 500},
		{"\xff\xfe", "", "XXX", "abc", "zz", -1, 1 << 62, -5},
		{"sambal pecel 辣椒", "eyJvIjoxfQ", "IDR", "2103", "HK", 0, 0, 1},
	} {
		f.Add(s.query, s.token, s.currency, s.prefix, s.country, s.min, s.max, s.size)
	}
	f.Fuzz(func(t *testing.T, query, token, currency, prefix, country string, min, max int64, size int32) {
		req := &pb.SearchListingsRequest{
			Query: query, PageToken: token, CurrencyCode: currency, HsPrefix: prefix, ShipToCountryCode: country, PageSize: size,
		}
		if min != 0 {
			req.PriceMin = &money.Money{CurrencyCode: currency, Units: min}
		}
		if max != 0 {
			req.PriceMax = &money.Money{CurrencyCode: currency, Units: max}
		}
		done := make(chan error, 1)
		go func() { _, err := x.Search(req, now); done <- err }()
		var err error
		select {
		case err = <-done:
		case <-time.After(5 * time.Second):
			// Only a hang guard for the fuzzer, which has no per-input
			// timeout; a search takes milliseconds.
			t.Fatalf("search %+v did not return within 5 s", req)
		}
		if err == nil {
			return
		}
		var st interface{ GRPCStatus() *status.Status }
		if !errors.As(err, &st) || st.GRPCStatus().Code() != 3 {
			t.Fatalf("search %+v: %v, want INVALID_ARGUMENT", req, err)
		}
	})
}
