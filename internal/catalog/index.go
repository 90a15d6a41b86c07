package catalog

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/certday"
	"github.com/adiekspor/temubisnis/internal/money"
	"github.com/adiekspor/temubisnis/internal/money/fx"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// Text fields of a listing, as bits of a posting's field mask.
const (
	fieldTitle uint8 = 1 << iota
	fieldAttributes
	fieldProducer // display name and district of the producer
	fieldDescription
	numFields = 4
)

// Field boosts and the typical field lengths (in tokens) that BM25's length
// normalisation compares against. The lengths are constants rather than
// running averages so that a posting's weight never changes after it is
// written.
var (
	fieldBoost  = [numFields]float32{3, 2, 1.5, 1}
	fieldAvgLen = [numFields]float32{8, 10, 4, 40}
)

const (
	bm25K1 = 1.2
	bm25B  = 0.5
	// weightScale is the fixed-point scale of a posting weight.
	weightScale = 4096
)

// posting is one entry of a posting list: a document (or producer) slot and
// its weight for the term, with the fields the term occurs in. The weight is
// fixed point in the upper 28 bits of meta, so that a posting takes 8 bytes.
type posting struct {
	id   int32
	meta uint32
}

func newPosting(id int32, w float32, fields uint8) posting {
	q := uint32(w*weightScale + 0.5)
	if q > 1<<28-1 {
		q = 1<<28 - 1
	}
	return posting{id: id, meta: q<<4 | uint32(fields&0xF)}
}

func (p posting) weight() float32 { return float32(p.meta>>4) / weightScale }
func (p posting) fields() uint8   { return uint8(p.meta & 0xF) }

// plist is a posting list, in ascending slot order, so that a one-word
// query can read its lists side by side a block of slots at a time (see
// matchOne) and visit its matches in slot order without sorting them.
type plist struct{ ps []posting }

// Index is the in-memory catalogue: producers and listings, with inverted
// indexes for text and compact per-listing filter data. Safe for concurrent
// use: searches share a read lock and run in parallel; writes take the write
// lock for the few microseconds they need.
type Index struct {
	mu    sync.RWMutex
	vocab *Vocabulary
	rates *rateTable

	listings map[string]*listingRec
	// order holds every listing sorted by name, for List methods (see
	// list.go); kept sorted by insertion with a binary search.
	order   []*listingRec
	pending []*listingRec // new listings not yet merged into order

	producers     []*producerRec // by slot; nil when free
	producerSlots map[string]int32
	freeProducers []int32

	docs   []docMeta // by slot
	cold   []docCold // by slot
	qty    []quantities
	boosts []float32 // docMeta.boost, apart: every text hit reads it
	// Sort keys of the orders other than relevance, by slot and apart from
	// docMeta, so that a sorted query over many candidates (visited in slot
	// order) reads 8 dense bytes per candidate rather than a record each.
	// +Inf where the value is unknown (last in the order).
	priceBase []float64 // lowest price in the rate table's base currency
	newest    []float64 // -create time
	capacity  []float64 // -monthly capacity
	freeDocs  []int32
	live      int // indexed (searchable) listings

	terms map[string]*plist // term -> doc postings
	cdocs []plist           // concept -> doc postings

	countries  interner
	currencies interner
	certTypes  interner
	districts  interner

	// build is scratch space for indexing, used under the write lock.
	build builder

	// Bitsets of doc slots: searchable listings, and per value of the
	// fields buyers filter and facet on.
	liveBits     bitset
	verifiedBits bitset
	catBits      valueBits // by category number
	distBits     valueBits // by district id
	countryBits  valueBits // by country id
	kindBits     valueBits // by producer kind number

	// static orders the searchable listings for queries without text:
	// one bucket per static rank (see staticRank), each sorted by name.
	static [staticRanks][]int32

	// certCache holds, for one day, a bitset per certificate type of the
	// listings whose producer holds a valid certificate of that type.
	// Searches build it for a new day; writes keep it current.
	certCache atomic.Pointer[certDay]

	porder producerOrder // present producers by name, for ListProducers (list.go)

	pool sync.Pool // *scratch for searches

	hitListings *hitListings // decoded listings of recent hits, shared

	// version counts writes that change what a query matches; terms1
	// caches one-word matches for the current version.
	version     uint64
	terms1      termCache
	facetMemo   facetCache
	noTermCache bool // for benchmarks of the uncached path (no facet or answer cache either)
	// stamp moves with every write of any kind, so that a whole answer
	// kept by results is reused only while nothing changed.
	stamp   uint64
	results *resultCache // nil: answers are not kept (CacheResults)
	// testCacheMin, when set, replaces termCacheMin, so that tests on
	// small catalogues exercise the caches.
	testCacheMin int
}

// listingRec is one listing held by the index, in any state.
type listingRec struct {
	name     string
	data     []byte // deterministic wire form; never changed in place
	producer int32
	doc      int32 // doc slot while searchable, else -1
	active   bool
}

// producerRec is one producer, or a placeholder for the parent of listings
// that arrived before their producer (present false).
type producerRec struct {
	name    string
	present bool
	data    []byte // the producer's wire form, for ListProducers

	displayName  string
	district     string
	districtID   uint16
	kind         pb.Producer_Kind
	verification pb.VerificationState
	ownName      bool
	certs        []certRec
	exportTo     []string // sorted, unique

	listings map[string]*listingRec
	docs     []int32 // doc slots of its searchable listings
}

// certRec is a certification reduced to what filters need: its type and the
// days (since 1970-01-01) it is valid from and until, inclusive.
type certRec struct {
	typ         uint16
	from, until int32
}

func (p *producerRec) verified() bool { return p.verification == pb.VerificationState_VERIFIED }

// docMeta is what filters and sorting need of a searchable listing that
// bitsets do not answer. It holds no pointers, so that a query walks one
// dense array that the garbage collector does not scan.
type docMeta struct {
	lo, hi   int64 // price range in minor units of the currency
	producer int32
	boost    float32 // non-text share of ranking: description quality, verified producer
	quality  float32
	currency uint16 // currency id + 1; 0 when the listing has no price
	category uint8
	verified bool // copied from the producer by producerFields
}

// quantities are a listing's minimum order and monthly capacity (-1 when
// unknown), apart from docMeta in an array of their own: the filters on
// them read one listing in ten or a hundred of a broad query's matches, and
// from 16 dense bytes a slot those reads miss the cache less often than
// from whole records.
type quantities struct {
	moq, capacity int64
}

// docCold is the rest of a searchable listing, read only for hits and for
// the HS prefix filter.
type docCold struct {
	rec *listingRec
	hs  string
}

// interner gives small integer ids to the strings of a closed-ish set
// (countries, currencies, certificate types, districts). Ids are never
// reused, so a query may cache them for its duration.
type interner struct {
	ids   map[string]uint16
	names []string
}

func (n *interner) id(s string) uint16 {
	if id, ok := n.ids[s]; ok {
		return id
	}
	if n.ids == nil {
		n.ids = map[string]uint16{}
	}
	if len(n.names) >= math.MaxUint16 {
		// 65,535 distinct values of a code field means abuse; lump the
		// rest together rather than fail a write.
		return math.MaxUint16 - 1
	}
	id := uint16(len(n.names))
	n.ids[s] = id
	n.names = append(n.names, s)
	return id
}

func (n *interner) lookup(s string) (uint16, bool) {
	id, ok := n.ids[s]
	return id, ok
}

// New returns an empty index. A nil vocab means DefaultVocabulary, nil
// rates DefaultExchangeRates.
func New(vocab *Vocabulary, rates *pb.ExchangeRates) *Index {
	if vocab == nil {
		vocab = DefaultVocabulary()
	}
	if rates == nil {
		rates = fx.DefaultRates()
	}
	x := &Index{
		vocab:         vocab,
		rates:         compileRates(rates),
		listings:      map[string]*listingRec{},
		producerSlots: map[string]int32{},
		terms:         map[string]*plist{},
		cdocs:         make([]plist, vocab.Len()),
		hitListings:   newHitListings(),
	}
	// Canonical districts first, so that their ids are stable.
	for _, d := range validate.Places {
		x.districts.id(d)
	}
	return x
}

// Len returns the number of listings held, in any state.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.listings)
}

// SetExchangeRates replaces the rate table used for price filters, sorting
// and converted prices. Callers validate it first (ValidateExchangeRates);
// entries that are not usable are ignored here, which makes amounts in those
// currencies unconvertible rather than wrong.
func (x *Index) SetExchangeRates(r *pb.ExchangeRates) {
	if r == nil {
		return
	}
	t := compileRates(r)
	x.mu.Lock()
	x.stamp++
	x.rates = t
	for d := range x.docs {
		x.priceBase[d] = x.priceKey(&x.docs[d])
	}
	x.mu.Unlock()
}

// ExchangeRates returns a copy of the rate table in use.
func (x *Index) ExchangeRates() *pb.ExchangeRates {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return proto.Clone(x.rates.proto).(*pb.ExchangeRates)
}

// parentOf returns "producers/{p}" of "producers/{p}/listings/{l}".
func parentOf(listing string) (string, bool) {
	rest, ok := strings.CutPrefix(listing, "producers/")
	if !ok {
		return "", false
	}
	p, l, ok := strings.Cut(rest, "/listings/")
	if !ok || p == "" || l == "" || strings.Contains(l, "/") {
		return "", false
	}
	return "producers/" + p, true
}

// PutProducer inserts or replaces a producer. Its listings' public summary
// is derived from it at query time, so a change shows in the next search;
// listings that arrived before it become searchable now.
func (x *Index) PutProducer(p *pb.Producer) {
	name := p.GetName()
	if rest, ok := strings.CutPrefix(name, "producers/"); !ok || rest == "" || strings.Contains(rest, "/") {
		return
	}
	certs := make([]certRec, 0, len(p.GetCertifications()))
	types := make([]string, 0, len(p.GetCertifications()))
	for _, c := range p.GetCertifications() {
		if c.GetType() == "" {
			continue
		}
		// A certificate whose dates cannot be judged is never in force
		// (package certday), so it is not indexed at all.
		span, ok := certday.SpanOf(c)
		if !ok {
			continue
		}
		certs = append(certs, certRec{from: int32(span.From), until: int32(span.Until)})
		types = append(types, c.GetType())
	}
	var exportTo []string
	for _, e := range p.GetExportHistory() {
		if c := e.GetCountryCode(); c != "" && !slices.Contains(exportTo, c) {
			exportTo = append(exportTo, c)
		}
	}
	slices.Sort(exportTo)
	district := p.GetDistrict()
	if canonical, ok := validate.District(district); ok {
		district = canonical
	}
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(p)
	if err != nil {
		return
	}

	x.mu.Lock()
	x.stamp++
	defer x.mu.Unlock()
	slot := x.producerSlot(name)
	pr := x.producers[slot]
	if pr.present && (pr.displayName != p.GetDisplayName() || pr.district != district) {
		// The producer's name and district are indexed with each of its
		// listings; take them out under the old text, and put them back
		// below under the new.
		for _, rec := range pr.listings {
			x.unindexListing(rec)
		}
	}
	verifiedBefore := pr.verified()
	for _, d := range pr.docs {
		x.producerBits(d, pr, false)
	}
	for i := range certs {
		certs[i].typ = x.certTypes.id(types[i])
	}
	// Facet counts (district, kind, certificates) change with the
	// producer; cached ones are of the old version.
	x.version++
	pr.present = true
	pr.data = data
	pr.displayName = p.GetDisplayName()
	pr.district = district
	pr.districtID = x.districts.id(district)
	pr.kind = p.GetKind()
	pr.verification = p.GetVerificationState()
	pr.ownName = p.GetExportsInOwnName()
	pr.certs = certs
	pr.exportTo = exportTo
	reorder := verifiedBefore != pr.verified()
	for _, d := range pr.docs {
		if reorder {
			x.staticRemove(d)
		}
		x.producerFields(d, pr)
		x.producerBits(d, pr, true)
		if reorder {
			x.staticInsert(d)
		}
	}
	for _, rec := range pr.listings {
		if rec.active && rec.doc < 0 {
			l := &pb.Listing{}
			if proto.Unmarshal(rec.data, l) == nil {
				x.indexListing(rec, l)
			}
		}
	}
}

// DeleteProducer removes a producer and every listing of it: a listing
// cannot outlive its parent resource.
func (x *Index) DeleteProducer(name string) {
	x.mu.Lock()
	x.stamp++
	defer x.mu.Unlock()
	slot, ok := x.producerSlots[name]
	if !ok {
		return
	}
	pr := x.producers[slot]
	for _, rec := range pr.listings {
		x.unindexListing(rec)
		delete(x.listings, rec.name)
	}
	if len(pr.listings) > 0 {
		gone := func(r *listingRec) bool { return pr.listings[r.name] == r }
		x.order = slices.DeleteFunc(x.order, gone)
		x.pending = slices.DeleteFunc(x.pending, gone)
	}
	x.producers[slot] = nil
	delete(x.producerSlots, name)
	x.freeProducers = append(x.freeProducers, slot)
}

// producerSlot returns the slot of the producer name, creating a
// placeholder when there is none.
func (x *Index) producerSlot(name string) int32 {
	if slot, ok := x.producerSlots[name]; ok {
		return slot
	}
	pr := &producerRec{name: name, listings: map[string]*listingRec{}}
	var slot int32
	if n := len(x.freeProducers); n > 0 {
		slot = x.freeProducers[n-1]
		x.freeProducers = x.freeProducers[:n-1]
		x.producers[slot] = pr
	} else {
		slot = int32(len(x.producers))
		x.producers = append(x.producers, pr)
	}
	x.producerSlots[name] = slot
	return slot
}

// PutListing inserts or replaces a listing, in any state; only ACTIVE
// listings whose producer is known are searchable. The index keeps its own
// copy: the caller may change l afterwards.
func (x *Index) PutListing(l *pb.Listing) {
	name := l.GetName()
	parent, ok := parentOf(name)
	if !ok {
		return
	}
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(l)
	if err != nil {
		return
	}
	x.mu.Lock()
	x.stamp++
	defer x.mu.Unlock()
	rec, ok := x.listings[name]
	if ok {
		x.unindexListing(rec)
	} else {
		slot := x.producerSlot(parent)
		rec = &listingRec{name: name, producer: slot, doc: -1}
		x.listings[name] = rec
		x.producers[slot].listings[name] = rec
		x.orderInsert(rec)
	}
	rec.data = data
	rec.active = l.GetState() == pb.Listing_ACTIVE
	if rec.active && x.producers[rec.producer].present {
		x.indexListing(rec, l)
	}
}

// DeleteListing removes a listing.
func (x *Index) DeleteListing(name string) {
	x.mu.Lock()
	x.stamp++
	defer x.mu.Unlock()
	rec, ok := x.listings[name]
	if !ok {
		return
	}
	x.unindexListing(rec)
	delete(x.listings, name)
	x.orderRemove(rec)
	pr := x.producers[rec.producer]
	delete(pr.listings, name)
	if !pr.present && len(pr.listings) == 0 {
		x.producers[rec.producer] = nil
		delete(x.producerSlots, pr.name)
		x.freeProducers = append(x.freeProducers, rec.producer)
	}
}

// builder collects the terms of one document while it is indexed.
type builder struct {
	toks     []token
	tf       map[string]*[numFields]uint16
	ctf      map[int32]*[numFields]uint16
	fieldLen [numFields]int
	pool     [][numFields]uint16
	cbuf     []int32
}

func (b *builder) reset() {
	if b.tf == nil {
		b.tf = map[string]*[numFields]uint16{}
		b.ctf = map[int32]*[numFields]uint16{}
	}
	clear(b.tf)
	clear(b.ctf)
	b.fieldLen = [numFields]int{}
	b.pool = b.pool[:0]
}

func (b *builder) counter() *[numFields]uint16 {
	if len(b.pool) == cap(b.pool) {
		// Grow by allocating anew: earlier counters stay where they are,
		// since the maps point at them.
		b.pool = make([][numFields]uint16, 0, max(64, 2*cap(b.pool)))
	}
	b.pool = append(b.pool, [numFields]uint16{})
	return &b.pool[len(b.pool)-1]
}

// add tokenises text into field f. Concepts that do not allow category cat
// are not recorded.
func (b *builder) add(v *Vocabulary, f int, text string, cat uint8) {
	if text == "" {
		return
	}
	b.toks = tokenize(b.toks[:0], text)
	b.fieldLen[f] += len(b.toks)
	indexTerms(b.toks, func(term string) {
		c, ok := b.tf[term]
		if !ok {
			c = b.counter()
			b.tf[term] = c
		}
		if c[f] < math.MaxUint16 {
			c[f]++
		}
	})
	b.cbuf = v.each(b.toks, b.cbuf, func(concepts []int32) {
		for _, k := range concepts {
			if !v.concepts[k].allows(cat) {
				continue
			}
			c, ok := b.ctf[k]
			if !ok {
				c = b.counter()
				b.ctf[k] = c
			}
			if c[f] < math.MaxUint16 {
				c[f]++
			}
		}
	})
}

// weight is the BM25 term weight of one document, summed over fields with
// their boosts, and the mask of fields the term occurs in.
func (b *builder) weight(tf *[numFields]uint16) (float32, uint8) {
	var w float32
	var fields uint8
	for f := 0; f < numFields; f++ {
		n := float32(tf[f])
		if n == 0 {
			continue
		}
		fields |= 1 << f
		norm := bm25K1 * (1 - bm25B + bm25B*float32(b.fieldLen[f])/fieldAvgLen[f])
		w += fieldBoost[f] * n * (bm25K1 + 1) / (n + norm)
	}
	return w, fields
}

// listingText feeds a listing's text fields, and its producer's name and
// district, to the builder. The producer's text is indexed with each
// listing (rather than once per producer) so that a query reads one posting
// list per term; PutProducer re-indexes the listings when it changes.
func (b *builder) listingText(v *Vocabulary, l *pb.Listing, pr *producerRec, cat uint8) {
	b.add(v, 2, pr.displayName, cat)
	b.add(v, 2, pr.district, cat)
	b.add(v, 0, l.GetTitle(), cat)
	attrs := l.GetAttributes()
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.add(v, 1, attrs[k], cat)
	}
	b.add(v, 3, l.GetDescription(), cat)
}

func listingCategory(l *pb.Listing) uint8 {
	c := l.GetCategory()
	if c < 0 || c > 7 {
		return 0
	}
	return uint8(c)
}

// indexListing makes rec searchable; l is its current content.
func (x *Index) indexListing(rec *listingRec, l *pb.Listing) {
	var slot int32
	if n := len(x.freeDocs); n > 0 {
		slot = x.freeDocs[n-1]
		x.freeDocs = x.freeDocs[:n-1]
	} else {
		slot = int32(len(x.docs))
		x.docs = append(x.docs, docMeta{})
		x.cold = append(x.cold, docCold{})
		x.qty = append(x.qty, quantities{})
		x.boosts = append(x.boosts, 0)
		x.priceBase = append(x.priceBase, 0)
		x.newest = append(x.newest, 0)
		x.capacity = append(x.capacity, 0)
	}
	rec.doc = slot
	x.live++
	x.version++
	pr := x.producers[rec.producer]
	pr.docs = append(pr.docs, slot)
	x.docs[slot], x.cold[slot], x.qty[slot] = x.meta(rec, l)
	x.priceBase[slot] = x.priceKey(&x.docs[slot])
	x.newest[slot], x.capacity[slot] = math.Inf(1), math.Inf(1)
	if t := l.GetCreateTime().GetSeconds(); t != 0 {
		x.newest[slot] = -float64(t)
	}
	if c := x.qty[slot].capacity; c > 0 {
		x.capacity[slot] = -float64(c)
	}
	x.producerFields(slot, pr)
	x.liveBits.set(slot)
	x.catBits.set(uint16(x.docs[slot].category), slot)
	for _, c := range l.GetShipToCountryCodes() {
		x.countryBits.set(x.countries.id(c), slot)
	}
	x.producerBits(slot, pr, true)
	x.staticInsert(slot)

	b := &x.build
	b.reset()
	b.listingText(x.vocab, l, pr, x.docs[slot].category)
	for term, tf := range b.tf {
		w, fields := b.weight(tf)
		pl, ok := x.terms[term]
		if !ok {
			pl = &plist{}
			// The term is a piece of the listing's normalised text; a
			// copy of its own keeps that text from being retained.
			x.terms[strings.Clone(term)] = pl
		}
		pl.ps = appendPosting(pl.ps, newPosting(slot, w, fields))
	}
	for k, tf := range b.ctf {
		w, fields := b.weight(tf)
		x.cdocs[k].ps = appendPosting(x.cdocs[k].ps, newPosting(slot, w, fields))
	}
}

// unindexListing makes rec unsearchable, if it was searchable.
func (x *Index) unindexListing(rec *listingRec) {
	if rec.doc < 0 {
		return
	}
	slot := rec.doc
	old := &pb.Listing{}
	if err := proto.Unmarshal(rec.data, old); err == nil {
		b := &x.build
		b.reset()
		b.listingText(x.vocab, old, x.producers[rec.producer], x.docs[slot].category)
		for term := range b.tf {
			if pl, ok := x.terms[term]; ok {
				pl.ps = removePosting(pl.ps, slot)
				if len(pl.ps) == 0 {
					delete(x.terms, term)
				}
			}
		}
		for k := range b.ctf {
			x.cdocs[k].ps = removePosting(x.cdocs[k].ps, slot)
		}
	}
	pr := x.producers[rec.producer]
	if i := slices.Index(pr.docs, slot); i >= 0 {
		pr.docs[i] = pr.docs[len(pr.docs)-1]
		pr.docs = pr.docs[:len(pr.docs)-1]
	}
	x.staticRemove(slot)
	x.producerBits(slot, pr, false)
	x.liveBits.clear(slot)
	x.catBits.clear(uint16(x.docs[slot].category), slot)
	for c := range x.countryBits.len() {
		x.countryBits.clear(uint16(c), slot)
	}
	x.docs[slot] = docMeta{}
	x.qty[slot] = quantities{}
	x.cold[slot] = docCold{}
	x.freeDocs = append(x.freeDocs, slot)
	x.live--
	x.version++
	rec.doc = -1
}

// appendPosting adds p to ps, keeping slot order: at the end when its slot
// is the highest (always while loading), else in its place (a slot that was
// freed and is used again). Long lists grow by a quarter rather than double
// (append's growth for large slices is still about 1.25 but starts at 2):
// the spare capacity of all posting lists together is then a smaller share
// of the index, at a few more copies while loading.
func appendPosting(ps []posting, p posting) []posting {
	if len(ps) == cap(ps) && len(ps) >= 64 {
		grown := make([]posting, len(ps), len(ps)+len(ps)/4)
		copy(grown, ps)
		ps = grown
	}
	if n := len(ps); n == 0 || ps[n-1].id < p.id {
		return append(ps, p)
	}
	i, found := postingPos(ps, p.id)
	if found {
		ps[i] = p
		return ps
	}
	return slices.Insert(ps, i, p)
}

// removePosting removes the posting of id, keeping the order.
func removePosting(ps []posting, id int32) []posting {
	if i, found := postingPos(ps, id); found {
		return slices.Delete(ps, i, i+1)
	}
	return ps
}

// postingPos is where the posting of id is, or would be, in ps.
func postingPos(ps []posting, id int32) (int, bool) {
	return slices.BinarySearchFunc(ps, id, func(p posting, id int32) int { return cmp.Compare(p.id, id) })
}

// meta derives the filter data of a listing.
func (x *Index) meta(rec *listingRec, l *pb.Listing) (docMeta, docCold, quantities) {
	m := docMeta{
		producer: rec.producer,
		category: listingCategory(l),
	}
	qty := quantities{moq: -1, capacity: -1}
	cold := docCold{rec: rec, hs: l.GetHsCode()}
	if lo := l.GetPriceMin(); lo != nil {
		hi := l.GetPriceMax()
		if hi == nil {
			hi = lo
		}
		loMinor, err1 := money.ToMinor(lo)
		hiMinor, err2 := money.ToMinor(hi)
		if err1 == nil && err2 == nil && lo.GetCurrencyCode() == hi.GetCurrencyCode() && loMinor <= hiMinor {
			m.currency = x.currencies.id(lo.GetCurrencyCode()) + 1
			m.lo, m.hi = loMinor, hiMinor
		}
	}
	if l.MinOrderQuantity != nil && l.GetMinOrderQuantity() > 0 {
		qty.moq = l.GetMinOrderQuantity()
	}
	if l.MonthlyCapacity != nil && l.GetMonthlyCapacity() > 0 {
		qty.capacity = l.GetMonthlyCapacity()
	}
	// How well described the listing is, for ranking without text: a
	// buyer can act on a listing with a price, quantities and photos.
	var q float32
	for _, known := range []bool{
		l.GetDescription() != "", m.currency != 0, qty.moq > 0, qty.capacity > 0,
		l.LeadTimeDays != nil, len(l.GetShipToCountryCodes()) > 0, len(l.GetImageUris()) > 0, l.GetHsCode() != "",
	} {
		if known {
			q++
		}
	}
	m.quality = q / 8
	return m, cold, qty
}

// priceKey is the key of a listing for ordering by price: its lowest
// price in the base currency of the rate table, +Inf when it has none or
// its currency has no rate.
func (x *Index) priceKey(m *docMeta) float64 {
	if m.currency != 0 {
		if v, ok := x.rates.perMinorInBase[x.currencies.names[m.currency-1]]; ok {
			return float64(m.lo) * v
		}
	}
	return math.Inf(1)
}

// producerFields copies into a document what ranking needs of its
// producer.
func (x *Index) producerFields(d int32, pr *producerRec) {
	m := &x.docs[d]
	m.verified = pr.verified()
	m.boost = 1 + 0.05*m.quality
	if m.verified {
		m.boost += 0.1
	}
	x.boosts[d] = m.boost
}

// producerBits sets (or clears) document d in the bitsets that derive from
// its producer: district, kind, verified and certificates.
func (x *Index) producerBits(d int32, pr *producerRec, set bool) {
	cd := x.certCache.Load()
	if !set {
		x.distBits.clear(pr.districtID, d)
		x.kindBits.clear(uint16(pr.kind), d)
		x.verifiedBits.clear(d)
		if cd != nil {
			for _, c := range pr.certs {
				cd.bits.clear(c.typ, d)
			}
		}
		return
	}
	x.distBits.set(pr.districtID, d)
	if pr.kind >= 0 && pr.kind < 1<<16 {
		x.kindBits.set(uint16(pr.kind), d)
	}
	if pr.verified() {
		x.verifiedBits.set(d)
	}
	if cd != nil {
		for _, c := range pr.certs {
			if c.from <= cd.day && cd.day <= c.until {
				cd.bits.set(c.typ, d)
			}
		}
	}
}

// staticRanks is the number of static ranks: nine levels of description
// quality, for unverified and for verified producers.
const staticRanks = 18

// staticRank orders listings for queries without text: verified producers
// first, then the better described listings.
func staticRank(m *docMeta) int {
	r := int(m.quality*8 + 0.5)
	if m.verified {
		r += 9
	}
	return r
}

// staticScore is the score shown for a hit of a query without text: the
// static rank in eighths, so that it falls along the order.
func staticScore(m *docMeta) float32 {
	return float32(staticRank(m)) / 8
}

func (x *Index) staticPos(d int32) (int, int, bool) {
	r := staticRank(&x.docs[d])
	name := x.cold[d].rec.name
	i, found := slices.BinarySearchFunc(x.static[r], name, func(e int32, n string) int {
		return strings.Compare(x.cold[e].rec.name, n)
	})
	return r, i, found
}

// staticInsert and staticRemove keep document d in its static bucket; a
// write moves at most one bucket's tail by one place.
func (x *Index) staticInsert(d int32) {
	if r, i, found := x.staticPos(d); !found {
		x.static[r] = slices.Insert(x.static[r], i, d)
	}
}

func (x *Index) staticRemove(d int32) {
	if r, i, found := x.staticPos(d); found {
		x.static[r] = slices.Delete(x.static[r], i, i+1)
	}
}

// certDay holds, for one day, a bitset per certificate type of the
// listings whose producer holds a certificate of that type valid that day.
type certDay struct {
	day  int32
	bits valueBits
}

// certBitsFor returns the certificate bitsets for day, building them on the
// first search of a day. It runs under the read lock, so two searches may
// build them at once; they build the same thing and the last one stored
// wins. Writes, under the write lock, keep the stored one current.
func (x *Index) certBitsFor(day int32) *certDay {
	if c := x.certCache.Load(); c != nil && c.day == day {
		return c
	}
	c := &certDay{day: day}
	for _, pr := range x.producers {
		if pr == nil {
			continue
		}
		for _, cr := range pr.certs {
			if cr.from <= day && day <= cr.until {
				for _, d := range pr.docs {
					c.bits.set(cr.typ, d)
				}
			}
		}
	}
	x.certCache.Store(c)
	return c
}

// today returns the day number of now's date in Blitar.
func today(now time.Time) int32 { return int32(certday.Today(now)) }
