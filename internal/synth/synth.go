// Package synth generates synthetic catalogues of any size with the shape of
// the real Blitar data: few categories (djembe dominant, then koi, plants,
// sambal pecel and handicraft), many small producers and a few large ones
// (listings per producer follow a Zipf law), districts skewed per product
// (djembe from Nglegok, Garum and Kanigoro), a long tail of destination
// countries, prices per category in several currencies, optional fields
// sometimes unknown, most listings ACTIVE, and now and then product words in
// Chinese and Japanese. It is for benchmarks and load tests: every producer,
// listing, buyer and request passes the validate package.
//
// Unlike seed.Demo, listings carry create_time and update_time (spread over
// the three years before now), so that sorting by newest has something to
// sort; a store that sets these itself simply overwrites them.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/seed"
)

// Generate returns a synthetic data set of the given numbers of producers
// and listings, with listings/20 buyers (at least one) and two buying
// requests each. The result depends only on the arguments.
func Generate(seedValue int64, producers, listings int, now time.Time) *seed.Dataset {
	return GenerateProgress(seedValue, producers, listings, now, nil)
}

// progressStep is how many listings GenerateProgress makes between two
// reports.
const progressStep = 10_000

// GenerateProgress is Generate reporting, every 10,000 listings and at the
// end, how many listings it has made so far (5 million take a while).
// progress may be nil; it does not change the result.
func GenerateProgress(seedValue int64, producers, listings int, now time.Time, progress func(listingsDone int)) *seed.Dataset {
	if progress == nil {
		progress = func(int) {}
	}
	if producers < 1 {
		producers = 1
	}
	if listings < 0 {
		listings = 0
	}
	g := &gen{
		r:   rand.New(rand.NewPCG(uint64(seedValue), 0x5eed_b117a4)),
		now: now.UTC(),
	}
	g.today = time.Date(g.now.Year(), g.now.Month(), g.now.Day(), 0, 0, 0, 0, time.UTC)
	ds := &seed.Dataset{
		Producers: make([]*pb.Producer, producers),
		Listings:  make([]*pb.Listing, 0, listings),
	}

	// Producer ranks by size: rank 0 is the largest. perm scatters ranks
	// over ids so that big producers are not all at the start.
	perm := g.r.Perm(producers)
	fams := make([]*family, producers)
	for i := range producers {
		fams[i] = g.pickFamily()
	}
	// The largest producers are often consolidators.
	consolidator := make([]bool, producers)
	for rank := 0; rank < producers/30+1 && rank < producers; rank++ {
		consolidator[perm[rank]] = g.r.IntN(2) == 0
	}
	for i := range producers {
		ds.Producers[i] = g.producer(i, fams[i], consolidator[i], producers)
	}

	zipf := rand.NewZipf(g.r, 1.15, 3, uint64(producers-1))
	for n := range listings {
		p := perm[zipf.Uint64()]
		fam := fams[p]
		if consolidator[p] && g.r.IntN(4) == 0 {
			fam = g.pickFamily()
		}
		ds.Listings = append(ds.Listings, g.listing(n, p, fam, ds.Producers[p].GetDistrict()))
		if (n+1)%progressStep == 0 {
			progress(n + 1)
		}
	}
	if listings%progressStep != 0 {
		progress(listings)
	}

	buyers := max(1, listings/20)
	ds.Buyers = make([]*pb.Buyer, 0, buyers)
	ds.BuyingRequests = make([]*pb.BuyingRequest, 0, 2*buyers)
	for i := range buyers {
		b := g.buyer(i)
		ds.Buyers = append(ds.Buyers, b)
		for j := range 2 {
			ds.BuyingRequests = append(ds.BuyingRequests, g.request(b, i, j))
		}
	}
	return ds
}

type gen struct {
	r     *rand.Rand
	now   time.Time
	today time.Time
}

func (g *gen) pickFamily() *family {
	x := g.r.Float64()
	for i := range families {
		x -= families[i].weight
		if x < 0 {
			return &families[i]
		}
	}
	return &families[0]
}

func pickWeighted[T any](r *rand.Rand, ws []weighted[T]) T {
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	x := r.Float64() * total
	for _, w := range ws {
		x -= w.w
		if x < 0 {
			return w.v
		}
	}
	return ws[len(ws)-1].v
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance reports true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) date(daysFromToday int) *date.Date {
	t := g.today.AddDate(0, 0, daysFromToday)
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

// ProducerName and ListingName are the resource names Generate uses.
func ProducerName(i int) string { return fmt.Sprintf("producers/syn-%06d", i) }

// ListingName is the name of listing n of producer p.
func ListingName(p, n int) string { return fmt.Sprintf("producers/syn-%06d/listings/l-%07d", p, n) }

func (g *gen) producer(i int, fam *family, consolidator bool, total int) *pb.Producer {
	r := g.r
	district := pickWeighted(r, fam.districts)
	if g.chance(0.05) {
		district = pick(r, districtsAll)
	}
	display := pick(r, fam.namePrefixes) + " " + pick(r, nameWords)
	if g.chance(0.6) {
		display += " " + district
	}
	p := &pb.Producer{
		Name:              ProducerName(i),
		DisplayName:       display,
		BusinessId:        fmt.Sprintf("%013d", 9100000000000+int64(i)),
		Kind:              pb.Producer_PRODUCER,
		District:          district,
		ExportsInOwnName:  g.chance(0.4),
		YearFounded:       int32(g.now.Year() - r.IntN(35)),
		WorkerCount:       int32(2 + r.IntN(40)),
		LanguageCodes:     []string{"id"},
		VerificationState: pickWeighted(r, verificationStates),
	}
	if p.VerificationState == pb.VerificationState_VERIFIED {
		p.VerificationNote = "NIB checked; workshop visited."
	}
	if g.chance(0.7) {
		p.LegalName = pick(r, []string{"UD ", "CV ", "PT "}) + pick(r, nameWords) + " " + pick(r, nameWords)
	}
	if g.chance(0.6) {
		p.Village = pick(r, villages)
	}
	if g.chance(0.7) {
		p.Contact = &pb.Contact{
			PersonName: pick(r, people),
			Phone:      fmt.Sprintf("+62812%08d", r.IntN(100_000_000)),
			Email:      fmt.Sprintf("sales@syn-%06d.example", i),
		}
		if g.chance(0.8) {
			p.Contact.Whatsapp = p.Contact.Phone
		}
	}
	if g.chance(0.2) {
		p.WebsiteUri = fmt.Sprintf("https://syn-%06d.example", i)
	}
	for _, lang := range []string{"en", "zh", "ja"} {
		if g.chance(0.3) {
			p.LanguageCodes = append(p.LanguageCodes, lang)
		}
	}
	if consolidator {
		p.Kind = pb.Producer_CONSOLIDATOR
		p.WorkerCount = int32(10 + r.IntN(300))
		p.ExportsInOwnName = true
		n := min(3+r.IntN(18), total-1)
		seen := map[int]bool{i: true}
		for len(p.MemberProducers) < n {
			m := r.IntN(total)
			if !seen[m] {
				seen[m] = true
				p.MemberProducers = append(p.MemberProducers, ProducerName(m))
			}
		}
	}
	// Export history: unique country and year pairs, in the last 5 years.
	nRecords := r.IntN(5)
	seen := map[string]bool{}
	for range nRecords {
		c := pickWeighted(r, fam.markets)
		y := int32(g.now.Year() - 1 - r.IntN(5))
		key := c + strconv.Itoa(int(y))
		if seen[key] {
			continue
		}
		seen[key] = true
		rec := &pb.ExportRecord{CountryCode: c, Year: y}
		if g.chance(0.7) {
			rec.Value = &moneypb.Money{CurrencyCode: "USD", Units: int64(1000 + r.IntN(200_000))}
		}
		if !p.ExportsInOwnName && g.chance(0.5) {
			rec.Note = "through a Surabaya exporter"
		}
		p.ExportHistory = append(p.ExportHistory, rec)
	}
	// Certificates of the family; some expired, some without expiry.
	for _, typ := range fam.certs {
		if !g.chance(0.45) {
			continue
		}
		issued := -r.IntN(4 * 365)
		c := &pb.Certification{
			Type:      typ,
			Number:    fmt.Sprintf("%s/%06d/%d", typ, i, g.now.Year()),
			Issuer:    "Barantin",
			IssueDate: g.date(issued),
		}
		if typ != "ISPM15" && typ != "HALAL" && typ != "PIRT" {
			// Valid one to five years; those issued long ago have lapsed.
			c.ExpiryDate = g.date(issued + 365 + r.IntN(4*365))
		}
		p.Certifications = append(p.Certifications, c)
	}
	return p
}

var verificationStates = []weighted[pb.VerificationState]{
	{pb.VerificationState_VERIFIED, 45}, {pb.VerificationState_PENDING_REVIEW, 20},
	{pb.VerificationState_UNVERIFIED, 30}, {pb.VerificationState_REJECTED, 5},
}

var districtsAll = []string{
	"Bakung", "Binangun", "Doko", "Gandusari", "Garum", "Kademangan",
	"Kanigoro", "Kesamben", "Nglegok", "Panggungrejo", "Ponggok", "Sanankulon",
	"Selopuro", "Selorejo", "Srengat", "Sutojayan", "Talun", "Udanawu",
	"Wates", "Wlingi", "Wonodadi", "Wonotirto",
}

var listingStates = []weighted[pb.Listing_State]{
	{pb.Listing_ACTIVE, 85}, {pb.Listing_PAUSED, 7}, {pb.Listing_DRAFT, 5}, {pb.Listing_ARCHIVED, 3},
}

func (g *gen) listing(n, p int, fam *family, district string) *pb.Listing {
	r := g.r
	l := &pb.Listing{
		Name:     ListingName(p, n),
		Category: fam.category,
		HsCode:   pick(r, fam.hsCodes),
		Unit:     pick(r, fam.units),
		State:    pickWeighted(r, listingStates),
	}
	var sayings []string
	switch fam.key {
	case "djembe":
		size := pick(r, djembeSizes)
		wood, head := pick(r, djembeWoods), pick(r, djembeHeads)
		l.Title = fmt.Sprintf("%s%s %s cm, %s, %s head", pick(r, djembeAdjs), pick(r, djembeTitles), size, wood, head)
		l.Attributes = map[string]string{"size_cm": size, "wood": wood, "head": head}
		if g.chance(0.6) {
			l.Attributes["finish"] = pick(r, djembeFinish)
		}
		if g.chance(0.5) {
			l.Attributes["rope"] = pick(r, djembeRopes)
		}
		sayings = []string{
			fmt.Sprintf(djembeSayings[0], head, pick(r, djembeRopes)),
			djembeSayings[1], djembeSayings[2],
			fmt.Sprintf(djembeSayings[3], district),
			djembeSayings[4], djembeSayings[5], djembeSayings[6], djembeSayings[7], djembeSayings[8],
		}
	case "koi":
		v := pick(r, koiVarieties)
		lo := 10 + 5*r.IntN(10)
		hi := lo + 5 + 5*r.IntN(3)
		age := pick(r, koiAges)
		l.Title = fmt.Sprintf(pick(r, koiTitles), v, lo, hi, age)
		l.Attributes = map[string]string{"variety": v, "size_cm": fmt.Sprintf("%d-%d", lo, hi), "age": age}
		if g.chance(0.5) {
			l.Attributes["grade"] = pick(r, koiGrades)
		}
		sayings = koiSayings
	case "plant":
		sp := plantSpecies[r.IntN(len(plantSpecies))]
		form := pick(r, plantForms)
		l.Title = sp.species + ", " + form
		l.Attributes = map[string]string{"species": sp.species, "form": form, "common_name": sp.common}
		if g.chance(0.5) {
			l.Attributes["pot_size_cm"] = strconv.Itoa(8 + 2*r.IntN(8))
		}
		sayings = plantSayings
	case "sambal":
		pack := sambalPacks[r.IntN(len(sambalPacks))]
		l.Title = fmt.Sprintf(pick(r, sambalTitles), pick(r, sambalVariants), pack.label)
		l.Unit = pack.unit
		l.Attributes = map[string]string{"net_weight_g": pack.grams, "shelf_life_months": strconv.Itoa(3 + r.IntN(10)), "spice_level": pick(r, []string{"mild", "medium", "hot", "extra hot"})}
		sayings = sambalSayings
	default:
		item := craftItems[r.IntN(len(craftItems))]
		l.Title = item.title
		l.HsCode = item.hs
		l.Attributes = map[string]string{"material": item.material}
		if g.chance(0.5) {
			l.Attributes["finish"] = pick(r, []string{"natural", "polished", "painted", "oiled"})
		}
		sayings = craftSayings
	}
	if g.chance(0.7) {
		k := 1 + r.IntN(3)
		desc := ""
		for j := range k {
			if j > 0 {
				desc += " "
			}
			desc += pick(r, sayings)
		}
		l.Description = desc
	}

	// Price: mostly USD; IDR, CNY, HKD or JPY now and then.
	if g.chance(0.95) {
		lo := fam.priceLo + r.Int64N(fam.priceHi-fam.priceLo)/3
		hi := lo + r.Int64N(lo+1)
		l.PriceMin = g.price(lo, fam)
		l.PriceMax = money(l.PriceMin.GetCurrencyCode(), hi)
	}
	if g.chance(0.85) {
		moq := int64([]int{1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 3600}[r.IntN(13)])
		l.MinOrderQuantity = &moq
	}
	if g.chance(0.75) {
		c := int64(10 * (1 + r.IntN(400)))
		l.MonthlyCapacity = &c
	}
	if g.chance(0.8) {
		d := int32(5 + r.IntN(60))
		l.LeadTimeDays = &d
	}
	if g.chance(0.95) {
		n := 1 + r.IntN(4)
		for range n {
			c := pickWeighted(r, fam.markets)
			if g.chance(0.25) {
				// Long tail: a Zipf-like pick from the whole list.
				c = longTail[min(len(longTail)-1, int(r.ExpFloat64()*8))]
			}
			if !contains(l.ShipToCountryCodes, c) {
				l.ShipToCountryCodes = append(l.ShipToCountryCodes, c)
			}
		}
	}
	if g.chance(0.5) {
		for k := range 1 + r.IntN(3) {
			l.ImageUris = append(l.ImageUris, fmt.Sprintf("https://img.syn.example/l-%07d/%d.jpg", n, k+1))
		}
	}
	created := g.now.Add(-time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour))))
	l.CreateTime = timestamppb.New(created)
	l.UpdateTime = timestamppb.New(created.Add(time.Duration(r.Int64N(int64(g.now.Sub(created)) + 1))))
	return l
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// Rough units of a currency per US dollar, only to make prices look local;
// the amounts are invented anyway.
var perUSD = map[string]int64{"USD": 1, "IDR": 16000, "CNY": 7, "HKD": 8, "JPY": 150}

// price returns cents of USD as a Money in a currency typical of the family.
func (g *gen) price(cents int64, fam *family) *moneypb.Money {
	code := "USD"
	switch x := g.r.IntN(100); {
	case x < 8:
		code = "IDR"
	case x < 12 && fam.key == "djembe":
		code = "CNY"
	case x < 14 && fam.key == "sambal":
		code = "HKD"
	case x < 14 && fam.key == "koi":
		code = "JPY"
	}
	return money(code, cents)
}

// money converts US cents into code: whole rupiah in thousands, whole yen,
// cents otherwise.
func money(code string, cents int64) *moneypb.Money {
	switch code {
	case "IDR":
		return &moneypb.Money{CurrencyCode: code, Units: cents * perUSD[code] / 100 / 1000 * 1000}
	case "JPY":
		return &moneypb.Money{CurrencyCode: code, Units: cents * perUSD[code] / 100}
	case "USD":
		return &moneypb.Money{CurrencyCode: code, Units: cents / 100, Nanos: int32(cents%100) * 10_000_000}
	}
	c := cents * perUSD[code]
	return &moneypb.Money{CurrencyCode: code, Units: c / 100, Nanos: int32(c%100) * 10_000_000}
}

var buyerCountries = []weighted[string]{
	{"CN", 22}, {"TW", 10}, {"HK", 10}, {"JP", 12}, {"US", 18}, {"MY", 5}, {"SG", 5},
	{"DE", 4}, {"NL", 4}, {"FR", 2}, {"KR", 2}, {"AU", 2}, {"GB", 2}, {"CA", 1}, {"SA", 1},
}

var countryLanguages = map[string][]string{
	"CN": {"zh"}, "TW": {"zh", "en"}, "HK": {"zh", "en"}, "JP": {"ja"}, "US": {"en"},
	"MY": {"ms", "en"}, "SG": {"en", "zh"}, "DE": {"de", "en"}, "NL": {"nl", "en"},
	"FR": {"fr"}, "KR": {"ko"}, "AU": {"en"}, "GB": {"en"}, "CA": {"en", "fr"}, "SA": {"ar", "en"},
}

var buyerWords = []string{"Trading", "Imports", "Music", "Koi Centre", "Garden", "Foods", "Supply", "Distribution", "Mart", "Crafts"}

func (g *gen) buyer(i int) *pb.Buyer {
	r := g.r
	country := pickWeighted(r, buyerCountries)
	b := &pb.Buyer{
		Name:              fmt.Sprintf("buyers/syn-buyer-%06d", i),
		DisplayName:       fmt.Sprintf("%s %s %d", pick(r, nameWords), pick(r, buyerWords), i),
		CountryCode:       country,
		BusinessType:      pb.Buyer_BusinessType(1 + r.IntN(8)),
		LanguageCodes:     append([]string(nil), countryLanguages[country]...),
		VerificationState: pickWeighted(r, verificationStates),
	}
	if g.chance(0.8) {
		// Phone numbers would have to be valid for each country; e-mail only.
		b.Contact = &pb.Contact{PersonName: pick(r, people), Email: fmt.Sprintf("buyer-%06d@syn.example", i)}
	}
	fam := g.pickFamily()
	b.ProductInterests = []*pb.ProductInterest{{Category: fam.category, HsPrefix: fam.hsCodes[0][:4]}}
	if g.chance(0.3) {
		b.ProductInterests = append(b.ProductInterests, &pb.ProductInterest{Category: g.pickFamily().category})
	}
	if country == "HK" && fam.key == "sambal" {
		b.ImportRegistrations = []*pb.ImportRegistration{{
			Type: "HK_FOOD_IMPORTER", Number: fmt.Sprintf("FID-%06d", i), Issuer: "Centre for Food Safety",
			CountryCode: "HK", ExpiryDate: g.date(100 + r.IntN(900)),
		}}
	}
	return b
}

var requestStates = []weighted[pb.BuyingRequest_State]{
	{pb.BuyingRequest_OPEN, 80}, {pb.BuyingRequest_CLOSED, 10}, {pb.BuyingRequest_EXPIRED, 10},
}

func (g *gen) request(b *pb.Buyer, i, j int) *pb.BuyingRequest {
	r := g.r
	cat := b.GetProductInterests()[0].GetCategory()
	fam := &families[0]
	for k := range families {
		if families[k].category == cat {
			fam = &families[k]
		}
	}
	qty := int64([]int{20, 50, 100, 200, 300, 500, 1000, 3600, 7200, 10000}[r.IntN(10)])
	req := &pb.BuyingRequest{
		Name:                   fmt.Sprintf("%s/buyingRequests/r-%d", b.GetName(), j+1),
		Title:                  fmt.Sprintf("%d %s of %s for %s", qty, fam.units[0], fam.key, b.GetCountryCode()),
		Category:               cat,
		HsPrefix:               fam.hsCodes[0][:4],
		Quantity:               qty,
		Unit:                   fam.units[0],
		DestinationCountryCode: b.GetCountryCode(),
		Incoterm:               pb.Incoterm(1 + r.IntN(11)),
		NeededByDate:           g.date(30 + r.IntN(200)),
		ExpireTime:             timestamppb.New(g.now.Add(time.Duration(10+r.IntN(110)) * 24 * time.Hour)),
		State:                  pickWeighted(r, requestStates),
	}
	if g.chance(0.7) {
		req.TargetPrice = money("USD", fam.priceLo+r.Int64N(fam.priceHi-fam.priceLo)/4+1)
	}
	if g.chance(0.4) {
		req.RequiredCertificationTypes = []string{pick(r, fam.certs)}
	}
	if g.chance(0.6) {
		req.Description = "Synthetic request " + strconv.Itoa(i) + "; " + pick(r, []string{"repeat orders possible.", "samples first.", "consistent quality across suppliers.", "one shipper of record preferred."})
	}
	return req
}
