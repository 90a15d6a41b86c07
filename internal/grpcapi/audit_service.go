package grpcapi

import (
	"context"
	"slices"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// AuditService implements pb.AuditServiceServer: reading the audit trail.
type AuditService struct {
	pb.UnimplementedAuditServiceServer
	base
	audit AuditReader
}

// AuditOutcome is the outcome recorded for a call that returned err: the
// google.rpc.Code name of its status ("OK", "PERMISSION_DENIED",
// "CANCELLED"), the names ListAuditEvents filters on.
func AuditOutcome(err error) string {
	return code.Code(status.Code(err)).String()
}

// auditRoles are the actor_role values: the names of auth.Role.
var auditRoles = []string{"anonymous", "producer", "buyer", "trade_office", "service"}

var auditSchema = query.Schema{
	"actor":          {Kind: query.String},
	"actor_role":     {Kind: query.String, Check: func(s string) bool { return slices.Contains(auditRoles, s) }},
	"actor_resource": {Kind: query.String},
	"method":         {Kind: query.String, Prefix: true},
	"resource":       {Kind: query.String, Prefix: true},
	"outcome": {Kind: query.String, Check: func(s string) bool {
		_, ok := code.Code_value[s]
		return ok
	}},
}

// ListAuditEvents implements AuditService.
func (s *AuditService) ListAuditEvents(ctx context.Context, req *pb.ListAuditEventsRequest) (*pb.ListAuditEventsResponse, error) {
	if s.audit == nil {
		return nil, status.Error(codes.Unimplemented, "the audit trail is not enabled on this server")
	}
	var v validate.Violations
	start := checkTime(&v, "start_time", req.GetStartTime())
	end := checkTime(&v, "end_time", req.GetEndTime())
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		v.Add("end_time", "must be after start_time")
	}
	// The time range is part of the query a page token is bound to, like a
	// parent.
	o, fp, err := listArgs{
		pageSize: req.GetPageSize(), pageToken: req.GetPageToken(), filter: req.GetFilter(),
		parent: formatTime(start) + ".." + formatTime(end),
		method: "ListAuditEvents", schema: auditSchema,
	}.options()
	if err != nil || v.Len() > 0 {
		return nil, mergeViolations(&v, err)
	}
	if !start.IsZero() {
		o.Conditions = append(o.Conditions, query.Condition{Field: "event_time", Op: query.Ge, Value: start})
	}
	if !end.IsZero() {
		o.Conditions = append(o.Conditions, query.Condition{Field: "event_time", Op: query.Lt, Value: end})
	}
	items, more, err := s.audit.ListAuditEvents(ctx, o)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &pb.ListAuditEventsResponse{AuditEvents: items, NextPageToken: nextToken(items, more, fp)}, nil
}

// GetAuditEvent implements AuditService.
func (s *AuditService) GetAuditEvent(ctx context.Context, req *pb.GetAuditEventRequest) (*pb.AuditEvent, error) {
	if s.audit == nil {
		return nil, status.Error(codes.Unimplemented, "the audit trail is not enabled on this server")
	}
	id, ok := strings.CutPrefix(req.GetName(), "auditEvents/")
	if !ok || id == "" || strings.Contains(id, "/") || len(id) > 128 {
		return nil, invalid("name", `must be "auditEvents/{audit_event}", as in the name field of a listed event`)
	}
	e, err := s.audit.GetAuditEvent(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return e, nil
}

// checkTime returns the time of an optional timestamp, the zero time when
// unset or invalid (an invalid one is a violation).
func checkTime(v *validate.Violations, field string, ts *timestamppb.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	if err := ts.CheckValid(); err != nil {
		v.Add(field, "is not a valid timestamp (between 0001-01-01 and 9999-12-31)")
		return time.Time{}
	}
	return ts.AsTime()
}

// mergeViolations adds the field violations of err, an INVALID_ARGUMENT
// from listArgs, to v, so that the caller hears of every bad field at once.
func mergeViolations(v *validate.Violations, err error) error {
	if err == nil {
		return v.Err()
	}
	st, _ := status.FromError(err)
	if st.Code() != codes.InvalidArgument {
		return err
	}
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				v.Add(fv.GetField(), fv.GetDescription())
			}
		}
	}
	if v.Len() == 0 {
		return err // no field violations to merge
	}
	return v.Err()
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
