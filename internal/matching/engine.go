package matching

import (
	"math"
	"runtime"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Candidate is an ACTIVE listing with its producer. The engine re-checks the
// state anyway, so a Source that also hands out paused listings is safe.
type Candidate struct {
	Listing  *pb.Listing
	Producer *pb.Producer
}

// Source enumerates candidate listings; the service implements it over the
// in-memory catalogue. fn returns false to stop.
//
// category == CATEGORY_UNSPECIFIED and hsPrefix == "" mean no restriction.
// Implementations may return listings that do not match the product (the
// engine re-checks), so an index that narrows only roughly is fine. When a
// request names a category the engine asks for the whole category with an
// empty hsPrefix: it needs the listings outside the HS prefix too, to count
// how many more would qualify without it (see RelaxationHint).
type Source interface {
	Candidates(category pb.Category, hsPrefix string, fn func(Candidate) bool)
}

// ProducerStats is a producer's history on the platform.
type ProducerStats struct {
	// Proposals is the number of match proposals the producer received.
	Proposals int
	// Answered is how many of them it accepted or declined.
	Answered int
	// Deals is the number of matches closed with an order.
	Deals int
}

// Weights of the soft criteria. Only their ratios matter: the total score
// is the weighted sum of the criterion scores divided by the sum of the
// weights, so it always lies between 0 and 1. Negative or NaN weights count
// as 0; all weights 0 means DefaultWeights.
type Weights struct {
	// Product is how closely the listing's HS code matches the request.
	Product float64
	// DestinationExperience rewards producers that have exported to the
	// request's destination before.
	DestinationExperience float64
	// Quantity compares the minimum order and what the producer can make
	// by the needed-by date with the quantity wanted.
	Quantity float64
	// Price compares the listing's price range with the buyer's target.
	Price float64
	// LeadTime compares the lead time with the time left until the
	// needed-by date.
	LeadTime float64
	// ExportReadiness is the share of mandatory export requirements for the
	// destination that the producer meets (see package requirement).
	ExportReadiness float64
	// Trust is the trade office's verification and past deals.
	Trust float64
	// Responsiveness is the share of proposals the producer answered.
	Responsiveness float64
}

// DefaultWeights returns the weights the trade office starts with, summing
// to 1:
//
//   - product 0.20 and quantity 0.20: a buyer first needs the right goods
//     in the right amount;
//   - price 0.15 and destination experience 0.15: a price far from the
//     target or a first shipment to a new market are the commonest reasons
//     a deal falls through;
//   - lead time 0.10 and export readiness 0.10: both can still be fixed
//     after the first contact (the office trains producers for the latter);
//   - trust 0.07;
//   - responsiveness 0.03: kept small on purpose, because ranking by
//     responsiveness floods the few firms that answer quickly (FACTS.md:
//     "cap exposure").
func DefaultWeights() Weights {
	return Weights{
		Product:               0.20,
		DestinationExperience: 0.15,
		Quantity:              0.20,
		Price:                 0.15,
		LeadTime:              0.10,
		ExportReadiness:       0.10,
		Trust:                 0.07,
		Responsiveness:        0.03,
	}
}

// Limits of the result size, as the API documents them.
const (
	// DefaultLimit is the number of matches returned when limit <= 0.
	DefaultLimit = 20
	// MaxLimit is the most matches returned.
	MaxLimit = 100
	// DefaultMaxListingsPerProducer is the exposure cap used when
	// Options.MaxListingsPerProducer is 0.
	DefaultMaxListingsPerProducer = 3
	// HintThreshold: relaxation hints are given when fewer listings than
	// this qualify.
	HintThreshold = 5
	// DefaultHorizonDays is the time counted for production when a request
	// has no needed-by date.
	DefaultHorizonDays = 90
)

// Options configure an Engine.
type Options struct {
	// Weights of the soft criteria; the zero value means DefaultWeights.
	Weights Weights
	// Requirements is the requirement catalogue, for export readiness. With
	// none, export readiness is UNKNOWN for every listing.
	Requirements []*pb.Requirement
	// Rates is the exchange-rate table, for price comparison in one
	// currency. With none, only prices in the buyer's own currency can be
	// compared.
	Rates *pb.ExchangeRates
	// Stats returns a producer's history by resource name; nil means no
	// history (responsiveness and deals unknown). It is called at most once
	// per producer per Match and must be safe for concurrent use.
	Stats func(producer string) ProducerStats
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxListingsPerProducer caps how many listings of one producer a
	// Match result shows, so that a large consolidator with many similar
	// listings cannot fill the page and take every proposal (exposure cap).
	// 0 means DefaultMaxListingsPerProducer, a negative value no cap.
	MaxListingsPerProducer int
}

// Engine ranks listings for buying requests and buying requests for
// listings. It is safe for concurrent use; it holds no data of its own
// beyond its configuration, so the Source can change between calls.
type Engine struct {
	src         Source
	w           [numCriteria]float64
	wsum        float64
	reqs        []*pb.Requirement
	rates       *pb.ExchangeRates
	stats       func(string) ProducerStats
	now         func() time.Time
	perProducer int
	// free holds idle matchers (per-call scratch state: about 2 MB at
	// 100,000 listings). A bounded channel rather than a sync.Pool, which
	// empties at every garbage collection and would make the next calls
	// allocate it all again.
	free chan *matcher
}

// New returns an engine over src.
func New(src Source, opts Options) *Engine {
	e := &Engine{
		src:         src,
		reqs:        opts.Requirements,
		rates:       opts.Rates,
		stats:       opts.Stats,
		now:         opts.Now,
		perProducer: opts.MaxListingsPerProducer,
	}
	if e.now == nil {
		e.now = time.Now
	}
	switch {
	case e.perProducer == 0:
		e.perProducer = DefaultMaxListingsPerProducer
	case e.perProducer < 0:
		e.perProducer = 0
	}
	w := opts.Weights.array()
	for i, v := range w {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			w[i] = 0
		}
		e.wsum += w[i]
	}
	if e.wsum == 0 {
		w = DefaultWeights().array()
		e.wsum = 0
		for _, v := range w {
			e.wsum += v
		}
	}
	e.w = w
	e.free = make(chan *matcher, 2*runtime.GOMAXPROCS(0))
	return e
}

// Weights returns the weights in use, after the defaults and clean-up of New.
func (e *Engine) Weights() Weights {
	w := e.w
	return Weights{
		Product:               w[critProduct],
		DestinationExperience: w[critDestination],
		Quantity:              w[critQuantity],
		Price:                 w[critPrice],
		LeadTime:              w[critLeadTime],
		ExportReadiness:       w[critReadiness],
		Trust:                 w[critTrust],
		Responsiveness:        w[critResponsiveness],
	}
}

func (w Weights) array() [numCriteria]float64 {
	var a [numCriteria]float64
	a[critProduct] = w.Product
	a[critDestination] = w.DestinationExperience
	a[critQuantity] = w.Quantity
	a[critPrice] = w.Price
	a[critLeadTime] = w.LeadTime
	a[critReadiness] = w.ExportReadiness
	a[critTrust] = w.Trust
	a[critResponsiveness] = w.Responsiveness
	return a
}

// normalizeLimit applies the API's page-size rule.
func normalizeLimit(limit int) int {
	switch {
	case limit <= 0:
		return DefaultLimit
	case limit > MaxLimit:
		return MaxLimit
	}
	return limit
}

func (e *Engine) getMatcher() *matcher {
	select {
	case m := <-e.free:
		return m
	default:
		return newMatcher(e)
	}
}

func (e *Engine) putMatcher(m *matcher) {
	m.release()
	select {
	case e.free <- m:
	default: // enough idle ones already
	}
}
