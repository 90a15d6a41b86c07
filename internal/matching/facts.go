package matching

import (
	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/certday"
)

// The engine does not read listings and producers as proto messages while
// ranking: at 100,000 listings, chasing the pointers of every message (its
// state, its ship-to strings, its producer's certificates) costs more than
// all the arithmetic, because each touch is a cache miss. Instead each
// listing and producer is compiled once into a small flat record (lfacts,
// pfacts) with codes as integers: a SliceSource keeps them in contiguous
// arrays built when it is created, and other Sources have each candidate
// compiled on the fly by the same functions. Both ways run the same checks
// and criteria on the same records, so they cannot disagree.

// maxShip is how many ship-to countries a record holds inline; a listing
// with more (rare) is checked against its message.
const maxShip = 6

// hsKey is an HS code packed as a number with its length (leading zeros
// matter: "0301" is not "301"). ok is false for codes that are not 1 to 18
// digits, which are then compared as strings.
type hsKey struct {
	v  uint64
	n  uint8
	ok bool
}

func packHS(s string) hsKey {
	if len(s) == 0 || len(s) > 18 {
		return hsKey{}
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return hsKey{}
		}
		v = v*10 + uint64(c-'0')
	}
	return hsKey{v: v, n: uint8(len(s)), ok: true}
}

var pow10u = func() (t [19]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// hasPrefix reports whether code h starts with prefix p; both packed.
func (h hsKey) hasPrefix(p hsKey) bool {
	return h.n >= p.n && h.v/pow10u[h.n-p.n] == p.v
}

// countryKey encodes an upper-case ISO 3166-1 alpha-2 code as 1 to 676, and
// anything else as 0 (compared as a string instead).
func countryKey(s string) uint16 {
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return 0
	}
	return uint16(s[0]-'A')*26 + uint16(s[1]-'A') + 1
}

// lfacts is what ranking needs of a listing.
type lfacts struct {
	l        *pb.Listing
	prod     int32 // index of the producer's pfacts
	product  int32 // interned (category, HS code), for readiness groups
	category pb.Category
	unit     int32 // interned normalized unit
	cur      int32 // interned price currency; -1 without a usable price
	lead     int32 // days; -1 unknown
	moq      int64 // 0 unknown
	capacity int64 // per month; -1 unknown
	lo, hi   int64 // price range in minor units of cur
	hs       hsKey
	active   bool
	hasHS    bool
	// nship is the number of ship-to codes held in ship; shipRaw means the
	// message must be consulted (too many codes, or one that does not
	// encode).
	nship   uint8
	shipRaw bool
	ship    [maxShip]uint16
}

// certFact is one certificate: its interned type and the days it is in
// force (package certday's span).
type certFact struct {
	typ         int32
	from, until int32
}

// pfacts is what ranking needs of a producer.
type pfacts struct {
	p            *pb.Producer
	verification pb.VerificationState
	certs        []certFact
	exports      []uint16
	// exportsRaw means some export country does not encode: compare the
	// message's strings.
	exportsRaw bool
}

// dict interns the strings of an index, so that records hold small
// integers.
type dict struct {
	units      map[string]int32
	currencies map[string]int32
	curCode    []string
	curScale   []int8 // -1: not an ISO 4217 code
	types      map[string]int32
	products   map[gkey]int32
	productKey []gkey
}

func newDict() dict {
	return dict{
		units:      map[string]int32{},
		currencies: map[string]int32{},
		types:      map[string]int32{},
		products:   map[gkey]int32{},
	}
}

func (d *dict) reset() {
	clear(d.units)
	clear(d.currencies)
	d.curCode = d.curCode[:0]
	d.curScale = d.curScale[:0]
	clear(d.types)
	clear(d.products)
	d.productKey = d.productKey[:0]
}

func internIn(m map[string]int32, s string) int32 {
	if id, ok := m[s]; ok {
		return id
	}
	id := int32(len(m))
	m[s] = id
	return id
}

func (d *dict) unit(s string) int32 { return internIn(d.units, normalizeUnit(s)) }

func (d *dict) typ(s string) int32 { return internIn(d.types, s) }

func (d *dict) currency(code string) int32 {
	if id, ok := d.currencies[code]; ok {
		return id
	}
	id := int32(len(d.curCode))
	d.currencies[code] = id
	d.curCode = append(d.curCode, code)
	scale := int8(-1)
	if s, err := scaleOf(code); err == nil {
		scale = int8(s)
	}
	d.curScale = append(d.curScale, scale)
	return id
}

func (d *dict) product(c pb.Category, hs string) int32 {
	k := gkey{c, hs}
	if id, ok := d.products[k]; ok {
		return id
	}
	id := int32(len(d.productKey))
	d.products[k] = id
	d.productKey = append(d.productKey, k)
	return id
}

// compileListing fills f from l; prod is the index of its producer.
func (d *dict) compileListing(f *lfacts, l *pb.Listing, prod int32) {
	*f = lfacts{
		l:        l,
		prod:     prod,
		category: l.GetCategory(),
		active:   l.GetState() == pb.Listing_ACTIVE,
		product:  d.product(l.GetCategory(), l.GetHsCode()),
		unit:     d.unit(l.GetUnit()),
		cur:      -1,
		lead:     -1,
		capacity: -1,
	}
	if hs := l.GetHsCode(); hs != "" {
		f.hasHS = true
		f.hs = packHS(hs)
	}
	if l.LeadTimeDays != nil && l.GetLeadTimeDays() >= 0 {
		f.lead = l.GetLeadTimeDays()
	}
	if l.MonthlyCapacity != nil && l.GetMonthlyCapacity() >= 0 {
		f.capacity = l.GetMonthlyCapacity()
	}
	if v := l.GetMinOrderQuantity(); v > 0 {
		f.moq = v
	}
	ship := l.GetShipToCountryCodes()
	if len(ship) > maxShip {
		f.shipRaw = true
	} else {
		for _, c := range ship {
			k := countryKey(c)
			if k == 0 {
				f.shipRaw = true
				break
			}
			f.ship[f.nship] = k
			f.nship++
		}
	}
	if lo, hi, code, ok := priceRange(l); ok {
		id := d.currency(code)
		if scale := d.curScale[id]; scale >= 0 {
			lo, ok1 := minorOf(lo, int(scale))
			hi, ok2 := minorOf(hi, int(scale))
			if ok1 && ok2 && lo > 0 && hi > 0 {
				f.cur, f.lo, f.hi = id, min(lo, hi), max(lo, hi)
			}
		}
	}
}

// compileProducer fills f from p.
func (d *dict) compileProducer(f *pfacts, p *pb.Producer) {
	*f = pfacts{p: p, verification: p.GetVerificationState()}
	for _, c := range p.GetCertifications() {
		span, ok := certday.SpanOf(c)
		if !ok {
			// Dates that cannot be judged: never in force (certday).
			continue
		}
		f.certs = append(f.certs, certFact{typ: d.typ(c.GetType()), from: int32(span.From), until: int32(span.Until)})
	}
	for _, r := range p.GetExportHistory() {
		k := countryKey(r.GetCountryCode())
		if k == 0 {
			f.exportsRaw = true
			continue
		}
		f.exports = append(f.exports, k)
	}
}

// holds reports whether the producer holds a certificate of type typ in
// force on day.
func (f *pfacts) holds(typ int32, day int) bool {
	if typ < 0 {
		return false
	}
	for _, c := range f.certs {
		if c.typ == typ && int(c.from) <= day && day <= int(c.until) {
			return true
		}
	}
	return false
}
