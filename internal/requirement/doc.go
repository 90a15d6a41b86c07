// Package requirement holds the export-requirement rules of Adi Ekspor: the
// seed catalogue written from shared/domain/FACTS.md, the lookup of the rows
// that apply to a product and a destination, the readiness check of one
// producer, and the trade office's views across producers (training needs
// and expiring certificates).
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
