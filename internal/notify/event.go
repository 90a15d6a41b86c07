package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Type is the kind of an event. The values are part of the API (webhook
// payloads, subscriptions' event_types, the inbox).
type Type string

// Event types.
const (
	// RequestFits: a new open buying request fits one of the producer's
	// listings above the relevance threshold. One per request and producer.
	RequestFits Type = "request.fits"
	// ProposalReceived: a match was proposed to the recipient.
	ProposalReceived Type = "proposal.received"
	// ProposalAnswered: the other side accepted or declined a proposal.
	ProposalAnswered Type = "proposal.answered"
	// MatchConnected: every party accepted; the payload carries the
	// counterpart's contact.
	MatchConnected Type = "match.connected"
	// DealRecorded: a match was closed with a deal.
	DealRecorded Type = "deal.recorded"
	// ProposalExpiring: a proposal the recipient has not answered expires
	// within ProposalExpiryWarning.
	ProposalExpiring Type = "proposal.expiring"
	// VerificationDecided: the trade office verified or rejected the firm.
	VerificationDecided Type = "verification.decided"
	// CertificateExpiring: a certificate expires within 60, 30 or 7 days
	// (one event per threshold crossed).
	CertificateExpiring Type = "certificate.expiring"
)

// Types lists every event type, in the order the README documents them.
var Types = []Type{RequestFits, ProposalReceived, ProposalAnswered, MatchConnected, DealRecorded, ProposalExpiring, VerificationDecided, CertificateExpiring}

// KnownType reports whether t is one of Types.
func KnownType(t string) bool {
	for _, k := range Types {
		if string(k) == t {
			return true
		}
	}
	return false
}

// TradeOffice is the recipient name of the trade office's inbox.
const TradeOffice = "tradeOffice"

// Event is one thing that happened. Its ID is stable: deriving it again
// from the same facts gives the same ID.
type Event struct {
	ID   string
	Type Type
	// Time is when it happened (the resource's update time, or the scan
	// time for events of the calendar).
	Time time.Time
	// Subject is the resource the event is about, e.g. "matches/m1".
	Subject string
	// Data is the payload for webhooks: flat strings, documented per type.
	Data map[string]string
	// Notices are what each recipient is told.
	Notices []Notice
	// Seq orders stored events by when they were stored: the store's
	// clock in Unix nanoseconds, zero-padded, a dash and the event's Key.
	// WatchEvents' resume tokens are sequence keys.
	Seq string
}

// SeqKey is the smallest sequence key of events stored at or after t.
func SeqKey(t time.Time) string { return fmt.Sprintf("%019d-", t.UnixNano()) }

// SeqTime reads the store time back from a sequence key.
func SeqTime(seq string) (time.Time, bool) {
	if len(seq) < 20 || seq[19] != '-' {
		return time.Time{}, false
	}
	var n int64
	for _, c := range seq[:19] {
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		n = n*10 + int64(c-'0')
	}
	return time.Unix(0, n), true
}

// Notice is an event as one recipient sees it.
type Notice struct {
	// Recipient is "producers/{p}", "buyers/{b}" or TradeOffice.
	Recipient string
	// Link is the path of the web page to act on, e.g. "/matches/m1".
	Link string
	// Params fill the recipient's message template; they may hold what
	// only this recipient may see (a counterpart's contact).
	Params map[string]string
}

// Key is the short, fixed-length form of an event id used in the names of
// notifications and deliveries (event ids hold slashes and may be long).
func Key(eventID string) string {
	sum := sha256.Sum256([]byte(eventID))
	return hex.EncodeToString(sum[:12])
}

// NotificationName is the name of recipient's notification of an event:
// "producers/p/notifications/{key}".
func NotificationName(recipient, eventID string) string {
	return recipient + "/notifications/" + Key(eventID)
}

// SortKey orders a recipient's notifications newest first by its reverse:
// the creation time (to the millisecond a BSON date keeps) in Unix
// nanoseconds, zero-padded, and the notification's key. Page tokens carry
// it, so a page continues where the last one ended without another read.
func SortKey(created time.Time, name string) string {
	key := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		key = name[i+1:]
	}
	return fmt.Sprintf("%019d-%s", created.Truncate(time.Millisecond).UnixNano(), key)
}
