package mongostore

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

// AuditCollection is the audit trail: one document per write call.
const AuditCollection = "audit"

// auditNamePrefix starts every audit event name and so every _id.
const auditNamePrefix = "auditEvents/e"

// auditWriteTimeout bounds the recording of one event. Callers whose client
// may hang up pass a context without cancellation (context.WithoutCancel)
// but with the request's deadline: a write that happened must still be
// recorded, and its record must not hold the response past the deadline.
const auditWriteTimeout = 5 * time.Second

// maxAuditField bounds every string of an event: a rejected call may name a
// "resource" of any length, and the audit trail must not store it whole.
const maxAuditField = 512

// auditDoc is a stored audit event. The filterable fields are stored even
// when empty, so that `actor != ""` does not match documents that lack the
// field.
type auditDoc struct {
	ID            string    `bson:"_id"`
	EventTime     time.Time `bson:"eventTime"`
	Actor         string    `bson:"actor"`
	ActorRole     string    `bson:"actorRole"`
	ActorResource string    `bson:"actorResource"`
	Method        string    `bson:"method"`
	Resource      string    `bson:"resource"`
	Outcome       string    `bson:"outcome"`
	RequestID     string    `bson:"requestId,omitempty"`
	ClientAddress string    `bson:"clientAddress,omitempty"`
	Transport     string    `bson:"transport,omitempty"`
}

// auditFilterFields maps the filter paths of ListAuditEvents to keys.
// event_time is not here: it is translated to a range of _id, see
// auditTimeCondition.
var auditFilterFields = map[string]string{
	"actor":          "actor",
	"actor_role":     "actorRole",
	"actor_resource": "actorResource",
	"method":         "method",
	"resource":       "resource",
	"outcome":        "outcome",
}

type auditLog struct {
	coll *mongo.Collection
	now  func() time.Time
	// suffix makes the random part of a name; tests replace it to force
	// clashes.
	suffix func() string
}

func randomSuffix() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return suffixEncoding.EncodeToString(b)
}

var suffixEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// auditName returns a new event name for an event at t. The id is the event
// time in Unix nanoseconds, zero-padded to 19 digits, and a random suffix:
// name order is time order, so newest-first keyset paging runs on _id alone,
// and a time range is a range of _id. The name also keeps the nanoseconds a
// BSON date (milliseconds) would lose, so events within one millisecond
// keep their order and event_time is read back from the name.
func auditName(t time.Time, suffix string) string {
	return auditTimeKey(t) + "-" + suffix
}

// auditTimeKey is the part of an event name that encodes t; every name of an
// event at t sorts after it, every name of an earlier event before it.
func auditTimeKey(t time.Time) string {
	return fmt.Sprintf("%s%019d", auditNamePrefix, clampAuditTime(t).UnixNano())
}

// auditTimeOf reads the event time back from a name made by auditName.
func auditTimeOf(name string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(name, auditNamePrefix)
	if !ok || len(rest) < 19 {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(rest[:19], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, n).UTC(), true
}

// The span of event times that the 19-digit key encodes.
var (
	auditMinTime = time.Unix(0, 0)
	auditMaxTime = time.Unix(0, 1<<63-1)
)

func clampAuditTime(t time.Time) time.Time {
	switch {
	case t.Before(auditMinTime):
		return auditMinTime
	case t.After(auditMaxTime):
		return auditMaxTime
	}
	return t
}

func clip(s string) string {
	if len(s) <= maxAuditField {
		return s
	}
	s = s[:maxAuditField]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// hostOnly drops a port from an address, so that "203.0.113.7:51234" and
// "[2001:db8::1]:443" are stored as bare IPs.
func hostOnly(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

func auditToDoc(e *pb.AuditEvent) *auditDoc {
	return &auditDoc{
		ID:            e.GetName(),
		EventTime:     timeToDoc(e.GetEventTime()),
		Actor:         clip(e.GetActor()),
		ActorRole:     clip(e.GetActorRole()),
		ActorResource: clip(e.GetActorResource()),
		Method:        clip(e.GetMethod()),
		Resource:      clip(e.GetResource()),
		Outcome:       clip(e.GetOutcome()),
		RequestID:     clip(e.GetRequestId()),
		ClientAddress: clip(hostOnly(e.GetClientAddress())),
		Transport:     clip(e.GetTransport()),
	}
}

func auditFromDoc(d *auditDoc) *pb.AuditEvent {
	et := timeFromDoc(d.EventTime)
	if t, ok := auditTimeOf(d.ID); ok {
		et = timestamppb.New(t)
	}
	return &pb.AuditEvent{
		Name:          d.ID,
		EventTime:     et,
		Actor:         d.Actor,
		ActorRole:     d.ActorRole,
		ActorResource: d.ActorResource,
		Method:        d.Method,
		Resource:      d.Resource,
		Outcome:       d.Outcome,
		RequestId:     d.RequestID,
		ClientAddress: d.ClientAddress,
		Transport:     d.Transport,
	}
}

// RecordAudit stores an audit event. It assigns e.Name (any name given is
// replaced) and, when e.EventTime is unset (or outside 1970 to 2262, which
// names cannot encode), sets it to now. Over-long strings are cut and a port
// is dropped from the client address before storing.
//
// The id is made here, so a duplicate can only come from a retried insert
// that had in fact succeeded (then the stored event is ours and that is
// success) or from a clash of random suffixes (then a new name is drawn).
//
// ctx bounds the write (at most auditWriteTimeout): the caller decides how
// long the response may wait for its record. A failure that is about the
// database (unreachable, full) is returned as TranslateError makes it.
func (s *Store) RecordAudit(ctx context.Context, e *pb.AuditEvent) error {
	ctx, cancel := context.WithTimeout(ctx, auditWriteTimeout)
	defer cancel()
	return TranslateError(s.recordAudit(ctx, e))
}

func (s *Store) recordAudit(ctx context.Context, e *pb.AuditEvent) error {
	a := s.audit
	t := e.GetEventTime().AsTime()
	if e.GetEventTime() == nil || e.GetEventTime().CheckValid() != nil || t.Before(auditMinTime) || t.After(auditMaxTime) {
		t = a.now()
	}
	t = t.UTC()
	e.EventTime = timestamppb.New(t)
	const attempts = 3
	var err error
	for range attempts {
		e.Name = auditName(t, a.suffix())
		d := auditToDoc(e)
		if _, err = a.coll.InsertOne(ctx, d); err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("record audit event: %w", err)
		}
		var stored auditDoc
		switch ferr := a.coll.FindOne(ctx, bson.M{"_id": d.ID}).Decode(&stored); {
		case ferr == nil && proto.Equal(auditFromDoc(&stored), auditFromDoc(d)):
			return nil
		case ferr != nil && !errors.Is(ferr, mongo.ErrNoDocuments):
			return fmt.Errorf("record audit event: %w", ferr)
		}
	}
	return fmt.Errorf("record audit event: no free name after %d attempts: %w", attempts, err)
}

// ListAuditEvents returns a page of audit events, newest first, and whether
// more follow. o.After is the name of the last event of the previous page;
// o.Parent is ignored. Besides the fields of auditFilterFields, conditions
// may compare "event_time" with a time.Time value (< <= > >=).
func (s *Store) ListAuditEvents(ctx context.Context, o store.ListOptions) ([]*pb.AuditEvent, bool, error) {
	filter, err := auditFilter(o)
	if err != nil {
		return nil, false, err
	}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(int64(o.PageSize) + 1)
	cur, err := s.audit.coll.Find(ctx, filter, opts)
	if err != nil {
		return nil, false, fmt.Errorf("list audit events: %w", err)
	}
	var docs []*auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, false, fmt.Errorf("list audit events: %w", err)
	}
	more := len(docs) > o.PageSize
	if more {
		docs = docs[:o.PageSize]
	}
	out := make([]*pb.AuditEvent, len(docs))
	for i, d := range docs {
		out[i] = auditFromDoc(d)
	}
	return out, more, nil
}

// GetAuditEvent returns the audit event with that name.
func (s *Store) GetAuditEvent(ctx context.Context, name string) (*pb.AuditEvent, error) {
	var d auditDoc
	err := s.audit.coll.FindOne(ctx, bson.M{"_id": name}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, fmt.Errorf("%w: audit event %q", store.ErrNotFound, name)
	}
	if err != nil {
		return nil, fmt.Errorf("get audit event: %w", err)
	}
	return auditFromDoc(&d), nil
}

func auditFilter(o store.ListOptions) (bson.M, error) {
	var and []bson.M
	if o.After != "" {
		and = append(and, bson.M{"_id": bson.M{"$lt": o.After}})
	}
	return conjunction(and, o.Conditions, auditFilterFields, func(c query.Condition) (bson.M, bool, error) {
		if c.Field != "event_time" {
			return nil, false, nil
		}
		m, err := auditTimeCondition(c)
		return m, err == nil, err
	})
}

// auditTimeCondition turns a comparison of the event time into a range of
// _id (see auditName): exact to the nanosecond, and served by the _id index
// that also orders the page.
func auditTimeCondition(c query.Condition) (bson.M, error) {
	t, ok := c.Value.(time.Time)
	if !ok {
		return nil, fmt.Errorf("event_time condition with a %T value", c.Value)
	}
	switch c.Op {
	case query.Ge: // names of events at t sort after the key of t
		return bson.M{"_id": bson.M{"$gte": auditTimeKey(t)}}, nil
	case query.Lt:
		return bson.M{"_id": bson.M{"$lt": auditTimeKey(t)}}, nil
	case query.Gt: // after every event at t: from the key of t+1ns
		return bson.M{"_id": bson.M{"$gte": auditTimeKey(t.Add(1))}}, nil
	case query.Le:
		return bson.M{"_id": bson.M{"$lt": auditTimeKey(t.Add(1))}}, nil
	default:
		return nil, fmt.Errorf("event_time condition with operator %s", c.Op)
	}
}

// PruneAudit deletes the audit events older than before and says how many.
// Event names sort by time, so this is one range delete on _id.
func (s *Store) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.audit.coll.DeleteMany(ctx, bson.M{"_id": bson.M{"$gte": auditNamePrefix, "$lt": auditTimeKey(before)}})
	if err != nil {
		return 0, fmt.Errorf("prune audit events: %w", err)
	}
	return res.DeletedCount, nil
}
