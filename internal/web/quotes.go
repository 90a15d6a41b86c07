package web

import (
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/certday"
)

// quoteForm is a producer's quote as typed.
type quoteForm struct {
	Listing, UnitPrice, Currency, Quantity, MOQ, LeadTime, Incoterm, Place string
	ValidUntil, Payment, Deposit, SamplePrice, Packaging, Note, RequestID  string
	Samples                                                                bool
	Etag                                                                   string
}

// quotesData is the quote part of a request page: the buyer's and the
// office's comparison, or the producer's own quote and its form.
type quotesData struct {
	Compare    *pb.CompareQuotesResponse
	Order      string
	Currency   string
	CanDecide  bool
	Mine       *pb.Quote
	Form       quoteForm
	Errors     map[string]string
	Incoterms  []pb.Incoterm
	Payments   []pb.PaymentMethod
	Currencies []string
}

var quoteFields = map[string]bool{"unit_price": true, "quantity": true, "minimum_order_quantity": true, "lead_time_days": true,
	"incoterm": true, "incoterm_place": true, "expire_time": true, "payment_method": true, "deposit_percent": true,
	"sample_price": true, "packaging": true, "note": true, "listings": true}

func newQuotesData() *quotesData {
	return &quotesData{Errors: map[string]string{},
		Incoterms:  []pb.Incoterm{pb.Incoterm_FOB, pb.Incoterm_EXW, pb.Incoterm_FCA, pb.Incoterm_CFR, pb.Incoterm_CIF, pb.Incoterm_CPT, pb.Incoterm_CIP, pb.Incoterm_DAP, pb.Incoterm_DDP},
		Payments:   []pb.PaymentMethod{pb.PaymentMethod_TELEGRAPHIC_TRANSFER, pb.PaymentMethod_LETTER_OF_CREDIT, pb.PaymentMethod_DOCUMENTS_AGAINST_PAYMENT, pb.PaymentMethod_OPEN_ACCOUNT},
		Currencies: currencies}
}

// loadQuotes fills the quote part of a request page for who is asking.
func (w *Web) loadQuotes(p *pageCtx, br *pb.BuyingRequest, owner bool) (*quotesData, error) {
	q := newQuotesData()
	switch {
	case owner || p.isOffice():
		q.Order = p.r.URL.Query().Get("quotes")
		q.Currency = p.r.URL.Query().Get("currency")
		if q.Currency == "" {
			q.Currency = defaultCurrency(p.lang.String())
		}
		resp, err := w.quotes.CompareQuotes(p.api(), &pb.CompareQuotesRequest{Parent: br.GetName(), CurrencyCode: q.Currency, OrderBy: q.Order})
		if err != nil {
			return nil, err
		}
		q.Compare = resp
		q.CanDecide = owner && br.GetState() == pb.BuyingRequest_OPEN
	case p.role() == auth.RoleProducer:
		name := br.GetName() + "/quotes/" + lastSegment(p.sess.principal.Resource)
		mine, err := w.quotes.GetQuote(p.api(), &pb.GetQuoteRequest{Name: name})
		switch status.Code(err) {
		case codes.OK:
			q.Mine = mine
			q.Form = formOfQuote(mine)
		case codes.NotFound:
			q.Form = quoteForm{Currency: "USD", Incoterm: "FOB", Place: "Tanjung Perak, Surabaya", Payment: pb.PaymentMethod_TELEGRAPHIC_TRANSFER.String(),
				Quantity: strconv.FormatInt(br.GetQuantity(), 10), ValidUntil: certday.Today(time.Now()).Time().AddDate(0, 0, 30).Format(time.DateOnly)}
		default:
			return nil, err
		}
	}
	return q, nil
}

func formOfQuote(qt *pb.Quote) quoteForm {
	t := qt.GetTerms()
	f := quoteForm{Quantity: strconv.FormatInt(t.GetQuantity(), 10), LeadTime: strconv.Itoa(int(t.GetLeadTimeDays())),
		Incoterm: t.GetIncoterm().String(), Place: t.GetIncotermPlace(), Payment: t.GetPaymentMethod().String(),
		Packaging: t.GetPackaging(), Note: t.GetNote(), Samples: t.GetSamplesAvailable(), Etag: qt.GetEtag()}
	if m := t.GetUnitPrice(); m != nil {
		f.UnitPrice, f.Currency = decimal(m.GetUnits(), m.GetNanos()), m.GetCurrencyCode()
	}
	if m := t.GetSamplePrice(); m != nil {
		f.SamplePrice = decimal(m.GetUnits(), m.GetNanos())
	}
	if n := t.GetMinimumOrderQuantity(); n > 0 {
		f.MOQ = strconv.FormatInt(n, 10)
	}
	if n := t.GetDepositPercent(); n > 0 {
		f.Deposit = strconv.Itoa(int(n))
	}
	if e := t.GetExpireTime(); e != nil {
		f.ValidUntil = e.AsTime().In(certday.WIB).Format(time.DateOnly)
	}
	if ls := qt.GetListings(); len(ls) > 0 {
		f.Listing = ls[0]
	}
	return f
}

// quotePost sends a producer's quote for a request, or revises the one it
// sent (the history keeps the earlier terms).
func (w *Web) quotePost(p *pageCtx) error {
	if p.role() != auth.RoleProducer {
		return errNotYours
	}
	reqName := "buyers/" + p.r.PathValue("buyer") + "/buyingRequests/" + p.r.PathValue("request")
	v := p.r.PostForm.Get
	f := quoteForm{Listing: v("listing"), UnitPrice: strings.TrimSpace(v("unit_price")), Currency: v("currency"), Quantity: strings.TrimSpace(v("quantity")),
		MOQ: strings.TrimSpace(v("minimum_order_quantity")), LeadTime: strings.TrimSpace(v("lead_time_days")), Incoterm: v("incoterm"),
		Place: v("incoterm_place"), ValidUntil: v("valid_until"), Payment: v("payment_method"), Deposit: strings.TrimSpace(v("deposit_percent")),
		SamplePrice: strings.TrimSpace(v("sample_price")), Packaging: v("packaging"), Note: v("note"), RequestID: v("request_id"),
		Samples: v("samples_available") == "on", Etag: v("etag")}
	errs := map[string]string{}
	t := &pb.QuoteTerms{IncotermPlace: f.Place, Packaging: f.Packaging, Note: f.Note, SamplesAvailable: f.Samples}
	var err error
	if t.UnitPrice, err = parseMoney(f.UnitPrice, f.Currency); err != nil {
		errs["unit_price"] = p.T("Enter an amount such as 12.50")
	}
	if f.SamplePrice != "" {
		if t.SamplePrice, err = parseMoney(f.SamplePrice, f.Currency); err != nil {
			errs["sample_price"] = p.T("Enter an amount such as 12.50")
		}
	}
	count := func(s, field string) int64 {
		n, ok := parseCount(s)
		if !ok {
			errs[field] = p.T("Enter a whole number")
		}
		return n
	}
	t.Quantity = count(f.Quantity, "quantity")
	t.MinimumOrderQuantity = count(f.MOQ, "minimum_order_quantity")
	t.LeadTimeDays = int32(min(count(f.LeadTime, "lead_time_days"), 1<<20))
	t.DepositPercent = int32(min(count(f.Deposit, "deposit_percent"), 1000))
	if i, ok := pb.Incoterm_value[f.Incoterm]; ok {
		t.Incoterm = pb.Incoterm(i)
	}
	if m, ok := pb.PaymentMethod_value[f.Payment]; ok {
		t.PaymentMethod = pb.PaymentMethod(m)
	}
	if d, ok := parseDateInput(f.ValidUntil); !ok || d == nil {
		errs["expire_time"] = p.T("Enter a date")
	} else {
		// Valid through the end of that day in Blitar.
		t.ExpireTime = timestamppb.New(time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 23, 59, 59, 0, certday.WIB))
	}
	var listings []string
	if f.Listing != "" {
		listings = []string{f.Listing}
	}
	if len(errs) == 0 {
		name := reqName + "/quotes/" + lastSegment(p.sess.principal.Resource)
		if f.Etag != "" {
			_, err = w.quotes.ReviseQuote(p.api(), &pb.ReviseQuoteRequest{Name: name, Terms: t, Etag: f.Etag, Listings: listings})
		} else {
			_, err = w.quotes.CreateQuote(p.api(), &pb.CreateQuoteRequest{Parent: reqName, RequestId: f.RequestID,
				Quote: &pb.Quote{Producer: p.sess.principal.Resource, Listings: listings, Terms: t}})
		}
		if err == nil {
			return p.redirect("/" + reqName + "#quotes")
		}
		fe, ok := fieldErrors(err, quoteFields)
		if !ok {
			return err
		}
		errs = fe
	}
	// Show the request page again with the form and its messages.
	p.quoteForm, p.quoteErrors = &f, errs
	p.status = 400
	return w.requestPage(p)
}

// quoteDecisionPost accepts or declines a quote (the buyer).
func (w *Web) quoteDecisionPost(p *pageCtx) error {
	reqName := "buyers/" + p.r.PathValue("buyer") + "/buyingRequests/" + p.r.PathValue("request")
	name := reqName + "/quotes/" + p.r.PathValue("quote")
	reason := strings.TrimSpace(p.r.PostFormValue("reason"))
	switch p.r.PathValue("action") {
	case "accept":
		q, err := w.quotes.AcceptQuote(p.api(), &pb.AcceptQuoteRequest{Name: name, DeclineReason: reason, RequestId: p.r.PostFormValue("request_id")})
		if err != nil {
			return err
		}
		if m := q.GetMatch(); m != "" {
			return p.redirect("/" + m)
		}
	case "decline":
		if _, err := w.quotes.DeclineQuote(p.api(), &pb.DeclineQuoteRequest{Name: name, Reason: reason, RequestId: p.r.PostFormValue("request_id")}); err != nil {
			return err
		}
	default:
		return errNotFound
	}
	return p.redirect("/" + reqName + "#quotes")
}
