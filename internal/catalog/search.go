package catalog

import (
	"cmp"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
)

// scratch is per-search working memory, indexed by doc slot and pooled so
// that a search allocates little. Every entry a search sets it resets.
type scratch struct {
	acc     []acc  // per document, over the whole query
	uacc    []uacc // per document, for the unit being evaluated
	touched []int32
	uList   []int32
	cands   []cand // staticPage's candidates
	sel     topK   // the candidates of the page and those before it
	fb, rb  bitset // documents passing the bitset filters; the result
	tmp     bitset
	single  *termEntry  // matches of a one-word query, for finishSingle
	block   []uacc      // matchOne's accumulators
	srcs    []source    // matchOne's posting lists
	passed  []termMatch // filterMatches' result
	entry   termEntry   // reused for matches that are not cached
	gen     uint32      // current unit evaluation, see uacc.gen
}

// acc is a document's match over the whole query.
type acc struct {
	score float32
	mask  uint32 // units matched
	// reasons holds, for each of the first 8 units, the fields of a
	// literal match (low nibble) or of a synonym match (high nibble).
	reasons uint64
	// syn holds, for each of the first 8 units, 1 + the index in
	// unit.expanded of the concept that gave its synonym match.
	syn uint64
}

// uacc is a document's match of one unit.
type uacc struct {
	score  float32 // literal terms
	syn    float32 // best concept
	lit    uint32  // literal terms matched
	synIdx uint8   // 1 + index in unit.expanded of the best concept
	fields uint8   // literal fields (low nibble), synonym fields (high nibble)
	// gen is the unit evaluation that wrote the entry; an entry of an
	// older one counts as empty, which spares clearing the array.
	gen uint32
}

// touch returns document d's accumulator for the current unit, listing d
// in s.uList the first time.
func (s *scratch) touch(d int32) *uacc {
	a := &s.uacc[d]
	if a.gen != s.gen {
		*a = uacc{gen: s.gen}
		s.uList = append(s.uList, d)
	}
	return a
}

// cand is a candidate hit: its sort key (ascending is better) and doc slot.
// tier is how many of the query's significant words a listing matches when
// no listing matches them all; relevance ranks a higher tier first whatever
// the scores.
type cand struct {
	key   float64
	score float32
	doc   int32
	tier  uint8
}

// tierStep separates relevance tiers in a sort key: far above any score.
const tierStep = 1e9

// ensure sizes the per-slot accumulators for n slots. uacc, which only
// queries of several words use (one word goes through matchOne's small
// block), is sized by accumulate when first needed.
func (s *scratch) ensure(n int) {
	if len(s.acc) >= n {
		return
	}
	n = max(n, 2*len(s.acc))
	s.acc = make([]acc, n)
}

// Search validates the request and answers it from the index. now decides
// which certificates are valid (by Blitar's calendar date).
//
// The answer is shared with other callers (its hits' listings always, the
// whole answer with CacheResults on): nobody may change it (copy it first).
func (x *Index) Search(req *pb.SearchListingsRequest, now time.Time) (*pb.SearchListingsResponse, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var key string
	day := today(now)
	if x.results != nil {
		key = resultKey(req)
		if resp := x.cached(key, day); resp != nil {
			return resp, nil
		}
	}
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

	plan := x.plan(p, now, s)
	x.startTop(&s.sel, p)
	var result bitset
	var total int
	var page []cand
	switch {
	case len(p.units) == 0 && p.order == pb.SearchListingsRequest_RELEVANCE:
		// Without text the order is static: walk it, no sorting.
		result = x.scanAll(s, plan, false)
		total = result.count()
		page = x.staticPage(s, result, min(p.offset+p.pageSize, total))
	case len(p.units) == 0:
		result = x.scanAll(s, plan, true)
		total = s.sel.n
	default:
		s.rb = bitsetOf(s.rb, len(x.liveBits))
		x.evaluate(s, p.units, plan)
		result = s.rb
		total = s.sel.n
	}
	end := min(p.offset+p.pageSize, total)
	if page == nil {
		page = x.endTop(&s.sel)
	}
	x.finishSingle(s, p.units, page[min(p.offset, end):end])

	resp := &pb.SearchListingsResponse{
		TotalSize:         int32(total),
		CurrencyCode:      p.currency,
		ExchangeRatesDate: cloneDate(x.rates.proto.GetAsOfDate()),
		Facets:            x.facets(result, plan, x.facetKey(p, plan, total)),
		InterpretedTerms:  x.interpreted(p.units),
	}
	if n := end - p.offset; n > 0 {
		// One allocation for the hits, instead of one each; listings are
		// decoded once and shared by every hit that shows them
		// (hitListings); a producer's summary is built once per
		// response and shared by its hits (nothing changes one in place);
		// the reasons that do not depend on the listing are formatted once.
		hb := hitBuf{
			hits:   make([]pb.SearchHit, n),
			sums:   make(map[int32]*pb.ProducerSummary, n),
			before: x.staticReasons(p),
			after:  priceReason(p),
			basic:  req.GetView() == pb.ListingView_BASIC,
		}
		resp.Hits = make([]*pb.SearchHit, n)
		for i := range n {
			resp.Hits[i] = x.hit(s, p, plan, page[p.offset+i], &hb, i)
		}
	}
	if end < total {
		resp.NextPageToken = encodeToken(end, p.fingerprint)
	}
	for _, d := range s.touched {
		s.acc[d] = acc{}
	}
	s.touched = s.touched[:0]
	x.keep(key, day, resp)
	return resp, nil
}

// facetKey names the result of a broad query without filters (all
// listings, or one word's matches) for the facet cache; "" for any other.
func (x *Index) facetKey(p *params, f *filterPlan, total int) string {
	if x.noTermCache || f.bits != nil || f.scalar || f.none || total < x.cacheMin() {
		return ""
	}
	switch len(p.units) {
	case 0:
		return "*"
	case 1:
		return "w:" + p.units[0].text
	}
	return ""
}

func cloneDate(d *date.Date) *date.Date {
	if d == nil {
		return nil
	}
	return proto.Clone(d).(*date.Date)
}

// filterPlan is a request's filters resolved against the index: the
// filters on discrete values as one bitset, the others as bounds.
type filterPlan struct {
	none bool // a filter no listing can pass (unknown country, certificate type ...)
	// bits holds the listings passing the discrete filters (category,
	// country, district, kind, verified, certificates); nil when there are
	// none.
	bits bitset
	// scalar is set when a filter needs the listing's own figures.
	scalar   bool
	hsPrefix string
	maxMOQ   int64
	minCap   int64
	price    bool
	// bounds is indexed by docMeta.currency: currency id + 1, so that
	// bounds[0] (no price) passes nothing.
	bounds []priceBounds
	// factors converts each listing currency (by id) into the request's,
	// nil where the table has no rate.
	factors []*big.Rat
	certs   *certDay
	today   int32
}

// priceBounds are a price filter in one listing currency: a listing
// matches when lo <= maxLo and hi >= minHi.
type priceBounds struct {
	ok           bool
	maxLo, minHi int64
}

func (x *Index) plan(p *params, now time.Time, s *scratch) *filterPlan {
	f := &filterPlan{
		hsPrefix: p.hsPrefix, today: today(now), maxMOQ: p.maxMOQ, minCap: p.minCapacity,
	}
	f.certs = x.certBitsFor(f.today)
	if p.categories != 0 || p.shipTo != "" || p.district != "" || p.kind != 0 || p.verifiedOnly || len(p.certs) > 0 {
		fb := bitsetOf(s.fb, len(x.liveBits))
		copy(fb, x.liveBits)
		if p.categories != 0 {
			cats := bitsetOf(s.tmp, len(fb))
			for c := range 8 {
				if p.categories&(1<<c) != 0 {
					cats.or(x.catBits.get(c))
				}
			}
			fb.and(cats)
			s.tmp = cats
		}
		lookup := func(in *interner, v string, bits valueBits) {
			if id, ok := in.lookup(v); ok {
				fb.and(bits.get(int(id)))
			} else {
				f.none = true
			}
		}
		if p.shipTo != "" {
			lookup(&x.countries, p.shipTo, x.countryBits)
		}
		if p.district != "" {
			lookup(&x.districts, p.district, x.distBits)
		}
		for _, c := range p.certs {
			lookup(&x.certTypes, c, f.certs.bits)
		}
		if p.kind != 0 {
			fb.and(x.kindBits.get(int(p.kind)))
		}
		if p.verifiedOnly {
			fb.and(x.verifiedBits)
		}
		s.fb, f.bits = fb, fb
	}
	f.factors = make([]*big.Rat, len(x.currencies.names))
	for id, code := range x.currencies.names {
		if fac, ok := x.rates.factor(code, p.currency); ok {
			f.factors[id] = fac
		}
	}
	if p.priceMin != nil || p.priceMax != nil {
		f.price = true
		f.bounds = make([]priceBounds, len(x.currencies.names)+1)
		for id, fac := range f.factors {
			if fac == nil {
				continue
			}
			b := priceBounds{ok: true, maxLo: math.MaxInt64, minHi: math.MinInt64}
			if p.priceMax != nil {
				b.maxLo = maxBelow(fac, *p.priceMax)
			}
			if p.priceMin != nil {
				b.minHi = minAbove(fac, *p.priceMin)
			}
			f.bounds[id+1] = b
		}
	}
	f.scalar = f.hsPrefix != "" || f.maxMOQ > 0 || f.minCap > 0 || f.price
	return f
}

// scalarPass reports whether document i passes the filters on its own
// figures: quantities, price and HS code.
func (x *Index) scalarPass(i int32, f *filterPlan) bool { return x.scalarKeep(i, f) != 0 }

// scalarKeep is 1 when document i passes the filters on its own figures,
// else 0. The tests are set-on-condition, not short-circuit branches (see
// filterMatches); only the HS code prefix, rare, branches.
func (x *Index) scalarKeep(i int32, f *filterPlan) uint8 {
	keep := uint8(1)
	if f.maxMOQ > 0 {
		q := x.qty[i].moq
		keep &= bit(q >= 0) & bit(q <= f.maxMOQ)
	}
	if f.minCap > 0 {
		keep &= bit(x.qty[i].capacity >= f.minCap) // unknown is -1
	}
	if f.price {
		d := &x.docs[i]
		b := &f.bounds[d.currency]
		keep &= bit(b.ok) & bit(d.lo <= b.maxLo) & bit(d.hi >= b.minHi)
	}
	if f.hsPrefix != "" && keep != 0 && !strings.HasPrefix(x.cold[i].hs, f.hsPrefix) {
		keep = 0
	}
	return keep
}

// scanAll answers a query without text: every searchable listing that
// passes the filters, as a bitset, and offered to s.sel when cands is set.
func (x *Index) scanAll(s *scratch, f *filterPlan, cands bool) bitset {
	if f.none {
		return nil
	}
	src := f.bits
	if src == nil {
		src = x.liveBits
	}
	result := src
	if f.scalar {
		s.rb = bitsetOf(s.rb, len(src))
		result = s.rb
	} else if !cands {
		return result
	}
	for w, word := range src {
		for word != 0 {
			i := int32(w<<6 | bits.TrailingZeros64(word))
			word &= word - 1
			if f.scalar {
				if !x.scalarPass(i, f) {
					continue
				}
				result[w] |= 1 << (uint(i) & 63)
			}
			if cands {
				x.offer(&s.sel, cand{score: staticScore(&x.docs[i]), doc: i})
			}
		}
	}
	return result
}

// staticPage returns the first k members of result in static order: the
// best described listings of verified producers first, then by name.
func (x *Index) staticPage(s *scratch, result bitset, k int) []cand {
	s.cands = s.cands[:0]
	for r := staticRanks - 1; r >= 0 && len(s.cands) < k; r-- {
		for _, d := range x.static[r] {
			if result.has(d) {
				s.cands = append(s.cands, cand{score: staticScore(&x.docs[d]), doc: d})
				if len(s.cands) == k {
					break
				}
			}
		}
	}
	return s.cands
}

// idf is BM25's inverse document frequency.
func idf(n, df int) float32 {
	return float32(math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5)))
}

// evaluate matches the query's units against the posting lists and
// accepts the listings that match every unit, or, when none does, those
// that match any of the significant ones (not a single digit or stop word),
// the listings matching more of them first. A query of weak units only
// matches nothing.
//
// Units are evaluated from the cheapest (shortest posting lists) to the
// dearest, and from the second on only listings that matched all units so
// far are looked at: a query "painted djembe 40" then costs about the
// postings of "painted", not those of "djembe".
func (x *Index) evaluate(s *scratch, units []unit, f *filterPlan) {
	order := make([]int, len(units))
	cost := make([]int, len(units))
	for i := range units {
		order[i] = i
		cost[i] = x.unitCost(&units[i])
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(cost[a], cost[b]) })
	all := uint32(1)<<len(units) - 1
	var strong uint32
	for i := range units {
		if !units[i].weak {
			strong |= 1 << i
		}
	}
	if strong == 0 {
		return
	}

	if len(units) == 1 {
		// The common case: one word. Its matches come from the term
		// cache or are computed and cached; finishSingle fills in the
		// page's match reasons.
		u := &units[0]
		var e *termEntry
		if !x.noTermCache {
			e = x.terms1.get(u.text, x.version)
		}
		if e == nil {
			e = &s.entry
			e.m = x.matchOne(s, u, e.m[:0])
			if len(e.m) >= x.cacheMin() && !x.noTermCache {
				e = &termEntry{m: slices.Clone(e.m)}
				x.terms1.put(u.text, x.version, e)
			}
		}
		s.single = e
		if f.none {
			return
		}
		x.acceptMatches(s, e.m, f)
		return
	}
	var seen uint32
	for k, ui := range order {
		x.evalUnit(s, units, ui, k > 0, seen)
		seen |= 1 << ui
	}
	if !f.none {
		for _, d := range s.touched {
			if m := &s.acc[d]; m.mask == all {
				x.accept(s, d, m.score, f)
			}
		}
	}
	if s.sel.n > 0 || len(units) == 1 || f.none {
		return
	}
	// Nothing has every word: rank what has some significant ones, by how
	// many, then by score.
	for _, d := range s.touched {
		s.acc[d] = acc{}
	}
	s.touched = s.touched[:0]
	for ui := range units {
		x.evalUnit(s, units, ui, false, 0)
	}
	for _, d := range s.touched {
		m := &s.acc[d]
		n := bits.OnesCount32(m.mask & strong)
		if n == 0 {
			continue
		}
		share := float32(bits.OnesCount32(m.mask)) / float32(len(units))
		x.acceptTier(s, d, m.score*share*share, uint8(n), f)
	}
}

// unitCost estimates the postings a unit visits.
func (x *Index) unitCost(u *unit) int {
	n := 0
	for _, t := range u.literal {
		if pl := x.terms[t]; pl != nil {
			n += len(pl.ps)
		}
	}
	for _, c := range u.expanded {
		n += len(x.cdocs[c.id].ps)
	}
	return n
}

// evalUnit adds unit ui's matches to s.acc. With prune set, only listings
// whose matched units are exactly seen are considered.
func (x *Index) evalUnit(s *scratch, units []unit, ui int, prune bool, seen uint32) {
	u := &units[ui]
	x.accumulate(s, u, prune, seen)
	ua, ac := s.uacc, s.acc
	for _, d := range s.uList {
		a := &ua[d]
		if sc, rb, si := fold(a, u); sc > 0 {
			m := &ac[d]
			if m.mask == 0 {
				s.touched = append(s.touched, d)
			}
			m.mask |= 1 << ui
			m.score += sc
			if ui < maxReasonUnits {
				m.reasons |= uint64(rb) << (8 * ui)
				m.syn |= uint64(si) << (8 * ui)
			}
		}
	}
}

// fold returns a document's score for a unit (its literal match, or its
// best synonym if that scores higher), the fields that matched and the
// synonym used (0 for none). Scores are never negative, so their bits
// order as they do, and the choice compiles to conditional moves: which
// side wins is a coin toss across a broad query's matches, and a
// mispredicted branch per match cost more than the rest of fold.
func fold(a *uacc, u *unit) (float32, uint8, uint8) {
	// A unit without literal terms has full == 0 == a.lit: a "literal
	// match" of score 0 and no fields, which any synonym beats.
	full := uint32(1)<<len(u.literal) - 1
	var lit, syn uint32 // all ones when the literal match counts, when the synonym wins
	if a.lit == full {
		lit = ^uint32(0)
	}
	sc, ss := math.Float32bits(a.score)&lit, math.Float32bits(a.syn)
	if ss > sc {
		syn = ^uint32(0)
	}
	sc = sc&^syn | ss&syn
	rb := a.fields&0x0F&uint8(lit)&^uint8(syn) | a.fields&0xF0&uint8(syn)
	si := a.synIdx & uint8(syn)
	return math.Float32frombits(sc), rb, si
}

// blockSlots is how many slots matchOne folds at a time: their
// accumulators (20 bytes each) stay in the core's own cache.
const blockSlots = 4096

// source is one posting list of a unit being matched by matchOne, with
// what its postings add to a slot's accumulator.
type source struct {
	ps  []posting
	w   float32 // idf (literal) or shared idf times the concept's factor
	bit uint32  // the literal term's bit in uacc.lit; 0 for a concept
	si  uint8   // 1 + the concept's index in unit.expanded
}

// matchOne appends to out the matches of one unit, in slot order, with
// their scores, fields and synonyms: what accumulate, synonyms and fold
// give, computed alike (the same operations on each slot in the same
// order, so the same floats). It reads the unit's posting lists side by
// side, a block of blockSlots slots at a time, into a small array of
// accumulators that stays in cache, rather than through one accumulator per
// listing of the catalogue (megabytes at 300,000 listings) and a bitset to
// sort the matches afterwards. It needs the lists in slot order.
func (x *Index) matchOne(s *scratch, u *unit, out []termMatch) []termMatch {
	n := x.live
	srcs := s.srcs[:0]
	for j, term := range u.literal {
		if pl := x.terms[term]; pl != nil && len(pl.ps) > 0 {
			srcs = append(srcs, source{ps: pl.ps, w: idf(n, len(pl.ps)), bit: 1 << j})
		}
	}
	cdf := 0
	for _, c := range u.expanded {
		cdf = max(cdf, len(x.cdocs[c.id].ps))
	}
	if cdf > 0 {
		cw := idf(n, cdf)
		for ci, c := range u.expanded {
			if ps := x.cdocs[c.id].ps; len(ps) > 0 {
				srcs = append(srcs, source{ps: ps, w: cw * c.factor, si: uint8(min(ci+1, 255))})
			}
		}
	}
	if len(s.block) < blockSlots {
		s.block = make([]uacc, blockSlots)
	}
	blk := s.block[:blockSlots]
	var touched [blockSlots / 64]uint64
	for len(srcs) > 0 {
		lo := srcs[0].ps[0].id
		for i := 1; i < len(srcs); i++ {
			lo = min(lo, srcs[i].ps[0].id)
		}
		base := lo &^ (blockSlots - 1)
		end := base + blockSlots
		for i := range srcs {
			sr := &srcs[i]
			ps := sr.ps
			k := 0
			if sr.bit != 0 {
				for ; k < len(ps) && ps[k].id < end; k++ {
					o := ps[k].id - base
					touched[o>>6] |= 1 << (uint(o) & 63)
					a := &blk[o]
					a.lit |= sr.bit
					a.score += sr.w * ps[k].weight()
					a.fields |= ps[k].fields()
				}
			} else {
				for ; k < len(ps) && ps[k].id < end; k++ {
					o := ps[k].id - base
					touched[o>>6] |= 1 << (uint(o) & 63)
					a := &blk[o]
					if sc := sr.w * ps[k].weight(); sc > a.syn {
						a.syn, a.synIdx = sc, sr.si
						a.fields = a.fields&0x0F | ps[k].fields()<<4
					}
				}
			}
			sr.ps = ps[k:]
		}
		for w, word := range touched {
			for word != 0 {
				o := int32(w<<6 | bits.TrailingZeros64(word))
				word &= word - 1
				a := &blk[o]
				if sc, rb, si := fold(a, u); sc > 0 {
					out = append(out, termMatch{doc: base + o, score: sc, why: uint16(rb) | uint16(si)<<8})
				}
				*a = uacc{}
			}
			touched[w] = 0
		}
		srcs = slices.DeleteFunc(srcs, func(sr source) bool { return len(sr.ps) == 0 })
	}
	s.srcs = srcs[:0]
	return out
}

// finishSingle ends a one-word query: it records the match reasons of the
// page's hits and resets the unit accumulators.
func (x *Index) finishSingle(s *scratch, units []unit, page []cand) {
	if s.single == nil {
		return
	}
	for _, c := range page {
		tm := s.single.find(c.doc)
		m := &s.acc[c.doc]
		if m.mask == 0 {
			s.touched = append(s.touched, c.doc)
		}
		*m = acc{score: tm.score, mask: 1, reasons: uint64(tm.why & 0xFF), syn: uint64(tm.why >> 8)}
	}
	s.single = nil
}

// accumulate adds a unit's literal and synonym matches to s.uacc, listing
// the documents in s.uList.
func (x *Index) accumulate(s *scratch, u *unit, prune bool, seen uint32) {
	n := x.live
	ac := s.acc
	if len(s.uacc) < len(ac) {
		s.uacc = make([]uacc, len(ac)) // zero: older than any generation
	}
	s.uList = s.uList[:0]
	s.gen++
	if s.gen == 0 {
		// Wrapped around: old stamps could collide; start clean.
		clear(s.uacc)
		s.gen = 1
	}
	for j, term := range u.literal {
		pl := x.terms[term]
		if pl == nil {
			continue
		}
		w := idf(n, len(pl.ps))
		bit := uint32(1) << j
		for _, pp := range pl.ps {
			if prune && ac[pp.id].mask != seen {
				continue
			}
			a := s.touch(pp.id)
			a.lit |= bit
			a.score += w * pp.weight()
			a.fields |= pp.fields()
		}
	}
	x.synonyms(s, u, n, prune, seen)
}

// synonyms adds the unit's concept matches to s.uacc. All concepts of a
// unit share one idf, that of the broadest (most frequent) of them, so that
// a rare narrower concept (Utsuri) cannot outscore the word the buyer typed
// (koi); the unit keeps the best concept.
func (x *Index) synonyms(s *scratch, u *unit, n int, prune bool, seen uint32) {
	cdf := 0
	for _, c := range u.expanded {
		cdf = max(cdf, len(x.cdocs[c.id].ps))
	}
	if cdf == 0 {
		return
	}
	cw := idf(n, cdf)
	ac := s.acc
	for ci, c := range u.expanded {
		w := cw * c.factor
		si := uint8(min(ci+1, 255))
		for _, pp := range x.cdocs[c.id].ps {
			if prune && ac[pp.id].mask != seen {
				continue
			}
			a := s.touch(pp.id)
			if sc := w * pp.weight(); sc > a.syn {
				a.syn, a.synIdx = sc, si
				a.fields = a.fields&0x0F | pp.fields()<<4
			}
		}
	}
}

// accept offers document d to the page's selection if it passes the
// filters, and adds it to the result.
func (x *Index) accept(s *scratch, d int32, score float32, f *filterPlan) {
	x.acceptTier(s, d, score, 0, f)
}

// acceptTier is accept for a listing matching only some of the query's
// words: tier is how many significant ones (see cand).
func (x *Index) acceptTier(s *scratch, d int32, score float32, tier uint8, f *filterPlan) {
	if f.bits != nil && !f.bits.has(d) || f.scalar && !x.scalarPass(d, f) {
		return
	}
	x.offer(&s.sel, cand{score: score * x.boosts[d], doc: d, tier: tier})
	s.rb[d>>6] |= 1 << (uint(d) & 63)
}

// acceptMatches is accept for each of a one-word query's matches (which
// can be most of the catalogue), with the candidates that cannot make the
// page turned away before the call: a full selection's worst kept key is
// read once per match, not through offer.
func (x *Index) acceptMatches(s *scratch, ms []termMatch, f *filterPlan) {
	if f.bits != nil || f.scalar {
		ms = x.filterMatches(s, ms, f)
	}
	t, rb, boosts := &s.sel, s.rb, x.boosts
	for _, m := range ms {
		d := m.doc
		rb[d>>6] |= 1 << (uint(d) & 63)
		c := cand{score: m.score * boosts[d], doc: d}
		c.key = t.key(c)
		if len(t.h) == t.k && t.k > 0 && c.key > t.h[0].key {
			// The common case, decided here rather than in a call: it
			// loses to the worst kept (equal keys go to push, which
			// compares names).
			t.n++
			continue
		}
		x.push(t, c)
	}
}

// filterMatches returns the matches that pass the filters, in s.passed.
// Whether a listing passes is computed without branching on it (the
// tests become conditional moves): a branch per test, mispredicted for a
// good share of a broad query's matches, threw away the reads of the
// following listings' figures already under way, so that each waited for
// memory in turn. Only the filter on the HS code prefix, rare, branches.
func (x *Index) filterMatches(s *scratch, ms []termMatch, f *filterPlan) []termMatch {
	if cap(s.passed) < len(ms) {
		s.passed = make([]termMatch, len(ms))
	}
	out := s.passed[:len(ms)]
	n := 0
	if fb := f.bits; fb != nil {
		// The bitsets first: they are small and in cache, and usually
		// leave few listings whose own figures need reading.
		for _, m := range ms {
			d := m.doc
			out[n] = m
			n += int(fb[d>>6]>>(uint(d)&63)) & 1
		}
		ms, n = out[:n], 0
	}
	if !f.scalar {
		return ms
	}
	for _, m := range ms { // may be out itself: n never passes the reading index
		out[n] = m
		n += int(x.scalarKeep(m.doc, f))
	}
	return out[:n]
}

// bit is 1 for true: a SETcc, where && or || would branch.
func bit(b bool) uint8 {
	var r uint8
	if b {
		r = 1
	}
	return r
}

// topK selects the k best candidates for the requested order as they are
// offered: ascending keys first (unknown values last), ties by name. It is
// a bounded max-heap (a top-k selection, not a sort): each candidate's key
// is read from a dense per-slot array (or is its score) and compared with
// the worst of the k kept, which most candidates of a broad query lose at
// once; names are compared only between equal keys. Nothing is kept for
// the candidates that lose, so a query matching 100,000 listings writes no
// list of them.
type topK struct {
	h    []cand
	k    int
	keys []float64 // sort key by slot; nil for relevance
	sign float64
	n    int // candidates offered
}

// startTop prepares t for the page of p: its candidates and those before.
func (x *Index) startTop(t *topK, p *params) {
	t.h, t.n, t.k = t.h[:0], 0, p.offset+p.pageSize
	t.keys, t.sign = nil, 1
	switch p.order {
	case pb.SearchListingsRequest_PRICE_ASCENDING:
		t.keys = x.priceBase
	case pb.SearchListingsRequest_PRICE_DESCENDING:
		t.keys, t.sign = x.priceBase, -1
	case pb.SearchListingsRequest_CAPACITY_DESCENDING:
		t.keys = x.capacity
	case pb.SearchListingsRequest_NEWEST:
		t.keys = x.newest
	}
}

// key is c's sort key for the requested order: ascending is better,
// unknown values (+Inf) last.
func (t *topK) key(c cand) float64 {
	if t.keys == nil {
		return -float64(c.tier)*tierStep - float64(c.score)
	}
	k := t.keys[c.doc]
	if !math.IsInf(k, 1) {
		k *= t.sign
	}
	return k
}

// offer counts c and keeps it if it is among the k best so far.
func (x *Index) offer(t *topK, c cand) {
	c.key = t.key(c)
	x.push(t, c)
}

// push is offer for a candidate whose key is set.
func (x *Index) push(t *topK, c cand) {
	t.n++
	h := t.h
	if len(h) < t.k {
		t.h = append(h, c)
		x.heapUp(t.h, len(t.h)-1)
		return
	}
	if len(h) == 0 || c.key > h[0].key || c.key == h[0].key && x.cold[c.doc].rec.name > x.cold[h[0].doc].rec.name {
		return
	}
	h[0] = c
	x.heapDown(h, 0)
}

// endTop returns the kept candidates in order.
func (x *Index) endTop(t *topK) []cand {
	slices.SortFunc(t.h, x.less)
	return t.h
}

// less orders candidates by key, then name.
func (x *Index) less(a, b cand) int {
	switch {
	case a.key < b.key:
		return -1
	case a.key > b.key:
		return 1
	}
	return strings.Compare(x.cold[a.doc].rec.name, x.cold[b.doc].rec.name)
}

// heapUp and heapDown keep h a max-heap by (key, name): the root is the
// worst candidate kept.
func (x *Index) heapUp(h []cand, i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if x.less(h[parent], h[i]) >= 0 {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func (x *Index) heapDown(h []cand, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		w := l
		if r := l + 1; r < len(h) && x.less(h[r], h[l]) > 0 {
			w = r
		}
		if x.less(h[w], h[i]) <= 0 {
			return
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// hitBuf is what the hits of one response share.
type hitBuf struct {
	hits []pb.SearchHit
	sums map[int32]*pb.ProducerSummary // by producer slot
	// before and after are the reasons that do not depend on the listing,
	// before and after the ones that do.
	before []string
	after  string
	// basic hits show only what the BASIC view shows (see basicWire);
	// wire is the scratch space for decoding it.
	basic bool
	wire  []byte
}

// hit builds search hit i of the response.
func (x *Index) hit(s *scratch, p *params, f *filterPlan, c cand, hb *hitBuf, i int) *pb.SearchHit {
	d := &x.docs[c.doc]
	l := x.hitListings.listing(x.cold[c.doc].rec, hb.basic, &hb.wire)
	pr := x.producers[d.producer]
	sum, ok := hb.sums[d.producer]
	if !ok {
		sum = x.summary(pr, f.today)
		hb.sums[d.producer] = sum
	}
	h := &hb.hits[i]
	h.Listing = l
	h.Producer = sum
	h.Score = math.Round(float64(c.score)*1e4) / 1e4
	if d.currency != 0 {
		if fac := f.factors[d.currency-1]; fac != nil {
			h.ConvertedPriceMin = money.FromMinor(p.currency, convertMinor(fac, d.lo))
			h.ConvertedPriceMax = money.FromMinor(p.currency, convertMinor(fac, d.hi))
		}
	}
	h.MatchReasons = x.reasons(s, p, c.doc, d, hb)
	return h
}

// Fields of Listing the BASIC view (AIP-157) leaves out of search hits,
// which keep only the first image.
var (
	fnDescription = messageField(&pb.Listing{}, "description")
	fnAttributes  = messageField(&pb.Listing{}, "attributes")
	fnCreateTime  = messageField(&pb.Listing{}, "create_time")
	fnUpdateTime  = messageField(&pb.Listing{}, "update_time")
	fnEtag        = messageField(&pb.Listing{}, "etag")
	fnImageURIs   = messageField(&pb.Listing{}, "image_uris")
)

// basicWire appends to dst the wire form of a listing without the fields
// the BASIC view leaves out, so that a hit does not decode (allocate) a
// description, an attribute map and timestamps only to drop them.
func basicWire(dst, data []byte) []byte {
	images := 0
	for b := data; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return append(dst[:0], data...)
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return append(dst[:0], data...)
		}
		field := b[:n+m]
		b = b[n+m:]
		switch num {
		case fnDescription, fnAttributes, fnCreateTime, fnUpdateTime, fnEtag:
			continue
		case fnImageURIs:
			if images++; images > 1 {
				continue
			}
		}
		dst = append(dst, field...)
	}
	return dst
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
func (x *Index) reasons(s *scratch, p *params, doc int32, d *docMeta, hb *hitBuf) []string {
	n := min(len(p.units), maxReasonUnits) + len(hb.before) + 2
	if hb.after != "" {
		n++
	}
	out := make([]string, 0, n)
	if len(p.units) > 0 {
		r := s.acc[doc].reasons
		for ui, u := range p.units {
			if ui >= maxReasonUnits {
				break
			}
			if s.acc[doc].mask&(1<<ui) == 0 {
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
			si := int(uint8(s.acc[doc].syn >> (8 * ui)))
			if si == 0 || si > len(u.expanded) {
				continue
			}
			c := u.expanded[si-1]
			label := x.vocab.concepts[c.id].label
			if c.direct {
				out = append(out, fmt.Sprintf("%q is a synonym of %s (%s)", u.text, label, fieldList(b>>4)))
			} else {
				out = append(out, fmt.Sprintf("%q includes %s (%s)", u.text, label, fieldList(b>>4)))
			}
		}
	}
	out = append(out, hb.before...)
	if p.maxMOQ > 0 {
		out = append(out, fmt.Sprintf("minimum order %d, within %d", x.qty[doc].moq, p.maxMOQ))
	}
	if p.minCapacity > 0 {
		out = append(out, fmt.Sprintf("monthly capacity %d, at least %d", x.qty[doc].capacity, p.minCapacity))
	}
	if hb.after != "" {
		out = append(out, hb.after)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// staticReasons are the reasons every hit of the query shares, which come
// after the text reasons and before the listing's own figures.
func (x *Index) staticReasons(p *params) []string {
	var out []string
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
	return out
}

// priceReason is the last reason of every hit of a query with a price
// range, or "".
func priceReason(p *params) string {
	if p.priceMin == nil && p.priceMax == nil {
		return ""
	}
	lo, hi := "any", "any"
	if p.priceMin != nil {
		lo = formatMinor(p.currency, *p.priceMin)
	}
	if p.priceMax != nil {
		hi = formatMinor(p.currency, *p.priceMax)
	}
	return fmt.Sprintf("price range overlaps %s to %s", lo, hi)
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

// facetCount is one value of a facet (its interned id) and how many
// listings of a result have it.
type facetCount struct {
	id, n int32
}

// facetFields are the facets of every response, in order, with the
// bitsets of their values.
var facetFields = [...]string{"category", "district", "ship_to_country_code", "certification_type"}

// facets returns the facets of a response: its result counted by category,
// district, ship-to country and certificate type valid today. The counts of
// a broad query without filters (browsing everything, or one word) are
// kept until the next write (facetCache): they cost a pass over every
// value's bitset, and the same few words are asked again and again.
func (x *Index) facets(result bitset, f *filterPlan, key string) []*pb.Facet {
	var counts *[len(facetFields)][]facetCount
	if key != "" {
		counts = x.facetMemo.get(key, x.version, f.today)
	}
	if counts == nil {
		counts = x.countFacets(result, f)
		if key != "" {
			x.facetMemo.put(key, x.version, f.today, counts)
		}
	}
	out := make([]*pb.Facet, len(facetFields))
	for i, field := range facetFields {
		fc := &pb.Facet{Field: field}
		if n := len(counts[i]); n > 0 {
			// The values of a facet in one allocation, not one each.
			vals := make([]pb.FacetValue, n)
			fc.Values = make([]*pb.FacetValue, n)
			for j, c := range counts[i] {
				vals[j].Value, vals[j].Count = x.facetValueName(i, c.id), c.n
				fc.Values[j] = &vals[j]
			}
		}
		out[i] = fc
	}
	return out
}

// facetValueName is the name of value id of facet i (of facetFields).
func (x *Index) facetValueName(i int, id int32) string {
	switch i {
	case 0:
		return pb.Category(id).String()
	case 1:
		return x.districts.names[id]
	case 2:
		return x.countries.names[id]
	default:
		return x.certTypes.names[id]
	}
}

// countFacets counts each value by one pass of AND and population count
// over the result and the value's bitset, and orders a facet's values by
// count, then name.
func (x *Index) countFacets(result bitset, f *filterPlan) *[len(facetFields)][]facetCount {
	// Only the words where the result has members matter.
	lo, hi := 0, len(result)
	for lo < hi && result[lo] == 0 {
		lo++
	}
	for hi > lo && result[hi-1] == 0 {
		hi--
	}
	result = result[lo:hi]
	var out [len(facetFields)][]facetCount
	if len(result) == 0 {
		return &out
	}
	// The result's summary: a bit per word with members.
	nz := make(bitset, (len(result)+63)/64)
	for w, word := range result {
		if word != 0 {
			nz[w>>6] |= 1 << (uint(w) & 63)
		}
	}
	vbs := [len(facetFields)]valueBits{x.catBits, x.distBits, x.countryBits, f.certs.bits}
	for i, vb := range vbs {
		var cs []facetCount
		for id := range vb.len() {
			if n := vb.andCount(id, result, lo, nz); n > 0 {
				cs = append(cs, facetCount{id: int32(id), n: int32(n)})
			}
		}
		slices.SortFunc(cs, func(a, b facetCount) int {
			if c := cmp.Compare(b.n, a.n); c != 0 {
				return c
			}
			return strings.Compare(x.facetValueName(i, a.id), x.facetValueName(i, b.id))
		})
		out[i] = cs
	}
	return &out
}
