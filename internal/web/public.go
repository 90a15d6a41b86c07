package web

import (
	"errors"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/certday"
)

// currencies buyers can see prices in (the exchange-rate table has them).
var currencies = []string{"USD", "CNY", "TWD", "HKD", "JPY", "EUR", "SGD", "IDR"}

// currencyCookie remembers the currency a visitor chose for prices.
const currencyCookie = "tb_currency"

// defaultCurrency is the currency a page language suggests.
func defaultCurrency(lang string) string {
	switch lang {
	case "zh-Hans":
		return "CNY"
	case "zh-Hant":
		return "TWD"
	case "ja":
		return "JPY"
	case "id":
		return "IDR"
	}
	return "USD"
}

type searchForm struct {
	Query        string
	Category     string
	ShipTo       string
	VerifiedOnly bool
	Cert         string
	Currency     string
	PriceMin     string
	PriceMax     string
	MaxMOQ       string
	MinCapacity  string
	Order        string
}

type searchData struct {
	Form       searchForm
	Errors     map[string]string
	Searched   bool
	Response   *pb.SearchListingsResponse
	Categories []pb.Category
	Currencies []string
	Orders     []pb.SearchListingsRequest_OrderBy
	Facets     map[string][]facetLink
	NextPage   string
}

type facetLink struct {
	Value, Label, Href string
	Count              int32
	Active             bool
}

// searchPage is the home page: search in one's own words, with filters and
// facets, prices in one's currency. It works without JavaScript: the form is
// a GET, paging and facets are links.
func (w *Web) searchPage(p *pageCtx) error {
	q := p.r.URL.Query()
	f := searchForm{
		Query:        strings.TrimSpace(q.Get("q")),
		Category:     q.Get("category"),
		ShipTo:       strings.ToUpper(strings.TrimSpace(q.Get("ship_to"))),
		VerifiedOnly: q.Get("verified") == "on",
		Cert:         q.Get("cert"),
		Currency:     q.Get("currency"),
		PriceMin:     strings.TrimSpace(q.Get("price_min")),
		PriceMax:     strings.TrimSpace(q.Get("price_max")),
		MaxMOQ:       strings.TrimSpace(q.Get("max_moq")),
		MinCapacity:  strings.TrimSpace(q.Get("min_capacity")),
		Order:        q.Get("order"),
	}
	// The currency a visitor chose is remembered; until then the page
	// language suggests one.
	switch {
	case f.Currency != "" && slices.Contains(currencies, f.Currency):
		w.setCookie(p.rw, currencyCookie, f.Currency, 365*24*time.Hour)
	case f.Currency == "":
		f.Currency = defaultCurrency(p.lang.String())
		if c, err := p.r.Cookie(currencyCookie); err == nil && slices.Contains(currencies, c.Value) {
			f.Currency = c.Value
		}
	}
	data := &searchData{
		Form:       f,
		Errors:     map[string]string{},
		Currencies: currencies,
		Categories: []pb.Category{pb.Category_MUSICAL_INSTRUMENT, pb.Category_FOOD, pb.Category_ORNAMENTAL_PLANT, pb.Category_ORNAMENTAL_FISH, pb.Category_HANDICRAFT, pb.Category_OTHER},
		Orders:     []pb.SearchListingsRequest_OrderBy{pb.SearchListingsRequest_RELEVANCE, pb.SearchListingsRequest_PRICE_ASCENDING, pb.SearchListingsRequest_PRICE_DESCENDING, pb.SearchListingsRequest_CAPACITY_DESCENDING, pb.SearchListingsRequest_NEWEST},
	}
	req := &pb.SearchListingsRequest{
		Query:             f.Query,
		ShipToCountryCode: f.ShipTo,
		VerifiedOnly:      f.VerifiedOnly,
		CurrencyCode:      f.Currency,
		PageToken:         q.Get("page"),
		PageSize:          20,
	}
	if c, ok := pb.Category_value[f.Category]; ok && c != 0 {
		req.Categories = []pb.Category{pb.Category(c)}
	}
	if o, ok := pb.SearchListingsRequest_OrderBy_value[f.Order]; ok {
		req.OrderBy = pb.SearchListingsRequest_OrderBy(o)
	}
	if f.Cert != "" {
		req.CertificationTypes = []string{f.Cert}
	}
	var err error
	if req.PriceMin, err = parseMoney(f.PriceMin, f.Currency); err != nil {
		data.Errors["price_min"] = p.T("Enter an amount such as 12.50")
	}
	if req.PriceMax, err = parseMoney(f.PriceMax, f.Currency); err != nil {
		data.Errors["price_max"] = p.T("Enter an amount such as 12.50")
	}
	if n, ok := parseCount(f.MaxMOQ); !ok {
		data.Errors["max_moq"] = p.T("Enter a whole number")
	} else if n > 0 {
		req.MaxMinOrderQuantity = &n
	}
	if n, ok := parseCount(f.MinCapacity); !ok {
		data.Errors["min_capacity"] = p.T("Enter a whole number")
	} else if n > 0 {
		req.MinMonthlyCapacity = &n
	}
	if len(data.Errors) > 0 {
		p.render(400, "search.html", p.T("Search"), data)
		return nil
	}
	resp, err := w.search.SearchListings(p.api(), req)
	if err != nil {
		if fe, ok := fieldErrors(err, searchFields); ok {
			data.Errors = fe
			p.render(400, "search.html", p.T("Search"), data)
			return nil
		}
		return err
	}
	data.Searched = true
	data.Response = resp
	data.Facets = facetLinks(p, resp.GetFacets())
	if resp.GetNextPageToken() != "" {
		u := *p.r.URL
		qq := u.Query()
		qq.Set("page", resp.GetNextPageToken())
		u.RawQuery = qq.Encode()
		data.NextPage = u.RequestURI()
	}
	return p.ok("search.html", p.T("Search"), data)
}

var searchFields = map[string]bool{"query": true, "ship_to_country_code": true, "currency_code": true, "price_min": true, "price_max": true, "page_token": true}

// facetLinks turns facets into links that add (or remove) one filter.
func facetLinks(p *pageCtx, facets []*pb.Facet) map[string][]facetLink {
	params := map[string]string{"category": "category", "ship_to_country_code": "ship_to", "certification_type": "cert"}
	out := map[string][]facetLink{}
	v := view{p: p}
	for _, fc := range facets {
		param, ok := params[fc.GetField()]
		if !ok {
			continue
		}
		for i, val := range fc.GetValues() {
			if i >= 12 {
				break
			}
			u := *p.r.URL
			q := u.Query()
			q.Del("page")
			active := q.Get(param) == val.GetValue()
			if active {
				q.Del(param)
			} else {
				q.Set(param, val.GetValue())
			}
			u.RawQuery = q.Encode()
			label := val.GetValue()
			switch param {
			case "category":
				label = p.T(enumKey(val.GetValue()))
			case "ship_to":
				label = v.Country(val.GetValue())
			}
			out[param] = append(out[param], facetLink{Value: val.GetValue(), Label: label, Href: u.RequestURI(), Count: val.GetCount(), Active: active})
		}
	}
	return out
}

// parseMoney reads a decimal amount ("12.5") exactly; empty is no amount.
func parseMoney(s, currency string) (*money.Money, error) {
	if s == "" {
		return nil, nil
	}
	s = strings.ReplaceAll(s, ",", "")
	r, ok := new(big.Rat).SetString(s)
	if !ok || r.Sign() < 0 || strings.ContainsAny(s, "eE/") {
		return nil, errors.New("not an amount")
	}
	nanos := new(big.Rat).Mul(r, big.NewRat(1_000_000_000, 1))
	if !nanos.IsInt() {
		return nil, errors.New("too many decimals")
	}
	n := nanos.Num()
	if !n.IsInt64() {
		return nil, errors.New("too large")
	}
	total := n.Int64()
	return &money.Money{CurrencyCode: currency, Units: total / 1_000_000_000, Nanos: int32(total % 1_000_000_000)}, nil
}

// parseCount reads a whole number; empty is zero.
func parseCount(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(s, ",", ""), 10, 64)
	return n, err == nil && n >= 0
}

type producerData struct {
	Producer   *pb.Producer
	Listings   []*pb.Listing
	ValidCerts []*pb.Certification
	Exports    []exportRow
	Mine       bool
}

type exportRow struct {
	Country string
	Years   string
	Value   *money.Money
}

// producerPage shows a firm's public facts: verification, certificates
// valid today, export history by country, its active listings.
func (w *Web) producerPage(p *pageCtx) error {
	name := "producers/" + p.r.PathValue("producer")
	prod, err := w.producers.GetProducer(p.api(), &pb.GetProducerRequest{Name: name})
	if err != nil {
		return err
	}
	filter := `state = ACTIVE`
	if p.isFirm(name) || p.isOffice() {
		filter = ""
	}
	ls, err := w.producers.ListListings(p.api(), &pb.ListListingsRequest{Parent: name, PageSize: 100, Filter: filter})
	if err != nil {
		return err
	}
	d := &producerData{Producer: prod, Listings: ls.GetListings(), ValidCerts: validToday(prod.GetCertifications(), time.Now()), Mine: p.isFirm(name)}
	d.Exports = exportsByCountry(prod.GetExportHistory())
	return p.ok("producer.html", prod.GetDisplayName(), d)
}

// validToday keeps the certificates in force today in Blitar, by the rule
// search and readiness use (package certday).
func validToday(certs []*pb.Certification, now time.Time) []*pb.Certification {
	day := certday.Today(now)
	var out []*pb.Certification
	for _, c := range certs {
		if certday.InForce(c, day) {
			out = append(out, c)
		}
	}
	return out
}

func exportsByCountry(h []*pb.ExportRecord) []exportRow {
	type agg struct {
		years    []string
		value    *money.Money
		mixedCur bool
	}
	order := []string{}
	by := map[string]*agg{}
	for _, e := range h {
		a, ok := by[e.GetCountryCode()]
		if !ok {
			a = &agg{}
			by[e.GetCountryCode()] = a
			order = append(order, e.GetCountryCode())
		}
		a.years = append(a.years, strconv.Itoa(int(e.GetYear())))
		if v := e.GetValue(); v != nil && !a.mixedCur {
			switch {
			case a.value == nil:
				a.value = &money.Money{CurrencyCode: v.GetCurrencyCode(), Units: v.GetUnits(), Nanos: v.GetNanos()}
			case a.value.GetCurrencyCode() == v.GetCurrencyCode():
				nanos := int64(a.value.GetNanos()) + int64(v.GetNanos())
				a.value.Units += v.GetUnits() + nanos/1_000_000_000
				a.value.Nanos = int32(nanos % 1_000_000_000)
			default:
				a.mixedCur, a.value = true, nil
			}
		}
	}
	out := make([]exportRow, 0, len(order))
	for _, c := range order {
		out = append(out, exportRow{Country: c, Years: strings.Join(by[c].years, ", "), Value: by[c].value})
	}
	return out
}

type listingData struct {
	Listing  *pb.Listing
	Producer *pb.Producer
	Mine     bool
	Attrs    [][2]string
}

// listingPage shows one listing with its producer's summary.
func (w *Web) listingPage(p *pageCtx) error {
	name := "producers/" + p.r.PathValue("producer") + "/listings/" + p.r.PathValue("listing")
	l, err := w.producers.GetListing(p.api(), &pb.GetListingRequest{Name: name})
	if err != nil {
		return err
	}
	prod, err := w.producers.GetProducer(p.api(), &pb.GetProducerRequest{Name: "producers/" + p.r.PathValue("producer")})
	if err != nil {
		return err
	}
	d := &listingData{Listing: l, Producer: prod, Mine: p.isFirm(prod.GetName())}
	for k, v := range l.GetAttributes() {
		d.Attrs = append(d.Attrs, [2]string{k, v})
	}
	slices.SortFunc(d.Attrs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return p.ok("listing.html", l.GetTitle(), d)
}

// signin -------------------------------------------------------------------

type demoAccount struct {
	Value, Label, Group string
}

// demoGroup is one <optgroup> of demo accounts.
type demoGroup struct {
	Label    string
	Accounts []demoAccount
}

type signinData struct {
	Demo    []demoGroup
	OIDC    bool
	Next    string
	Problem string
}

// signinPage offers the identity provider's sign-in, or with the local
// development key the demo accounts.
func (w *Web) signinPage(p *pageCtx) error {
	d := &signinData{OIDC: w.oidc != nil, Next: safeNext(p.r.URL.Query().Get("next"))}
	if w.opts.DemoKey != nil {
		accts, err := w.demoAccounts(p)
		if err != nil {
			return err
		}
		for _, a := range accts {
			if n := len(d.Demo); n == 0 || d.Demo[n-1].Label != a.Group {
				d.Demo = append(d.Demo, demoGroup{Label: a.Group})
			}
			d.Demo[len(d.Demo)-1].Accounts = append(d.Demo[len(d.Demo)-1].Accounts, a)
		}
	}
	if w.oidc == nil && w.opts.DemoKey == nil {
		d.Problem = p.T("Sign-in is not configured on this server.")
	}
	return p.ok("signin.html", p.T("Sign in"), d)
}

// demoAccounts lists the firms of the demo data as accounts to sign in as:
// the server asks the API as the trade office (the demo only).
func (w *Web) demoAccounts(p *pageCtx) ([]demoAccount, error) {
	tok, err := auth.Mint(w.opts.DemoKey, auth.Principal{Subject: "web:demo-directory", Role: auth.RoleTradeOffice}, w.opts.Issuer, w.opts.Audience, time.Minute, time.Now())
	if err != nil {
		return nil, err
	}
	ctx := withToken(p.ctx, tok)
	out := []demoAccount{{Value: "trade_office", Label: p.T("Trade office (Disperindag Kabupaten Blitar)"), Group: p.T("Trade office")}}
	ps, err := w.producers.ListProducers(ctx, &pb.ListProducersRequest{PageSize: 100})
	if err != nil {
		return nil, err
	}
	for _, pr := range ps.GetProducers() {
		out = append(out, demoAccount{Value: "producer|" + pr.GetName(), Label: pr.GetDisplayName() + " (" + pr.GetDistrict() + ")", Group: p.T("Producers")})
	}
	bs, err := w.buyers.ListBuyers(ctx, &pb.ListBuyersRequest{PageSize: 100})
	if err != nil {
		return nil, err
	}
	for _, b := range bs.GetBuyers() {
		out = append(out, demoAccount{Value: "buyer|" + b.GetName(), Label: b.GetDisplayName() + " (" + b.GetCountryCode() + ")", Group: p.T("Buyers")})
	}
	return out, nil
}

// signinPost signs in as a demo account, or starts the identity provider's
// flow.
func (w *Web) signinPost(p *pageCtx) error {
	next := safeNext(p.r.PostFormValue("next"))
	if w.oidc != nil && p.r.PostFormValue("account") == "" {
		return w.oidcStart(p, next)
	}
	if w.opts.DemoKey == nil {
		return errNotFound
	}
	var pr auth.Principal
	role, resource, _ := strings.Cut(p.r.PostFormValue("account"), "|")
	switch role {
	case "trade_office":
		pr = auth.Principal{Subject: "demo:trade-office", Role: auth.RoleTradeOffice}
	case "producer":
		pr = auth.Principal{Subject: "demo:" + resource, Role: auth.RoleProducer, Resource: resource}
	case "buyer":
		pr = auth.Principal{Subject: "demo:" + resource, Role: auth.RoleBuyer, Resource: resource}
	default:
		return errBadForm
	}
	tok, err := auth.Mint(w.opts.DemoKey, pr, w.opts.Issuer, w.opts.Audience, w.opts.SessionTTL, time.Now())
	if err != nil {
		return errBadForm
	}
	if _, err := w.startSession(p, tok, ""); err != nil {
		return err
	}
	return p.redirect(w.home(pr, next))
}

// startSession checks a token with the API's verifier and opens a session
// for it, named after the firm it acts for. It returns who signed in; a
// token the verifier refuses opens nothing.
func (w *Web) startSession(p *pageCtx, token, idToken string) (auth.Principal, error) {
	pr, err := w.opts.Verifier.Verify(token)
	if err != nil {
		return auth.Principal{}, status.Error(codes.Unauthenticated, err.Error())
	}
	sess := &session{token: token, principal: pr, idToken: idToken, expires: time.Now().Add(w.opts.SessionTTL)}
	if exp := tokenExpiry(token); !exp.IsZero() && exp.Before(sess.expires) {
		sess.expires = exp
	}
	sess.name = p.T(enumKey(pr.Role.String()))
	ctx := withToken(p.ctx, token)
	switch pr.Role {
	case auth.RoleProducer:
		if prod, err := w.producers.GetProducer(ctx, &pb.GetProducerRequest{Name: pr.Resource}); err == nil {
			sess.name = prod.GetDisplayName()
		}
	case auth.RoleBuyer:
		if b, err := w.buyers.GetBuyer(ctx, &pb.GetBuyerRequest{Name: pr.Resource}); err == nil {
			sess.name = b.GetDisplayName()
		}
	}
	// A new session id at sign-in: an id planted before cannot be reused.
	if p.sess != nil {
		w.sessions.remove(p.sess.id)
	}
	sess = w.sessions.add(sess)
	w.setCookie(p.rw, w.sessionCookieName(), sess.id, time.Until(sess.expires))
	return pr, nil
}

// home is where a person lands after signing in.
func (w *Web) home(pr auth.Principal, next string) string {
	if next != "" {
		return next
	}
	switch pr.Role {
	case auth.RoleProducer:
		return "/dashboard"
	case auth.RoleBuyer:
		return "/requests"
	case auth.RoleTradeOffice:
		return "/office"
	}
	return "/"
}

func (w *Web) signoutPost(p *pageCtx) error {
	if p.sess != nil {
		w.sessions.remove(p.sess.id)
	}
	w.setCookie(p.rw, w.sessionCookieName(), "", -1)
	return p.redirect("/")
}

// safeNext keeps a return path only when it is a path on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}
