package seed

import (
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Money helpers take integer minor units (cents) or whole units, never
// floats, so that every amount is exact: usd(4550) is US$45.50.

// usd returns a US dollar amount given in cents.
func usd(cents int64) *money.Money { return fromCents("USD", cents) }

// hkd returns a Hong Kong dollar amount given in cents.
func hkd(cents int64) *money.Money { return fromCents("HKD", cents) }

// cny returns a renminbi amount given in fen (1/100 yuan).
func cny(fen int64) *money.Money { return fromCents("CNY", fen) }

// jpy returns a yen amount; the yen has no minor unit.
func jpy(yen int64) *money.Money { return whole("JPY", yen) }

// twd returns a New Taiwan dollar amount in whole dollars, the way prices
// are quoted in Taiwan.
func twd(dollars int64) *money.Money { return whole("TWD", dollars) }

// idr returns a rupiah amount in whole rupiah.
func idr(rupiah int64) *money.Money { return whole("IDR", rupiah) }

func fromCents(code string, cents int64) *money.Money {
	return &money.Money{
		CurrencyCode: code,
		Units:        cents / 100,
		Nanos:        int32(cents%100) * 10_000_000,
	}
}

func whole(code string, units int64) *money.Money {
	return &money.Money{CurrencyCode: code, Units: units}
}

// clock turns offsets from the load time into dates and timestamps. All of
// them are taken from the start of the UTC day of now, so that data loaded
// twice on the same day is identical.
type clock struct {
	now   time.Time
	today time.Time
}

func newClock(now time.Time) clock {
	now = now.UTC()
	return clock{now: now, today: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)}
}

// daysFromNow returns the date n days after today (before it when n < 0).
func (c clock) daysFromNow(n int) *date.Date { return toDate(c.today.AddDate(0, 0, n)) }

// monthsFromNow returns the date n months after today (before it when n < 0).
func (c clock) monthsFromNow(n int) *date.Date { return toDate(c.today.AddDate(0, n, 0)) }

// endOfFDAPeriod returns 31 December of the current registration period of
// an FDA food facility: registrations are renewed in October to December of
// every even year, so one is valid to the end of this year when it is even,
// of the next one otherwise.
func (c clock) endOfFDAPeriod() *date.Date {
	y := c.today.Year()
	if y%2 != 0 {
		y++
	}
	return &date.Date{Year: int32(y), Month: 12, Day: 31}
}

// expireIn returns the timestamp at midnight UTC n days after today.
func (c clock) expireIn(days int) *timestamppb.Timestamp {
	return timestamppb.New(c.today.AddDate(0, 0, days))
}

func toDate(t time.Time) *date.Date {
	return &date.Date{Year: int32(t.Year()), Month: int32(t.Month()), Day: int32(t.Day())}
}

// cert builds a certification. expiry may be nil for documents that do not
// expire (a P-IRT or BPOM number, an ISPM 15 registration until revoked).
func cert(typ, number, issuer string, issued, expiry *date.Date) *pb.Certification {
	return &pb.Certification{Type: typ, Number: number, Issuer: issuer, IssueDate: issued, ExpiryDate: expiry}
}

// export builds one export-history row.
func export(country string, year int32, value *money.Money, note string) *pb.ExportRecord {
	return &pb.ExportRecord{CountryCode: country, Year: year, Value: value, Note: note}
}

func contact(person, phone, whatsapp, email string) *pb.Contact {
	return &pb.Contact{PersonName: person, Phone: phone, Whatsapp: whatsapp, Email: email}
}

func producerName(id string) string { return "producers/" + id }

func listingName(producer, id string) string { return "producers/" + producer + "/listings/" + id }

func buyerName(id string) string { return "buyers/" + id }

func requestName(buyer, id string) string { return "buyers/" + buyer + "/buyingRequests/" + id }

func i64(v int64) *int64 { return &v }

func i32(v int32) *int32 { return &v }

// langs and countries return a fresh slice on every call, so that no two
// messages share a backing array that a caller could modify through one of them.
func langs(codes ...string) []string { return codes }

func countries(codes ...string) []string { return codes }

// Canonical HS codes used by the listings and requests (see FACTS.md).
const (
	hsDjembe       = "920600"   // percussion musical instruments
	hsDjembeLine   = "92060000" // the same at 8 digits (AHTN line)
	hsKoi          = "03011191" // ASEAN tariff line for koi
	hsKoiSub       = "030111"   // live ornamental freshwater fish
	hsSambal       = "210390"   // other sauces and mixed condiments
	hsPlants       = "060290"   // other live plants
	hsBasketry     = "460211"   // basketwork of bamboo
	hsCoconutShell = "960200"   // worked vegetable carving material (coconut shell)
	// Lamp shades are parts of lighting fittings (heading 9405), not
	// basketwork; the subheading (9405.99, other parts) is the audit's
	// reading and unverified.
	hsLampshade = "940599"
)
