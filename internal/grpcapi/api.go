// Package grpcapi implements the gRPC services of temubisnis. The REST
// gateway reaches the same code through the gRPC server, so validation,
// errors and interceptors are the same for both transports.
//
// The generated protobuf messages are the domain model: the fields, their
// documentation and the field masks of updates all live in proto/, and a
// parallel set of Go structs would only repeat them.
//
// Each gRPC service is its own type (ProducerService, MatchService, ...) in
// the files named after it, holding only the narrow store interfaces of
// stores.go that it uses; New builds them all and Services.Register
// registers them. A handler validates the request (rules in package
// validate), calls the domain packages (matchflow, quote, shipment,
// matching through matchcache, requirement, stats) and the stores, and
// maps errors to a status in one place (errors.go).
package grpcapi

import (
	"context"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/store"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// DefaultRequestLifetime is how long a buying request stays open when the
// buyer gives no expire_time.
const DefaultRequestLifetime = 60 * 24 * time.Hour

// listArgs validates the common List fields and decodes the page token. The
// token is bound to method, parent and filter.
type listArgs struct {
	pageSize  int32
	pageToken string
	filter    string
	parent    string
	method    string
	schema    query.Schema
}

func (a listArgs) options() (store.ListOptions, string, error) {
	var v validate.Violations
	size := validate.PageSize(&v, "page_size", a.pageSize)
	conds, err := query.Parse(a.filter, a.schema)
	if err != nil {
		v.Add("filter", err.Error())
	}
	fp := query.Fingerprint(a.method, a.parent, a.filter)
	after, err := query.DecodePageToken(a.pageToken, fp)
	if err != nil {
		v.Add("page_token", err.Error())
	}
	if err := v.Err(); err != nil {
		return store.ListOptions{}, "", err
	}
	return store.ListOptions{Conditions: conds, PageSize: int(size), After: after}, fp, nil
}

// nextToken returns the token for the page after items, or "" on the last page.
func nextToken[M interface{ GetName() string }](items []M, more bool, fingerprint string) string {
	if !more || len(items) == 0 {
		return ""
	}
	return query.EncodePageToken(items[len(items)-1].GetName(), fingerprint)
}

// checkRequestID validates an optional idempotency key.
func checkRequestID(v *validate.Violations, id string) {
	if id != "" && !validate.RequestID(id) {
		v.Add("request_id", "must be 1 to 64 characters of letters, digits, '.', '_' or '-' (a UUID is a good choice)")
	}
}

// checkID validates an optional client-chosen id.
func checkID(v *validate.Violations, field, id string) {
	if id != "" && !validate.ResourceID(id) {
		v.Add(field, "must be 1 to 63 characters of lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen")
	}
}

// checkEtag validates the form of an etag sent with a write.
func checkEtag(v *validate.Violations, field, etag string) {
	if len(etag) > 64 {
		v.Add(field, "is not an etag this service issued")
	}
}

// resourceMessage is what every updatable resource message offers.
type resourceMessage interface {
	proto.Message
	GetName() string
	GetEtag() string
}

// createSpec is what one Create method tells create about its resource.
type createSpec[M resourceMessage] struct {
	field      string          // the request's resource field: "producer"
	outputOnly map[string]bool // fields cleared before validation
	check      func(*validate.Violations, M)
	// idField names the client-chosen id in the request ("producer_id");
	// id and requestID are the request's.
	idField, id, requestID string
	// requestIDFirst reports a bad request_id before a bad id.
	// CreateShipment has always answered in that order, and the order of
	// field violations is part of what a client sees; the zero value is
	// the order of the other Create methods.
	requestIDFirst bool
	// title and scope derive an id when the client chose none.
	title func(M) string
	scope string
	name  func(id string) string // the resource name of an id
	// prepare (may be nil) runs on the named resource: the checks against
	// other stored resources, and what the server decides (the initial
	// state).
	prepare func(M) error
	// write stores the resource, answering a retried request id with what
	// the first call stored.
	write func(ctx context.Context, res M, requestID string) (M, error)
}

// create is the shape the Create methods share (AIP-133): the resource is
// required; its output-only fields are cleared (ignored, not refused:
// AIP-203); the resource, the client-chosen id and the request id are
// validated and every violation is answered at once, together with any the
// caller already put in v (a bad parent). Only then is the store read: the
// id is the client's or one derived from title, scope and the request id,
// so that a retry computes the same name; then prepare, then write.
func create[M resourceMessage](ctx context.Context, s *base, v *validate.Violations, res M, c createSpec[M]) (M, error) {
	var zero M
	if !res.ProtoReflect().IsValid() {
		v.Add(c.field, "is required")
		return zero, v.Err()
	}
	res = proto.CloneOf(res)
	clearFields(res, c.outputOnly)
	if c.requestIDFirst {
		checkRequestID(v, c.requestID)
		checkID(v, c.idField, c.id)
	} else {
		checkID(v, c.idField, c.id)
		checkRequestID(v, c.requestID)
	}
	c.check(v, res)
	if err := v.Err(); err != nil {
		return zero, err
	}
	id := c.id
	if id == "" {
		id = newID(c.title(res), c.scope, c.requestID)
	}
	setName(res, c.name(id))
	if c.prepare != nil {
		if err := c.prepare(res); err != nil {
			return zero, err
		}
	}
	out, err := c.write(ctx, res, c.requestID)
	if err != nil {
		return zero, s.err(ctx, err)
	}
	return out, nil
}

// update is the shape all Update methods share (AIP-134): check the name and
// etag, resolve the mask, then apply it to the stored resource under
// optimistic concurrency. before runs on the stored resource first (state
// preconditions; may be nil); after normalises and validates the result.
func update[M resourceMessage](ctx context.Context, s *base, field string, patch M, mask *fieldmaskpb.FieldMask,
	outputOnly map[string]bool, validName func(string) bool, nameHelp string,
	write func(ctx context.Context, name, etag string, mutate func(M) error) (M, error),
	before, after func(M) error,
) (M, error) {
	var zero M
	var v validate.Violations
	if !patch.ProtoReflect().IsValid() {
		v.Add(field, "is required")
		return zero, v.Err()
	}
	name := patch.GetName()
	if !validName(name) {
		v.Add(field+".name", nameHelp)
	}
	checkEtag(&v, field+".etag", patch.GetEtag())
	paths := maskPaths(&v, mask, patch, outputOnly)
	if err := v.Err(); err != nil {
		return zero, err
	}
	out, err := write(ctx, name, patch.GetEtag(), func(cur M) error {
		if before != nil {
			if err := before(cur); err != nil {
				return err
			}
		}
		applyPaths(cur, patch, paths)
		return after(cur)
	})
	if err != nil {
		return zero, s.err(ctx, err)
	}
	return out, nil
}
