package seed

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nyaruka/phonenumbers"
	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
)

// Load times the data must be valid for: today, and dates where month
// arithmetic is awkward (month ends, a leap day, the turn of a year).
var loadTimes = []time.Time{
	time.Now(),
	time.Date(2026, time.January, 31, 23, 59, 59, 0, time.UTC),
	time.Date(2028, time.February, 29, 12, 0, 0, 0, time.UTC),
	time.Date(2027, time.December, 31, 6, 30, 0, 0, time.FixedZone("WIB", 7*3600)),
}

var fixedNow = time.Date(2026, time.March, 15, 9, 0, 0, 0, time.UTC)

var (
	idRe       = `[a-z]([a-z0-9-]{0,61}[a-z0-9])?`
	producerRe = regexp.MustCompile(`^producers/` + idRe + `$`)
	listingRe  = regexp.MustCompile(`^producers/` + idRe + `/listings/` + idRe + `$`)
	buyerRe    = regexp.MustCompile(`^buyers/` + idRe + `$`)
	requestRe  = regexp.MustCompile(`^buyers/` + idRe + `/buyingRequests/` + idRe + `$`)
	upperSnake = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	lowerSnake = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	countryRe  = regexp.MustCompile(`^[A-Z]{2}$`)
	hsRe       = regexp.MustCompile(`^([0-9]{4}|[0-9]{6}|[0-9]{8}|[0-9]{10})$`)
	nibRe      = regexp.MustCompile(`^[0-9]{13}$`)
)

// districts are the 22 kecamatan of Kabupaten Blitar, spelled as in FACTS.md.
var districts = []string{
	"Bakung", "Binangun", "Doko", "Gandusari", "Garum", "Kademangan", "Kanigoro", "Kesamben",
	"Nglegok", "Panggungrejo", "Ponggok", "Sanankulon", "Selopuro", "Selorejo", "Srengat",
	"Sutojayan", "Talun", "Udanawu", "Wates", "Wlingi", "Wonodadi", "Wonotirto",
}

// hsPrefixByCategory is the HS heading every listing of a category starts with.
var hsPrefixByCategory = map[pb.Category]string{
	pb.Category_MUSICAL_INSTRUMENT: "9206",
	pb.Category_FOOD:               "2103",
	pb.Category_ORNAMENTAL_FISH:    "0301",
	pb.Category_ORNAMENTAL_PLANT:   "0602",
}

func parentOf(name string) string {
	parts := strings.Split(name, "/")
	return strings.Join(parts[:2], "/")
}

func dateTime(d *date.Date) time.Time {
	return time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, time.UTC)
}

func TestCounts(t *testing.T) {
	d := Demo(fixedNow)
	consolidators := 0
	for _, p := range d.Producers {
		if p.GetKind() == pb.Producer_CONSOLIDATOR {
			consolidators++
		}
	}
	tests := []struct {
		what     string
		got, min int
	}{
		{"producers", len(d.Producers), 22},
		{"consolidators", consolidators, 2},
		{"listings", len(d.Listings), 45},
		{"buyers", len(d.Buyers), 12},
		{"buying requests", len(d.BuyingRequests), 10},
	}
	for _, tt := range tests {
		if tt.got < tt.min {
			t.Errorf("%d %s, want at least %d", tt.got, tt.what, tt.min)
		}
	}
}

func TestResourceNamesWellFormedAndUnique(t *testing.T) {
	d := Demo(fixedNow)
	seen := map[string]bool{}
	check := func(name string, re *regexp.Regexp) {
		t.Helper()
		if !re.MatchString(name) {
			t.Errorf("name %q does not match %s", name, re)
		}
		if seen[name] {
			t.Errorf("name %q used twice", name)
		}
		seen[name] = true
	}
	for _, p := range d.Producers {
		check(p.GetName(), producerRe)
	}
	for _, l := range d.Listings {
		check(l.GetName(), listingRe)
	}
	for _, b := range d.Buyers {
		check(b.GetName(), buyerRe)
	}
	for _, r := range d.BuyingRequests {
		check(r.GetName(), requestRe)
	}
}

func TestReferencesResolve(t *testing.T) {
	d := Demo(fixedNow)
	producers := map[string]*pb.Producer{}
	for _, p := range d.Producers {
		producers[p.GetName()] = p
	}
	buyers := map[string]bool{}
	for _, b := range d.Buyers {
		buyers[b.GetName()] = true
	}
	for _, l := range d.Listings {
		if producers[parentOf(l.GetName())] == nil {
			t.Errorf("listing %s: parent producer does not exist", l.GetName())
		}
	}
	for _, r := range d.BuyingRequests {
		if !buyers[parentOf(r.GetName())] {
			t.Errorf("request %s: parent buyer does not exist", r.GetName())
		}
	}
	for _, p := range d.Producers {
		members := p.GetMemberProducers()
		if p.GetKind() != pb.Producer_CONSOLIDATOR {
			if len(members) > 0 {
				t.Errorf("producer %s is not a consolidator but has members", p.GetName())
			}
			continue
		}
		if len(members) < 3 {
			t.Errorf("consolidator %s has %d members, want several", p.GetName(), len(members))
		}
		seen := map[string]bool{}
		for _, m := range members {
			switch member := producers[m]; {
			case member == nil:
				t.Errorf("consolidator %s: member %s does not exist", p.GetName(), m)
			case member.GetKind() != pb.Producer_PRODUCER:
				t.Errorf("consolidator %s: member %s is not a PRODUCER", p.GetName(), m)
			case seen[m]:
				t.Errorf("consolidator %s: member %s listed twice", p.GetName(), m)
			}
			seen[m] = true
		}
	}
}

// TestDjembeConsolidators checks the story the demo tells: at least two
// consolidators ship for several djembe makers.
func TestDjembeConsolidators(t *testing.T) {
	d := Demo(fixedNow)
	makesDjembe := map[string]bool{}
	for _, l := range d.Listings {
		if l.GetCategory() == pb.Category_MUSICAL_INSTRUMENT {
			makesDjembe[parentOf(l.GetName())] = true
		}
	}
	n := 0
	for _, p := range d.Producers {
		if p.GetKind() != pb.Producer_CONSOLIDATOR {
			continue
		}
		djembeMembers := 0
		for _, m := range p.GetMemberProducers() {
			if makesDjembe[m] {
				djembeMembers++
			}
		}
		if djembeMembers >= 3 {
			n++
		}
	}
	if n < 2 {
		t.Errorf("%d consolidators with 3 or more djembe makers as members, want at least 2", n)
	}
}

func TestDistrictsCanonical(t *testing.T) {
	d := Demo(fixedNow)
	djembeDistricts := map[string]bool{}
	for _, p := range d.Producers {
		if !slices.Contains(districts, p.GetDistrict()) && p.GetDistrict() != "Kota Blitar" {
			t.Errorf("producer %s: district %q is neither one of the 22 kecamatan nor Kota Blitar", p.GetName(), p.GetDistrict())
		}
	}
	producers := map[string]*pb.Producer{}
	for _, p := range d.Producers {
		producers[p.GetName()] = p
	}
	for _, l := range d.Listings {
		if l.GetCategory() == pb.Category_MUSICAL_INSTRUMENT {
			djembeDistricts[producers[parentOf(l.GetName())].GetDistrict()] = true
		}
	}
	// Kampung Kendang Sentul is in the city (audit, item 11).
	for _, want := range []string{"Nglegok", "Garum", "Kanigoro", "Kota Blitar"} {
		if !djembeDistricts[want] {
			t.Errorf("no djembe maker in %s", want)
		}
	}
}

func TestCoverage(t *testing.T) {
	d := Demo(fixedNow)
	activeByCategory := map[pb.Category]int{}
	for _, l := range d.Listings {
		if l.GetState() == pb.Listing_ACTIVE {
			activeByCategory[l.GetCategory()]++
		}
	}
	for _, c := range []pb.Category{
		pb.Category_MUSICAL_INSTRUMENT, pb.Category_FOOD, pb.Category_ORNAMENTAL_FISH,
		pb.Category_ORNAMENTAL_PLANT, pb.Category_HANDICRAFT,
	} {
		if activeByCategory[c] == 0 {
			t.Errorf("no ACTIVE listing in category %v", c)
		}
	}
	buyerCountries := map[string]bool{}
	for _, b := range d.Buyers {
		buyerCountries[b.GetCountryCode()] = true
	}
	for _, cc := range []string{"CN", "TW", "HK", "JP", "US"} {
		if !buyerCountries[cc] {
			t.Errorf("no buyer in %s", cc)
		}
	}
	listingStates := map[pb.Listing_State]int{}
	for _, l := range d.Listings {
		listingStates[l.GetState()]++
	}
	requestStates := map[pb.BuyingRequest_State]int{}
	for _, r := range d.BuyingRequests {
		requestStates[r.GetState()]++
	}
	verification := map[pb.VerificationState]int{}
	for _, p := range d.Producers {
		verification[p.GetVerificationState()]++
	}
	buyerVerification := map[pb.VerificationState]int{}
	for _, b := range d.Buyers {
		buyerVerification[b.GetVerificationState()]++
	}
	for _, tt := range []struct {
		what string
		got  int
		min  int
	}{
		{"ACTIVE listings", listingStates[pb.Listing_ACTIVE], len(d.Listings) / 2},
		{"DRAFT listings", listingStates[pb.Listing_DRAFT], 1},
		{"PAUSED listings", listingStates[pb.Listing_PAUSED], 1},
		{"ARCHIVED listings", listingStates[pb.Listing_ARCHIVED], 1},
		{"CLOSED requests", requestStates[pb.BuyingRequest_CLOSED], 1},
		{"EXPIRED requests", requestStates[pb.BuyingRequest_EXPIRED], 1},
		{"VERIFIED producers", verification[pb.VerificationState_VERIFIED], len(d.Producers) / 2},
		{"UNVERIFIED producers", verification[pb.VerificationState_UNVERIFIED], 1},
		{"PENDING_REVIEW producers", verification[pb.VerificationState_PENDING_REVIEW], 1},
		{"VERIFIED buyers", buyerVerification[pb.VerificationState_VERIFIED], 1},
		{"unverified or pending buyers", buyerVerification[pb.VerificationState_UNVERIFIED] + buyerVerification[pb.VerificationState_PENDING_REVIEW], 1},
	} {
		if tt.got < tt.min {
			t.Errorf("%d %s, want at least %d", tt.got, tt.what, tt.min)
		}
	}
	for _, l := range d.Listings {
		if l.GetState() == pb.Listing_STATE_UNSPECIFIED {
			t.Errorf("listing %s has no state", l.GetName())
		}
	}
	for _, r := range d.BuyingRequests {
		if r.GetState() == pb.BuyingRequest_STATE_UNSPECIFIED {
			t.Errorf("request %s has no state", r.GetName())
		}
	}
	for _, p := range d.Producers {
		if p.GetVerificationState() == pb.VerificationState_VERIFICATION_STATE_UNSPECIFIED {
			t.Errorf("producer %s has no verification state", p.GetName())
		}
	}
	for _, b := range d.Buyers {
		if b.GetVerificationState() == pb.VerificationState_VERIFICATION_STATE_UNSPECIFIED {
			t.Errorf("buyer %s has no verification state", b.GetName())
		}
	}
}

// checkMoney fails unless m is a valid amount of a known currency with no
// digits below the currency's minor unit, and returns it in minor units.
func checkMoney(t *testing.T, what string, m *moneypb.Money) int64 {
	t.Helper()
	minor, err := money.ToMinor(m)
	if err != nil {
		t.Errorf("%s: %v: %v", what, m, err)
	}
	if m.GetNanos()%10_000_000 != 0 {
		t.Errorf("%s: %v has more than 2 decimals", what, m)
	}
	return minor
}

func TestMoney(t *testing.T) {
	d := Demo(fixedNow)
	for _, l := range d.Listings {
		lo, hi := l.GetPriceMin(), l.GetPriceMax()
		if (lo == nil) != (hi == nil) {
			t.Errorf("listing %s: only one of price_min and price_max is set", l.GetName())
			continue
		}
		if lo == nil {
			continue
		}
		if lo.GetCurrencyCode() != hi.GetCurrencyCode() {
			t.Errorf("listing %s: price_min in %s, price_max in %s", l.GetName(), lo.GetCurrencyCode(), hi.GetCurrencyCode())
			continue
		}
		loMinor := checkMoney(t, l.GetName()+" price_min", lo)
		hiMinor := checkMoney(t, l.GetName()+" price_max", hi)
		if loMinor <= 0 || loMinor > hiMinor {
			t.Errorf("listing %s: price range %v .. %v", l.GetName(), lo, hi)
		}
	}
	for _, r := range d.BuyingRequests {
		if p := r.GetTargetPrice(); p != nil {
			if checkMoney(t, r.GetName()+" target_price", p) <= 0 {
				t.Errorf("request %s: target price %v is not positive", r.GetName(), p)
			}
		}
	}
	for _, p := range d.Producers {
		for _, e := range p.GetExportHistory() {
			if e.GetValue() != nil && checkMoney(t, p.GetName()+" export value", e.GetValue()) <= 0 {
				t.Errorf("producer %s: export value %v is not positive", p.GetName(), e.GetValue())
			}
		}
	}
}

func TestMoneyHelpersExact(t *testing.T) {
	tests := []struct {
		got  *moneypb.Money
		want *moneypb.Money
	}{
		{usd(4550), &moneypb.Money{CurrencyCode: "USD", Units: 45, Nanos: 500_000_000}},
		{usd(7), &moneypb.Money{CurrencyCode: "USD", Units: 0, Nanos: 70_000_000}},
		{usd(12000), &moneypb.Money{CurrencyCode: "USD", Units: 120}},
		{hkd(5599), &moneypb.Money{CurrencyCode: "HKD", Units: 55, Nanos: 990_000_000}},
		{cny(13501), &moneypb.Money{CurrencyCode: "CNY", Units: 135, Nanos: 10_000_000}},
		{jpy(9000), &moneypb.Money{CurrencyCode: "JPY", Units: 9000}},
		{idr(640_000_000), &moneypb.Money{CurrencyCode: "IDR", Units: 640_000_000}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got, protocmp.Transform()); diff != "" {
			t.Errorf("money helper (-want +got):\n%s", diff)
		}
	}
}

func TestBusinessIDs(t *testing.T) {
	d := Demo(fixedNow)
	seen := map[string]string{}
	for _, p := range d.Producers {
		nib := p.GetBusinessId()
		if !nibRe.MatchString(nib) {
			t.Errorf("producer %s: NIB %q is not 13 digits", p.GetName(), nib)
		}
		if other, dup := seen[nib]; dup {
			t.Errorf("NIB %s used by both %s and %s", nib, other, p.GetName())
		}
		seen[nib] = p.GetName()
	}
}

func checkPhone(t *testing.T, owner, field, phone, region string) {
	t.Helper()
	if phone == "" {
		return
	}
	n, err := phonenumbers.Parse(phone, region)
	if err != nil {
		t.Errorf("%s %s %q: %v", owner, field, phone, err)
		return
	}
	if !phonenumbers.IsValidNumberForRegion(n, region) {
		t.Errorf("%s %s %q is not a valid number in %s", owner, field, phone, region)
	}
	if e164 := phonenumbers.Format(n, phonenumbers.E164); e164 != phone {
		t.Errorf("%s %s %q is not in E.164 form (%s)", owner, field, phone, e164)
	}
}

func checkEmail(t *testing.T, owner, email string) {
	t.Helper()
	if email == "" {
		return
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@'):], ".") {
		t.Errorf("%s: e-mail %q is not a bare address with a dotted domain", owner, email)
	}
}

func TestContacts(t *testing.T) {
	d := Demo(fixedNow)
	phones := map[string]string{}
	checkUnique := func(owner, phone string) {
		if other, dup := phones[phone]; dup && other != owner {
			t.Errorf("phone %s used by both %s and %s", phone, other, owner)
		}
		phones[phone] = owner
	}
	for _, p := range d.Producers {
		c := p.GetContact()
		if c.GetPhone() == "" || c.GetPersonName() == "" {
			t.Errorf("producer %s has no contact person or phone", p.GetName())
		}
		if !strings.HasPrefix(c.GetPhone(), "+628") {
			t.Errorf("producer %s: phone %q is not an Indonesian mobile number", p.GetName(), c.GetPhone())
		}
		checkPhone(t, p.GetName(), "phone", c.GetPhone(), "ID")
		checkPhone(t, p.GetName(), "whatsapp", c.GetWhatsapp(), "ID")
		checkEmail(t, p.GetName(), c.GetEmail())
		checkUnique(p.GetName(), c.GetPhone())
	}
	for _, b := range d.Buyers {
		c := b.GetContact()
		if c.GetPhone() == "" || c.GetEmail() == "" && c.GetWhatsapp() == "" {
			t.Errorf("buyer %s has no way to be reached", b.GetName())
		}
		checkPhone(t, b.GetName(), "phone", c.GetPhone(), b.GetCountryCode())
		checkPhone(t, b.GetName(), "whatsapp", c.GetWhatsapp(), b.GetCountryCode())
		checkEmail(t, b.GetName(), c.GetEmail())
		checkUnique(b.GetName(), c.GetPhone())
	}
}

func TestCodes(t *testing.T) {
	d := Demo(fixedNow)
	languages := []string{"id", "en", "zh", "ja", "de", "es"}
	units := []string{"piece", "set", "fish", "kg", "pot", "jar"}
	checkCountry := func(owner, code string) {
		t.Helper()
		if !countryRe.MatchString(code) {
			t.Errorf("%s: country code %q is not ISO 3166-1 alpha-2", owner, code)
		}
	}
	checkLangs := func(owner string, codes []string) {
		t.Helper()
		if len(codes) == 0 {
			t.Errorf("%s has no language codes", owner)
		}
		for _, l := range codes {
			if !slices.Contains(languages, l) {
				t.Errorf("%s: unexpected language code %q", owner, l)
			}
		}
	}
	for _, p := range d.Producers {
		checkLangs(p.GetName(), p.GetLanguageCodes())
		if p.GetWorkerCount() <= 0 || p.GetYearFounded() < 1950 || p.GetYearFounded() > 2025 {
			t.Errorf("producer %s: worker_count %d, year_founded %d", p.GetName(), p.GetWorkerCount(), p.GetYearFounded())
		}
		prevYear := int32(9999)
		for _, e := range p.GetExportHistory() {
			checkCountry(p.GetName(), e.GetCountryCode())
			if e.GetYear() < 2021 || e.GetYear() > 2025 {
				t.Errorf("producer %s: export year %d outside 2021-2025", p.GetName(), e.GetYear())
			}
			if e.GetYear() > prevYear {
				t.Errorf("producer %s: export history is not newest first", p.GetName())
			}
			prevYear = e.GetYear()
		}
		for _, c := range p.GetCertifications() {
			if !upperSnake.MatchString(c.GetType()) {
				t.Errorf("producer %s: certification type %q is not upper snake case", p.GetName(), c.GetType())
			}
			if c.GetNumber() == "" || c.GetIssuer() == "" || c.GetIssueDate() == nil {
				t.Errorf("producer %s: certification %s lacks number, issuer or issue date", p.GetName(), c.GetType())
			}
			if c.GetExpiryDate() != nil && !dateTime(c.GetExpiryDate()).After(dateTime(c.GetIssueDate())) {
				t.Errorf("producer %s: certification %s expires before it was issued", p.GetName(), c.GetType())
			}
		}
	}
	for _, l := range d.Listings {
		if !hsRe.MatchString(l.GetHsCode()) {
			t.Errorf("listing %s: HS code %q", l.GetName(), l.GetHsCode())
		}
		if want, ok := hsPrefixByCategory[l.GetCategory()]; ok && !strings.HasPrefix(l.GetHsCode(), want) {
			t.Errorf("listing %s: HS code %s does not start with %s for %v", l.GetName(), l.GetHsCode(), want, l.GetCategory())
		}
		if !slices.Contains(units, l.GetUnit()) {
			t.Errorf("listing %s: unexpected unit %q", l.GetName(), l.GetUnit())
		}
		if l.GetTitle() == "" || len(l.GetAttributes()) == 0 {
			t.Errorf("listing %s has no title or no attributes", l.GetName())
		}
		for k, v := range l.GetAttributes() {
			if !lowerSnake.MatchString(k) || strings.TrimSpace(v) == "" {
				t.Errorf("listing %s: attribute %q=%q", l.GetName(), k, v)
			}
		}
		for _, cc := range l.GetShipToCountryCodes() {
			checkCountry(l.GetName(), cc)
		}
		if l.GetState() == pb.Listing_ACTIVE && l.GetPriceMin() == nil {
			t.Errorf("active listing %s has no price", l.GetName())
		}
	}
	for _, b := range d.Buyers {
		checkCountry(b.GetName(), b.GetCountryCode())
		checkLangs(b.GetName(), b.GetLanguageCodes())
		if len(b.GetProductInterests()) == 0 {
			t.Errorf("buyer %s has no product interests", b.GetName())
		}
		for _, pi := range b.GetProductInterests() {
			if pi.GetHsPrefix() != "" && !regexp.MustCompile(`^[0-9]{2,10}$`).MatchString(pi.GetHsPrefix()) {
				t.Errorf("buyer %s: hs_prefix %q", b.GetName(), pi.GetHsPrefix())
			}
		}
		for _, r := range b.GetImportRegistrations() {
			if !upperSnake.MatchString(r.GetType()) || r.GetIssuer() == "" {
				t.Errorf("buyer %s: import registration %v", b.GetName(), r)
			}
			checkCountry(b.GetName(), r.GetCountryCode())
		}
	}
	for _, r := range d.BuyingRequests {
		if r.GetCategory() == pb.Category_CATEGORY_UNSPECIFIED && r.GetHsPrefix() == "" {
			t.Errorf("request %s has neither category nor hs_prefix", r.GetName())
		}
		if want, ok := hsPrefixByCategory[r.GetCategory()]; ok && r.GetHsPrefix() != "" &&
			!strings.HasPrefix(r.GetHsPrefix(), want) && !strings.HasPrefix(want, r.GetHsPrefix()) {
			t.Errorf("request %s: hs_prefix %s disagrees with %v", r.GetName(), r.GetHsPrefix(), r.GetCategory())
		}
		if r.GetQuantity() <= 0 || !slices.Contains(units, r.GetUnit()) {
			t.Errorf("request %s: quantity %d %q", r.GetName(), r.GetQuantity(), r.GetUnit())
		}
		checkCountry(r.GetName(), r.GetDestinationCountryCode())
		if r.GetIncoterm() == pb.Incoterm_INCOTERM_UNSPECIFIED {
			t.Errorf("request %s has no incoterm", r.GetName())
		}
		for _, c := range r.GetRequiredCertificationTypes() {
			if !upperSnake.MatchString(c) {
				t.Errorf("request %s: certification type %q", r.GetName(), c)
			}
		}
	}
}

func TestRequestDates(t *testing.T) {
	for _, now := range loadTimes {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			d := Demo(now)
			today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
			open := 0
			for _, r := range d.BuyingRequests {
				expire := r.GetExpireTime().AsTime()
				needed := dateTime(r.GetNeededByDate())
				if r.GetExpireTime() == nil || r.GetNeededByDate() == nil {
					t.Errorf("request %s lacks expire_time or needed_by_date", r.GetName())
					continue
				}
				switch r.GetState() {
				case pb.BuyingRequest_OPEN:
					if expire.After(now) {
						open++
					}
					if expire.Before(now.AddDate(0, 0, 14)) || expire.After(now.AddDate(0, 3, 1)) {
						t.Errorf("open request %s expires %v, want 2 weeks to 3 months after %v", r.GetName(), expire, now)
					}
					if needed.Before(today.AddDate(0, 1, -3)) || needed.After(today.AddDate(0, 6, 1)) {
						t.Errorf("open request %s needed by %v, want 1 to 6 months after %v", r.GetName(), needed, today)
					}
				case pb.BuyingRequest_EXPIRED:
					if !expire.Before(now) {
						t.Errorf("expired request %s expires %v, after now %v", r.GetName(), expire, now)
					}
				}
			}
			if open < 8 {
				t.Errorf("%d OPEN requests expire after now, want at least 8", open)
			}
		})
	}
}

// certState sorts a producer's certificate of one type on the load date.
func certState(c *pb.Certification, today time.Time) string {
	switch {
	case c.GetExpiryDate() == nil:
		return "valid"
	case dateTime(c.GetExpiryDate()).Before(today):
		return "expired"
	case dateTime(c.GetExpiryDate()).Before(today.AddDate(0, 0, 60)):
		return "expiring"
	default:
		return "valid"
	}
}

// shipmentPapers are the per-consignment documents of the requirement
// catalogue (which this package cannot import: its tests use the demo).
var shipmentPapers = map[string]bool{
	"FISH_HEALTH_CERTIFICATE": true, "PHYTOSANITARY": true, "V_LEGAL": true,
	"FOOD_HEALTH_CERTIFICATE": true, "VETERINARY_CERTIFICATE": true, "SKA": true, "PEB": true,
}

func TestCertificationMix(t *testing.T) {
	for _, now := range loadTimes {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			d := Demo(now)
			today := time.Date(now.UTC().Year(), now.UTC().Month(), now.UTC().Day(), 0, 0, 0, 0, time.UTC)
			states := map[string]map[string]int{} // type -> state -> count
			for _, p := range d.Producers {
				for _, c := range p.GetCertifications() {
					// Papers issued per consignment are never held on file
					// (audit, item 4).
					if shipmentPapers[c.GetType()] {
						t.Errorf("%s holds %s %s, a per-shipment document, as a certificate", p.GetName(), c.GetType(), c.GetNumber())
					}
					if states[c.GetType()] == nil {
						states[c.GetType()] = map[string]int{}
					}
					states[c.GetType()][certState(c, today)]++
				}
			}
			for _, tt := range []struct{ typ, state string }{
				{"CKIB", "valid"},
				{"CKIB", "expired"},
				{"CKIB", "expiring"},
				{"SVLK", "valid"},
				{"SVLK", "expired"},
				{"PIRT", "valid"},
				{"PIRT", "expiring"},
			} {
				if states[tt.typ][tt.state] == 0 {
					t.Errorf("no %s certificate is %s on %s", tt.typ, tt.state, today.Format(time.DateOnly))
				}
			}
		})
	}
}

// TestShowcaseRequests pins the requests the matching demo is built on.
func TestShowcaseRequests(t *testing.T) {
	d := Demo(fixedNow)
	requests := map[string]*pb.BuyingRequest{}
	for _, r := range d.BuyingRequests {
		requests[r.GetName()] = r
	}
	today := dateTime(toDate(fixedNow))

	t.Run("10,000 djembe exceed any single listing", func(t *testing.T) {
		r := requests[requestName(heartlandDrum, reqTenThousandDjembe)]
		if r == nil || r.GetQuantity() != 10_000 || r.GetState() != pb.BuyingRequest_OPEN {
			t.Fatalf("request = %v, want an OPEN request for 10,000 pieces", r)
		}
		for _, l := range d.Listings {
			if l.GetCategory() == pb.Category_MUSICAL_INSTRUMENT && l.GetMonthlyCapacity() >= r.GetQuantity() {
				t.Errorf("listing %s alone makes %d a month", l.GetName(), l.GetMonthlyCapacity())
			}
		}
	})

	t.Run("two containers fit one consolidator", func(t *testing.T) {
		r := requests[requestName(yueshengMusic, reqTwoContainers)]
		if r == nil || r.GetQuantity() != 7600 {
			t.Fatalf("request = %v, want 7,600 pieces (two 40-foot containers)", r)
		}
		found := false
		for _, l := range d.Listings {
			if l.GetState() == pb.Listing_ACTIVE && l.GetMonthlyCapacity() >= r.GetQuantity() &&
				l.GetCategory() == pb.Category_MUSICAL_INSTRUMENT {
				found = true
			}
		}
		if !found {
			t.Error("no active djembe listing can ship 7,600 drums in a month")
		}
	})

	t.Run("Japanese koi request has a qualified farm", func(t *testing.T) {
		r := requests[requestName(yokohamaAqua, reqJapanKoi)]
		if r == nil || r.GetDestinationCountryCode() != "JP" || r.GetCategory() != pb.Category_ORNAMENTAL_FISH {
			t.Fatalf("request = %v, want koi for JP", r)
		}
		// The health certificate is issued per consignment, so the request
		// can only ask for a CKIB farm (audit, items 4 and 5).
		want := []string{"CKIB"}
		got := slices.Sorted(slices.Values(r.GetRequiredCertificationTypes()))
		if !slices.Equal(got, want) {
			t.Fatalf("required certifications = %v, want %v", got, want)
		}
		qualified, lapsed := 0, 0
		for _, p := range d.Producers {
			for _, c := range p.GetCertifications() {
				if c.GetType() != "CKIB" {
					continue
				}
				if certState(c, today) == "expired" {
					lapsed++
				} else {
					qualified++
				}
			}
		}
		if qualified < 2 || lapsed < 1 {
			t.Errorf("%d farms hold a valid CKIB and %d a lapsed one, want at least 2 and 1", qualified, lapsed)
		}
	})
}

func TestOutputOnlyFieldsEmpty(t *testing.T) {
	d := Demo(fixedNow)
	for _, p := range d.Producers {
		if p.GetCreateTime() != nil || p.GetUpdateTime() != nil || p.GetEtag() != "" {
			t.Errorf("producer %s has output-only fields set", p.GetName())
		}
	}
	for _, l := range d.Listings {
		if l.GetCreateTime() != nil || l.GetUpdateTime() != nil || l.GetEtag() != "" {
			t.Errorf("listing %s has output-only fields set", l.GetName())
		}
	}
	for _, b := range d.Buyers {
		if b.GetCreateTime() != nil || b.GetUpdateTime() != nil || b.GetEtag() != "" {
			t.Errorf("buyer %s has output-only fields set", b.GetName())
		}
	}
	for _, r := range d.BuyingRequests {
		if r.GetCreateTime() != nil || r.GetUpdateTime() != nil || r.GetEtag() != "" {
			t.Errorf("request %s has output-only fields set", r.GetName())
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, now := range loadTimes {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			a, b := Demo(now), Demo(now)
			if diff := cmp.Diff(a, b, protocmp.Transform()); diff != "" {
				t.Errorf("Demo differs between calls (-first +second):\n%s", diff)
			}
			// The same day in another time zone gives the same data.
			if diff := cmp.Diff(a, Demo(now.UTC()), protocmp.Transform()); diff != "" {
				t.Errorf("Demo depends on the zone of now:\n%s", diff)
			}
		})
	}
}

// TestNoSharedSlices guards against one message's slice aliasing another's:
// a store or handler that modifies one resource must not change another.
func TestNoSharedSlices(t *testing.T) {
	d := Demo(fixedNow)
	seen := map[string]string{}
	check := func(owner string, s []string) {
		if cap(s) == 0 {
			return
		}
		key := fmt.Sprintf("%p", &s[:cap(s)][cap(s)-1])
		if other, ok := seen[key]; ok {
			t.Errorf("%s shares a slice with %s", owner, other)
		}
		seen[key] = owner
	}
	for _, p := range d.Producers {
		check(p.GetName()+" language_codes", p.GetLanguageCodes())
		check(p.GetName()+" member_producers", p.GetMemberProducers())
	}
	for _, l := range d.Listings {
		check(l.GetName()+" ship_to_country_codes", l.GetShipToCountryCodes())
	}
	for _, b := range d.Buyers {
		check(b.GetName()+" language_codes", b.GetLanguageCodes())
	}
	for _, r := range d.BuyingRequests {
		check(r.GetName()+" required_certification_types", r.GetRequiredCertificationTypes())
	}
}

// TestTenThousandDjembeNeedOneGroup pins the demo's group story on any day it
// is loaded: the US retail request for 10,000 djembe in three months is more
// than any two makers can supply by its needed-by date, and the djembe
// listings that ship to the US can supply it together.
func TestTenThousandDjembeNeedOneGroup(t *testing.T) {
	for _, now := range []time.Time{time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), time.Date(2027, 7, 15, 9, 0, 0, 0, time.UTC)} {
		d := Demo(now)
		var req *pb.BuyingRequest
		for _, r := range d.BuyingRequests {
			if strings.HasSuffix(r.GetName(), "/djembe-10000-pieces") {
				req = r
			}
		}
		if req == nil {
			t.Fatal("no 10,000-djembe request in the demo")
		}
		nb := req.GetNeededByDate()
		needed := time.Date(int(nb.GetYear()), time.Month(nb.GetMonth()), int(nb.GetDay()), 0, 0, 0, 0, time.UTC)
		window := int(needed.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)).Hours() / 24)
		var supply []int64
		for _, l := range d.Listings {
			if l.GetState() != pb.Listing_ACTIVE || l.GetCategory() != pb.Category_MUSICAL_INSTRUMENT || !slices.Contains(l.GetShipToCountryCodes(), "US") {
				continue
			}
			if !strings.Contains(strings.ToLower(l.GetTitle()), "djembe") || l.MonthlyCapacity == nil || l.LeadTimeDays == nil {
				continue
			}
			days := window - int(l.GetLeadTimeDays())
			if days > 0 {
				supply = append(supply, l.GetMonthlyCapacity()*int64(days)/30)
			}
		}
		slices.Sort(supply)
		slices.Reverse(supply)
		var all int64
		for _, s := range supply {
			all += s
		}
		t.Logf("%s: window %d, supply %v", now.Format(time.DateOnly), window, supply)
		if len(supply) < 3 || supply[0]+supply[1] >= req.GetQuantity() || all < req.GetQuantity() {
			t.Errorf("%s: supply by listing %v for %d pieces: want more than two makers needed, and enough together", now.Format(time.DateOnly), supply, req.GetQuantity())
		}
	}
}
