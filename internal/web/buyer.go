package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

type requestsData struct {
	Requests []*pb.BuyingRequest
	Filter   string
	CanPost  bool
	NextPage string
}

// requestsPage lists a buyer's own requests; the trade office and producers
// see the open requests of every buyer.
func (w *Web) requestsPage(p *pageCtx) error {
	req := &pb.ListBuyingRequestsRequest{Parent: "buyers/-", PageSize: 50, PageToken: p.r.URL.Query().Get("page")}
	if p.role() == auth.RoleBuyer {
		req.Parent = p.sess.principal.Resource
	} else {
		req.Filter = "state = OPEN"
	}
	resp, err := w.buyers.ListBuyingRequests(p.api(), req)
	if err != nil {
		return err
	}
	d := &requestsData{Requests: resp.GetBuyingRequests(), CanPost: p.role() == auth.RoleBuyer}
	if t := resp.GetNextPageToken(); t != "" {
		d.NextPage = "/requests?page=" + url.QueryEscape(t)
	}
	return p.ok("requests.html", p.T("Buying requests"), d)
}

// requestForm is the buying-request form as typed.
type requestForm struct {
	Title, Description, Category, HSPrefix, Quantity, Unit        string
	TargetPrice, Currency, Destination, Incoterm, Certs, NeededBy string
	RequestID, Etag                                               string
}

type requestFormData struct {
	// Name is the request being edited; empty for a new one.
	Name       string
	Form       requestForm
	Errors     map[string]string
	Categories []pb.Category
	Incoterms  []pb.Incoterm
	Currencies []string
}

var requestFields = map[string]bool{"title": true, "description": true, "category": true, "hs_prefix": true, "quantity": true,
	"unit": true, "target_price": true, "destination_country_code": true, "incoterm": true, "required_certification_types": true, "needed_by_date": true}

func newRequestFormData(f requestForm) *requestFormData {
	return &requestFormData{
		Form:       f,
		Errors:     map[string]string{},
		Categories: []pb.Category{pb.Category_MUSICAL_INSTRUMENT, pb.Category_FOOD, pb.Category_ORNAMENTAL_PLANT, pb.Category_ORNAMENTAL_FISH, pb.Category_HANDICRAFT, pb.Category_OTHER},
		Incoterms:  []pb.Incoterm{pb.Incoterm_FOB, pb.Incoterm_EXW, pb.Incoterm_FCA, pb.Incoterm_CFR, pb.Incoterm_CIF, pb.Incoterm_CPT, pb.Incoterm_CIP, pb.Incoterm_DAP, pb.Incoterm_DDP},
		Currencies: currencies,
	}
}

func (w *Web) requestFormPage(p *pageCtx) error {
	if p.role() != auth.RoleBuyer {
		return errNotYours
	}
	return p.ok("request_form.html", p.T("New buying request"), newRequestFormData(requestForm{
		Currency: defaultCurrency(p.lang.String()), Unit: "piece", Incoterm: "FOB", RequestID: uuid.NewString(),
	}))
}

// requestEditPage opens a buyer's own request in the form.
func (w *Web) requestEditPage(p *pageCtx) error {
	name, err := ownRequest(p)
	if err != nil {
		return err
	}
	br, err := w.buyers.GetBuyingRequest(p.api(), &pb.GetBuyingRequestRequest{Name: name})
	if err != nil {
		return err
	}
	f := requestForm{
		Title: br.GetTitle(), Description: br.GetDescription(), HSPrefix: br.GetHsPrefix(), Unit: br.GetUnit(),
		Quantity: strconv.FormatInt(br.GetQuantity(), 10), Destination: br.GetDestinationCountryCode(),
		Certs: strings.Join(br.GetRequiredCertificationTypes(), ", "), Currency: defaultCurrency(p.lang.String()), Etag: br.GetEtag(),
	}
	if br.GetCategory() != pb.Category_CATEGORY_UNSPECIFIED {
		f.Category = br.GetCategory().String()
	}
	if br.GetIncoterm() != pb.Incoterm_INCOTERM_UNSPECIFIED {
		f.Incoterm = br.GetIncoterm().String()
	}
	if m := br.GetTargetPrice(); m != nil {
		f.TargetPrice, f.Currency = decimal(m.GetUnits(), m.GetNanos()), m.GetCurrencyCode()
	}
	if d := br.GetNeededByDate(); d != nil && d.GetYear() > 0 {
		f.NeededBy = fmt.Sprintf("%04d-%02d-%02d", d.GetYear(), d.GetMonth(), d.GetDay())
	}
	data := newRequestFormData(f)
	data.Name = name
	return p.ok("request_form.html", p.T("Edit buying request"), data)
}

// ownRequest is the request named by the path, when it is the signed-in
// buyer's own.
func ownRequest(p *pageCtx) (string, error) {
	buyer := "buyers/" + p.r.PathValue("buyer")
	if !p.isFirm(buyer) {
		return "", errNotYours
	}
	return buyer + "/buyingRequests/" + p.r.PathValue("request"), nil
}

// requestFormPost creates the buying request, or updates one (the fields
// the form shows, named in the update mask, conditional on the etag the
// form was opened with). Bad values come back as the API's field
// violations, each shown next to its field.
func (w *Web) requestFormPost(p *pageCtx) error {
	if p.role() != auth.RoleBuyer {
		return errNotYours
	}
	name := ""
	if p.r.PathValue("request") != "" {
		var err error
		if name, err = ownRequest(p); err != nil {
			return err
		}
	}
	v := p.r.PostForm.Get
	f := requestForm{
		Title: v("title"), Description: v("description"), Category: v("category"), HSPrefix: strings.TrimSpace(v("hs_prefix")),
		Quantity: strings.TrimSpace(v("quantity")), Unit: strings.TrimSpace(v("unit")), TargetPrice: strings.TrimSpace(v("target_price")),
		Currency: v("currency"), Destination: strings.ToUpper(strings.TrimSpace(v("destination_country_code"))), Incoterm: v("incoterm"),
		Certs: v("required_certification_types"), NeededBy: strings.TrimSpace(v("needed_by_date")), RequestID: v("request_id"), Etag: v("etag"),
	}
	d := newRequestFormData(f)
	d.Name = name
	title := p.T("New buying request")
	if name != "" {
		title = p.T("Edit buying request")
	}
	br := &pb.BuyingRequest{
		Name: name, Etag: f.Etag,
		Title: f.Title, Description: f.Description, HsPrefix: f.HSPrefix, Unit: f.Unit,
		DestinationCountryCode:     f.Destination,
		RequiredCertificationTypes: splitList(f.Certs),
	}
	if c, ok := pb.Category_value[f.Category]; ok {
		br.Category = pb.Category(c)
	}
	if i, ok := pb.Incoterm_value[f.Incoterm]; ok {
		br.Incoterm = pb.Incoterm(i)
	}
	if n, ok := parseCount(f.Quantity); ok {
		br.Quantity = n
	} else {
		d.Errors["quantity"] = p.T("Enter a whole number")
	}
	if m, err := parseMoney(f.TargetPrice, f.Currency); err != nil {
		d.Errors["target_price"] = p.T("Enter an amount such as 12.50")
	} else {
		br.TargetPrice = m
	}
	if f.NeededBy != "" {
		t, err := time.Parse("2006-01-02", f.NeededBy)
		if err != nil {
			d.Errors["needed_by_date"] = p.T("Enter a date")
		} else {
			br.NeededByDate = &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
		}
	}
	if len(d.Errors) > 0 {
		p.render(400, "request_form.html", title, d)
		return nil
	}
	var saved *pb.BuyingRequest
	var err error
	if name == "" {
		saved, err = w.buyers.CreateBuyingRequest(p.api(), &pb.CreateBuyingRequestRequest{
			Parent: p.sess.principal.Resource, BuyingRequest: br, RequestId: f.RequestID,
		})
	} else {
		saved, err = w.buyers.UpdateBuyingRequest(p.api(), &pb.UpdateBuyingRequestRequest{BuyingRequest: br, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{
			"title", "description", "category", "hs_prefix", "quantity", "unit", "target_price", "destination_country_code", "incoterm", "required_certification_types", "needed_by_date",
		}}})
	}
	if err != nil {
		if fe, ok := fieldErrors(err, requestFields); ok {
			d.Errors = fe
			p.render(400, "request_form.html", title, d)
			return nil
		}
		return err
	}
	return p.redirect("/" + saved.GetName())
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if t := strings.TrimSpace(part); t != "" {
			out = append(out, t)
		}
	}
	return out
}

type requestPageData struct {
	Request   *pb.BuyingRequest
	Match     *pb.MatchBuyingRequestResponse
	Matches   []*pb.Match
	CanMatch  bool
	CanClose  bool
	CanEdit   bool
	Proposer  string // BUYER or TRADE_OFFICE: who proposes from this page
	RequestID string
	// MyListings are a producer's active listings it can offer for the
	// request (same category when the request names one).
	MyListings []*pb.Listing
	// Quotes is the quote part: the comparison for the buyer and the
	// office, the producer's own quote and its form.
	Quotes *quotesData
}

// requestPage shows a buying request; to its buyer and the trade office
// also the ranked listings with the per-criterion explanation, what to
// relax, the group proposal, and the matches proposed so far.
func (w *Web) requestPage(p *pageCtx) error {
	name := "buyers/" + p.r.PathValue("buyer") + "/buyingRequests/" + p.r.PathValue("request")
	br, err := w.buyers.GetBuyingRequest(p.api(), &pb.GetBuyingRequestRequest{Name: name})
	if err != nil {
		return err
	}
	d := &requestPageData{Request: br, RequestID: uuid.NewString()}
	owner := p.isFirm("buyers/" + p.r.PathValue("buyer"))
	d.CanMatch = owner || p.isOffice()
	d.CanClose = owner && br.GetState() == pb.BuyingRequest_OPEN
	d.CanEdit = d.CanClose
	if owner {
		d.Proposer = pb.Party_BUYER.String()
	} else if p.isOffice() {
		d.Proposer = pb.Party_TRADE_OFFICE.String()
	}
	if d.CanMatch {
		if d.Match, err = w.matches.MatchBuyingRequest(p.api(), &pb.MatchBuyingRequestRequest{Name: name, PageSize: 20}); err != nil {
			return err
		}
		ms, err := w.matches.ListMatches(p.api(), &pb.ListMatchesRequest{PageSize: 100, Filter: fmt.Sprintf("buying_request = %q", name)})
		if err != nil {
			return err
		}
		d.Matches = ms.GetMatches()
	}
	if p.role() == auth.RoleProducer && br.GetState() == pb.BuyingRequest_OPEN {
		filter := "state = ACTIVE"
		if c := br.GetCategory(); c != pb.Category_CATEGORY_UNSPECIFIED {
			filter += " AND category = " + c.String()
		}
		ls, err := w.producers.ListListings(p.api(), &pb.ListListingsRequest{Parent: p.sess.principal.Resource, PageSize: 100, Filter: filter})
		if err != nil {
			return err
		}
		d.MyListings = ls.GetListings()
	}
	if d.Quotes, err = w.loadQuotes(p, br, owner); err != nil {
		return err
	}
	if p.quoteForm != nil {
		d.Quotes.Form, d.Quotes.Errors = *p.quoteForm, p.quoteErrors
	}
	return p.ok("request.html", br.GetTitle(), d)
}

// proposePost proposes a match of the request with one listing, or with
// the group proposal's listings.
func (w *Web) proposePost(p *pageCtx) error {
	name := "buyers/" + p.r.PathValue("buyer") + "/buyingRequests/" + p.r.PathValue("request")
	party := pb.Party_BUYER
	switch p.role() {
	case auth.RoleTradeOffice:
		party = pb.Party_TRADE_OFFICE
	case auth.RoleProducer:
		party = pb.Party_PRODUCER_SIDE
	}
	m := &pb.Match{BuyingRequest: name, ProposedBy: party, Message: strings.TrimSpace(p.r.PostFormValue("message"))}
	listings := p.r.PostForm["listing"]
	quantities := p.r.PostForm["quantity"]
	for i, l := range listings {
		mm := &pb.MatchMember{Listing: l}
		if i < len(quantities) {
			if n, ok := parseCount(quantities[i]); ok {
				mm.AllottedQuantity = n
			}
		}
		m.Members = append(m.Members, mm)
	}
	created, err := w.matches.CreateMatch(p.api(), &pb.CreateMatchRequest{Match: m, RequestId: p.r.PostFormValue("request_id")})
	if err != nil {
		return err
	}
	return p.redirect("/" + created.GetName())
}

func (w *Web) closeRequestPost(p *pageCtx) error {
	name := "buyers/" + p.r.PathValue("buyer") + "/buyingRequests/" + p.r.PathValue("request")
	if _, err := w.buyers.CloseBuyingRequest(p.api(), &pb.CloseBuyingRequestRequest{Name: name}); err != nil {
		return err
	}
	return p.redirect("/" + name)
}

type matchesData struct {
	Matches  []*pb.Match
	State    string
	States   []pb.Match_State
	NextPage string
}

// matchesPage lists the matches of the signed-in party (the API narrows the
// list to its own), filterable by state.
func (w *Web) matchesPage(p *pageCtx) error {
	st := p.r.URL.Query().Get("state")
	req := &pb.ListMatchesRequest{PageSize: 50, PageToken: p.r.URL.Query().Get("page")}
	if _, ok := pb.Match_State_value[st]; ok && st != "STATE_UNSPECIFIED" {
		req.Filter = "state = " + st
	}
	resp, err := w.matches.ListMatches(p.api(), req)
	if err != nil {
		return err
	}
	d := &matchesData{Matches: resp.GetMatches(), State: st,
		States: []pb.Match_State{pb.Match_PROPOSED, pb.Match_CONNECTED, pb.Match_DECLINED, pb.Match_EXPIRED, pb.Match_CLOSED_DEAL, pb.Match_CLOSED_NO_DEAL}}
	if t := resp.GetNextPageToken(); t != "" {
		d.NextPage = "/matches?" + url.Values{"page": {t}, "state": {st}}.Encode()
	}
	return p.ok("matches.html", p.T("Matches"), d)
}

type matchData struct {
	Match *pb.Match
	// Answer is set when the signed-in party may answer now: BUYER, or the
	// member producer's name.
	AnswerAs  string
	Producer  string
	RequestID string
}

func (w *Web) matchPage(p *pageCtx) error {
	m, err := w.matches.GetMatch(p.api(), &pb.GetMatchRequest{Name: "matches/" + p.r.PathValue("match")})
	if err != nil {
		return err
	}
	d := &matchData{Match: m, RequestID: uuid.NewString()}
	if m.GetState() == pb.Match_PROPOSED {
		switch p.role() {
		case auth.RoleBuyer:
			if m.GetBuyer() == p.sess.principal.Resource && m.GetBuyerAnswer() == pb.Answer_PENDING {
				d.AnswerAs = pb.Party_BUYER.String()
			}
		case auth.RoleProducer:
			for _, mm := range m.GetMembers() {
				if mm.GetProducer() == p.sess.principal.Resource && mm.GetAnswer() == pb.Answer_PENDING {
					d.AnswerAs, d.Producer = pb.Party_PRODUCER_SIDE.String(), mm.GetProducer()
				}
			}
		}
	}
	return p.ok("match.html", p.T("Match"), d)
}

// matchAnswerPost accepts or declines a match for the signed-in side.
func (w *Web) matchAnswerPost(p *pageCtx) error {
	name := "matches/" + p.r.PathValue("match")
	party := pb.Party_BUYER
	producer := ""
	if p.role() == auth.RoleProducer {
		party, producer = pb.Party_PRODUCER_SIDE, p.sess.principal.Resource
	}
	rid := p.r.PostFormValue("request_id")
	var err error
	switch p.r.PathValue("action") {
	case "accept":
		_, err = w.matches.AcceptMatch(p.api(), &pb.AcceptMatchRequest{Name: name, Party: party, Producer: producer, RequestId: rid})
	case "decline":
		_, err = w.matches.DeclineMatch(p.api(), &pb.DeclineMatchRequest{Name: name, Party: party, Producer: producer, Reason: strings.TrimSpace(p.r.PostFormValue("reason")), RequestId: rid})
	default:
		return errNotFound
	}
	if err != nil {
		return err
	}
	return p.redirect("/" + name)
}

var _ = money.Money{}
