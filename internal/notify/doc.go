// Package notify turns what happened in the marketplace into events and
// delivers them: to the inbox of each firm concerned and of the trade office,
// to the trade office's webhook subscribers, and by e-mail.
//
// Events are derived from the resources themselves, by the pure rules of
// derive.go: the notifier only has to learn which resources changed. Every
// store write appends an entry to the change log (kind and name, no
// payload), so each round reads the log from a durable position (less an
// overlap, for entries that land late and writers' clocks that differ),
// re-reads by name each producer, buyer, buying request and match it names
// (a read by _id, which FerretDB answers without reading the collection)
// and derives its events. A round with nothing written reads only the
// change log, which the catalogue syncer prunes to its last ten minutes.
//
// The change log is best effort: an entry is written after its resource,
// and lost if the process dies in between. So every Options.FullScanEvery
// (and at start) the notifier also scans each collection for documents
// updated since a durable cursor per collection, with the same overlap,
// and derives what it finds; and when the change-log position is older
// than the log's retention (the notifier was stopped, or failed, for
// longer), it scans at once instead of trusting the log. FerretDB filters
// such a scan in Go, decoding every document, which is why it is the
// safety net and not the rule. A Store without a change log is scanned
// every round.
//
// Every event has a stable id made from what it is about
// ("request.fits/buyers/b/buyingRequests/r/producers/p"), and every stored
// event, notification and delivery is inserted under an id derived from it,
// so deriving the same resource twice (from the log and the scan, after a
// restart, or on several replicas each reading the log) yields each of them
// once; a notifier also remembers what it derived (name and update time)
// so that reading it again costs no store writes.
//
// Due deliveries are found through a marker per pending delivery, kept in
// a collection of their own (mongostore's notify_due) and removed when the
// delivery is finished, so the query each round reads what is pending, not
// every delivery ever made; the delivery log stays with the deliveries.
// Finished deliveries are deleted after Options.DeliveryRetention, hourly
// and in bounded batches (see pruneDeliveries): FerretDB has no TTL index.
// The marker is a hint: the delivery document decides, and a marker a
// crash left behind is repaired when read. A delivery is claimed for one
// attempt by inserting a unique claim, so two replicas never attempt it at
// once; a replica that dies mid-attempt leaves a claim that expires and is
// taken again (at least once; receivers deduplicate by the event id).
//
// The package holds no bson, no proto service code and no HTTP handlers:
// the store is an interface (Store, and ChangeLog), the senders are
// interfaces (Sender), and the webhook client is a plain net/http client.
package notify
