package matching

import (
	"slices"
	"strings"
	"time"

	moneypb "google.golang.org/genproto/googleapis/type/money"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/certday"
	"github.com/adiekspor/temubisnis/internal/requirement"
)

// Relaxable hard constraints, as bit positions in a failure mask. The
// required certification types follow from bitCert0 on, one bit each.
const (
	bitProduct = 0 // the HS prefix, relaxable only when a category is also given
	bitDest    = 1
	bitCert0   = 2
	// maxCertBits is how many required types get a bit of their own; a
	// request naming more (validation allows far fewer) still has every
	// type enforced, the surplus only gets no relaxation hint.
	maxCertBits = 64 - bitCert0
)

// query is a buying request prepared for matching: defaults applied, codes
// packed, dates turned into day numbers, the target price parsed once.
type query struct {
	req       *pb.BuyingRequest
	category  pb.Category
	prefix    string
	prefixKey hsKey
	// dest is the destination, the buyer's country when the request names
	// none; empty when neither is known, and then there is no destination
	// constraint.
	dest     string
	destKey  uint16
	required []string
	reqTypes []int32 // interned; -1 for a type no producer holds
	qty      int64
	unitID   int32 // interned normalized unit; -1 when no listing uses it
	now      time.Time
	today    int
	// neededBy is the needed-by day; hasNeededBy is false when the request
	// has no (valid) needed-by date.
	neededBy    int
	hasNeededBy bool
	// window is the number of days from today to the needed-by date, or
	// DefaultHorizonDays without one.
	window int
	// target is the target price per unit; nil when none or unusable.
	target      *moneypb.Money
	targetMinor int64
	targetScale int
	// wordCategory is the category whose producer word explanations use.
	wordCategory pb.Category
}

// pinfo holds what one query needs to know about one producer, computed
// once per producer and request rather than once per listing. gen tells
// whether the entry belongs to the current request.
type pinfo struct {
	gen uint32
	// reqValid has bit i set when required type i is held valid today.
	reqValid uint64
	// extraOK reports that every required type beyond maxCertBits is held.
	extraOK  bool
	exported bool // has exported to q.dest before
	hasStats bool
	stats    ProducerStats
	// ready caches export readiness per readiness group: the common case
	// is one or two groups (HS codes) per producer and request.
	ready  [4]readyEntry
	nready int
}

type readyEntry struct {
	group int32
	met   int32
}

// rgroup is a product (category and HS code) whose mandatory exporter-side
// requirements for q.dest have been looked up.
type rgroup struct {
	// For each row, the interned certification types of which a valid one
	// meets it (requirement.QualifyingTypes); -1 for a type no producer
	// holds; an empty list for a per-shipment paper any firm can obtain.
	rows [][]int32
}

type gkey struct {
	category pb.Category
	hs       string
}

type groupRef struct {
	gen uint32
	g   int32
}

// qual is a listing that passed every hard constraint.
type qual struct {
	f     *lfacts
	score float64
}

// nearMiss is a listing that fails exactly one relaxable constraint.
type nearMiss struct {
	bit  int
	prod int32
}

const arenaChunk = 1024

// matcher is the scratch state of one call. Matchers are pooled so that
// their slices and maps are reused across calls instead of reallocated.
type matcher struct {
	e   *Engine
	q   query
	idx *index
	// mutable is true when idx is the matcher's own scratch index, which
	// may intern new strings; a SliceSource's index is shared by
	// concurrent calls and only read.
	mutable bool
	scratch index
	ptrs    map[*pb.Producer]int32
	tmp     lfacts
	arena   [][]lfacts
	arenaN  int

	gen     uint32
	pinfos  []pinfo
	groupOf []groupRef
	groups  []rgroup
	targets []target
	quals   []qual
	near    []nearMiss
	heap    []int32
	order   []int32
	pbest   []groupRef
	members []member
}

// indexed is implemented by Sources that carry a compiled index.
type indexed interface {
	compiled() *index
}

func (s *SliceSource) compiled() *index { return s.idx }

func newMatcher(e *Engine) *matcher {
	return &matcher{
		e:       e,
		scratch: index{dict: newDict()},
		ptrs:    map[*pb.Producer]int32{},
	}
}

// useIndex starts a call on idx, or on the scratch index when idx is nil.
func (m *matcher) useIndex(idx *index) {
	if idx != nil {
		m.idx, m.mutable = idx, false
	} else {
		m.scratch.reset()
		clear(m.scratch.producers)
		m.scratch.producers = m.scratch.producers[:0]
		clear(m.ptrs)
		m.arenaN = 0
		m.idx, m.mutable = &m.scratch, true
	}
	if n := len(m.idx.producers); len(m.pinfos) < n {
		m.pinfos = append(m.pinfos, make([]pinfo, n-len(m.pinfos))...)
	}
}

// release drops references to messages so that a pooled matcher does not
// keep an old catalogue alive.
func (m *matcher) release() {
	m.q = query{required: m.q.required[:0], reqTypes: m.q.reqTypes[:0]}
	m.idx = nil
	if m.mutable {
		m.scratch.reset()
		clear(m.scratch.producers)
		m.scratch.producers = m.scratch.producers[:0]
		clear(m.ptrs)
		for _, c := range m.arena {
			clear(c)
		}
		m.arenaN = 0
	}
	m.tmp = lfacts{}
	clear(m.quals)
	m.quals = m.quals[:0]
	m.near = m.near[:0]
	m.heap = m.heap[:0]
	m.order = m.order[:0]
	m.groups = m.groups[:0]
	m.members = m.members[:0]
}

// nextGen starts a new request: every per-request cache entry stamped with
// an older generation is stale from now on.
func (m *matcher) nextGen() {
	m.gen++
	if m.gen == 0 {
		// Wrapped around: old stamps could collide, so wipe them.
		clear(m.pinfos)
		clear(m.groupOf)
		clear(m.targets)
		clear(m.pbest)
		m.gen = 1
	}
}

// setQuery prepares m for one request on the current index. It reports
// false when the request names no product at all (validation requires a
// category or an HS prefix; with neither, every listing would "match",
// which helps nobody).
func (m *matcher) setQuery(req *pb.BuyingRequest, buyer *pb.Buyer, now time.Time) bool {
	m.nextGen()
	m.quals = m.quals[:0]
	m.near = m.near[:0]
	m.groups = m.groups[:0]
	q := &m.q
	*q = query{required: q.required[:0], reqTypes: q.reqTypes[:0]}
	q.req = req
	q.now = now
	q.today = dayOf(now)
	q.category = req.GetCategory()
	q.prefix = strings.TrimSpace(req.GetHsPrefix())
	q.prefixKey = packHS(q.prefix)
	q.dest = req.GetDestinationCountryCode()
	if q.dest == "" {
		q.dest = buyer.GetCountryCode()
	}
	q.destKey = countryKey(q.dest)
	for _, t := range req.GetRequiredCertificationTypes() {
		if t != "" && !contains(q.required, t) {
			q.required = append(q.required, t)
			q.reqTypes = append(q.reqTypes, m.typeID(t))
		}
	}
	q.qty = req.GetQuantity()
	q.unitID = m.unitID(req.GetUnit())
	if nb := req.GetNeededByDate(); !noDate(nb) {
		q.neededBy, q.hasNeededBy = dateDay(nb)
	}
	q.window = DefaultHorizonDays
	if q.hasNeededBy {
		q.window = q.neededBy - q.today
	}
	if t := req.GetTargetPrice(); t != nil {
		if scale, err := scaleOf(t.GetCurrencyCode()); err == nil {
			if minor, ok := minorOf(t, scale); ok && minor > 0 {
				q.target, q.targetMinor, q.targetScale = t, minor, scale
			}
		}
	}
	q.wordCategory = q.category
	if q.wordCategory == pb.Category_CATEGORY_UNSPECIFIED {
		q.wordCategory = categoryOfHS(q.prefix)
	}
	return q.category != pb.Category_CATEGORY_UNSPECIFIED || q.prefix != ""
}

// typeID returns the interned certification type, -1 when the index has
// never seen it (then no producer of the index holds it).
func (m *matcher) typeID(t string) int32 {
	if m.mutable {
		return m.idx.typ(t)
	}
	if id, ok := m.idx.types[t]; ok {
		return id
	}
	return -1
}

func (m *matcher) unitID(u string) int32 {
	if m.mutable {
		return m.idx.unit(u)
	}
	if id, ok := m.idx.units[normalizeUnit(u)]; ok {
		return id
	}
	return -1
}

// addProducer returns the scratch index of p, compiling it on first use.
func (m *matcher) addProducer(p *pb.Producer) int32 {
	if i, ok := m.ptrs[p]; ok {
		return i
	}
	i := int32(len(m.idx.producers))
	m.idx.producers = append(m.idx.producers, pfacts{})
	m.idx.compileProducer(&m.idx.producers[i], p)
	m.ptrs[p] = i
	if len(m.pinfos) <= int(i) {
		m.pinfos = append(m.pinfos, pinfo{})
	}
	return i
}

// keep copies a compiled listing of the scratch index into the arena, whose
// chunks never move, so that quals can point at it.
func (m *matcher) keep(f *lfacts) *lfacts {
	c, i := m.arenaN/arenaChunk, m.arenaN%arenaChunk
	if c == len(m.arena) {
		m.arena = append(m.arena, make([]lfacts, arenaChunk))
	}
	m.arenaN++
	m.arena[c][i] = *f
	return &m.arena[c][i]
}

// checkListing applies the hard constraints that depend on the listing
// alone. fatal means excluded for a reason no relaxation hint could lift
// (wrong state, wrong category, wrong HS code when no category is given).
func (m *matcher) checkListing(f *lfacts) (fails uint64, fatal bool) {
	q := &m.q
	if !f.active {
		return 0, true
	}
	if q.category != pb.Category_CATEGORY_UNSPECIFIED && f.category != q.category {
		return 0, true
	}
	if q.prefix != "" {
		switch {
		case !f.hasHS:
			// Without a code the product can be judged only by its
			// category; that needs the request to give one.
			if q.category == pb.Category_CATEGORY_UNSPECIFIED {
				return 0, true
			}
		case !m.hsMatch(f):
			if q.category == pb.Category_CATEGORY_UNSPECIFIED {
				return 0, true
			}
			fails |= 1 << bitProduct
		}
	}
	if q.dest != "" && !m.shipsTo(f) {
		// An empty list means "not stated": we cannot confirm the listing
		// ships there, and missing data never counts as a match.
		fails |= 1 << bitDest
	}
	return fails, false
}

func (m *matcher) hsMatch(f *lfacts) bool {
	if f.hs.ok && m.q.prefixKey.ok {
		return f.hs.hasPrefix(m.q.prefixKey)
	}
	return strings.HasPrefix(f.l.GetHsCode(), m.q.prefix)
}

func (m *matcher) shipsTo(f *lfacts) bool {
	if !f.shipRaw && m.q.destKey != 0 {
		for _, c := range f.ship[:f.nship] {
			if c == m.q.destKey {
				return true
			}
		}
		return false
	}
	return contains(f.l.GetShipToCountryCodes(), m.q.dest)
}

// checkProducer applies the certification constraints.
func (m *matcher) checkProducer(pi *pinfo) (fails uint64, fatal bool) {
	n := min(len(m.q.reqTypes), maxCertBits)
	all := uint64(1)<<n - 1
	return (all &^ pi.reqValid) << bitCert0, !pi.extraOK
}

// pinfo returns the facts of producer prod for the current request.
func (m *matcher) pinfo(prod int32) *pinfo {
	pi := &m.pinfos[prod]
	if pi.gen != m.gen {
		m.fillProducer(pi, &m.idx.producers[prod])
	}
	return pi
}

func (m *matcher) fillProducer(pi *pinfo, pf *pfacts) {
	q := &m.q
	*pi = pinfo{gen: m.gen, extraOK: true}
	for i, t := range q.reqTypes {
		held := pf.holds(t, q.today)
		switch {
		case i < maxCertBits && held:
			pi.reqValid |= 1 << i
		case i >= maxCertBits && !held:
			pi.extraOK = false
		}
	}
	if q.dest != "" {
		if q.destKey != 0 {
			for _, c := range pf.exports {
				if c == q.destKey {
					pi.exported = true
					break
				}
			}
		}
		if !pi.exported && (pf.exportsRaw || q.destKey == 0) {
			for _, r := range pf.p.GetExportHistory() {
				if r.GetCountryCode() == q.dest {
					pi.exported = true
					break
				}
			}
		}
	}
	if m.e.stats != nil && pf.p.GetName() != "" {
		pi.stats = m.e.stats(pf.p.GetName())
		pi.hasStats = true
	}
}

// group returns the readiness group of a listing's product.
func (m *matcher) group(f *lfacts) int32 {
	if n := len(m.idx.productKey); len(m.groupOf) < n {
		m.groupOf = append(m.groupOf, make([]groupRef, n-len(m.groupOf))...)
	}
	ref := &m.groupOf[f.product]
	if ref.gen == m.gen {
		return ref.g
	}
	k := m.idx.productKey[f.product]
	var g rgroup
	for _, r := range requirement.Applicable(m.e.reqs, k.hs, k.category, m.q.dest) {
		// The rows that count in requirement.Check's score, met as Check
		// meets them. An empty type can never be met.
		if requirement.CountsInScore(r) {
			qt := requirement.QualifyingTypes(r)
			ids := make([]int32, 0, len(qt))
			for _, t := range qt {
				id := int32(-1)
				if t != "" {
					id = m.typeID(t)
				}
				ids = append(ids, id)
			}
			g.rows = append(g.rows, ids)
		}
	}
	*ref = groupRef{gen: m.gen, g: int32(len(m.groups))}
	m.groups = append(m.groups, g)
	return ref.g
}

// readiness returns how many of the mandatory exporter-side rows of the
// listing's product the producer meets, and how many there are.
func (m *matcher) readiness(f *lfacts, pi *pinfo) (met, total int) {
	gi := m.group(f)
	rows := m.groups[gi].rows
	total = len(rows)
	for i := range pi.nready {
		if pi.ready[i].group == gi {
			return int(pi.ready[i].met), total
		}
	}
	pf := &m.idx.producers[f.prod]
	for _, ids := range rows {
		if len(ids) == 0 || slices.ContainsFunc(ids, func(t int32) bool { return pf.holds(t, m.q.today) }) {
			met++
		}
	}
	if pi.nready < len(pi.ready) {
		pi.ready[pi.nready] = readyEntry{group: gi, met: int32(met)}
		pi.nready++
	}
	return met, total
}

// bestExpiry returns the latest expiry day among the certificates of type
// typ in force on day; dated is false when one of them does not expire.
func bestExpiry(certs []*pb.Certification, typ string, day int) (exp int, dated, ok bool) {
	for _, c := range certs {
		if c.GetType() != typ {
			continue
		}
		span, valid := certday.SpanOf(c)
		switch {
		case !valid || !span.Covers(certday.Day(day)):
		case !span.Expires():
			return 0, false, true
		case !ok || int(span.Until) > exp:
			exp, dated, ok = int(span.Until), true, true
		}
	}
	return exp, dated, ok
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
