package catalog

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
)

// scratch is per-search working memory, indexed by doc slot and pooled so
// that a search allocates little. Every entry a search sets it resets.
type scratch struct {
	score   []float32 // text score so far
	mask    []uint32  // units matched
	reasons []uint64  // per unit (first 8): exact fields (low nibble), synonym fields (high nibble)
	touched []int32

	// Per unit being evaluated.
	uScore  []float32
	uLit    []uint32 // literal terms matched
	uSyn    []float32
	uSynC   []int32 // concept giving uSyn
	uFields []uint8 // literal fields (low nibble), synonym fields (high nibble)
	uIn     []bool
	uList   []int32

	// Per concept being evaluated.
	cScore  []float32
	cFields []uint8
	cList   []int32

	// synConcept[d*maxReasonUnits+u] is the concept of unit u's synonym
	// match in doc d; only read for hits on the page.
	synConcept map[int64]int32

	cands []cand
}

// cand is a candidate hit: its sort key (ascending is better) and doc slot.
type cand struct {
	key   float64
	score float32
	doc   int32
}

func (s *scratch) ensure(n int) {
	if len(s.score) >= n {
		return
	}
	n = max(n, 2*len(s.score))
	s.score = make([]float32, n)
	s.mask = make([]uint32, n)
	s.reasons = make([]uint64, n)
	s.uScore = make([]float32, n)
	s.uLit = make([]uint32, n)
	s.uSyn = make([]float32, n)
	s.uSynC = make([]int32, n)
	s.uFields = make([]uint8, n)
	s.uIn = make([]bool, n)
	s.cScore = make([]float32, n)
	s.cFields = make([]uint8, n)
}

// Search validates the request and answers it from the index. now decides
// which certificates are valid (by Blitar's calendar date).
func (x *Index) Search(req *pb.SearchListingsRequest, now time.Time) (*pb.SearchListingsResponse, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	p, err := parseRequest(req, x.vocab, x.rates)
	if err != nil {
		return nil, err
	}
	s, _ := x.pool.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	defer x.pool.Put(s)
	s.ensure(len(x.docs))

	plan := x.plan(p, now)
	s.cands = s.cands[:0]
	facets := newFacetCounts(x)
	if len(p.units) == 0 {
		x.scanAll(s, plan, facets)
	} else {
		x.evaluate(s, p.units, plan, facets)
	}
	total := len(s.cands)
	x.orderKeys(s.cands, p, plan)
	end := min(p.offset+p.pageSize, total)
	page := x.top(s.cands, end)

	resp := &pb.SearchListingsResponse{
		TotalSize:         int32(total),
		CurrencyCode:      p.currency,
		ExchangeRatesDate: cloneDate(x.rates.proto.GetAsOfDate()),
		Facets:            facets.proto(x),
		InterpretedTerms:  x.interpreted(p.units),
	}
	for i := p.offset; i < end; i++ {
		resp.Hits = append(resp.Hits, x.hit(s, p, plan, page[i]))
	}
	if end < total {
		resp.NextPageToken = encodeToken(end, p.fingerprint)
	}
	// Reset what the search set.
	for _, d := range s.touched {
		s.score[d], s.mask[d], s.reasons[d] = 0, 0, 0
	}
	s.touched = s.touched[:0]
	clear(s.synConcept)
	return resp, nil
}

func cloneDate(d *date.Date) *date.Date {
	if d == nil {
		return nil
	}
	return proto.Clone(d).(*date.Date)
}

// filterPlan is a request's filters resolved against the index's interned
// ids, so that checking a listing compares small integers.
type filterPlan struct {
	none       bool // a filter no listing can pass (unknown country, certificate type ...)
	categories uint8
	hsPrefix   string
	shipTo     int32 // -1 for any
	district   int32 // -1 for any
	kind       pb.Producer_Kind
	verified   bool
	certs      []uint16
	today      int32
	maxMOQ     int64
	minCap     int64
	price      bool
	bounds     []priceBounds // by currency id
}

// priceBounds are a price filter in one listing currency: a listing
// matches when lo <= maxLo and hi >= minHi.
type priceBounds struct {
	ok           bool
	maxLo, minHi int64
}

func (x *Index) plan(p *params, now time.Time) *filterPlan {
	f := &filterPlan{
		categories: p.categories, hsPrefix: p.hsPrefix, shipTo: -1, district: -1,
		kind: p.kind, verified: p.verifiedOnly, today: today(now),
		maxMOQ: p.maxMOQ, minCap: p.minCapacity,
	}
	if p.shipTo != "" {
		if id, ok := x.countries.lookup(p.shipTo); ok {
			f.shipTo = int32(id)
		} else {
			f.none = true
		}
	}
	if p.district != "" {
		if id, ok := x.districts.lookup(p.district); ok {
			f.district = int32(id)
		} else {
			f.none = true
		}
	}
	for _, c := range p.certs {
		if id, ok := x.certTypes.lookup(c); ok {
			f.certs = append(f.certs, id)
		} else {
			f.none = true
		}
	}
	if p.priceMin != nil || p.priceMax != nil {
		f.price = true
		f.bounds = make([]priceBounds, len(x.currencies.names))
		for id, code := range x.currencies.names {
			fac, ok := x.rates.factor(code, p.currency)
			if !ok {
				continue
			}
			b := priceBounds{ok: true, maxLo: math.MaxInt64, minHi: math.MinInt64}
			if p.priceMax != nil {
				b.maxLo = maxBelow(fac, *p.priceMax)
			}
			if p.priceMin != nil {
				b.minHi = minAbove(fac, *p.priceMin)
			}
			f.bounds[id] = b
		}
	}
	return f
}

// pass reports whether a listing passes every filter.
func (x *Index) pass(d *docMeta, f *filterPlan) bool {
	if f.categories != 0 && f.categories&(1<<d.category) == 0 {
		return false
	}
	if f.hsPrefix != "" && !strings.HasPrefix(d.hs, f.hsPrefix) {
		return false
	}
	if f.shipTo >= 0 && !slices.Contains(d.ship, uint16(f.shipTo)) {
		return false
	}
	if f.maxMOQ > 0 && (d.moq < 0 || d.moq > f.maxMOQ) {
		return false
	}
	if f.minCap > 0 && (d.capacity < 0 || d.capacity < f.minCap) {
		return false
	}
	if f.price {
		if d.currency == 0 {
			return false
		}
		b := f.bounds[d.currency-1]
		if !b.ok || d.lo > b.maxLo || d.hi < b.minHi {
			return false
		}
	}
	if f.district >= 0 || f.kind != 0 || f.verified || len(f.certs) > 0 {
		pr := x.producers[d.producer]
		if f.district >= 0 && int32(pr.districtID) != f.district {
			return false
		}
		if f.kind != 0 && pr.kind != f.kind {
			return false
		}
		if f.verified && !pr.verified() {
			return false
		}
		for _, c := range f.certs {
			if !pr.holds(c, f.today) {
				return false
			}
		}
	}
	return true
}

// boost is a listing's share of ranking that does not come from text.
func (x *Index) boost(d *docMeta) float32 {
	b := 1 + 0.05*d.quality
	if x.producers[d.producer].verified() {
		b += 0.1
	}
	return b
}

// scanAll answers a query without text: every searchable listing that
// passes the filters, best described listings of verified producers first.
func (x *Index) scanAll(s *scratch, f *filterPlan, fc *facetCounts) {
	if f.none {
		return
	}
	for i := range x.docs {
		d := &x.docs[i]
		if d.rec == nil || !x.pass(d, f) {
			continue
		}
		score := d.quality
		if x.producers[d.producer].verified() {
			score += 0.5
		}
		s.cands = append(s.cands, cand{score: score, doc: int32(i)})
		fc.add(x, d, f.today)
	}
}

// idf is BM25's inverse document frequency.
func idf(n, df int) float32 {
	return float32(math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5)))
}

// evaluate matches the query's units against the posting lists, then
// filters the listings that match every unit (or, when none does, any).
func (x *Index) evaluate(s *scratch, units []unit, f *filterPlan, fc *facetCounts) {
	n := x.live
	for ui := range units {
		u := &units[ui]
		full := uint32(1)<<len(u.literal) - 1
		s.uList = s.uList[:0]
		mark := func(d int32) {
			if !s.uIn[d] {
				s.uIn[d] = true
				s.uList = append(s.uList, d)
			}
		}
		for j, term := range u.literal {
			pl := x.terms[term]
			ppl := x.pterms[term]
			df := 0
			if pl != nil {
				df = len(pl.ps)
			}
			if ppl != nil {
				for _, pp := range ppl.ps {
					df += len(x.producers[pp.id].docs)
				}
			}
			if df == 0 {
				continue
			}
			w := idf(n, df)
			bit := uint32(1) << j
			if pl != nil {
				for _, pp := range pl.ps {
					d := pp.id
					mark(d)
					s.uLit[d] |= bit
					s.uScore[d] += w * pp.weight()
					s.uFields[d] |= pp.fields()
				}
			}
			if ppl != nil {
				for _, pp := range ppl.ps {
					pw := w * pp.weight()
					for _, d := range x.producers[pp.id].docs {
						mark(d)
						s.uLit[d] |= bit
						s.uScore[d] += pw
						s.uFields[d] |= fieldProducer
					}
				}
			}
		}
		// Synonyms: all concepts of the unit share one idf, that of the
		// broadest (most frequent) of them, so that a rare narrower concept
		// (Utsuri) cannot outscore the word the buyer typed (koi).
		cdf := 0
		for _, c := range u.expanded {
			df := len(x.cdocs[c.id].ps)
			for _, pp := range x.cprods[c.id].ps {
				df += len(x.producers[pp.id].docs)
			}
			cdf = max(cdf, df)
		}
		var cw float32
		if cdf > 0 {
			cw = idf(n, cdf)
		}
		for _, c := range u.expanded {
			if cdf == 0 {
				break
			}
			w := cw * c.factor
			con := &x.vocab.concepts[c.id]
			// A concept's score in a document sums its own fields and the
			// producer's; the unit keeps the best concept.
			s.cList = s.cList[:0]
			for _, pp := range x.cdocs[c.id].ps {
				d := pp.id
				if s.cScore[d] == 0 {
					s.cList = append(s.cList, d)
				}
				s.cScore[d] += w * pp.weight()
				s.cFields[d] |= pp.fields()
			}
			for _, pp := range x.cprods[c.id].ps {
				pw := w * pp.weight()
				for _, d := range x.producers[pp.id].docs {
					if !con.allows(x.docs[d].category) {
						continue
					}
					if s.cScore[d] == 0 {
						s.cList = append(s.cList, d)
					}
					s.cScore[d] += pw
					s.cFields[d] |= fieldProducer
				}
			}
			for _, d := range s.cList {
				mark(d)
				if sc := s.cScore[d]; sc > s.uSyn[d] {
					s.uSyn[d], s.uSynC[d] = sc, c.id
					s.uFields[d] = s.uFields[d]&0x0F | s.cFields[d]<<4
				}
				s.cScore[d], s.cFields[d] = 0, 0
			}
		}
		// Fold the unit into the running scores.
		for _, d := range s.uList {
			var sc float32
			var rb uint8
			if full != 0 && s.uLit[d] == full {
				sc, rb = s.uScore[d], s.uFields[d]&0x0F
			}
			if s.uSyn[d] > sc {
				sc, rb = s.uSyn[d], s.uFields[d]&0xF0
				if ui < maxReasonUnits {
					if s.synConcept == nil {
						s.synConcept = map[int64]int32{}
					}
					s.synConcept[int64(d)*maxReasonUnits+int64(ui)] = s.uSynC[d]
				}
			}
			if sc > 0 {
				if s.mask[d] == 0 {
					s.touched = append(s.touched, d)
				}
				s.mask[d] |= 1 << ui
				s.score[d] += sc
				if ui < maxReasonUnits {
					s.reasons[d] |= uint64(rb) << (8 * ui)
				}
			}
			s.uScore[d], s.uLit[d], s.uSyn[d], s.uFields[d], s.uIn[d] = 0, 0, 0, 0, false
		}
	}
	if f.none {
		return
	}
	all := uint32(1)<<len(units) - 1
	for _, d := range s.touched {
		if s.mask[d] == all {
			x.accept(s, d, s.score[d], f, fc)
		}
	}
	if len(s.cands) == 0 && len(units) > 1 {
		// Nothing has every word: rank what has some, mostly by how many.
		for _, d := range s.touched {
			share := float32(bits.OnesCount32(s.mask[d])) / float32(len(units))
			x.accept(s, d, s.score[d]*share*share, f, fc)
		}
	}
}

func (x *Index) accept(s *scratch, d int32, score float32, f *filterPlan, fc *facetCounts) {
	m := &x.docs[d]
	if !x.pass(m, f) {
		return
	}
	s.cands = append(s.cands, cand{score: score * x.boost(m), doc: d})
	fc.add(x, m, f.today)
}

// orderKeys sets each candidate's sort key for the requested order;
// ascending keys come first, unknown values last.
func (x *Index) orderKeys(cs []cand, p *params, f *filterPlan) {
	inf := math.Inf(1)
	switch p.order {
	case pb.SearchListingsRequest_PRICE_ASCENDING, pb.SearchListingsRequest_PRICE_DESCENDING:
		perMinor := make([]float64, len(x.currencies.names))
		for id, code := range x.currencies.names {
			if v, ok := x.rates.perMinorInBase[code]; ok {
				perMinor[id] = v
			} else {
				perMinor[id] = math.NaN()
			}
		}
		sign := 1.0
		if p.order == pb.SearchListingsRequest_PRICE_DESCENDING {
			sign = -1
		}
		for i := range cs {
			d := &x.docs[cs[i].doc]
			cs[i].key = inf
			if d.currency != 0 {
				if v := perMinor[d.currency-1]; !math.IsNaN(v) {
					cs[i].key = sign * float64(d.lo) * v
				}
			}
		}
	case pb.SearchListingsRequest_CAPACITY_DESCENDING:
		for i := range cs {
			cs[i].key = inf
			if c := x.docs[cs[i].doc].capacity; c > 0 {
				cs[i].key = -float64(c)
			}
		}
	case pb.SearchListingsRequest_NEWEST:
		for i := range cs {
			cs[i].key = inf
			if t := x.docs[cs[i].doc].created; t != 0 {
				cs[i].key = -float64(t)
			}
		}
	default:
		for i := range cs {
			cs[i].key = -float64(cs[i].score)
		}
	}
}

func (x *Index) less(a, b cand) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	return strings.Compare(x.docs[a.doc].rec.name, x.docs[b.doc].rec.name)
}

// top orders the first k candidates (by key, then name) and returns the
// slice with them in front. Partial selection keeps a first page cheap when
// thousands of listings match.
func (x *Index) top(cs []cand, k int) []cand {
	if k <= 0 {
		return cs
	}
	if k*8 >= len(cs) {
		slices.SortFunc(cs, x.less)
		return cs
	}
	// Max-heap of the k best so far; the root is the worst of them.
	h := cs[:k]
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= k {
				return
			}
			w := l
			if r := l + 1; r < k && x.less(h[r], h[l]) > 0 {
				w = r
			}
			if x.less(h[w], h[i]) <= 0 {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for i := k; i < len(cs); i++ {
		if x.less(cs[i], h[0]) < 0 {
			h[0], cs[i] = cs[i], h[0]
			down(0)
		}
	}
	slices.SortFunc(h, x.less)
	return cs
}

// hit builds one search hit.
func (x *Index) hit(s *scratch, p *params, f *filterPlan, c cand) *pb.SearchHit {
	d := &x.docs[c.doc]
	l := &pb.Listing{}
	// The bytes were marshalled from a valid message by PutListing.
	_ = proto.Unmarshal(d.rec.data, l)
	pr := x.producers[d.producer]
	h := &pb.SearchHit{
		Listing:  l,
		Producer: x.summary(pr, f.today),
		Score:    math.Round(float64(c.score)*1e4) / 1e4,
	}
	if d.currency != 0 {
		code := x.currencies.names[d.currency-1]
		if fac, ok := x.rates.factor(code, p.currency); ok {
			h.ConvertedPriceMin = money.FromMinor(p.currency, convertMinor(fac, d.lo))
			h.ConvertedPriceMax = money.FromMinor(p.currency, convertMinor(fac, d.hi))
		}
	}
	h.MatchReasons = x.reasons(s, p, f, c.doc, d, pr)
	return h
}

// summary is the public face of a producer: no contact details, only
// certificates valid today.
func (x *Index) summary(pr *producerRec, today int32) *pb.ProducerSummary {
	sum := &pb.ProducerSummary{
		Name:               pr.name,
		DisplayName:        pr.displayName,
		District:           pr.district,
		Kind:               pr.kind,
		VerificationState:  pr.verification,
		ExportsInOwnName:   pr.ownName,
		ExportCountryCodes: slices.Clone(pr.exportTo),
	}
	for _, c := range pr.certs {
		if c.from <= today && today <= c.until {
			name := x.certTypes.names[c.typ]
			if !slices.Contains(sum.CertificationTypes, name) {
				sum.CertificationTypes = append(sum.CertificationTypes, name)
			}
		}
	}
	slices.Sort(sum.CertificationTypes)
	return sum
}

var fieldNames = [numFields]string{"title", "attributes", "producer name", "description"}

// fieldList names the fields of a mask: "title", "title and attributes".
func fieldList(mask uint8) string {
	var names []string
	for f := 0; f < numFields; f++ {
		if mask&(1<<f) != 0 {
			names = append(names, fieldNames[f])
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// reasons says, briefly, why a listing is a hit.
func (x *Index) reasons(s *scratch, p *params, f *filterPlan, doc int32, d *docMeta, pr *producerRec) []string {
	var out []string
	if len(p.units) > 0 {
		r := s.reasons[doc]
		for ui, u := range p.units {
			if ui >= maxReasonUnits {
				break
			}
			if s.mask[doc]&(1<<ui) == 0 {
				out = append(out, fmt.Sprintf("does not mention %q", u.text))
				continue
			}
			b := uint8(r >> (8 * ui))
			if exact := b & 0x0F; exact != 0 {
				verb := "contains"
				if bits.OnesCount8(exact) > 1 {
					verb = "contain"
				}
				out = append(out, fmt.Sprintf("%s %s %q", fieldList(exact), verb, u.text))
				continue
			}
			c, ok := s.synConcept[int64(doc)*maxReasonUnits+int64(ui)]
			if !ok {
				continue
			}
			label := x.vocab.concepts[c].label
			if slices.Contains(u.concepts, c) {
				out = append(out, fmt.Sprintf("%q is a synonym of %s (%s)", u.text, label, fieldList(b>>4)))
			} else {
				out = append(out, fmt.Sprintf("%q includes %s (%s)", u.text, label, fieldList(b>>4)))
			}
		}
	}
	if p.shipTo != "" {
		out = append(out, "ships to "+p.shipTo)
	}
	if p.district != "" {
		out = append(out, "producer in "+p.district)
	}
	if p.verifiedOnly {
		out = append(out, "verified producer")
	}
	for _, c := range p.certs {
		out = append(out, "holds a valid "+c)
	}
	if p.maxMOQ > 0 {
		out = append(out, fmt.Sprintf("minimum order %d, within %d", d.moq, p.maxMOQ))
	}
	if p.minCapacity > 0 {
		out = append(out, fmt.Sprintf("monthly capacity %d, at least %d", d.capacity, p.minCapacity))
	}
	if p.priceMin != nil || p.priceMax != nil {
		lo, hi := "any", "any"
		if p.priceMin != nil {
			lo = formatMinor(p.currency, *p.priceMin)
		}
		if p.priceMax != nil {
			hi = formatMinor(p.currency, *p.priceMax)
		}
		out = append(out, fmt.Sprintf("price range overlaps %s to %s", lo, hi))
	}
	return out
}

// interpreted lists the query's terms after normalisation, each followed by
// the vocabulary members it was expanded to.
func (x *Index) interpreted(units []unit) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, u := range units {
		add(u.text)
		for _, c := range u.expanded {
			for _, t := range x.vocab.concepts[c.id].terms {
				add(t)
			}
		}
	}
	return out
}

// facetCounts counts the filtered hits by category, district, ship-to
// country and certificate type valid today.
type facetCounts struct {
	category  [8]int32
	district  []int32
	country   []int32
	cert      []int32
	certStamp []int32 // per cert id: last doc counted, to count a type once per hit
	n         int32
}

func newFacetCounts(x *Index) *facetCounts {
	fc := &facetCounts{
		district:  make([]int32, len(x.districts.names)),
		country:   make([]int32, len(x.countries.names)),
		cert:      make([]int32, len(x.certTypes.names)),
		certStamp: make([]int32, len(x.certTypes.names)),
	}
	return fc
}

func (fc *facetCounts) add(x *Index, d *docMeta, today int32) {
	fc.n++
	fc.category[d.category]++
	pr := x.producers[d.producer]
	fc.district[pr.districtID]++
	for _, c := range d.ship {
		fc.country[c]++
	}
	for _, c := range pr.certs {
		if c.from <= today && today <= c.until && fc.certStamp[c.typ] != fc.n {
			fc.certStamp[c.typ] = fc.n
			fc.cert[c.typ]++
		}
	}
}

func (fc *facetCounts) proto(x *Index) []*pb.Facet {
	build := func(field string, counts []int32, name func(int) string) *pb.Facet {
		f := &pb.Facet{Field: field}
		for i, c := range counts {
			if c > 0 {
				f.Values = append(f.Values, &pb.FacetValue{Value: name(i), Count: c})
			}
		}
		slices.SortFunc(f.Values, func(a, b *pb.FacetValue) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return strings.Compare(a.Value, b.Value)
		})
		return f
	}
	return []*pb.Facet{
		build("category", fc.category[:], func(i int) string { return pb.Category(i).String() }),
		build("district", fc.district, func(i int) string { return x.districts.names[i] }),
		build("ship_to_country_code", fc.country, func(i int) string { return x.countries.names[i] }),
		build("certification_type", fc.cert, func(i int) string { return x.certTypes.names[i] }),
	}
}
