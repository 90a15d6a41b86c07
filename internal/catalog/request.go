package catalog

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	moneypb "google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// Limits of a search request.
const (
	// MaxQueryLength is the longest query, in characters.
	MaxQueryLength = 200
	// DefaultPageSize and MaxPageSize bound one page of hits.
	DefaultPageSize = 20
	MaxPageSize     = 100
	// maxUnits bounds the words (or phrases) of a query that take part in
	// matching; more say nothing a buyer means and only cost time.
	maxUnits = 16
	// maxReasonUnits is how many query words get per-field match reasons.
	maxReasonUnits = 8
	// defaultCurrency is the currency of converted prices when the request
	// names none.
	defaultCurrency = "USD"
)

// unit is one word or vocabulary phrase of a query. A listing matches it
// when it contains every literal term, or any concept in expanded.
type unit struct {
	text     string
	literal  []string
	concepts []int32 // concepts the phrase names
	expanded []conceptRef
	// weak marks a single digit or a stop word: it narrows a query but
	// never makes a listing match on its own ("repldel4dfbcc" must not find
	// every listing with a "4").
	weak bool
}

type conceptRef struct {
	id     int32
	factor float32 // share of a literal match's score
	direct bool    // named by the phrase, not reached through "narrower"
}

// Synonym matches score below literal ones.
const (
	synonymFactor  = 0.8
	narrowerFactor = 0.7
)

// params is a validated, normalised request.
type params struct {
	text  string // normalised query, for the fingerprint
	units []unit

	categories   uint8 // bit per category; 0 for any
	hsPrefix     string
	shipTo       string
	district     string
	kind         pb.Producer_Kind
	verifiedOnly bool
	certs        []string // sorted, unique
	maxMOQ       int64    // 0 for no limit
	minCapacity  int64    // 0 for no limit
	currency     string
	priceMin     *int64 // minor units of currency
	priceMax     *int64
	order        pb.SearchListingsRequest_OrderBy

	pageSize    int
	offset      int
	fingerprint string
}

// parseRequest validates req against the vocabulary and the rate table.
func parseRequest(req *pb.SearchListingsRequest, vocab *Vocabulary, rates *rateTable) (*params, error) {
	var v validate.Violations
	p := &params{}

	q := req.GetQuery()
	if n := utf8.RuneCountInString(q); n > MaxQueryLength {
		v.Addf("query", "is %d characters long; at most %d are allowed", n, MaxQueryLength)
	} else {
		p.units = compileQuery(vocab, q)
		texts := make([]string, len(p.units))
		for i, u := range p.units {
			texts[i] = u.text
		}
		p.text = strings.Join(texts, " ")
	}

	for i, c := range req.GetCategories() {
		if _, ok := pb.Category_name[int32(c)]; !ok || c == pb.Category_CATEGORY_UNSPECIFIED || c > 7 {
			v.Addf(fmt.Sprintf("categories[%d]", i), "%d is not a category; expected one of %s", int32(c), categoryNames())
			continue
		}
		p.categories |= 1 << uint(c)
	}
	if s := req.GetHsPrefix(); s != "" {
		if !validate.HSPrefix(s) {
			v.Addf("hs_prefix", `%q is not an HS code prefix; expected 2 to 10 digits without dots, such as "0301" or "9206"`, s)
		}
		p.hsPrefix = s
	}
	if s := req.GetShipToCountryCode(); s != "" {
		if !validate.CountryCode(s) {
			v.Addf("ship_to_country_code", `%q is not an ISO 3166-1 alpha-2 country code; expected two upper-case letters such as "JP", "US" or "HK"`, s)
		}
		p.shipTo = s
	}
	if s := req.GetDistrict(); s != "" {
		canonical, ok := validate.District(s)
		if !ok {
			v.Addf("district", "%q is not a kecamatan of Kabupaten Blitar nor Kota Blitar; expected one of %s", s, strings.Join(validate.Places, ", "))
		}
		p.district = canonical
	}
	if k := req.GetProducerKind(); k != pb.Producer_KIND_UNSPECIFIED {
		if _, ok := pb.Producer_Kind_name[int32(k)]; !ok {
			v.Addf("producer_kind", "%d is not a producer kind; expected PRODUCER or CONSOLIDATOR", int32(k))
		}
		p.kind = k
	}
	p.verifiedOnly = req.GetVerifiedOnly()
	for i, c := range req.GetCertificationTypes() {
		if !validate.CertificationType(c) {
			v.Addf(fmt.Sprintf("certification_types[%d]", i), `%q is not a certification type; expected an upper-case code such as "CKIB", "PHYTOSANITARY" or "ISPM15"`, c)
			continue
		}
		if !slices.Contains(p.certs, c) {
			p.certs = append(p.certs, c)
		}
	}
	slices.Sort(p.certs)
	if req.MaxMinOrderQuantity != nil {
		if n := req.GetMaxMinOrderQuantity(); n <= 0 {
			v.Addf("max_min_order_quantity", "is %d; it must be greater than zero, or unset for no limit", n)
		} else {
			p.maxMOQ = n
		}
	}
	if req.MinMonthlyCapacity != nil {
		if n := req.GetMinMonthlyCapacity(); n < 0 {
			v.Addf("min_monthly_capacity", "is %d; it must not be negative", n)
		} else {
			p.minCapacity = n
		}
	}

	parseCurrency(&v, p, req, rates)

	switch o := req.GetOrderBy(); {
	case o == pb.SearchListingsRequest_ORDER_BY_UNSPECIFIED:
		p.order = pb.SearchListingsRequest_RELEVANCE
	default:
		if _, ok := pb.SearchListingsRequest_OrderBy_name[int32(o)]; !ok {
			v.Addf("order_by", "%d is not a sort order; expected RELEVANCE, PRICE_ASCENDING, PRICE_DESCENDING, CAPACITY_DESCENDING or NEWEST", int32(o))
		}
		p.order = o
	}

	switch n := req.GetPageSize(); {
	case n == 0:
		p.pageSize = DefaultPageSize
	case n < 0 || n > MaxPageSize:
		v.Addf("page_size", "is %d; expected 1 to %d, or 0 for the default of %d", n, MaxPageSize, DefaultPageSize)
	default:
		p.pageSize = int(n)
	}

	if v.Len() > 0 {
		return nil, v.Err()
	}
	p.fingerprint = p.fingerprintOf()
	if t := req.GetPageToken(); t != "" {
		off, err := decodeToken(t, p.fingerprint)
		if err != nil {
			v.Add("page_token", err.Error())
			return nil, v.Err()
		}
		p.offset = off
	}
	return p, nil
}

// parseCurrency settles the currency of the request and its price bounds.
// When currency_code is empty the bounds' currency is used (a buyer who
// types a yen range means yen), else USD.
func parseCurrency(v *validate.Violations, p *params, req *pb.SearchListingsRequest, rates *rateTable) {
	lo, hi := req.GetPriceMin(), req.GetPriceMax()
	code := req.GetCurrencyCode()
	field := "currency_code"
	switch {
	case code != "":
	case lo != nil && lo.GetCurrencyCode() != "":
		code, field = lo.GetCurrencyCode(), "price_min.currency_code"
	case hi != nil && hi.GetCurrencyCode() != "":
		code, field = hi.GetCurrencyCode(), "price_max.currency_code"
	default:
		code = defaultCurrency
		if !rates.has(code) {
			code = rates.base
		}
	}
	p.currency = code
	currencyOK := true
	switch {
	case !money.ValidCurrency(code):
		v.Addf(field, `%q is not an ISO 4217 currency code; expected three upper-case letters such as "USD", "JPY" or "HKD"`, code)
		currencyOK = false
	case !rates.has(code):
		v.Addf(field, "%s has no exchange rate in the table of %s; prices can be compared in %s", code, dateString(rates.proto.GetAsOfDate()), rates.currencyList())
		currencyOK = false
	}
	bound := func(name string, m *moneypb.Money) *int64 {
		if m == nil {
			return nil
		}
		before := v.Len()
		validate.Money(v, name, m)
		if v.Len() > before {
			return nil
		}
		if currencyOK && m.GetCurrencyCode() != code {
			v.Addf(name+".currency_code", "is %s but prices are compared in %s (currency_code); give the range in %s", m.GetCurrencyCode(), code, code)
			return nil
		}
		minor, err := money.ToMinor(m)
		if err != nil {
			v.Add(name, "is not a valid amount of money")
			return nil
		}
		return &minor
	}
	p.priceMin = bound("price_min", lo)
	p.priceMax = bound("price_max", hi)
	if p.priceMin != nil && p.priceMax != nil && *p.priceMin > *p.priceMax {
		v.Addf("price_min", "is above price_max (%s > %s); the range must run from the lower to the higher price",
			formatMinor(code, *p.priceMin), formatMinor(code, *p.priceMax))
	}
}

// formatMinor renders an amount, e.g. "JPY 3456" or "USD 24.00".
func formatMinor(code string, minor int64) string {
	scale, err := money.Scale(code)
	if err != nil || scale == 0 {
		return fmt.Sprintf("%s %d", code, minor)
	}
	r := new(big.Rat).SetFrac(big.NewInt(minor), fx.Pow10(scale))
	return code + " " + r.FloatString(scale)
}

// fingerprintOf identifies the query for page tokens: every field but the
// page size and token.
func (p *params) fingerprintOf() string {
	parts := []string{
		"search/v1", p.text, strconv.Itoa(int(p.categories)), p.hsPrefix, p.shipTo, p.district,
		p.kind.String(), strconv.FormatBool(p.verifiedOnly), strings.Join(p.certs, ","),
		strconv.FormatInt(p.maxMOQ, 10), strconv.FormatInt(p.minCapacity, 10), p.currency,
		optInt(p.priceMin), optInt(p.priceMax), p.order.String(),
	}
	return query.Fingerprint(parts...)
}

func optInt(n *int64) string {
	if n == nil {
		return "-"
	}
	return strconv.FormatInt(*n, 10)
}

// pageToken is the opaque page token: results are ranked, so it holds the
// offset of the next hit and the fingerprint of the query it belongs to.
type pageToken struct {
	Offset int    `json:"o"`
	Query  string `json:"q"`
}

func encodeToken(offset int, fingerprint string) string {
	b, _ := json.Marshal(pageToken{Offset: offset, Query: fingerprint})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeToken(s, fingerprint string) (int, error) {
	const notOurs = "is not a page token this service issued; send the next_page_token of the previous response unchanged"
	if len(s) > 512 {
		return 0, fmt.Errorf("%s", notOurs)
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, fmt.Errorf("%s", notOurs)
	}
	var t pageToken
	if err := json.Unmarshal(b, &t); err != nil || t.Offset <= 0 || t.Query == "" {
		return 0, fmt.Errorf("%s", notOurs)
	}
	if t.Query != fingerprint {
		return 0, fmt.Errorf("belongs to a different search; keep the query, filters, currency and order unchanged while paging")
	}
	return t.Offset, nil
}

// compileQuery cuts a query into units: vocabulary phrases (longest first),
// single words, and CJK segments between phrases.
func compileQuery(v *Vocabulary, q string) []unit {
	toks := tokenize(nil, q)
	var units []unit
	var cjk []token
	flush := func() {
		if len(cjk) > 0 {
			units = append(units, unit{text: display(cjk), literal: capTerms(cjkTerms(cjk))})
			cjk = nil
		}
	}
	for i := 0; i < len(toks); {
		if concepts, n := v.match(toks[i:]); n > 0 {
			flush()
			phrase := toks[i : i+n]
			units = append(units, unit{text: display(phrase), literal: literalTerms(phrase), concepts: concepts})
			i += n
			continue
		}
		t := toks[i]
		i++
		if t.cjk {
			if len(cjk) > 0 && cjk[len(cjk)-1].run != t.run {
				flush()
			}
			cjk = append(cjk, t)
			continue
		}
		flush()
		units = append(units, unit{text: t.text, literal: []string{t.text}})
	}
	flush()

	// Drop stop words unless nothing else is left, and repeated words.
	kept := units[:0]
	onlyStop := true
	for _, u := range units {
		if !(len(u.concepts) == 0 && len(u.literal) == 1 && stopWords[u.literal[0]]) {
			onlyStop = false
		}
	}
	seen := map[string]bool{}
	for _, u := range units {
		if !onlyStop && len(u.concepts) == 0 && len(u.literal) == 1 && stopWords[u.literal[0]] {
			continue
		}
		if seen[u.text] {
			continue
		}
		seen[u.text] = true
		kept = append(kept, u)
	}
	if len(kept) > maxUnits {
		kept = kept[:maxUnits]
	}
	for i := range kept {
		u := &kept[i]
		u.weak = len(u.concepts) == 0 && len(u.literal) == 1 && (stopWords[u.literal[0]] || isSingleDigit(u.literal[0]))
	}
	for i := range kept {
		u := &kept[i]
		for _, c := range u.concepts {
			for j, k := range v.concepts[c].closure {
				f := float32(narrowerFactor)
				if j == 0 {
					f = synonymFactor
				}
				if idx := slices.IndexFunc(u.expanded, func(r conceptRef) bool { return r.id == k }); idx >= 0 {
					if f > u.expanded[idx].factor {
						u.expanded[idx].factor, u.expanded[idx].direct = f, j == 0
					}
					continue
				}
				u.expanded = append(u.expanded, conceptRef{id: k, factor: f, direct: j == 0})
			}
		}
	}
	return kept
}

// isSingleDigit reports whether w is one decimal digit.
func isSingleDigit(w string) bool { return len(w) == 1 && w[0] >= '0' && w[0] <= '9' }

// literalTerms returns the index terms a phrase matches literally: its
// words (less stop words, which are not indexed) and the character pairs of
// its CJK runs.
func literalTerms(phrase []token) []string {
	var out []string
	for i := 0; i < len(phrase); {
		if !phrase[i].cjk {
			if !stopWords[phrase[i].text] {
				out = append(out, phrase[i].text)
			}
			i++
			continue
		}
		j := i + 1
		for j < len(phrase) && phrase[j].cjk && phrase[j].run == phrase[i].run {
			j++
		}
		out = append(out, cjkTerms(phrase[i:j])...)
		i = j
	}
	slices.Sort(out)
	return capTerms(slices.Compact(out))
}

// maxLiteralTerms bounds the terms one unit must all match (a bit each in
// a uint32); a longer CJK run is matched on its first pairs.
const maxLiteralTerms = 31

func capTerms(terms []string) []string {
	if len(terms) > maxLiteralTerms {
		return terms[:maxLiteralTerms]
	}
	return terms
}
