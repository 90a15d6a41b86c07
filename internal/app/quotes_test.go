package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/money/fx"
)

const qs = "/temubisnis.v1.QuoteService/"

// invoker calls a method of the API as the holder of token ("" for none),
// over one transport.
type invoker func(t *testing.T, e *env, method string, req, resp proto.Message, token string) error

var transports = map[string]invoker{
	"gRPC": func(t *testing.T, e *env, method string, req, resp proto.Message, token string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return e.conn.Invoke(as(ctx, token), method, req, resp)
	},
	"REST": func(t *testing.T, e *env, method string, req, resp proto.Message, token string) error {
		return e.rest.Invoke(t, method, req, resp, token)
	},
}

func quoteTerms(price *money.Money, qty int64, incoterm pb.Incoterm, lead int32) *pb.QuoteTerms {
	return &pb.QuoteTerms{
		UnitPrice: price, Quantity: qty, LeadTimeDays: lead, Incoterm: incoterm, IncotermPlace: "Tanjung Perak, Surabaya",
		ExpireTime: timestamppb.New(time.Now().Add(30 * 24 * time.Hour)), PaymentMethod: pb.PaymentMethod_TELEGRAPHIC_TRANSFER,
		DepositPercent: 30, SamplesAvailable: true, Packaging: "double bags with oxygen, styrofoam box",
	}
}

// TestQuotesEndToEnd: two producers quote on a koi request, the buyer
// compares in JPY and accepts one; the other is declined, the parties are
// connected and the request is closed. The sealed rule holds for every
// kind of caller. It runs over gRPC and over REST, each on its own service.
func TestQuotesEndToEnd(t *testing.T) {
	t.Parallel()
	for name, call := range transports {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			quoteScenario(t, call)
		})
	}
}

func quoteScenario(t *testing.T, call invoker) {
	e := start(t, startOpts{seed: "demo"})
	ctx := e.ctx()
	br, err := e.buyers.GetBuyingRequest(ctx, &pb.GetBuyingRequestRequest{Name: koiRequest})
	if err != nil {
		t.Fatal(err)
	}
	ranked, err := e.matches.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: koiRequest, PageSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	// Two qualifying listings of two different producers.
	var listings, producers []string
	for _, m := range ranked.GetMatches() {
		p := m.GetProducer().GetName()
		if !slices.Contains(producers, p) {
			producers, listings = append(producers, p), append(listings, m.GetListing().GetName())
		}
	}
	if len(producers) < 2 {
		t.Fatalf("need two qualifying producers for %s, got %v", koiRequest, producers)
	}
	buyer := "buyers/yokohama-aqua-trading"
	tokP1, tokP2 := e.token(auth.RoleProducer, producers[0]), e.token(auth.RoleProducer, producers[1])
	tokBuyer, tokOtherBuyer := e.token(auth.RoleBuyer, buyer), e.token(auth.RoleBuyer, "buyers/heartland-drum-supply")
	tokOutsider := e.token(auth.RoleProducer, "producers/kendang-jaya-nglegok")

	incoterm := br.GetIncoterm()
	if incoterm == pb.Incoterm_INCOTERM_UNSPECIFIED {
		incoterm = pb.Incoterm_FOB
	}
	q1, q2 := &pb.Quote{}, &pb.Quote{}
	if err := call(t, e, qs+"CreateQuote", &pb.CreateQuoteRequest{Parent: koiRequest, RequestId: "q1", Quote: &pb.Quote{
		Producer: producers[0], Listings: listings[:1],
		Terms: quoteTerms(&money.Money{CurrencyCode: "USD", Units: 30}, br.GetQuantity(), incoterm, 21),
	}}, q1, tokP1); err != nil {
		t.Fatalf("first quote: %v", err)
	}
	if err := call(t, e, qs+"CreateQuote", &pb.CreateQuoteRequest{Parent: koiRequest, Quote: &pb.Quote{
		Producer: producers[1], Listings: listings[1:2],
		Terms: quoteTerms(&money.Money{CurrencyCode: "IDR", Units: 520_000}, br.GetQuantity(), incoterm, 10),
	}}, q2, tokP2); err != nil {
		t.Fatalf("second quote: %v", err)
	}
	if q1.GetState() != pb.Quote_OPEN || q1.GetRevision() != 1 || !strings.HasPrefix(q1.GetName(), koiRequest+"/quotes/") {
		t.Fatalf("first quote: %v", q1)
	}
	// One live quote per firm and request.
	err = call(t, e, qs+"CreateQuote", &pb.CreateQuoteRequest{Parent: koiRequest, Quote: &pb.Quote{
		Producer: producers[1], Listings: listings[1:2],
		Terms: quoteTerms(&money.Money{CurrencyCode: "IDR", Units: 500_000}, br.GetQuantity(), incoterm, 10),
	}}, &pb.Quote{}, tokP2)
	if status.Code(err) != codes.AlreadyExists {
		t.Fatalf("second quote of the same firm: %v, want ALREADY_EXISTS", err)
	}

	// Sealed: each caller sees what the rule says.
	for _, tc := range []struct {
		who   string
		token string
		name  string
		want  codes.Code
	}{
		{"firm reads its own", tokP1, q1.GetName(), codes.OK},
		{"firm reads a rival's", tokP1, q2.GetName(), codes.NotFound},
		{"rival reads the firm's", tokP2, q1.GetName(), codes.NotFound},
		{"outsider producer", tokOutsider, q1.GetName(), codes.NotFound},
		{"buyer", tokBuyer, q2.GetName(), codes.OK},
		{"another buyer", tokOtherBuyer, q1.GetName(), codes.NotFound},
		{"anonymous", "", q1.GetName(), codes.Unauthenticated},
		{"trade office", e.admin, q2.GetName(), codes.OK},
	} {
		err := call(t, e, qs+"GetQuote", &pb.GetQuoteRequest{Name: tc.name}, &pb.Quote{}, tc.token)
		if status.Code(err) != tc.want {
			t.Errorf("get quote, %s: %v, want %v", tc.who, err, tc.want)
		}
	}
	for _, tc := range []struct {
		who   string
		token string
		want  []string
		code  codes.Code
	}{
		{"firm", tokP1, []string{q1.GetName()}, codes.OK},
		{"rival", tokP2, []string{q2.GetName()}, codes.OK},
		{"outsider producer", tokOutsider, nil, codes.OK},
		{"buyer", tokBuyer, []string{q1.GetName(), q2.GetName()}, codes.OK},
		{"trade office", e.admin, []string{q1.GetName(), q2.GetName()}, codes.OK},
		{"another buyer", tokOtherBuyer, nil, codes.NotFound},
		{"anonymous", "", nil, codes.Unauthenticated},
	} {
		resp := &pb.ListQuotesResponse{}
		err := call(t, e, qs+"ListQuotes", &pb.ListQuotesRequest{Parent: koiRequest}, resp, tc.token)
		if status.Code(err) != tc.code {
			t.Errorf("list quotes, %s: %v, want %v", tc.who, err, tc.code)
			continue
		}
		var got []string
		for _, q := range resp.GetQuotes() {
			got = append(got, q.GetName())
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tc.want))
		if err == nil && !slices.Equal(got, want) {
			t.Errorf("list quotes, %s: %v, want %v", tc.who, got, want)
		}
	}
	if err := call(t, e, qs+"CompareQuotes", &pb.CompareQuotesRequest{Parent: koiRequest}, &pb.CompareQuotesResponse{}, tokP1); status.Code(err) != codes.PermissionDenied {
		t.Errorf("a producer compares: %v, want PERMISSION_DENIED", err)
	}

	// A revision keeps the old terms.
	rev := &pb.Quote{}
	if err := call(t, e, qs+"ReviseQuote", &pb.ReviseQuoteRequest{Name: q1.GetName(), Etag: q1.GetEtag(),
		Terms: quoteTerms(&money.Money{CurrencyCode: "USD", Units: 28}, br.GetQuantity(), incoterm, 21)}, rev, tokP1); err != nil {
		t.Fatalf("revise: %v", err)
	}
	if rev.GetRevision() != 2 || len(rev.GetHistory()) != 1 || rev.GetHistory()[0].GetTerms().GetUnitPrice().GetUnits() != 30 || rev.GetTerms().GetUnitPrice().GetUnits() != 28 {
		t.Fatalf("revised quote: %v", rev)
	}
	if err := call(t, e, qs+"ReviseQuote", &pb.ReviseQuoteRequest{Name: q1.GetName(), Etag: q1.GetEtag(),
		Terms: quoteTerms(&money.Money{CurrencyCode: "USD", Units: 27}, br.GetQuantity(), incoterm, 21)}, &pb.Quote{}, tokP1); status.Code(err) != codes.Aborted {
		t.Fatalf("revise with a stale etag: %v, want ABORTED", err)
	}

	// The buyer compares in yen, cheapest first.
	cmp := &pb.CompareQuotesResponse{}
	if err := call(t, e, qs+"CompareQuotes", &pb.CompareQuotesRequest{Parent: koiRequest, CurrencyCode: "JPY"}, cmp, tokBuyer); err != nil {
		t.Fatalf("compare: %v", err)
	}
	rates, err := pb.NewSearchServiceClient(e.conn).GetExchangeRates(ctx, &pb.GetExchangeRatesRequest{Name: "exchangeRates"})
	if err != nil {
		t.Fatal(err)
	}
	if cmp.GetCurrencyCode() != "JPY" || len(cmp.GetQuotes()) != 2 {
		t.Fatalf("comparison: %v", cmp)
	}
	if cmp.GetQuotes()[0].GetQuote().GetName() != q1.GetName() {
		t.Errorf("cheapest first: got %s first", cmp.GetQuotes()[0].GetQuote().GetName())
	}
	for _, c := range cmp.GetQuotes() {
		want, err := fx.Convert(rates, c.GetQuote().GetTerms().GetUnitPrice(), "JPY")
		if err != nil {
			t.Fatal(err)
		}
		if !proto.Equal(c.GetConvertedUnitPrice(), want) || !c.GetComparable() || c.GetMatchScore() <= 0 || !c.GetCoversQuantity() {
			t.Errorf("%s: converted %v, want %v; comparable %v, score %v", c.GetQuote().GetName(), c.GetConvertedUnitPrice(), want, c.GetComparable(), c.GetMatchScore())
		}
		if c.GetConvertedTotal().GetUnits() != want.GetUnits()*br.GetQuantity() {
			t.Errorf("total %v, want %d x %v", c.GetConvertedTotal(), br.GetQuantity(), want)
		}
	}
	fast := &pb.CompareQuotesResponse{}
	if err := call(t, e, qs+"CompareQuotes", &pb.CompareQuotesRequest{Parent: koiRequest, OrderBy: "lead_time"}, fast, tokBuyer); err != nil {
		t.Fatal(err)
	}
	if len(fast.GetQuotes()) != 2 || fast.GetQuotes()[0].GetQuote().GetName() != q2.GetName() {
		t.Errorf("fastest first: %v", fast)
	}
	// One firm verified, the other not: verified-only keeps the first.
	for p, st := range map[string]pb.VerificationState{producers[0]: pb.VerificationState_VERIFIED, producers[1]: pb.VerificationState_REJECTED} {
		if _, err := e.producers.VerifyProducer(ctx, &pb.VerifyProducerRequest{Name: p, VerificationState: st, Note: "quote test"}); err != nil {
			t.Fatal(err)
		}
	}
	verified := &pb.CompareQuotesResponse{}
	if err := call(t, e, qs+"CompareQuotes", &pb.CompareQuotesRequest{Parent: koiRequest, VerifiedOnly: true, OrderBy: "score"}, verified, tokBuyer); err != nil {
		t.Fatal(err)
	}
	if len(verified.GetQuotes()) != 1 || verified.GetQuotes()[0].GetQuote().GetName() != q1.GetName() {
		t.Errorf("verified only: %v", verified)
	}
	for i, c := range verified.GetQuotes() {
		if c.GetProducerVerificationState() != pb.VerificationState_VERIFIED || (i > 0 && c.GetMatchScore() > verified.GetQuotes()[i-1].GetMatchScore()) {
			t.Errorf("verified only, best match first: %v", verified)
		}
	}
	err = call(t, e, qs+"CompareQuotes", &pb.CompareQuotesRequest{Parent: koiRequest, OrderBy: "colour"}, &pb.CompareQuotesResponse{}, tokBuyer)
	if got := violationFields(err); !slices.Equal(got, []string{"order_by"}) {
		t.Errorf("bad order_by: %v, violations %v", err, got)
	}

	// Only the buyer accepts; accepting connects and declines the rival.
	if err := call(t, e, qs+"AcceptQuote", &pb.AcceptQuoteRequest{Name: q1.GetName()}, &pb.Quote{}, tokP1); status.Code(err) != codes.PermissionDenied {
		t.Fatalf("the firm accepts its own quote: %v", err)
	}
	acc := &pb.Quote{}
	if err := call(t, e, qs+"AcceptQuote", &pb.AcceptQuoteRequest{Name: q1.GetName(), DeclineReason: "faster delivery elsewhere is not needed"}, acc, tokBuyer); err != nil {
		t.Fatalf("accept: %v", err)
	}
	if acc.GetState() != pb.Quote_ACCEPTED || acc.GetMatch() == "" {
		t.Fatalf("accepted quote: %v", acc)
	}
	m := &pb.Match{}
	if err := call(t, e, "/temubisnis.v1.MatchService/GetMatch", &pb.GetMatchRequest{Name: acc.GetMatch()}, m, tokP1); err != nil {
		t.Fatalf("the firm reads its match: %v", err)
	}
	if m.GetState() != pb.Match_CONNECTED || m.GetQuote() != q1.GetName() || m.GetBuyerContact().GetEmail() == "" || m.GetMembers()[0].GetProducer() != producers[0] {
		t.Fatalf("match of the accepted quote: %v", m)
	}
	lost := &pb.Quote{}
	if err := call(t, e, qs+"GetQuote", &pb.GetQuoteRequest{Name: q2.GetName()}, lost, tokP2); err != nil {
		t.Fatal(err)
	}
	if lost.GetState() != pb.Quote_DECLINED || !strings.Contains(lost.GetDeclineReason(), "faster delivery elsewhere") {
		t.Fatalf("the rival's quote: %v", lost)
	}
	closed, err := e.buyers.GetBuyingRequest(ctx, &pb.GetBuyingRequestRequest{Name: koiRequest})
	if err != nil || closed.GetState() != pb.BuyingRequest_CLOSED {
		t.Fatalf("request after a covering quote was accepted: %v %v", closed.GetState(), err)
	}
	// Accepting again is harmless; no quotes on a closed request.
	if err := call(t, e, qs+"AcceptQuote", &pb.AcceptQuoteRequest{Name: q1.GetName()}, &pb.Quote{}, tokBuyer); err != nil {
		t.Errorf("accepting again: %v", err)
	}
	err = call(t, e, qs+"ReviseQuote", &pb.ReviseQuoteRequest{Name: q2.GetName(),
		Terms: quoteTerms(&money.Money{CurrencyCode: "IDR", Units: 400_000}, br.GetQuantity(), incoterm, 10)}, &pb.Quote{}, e.admin)
	if status.Code(err) != codes.FailedPrecondition {
		t.Errorf("revising on a closed request: %v, want FAILED_PRECONDITION", err)
	}
}

// violationFields returns the fields of the BadRequest of an
// INVALID_ARGUMENT error, sorted.
func violationFields(err error) []string {
	st, _ := status.FromError(err)
	if st.Code() != codes.InvalidArgument {
		return nil
	}
	var out []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, v.GetField())
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestQuoteRefusals: bad input names its fields; a listing failing the
// request's hard constraints is refused naming the constraint.
func TestQuoteRefusals(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	ctx := e.ctx()
	c := pb.NewQuoteServiceClient(e.conn)
	djembe := activeListings(t, e, "category = MUSICAL_INSTRUMENT")
	if len(djembe) == 0 {
		t.Fatal("no instrument listings")
	}
	firm := strings.Split(djembe[0].GetName(), "/listings/")[0]
	good := func() *pb.Quote {
		return &pb.Quote{Producer: firm, Listings: []string{djembe[0].GetName()},
			Terms: quoteTerms(&money.Money{CurrencyCode: "USD", Units: 5}, 10, pb.Incoterm_FOB, 30)}
	}
	for _, tc := range []struct {
		name   string
		req    *pb.CreateQuoteRequest
		fields []string
	}{
		{"no quote", &pb.CreateQuoteRequest{Parent: koiRequest}, []string{"quote"}},
		{"bad parent", &pb.CreateQuoteRequest{Parent: "buyers/x", Quote: good()}, []string{"parent"}},
		{"no terms", &pb.CreateQuoteRequest{Parent: koiRequest, Quote: &pb.Quote{Producer: firm, Listings: []string{djembe[0].GetName()}}}, []string{"quote.terms"}},
		{"bad terms", &pb.CreateQuoteRequest{Parent: koiRequest, Quote: func() *pb.Quote {
			q := good()
			q.Terms.Quantity, q.Terms.LeadTimeDays, q.Terms.Incoterm, q.Terms.ExpireTime = 0, -1, 0, timestamppb.New(time.Now().Add(-time.Hour))
			q.Terms.PaymentMethod, q.Terms.DepositPercent, q.Terms.UnitPrice = 0, 101, &money.Money{CurrencyCode: "ABC", Units: 1}
			return q
		}()}, []string{"quote.terms.deposit_percent", "quote.terms.expire_time", "quote.terms.incoterm", "quote.terms.lead_time_days", "quote.terms.payment_method", "quote.terms.quantity", "quote.terms.unit_price.currency_code"}},
		{"quote id of another firm", &pb.CreateQuoteRequest{Parent: koiRequest, QuoteId: "someone-else", Quote: good()}, []string{"quote_id"}},
		{"no listings", &pb.CreateQuoteRequest{Parent: koiRequest, Quote: func() *pb.Quote { q := good(); q.Listings = nil; return q }()}, []string{"quote.listings"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateQuote(ctx, tc.req)
			if got := violationFields(err); !slices.Equal(got, tc.fields) {
				t.Errorf("%v: violations %v, want %v", err, got, tc.fields)
			}
		})
	}
	// A djembe listing cannot answer a koi request: the failed constraint
	// is named.
	_, err := c.CreateQuote(ctx, &pb.CreateQuoteRequest{Parent: koiRequest, Quote: good()})
	st, _ := status.FromError(err)
	var failed string
	for _, d := range st.Details() {
		if pf, ok := d.(*errdetails.PreconditionFailure); ok && len(pf.GetViolations()) == 1 {
			failed = pf.GetViolations()[0].GetDescription()
		}
	}
	if st.Code() != codes.FailedPrecondition || failed != "product" {
		t.Fatalf("djembe on a koi request: %v (constraint %q)", err, failed)
	}
	// A consolidator quotes for a member's listing; a plain producer may
	// not quote another firm's.
	ranked, err := e.matches.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: koiRequest, PageSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	const coop = "producers/koperasi-mina-koi-blitar"
	var farm, farmListing string
	for _, m := range ranked.GetMatches() {
		if p := m.GetProducer().GetName(); p != coop && farm == "" {
			farm, farmListing = p, m.GetListing().GetName()
		}
	}
	koiTerms := func() *pb.QuoteTerms {
		return quoteTerms(&money.Money{CurrencyCode: "USD", Units: 30}, 200, pb.Incoterm_CPT, 20)
	}
	_, err = c.CreateQuote(ctx, &pb.CreateQuoteRequest{Parent: koiRequest, Quote: &pb.Quote{Producer: "producers/kendang-jaya-nglegok", Listings: []string{farmListing}, Terms: koiTerms()}})
	if got := violationFields(err); !slices.Equal(got, []string{"quote.listings[0]"}) {
		t.Errorf("a producer quoting another firm's listing: %v", err)
	}
	cq, err := c.CreateQuote(ctx, &pb.CreateQuoteRequest{Parent: koiRequest, Quote: &pb.Quote{Producer: coop, Listings: []string{farmListing}, Terms: koiTerms()}})
	if err != nil || cq.GetProducer() != coop {
		t.Errorf("a consolidator quoting for %s: %v", farm, err)
	}

	// Over REST, bad input is a 400 naming the field.
	r := e.do("POST", "/v1/"+koiRequest+"/quotes", map[string]any{"producer": firm})
	r.must(t, 400)
	if v := r.violations(); !slices.Contains(v, "quote.terms") {
		t.Errorf("REST violations: %v", v)
	}
}

// tableQuoteTerms are valid terms for the role table's quote.
func tableQuoteTerms() *pb.QuoteTerms {
	return quoteTerms(&money.Money{CurrencyCode: "USD", Units: 40}, 10, pb.Incoterm_FOB, 30)
}

// TestQuoteAcceptRace: two covering quotes accepted at the same moment;
// exactly one wins, the other is refused, and one match is made.
func TestQuoteAcceptRace(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: "demo"})
	ctx := e.ctx()
	br, err := e.buyers.GetBuyingRequest(ctx, &pb.GetBuyingRequestRequest{Name: koiRequest})
	if err != nil {
		t.Fatal(err)
	}
	ranked, err := e.matches.MatchBuyingRequest(ctx, &pb.MatchBuyingRequestRequest{Name: koiRequest, PageSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	c := pb.NewQuoteServiceClient(e.conn)
	var names []string
	for _, m := range ranked.GetMatches() {
		p := m.GetProducer().GetName()
		if len(names) == 2 || slices.Contains(names, koiRequest+"/quotes/"+strings.TrimPrefix(p, "producers/")) {
			continue
		}
		q, err := c.CreateQuote(ctx, &pb.CreateQuoteRequest{Parent: koiRequest, Quote: &pb.Quote{Producer: p, Listings: []string{m.GetListing().GetName()},
			Terms: quoteTerms(&money.Money{CurrencyCode: "USD", Units: 30}, br.GetQuantity(), br.GetIncoterm(), 20)}})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, q.GetName())
	}
	if len(names) != 2 {
		t.Fatalf("quotes: %v", names)
	}
	errs := make(chan error, 2)
	start := make(chan struct{})
	for _, n := range names {
		go func() {
			<-start
			_, err := c.AcceptQuote(ctx, &pb.AcceptQuoteRequest{Name: n})
			errs <- err
		}()
	}
	close(start)
	var ok, refused int
	for range names {
		switch err := <-errs; status.Code(err) {
		case codes.OK:
			ok++
		case codes.FailedPrecondition, codes.Aborted:
			refused++
		default:
			t.Errorf("accept: %v", err)
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("%d accepted, %d refused", ok, refused)
	}
	ms, err := e.matches.ListMatches(ctx, &pb.ListMatchesRequest{Filter: `buying_request = "` + koiRequest + `" AND state = CONNECTED`})
	if err != nil || len(ms.GetMatches()) != 1 {
		t.Fatalf("connected matches: %v %v", ms, err)
	}
}
