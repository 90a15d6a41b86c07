package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
	"github.com/adiekspor/temubisnis/internal/policy"
	"github.com/adiekspor/temubisnis/internal/ratelimit"
)

// Access is everything that stands between a call and a handler: who the
// caller is (a bearer token), whether it may (the policy), how often (rate
// limits), and the record of what it wrote (the audit trail).
type Access struct {
	// Verifier checks bearer tokens. Required.
	Verifier TokenVerifier
	// Policy decides. Required.
	Policy *policy.Policy
	// Audit records writes; nil records nothing.
	Audit AuditRecorder
	// PerAddress limits calls per client address (every caller), PerCaller
	// per token subject (authenticated callers). nil means no limit.
	PerAddress, PerCaller Limiter
}

// TokenVerifier turns a bearer token into a principal (auth.Verifier).
type TokenVerifier interface {
	Verify(token string) (auth.Principal, error)
}

// AuditRecorder keeps audit events.
type AuditRecorder interface {
	RecordAudit(ctx context.Context, e *pb.AuditEvent) error
}

// Limiter is a rate limiter keyed by caller or address.
type Limiter interface {
	Allow(key string) (ok bool, retryAfter time.Duration)
}

// Metadata keys the gateway adds to the calls it makes for REST clients. The
// gateway forwards no client header except Authorization, so a REST client
// cannot set them; a direct gRPC client can, which is why the secret (fresh
// for each process) must match before the client address is believed.
const (
	mdGateway = "x-temubisnis-gateway"
	mdClient  = "x-temubisnis-client"
	mdLimited = "x-temubisnis-limited"
)

func newGatewaySecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// gatewayMetadata is the gateway's annotator: the secret and the REST
// client's address.
func (s *Server) gatewayMetadata(_ context.Context, r *http.Request) metadata.MD {
	md := metadata.Pairs(mdGateway, s.gatewaySecret, mdClient, clientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.opts.TrustedProxies))
	if limitedByGuard(r.Context()) {
		md.Set(mdLimited, "1")
	}
	return md
}

// clientAddress is the IP of the client behind remote (a peer address).
// X-Forwarded-For is believed only as far as it was written by trusted
// proxies: walking it from the right (the entry the nearest proxy added), the
// first address that is not a trusted proxy is the client. Without trusted
// proxies, or from an untrusted peer, the header is ignored: anyone can
// write it.
func clientAddress(remote string, xff []string, trusted []netip.Prefix) string {
	ip := remote
	if host, _, err := net.SplitHostPort(remote); err == nil {
		ip = host
	}
	if a, err := netip.ParseAddr(ip); err == nil {
		ip = a.WithZone("").Unmap().String()
	}
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if !isTrusted(ip) {
		return ip
	}
	var hops []string
	for _, v := range xff {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := ip
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(h)
		if err != nil {
			return client // a malformed hop: trust nothing beyond it
		}
		client = a.WithZone("").Unmap().String()
		if !isTrusted(h) {
			return client
		}
	}
	// Every hop is a trusted proxy: the leftmost is the closest to the
	// client we know of.
	return client
}

// caller is what the access interceptor learns about a call.
type caller struct {
	principal auth.Principal
	address   string // client IP
	transport string // "grpc" or "rest"
	// limited marks a REST call whose rate limits the HTTP guard already
	// applied (told by the gateway, so only believed with its secret).
	limited bool
}

// identify finds the principal and the client address of a call. A token
// that is present but bad fails the call; no token means anonymous.
func (s *Server) identify(ctx context.Context) (caller, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	c := caller{principal: auth.Anonymous(), transport: "grpc"}
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		// A gRPC proxy in front adds x-forwarded-for like an HTTP one.
		c.address = clientAddress(p.Addr.String(), md.Get("x-forwarded-for"), s.opts.TrustedProxies)
	}
	if secret := md.Get(mdGateway); len(secret) == 1 && subtle.ConstantTimeCompare([]byte(secret[0]), []byte(s.gatewaySecret)) == 1 {
		c.transport = "rest"
		if client := md.Get(mdClient); len(client) == 1 {
			c.address = client[0]
		}
	}
	if c.transport == "rest" {
		c.limited = len(md.Get(mdLimited)) == 1
	}
	p, err := s.principal(md.Get("authorization"))
	c.principal = p
	return c, err
}

// principal verifies the Authorization values of a call (gRPC metadata or
// HTTP headers): none is anonymous, more than one or a bad token is
// UNAUTHENTICATED.
func (s *Server) principal(values []string) (auth.Principal, error) {
	switch {
	case len(values) == 0:
		return auth.Anonymous(), nil
	case len(values) > 1:
		return auth.Anonymous(), status.Error(codes.Unauthenticated, "send one Authorization header, not several")
	}
	token, ok := auth.TokenFromAuthorization(values[0])
	if !ok {
		return auth.Anonymous(), status.Error(codes.Unauthenticated, `the Authorization header must be "Bearer <token>"`)
	}
	p, err := s.opts.Access.Verifier.Verify(token)
	if err != nil {
		// The verifier's reasons are written to be shown to the caller and
		// never quote the token.
		return auth.Anonymous(), status.Error(codes.Unauthenticated, err.Error())
	}
	return p, nil
}

// limit applies the rate limits: per address for everyone, per subject for
// callers with a token.
func (s *Server) limit(c caller) error {
	if c.limited {
		return nil
	}
	check := func(l Limiter, key, what string) error {
		if l == nil {
			return nil
		}
		ok, wait := l.Allow(key)
		if ok {
			return nil
		}
		s.rateLimited.WithLabelValues(what).Inc()
		secs := wholeSeconds(wait)
		st, _ := status.New(codes.ResourceExhausted, "too many requests from this "+what+"; retry after "+strconv.FormatInt(secs, 10)+" s").
			WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(time.Duration(secs) * time.Second)})
		return st.Err()
	}
	if err := check(s.opts.Access.PerAddress, "addr:"+ratelimit.ClientIP(c.address), "address"); err != nil {
		return err
	}
	if c.principal.Role != auth.RoleAnonymous {
		return check(s.opts.Access.PerCaller, "sub:"+c.principal.Subject, "caller")
	}
	return nil
}

// unaryAccess is the interceptor: identify, limit, authorise, call, filter
// the response, and audit writes. Health checks pass untouched.
func (s *Server) unaryAccess(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if strings.HasPrefix(info.FullMethod, "/grpc.health.v1.Health/") {
		return handler(ctx, req)
	}
	// The limits come first, also for calls whose token is bad (which are
	// then limited by address only): refusing a token costs work too, and
	// refusals are audited.
	c, err := s.identify(ctx)
	if lerr := s.limit(c); lerr != nil {
		return nil, lerr // not audited: the limit guards the audit trail too
	}
	write := policy.IsWrite(info.FullMethod)
	if write {
		// A handler that panics is answered INTERNAL by the recovery
		// interceptor outside this one; the attempt is still recorded.
		defer func() {
			if r := recover(); r != nil {
				s.audit(ctx, c, info.FullMethod, req, nil, status.Error(codes.Internal, "panic"))
				panic(r)
			}
		}()
	}
	if err == nil {
		err = s.opts.Access.Policy.Authorize(ctx, c.principal, info.FullMethod, req)
	}
	var resp any
	if err == nil {
		resp, err = handler(auth.WithPrincipal(ctx, c.principal), req)
		if err == nil {
			err = s.opts.Access.Policy.Filter(ctx, c.principal, info.FullMethod, resp)
		}
	}
	err = defaultRetryHint(err)
	s.storage.observe(ctx, write, err)
	if write {
		s.audit(ctx, c, info.FullMethod, req, resp, err)
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// streamAccess admits the health and reflection streams, and the API's
// streaming methods that have a policy row: the caller is identified and
// rate limited as for unary calls, and the policy decides on the stream's
// request when the handler reads it. A streaming method without a row stays
// closed. Streams are reads: nothing is audited.
func (s *Server) streamAccess(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if strings.HasPrefix(info.FullMethod, "/grpc.health.v1.Health/") ||
		strings.HasPrefix(info.FullMethod, "/grpc.reflection.") {
		return handler(srv, ss)
	}
	if !policy.Known(info.FullMethod) || policy.IsWrite(info.FullMethod) || info.IsClientStream {
		return status.Errorf(codes.PermissionDenied, "method %s is not open to any caller", info.FullMethod)
	}
	c, err := s.identify(ss.Context())
	if lerr := s.limit(c); lerr != nil {
		return lerr
	}
	if err != nil {
		return err
	}
	return handler(srv, &authorizedStream{ServerStream: ss, ctx: auth.WithPrincipal(ss.Context(), c.principal), authorize: func(req any) error {
		return s.opts.Access.Policy.Authorize(ss.Context(), c.principal, info.FullMethod, req)
	}})
}

// authorizedStream asks the policy about the first message a server
// stream receives: its request.
type authorizedStream struct {
	grpc.ServerStream
	ctx       context.Context
	authorize func(req any) error
	checked   bool
}

func (a *authorizedStream) Context() context.Context { return a.ctx }

func (a *authorizedStream) RecvMsg(m any) error {
	if err := a.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	if a.checked {
		return nil
	}
	a.checked = true
	return a.authorize(m)
}

// audit records one write. The event holds names and codes, never request
// bodies, tokens or contact details. A failure to record is logged (the
// write itself has happened and is not undone).
func (s *Server) audit(ctx context.Context, c caller, method string, req, resp any, err error) {
	if s.opts.Access.Audit == nil {
		return
	}
	if r := grpcapi.UnavailableReason(err); r == grpcapi.ReasonStoreUnavailable || r == grpcapi.ReasonStorageFull {
		// The call failed because the database cannot take it; its
		// record could not be written either, and trying would only hold
		// the answer up by another server selection.
		s.auditFailures.Inc()
		return
	}
	s.recordAudit(ctx, c, method, auditTarget(req, resp), requestID(req), err)
}

// recordAudit records one write's event; see audit.
func (s *Server) recordAudit(ctx context.Context, c caller, method, resource, requestID string, err error) {
	e := &pb.AuditEvent{
		EventTime:     timestamppb.Now(),
		Actor:         c.principal.Subject,
		ActorRole:     c.principal.Role.String(),
		ActorResource: c.principal.Resource,
		Method:        method,
		Resource:      resource,
		Outcome:       grpcapi.AuditOutcome(err),
		RequestId:     requestID,
		ClientAddress: c.address,
		Transport:     c.transport,
	}
	// The caller may have gone; the record must still be written, but
	// never hold the response past the request's deadline (issue 10 item
	// 1): with the database gone the record cannot be written anyway.
	actx := context.WithoutCancel(ctx)
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		actx, cancel = context.WithDeadline(actx, dl)
		defer cancel()
	}
	if aerr := s.opts.Access.Audit.RecordAudit(actx, e); aerr != nil {
		s.auditFailures.Inc()
		if s.storage.observeAudit(ctx, aerr) {
			return // logged once per episode by the storage watch
		}
		s.log.ErrorContext(ctx, "audit event not recorded", "method", method, "resource", e.Resource, "outcome", e.Outcome, "error", aerr)
	}
}

// auditTarget is the name of the resource a write acted on: the response's
// name when the call succeeded with a resource (a create learns its name
// only then), else the request's name or parent, else the name carried by
// the resource in the request (updates; a proposal names its buying
// request).
func auditTarget(req, resp any) string {
	for _, m := range []any{resp, req} {
		if n, ok := m.(interface{ GetName() string }); ok && n.GetName() != "" {
			return n.GetName()
		}
	}
	if p, ok := req.(interface{ GetParent() string }); ok && p.GetParent() != "" {
		return p.GetParent()
	}
	msg, ok := req.(proto.Message)
	if !ok {
		return ""
	}
	r := msg.ProtoReflect()
	fields := r.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if fd.Message() == nil || fd.IsList() || fd.IsMap() || !r.Has(fd) {
			continue
		}
		sub := r.Get(fd).Message()
		for _, key := range []protoreflect.Name{"name", "buying_request"} {
			if nf := sub.Descriptor().Fields().ByName(key); nf != nil && nf.Kind() == protoreflect.StringKind {
				if v := sub.Get(nf).String(); v != "" {
					return v
				}
			}
		}
	}
	return ""
}

func requestID(req any) string {
	if r, ok := req.(interface{ GetRequestId() string }); ok {
		return r.GetRequestId()
	}
	return ""
}

// retryAfter copies a RetryInfo hint of an error into the Retry-After
// header of a REST answer.
func retryAfter(w http.ResponseWriter, err error) {
	st, ok := status.FromError(err)
	if !ok || (st.Code() != codes.ResourceExhausted && st.Code() != codes.Unavailable) {
		return
	}
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			w.Header().Set("Retry-After", strconv.FormatInt(wholeSeconds(ri.GetRetryDelay().AsDuration()), 10))
		}
	}
}

// wholeSeconds rounds a wait up to whole seconds, at least one: the unit of
// Retry-After, and of the RetryInfo we send so that both say the same.
func wholeSeconds(d time.Duration) int64 {
	return max(1, int64(math.Ceil(d.Seconds())))
}

var errNoAccess = errors.New("server: Access.Verifier and Access.Policy are required")
