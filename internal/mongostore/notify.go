package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Collections of notifications. Every document's _id is derived from the
// event it belongs to, so inserting it twice (a rescan, a restart, another
// replica) fails with a duplicate key and changes nothing: that is how
// events are produced once without transactions.
const (
	NotifyCursorsCollection  = "notify_cursors"
	EventsCollection         = "events"
	NotificationsCollection  = "notifications"
	DeliveriesCollection     = "deliveries"
	SubscriptionsCollection  = "webhook_subscriptions"
	NotifySettingsCollection = "notification_settings"
	// DueCollection holds one marker per pending delivery (see
	// DueDeliveries); deliveries keep their log in DeliveriesCollection.
	DueCollection             = "notify_due"
	notifyUpdateTimeIndexName = "notify_update_time"
	// deliveriesDoneTimeIndexName serves PruneDeliveries on MongoDB.
	deliveriesDoneTimeIndexName = "done_time"
)

var _ notify.Store = (*Store)(nil)

type cursorDoc struct {
	ID string    `bson:"_id"`
	At time.Time `bson:"at"`
	// Floor is when the cursor was made: nothing older is scanned.
	Floor time.Time `bson:"floor"`
}

type eventDoc struct {
	ID string `bson:"_id"`
	// Seq orders events by when they were stored (see EventsAfter).
	Seq     string            `bson:"seq"`
	Type    string            `bson:"type"`
	Time    time.Time         `bson:"time"`
	Subject string            `bson:"subject"`
	Data    map[string]string `bson:"data,omitempty"`
}

type notificationDoc struct {
	ID         string            `bson:"_id"`
	Recipient  string            `bson:"recipient"`
	EventID    string            `bson:"eventId"`
	Type       string            `bson:"type"`
	Subject    string            `bson:"subject"`
	Link       string            `bson:"link"`
	Params     map[string]string `bson:"params,omitempty"`
	CreateTime time.Time         `bson:"createTime"`
	SortKey    string            `bson:"sortKey"`
	Read       bool              `bson:"read"`
	ReadTime   *time.Time        `bson:"readTime,omitempty"`
}

type attemptDoc struct {
	Time     time.Time `bson:"time"`
	Duration int64     `bson:"durationMs"`
	Status   int       `bson:"status,omitempty"`
	Error    string    `bson:"error,omitempty"`
}

type deliveryDoc struct {
	ID           string       `bson:"_id"`
	EventID      string       `bson:"eventId"`
	Channel      string       `bson:"channel"`
	Target       string       `bson:"target"`
	Notification string       `bson:"notification,omitempty"`
	State        string       `bson:"state"`
	Attempts     int          `bson:"attempts"`
	NextAttempt  time.Time    `bson:"nextAttempt"`
	LastError    string       `bson:"lastError,omitempty"`
	CreateTime   time.Time    `bson:"createTime"`
	DoneTime     *time.Time   `bson:"doneTime,omitempty"`
	Log          []attemptDoc `bson:"log"`
}

// dueDoc marks a pending delivery and when it is next due. It is a hint:
// the delivery document decides, so a marker left behind by a crash is
// repaired when it is read.
type dueDoc struct {
	ID          string    `bson:"_id"` // the delivery's id
	NextAttempt time.Time `bson:"nextAttempt"`
}

type subscriptionDoc struct {
	ID          string    `bson:"_id"`
	DisplayName string    `bson:"displayName,omitempty"`
	URL         string    `bson:"url"`
	EventTypes  []string  `bson:"eventTypes"`
	Secret      string    `bson:"secret"`
	RequestID   string    `bson:"requestId,omitempty"`
	CreateTime  time.Time `bson:"createTime"`
}

type settingsDoc struct {
	ID            string    `bson:"_id"`
	EmailDisabled bool      `bson:"emailDisabled"`
	MutedTypes    []string  `bson:"mutedTypes"`
	Language      string    `bson:"language,omitempty"`
	Version       int64     `bson:"version"`
	UpdateTime    time.Time `bson:"updateTime"`
}

// EnsureNotifyIndexes creates the indexes of the notification collections
// and the update-time indexes the notifier scans by. Like EnsureIndexes, it
// creates only missing names, one at a time.
func (s *Store) EnsureNotifyIndexes(ctx context.Context) error {
	idx := func(name string, keys ...string) mongo.IndexModel {
		d := bson.D{}
		for _, k := range keys {
			d = append(d, bson.E{Key: k, Value: 1})
		}
		return mongo.IndexModel{Keys: d, Options: options.Index().SetName(name)}
	}
	specs := map[string][]mongo.IndexModel{
		ProducersCollection:      {idx(notifyUpdateTimeIndexName, "updateTime")},
		BuyersCollection:         {idx(notifyUpdateTimeIndexName, "updateTime")},
		BuyingRequestsCollection: {idx(notifyUpdateTimeIndexName, "updateTime")},
		MatchesCollection:        {idx(notifyUpdateTimeIndexName, "updateTime")},
		NotificationsCollection:  {idx("recipient_sort", "recipient", "sortKey"), idx("recipient_read", "recipient", "read")},
		DeliveriesCollection:     {idx("state_next", "state", "nextAttempt"), idx("target_create", "target", "_id"), idx(deliveriesDoneTimeIndexName, "doneTime")},
		EventsCollection:         {idx("seq", "seq")},
	}
	for coll, models := range specs {
		if err := s.ensureIndexesOf(ctx, coll, models); err != nil {
			return err
		}
	}
	return nil
}

// ensureDue creates DueCollection and its index when this process first
// marks a delivery, not at start: a database that never delivers anything
// keeps the layout it had (TestStorageFull in internal/app fills a capped
// database to the last page, and an extra table and index at start changed
// which of its writes still fitted).
func (s *Store) ensureDue(ctx context.Context) error {
	s.due.Lock()
	defer s.due.Unlock()
	if s.due.indexed {
		return nil
	}
	m := mongo.IndexModel{Keys: bson.D{{Key: "nextAttempt", Value: 1}}, Options: options.Index().SetName("next_attempt")}
	if err := s.ensureIndexesOf(ctx, DueCollection, []mongo.IndexModel{m}); err != nil {
		return err
	}
	s.due.indexed = true
	return nil
}

// Cursor implements notify.Store.
func (s *Store) Cursor(ctx context.Context, source string, init time.Time) (at, floor time.Time, err error) {
	coll := s.db.Collection(NotifyCursorsCollection)
	for range 2 {
		var d cursorDoc
		err := coll.FindOne(ctx, bson.M{"_id": source}).Decode(&d)
		if err == nil {
			return d.At, d.Floor, nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return time.Time{}, time.Time{}, fmt.Errorf("read notify cursor: %w", err)
		}
		if _, err := coll.InsertOne(ctx, cursorDoc{ID: source, At: init.UTC(), Floor: init.UTC()}); err != nil && !mongo.IsDuplicateKeyError(err) {
			return time.Time{}, time.Time{}, fmt.Errorf("store notify cursor: %w", err)
		}
	}
	return time.Time{}, time.Time{}, fmt.Errorf("notify cursor %s vanished", source)
}

// SetCursor implements notify.Store. The cursor only moves forward, so two
// replicas scanning at once cannot set it back.
func (s *Store) SetCursor(ctx context.Context, source string, at time.Time) error {
	_, err := s.db.Collection(NotifyCursorsCollection).UpdateOne(ctx, bson.M{"_id": source, "at": bson.M{"$lt": at.UTC()}}, bson.M{"$set": bson.M{"at": at.UTC()}})
	if err != nil {
		return fmt.Errorf("move notify cursor: %w", err)
	}
	return nil
}

// Updated implements notify.Store.
func (s *Store) Updated(ctx context.Context, kind string, since time.Time, fn func(any, time.Time) error) error {
	switch kind {
	case "producers":
		return updatedSince(ctx, s.producers, since, fn)
	case "buyers":
		return updatedSince(ctx, s.buyers, since, fn)
	case "buying_requests":
		return updatedSince(ctx, s.requests, since, fn)
	case "matches":
		return updatedSince(ctx, s.matches, since, fn)
	}
	return fmt.Errorf("no notification source %q", kind)
}

// updatedSince streams the resources updated at or after since, unsorted:
// FerretDB's SQLite backend filters on updateTime in Go, and a sort would
// make it decode and hold every matching document before the first one is
// returned; unsorted, it keeps one batch in memory. (MongoDB uses the
// notify_update_time index either way.)
func updatedSince[M message, D any](ctx context.Context, r *resource[M, D], since time.Time, fn func(any, time.Time) error) error {
	cur, err := r.coll.Find(ctx, bson.M{"updateTime": bson.M{"$gte": since.UTC()}})
	if err != nil {
		return fmt.Errorf("scan %ss: %w", r.noun, err)
	}
	defer func() { _ = cur.Close(ctx) }() // the results are read; the server frees the cursor anyway
	for cur.Next(ctx) {
		var d D
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("scan %ss: %w", r.noun, err)
		}
		if err := fn(r.read(&d), *r.meta(&d).updateTime); err != nil {
			return err
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("scan %ss: %w", r.noun, err)
	}
	return nil
}

// insertNew inserts d and reports whether it was new; a duplicate key is
// not an error.
func insertNew(ctx context.Context, coll *mongo.Collection, d any) (bool, error) {
	_, err := coll.InsertOne(ctx, d)
	switch {
	case err == nil:
		return true, nil
	case mongo.IsDuplicateKeyError(err):
		return false, nil
	}
	return false, err
}

// SaveEvent implements notify.Store. The event goes in last: when it is
// found stored, its notifications and deliveries are too, and a crash
// before that leaves the event to be derived and saved again.
//
// An event found stored is not saved again: its parts were stored before
// it. So deriving an old event again (after a restart, or by the full
// scan) costs one read, and makes no deliveries for a subscription created
// since.
func (s *Store) SaveEvent(ctx context.Context, e notify.Event, deliveries []notify.Delivery) (bool, error) {
	switch err := s.db.Collection(EventsCollection).FindOne(ctx, bson.M{"_id": e.ID}).Err(); {
	case err == nil:
		return false, nil
	case !errors.Is(err, mongo.ErrNoDocuments):
		return false, fmt.Errorf("read event: %w", err)
	}
	at := e.Time.UTC().Truncate(time.Millisecond)
	for _, n := range e.Notices {
		name := notify.NotificationName(n.Recipient, e.ID)
		d := notificationDoc{ID: name, Recipient: n.Recipient, EventID: e.ID, Type: string(e.Type), Subject: e.Subject, Link: n.Link,
			Params: n.Params, CreateTime: at, SortKey: notify.SortKey(at, name)}
		if _, err := insertNew(ctx, s.db.Collection(NotificationsCollection), d); err != nil {
			return false, fmt.Errorf("store notification: %w", err)
		}
	}
	for _, d := range deliveries {
		doc := deliveryDoc{ID: d.ID, EventID: d.EventID, Channel: d.Channel, Target: d.Target, Notification: d.Notification,
			State: d.State, NextAttempt: d.NextAttempt.UTC(), CreateTime: d.CreateTime.UTC(), Log: []attemptDoc{}}
		if _, err := insertNew(ctx, s.db.Collection(DeliveriesCollection), doc); err != nil {
			return false, fmt.Errorf("store delivery: %w", err)
		}
		// After the delivery, so that a marker always has one to read.
		if d.State == notify.Pending {
			if err := s.ensureDue(ctx); err != nil {
				return false, err
			}
			if _, err := insertNew(ctx, s.db.Collection(DueCollection), dueDoc{ID: d.ID, NextAttempt: doc.NextAttempt}); err != nil {
				return false, fmt.Errorf("store delivery: %w", err)
			}
		}
	}
	seq := notify.SeqKey(s.producers.now()) + notify.Key(e.ID)
	fresh, err := insertNew(ctx, s.db.Collection(EventsCollection), eventDoc{ID: e.ID, Seq: seq, Type: string(e.Type), Time: at, Subject: e.Subject, Data: e.Data})
	if err != nil {
		return false, fmt.Errorf("store event: %w", err)
	}
	return fresh, nil
}

// GetEvent implements notify.Store.
func (s *Store) GetEvent(ctx context.Context, id string) (notify.Event, error) {
	var d eventDoc
	if err := s.db.Collection(EventsCollection).FindOne(ctx, bson.M{"_id": id}).Decode(&d); err != nil {
		return notify.Event{}, notFound(err, "event", id)
	}
	return eventFromDoc(&d), nil
}

func eventFromDoc(d *eventDoc) notify.Event {
	return notify.Event{ID: d.ID, Seq: d.Seq, Type: notify.Type(d.Type), Time: d.Time, Subject: d.Subject, Data: d.Data}
}

// EventsAfter returns up to limit events stored after the sequence key
// after (see notify.SeqKey), in the order they were stored.
func (s *Store) EventsAfter(ctx context.Context, after string, limit int) ([]notify.Event, error) {
	cur, err := s.db.Collection(EventsCollection).Find(ctx, bson.M{"seq": bson.M{"$gt": after}},
		options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	var docs []eventDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	out := make([]notify.Event, len(docs))
	for i := range docs {
		out[i] = eventFromDoc(&docs[i])
	}
	return out, nil
}

func notFound(err error, noun, name string) error {
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("%w: %s %q", store.ErrNotFound, noun, name)
	}
	return fmt.Errorf("read %s: %w", noun, err)
}

func notificationFromDoc(d *notificationDoc) notify.Notification {
	n := notify.Notification{Name: d.ID, Recipient: d.Recipient, EventID: d.EventID, Type: notify.Type(d.Type), Subject: d.Subject,
		Link: d.Link, Params: d.Params, CreateTime: d.CreateTime}
	if d.ReadTime != nil {
		n.ReadTime = *d.ReadTime
	}
	return n
}

// GetNotification implements notify.Store.
func (s *Store) GetNotification(ctx context.Context, name string) (notify.Notification, error) {
	var d notificationDoc
	if err := s.db.Collection(NotificationsCollection).FindOne(ctx, bson.M{"_id": name}).Decode(&d); err != nil {
		return notify.Notification{}, notFound(err, "notification", name)
	}
	return notificationFromDoc(&d), nil
}

// ListNotifications returns a page of recipient's notifications, newest
// first, after the one with sort key after (see notify.SortKey), and
// whether more follow.
func (s *Store) ListNotifications(ctx context.Context, recipient, after string, unreadOnly bool, pageSize int) ([]notify.Notification, bool, error) {
	filter := bson.M{"recipient": recipient}
	if after != "" {
		filter["sortKey"] = bson.M{"$lt": after}
	}
	if unreadOnly {
		filter["read"] = false
	}
	cur, err := s.db.Collection(NotificationsCollection).Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "sortKey", Value: -1}}).SetLimit(int64(pageSize)+1))
	if err != nil {
		return nil, false, fmt.Errorf("list notifications: %w", err)
	}
	var docs []notificationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, false, fmt.Errorf("list notifications: %w", err)
	}
	more := len(docs) > pageSize
	if more {
		docs = docs[:pageSize]
	}
	out := make([]notify.Notification, len(docs))
	for i := range docs {
		out[i] = notificationFromDoc(&docs[i])
	}
	return out, more, nil
}

// CountUnread counts recipient's unread notifications.
func (s *Store) CountUnread(ctx context.Context, recipient string) (int64, error) {
	n, err := s.db.Collection(NotificationsCollection).CountDocuments(ctx, bson.M{"recipient": recipient, "read": false})
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// MarkNotificationRead sets the read time of a notification (once; marking
// it again keeps the first time) and returns it.
func (s *Store) MarkNotificationRead(ctx context.Context, name string, at time.Time) (notify.Notification, error) {
	at = at.UTC()
	coll := s.db.Collection(NotificationsCollection)
	if _, err := coll.UpdateOne(ctx, bson.M{"_id": name, "read": false}, bson.M{"$set": bson.M{"read": true, "readTime": at}}); err != nil {
		return notify.Notification{}, fmt.Errorf("mark notification read: %w", err)
	}
	return s.GetNotification(ctx, name)
}

// ActiveSubscriptions implements notify.Store.
func (s *Store) ActiveSubscriptions(ctx context.Context) ([]notify.Subscription, error) {
	cur, err := s.db.Collection(SubscriptionsCollection).Find(ctx, bson.M{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list webhook subscriptions: %w", err)
	}
	var docs []subscriptionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list webhook subscriptions: %w", err)
	}
	out := make([]notify.Subscription, len(docs))
	for i := range docs {
		out[i] = subscriptionFromDoc(&docs[i])
	}
	return out, nil
}

// CreateSubscription stores a new subscription; with a request id, a retry
// returns the subscription first stored under it.
func (s *Store) CreateSubscription(ctx context.Context, sub notify.Subscription, requestID string) (notify.Subscription, error) {
	coll := s.db.Collection(SubscriptionsCollection)
	if requestID != "" {
		var d subscriptionDoc
		err := coll.FindOne(ctx, bson.M{"requestId": requestID}).Decode(&d)
		if err == nil {
			return subscriptionFromDoc(&d), nil
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return notify.Subscription{}, fmt.Errorf("create webhook subscription: %w", err)
		}
	}
	d := subscriptionDoc{ID: sub.Name, DisplayName: sub.DisplayName, URL: sub.URL, EventTypes: sub.EventTypes, Secret: sub.Secret,
		RequestID: requestID, CreateTime: s.producers.now().UTC().Truncate(time.Millisecond)}
	if d.EventTypes == nil {
		d.EventTypes = []string{}
	}
	if _, err := coll.InsertOne(ctx, d); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return notify.Subscription{}, fmt.Errorf("%w: webhook subscription %q", store.ErrAlreadyExists, sub.Name)
		}
		return notify.Subscription{}, fmt.Errorf("create webhook subscription: %w", err)
	}
	return subscriptionFromDoc(&d), nil
}

func subscriptionFromDoc(d *subscriptionDoc) notify.Subscription {
	return notify.Subscription{Name: d.ID, URL: d.URL, EventTypes: d.EventTypes, Secret: d.Secret, DisplayName: d.DisplayName, CreateTime: d.CreateTime}
}

// GetSubscription implements notify.Store.
func (s *Store) GetSubscription(ctx context.Context, name string) (notify.Subscription, error) {
	var d subscriptionDoc
	if err := s.db.Collection(SubscriptionsCollection).FindOne(ctx, bson.M{"_id": name}).Decode(&d); err != nil {
		return notify.Subscription{}, notFound(err, "webhook subscription", name)
	}
	return subscriptionFromDoc(&d), nil
}

// ListWebhookSubscriptions returns a page of subscriptions by name.
func (s *Store) ListWebhookSubscriptions(ctx context.Context, after string, pageSize int) ([]notify.Subscription, bool, error) {
	filter := bson.M{}
	if after != "" {
		filter["_id"] = bson.M{"$gt": after}
	}
	cur, err := s.db.Collection(SubscriptionsCollection).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(pageSize)+1))
	if err != nil {
		return nil, false, fmt.Errorf("list webhook subscriptions: %w", err)
	}
	var docs []subscriptionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, false, fmt.Errorf("list webhook subscriptions: %w", err)
	}
	more := len(docs) > pageSize
	if more {
		docs = docs[:pageSize]
	}
	out := make([]notify.Subscription, len(docs))
	for i := range docs {
		out[i] = subscriptionFromDoc(&docs[i])
	}
	return out, more, nil
}

// DeleteWebhookSubscription deletes a subscription; its pending deliveries
// are dead-lettered when next attempted.
func (s *Store) DeleteWebhookSubscription(ctx context.Context, name string) error {
	res, err := s.db.Collection(SubscriptionsCollection).DeleteOne(ctx, bson.M{"_id": name})
	if err != nil {
		return fmt.Errorf("delete webhook subscription: %w", err)
	}
	if res.DeletedCount == 0 {
		return fmt.Errorf("%w: webhook subscription %q", store.ErrNotFound, name)
	}
	return nil
}

func deliveryFromDoc(d *deliveryDoc) notify.Delivery {
	out := notify.Delivery{ID: d.ID, EventID: d.EventID, Channel: d.Channel, Target: d.Target, Notification: d.Notification,
		State: d.State, Attempts: d.Attempts, NextAttempt: d.NextAttempt, LastError: d.LastError, CreateTime: d.CreateTime}
	if d.DoneTime != nil {
		out.DoneTime = *d.DoneTime
	}
	for _, a := range d.Log {
		out.Log = append(out.Log, notify.Attempt{Time: a.Time, Duration: time.Duration(a.Duration) * time.Millisecond, Status: a.Status, Error: a.Error})
	}
	return out
}

// ListDeliveries returns a page of the deliveries to target (a
// subscription name), by id, after the id after.
func (s *Store) ListDeliveries(ctx context.Context, target, after string, pageSize int) ([]notify.Delivery, bool, error) {
	filter := bson.M{"target": target}
	if after != "" {
		filter["_id"] = bson.M{"$gt": after}
	}
	cur, err := s.db.Collection(DeliveriesCollection).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(pageSize)+1))
	if err != nil {
		return nil, false, fmt.Errorf("list deliveries: %w", err)
	}
	var docs []deliveryDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, false, fmt.Errorf("list deliveries: %w", err)
	}
	more := len(docs) > pageSize
	if more {
		docs = docs[:pageSize]
	}
	out := make([]notify.Delivery, len(docs))
	for i := range docs {
		out[i] = deliveryFromDoc(&docs[i])
	}
	return out, more, nil
}

// DueDeliveries implements notify.Store. It reads the markers of pending
// deliveries (DueCollection), not the deliveries: that collection holds
// only what is pending, so the query stays small on FerretDB, which
// filters and sorts it in Go, however many deliveries were ever made;
// MongoDB answers it from the next_attempt index. Each marker's delivery
// is then read by _id and decides: a marker whose delivery is finished or
// gone is deleted; one whose delivery is not due (claimed by another
// replica that has not moved the marker yet) is skipped.
func (s *Store) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]notify.Delivery, error) {
	dueColl := s.db.Collection(DueCollection)
	cur, err := dueColl.Find(ctx, bson.M{"nextAttempt": bson.M{"$lte": now.UTC()}},
		options.Find().SetSort(bson.D{{Key: "nextAttempt", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("due deliveries: %w", err)
	}
	var marks []dueDoc
	if err := cur.All(ctx, &marks); err != nil {
		return nil, fmt.Errorf("due deliveries: %w", err)
	}
	out := make([]notify.Delivery, 0, len(marks))
	for _, m := range marks {
		var d deliveryDoc
		err := s.db.Collection(DeliveriesCollection).FindOne(ctx, bson.M{"_id": m.ID}).Decode(&d)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments) || (err == nil && d.State != notify.Pending):
			// Finished states are final, so the marker can go.
			if _, err := dueColl.DeleteOne(ctx, bson.M{"_id": m.ID}); err != nil {
				return nil, fmt.Errorf("due deliveries: %w", err)
			}
		case err != nil:
			return nil, fmt.Errorf("due deliveries: %w", err)
		case !d.NextAttempt.After(now):
			out = append(out, deliveryFromDoc(&d))
		}
	}
	return out, nil
}

// setDue moves the marker of a pending delivery (creating it if missing)
// or, for a finished one, deletes it.
func (s *Store) setDue(ctx context.Context, id, state string, next time.Time) error {
	coll := s.db.Collection(DueCollection)
	var err error
	if state == notify.Pending {
		_, err = coll.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"nextAttempt": next.UTC()}}, options.UpdateOne().SetUpsert(true))
	} else {
		_, err = coll.DeleteOne(ctx, bson.M{"_id": id})
	}
	if err != nil {
		return fmt.Errorf("mark delivery due: %w", err)
	}
	return nil
}

// BackfillDue marks every pending delivery that has no marker, such as
// those stored before markers existed, or by a replica of an older
// version during a rolling upgrade. It reads every delivery, so it runs
// once per start, not per round.
func (s *Store) BackfillDue(ctx context.Context) error {
	cur, err := s.db.Collection(DeliveriesCollection).Find(ctx, bson.M{"state": notify.Pending},
		options.Find().SetProjection(bson.M{"_id": 1, "nextAttempt": 1}))
	if err != nil {
		return fmt.Errorf("mark pending deliveries: %w", err)
	}
	defer func() { _ = cur.Close(ctx) }()
	for cur.Next(ctx) {
		var m dueDoc
		if err := cur.Decode(&m); err != nil {
			return fmt.Errorf("mark pending deliveries: %w", err)
		}
		if err := s.ensureDue(ctx); err != nil {
			return err
		}
		if _, err := insertNew(ctx, s.db.Collection(DueCollection), m); err != nil {
			return fmt.Errorf("mark pending deliveries: %w", err)
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("mark pending deliveries: %w", err)
	}
	return nil
}

// NotifyClaimsCollection holds the claims of delivery attempts and of
// settings versions.
const NotifyClaimsCollection = "notify_claims"

// claimWindow is the span within which one claim key can be won once. A
// claimant that dies is replaced in the next window.
const claimWindow = 2 * time.Minute

// notifyClaim reports whether this caller won key in the current window.
// A conditional update is not atomic on FerretDB 1.24 (the filter is
// evaluated in Go, the write keyed by _id alone: see claims.go), so the
// claim is an insert with a unique _id, which is atomic everywhere.
func (s *Store) notifyClaim(ctx context.Context, key string, now time.Time) (bool, error) {
	id := fmt.Sprintf("%s#%d", key, now.Truncate(claimWindow).Unix())
	won, err := insertNew(ctx, s.db.Collection(NotifyClaimsCollection), claimDoc{ID: id, At: now.UTC()})
	if err != nil {
		return false, fmt.Errorf("claim %s: %w", key, err)
	}
	return won, nil
}

// ClaimDelivery implements notify.Store: only the replica whose claim
// insert wins, and which then still finds the delivery as it read it,
// attempts it.
func (s *Store) ClaimDelivery(ctx context.Context, d notify.Delivery, now, leaseUntil time.Time) (bool, error) {
	won, err := s.notifyClaim(ctx, fmt.Sprintf("%s#%d", d.ID, d.Attempts), now)
	if err != nil || !won {
		return false, err
	}
	coll := s.db.Collection(DeliveriesCollection)
	var cur deliveryDoc
	if err := coll.FindOne(ctx, bson.M{"_id": d.ID}).Decode(&cur); err != nil {
		return false, notFound(err, "delivery", d.ID)
	}
	if cur.State != notify.Pending || cur.Attempts != d.Attempts || cur.NextAttempt.After(now) {
		return false, nil // another replica attempted it meanwhile
	}
	if _, err := coll.UpdateOne(ctx, bson.M{"_id": d.ID, "attempts": d.Attempts},
		bson.M{"$set": bson.M{"attempts": d.Attempts + 1, "nextAttempt": leaseUntil.UTC()}}); err != nil {
		return false, fmt.Errorf("claim delivery: %w", err)
	}
	// Not due again before the lease ends. The claim stands even if this
	// fails: the marker is then read and skipped until the lease ends.
	_ = s.setDue(ctx, d.ID, notify.Pending, leaseUntil)
	return true, nil
}

// PruneNotifyClaims deletes claims older than before; they can no longer
// be contended for.
func (s *Store) PruneNotifyClaims(ctx context.Context, before time.Time) error {
	if _, err := s.db.Collection(NotifyClaimsCollection).DeleteMany(ctx, bson.M{"at": bson.M{"$lt": before.UTC()}}); err != nil {
		return fmt.Errorf("prune notify claims: %w", err)
	}
	return nil
}

// FinishAttempt implements notify.Store. It applies only while the claim
// is still ours (the attempt count unchanged).
func (s *Store) FinishAttempt(ctx context.Context, d notify.Delivery, a notify.Attempt, state string, next time.Time) error {
	set := bson.M{"state": state, "lastError": a.Error}
	if state == notify.Pending {
		set["nextAttempt"] = next.UTC()
	} else {
		set["doneTime"] = a.Time.Add(a.Duration).UTC()
	}
	res, err := s.db.Collection(DeliveriesCollection).UpdateOne(ctx, bson.M{"_id": d.ID, "attempts": d.Attempts},
		bson.M{"$set": set, "$push": bson.M{"log": attemptDoc{Time: a.Time.UTC(), Duration: a.Duration.Milliseconds(), Status: a.Status, Error: a.Error}}})
	if err != nil {
		return fmt.Errorf("record delivery attempt: %w", err)
	}
	if res.MatchedCount == 0 {
		return nil // the claim was lost: the marker is the new claimant's
	}
	return s.setDue(ctx, d.ID, state, next)
}

// PruneDeliveries implements notify.Store: it deletes up to limit finished
// deliveries (DELIVERED or DEAD_LETTER) that finished before before, and
// says how many it deleted. FerretDB has no TTL index, hence a delete in
// code. The filter is a range on doneTime, which only a finished delivery
// has, so MongoDB answers it from the done_time index and an empty answer
// costs one index probe; FerretDB decodes the collection, which the pruning
// keeps to the retention window. The read is unsorted, so that FerretDB
// streams it and stops at limit.
//
// A delivery with a notify_due marker is kept: the marker of a finished
// delivery is a crash's leftover, which DueDeliveries removes when it reads
// it, and a later run prunes the delivery. The delete repeats the state
// and time conditions, so that, on MongoDB, a delivery changed since it
// was read is not deleted.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, nil
	}
	finished := bson.M{"doneTime": bson.M{"$lt": before.UTC()}, "state": bson.M{"$in": bson.A{notify.Delivered, notify.Dead}}}
	coll := s.db.Collection(DeliveriesCollection)
	ids, err := idsOf(ctx, coll, finished, options.Find().SetLimit(int64(limit)))
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	// Not distinct: FerretDB rejects it under a deadline.
	marks, err := idsOf(ctx, s.db.Collection(DueCollection), bson.M{"_id": bson.M{"$in": ids}}, options.Find())
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	if len(marks) > 0 {
		marked := make(map[string]bool, len(marks))
		for _, id := range marks {
			marked[id] = true
		}
		ids = slices.DeleteFunc(ids, func(id string) bool { return marked[id] })
		if len(ids) == 0 {
			return 0, nil
		}
	}
	del := bson.M{"_id": bson.M{"$in": ids}}
	for k, v := range finished {
		del[k] = v
	}
	res, err := coll.DeleteMany(ctx, del)
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	return int(res.DeletedCount), nil
}

// idsOf returns the _id of each document of coll that filter selects (o
// may limit them; the projection is set here).
func idsOf(ctx context.Context, coll *mongo.Collection, filter bson.M, o *options.FindOptionsBuilder) ([]string, error) {
	cur, err := coll.Find(ctx, filter, o.SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return nil, err
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}

// NotificationSettings implements notify.Store; a firm that never saved
// any has the defaults (everything by e-mail, its default language).
func (s *Store) NotificationSettings(ctx context.Context, firm string) (notify.Settings, error) {
	st, _, _, err := s.GetNotificationSettings(ctx, firm)
	return st, err
}

// GetNotificationSettings returns a firm's settings, their version (0 when
// never saved) and update time.
func (s *Store) GetNotificationSettings(ctx context.Context, firm string) (notify.Settings, int64, time.Time, error) {
	var d settingsDoc
	err := s.db.Collection(NotifySettingsCollection).FindOne(ctx, bson.M{"_id": firm}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return notify.Settings{}, 0, time.Time{}, nil
	}
	if err != nil {
		return notify.Settings{}, 0, time.Time{}, fmt.Errorf("read notification settings: %w", err)
	}
	return notify.Settings{EmailDisabled: d.EmailDisabled, MutedTypes: d.MutedTypes, Language: d.Language}, d.Version, d.UpdateTime, nil
}

// PutNotificationSettings stores a firm's settings if their version is
// still version (0: never saved), and returns the new version; a stale
// version fails with store.ErrConflict.
func (s *Store) PutNotificationSettings(ctx context.Context, firm string, st notify.Settings, version int64) (int64, time.Time, error) {
	now := s.producers.now().UTC().Truncate(time.Millisecond)
	d := settingsDoc{ID: firm, EmailDisabled: st.EmailDisabled, MutedTypes: st.MutedTypes, Language: st.Language, Version: version + 1, UpdateTime: now}
	if d.MutedTypes == nil {
		d.MutedTypes = []string{}
	}
	coll := s.db.Collection(NotifySettingsCollection)
	if version == 0 {
		if _, err := coll.InsertOne(ctx, d); err != nil {
			if mongo.IsDuplicateKeyError(err) {
				return 0, time.Time{}, fmt.Errorf("%w: notification settings of %s changed meanwhile", store.ErrConflict, firm)
			}
			return 0, time.Time{}, fmt.Errorf("save notification settings: %w", err)
		}
		return d.Version, now, nil
	}
	won, err := s.notifyClaim(ctx, fmt.Sprintf("%s/notificationSettings#%d", firm, version+1), now)
	if err != nil {
		return 0, time.Time{}, err
	}
	if !won {
		return 0, time.Time{}, fmt.Errorf("%w: notification settings of %s changed meanwhile", store.ErrConflict, firm)
	}
	res, err := coll.ReplaceOne(ctx, bson.M{"_id": firm, "version": version}, d)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("save notification settings: %w", err)
	}
	if res.MatchedCount == 0 {
		return 0, time.Time{}, fmt.Errorf("%w: notification settings of %s changed meanwhile", store.ErrConflict, firm)
	}
	return d.Version, now, nil
}
