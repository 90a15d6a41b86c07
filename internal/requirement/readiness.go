package requirement

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/certday"
)

// Check builds the readiness report of producer p for a product (hsCode
// and/or category) shipped to dest, judged at now. subject is the listing or
// producer the caller asked about and is copied into the report.
//
// Each applicable row (see Applicable, whose order the items keep) gets a
// status. A row the importer must meet is IMPORTER_RESPONSIBILITY and never
// counts against the producer. For the others the producer's certificates
// of the row's certification_type are looked at: the best one is the valid
// one with the latest expiry (no expiry date beats any date); valid and
// expiring within ExpiringSoonDays is EXPIRING_SOON, valid otherwise MET;
// only expired ones is EXPIRED (the latest of them is reported); none is
// MISSING. A certificate whose expiry date is malformed cannot be judged and
// is ignored: missing data never counts as met.
//
// A per-shipment document (issuance PER_SHIPMENT: KI-1, phytosanitary
// certificate, V-Legal ...) is never looked for on file: the row is
// OBTAINABLE when the producer holds a valid certificate of one of its
// prerequisite types (or the row has none), and otherwise takes the status
// of the best prerequisite it holds, EXPIRING_SOON, EXPIRED or MISSING.
//
// The score is mandatory_met / mandatory_total over MANDATORY exporter-side
// rows that bind every shipment (no condition), where MET, EXPIRING_SOON
// and OBTAINABLE count as met; RECOMMENDED rows get a
// status and a next step but never change the score. With no mandatory
// exporter-side row the score is 1: nothing is missing.
//
// The report's category is the one the rows were matched on, so for an HS
// code given alone it is the category Applicable derived from the code.
// A nil p is a producer with no certificates.
func Check(all []*pb.Requirement, p *pb.Producer, subject, hsCode string, category pb.Category, dest string, now time.Time) *pb.ReadinessReport {
	if category == pb.Category_CATEGORY_UNSPECIFIED {
		category = categoryOfHS(hsCode)
	}
	rows := Applicable(all, hsCode, category, dest)
	day := today(now)
	report := &pb.ReadinessReport{
		Subject:                subject,
		Producer:               p.GetName(),
		DestinationCountryCode: dest,
		HsCode:                 hsCode,
		Category:               category,
		Items:                  make([]*pb.ReadinessItem, 0, len(rows)),
		HasUnconfirmed:         HasUnconfirmed(rows),
		CheckTime:              timestamppb.New(now),
	}
	for _, r := range rows {
		st := assess(r, p.GetCertifications(), day)
		report.Items = append(report.Items, &pb.ReadinessItem{
			Requirement:   r,
			Status:        st.status,
			Certification: st.cert,
			DaysToExpiry:  st.days,
			NextStep:      nextStep(english, r, st),
			NextStepId:    nextStep(indonesian, r, st),
		})
		if !countsInScore(r) {
			continue
		}
		report.MandatoryTotal++
		if isMet(st.status) {
			report.MandatoryMet++
		}
	}
	report.Score = 1
	if report.MandatoryTotal > 0 {
		report.Score = float64(report.MandatoryMet) / float64(report.MandatoryTotal)
	}
	return report
}

// CountsInScore reports whether r counts in a readiness score: a mandatory
// row of the exporter side that binds every shipment. A party other than
// IMPORTER is treated as the exporter's, so that a row with a missing party
// can only make a report stricter, never hide a gap. A conditional row
// (solid-wood packaging, raw goatskin, CITES species) binds only shipments
// the catalogue cannot see, so it is reported but never counted.
func CountsInScore(r *pb.Requirement) bool {
	return r.GetObligation() == pb.Requirement_MANDATORY && r.GetResponsibleParty() != pb.Requirement_IMPORTER &&
		r.GetCondition() == ""
}

func countsInScore(r *pb.Requirement) bool { return CountsInScore(r) }

// PerShipment reports whether r is a document issued for each consignment,
// which nobody holds on file.
func PerShipment(r *pb.Requirement) bool {
	return r.GetIssuance() == pb.Requirement_PER_SHIPMENT
}

// QualifyingTypes returns the certification types of which a producer must
// hold a valid certificate (any one) for exporter-side row r to be met: the
// row's own type for a document the firm holds, the prerequisites of a
// per-shipment document (what the firm needs to be able to obtain it). nil
// means that any firm can obtain it. A held row without a type yields [""],
// which no certificate has: such a row can never be met.
func QualifyingTypes(r *pb.Requirement) []string {
	if PerShipment(r) {
		return r.GetPrerequisiteCertificationTypes()
	}
	return []string{r.GetCertificationType()}
}

// isMet reports whether a status meets its requirement today.
func isMet(s pb.ReadinessStatus) bool {
	return s == pb.ReadinessStatus_MET || s == pb.ReadinessStatus_EXPIRING_SOON || s == pb.ReadinessStatus_OBTAINABLE
}

// standing is where a producer stands on one requirement.
type standing struct {
	status pb.ReadinessStatus
	cert   *pb.Certification
	// expiry is the certificate's expiry date; zero when it has none.
	expiry time.Time
	days   *int32
}

// assess finds the producer's standing on requirement r at day.
func assess(r *pb.Requirement, certs []*pb.Certification, day time.Time) standing {
	if r.GetResponsibleParty() == pb.Requirement_IMPORTER {
		return standing{status: pb.ReadinessStatus_IMPORTER_RESPONSIBILITY}
	}
	return standingOnAny(certs, QualifyingTypes(r), PerShipment(r), day)
}

// standingOnAny judges a row met by a valid certificate of any of types.
// The best standing wins: met, then expiring soon, then expired, then
// missing. For a per-shipment document (perShipment) met means the firm can
// obtain it, OBTAINABLE, and no types at all means that any firm can.
func standingOnAny(certs []*pb.Certification, types []string, perShipment bool, day time.Time) standing {
	if len(types) == 0 {
		if perShipment {
			return standing{status: pb.ReadinessStatus_OBTAINABLE}
		}
		return standing{status: pb.ReadinessStatus_MISSING}
	}
	best := standing{status: pb.ReadinessStatus_MISSING}
	for _, t := range types {
		if st := standingOn(certs, t, day); rank(st.status) > rank(best.status) {
			best = st
		}
	}
	if perShipment && best.status == pb.ReadinessStatus_MET {
		best.status = pb.ReadinessStatus_OBTAINABLE
	}
	return best
}

func rank(s pb.ReadinessStatus) int {
	switch s {
	case pb.ReadinessStatus_MET:
		return 3
	case pb.ReadinessStatus_EXPIRING_SOON:
		return 2
	case pb.ReadinessStatus_EXPIRED:
		return 1
	}
	return 0
}

// standingOn judges the certificates of type typ at day. An empty typ
// matches nothing: an exporter-side row without a type can never be met,
// which validation prevents and this keeps safe.
func standingOn(certs []*pb.Certification, typ string, day time.Time) standing {
	if typ == "" {
		return standing{status: pb.ReadinessStatus_MISSING}
	}
	var valid, expired *pb.Certification
	var validExpiry, expiredExpiry time.Time
	for _, c := range certs {
		if c.GetType() != typ {
			continue
		}
		exp, dated, ok := expiryOf(c)
		switch {
		case !ok || !started(c, day):
			continue
		case !dated:
			// Valid for good: nothing beats it, and the first one found
			// stays so that the answer does not depend on later entries.
			if valid == nil || !validExpiry.IsZero() {
				valid, validExpiry = c, time.Time{}
			}
		case !exp.Before(day):
			if valid == nil || (!validExpiry.IsZero() && exp.After(validExpiry)) {
				valid, validExpiry = c, exp
			}
		default:
			if expired == nil || exp.After(expiredExpiry) {
				expired, expiredExpiry = c, exp
			}
		}
	}
	switch {
	case valid != nil && validExpiry.IsZero():
		return standing{status: pb.ReadinessStatus_MET, cert: valid}
	case valid != nil:
		days := daysBetween(day, validExpiry)
		status := pb.ReadinessStatus_MET
		if days <= ExpiringSoonDays {
			status = pb.ReadinessStatus_EXPIRING_SOON
		}
		return standing{status: status, cert: valid, expiry: validExpiry, days: int32Ptr(days)}
	case expired != nil:
		return standing{status: pb.ReadinessStatus_EXPIRED, cert: expired, expiry: expiredExpiry, days: int32Ptr(daysBetween(day, expiredExpiry))}
	}
	return standing{status: pb.ReadinessStatus_MISSING}
}

// expiryOf returns a certificate's expiry date. dated is false when the
// certificate does not expire; ok is false when the date is malformed. An
// all-zero date is what a JSON client sends for "no date", as the API's
// normaliser also reads it.
func expiryOf(c *pb.Certification) (exp time.Time, dated, ok bool) {
	span, ok := certday.SpanOf(c)
	switch {
	case !ok:
		return time.Time{}, false, false
	case !span.Expires():
		return time.Time{}, false, true
	}
	return span.Until.Time(), true, true
}

// started reports whether c's issue date (if any) is on or before day: a
// certificate issued in the future is not held yet.
func started(c *pb.Certification, day time.Time) bool {
	span, ok := certday.SpanOf(c)
	return ok && int64(span.From) <= day.Unix()/86400
}

func int32Ptr(n int) *int32 {
	v := int32(n)
	return &v
}
