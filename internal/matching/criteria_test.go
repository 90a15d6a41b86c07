package matching

import (
	"math"
	"testing"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
)

// scoreOf matches req against the single listing l of p and returns the
// named criterion.
func scoreOf(t *testing.T, e *Engine, req *pb.BuyingRequest, name string) *pb.CriterionScore {
	t.Helper()
	resp := e.Match(req, nil, 0)
	if len(resp.GetMatches()) != 1 {
		t.Fatalf("matches = %v, want exactly one", matchNames(resp))
	}
	return criterion(t, resp.GetMatches()[0].GetCriteria(), name)
}

// TestPriceConversion: a target in yen against listings priced in dollars,
// converted with the exchange-rate table.
func TestPriceConversion(t *testing.T) {
	// 150 yen to the dollar: a target of JPY 9,000 is exactly USD 60.00.
	rates := &pb.ExchangeRates{BaseCurrencyCode: "USD", Rates: map[string]string{"USD": "1", "JPY": "150"}, AsOfDate: &date.Date{Year: 2026, Month: 9, Day: 30}}
	target := jpy(9000)
	for _, tc := range []struct {
		name     string
		lo, hi   *moneypb.Money
		rates    *pb.ExchangeRates
		outcome  pb.CriterionScore_Outcome
		score    float64
		explains string
	}{
		{"target within range", usd(4500), usd(12000), rates, pb.CriterionScore_MATCHED, 1,
			"The buyer's target of JPY 9,000 (about USD 60.00) per fish lies within the listing's price range of USD 45.00 to USD 120.00 per fish."},
		{"target above range", usd(4000), usd(5500), rates, pb.CriterionScore_MATCHED, 1,
			"The buyer's target of JPY 9,000 (about USD 60.00) per fish is at or above the listing's price of USD 40.00 to USD 55.00 per fish."},
		{"lowest price equals target", usd(6000), usd(9000), rates, pb.CriterionScore_MATCHED, 1, ""},
		{"10% above target", usd(6600), usd(9000), rates, pb.CriterionScore_PARTIAL, 0.8,
			"The lowest price, USD 66.00 per fish, is 10% above the buyer's target of JPY 9,000 (about USD 60.00)."},
		{"50% above target", usd(9000), usd(12000), rates, pb.CriterionScore_NOT_MATCHED, 0, ""},
		{"same currency", jpy(8500), jpy(9500), rates, pb.CriterionScore_MATCHED, 1,
			"The buyer's target of JPY 9,000 per fish lies within the listing's price range of JPY 8,500 to JPY 9,500 per fish."},
		{"only a maximum", nil, usd(5000), rates, pb.CriterionScore_MATCHED, 1, ""},
		{"no rate for the currency", money.FromMinor("CNY", 40000), nil, rates, pb.CriterionScore_UNKNOWN, 0,
			"No exchange rate between JPY and CNY is available, so the prices cannot be compared."},
		{"no rate table", usd(4500), usd(12000), nil, pb.CriterionScore_UNKNOWN, 0, ""},
		// The default table (144.03 yen): JPY 9,000 = USD 62.487... -> 62.49.
		{"default table, at the converted target", usd(6249), usd(9000), fx.DefaultRates(), pb.CriterionScore_MATCHED, 1, ""},
		{"default table, a cent above", usd(6250), usd(9000), fx.DefaultRates(), pb.CriterionScore_PARTIAL, 1 - 2*1.0/6249, ""},
		{"no listing price", nil, nil, rates, pb.CriterionScore_UNKNOWN, 0, "The listing states no usable price."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := maker("p")
			l := koi(p, "k", func(l *pb.Listing) { l.PriceMin, l.PriceMax = tc.lo, tc.hi })
			e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{l}, func(o *Options) { o.Rates = tc.rates })
			req := &pb.BuyingRequest{Category: pb.Category_ORNAMENTAL_FISH, Quantity: 100, Unit: "fish", DestinationCountryCode: "JP", TargetPrice: target, NeededByDate: day(60)}
			c := scoreOf(t, e, req, "price")
			if c.GetOutcome() != tc.outcome || math.Abs(c.GetScore()-tc.score) > 1e-9 {
				t.Errorf("price = %v %v, want %v %v (%s)", c.GetOutcome(), c.GetScore(), tc.outcome, tc.score, c.GetExplanation())
			}
			if tc.explains != "" && c.GetExplanation() != tc.explains {
				t.Errorf("explanation = %q, want %q", c.GetExplanation(), tc.explains)
			}
		})
	}
	t.Run("no target price", func(t *testing.T) {
		p := maker("p")
		e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{koi(p, "k")})
		c := scoreOf(t, e, &pb.BuyingRequest{Category: pb.Category_ORNAMENTAL_FISH, Quantity: 10, Unit: "fish", DestinationCountryCode: "JP"}, "price")
		if c.GetOutcome() != pb.CriterionScore_UNKNOWN || c.GetScore() != 0 {
			t.Errorf("price without target = %v", c)
		}
	})
}

// TestQuantityAndLeadTime covers the capacity arithmetic: monthly capacity
// times the days left after the lead time, over 30.
func TestQuantityAndLeadTime(t *testing.T) {
	for _, tc := range []struct {
		name       string
		qty        int64
		unit       string
		neededBy   int // days from today; 0 = no date
		moq        int64
		capacity   int64
		lead       int32
		quantity   pb.CriterionScore_Outcome
		qScore     float64
		leadTime   pb.CriterionScore_Outcome
		qExplained string
	}{
		{name: "enough", qty: 500, unit: "piece", neededBy: 120, moq: 100, capacity: 1000, lead: 30,
			quantity: pb.CriterionScore_MATCHED, qScore: 1, leadTime: pb.CriterionScore_MATCHED,
			qExplained: "Makes up to 1,000 pieces a month; with a 30-day lead time, 90 days remain for production, so about 3,000 can be ready by the needed-by date " + formatDate(day(120)) + ": enough for the 500 requested."},
		{name: "part", qty: 6000, unit: "piece", neededBy: 120, moq: 100, capacity: 1000, lead: 30,
			quantity: pb.CriterionScore_PARTIAL, qScore: 0.5, leadTime: pb.CriterionScore_MATCHED},
		{name: "minimum order too high", qty: 50, unit: "piece", neededBy: 120, moq: 100, capacity: 1000, lead: 30,
			quantity: pb.CriterionScore_NOT_MATCHED, leadTime: pb.CriterionScore_MATCHED,
			qExplained: "Minimum order is 100 pieces, more than the 50 requested."},
		{name: "lead time too long", qty: 500, unit: "piece", neededBy: 20, moq: 100, capacity: 1000, lead: 30,
			quantity: pb.CriterionScore_NOT_MATCHED, leadTime: pb.CriterionScore_NOT_MATCHED},
		{name: "no needed-by date", qty: 500, unit: "piece", moq: 100, capacity: 1000, lead: 30,
			quantity: pb.CriterionScore_MATCHED, qScore: 1, leadTime: pb.CriterionScore_UNKNOWN,
			qExplained: "Makes up to 1,000 pieces a month; with a 30-day lead time, 60 days remain for production, so about 2,000 can be ready within 90 days (the buyer gave no needed-by date): enough for the 500 requested."},
		{name: "other unit", qty: 500, unit: "kg", neededBy: 120, moq: 100, capacity: 1000, lead: 30,
			quantity: pb.CriterionScore_UNKNOWN, leadTime: pb.CriterionScore_MATCHED,
			qExplained: "The buyer counts in kg and the listing in pieces, so the quantities cannot be compared."},
		{name: "unit spelled differently", qty: 500, unit: "pcs", neededBy: 120, moq: 100, capacity: 1000, lead: 30,
			quantity: pb.CriterionScore_MATCHED, qScore: 1, leadTime: pb.CriterionScore_MATCHED},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := maker("p")
			l := djembe(p, "d", func(l *pb.Listing) {
				l.MinOrderQuantity, l.MonthlyCapacity, l.LeadTimeDays = i64(tc.moq), i64(tc.capacity), i32(tc.lead)
			})
			e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{l})
			req := usRequest(func(r *pb.BuyingRequest) {
				r.Quantity, r.Unit, r.NeededByDate = tc.qty, tc.unit, nil
				if tc.neededBy != 0 {
					r.NeededByDate = day(tc.neededBy)
				}
			})
			resp := e.Match(req, nil, 0)
			if len(resp.GetMatches()) != 1 {
				t.Fatalf("matches = %v", matchNames(resp))
			}
			q := criterion(t, resp.GetMatches()[0].GetCriteria(), "quantity")
			if q.GetOutcome() != tc.quantity || math.Abs(q.GetScore()-tc.qScore) > 1e-9 {
				t.Errorf("quantity = %v %v, want %v %v (%s)", q.GetOutcome(), q.GetScore(), tc.quantity, tc.qScore, q.GetExplanation())
			}
			if tc.qExplained != "" && q.GetExplanation() != tc.qExplained {
				t.Errorf("quantity explanation = %q, want %q", q.GetExplanation(), tc.qExplained)
			}
			if lt := criterion(t, resp.GetMatches()[0].GetCriteria(), "lead_time"); lt.GetOutcome() != tc.leadTime {
				t.Errorf("lead_time = %v, want %v", lt, tc.leadTime)
			}
		})
	}
}

// TestProductCloseness: a longer common HS prefix scores more; a match on
// the category alone is PARTIAL.
func TestProductCloseness(t *testing.T) {
	for _, tc := range []struct {
		prefix, hs string
		category   pb.Category
		outcome    pb.CriterionScore_Outcome
		score      float64
	}{
		{"920600", "920600", pb.Category_MUSICAL_INSTRUMENT, pb.CriterionScore_MATCHED, 1},
		{"920600", "92060000", pb.Category_MUSICAL_INSTRUMENT, pb.CriterionScore_MATCHED, 1},
		{"9206", "920600", pb.Category_MUSICAL_INSTRUMENT, pb.CriterionScore_MATCHED, 0.5 + 0.5*4.0/6},
		{"9206", "9206", pb.Category_MUSICAL_INSTRUMENT, pb.CriterionScore_MATCHED, 1},
		{"92", "920600", pb.Category_MUSICAL_INSTRUMENT, pb.CriterionScore_MATCHED, 0.5 + 0.5*2.0/6},
		{"", "920600", pb.Category_MUSICAL_INSTRUMENT, pb.CriterionScore_PARTIAL, 0.5},
		{"9206", "", pb.Category_MUSICAL_INSTRUMENT, pb.CriterionScore_PARTIAL, 0.5},
	} {
		t.Run(tc.prefix+"/"+tc.hs, func(t *testing.T) {
			p := maker("p")
			l := djembe(p, "d", func(l *pb.Listing) { l.HsCode = tc.hs })
			e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{l})
			c := scoreOf(t, e, usRequest(func(r *pb.BuyingRequest) { r.HsPrefix, r.Category = tc.prefix, tc.category }), "product")
			if c.GetOutcome() != tc.outcome || math.Abs(c.GetScore()-tc.score) > 1e-9 {
				t.Errorf("product = %v %v, want %v %v (%s)", c.GetOutcome(), c.GetScore(), tc.outcome, tc.score, c.GetExplanation())
			}
		})
	}
}

// TestTrustAndResponsiveness: verification and deals make trust; answered
// proposals make responsiveness; without history both are said so.
func TestTrustAndResponsiveness(t *testing.T) {
	stats := map[string]ProducerStats{
		"producers/busy":    {Proposals: 10, Answered: 9, Deals: 2},
		"producers/silent":  {Proposals: 4, Answered: 0},
		"producers/pending": {Proposals: 4, Answered: 2, Deals: 5},
	}
	for _, tc := range []struct {
		id           string
		state        pb.VerificationState
		trust        pb.CriterionScore_Outcome
		trustScore   float64
		resp         pb.CriterionScore_Outcome
		respScore    float64
		trustExplain string
	}{
		{"busy", pb.VerificationState_VERIFIED, pb.CriterionScore_MATCHED, 0.75 + 0.25*2/3, pb.CriterionScore_MATCHED, 0.9,
			"Verified by the trade office; 2 deals closed on the platform."},
		{"silent", pb.VerificationState_UNVERIFIED, pb.CriterionScore_UNKNOWN, 0, pb.CriterionScore_NOT_MATCHED, 0,
			"Not verified by the trade office yet; no deals closed on the platform yet."},
		{"pending", pb.VerificationState_PENDING_REVIEW, pb.CriterionScore_PARTIAL, 0.75*0.4 + 0.25, pb.CriterionScore_PARTIAL, 0.5, ""},
		{"rejected", pb.VerificationState_REJECTED, pb.CriterionScore_NOT_MATCHED, 0, pb.CriterionScore_UNKNOWN, 0,
			"The trade office could not confirm this firm's details; no deals closed on the platform yet."},
	} {
		t.Run(tc.id, func(t *testing.T) {
			p := maker(tc.id)
			p.VerificationState = tc.state
			e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{djembe(p, "d")}, func(o *Options) {
				o.Stats = func(name string) ProducerStats { return stats[name] }
			})
			resp := e.Match(usRequest(), nil, 0)
			tr := criterion(t, resp.GetMatches()[0].GetCriteria(), "trust")
			if tr.GetOutcome() != tc.trust || math.Abs(tr.GetScore()-tc.trustScore) > 1e-9 {
				t.Errorf("trust = %v %v, want %v %v", tr.GetOutcome(), tr.GetScore(), tc.trust, tc.trustScore)
			}
			if tc.trustExplain != "" && tr.GetExplanation() != tc.trustExplain {
				t.Errorf("trust explanation = %q, want %q", tr.GetExplanation(), tc.trustExplain)
			}
			rs := criterion(t, resp.GetMatches()[0].GetCriteria(), "responsiveness")
			if rs.GetOutcome() != tc.resp || math.Abs(rs.GetScore()-tc.respScore) > 1e-9 {
				t.Errorf("responsiveness = %v %v, want %v %v", rs.GetOutcome(), rs.GetScore(), tc.resp, tc.respScore)
			}
		})
	}
	t.Run("no stats", func(t *testing.T) {
		p := maker("p")
		e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{djembe(p, "d")})
		c := scoreOf(t, e, usRequest(), "responsiveness")
		if c.GetOutcome() != pb.CriterionScore_UNKNOWN || c.GetExplanation() != "No proposals on the platform yet, so responsiveness is unknown." {
			t.Errorf("responsiveness without stats = %v", c)
		}
	})
}

// TestWeights: defaults sum to 1; zero weights mean the defaults; negative
// weights count as 0; the total is the weighted mean.
func TestWeights(t *testing.T) {
	w := DefaultWeights()
	sum := 0.0
	for _, v := range w.array() {
		sum += v
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("default weights sum to %v, want 1", sum)
	}
	p := maker("p")
	l := djembe(p, "d", func(l *pb.Listing) { l.MonthlyCapacity = nil }) // quantity UNKNOWN
	if got := New(nil, Options{}).Weights(); got != DefaultWeights() {
		t.Errorf("zero weights = %+v, want the defaults", got)
	}
	e := newEngine(t, []*pb.Producer{p}, []*pb.Listing{l}, func(o *Options) {
		o.Weights = Weights{Product: 1, Quantity: 1, Price: -5}
	})
	if got := e.Weights(); got.Price != 0 || got.Product != 1 {
		t.Errorf("weights = %+v, want the negative price weight as 0", got)
	}
	resp := e.Match(usRequest(), nil, 0)
	// Product 1 (HS matches exactly), quantity 0 (UNKNOWN): the mean is 0.5.
	if got := resp.GetMatches()[0].GetScore(); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("score = %v, want 0.5", got)
	}
}
