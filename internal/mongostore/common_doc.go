package mongostore

// This file holds the pieces every document shares: etags, parent names,
// money, dates, timestamps, enum names and the contact sub-document. The
// conversions are pure so that they can be tested without a database.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/type/date"
	moneypb "google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/money"
)

// formatEtag derives the etag from the document version, so that an etag
// check is a plain equality on the indexed "version" field and needs no
// hashing of the document.
func formatEtag(version int64) string {
	return "v" + strconv.FormatInt(version, 10)
}

// parseEtag is the inverse of formatEtag. It accepts only the exact form
// formatEtag produces, so that two different strings never name the same
// version: an etag that does not round-trip is treated as foreign.
func parseEtag(s string) (int64, bool) {
	digits, ok := strings.CutPrefix(s, "v")
	if !ok || digits == "" {
		return 0, false
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || v < 0 || formatEtag(v) != s {
		return 0, false
	}
	return v, true
}

// parentOf returns the name of the resource that owns name: everything before
// its last two segments ("producers/a/listings/b" -> "producers/a"). It is
// stored with child documents so that listing the children of one parent,
// and deleting them with it, is an indexed equality instead of a regex on
// _id. A top-level or malformed name has no parent and gives "".
func parentOf(name string) string {
	i := strings.LastIndexByte(name, '/')
	if i < 0 {
		return ""
	}
	j := strings.LastIndexByte(name[:i], '/')
	if j < 0 {
		return ""
	}
	return name[:j]
}

// moneyDoc is an amount in integer minor units of its currency (cents, yen),
// because floats lose cents and units+nanos cannot be compared or sorted by
// the database in one field.
type moneyDoc struct {
	Currency string `bson:"currency"`
	Minor    int64  `bson:"minor"`
}

// moneyToDoc converts m, keeping nil as nil since "no price" differs from a
// price of zero. The API validates money before it gets here; the error is a
// guard against storing an amount that would read back differently.
func moneyToDoc(field string, m *moneypb.Money) (*moneyDoc, error) {
	if m == nil {
		return nil, nil
	}
	minor, err := money.ToMinor(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	return &moneyDoc{Currency: m.GetCurrencyCode(), Minor: minor}, nil
}

func moneyFromDoc(d *moneyDoc) *moneypb.Money {
	if d == nil {
		return nil
	}
	return money.FromMinor(d.Currency, d.Minor)
}

// dateToDoc stores a calendar date as midnight UTC of that day, which keeps
// dates comparable with $lt/$gt and readable in the shell. Partial dates
// (year or day 0) have no such instant, so they are refused rather than
// silently moved to another day by time.Date's normalisation.
func dateToDoc(field string, d *date.Date) (*time.Time, error) {
	if d == nil {
		return nil, nil
	}
	t := time.Date(int(d.GetYear()), time.Month(d.GetMonth()), int(d.GetDay()), 0, 0, 0, 0, time.UTC)
	if d.GetYear() == 0 || t.Year() != int(d.GetYear()) || t.Month() != time.Month(d.GetMonth()) || t.Day() != int(d.GetDay()) {
		return nil, fmt.Errorf("%s: %04d-%02d-%02d is not a complete calendar date", field, d.GetYear(), d.GetMonth(), d.GetDay())
	}
	return &t, nil
}

func dateFromDoc(t *time.Time) *date.Date {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &date.Date{Year: int32(u.Year()), Month: int32(u.Month()), Day: int32(u.Day())}
}

// timeToDoc truncates to milliseconds because that is all a BSON date holds;
// doing it here means the message the store builds from a document it has
// just written equals what a later read returns.
func timeToDoc(ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.AsTime().UTC().Truncate(time.Millisecond)
}

// timeFromDoc maps the zero time back to an unset timestamp rather than to
// the year 1.
func timeFromDoc(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t.UTC())
}

// optionalTimeToDoc is timeToDoc for timestamps whose absence means
// something (e.g. no expiry), so it must survive as a missing field.
func optionalTimeToDoc(ts *timestamppb.Timestamp) *time.Time {
	if ts == nil {
		return nil
	}
	t := timeToDoc(ts)
	return &t
}

func optionalTimeFromDoc(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(t.UTC())
}

// enumToDoc stores an enum by its value name: the documents stay readable,
// and renumbering an enum in the proto cannot silently change stored data.
// A number the enum does not define has no name, so it is an error instead
// of being stored as something that reads back differently.
func enumToDoc(field string, e protoreflect.Enum) (string, error) {
	v := e.Descriptor().Values().ByNumber(e.Number())
	if v == nil {
		return "", fmt.Errorf("%s: %d is not a value of %s", field, e.Number(), e.Descriptor().FullName())
	}
	return string(v.Name()), nil
}

// enumFromDoc reads a stored value name back. Names this build does not know
// (e.g. written by a newer version) become the zero value, which the API
// already treats as "unspecified", instead of failing the whole read.
func enumFromDoc[E ~int32](values map[string]int32, name string) E {
	return E(values[name])
}

// contactDoc is a sub-document so that the access layer can drop or project
// contact details as one unit, mirroring the Contact message.
type contactDoc struct {
	PersonName string `bson:"personName,omitempty"`
	Phone      string `bson:"phone,omitempty"`
	Whatsapp   string `bson:"whatsapp,omitempty"`
	Email      string `bson:"email,omitempty"`
}

// contactToDoc returns nil for an empty contact so that "no contact" is
// stored one way only (as a missing field).
func contactToDoc(c *pb.Contact) *contactDoc {
	d := contactDoc{
		PersonName: c.GetPersonName(),
		Phone:      c.GetPhone(),
		Whatsapp:   c.GetWhatsapp(),
		Email:      c.GetEmail(),
	}
	if d == (contactDoc{}) {
		return nil
	}
	return &d
}

func contactFromDoc(d *contactDoc) *pb.Contact {
	if d == nil {
		return nil
	}
	return &pb.Contact{
		PersonName: d.PersonName,
		Phone:      d.Phone,
		Whatsapp:   d.Whatsapp,
		Email:      d.Email,
	}
}

// cloneStrings copies a repeated field so that a document and the message it
// came from (or produced) never share a backing array: the store hands out
// messages built from documents while callers may still hold their input.
func cloneStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}
