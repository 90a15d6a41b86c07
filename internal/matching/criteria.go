package matching

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/requirement"
)

// The soft criteria, in the order of the breakdown.
const (
	critProduct = iota
	critDestination
	critQuantity
	critPrice
	critLeadTime
	critReadiness
	critTrust
	critResponsiveness
	numCriteria
)

// critNames are the criterion names of CriterionScore, as match.proto lists
// them.
var critNames = [numCriteria]string{
	"product", "destination_experience", "quantity", "price",
	"lead_time", "export_readiness", "trust", "responsiveness",
}

type outcome = pb.CriterionScore_Outcome

const (
	matched    = pb.CriterionScore_MATCHED
	partial    = pb.CriterionScore_PARTIAL
	notMatched = pb.CriterionScore_NOT_MATCHED
	unknown    = pb.CriterionScore_UNKNOWN
)

// Scores of the criteria that have fixed steps.
const (
	// categoryOnlyScore is product closeness when only the category could
	// be compared (no HS code on one side).
	categoryOnlyScore = 0.5
	// shipsOnlyScore is destination experience for a producer that ships
	// to the destination but has no export there on record.
	shipsOnlyScore = 0.5
	// pendingTrust is the verification part of trust while the office's
	// review is pending; VERIFIED counts 1, anything else 0.
	pendingTrust = 0.4
	// verificationShare is the share of trust that verification carries;
	// the rest is past deals on the platform, counted up to dealsForFull.
	verificationShare = 0.75
	dealsForFull      = 3
	// priceSlope: the price score falls by this much per unit of relative
	// gap between the lowest price and the target, so a lowest price 10%
	// above target scores 0.8 and one 50% or more above scores 0.
	priceSlope = 2.0
	// responsiveMatched is the answer rate from which responsiveness is
	// MATCHED.
	responsiveMatched = 0.8
	// daysPerMonth turns monthly capacity into capacity per day. A plain 30
	// is what producers and officers reckon with.
	daysPerMonth = 30
	// hsSubheading is the number of HS digits harmonised worldwide; longer
	// codes are national tariff lines and add no product closeness.
	hsSubheading = 6
)

// Each criterion has a score function, which the ranking calls for every
// qualifying listing, and an explain function, which calls the same score
// function and only adds the sentence for the listings returned. Keeping
// the sentences out of the score functions keeps those small enough to
// inline, which matters at tens of thousands of listings per request; the
// shared score function keeps the number shown equal to the number ranked.

// total is the weighted mean of the criterion scores. Ranking and
// explanation both use it, so that the total shown is bit for bit the one
// ranked.
func (m *matcher) total(s *[numCriteria]float64) float64 {
	t := 0.0
	for i := range s {
		t += m.e.w[i] * s[i]
	}
	return t / m.e.wsum
}

// score is the total score of a qualifying listing, for ranking.
func (m *matcher) score(f *lfacts, pi *pinfo) float64 {
	unitOK := f.unit == m.q.unitID
	var s [numCriteria]float64
	_, s[critProduct] = m.productScore(f)
	_, s[critDestination] = m.destinationScore(pi)
	_, s[critQuantity] = m.quantityScore(f, unitOK)
	_, s[critPrice] = m.priceScore(f, unitOK)
	_, s[critLeadTime] = m.leadTimeScore(f)
	_, s[critReadiness] = m.readinessScore(f, pi)
	_, s[critTrust] = m.trustScore(&m.idx.producers[f.prod], pi)
	_, s[critResponsiveness] = responsivenessScore(pi)
	return m.total(&s)
}

// breakdown returns the explained criteria of a qualifying listing and its
// total score.
func (m *matcher) breakdown(f *lfacts, pi *pinfo) ([]*pb.CriterionScore, float64) {
	unitOK := f.unit == m.q.unitID
	pf := &m.idx.producers[f.prod]
	cs := []*pb.CriterionScore{
		m.explainProduct(f),
		m.explainDestination(pf.p, pi),
		m.explainQuantity(f, unitOK),
		m.explainPrice(f, unitOK),
		m.explainLeadTime(f),
		m.explainReadiness(f, pi),
		m.explainTrust(pf, pi),
		m.explainResponsiveness(pi),
	}
	var s [numCriteria]float64
	for i, c := range cs {
		c.Criterion, c.Weight = critNames[i], m.e.w[i]
		s[i] = c.Score
	}
	return cs, m.total(&s)
}

// productScore: the product is already the right one (a hard constraint);
// this says how precisely. An HS code is compared on up to six digits, the
// subheading every country shares: matching all of the listing's first six
// digits scores 1, a request that names only the 4-digit heading 0.83, a
// match on the category alone (no HS code on one side) 0.5 and PARTIAL.
func (m *matcher) productScore(f *lfacts) (outcome, float64) {
	q := &m.q
	if q.prefix == "" || !f.hasHS {
		return partial, categoryOnlyScore
	}
	if !m.hsMatch(f) {
		return notMatched, 0
	}
	n := int(f.hs.n)
	if !f.hs.ok {
		n = len(f.l.GetHsCode())
	}
	got, want := min(len(q.prefix), hsSubheading), min(n, hsSubheading)
	return matched, 0.5 + 0.5*float64(got)/float64(want)
}

func (m *matcher) explainProduct(f *lfacts) *pb.CriterionScore {
	q := &m.q
	o, s := m.productScore(f)
	hs := f.l.GetHsCode()
	return bilingual(o, s, func(l lang) string {
		cat := l.category(f.l.GetCategory())
		switch {
		case q.prefix == "":
			return l.Sayf("Same product category (%s); the buyer gave no HS code, so the exact product is not confirmed.",
				"Kategori produk sama (%s); pembeli tidak memberi kode HS, jadi produk persisnya belum pasti.", cat)
		case !f.hasHS:
			return l.Sayf("Same product category (%s), but the listing states no HS code to compare with the requested %s.",
				"Kategori produk sama (%s), tetapi produk ini tidak mencantumkan kode HS untuk dibandingkan dengan %s yang diminta.", cat, q.prefix)
		case o == notMatched:
			return l.Sayf("HS code %s is outside the requested %s.", "Kode HS %s di luar %s yang diminta.", hs, q.prefix)
		case hs == q.prefix:
			return l.Sayf("HS code %s is exactly the code requested.", "Kode HS %s persis kode yang diminta.", hs)
		case s == 1:
			return l.Sayf("HS code %s falls under the requested %s (the same %d-digit subheading).",
				"Kode HS %s termasuk dalam %s yang diminta (subpos %d digit yang sama).", hs, q.prefix, min(len(hs), hsSubheading))
		}
		return l.Sayf("HS code %s lies within the requested %s; the buyer named only the first %d digits, so the product may differ in detail.",
			"Kode HS %s termasuk dalam %s yang diminta; pembeli hanya menyebut %d digit pertama, jadi rincian produknya bisa berbeda.", hs, q.prefix, len(q.prefix))
	})
}

// destinationScore: export experience to the destination. The destination
// is a hard constraint, so every qualifying listing ships there; a record
// of past exports there scores 1, shipping there only 0.5.
func (m *matcher) destinationScore(pi *pinfo) (outcome, float64) {
	switch {
	case m.q.dest == "":
		return unknown, 0
	case pi.exported:
		return matched, 1
	}
	return partial, shipsOnlyScore
}

func (m *matcher) explainDestination(p *pb.Producer, pi *pinfo) *pb.CriterionScore {
	q := &m.q
	o, s := m.destinationScore(pi)
	var years []int
	for _, r := range p.GetExportHistory() {
		if r.GetCountryCode() == q.dest && r.GetYear() > 0 && !slices.Contains(years, int(r.GetYear())) {
			years = append(years, int(r.GetYear()))
		}
	}
	slices.Sort(years)
	ys := make([]string, len(years))
	for i, y := range years {
		ys[i] = strconv.Itoa(y)
	}
	return bilingual(o, s, func(l lang) string {
		switch o {
		case unknown:
			return l.Say("The request names no destination country, so export experience cannot be judged.",
				"Permintaan tidak menyebut negara tujuan, jadi pengalaman ekspor tidak dapat dinilai.")
		case partial:
			return l.Sayf("Ships to %s, but has no recorded export there yet.", "Bisa mengirim ke %s, tetapi belum ada catatan ekspor ke sana.", l.country(q.dest))
		}
		text := l.Sayf("Has exported to %s before", "Pernah mengekspor ke %s", l.country(q.dest))
		if len(ys) > 0 {
			text += " (" + strings.Join(ys, ", ") + ")"
		}
		return text + "."
	})
}

// capacity returns how much the listing can supply by the needed-by date:
// monthly capacity times the days left for production (from today to the
// needed-by date, less the lead time, which the first shipment needs
// anyway) divided by 30, rounded down. known is false when the monthly
// capacity or the lead time is not stated: without either we cannot tell,
// and missing data never counts as a match.
func (m *matcher) capacity(f *lfacts) (capBy int64, days int, known bool) {
	if f.capacity < 0 || f.lead < 0 {
		return 0, 0, false
	}
	days = m.q.window - int(f.lead)
	if days <= 0 {
		return 0, days, true
	}
	if f.capacity > math.MaxInt64/int64(days) {
		return math.MaxInt64, days, true
	}
	return f.capacity * int64(days) / daysPerMonth, days, true
}

// quantityScore: minimum order and capacity by the needed-by date against
// the quantity wanted. A minimum order above the quantity scores 0; unknown
// capacity is UNKNOWN (score 0), never MATCHED; otherwise the share of the
// quantity that can be ready, up to 1.
func (m *matcher) quantityScore(f *lfacts, unitOK bool) (outcome, float64) {
	q := &m.q
	switch {
	case q.qty <= 0 || !unitOK:
		return unknown, 0
	case f.moq > q.qty:
		return notMatched, 0
	}
	capBy, _, known := m.capacity(f)
	switch {
	case !known:
		return unknown, 0
	case capBy >= q.qty:
		return matched, 1
	case capBy <= 0:
		return notMatched, 0
	}
	return partial, float64(capBy) / float64(q.qty)
}

// byWhen says "by the needed-by date 2027-03-01" or, without one, the
// horizon used instead.
func (m *matcher) byWhen(l lang) string {
	if m.q.hasNeededBy {
		return l.Say("by the needed-by date ", "sebelum tanggal dibutuhkan ") + formatDay(m.q.neededBy)
	}
	return l.Sayf("within %d days (the buyer gave no needed-by date)", "dalam %d hari (pembeli tidak memberi tanggal dibutuhkan)", DefaultHorizonDays)
}

func (m *matcher) explainQuantity(f *lfacts, unitOK bool) *pb.CriterionScore {
	q := &m.q
	l0 := f.l
	unit := q.req.GetUnit()
	o, s := m.quantityScore(f, unitOK)
	capBy, days, known := m.capacity(f)
	return bilingual(o, s, func(l lang) string {
		switch {
		case q.qty <= 0:
			return l.Say("The request states no quantity.", "Permintaan tidak menyebut jumlah.")
		case !unitOK:
			if l == english {
				return fmt.Sprintf("The buyer counts in %s and the listing in %s, so the quantities cannot be compared.", plural(unit, 2), plural(l0.GetUnit(), 2))
			}
			return fmt.Sprintf("Pembeli menghitung dalam %s dan produk ini dalam %s, jadi jumlahnya tidak dapat dibandingkan.", unit, l0.GetUnit())
		case f.moq > q.qty:
			return l.Sayf("Minimum order is %s, more than the %s requested.", "Pesanan minimum %s, lebih dari %s yang diminta.", l.qty(f.moq, unit), l.num(q.qty))
		}
		if !known {
			what := l.Say("Monthly capacity is not stated", "Kapasitas per bulan tidak dicantumkan")
			if f.capacity >= 0 {
				what = l.Sayf("Makes up to %s a month, but the lead time is not stated", "Membuat sampai %s per bulan, tetapi waktu produksi tidak dicantumkan", l.qty(f.capacity, unit))
			}
			return l.Sayf("%s, so we cannot tell whether %s can be ready %s.", "%s, jadi tidak dapat dipastikan apakah %s bisa siap %s.", what, l.qty(q.qty, unit), m.byWhen(l))
		}
		monthly := l.qty(f.capacity, unit)
		if days <= 0 {
			return l.Sayf("Makes up to %s a month, but with a %d-day lead time nothing can be ready %s (%d days away).",
				"Membuat sampai %s per bulan, tetapi dengan waktu produksi %d hari tidak ada yang bisa siap %s (%d hari lagi).",
				monthly, f.lead, m.byWhen(l), q.window)
		}
		text := l.Sayf("Makes up to %s a month; with a %d-day lead time, %d days remain for production, so about %s can be ready %s",
			"Membuat sampai %s per bulan; dengan waktu produksi %d hari, tersisa %d hari untuk produksi, jadi sekitar %s bisa siap %s",
			monthly, f.lead, days, l.num(capBy), m.byWhen(l))
		if o == matched {
			text += l.Sayf(": enough for the %s requested.", ": cukup untuk %s yang diminta.", l.num(q.qty))
		} else {
			text += l.Sayf(": %s of the %s requested.", ": %s dari %s yang diminta.", l.percent(s), l.num(q.qty))
		}
		if f.moq == 0 {
			text += l.Say(" No minimum order is stated.", " Pesanan minimum tidak dicantumkan.")
		}
		return text
	})
}

// priceScore compares the listing's price range with the buyer's target per
// unit, in the listing's currency (the target is converted once per
// currency with the exchange-rate table). A lowest price at or below the
// target scores 1; above it the score falls by priceSlope per unit of
// relative gap.
func (m *matcher) priceScore(f *lfacts, unitOK bool) (outcome, float64) {
	if m.q.target == nil || !unitOK || f.cur < 0 {
		return unknown, 0
	}
	t, ok := m.targetIn(f.cur)
	switch {
	case !ok:
		return unknown, 0
	case t >= f.lo:
		return matched, 1
	}
	s := 1 - priceSlope*float64(f.lo-t)/float64(t)
	if s <= 0 {
		return notMatched, 0
	}
	return partial, s
}

func (m *matcher) explainPrice(f *lfacts, unitOK bool) *pb.CriterionScore {
	q := &m.q
	l0 := f.l
	o, s := m.priceScore(f, unitOK)
	var code string
	var scale int
	var t int64
	ok := false
	if q.target != nil && unitOK && f.cur >= 0 {
		code, scale = m.idx.curCode[f.cur], int(m.idx.curScale[f.cur])
		t, ok = m.targetIn(f.cur)
	}
	return bilingual(o, s, func(l lang) string {
		switch {
		case q.target == nil:
			return l.Say("The buyer gave no target price.", "Pembeli tidak memberi harga sasaran.")
		case !unitOK:
			return l.Sayf("The buyer's target is per %s and the listing's price per %s, so the prices cannot be compared.",
				"Harga sasaran pembeli per %s dan harga produk ini per %s, jadi harganya tidak dapat dibandingkan.", q.req.GetUnit(), l0.GetUnit())
		case f.cur < 0:
			return l.Say("The listing states no usable price.", "Produk ini tidak mencantumkan harga yang bisa dipakai.")
		case !ok:
			return l.Sayf("No exchange rate between %s and %s is available, so the prices cannot be compared.",
				"Tidak ada kurs antara %s dan %s, jadi harganya tidak dapat dibandingkan.", q.target.GetCurrencyCode(), code)
		}
		target := l.money(q.target.GetCurrencyCode(), q.targetMinor, q.targetScale)
		if code != q.target.GetCurrencyCode() {
			target += l.Say(" (about ", " (sekitar ") + l.money(code, t, scale) + ")"
		}
		rng := l.money(code, f.lo, scale)
		if f.hi != f.lo {
			rng += l.Say(" to ", " sampai ") + l.money(code, f.hi, scale)
		}
		per := l.Say(" per ", " per ") + l0.GetUnit()
		switch {
		case t >= f.hi:
			return l.Sayf("The buyer's target of %s%s is at or above the listing's price of %s%s.",
				"Harga sasaran pembeli %s%s sama dengan atau di atas harga produk ini %s%s.", target, per, rng, per)
		case t >= f.lo:
			return l.Sayf("The buyer's target of %s%s lies within the listing's price range of %s%s.",
				"Harga sasaran pembeli %s%s ada dalam rentang harga produk ini %s%s.", target, per, rng, per)
		}
		return l.Sayf("The lowest price, %s%s, is %s above the buyer's target of %s.",
			"Harga terendah, %s%s, %s di atas harga sasaran pembeli %s.",
			l.money(code, f.lo, scale), per, l.percent(float64(f.lo-t)/float64(t)), target)
	})
}

// leadTimeScore: can the first shipment leave by the needed-by date?
func (m *matcher) leadTimeScore(f *lfacts) (outcome, float64) {
	switch {
	case f.lead < 0 || !m.q.hasNeededBy:
		return unknown, 0
	case int(f.lead) <= m.q.window:
		return matched, 1
	}
	return notMatched, 0
}

func (m *matcher) explainLeadTime(f *lfacts) *pb.CriterionScore {
	q := &m.q
	o, s := m.leadTimeScore(f)
	lead := int(f.lead)
	return bilingual(o, s, func(l lang) string {
		switch {
		case f.lead < 0:
			return l.Say("The listing states no lead time.", "Produk ini tidak mencantumkan waktu produksi.")
		case !q.hasNeededBy:
			return l.Sayf("Ships %d days after an order; the buyer gave no needed-by date to compare with.",
				"Dikirim %d hari setelah pesanan; pembeli tidak memberi tanggal dibutuhkan untuk dibandingkan.", lead)
		case o == matched:
			return l.Sayf("Ships %d days after an order; the needed-by date %s is %d days away.",
				"Dikirim %d hari setelah pesanan; tanggal dibutuhkan %s masih %d hari lagi.", lead, formatDay(q.neededBy), q.window)
		case q.window < 0:
			return l.Sayf("Ships %d days after an order, but the needed-by date %s has passed.",
				"Dikirim %d hari setelah pesanan, tetapi tanggal dibutuhkan %s sudah lewat.", lead, formatDay(q.neededBy))
		}
		return l.Sayf("Ships %d days after an order, but the needed-by date %s is only %d days away: %d days too late.",
			"Dikirim %d hari setelah pesanan, tetapi tanggal dibutuhkan %s tinggal %d hari lagi: terlambat %d hari.",
			lead, formatDay(q.neededBy), q.window, lead-q.window)
	})
}

// readinessScore is requirement.Check's score for the listing's product and
// the destination: the share of mandatory exporter-side requirements met,
// 1 when none applies. The ranking computes it from the same rows without
// building the report; the explanation builds the report to name what is
// missing.
func (m *matcher) readinessScore(f *lfacts, pi *pinfo) (outcome, float64) {
	if len(m.e.reqs) == 0 {
		return unknown, 0
	}
	met, total := m.readiness(f, pi)
	switch met {
	case total:
		return matched, 1
	case 0:
		return notMatched, 0
	}
	return partial, float64(met) / float64(total)
}

func (m *matcher) explainReadiness(f *lfacts, pi *pinfo) *pb.CriterionScore {
	q := &m.q
	l0 := f.l
	p := m.idx.producers[f.prod].p
	o, s := m.readinessScore(f, pi)
	if o == unknown {
		return bilingual(o, s, func(l lang) string {
			return l.Say("No export-requirement catalogue is loaded, so export readiness cannot be judged.",
				"Katalog syarat ekspor belum dimuat, jadi kesiapan ekspor tidak dapat dinilai.")
		})
	}
	met, total := m.readiness(f, pi)
	var rep *pb.ReadinessReport
	if total > 0 {
		rep = requirement.Check(m.e.reqs, p, l0.GetName(), l0.GetHsCode(), l0.GetCategory(), q.dest, q.now)
	}
	return bilingual(o, s, func(l lang) string {
		where := l.category(l0.GetCategory()) + l.Say(" leaving Indonesia", " yang keluar dari Indonesia")
		if q.dest != "" {
			where = l.category(l0.GetCategory()) + l.Say(" shipped to ", " yang dikirim ke ") + l.country(q.dest)
		}
		if total == 0 {
			return l.Sayf("No mandatory export requirement is on file for %s.", "Tidak ada syarat ekspor wajib yang tercatat untuk %s.", where) + m.renewalNote(l, p)
		}
		text := l.Sayf("Meets %d of %d mandatory export requirements for %s.", "Memenuhi %d dari %d syarat ekspor wajib untuk %s.", met, total, where)
		var gaps []string
		for _, it := range rep.GetItems() {
			r := it.GetRequirement()
			if !requirement.CountsInScore(r) {
				continue
			}
			switch it.GetStatus() {
			case pb.ReadinessStatus_MISSING:
				gaps = append(gaps, r.GetTitle()+l.Say(" (missing)", " (belum ada)"))
			case pb.ReadinessStatus_EXPIRED:
				gaps = append(gaps, r.GetTitle()+l.Say(" (expired)", " (habis berlaku)"))
			}
		}
		if len(gaps) > 0 {
			text += l.Say(" Still needed: ", " Masih diperlukan: ") + strings.Join(gaps, "; ") + "."
		}
		if rep.GetHasUnconfirmed() {
			text += l.Say(" Some of these rules are still being verified by the trade office.", " Sebagian aturan ini masih diperiksa oleh Disperindag.")
		}
		return text + m.renewalNote(l, p)
	})
}

// renewalNote warns about required certificates that are valid today but
// lapse before the needed-by date. They pass the hard constraint (see the
// package documentation), but the producer must renew them before shipping.
func (m *matcher) renewalNote(l lang, p *pb.Producer) string {
	q := &m.q
	if !q.hasNeededBy {
		return ""
	}
	var notes []string
	for _, t := range q.required {
		exp, dated, ok := bestExpiry(p.GetCertifications(), t, q.today)
		if ok && dated && exp < q.neededBy {
			notes = append(notes, l.Sayf("%s expires on %s", "%s habis berlaku pada %s", t, formatDay(exp)))
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return l.Sayf(" Before the needed-by date %s: %s; renew before shipping.", " Sebelum tanggal dibutuhkan %s: %s; perpanjang sebelum pengiriman.", formatDay(q.neededBy), l.and(notes))
}

// trustScore: the trade office's verification (three quarters of the
// score) and closed deals on the platform (the rest, full at three deals).
// A firm nobody has checked yet and with no deal history is UNKNOWN, not
// NOT_MATCHED: nothing is known against it, but nothing counts for it.
func (m *matcher) trustScore(pf *pfacts, pi *pinfo) (outcome, float64) {
	v := 0.0
	switch pf.verification {
	case pb.VerificationState_VERIFIED:
		v = 1
	case pb.VerificationState_PENDING_REVIEW:
		v = pendingTrust
	}
	deals := 0
	if pi.hasStats {
		deals = min(max(pi.stats.Deals, 0), dealsForFull)
	}
	s := verificationShare*v + (1-verificationShare)*float64(deals)/dealsForFull
	switch {
	case pf.verification == pb.VerificationState_REJECTED:
		return notMatched, s
	case pf.verification == pb.VerificationState_VERIFIED:
		return matched, s
	case s > 0:
		return partial, s
	}
	return unknown, 0
}

func (m *matcher) explainTrust(pf *pfacts, pi *pinfo) *pb.CriterionScore {
	o, s := m.trustScore(pf, pi)
	deals := max(pi.stats.Deals, 0)
	return bilingual(o, s, func(l lang) string {
		var text string
		switch pf.verification {
		case pb.VerificationState_VERIFIED:
			text = l.Say("Verified by the trade office", "Terverifikasi oleh Disperindag")
		case pb.VerificationState_PENDING_REVIEW:
			text = l.Say("Verification by the trade office is pending", "Verifikasi oleh Disperindag masih diproses")
		case pb.VerificationState_REJECTED:
			text = l.Say("The trade office could not confirm this firm's details", "Disperindag tidak dapat memastikan data usaha ini")
		default:
			text = l.Say("Not verified by the trade office yet", "Belum diverifikasi oleh Disperindag")
		}
		switch {
		case !pi.hasStats:
			text += l.Say("; no deal history is available.", "; belum ada riwayat transaksi.")
		case deals == 0:
			text += l.Say("; no deals closed on the platform yet.", "; belum ada transaksi yang selesai di platform.")
		case deals == 1:
			text += l.Say("; 1 deal closed on the platform.", "; 1 transaksi selesai di platform.")
		default:
			text += l.Sayf("; %d deals closed on the platform.", "; %d transaksi selesai di platform.", deals)
		}
		return text
	})
}

// responsivenessScore: the share of proposals the producer answered; no
// proposals yet is UNKNOWN.
func responsivenessScore(pi *pinfo) (outcome, float64) {
	if !pi.hasStats || pi.stats.Proposals <= 0 {
		return unknown, 0
	}
	s := float64(min(max(pi.stats.Answered, 0), pi.stats.Proposals)) / float64(pi.stats.Proposals)
	switch {
	case s >= responsiveMatched:
		return matched, s
	case s > 0:
		return partial, s
	}
	return notMatched, 0
}

func (m *matcher) explainResponsiveness(pi *pinfo) *pb.CriterionScore {
	o, s := responsivenessScore(pi)
	answered := min(max(pi.stats.Answered, 0), pi.stats.Proposals)
	return bilingual(o, s, func(l lang) string {
		if o == unknown {
			return l.Say("No proposals on the platform yet, so responsiveness is unknown.", "Belum ada usulan di platform, jadi kecepatan tanggapan belum diketahui.")
		}
		return l.Sayf("Answered %d of %d proposals (%s).", "Menjawab %d dari %d usulan (%s).", answered, pi.stats.Proposals, l.percent(s))
	})
}
