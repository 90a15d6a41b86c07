package notify

import (
	"context"
	"time"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Delivery states.
const (
	Pending   = "PENDING"
	Delivered = "DELIVERED"
	Dead      = "DEAD_LETTER"
)

// Channels of deliveries.
const (
	ChannelWebhook = "webhook"
	ChannelEmail   = "email"
)

// Notification is a notice in a recipient's inbox.
type Notification struct {
	Name       string // "{recipient}/notifications/{key}"
	Recipient  string
	EventID    string
	Type       Type
	Subject    string
	Link       string
	Params     map[string]string
	CreateTime time.Time
	ReadTime   time.Time // zero while unread
}

// Delivery is one event to send over one channel to one target.
type Delivery struct {
	ID      string // "{key}|{channel}|{target}"
	EventID string
	Channel string
	// Target is the subscription name (webhook) or the recipient (email).
	Target string
	// Notification is the recipient's notification (email).
	Notification string
	State        string
	Attempts     int
	NextAttempt  time.Time
	LastError    string
	CreateTime   time.Time
	DoneTime     time.Time
	Log          []Attempt
}

// Attempt is one entry of a delivery's log.
type Attempt struct {
	Time     time.Time
	Duration time.Duration
	Status   int // HTTP status of a webhook; 0 when none came
	Error    string
}

// Subscription is a webhook subscription of the trade office.
type Subscription struct {
	Name       string
	URL        string
	EventTypes []string // empty: every type
	Secret     string
	// DisplayName and CreateTime are bookkeeping for the API.
	DisplayName string
	CreateTime  time.Time
}

// Wants reports whether s subscribes to t.
func (s Subscription) Wants(t Type) bool {
	if len(s.EventTypes) == 0 {
		return true
	}
	for _, x := range s.EventTypes {
		if x == string(t) {
			return true
		}
	}
	return false
}

// Settings are a firm's notification preferences.
type Settings struct {
	// EmailDisabled turns e-mail off; the inbox always gets everything.
	EmailDisabled bool
	// MutedTypes are event types not sent by e-mail (or any other
	// channel but the inbox).
	MutedTypes []string
	// Language overrides the default language of messages.
	Language string
}

// Sends reports whether a notice of type t goes out on channels other than
// the inbox.
func (s Settings) Sends(t Type) bool {
	if s.EmailDisabled {
		return false
	}
	for _, m := range s.MutedTypes {
		if m == string(t) {
			return false
		}
	}
	return true
}

// Store is what the notifier needs of storage.
type Store interface {
	// Cursor returns the scan position of a source and its floor (when the
	// cursor was made), storing init as both when there is none yet.
	Cursor(ctx context.Context, source string, init time.Time) (at, floor time.Time, err error)
	SetCursor(ctx context.Context, source string, at time.Time) error

	// Updated calls fn with every resource of kind ("buying_requests",
	// "matches", "producers", "buyers") updated at or after since, in no
	// particular order (an unsorted scan lets FerretDB stream it).
	Updated(ctx context.Context, kind string, since time.Time, fn func(m any, updated time.Time) error) error
	AllProducers(ctx context.Context, fn func(*pb.Producer) error) error
	AllMatches(ctx context.Context, fn func(*pb.Match) error) error
	GetProducer(ctx context.Context, name string) (*pb.Producer, error)
	GetBuyer(ctx context.Context, name string) (*pb.Buyer, error)

	// SaveEvent stores e, its notifications and deliveries, each only if
	// not stored before, and reports whether e itself is new.
	SaveEvent(ctx context.Context, e Event, deliveries []Delivery) (bool, error)
	GetEvent(ctx context.Context, id string) (Event, error)
	GetNotification(ctx context.Context, name string) (Notification, error)

	ActiveSubscriptions(ctx context.Context) ([]Subscription, error)
	GetSubscription(ctx context.Context, name string) (Subscription, error)
	NotificationSettings(ctx context.Context, firm string) (Settings, error)

	// DueDeliveries returns pending deliveries due at now, earliest first.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// ClaimDelivery takes d for one attempt if nobody else has since it
	// was read (its attempt count is still d.Attempts): the claim sets the
	// next attempt to leaseUntil, so a claimant that dies is replaced then.
	ClaimDelivery(ctx context.Context, d Delivery, now, leaseUntil time.Time) (bool, error)
	// FinishAttempt records the attempt of a claimed delivery (whose
	// Attempts already counts it) and its new state.
	FinishAttempt(ctx context.Context, d Delivery, a Attempt, state string, next time.Time) error
	// PruneNotifyClaims deletes the claims older than before.
	PruneNotifyClaims(ctx context.Context, before time.Time) error
	// PruneDeliveries deletes up to limit finished deliveries (Delivered
	// or Dead) whose DoneTime is before before, never a pending one nor
	// one still marked due, and says how many it deleted.
	PruneDeliveries(ctx context.Context, before time.Time, limit int) (int, error)
}

// Change is an entry of the store's change log: the resource Name of Kind
// ("producer", "buyer", "buying request", "match", and kinds the notifier
// does not read) was written or deleted at At. ID orders entries written
// in the same instant.
type Change struct {
	ID     string
	At     time.Time
	Kind   string
	Name   string
	Prefix bool // every resource whose name starts with Name was deleted
}

// ChangeLog is what the notifier reads of a store that logs its writes.
// A Store that also implements it is followed by its change log, and
// scanned by update time only every Options.FullScanEvery; a Store that
// does not is scanned every round.
type ChangeLog interface {
	// Changes returns up to limit entries at or after since, oldest first
	// by (At, ID); with after set, only those after it.
	Changes(ctx context.Context, since time.Time, after *Change, limit int) ([]Change, error)
	// Resource reads one resource of a source (see Sources) by name, as
	// Updated would pass it; store.ErrNotFound when it is gone.
	Resource(ctx context.Context, source, name string) (any, time.Time, error)
}
