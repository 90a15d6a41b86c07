// Package requirement holds the export-requirement rules of Adi Ekspor: the
// seed catalogue written from shared/domain/FACTS.md and corrected by the
// December 2026 audit (AUDIT-2026-12.md beside it), the lookup of the rows
// that apply to a product and a destination, the readiness check of one
// producer, and the trade office's views across producers (training needs
// and expiring certificates).
//
// Two kinds of paper are kept apart. A firm holds certificates, permits and
// registrations for a period (CKIB, an SVLK certificate, an FDA
// registration): readiness looks for a valid one on file. Other papers are
// issued for each consignment (the KI-1 fish health certificate, a
// phytosanitary certificate, a V-Legal document, the PEB): nobody holds one,
// so readiness asks whether the firm can obtain it, that is whether it holds
// the row's prerequisites, and such papers never count as expiring
// certificates. Rows that bind only some shipments (solid-wood packaging,
// raw goatskin heads, CITES species) carry their condition and are reported
// without counting in the score.
//
// Everything here is a pure function of its arguments, the clock included,
// so that the API layer can load what it needs from the store and the tests
// need no database. The functions work on the generated API messages
// directly: a requirement row is a catalogue record with no behaviour of its
// own, and a parallel domain type would only add a copy step in every call.
//
// Results share messages with their arguments (a report's items point at the
// catalogue rows and certificates passed in). Callers that change a result
// before sending it should clone it first.
//
// # Calendar
//
// Expiry is judged in whole calendar days in Blitar, that is in Western
// Indonesia Time (WIB, UTC+7, no daylight saving). A certificate is valid
// through its expiry date; at 06:59 UTC on 1 March it is already 1 March in
// Blitar, and a certificate that expired on 28 February is expired there,
// which is what the producer and Barantin would say too.
package requirement
