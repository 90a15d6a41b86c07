package validate

import (
	"fmt"
	"strings"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Limits on a producer's repeated fields.
const (
	maxMemberProducers = 500 // a consolidator filling one djembe order drew on 23 makers
	maxExportRecords   = 200
	maxCertifications  = 100
	maxWorkers         = 1_000_000
	firstFoundingYear  = 1900
	firstExportYear    = 1950
)

// Producer checks a producer's input fields against the current time. field
// is the path of the producer in the request, usually "producer".
func Producer(v *Violations, field string, p *pb.Producer) {
	ProducerAt(v, field, p, time.Now())
}

// ProducerAt is Producer with the clock passed in: the founding year and
// export years may not lie after now's year in Blitar.
func ProducerAt(v *Violations, field string, p *pb.Producer, now time.Time) {
	if p == nil {
		v.Add(field, "is required")
		return
	}
	thisYear := int32(now.In(wib).Year())

	text(v, join(field, "display_name"), p.GetDisplayName(), maxName, true)
	text(v, join(field, "legal_name"), p.GetLegalName(), maxName, false)
	if id := p.GetBusinessId(); id != "" && !NIB(id) {
		v.Addf(join(field, "business_id"), "%s is not an NIB; expected the 13-digit Nomor Induk Berusaha", quote(id))
	}
	enum(v, join(field, "kind"), p.GetKind(), true)
	memberProducers(v, join(field, "member_producers"), p.GetKind(), p.GetMemberProducers())
	checkDistrict(v, join(field, "district"), p.GetDistrict())
	text(v, join(field, "village"), p.GetVillage(), maxShort, false)
	text(v, join(field, "address"), p.GetAddress(), maxAddress, false)
	checkContact(v, join(field, "contact"), p.GetContact())
	checkURI(v, join(field, "website_uri"), p.GetWebsiteUri())
	languageList(v, join(field, "language_codes"), p.GetLanguageCodes())

	if y := p.GetYearFounded(); y != 0 && (y < firstFoundingYear || y > thisYear) {
		v.Addf(join(field, "year_founded"), "is %d; expected a year from %d to %d, or 0 when unknown", y, firstFoundingYear, thisYear)
	}
	if n := p.GetWorkerCount(); n < 0 || n > maxWorkers {
		v.Addf(join(field, "worker_count"), "is %d; expected 0 to %d", n, maxWorkers)
	}
	exportHistory(v, join(field, "export_history"), p.GetExportHistory(), thisYear)
	certifications(v, join(field, "certifications"), p.GetCertifications())
}

func memberProducers(v *Violations, path string, kind pb.Producer_Kind, members []string) {
	if len(members) == 0 {
		return
	}
	// Only a definite PRODUCER is told off: when kind is missing the kind
	// violation already says what to fix, and the list may be right.
	if kind == pb.Producer_PRODUCER {
		v.Add(path, "only a producer of kind CONSOLIDATOR may list member producers; remove them or set kind to CONSOLIDATOR")
		return
	}
	if tooMany(v, path, len(members), maxMemberProducers) {
		return
	}
	seen := make(map[string]int, len(members))
	for i, m := range members {
		p := index(path, i)
		id, ok := strings.CutPrefix(m, "producers/")
		if !ok || !ResourceID(id) {
			v.Addf(p, `%s is not a producer resource name; expected "producers/{id}" where the id has lower-case letters, digits and hyphens and starts with a letter`, quote(m))
			continue
		}
		if first, dup := seen[m]; dup {
			v.Addf(p, "repeats %s, already given at index %d", m, first)
			continue
		}
		seen[m] = i
	}
}

func exportHistory(v *Violations, path string, records []*pb.ExportRecord, thisYear int32) {
	if tooMany(v, path, len(records), maxExportRecords) {
		return
	}
	// One record stands for all shipments to one country in one year, so a
	// second record for the same pair would count that trade twice.
	seen := make(map[string]int, len(records))
	for i, r := range records {
		p := index(path, i)
		country, year := r.GetCountryCode(), r.GetYear()
		checkCountry(v, join(p, "country_code"), country, true)
		yearOK := false
		switch {
		case year == 0:
			v.Addf(join(p, "year"), "is required; expected the calendar year of the shipments, %d to %d", firstExportYear, thisYear)
		case year < firstExportYear || year > thisYear:
			v.Addf(join(p, "year"), "is %d; expected a year from %d to %d", year, firstExportYear, thisYear)
		default:
			yearOK = true
		}
		checkMoney(v, join(p, "value"), r.GetValue())
		text(v, join(p, "note"), r.GetNote(), maxNote, false)

		if !yearOK || !CountryCode(country) {
			continue
		}
		key := fmt.Sprintf("%s/%d", country, year)
		if first, dup := seen[key]; dup {
			v.Addf(p, "repeats export_history[%d]: both are for %s in %d; merge them into one record", first, country, year)
			continue
		}
		seen[key] = i
	}
}

func certifications(v *Violations, path string, certs []*pb.Certification) {
	if tooMany(v, path, len(certs), maxCertifications) {
		return
	}
	for i, c := range certs {
		p := index(path, i)
		checkCertificationType(v, join(p, "type"), c.GetType(), true)
		text(v, join(p, "number"), c.GetNumber(), maxShort, false)
		text(v, join(p, "issuer"), c.GetIssuer(), maxShort, false)
		issued := checkDate(v, join(p, "issue_date"), c.GetIssueDate())
		expires := checkDate(v, join(p, "expiry_date"), c.GetExpiryDate())
		if issued && expires && dateTime(c.GetExpiryDate()).Before(dateTime(c.GetIssueDate())) {
			v.Add(join(p, "expiry_date"), "is before issue_date; a certificate cannot expire before it was issued")
		}
		checkURI(v, join(p, "document_uri"), c.GetDocumentUri())
	}
}
