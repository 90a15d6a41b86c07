package mongostore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/store"
)

// SettingsCollection holds singleton resources such as the exchange-rate
// table, one document each, keyed by resource name.
const SettingsCollection = "settings"

// exchangeRatesDoc stores the rates as the decimal strings they arrive in:
// they are ratios, and a float would change them.
type exchangeRatesDoc struct {
	ID           string            `bson:"_id"`
	Version      int64             `bson:"version"`
	RequestID    string            `bson:"requestId,omitempty"`
	BaseCurrency string            `bson:"baseCurrencyCode"`
	Rates        map[string]string `bson:"rates"`
	AsOfDate     *time.Time        `bson:"asOfDate,omitempty"`
	Source       string            `bson:"source,omitempty"`
	CreateTime   time.Time         `bson:"createTime"`
	UpdateTime   time.Time         `bson:"updateTime"`
}

func exchangeRatesToDoc(r *pb.ExchangeRates) (*exchangeRatesDoc, error) {
	asOf, err := dateToDoc("as_of_date", r.GetAsOfDate())
	if err != nil {
		return nil, err
	}
	return &exchangeRatesDoc{
		ID:           fx.ExchangeRatesName,
		BaseCurrency: r.GetBaseCurrencyCode(),
		Rates:        maps.Clone(r.GetRates()),
		AsOfDate:     asOf,
		Source:       r.GetSource(),
		UpdateTime:   timeToDoc(r.GetUpdateTime()),
	}, nil
}

func exchangeRatesFromDoc(d *exchangeRatesDoc) *pb.ExchangeRates {
	return &pb.ExchangeRates{
		Name:             fx.ExchangeRatesName,
		BaseCurrencyCode: d.BaseCurrency,
		Rates:            maps.Clone(d.Rates),
		AsOfDate:         dateFromDoc(d.AsOfDate),
		Source:           d.Source,
		UpdateTime:       timeFromDoc(d.UpdateTime),
		Etag:             formatEtag(d.Version),
	}
}

// ExchangeRates returns the stored table, storing def first if there is none
// (the dated default table shipped with the service).
func (s *Store) ExchangeRates(ctx context.Context, def *pb.ExchangeRates) (*pb.ExchangeRates, error) {
	r, err := s.exchangeRates.get(ctx, fx.ExchangeRatesName)
	if !errors.Is(err, store.ErrNotFound) {
		return r, err
	}
	r, err = s.exchangeRates.create(ctx, def, "")
	if errors.Is(err, store.ErrAlreadyExists) {
		// Another replica stored its default first.
		return s.exchangeRates.get(ctx, fx.ExchangeRatesName)
	}
	if err != nil {
		return nil, fmt.Errorf("store default exchange rates: %w", err)
	}
	return r, nil
}

// UpdateExchangeRates applies mutate to the stored table.
func (s *Store) UpdateExchangeRates(ctx context.Context, etag string, mutate func(*pb.ExchangeRates) error) (*pb.ExchangeRates, error) {
	return s.exchangeRates.update(ctx, fx.ExchangeRatesName, etag, mutate)
}
