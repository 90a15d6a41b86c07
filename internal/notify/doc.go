// Package notify turns what happened in the marketplace into events and
// delivers them: to the inbox of each firm concerned and of the trade office,
// to the trade office's webhook subscribers, and by e-mail.
//
// Events are derived from the resources themselves, not from the change log
// (whose entries are best effort): a Notifier scans each collection for
// documents updated since a durable cursor, with an overlap that covers
// writers whose clocks or commits lag, and applies the pure rules of
// derive.go to what it finds. Every event has a stable id made from what it
// is about ("request.fits/buyers/b/buyingRequests/r/producers/p"), and every
// stored event, notification and delivery is inserted under an id derived
// from it, so scanning the same document twice, restarting, or running
// several replicas yields each of them once.
//
// Deliveries are claimed one at a time by a conditional update of their
// attempt counter, so two replicas never attempt the same delivery at once;
// a replica that dies mid-attempt leaves a claim that expires and is taken
// again (at least once; receivers deduplicate by the event id).
//
// The package holds no bson, no proto service code and no HTTP handlers:
// the store is an interface (Store), the senders are interfaces (Sender),
// and the webhook client is a plain net/http client.
package notify
