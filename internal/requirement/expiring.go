package requirement

import (
	"cmp"
	"slices"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Expiring lists the certificates of all producers that expire within
// withinDays calendar days of now (today counts as day 0), and those already
// expired when includeExpired is set, soonest first: by days_to_expiry, so
// that expired ones, when included, come first, the longest-expired at the
// top; ties by producer name, type and number. A negative withinDays is
// taken as 0; the API's default and upper bound are its own business.
//
// Certificates without an expiry date never appear, nor do those with a
// malformed one. A certificate that has already been renewed, that is, the
// producer holds another of the same type expiring later or never, is left
// out too: the list exists to remind holders, and the renewed ones need no
// reminder. So is a certificate recorded under the type of a per-shipment
// document (ShipmentDocumentType): such a paper covers one consignment and
// is never renewed, so an "expiry" on it is a data-entry mistake, not a
// reminder to send.
func Expiring(producers []*pb.Producer, withinDays int, includeExpired bool, now time.Time) []*pb.ExpiringCertification {
	day := today(now)
	withinDays = max(withinDays, 0)
	var out []*pb.ExpiringCertification
	for _, p := range producers {
		if p == nil {
			continue
		}
		certs := p.GetCertifications()
		for _, c := range certs {
			exp, dated, ok := expiryOf(c)
			if !dated || !ok || ShipmentDocumentType(c.GetType()) || renewed(certs, c, exp) {
				continue
			}
			days := daysBetween(day, exp)
			if days > withinDays || days < 0 && !includeExpired {
				continue
			}
			out = append(out, &pb.ExpiringCertification{
				Producer:            p.GetName(),
				ProducerDisplayName: p.GetDisplayName(),
				Certification:       c,
				DaysToExpiry:        int32(days),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b *pb.ExpiringCertification) int {
		if c := cmp.Compare(a.GetDaysToExpiry(), b.GetDaysToExpiry()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.GetProducer(), b.GetProducer()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.GetCertification().GetType(), b.GetCertification().GetType()); c != 0 {
			return c
		}
		return cmp.Compare(a.GetCertification().GetNumber(), b.GetCertification().GetNumber())
	})
	return out
}

// renewed reports whether certs hold another certificate of c's type that
// outlasts exp (c's expiry).
func renewed(certs []*pb.Certification, c *pb.Certification, exp time.Time) bool {
	for _, o := range certs {
		if o == c || o.GetType() != c.GetType() {
			continue
		}
		oexp, dated, ok := expiryOf(o)
		if ok && (!dated || oexp.After(exp)) {
			return true
		}
	}
	return false
}

// shipmentTypes are the certification types of the seed catalogue's
// per-shipment documents.
var shipmentTypes = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range Catalogue() {
		if PerShipment(r) && r.GetCertificationType() != "" {
			m[r.GetCertificationType()] = true
		}
	}
	return m
}()

// ShipmentDocumentType reports whether typ names a document issued for each
// consignment in the seed catalogue (the KI-1 fish health certificate, a
// phytosanitary certificate, a V-Legal document ...), which a firm never
// holds on file.
func ShipmentDocumentType(typ string) bool { return shipmentTypes[typ] }
