package mongostore

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
)

func auditEvent(at time.Time, actor, method, resource, outcome string) *pb.AuditEvent {
	role := "producer"
	if actor == "" {
		role = "anonymous"
	}
	return &pb.AuditEvent{
		EventTime: ts(at), Actor: actor, ActorRole: role, Method: method,
		Resource: resource, Outcome: outcome, Transport: "grpc",
	}
}

func names(events []*pb.AuditEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.GetResource()
	}
	return out
}

func TestAuditRecordAndList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	c := &clock{t: base.Add(time.Hour)}
	s := newStore(t, c)

	const update = "/temubisnis.v1.ProducerService/UpdateProducer"
	const create = "/temubisnis.v1.ProducerService/CreateListing"
	// Recorded out of time order, two of them within one millisecond.
	events := []*pb.AuditEvent{
		auditEvent(base.Add(2*time.Minute), "u-jimbe", update, "producers/jimbe", "OK"),
		auditEvent(base, "u-jimbe", create, "producers/jimbe", "OK"),
		auditEvent(base.Add(2*time.Minute+300*time.Nanosecond), "u-koi", update, "producers/koi", "PERMISSION_DENIED"),
		auditEvent(base.Add(time.Minute), "", create, "producers/jimbe/listings/x", "UNAUTHENTICATED"),
		{Actor: "u-office", ActorRole: "trade_office", Method: update, Resource: "producers/jimbe", Outcome: "OK",
			ClientAddress: "[2001:db8::1]:443", RequestId: "r-1", Transport: "rest"}, // no time: now
	}
	for _, e := range events {
		if err := s.RecordAudit(ctx, e); err != nil {
			t.Fatalf("RecordAudit: %v", err)
		}
	}
	nameRE := regexp.MustCompile(`^auditEvents/e[0-9]{19}-[a-z2-7]{8}$`)
	for _, e := range events {
		if !nameRE.MatchString(e.GetName()) {
			t.Errorf("name %q does not look like auditEvents/e<19 digits>-<suffix>", e.GetName())
		}
	}
	if got := events[4].GetEventTime().AsTime(); !got.Equal(c.t) {
		t.Errorf("event without a time got %v, want the clock's %v", got, c.t)
	}

	list := func(o store.ListOptions) []*pb.AuditEvent {
		t.Helper()
		if o.PageSize == 0 {
			o.PageSize = 50
		}
		items, _, err := s.ListAuditEvents(ctx, o)
		if err != nil {
			t.Fatalf("ListAuditEvents: %v", err)
		}
		return items
	}

	all := list(store.ListOptions{})
	want := []*pb.AuditEvent{events[4], events[2], events[0], events[3], events[1]}
	wantOffice := proto.CloneOf(events[4])
	wantOffice.ClientAddress = "2001:db8::1" // the port is not kept
	want[0] = wantOffice
	if diff := cmp.Diff(want, all, protocmp.Transform()); diff != "" {
		t.Fatalf("list newest first (-want +got):\n%s", diff)
	}

	// Paging: pages of two, each after the last name of the previous one.
	var paged []*pb.AuditEvent
	after := ""
	for range 10 {
		items, more, err := s.ListAuditEvents(ctx, store.ListOptions{PageSize: 2, After: after})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, items...)
		if !more {
			break
		}
		after = items[len(items)-1].GetName()
	}
	if diff := cmp.Diff(all, paged, protocmp.Transform()); diff != "" {
		t.Fatalf("pages differ from one list (-one +pages):\n%s", diff)
	}

	cond := func(field string, op query.Op, v any) query.Condition {
		return query.Condition{Field: field, Op: op, Value: v}
	}
	filters := []struct {
		name  string
		conds []query.Condition
		want  []string
	}{
		{"actor", []query.Condition{cond("actor", query.Eq, "u-jimbe")}, []string{"producers/jimbe", "producers/jimbe"}},
		{"anonymous", []query.Condition{cond("actor", query.Eq, "")}, []string{"producers/jimbe/listings/x"}},
		{"not anonymous", []query.Condition{cond("actor", query.Ne, ""), cond("method", query.Eq, create)}, []string{"producers/jimbe"}},
		{"role", []query.Condition{cond("actor_role", query.Eq, "trade_office")}, []string{"producers/jimbe"}},
		{"resource prefix", []query.Condition{{Field: "resource", Op: query.Eq, Value: "producers/jimbe/", Prefix: true}}, []string{"producers/jimbe/listings/x"}},
		{"failed", []query.Condition{cond("outcome", query.Ne, "OK")}, []string{"producers/koi", "producers/jimbe/listings/x"}},
		{"from", []query.Condition{cond("event_time", query.Ge, base.Add(2*time.Minute+300))}, []string{"producers/jimbe", "producers/koi"}},
		{"after", []query.Condition{cond("event_time", query.Gt, base.Add(2*time.Minute+300))}, []string{"producers/jimbe"}},
		{"window", []query.Condition{cond("event_time", query.Ge, base), cond("event_time", query.Lt, base.Add(2*time.Minute))}, []string{"producers/jimbe/listings/x", "producers/jimbe"}},
		{"until", []query.Condition{cond("event_time", query.Le, base.Add(2*time.Minute))}, []string{"producers/jimbe", "producers/jimbe/listings/x", "producers/jimbe"}},
	}
	for _, f := range filters {
		t.Run(f.name, func(t *testing.T) {
			if diff := cmp.Diff(f.want, names(list(store.ListOptions{Conditions: f.conds}))); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuditClipsLongFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, &clock{t: time.Now()})
	long := strings.Repeat("é", 1000) // two bytes each: the cut must not split one
	e := &pb.AuditEvent{Method: "/x/Y", Resource: long, Outcome: "INVALID_ARGUMENT", ClientAddress: "203.0.113.7:51234"}
	if err := s.RecordAudit(ctx, e); err != nil {
		t.Fatal(err)
	}
	items, _, err := s.ListAuditEvents(ctx, store.ListOptions{PageSize: 1})
	if err != nil || len(items) != 1 {
		t.Fatalf("list: %v %v", items, err)
	}
	got := items[0]
	if len(got.GetResource()) != maxAuditField || got.GetResource() != long[:maxAuditField] {
		t.Errorf("resource of %d bytes stored as %d bytes", len(long), len(got.GetResource()))
	}
	if got.GetClientAddress() != "203.0.113.7" {
		t.Errorf("client address %q, want the IP alone", got.GetClientAddress())
	}
}

// TestAuditDuplicateNames: a clash of generated names never loses an event,
// and an insert that is retried after it had succeeded counts once.
func TestAuditDuplicateNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	at := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	s := newStore(t, &clock{t: at})
	suffixes := []string{"aaaaaaaa", "aaaaaaaa", "aaaaaaaa", "bbbbbbbb"}
	s.audit.suffix = func() string {
		x := suffixes[0]
		suffixes = suffixes[1:]
		return x
	}
	first := auditEvent(at, "u-1", "/m/A", "producers/a", "OK")
	if err := s.RecordAudit(ctx, first); err != nil {
		t.Fatal(err)
	}
	// Another event at the same instant draws the same suffix twice, then a
	// free one.
	second := auditEvent(at, "u-2", "/m/B", "producers/b", "OK")
	if err := s.RecordAudit(ctx, second); err != nil {
		t.Fatalf("RecordAudit after a clash: %v", err)
	}
	if second.GetName() == first.GetName() || !strings.HasSuffix(second.GetName(), "-bbbbbbbb") {
		t.Fatalf("names %q and %q", first.GetName(), second.GetName())
	}

	// The driver retries an insert that had reached the database: the same
	// document, under the same name, is already there.
	retried := auditEvent(at.Add(time.Second), "u-3", "/m/C", "producers/c", "OK")
	retried.Name = auditName(retried.GetEventTime().AsTime(), "cccccccc")
	if _, err := s.audit.coll.InsertOne(ctx, auditToDoc(retried)); err != nil {
		t.Fatal(err)
	}
	s.audit.suffix = func() string { return "cccccccc" }
	if err := s.RecordAudit(ctx, retried); err != nil {
		t.Fatalf("RecordAudit of an event already stored: %v", err)
	}
	n, err := s.audit.coll.CountDocuments(ctx, bson.M{})
	if err != nil || n != 3 {
		t.Fatalf("%d events stored (%v), want 3", n, err)
	}

	// A clash that persists is an error, not a loop.
	other := auditEvent(at.Add(time.Second), "u-4", "/m/D", "producers/d", "OK")
	if err := s.RecordAudit(ctx, other); err == nil {
		t.Fatal("RecordAudit succeeded although every name it drew was taken")
	}
}

func TestAuditPrune(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 5, 4, 8, 0, 0, 0, time.UTC)
	s := newStore(t, &clock{t: base.Add(48 * time.Hour)})
	for _, at := range []time.Time{base, base.Add(time.Hour), base.Add(24 * time.Hour), base.Add(24*time.Hour + time.Nanosecond)} {
		if err := s.RecordAudit(ctx, auditEvent(at, "u", "/temubisnis.v1.ProducerService/UpdateProducer", "producers/jimbe", "OK")); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.PruneAudit(ctx, base.Add(24*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("pruned %d, %v; want 2", n, err)
	}
	items, _, err := s.ListAuditEvents(ctx, store.ListOptions{PageSize: 10})
	if err != nil || len(items) != 2 {
		t.Fatalf("left %d, %v; want 2", len(items), err)
	}
	for _, e := range items {
		if e.GetEventTime().AsTime().Before(base.Add(24 * time.Hour)) {
			t.Errorf("kept %v", e.GetEventTime().AsTime())
		}
	}
}
