package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// inprocChannel is a gRPC channel whose calls are function calls: the REST
// gateway and the web app reach the services through it, and every call
// still passes the one interceptor chain of the gRPC server. It replaces
// HTTP/2 over an in-memory connection to a second gRPC server, which cost
// an encode, a decode and the transport's framing twice per call.
//
// What a call over the wire gives a handler and its caller, it gives too:
//
//   - the handler's context carries the caller's deadline and cancellation
//     but none of the caller's context values (nothing leaks from the
//     gateway's HTTP request into the handler), the caller's outgoing
//     metadata as incoming metadata, a peer, and a ServerTransportStream, so
//     that grpc.SetHeader, grpc.SendHeader and grpc.SetTrailer work;
//   - the caller gets header and trailer metadata (grpc.Header,
//     grpc.Trailer), the peer (grpc.Peer), and errors as status errors with
//     their details;
//   - messages are copied both ways (proto.Clone), so caller and handler
//     never share a message, as over the wire;
//   - metadata that a gRPC client would refuse to send is refused here too.
//
// Unary handlers run on the caller's goroutine: the caller waits for the
// handler to return (a handler sees the caller's cancellation through its
// context) rather than being answered DEADLINE_EXCEEDED while the handler
// still runs, and a call needs no goroutine, channel or buffer of its own.
// Streams run their handler on a goroutine of their own, as they must.
type inprocChannel struct {
	unary  grpc.UnaryServerInterceptor
	stream grpc.StreamServerInterceptor
	// shared, when set, names the responses that are never changed once
	// made: they are handed on by a shallow copy (their fields' values
	// shared), not a deep one.
	shared func(proto.Message) bool
	// services is written by RegisterService before the first call only.
	services map[string]*inprocService
}

type inprocService struct {
	impl    any
	methods map[string]*grpc.MethodDesc
	streams map[string]*grpc.StreamDesc
}

var (
	_ grpc.ClientConnInterface = (*inprocChannel)(nil)
	_ grpc.ServiceRegistrar    = (*inprocChannel)(nil)
)

// newInprocChannel returns a channel whose calls pass unary and stream (the
// server's chained interceptors; nil for none).
func newInprocChannel(unary grpc.UnaryServerInterceptor, stream grpc.StreamServerInterceptor) *inprocChannel {
	return &inprocChannel{unary: unary, stream: stream, services: map[string]*inprocService{}}
}

// RegisterService implements grpc.ServiceRegistrar. Like grpc.Server, it
// panics on a service registered twice or an implementation of the wrong
// type: both are programming errors found at start.
func (c *inprocChannel) RegisterService(sd *grpc.ServiceDesc, impl any) {
	if _, dup := c.services[sd.ServiceName]; dup {
		panic("inproc: service " + sd.ServiceName + " registered twice")
	}
	if sd.HandlerType != nil && impl != nil {
		if err := implements(sd.HandlerType, impl); err != nil {
			panic("inproc: " + sd.ServiceName + ": " + err.Error())
		}
	}
	s := &inprocService{impl: impl, methods: map[string]*grpc.MethodDesc{}, streams: map[string]*grpc.StreamDesc{}}
	for i := range sd.Methods {
		s.methods[sd.Methods[i].MethodName] = &sd.Methods[i]
	}
	for i := range sd.Streams {
		s.streams[sd.Streams[i].StreamName] = &sd.Streams[i]
	}
	c.services[sd.ServiceName] = s
}

// lookup splits "/pkg.Service/Method" and finds the service.
func (c *inprocChannel) lookup(method string) (*inprocService, string, error) {
	svc, name, ok := strings.Cut(strings.TrimPrefix(method, "/"), "/")
	if !ok {
		return nil, "", status.Errorf(codes.Unimplemented, "malformed method name: %q", method)
	}
	s := c.services[svc]
	if s == nil {
		return nil, "", status.Errorf(codes.Unimplemented, "unknown service %v", svc)
	}
	return s, name, nil
}

// Invoke implements grpc.ClientConnInterface for unary calls.
func (c *inprocChannel) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	s, name, err := c.lookup(method)
	if err != nil {
		return err
	}
	md := s.methods[name]
	if md == nil {
		return status.Errorf(codes.Unimplemented, "unknown method %v for service %v", name, strings.Split(strings.TrimPrefix(method, "/"), "/")[0])
	}
	in, ok := args.(proto.Message)
	out, ok2 := reply.(proto.Message)
	if !ok || !ok2 {
		return status.Errorf(codes.Internal, "inproc: %s: messages must be protobuf messages, not %T and %T", method, args, reply)
	}
	if err := ctx.Err(); err != nil {
		return status.FromContextError(err).Err()
	}
	sctx, ts, err := c.serverContext(ctx, method)
	if err != nil {
		return err
	}
	defer ts.cancel()
	dec := func(m any) error {
		pm, ok := m.(proto.Message)
		if !ok {
			return status.Errorf(codes.Internal, "inproc: %s: request is %T, not a protobuf message", method, m)
		}
		proto.Merge(pm, in) // a deep copy: the handler may keep or change its request
		return nil
	}
	resp, herr := md.Handler(s.impl, sctx, dec, c.unary)
	ts.finish()
	if herr != nil {
		herr = ts.endWith(herr)
		applyCallOptions(opts, ts)
		return herr
	}
	applyCallOptions(opts, ts)
	if err := ctx.Err(); err != nil {
		// Over the wire the caller would have been answered with its
		// context's error, whatever the handler went on to return.
		return status.FromContextError(err).Err()
	}
	r, ok := resp.(proto.Message)
	if !ok || r == nil {
		return status.Errorf(codes.Internal, "inproc: %s: the handler returned %T and no error", method, resp)
	}
	proto.Reset(out)
	switch {
	case !r.ProtoReflect().IsValid(): // a nil message travels as an empty one
	case c.shared != nil && c.shared(r):
		shallowCopy(out, r)
	default:
		proto.Merge(out, r)
	}
	return nil
}

// shallowCopy sets dst's fields to src's values, sharing their lists,
// maps and messages; dst must be empty and of src's type.
func shallowCopy(dst, src proto.Message) {
	d := dst.ProtoReflect()
	if d.Descriptor() != src.ProtoReflect().Descriptor() {
		proto.Merge(dst, src)
		return
	}
	src.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		d.Set(fd, v)
		return true
	})
}

// toStatusError turns what a handler returned into the error a client of a
// gRPC server sees: a status error (its details copied), a context error
// as CANCELED or DEADLINE_EXCEEDED, anything else UNKNOWN.
func toStatusError(err error) error {
	st, ok := status.FromError(err)
	if !ok {
		st = status.FromContextError(err)
	}
	return status.ErrorProto(st.Proto()) // Proto() is a copy
}

// endWith turns a handler's error into the caller's (toStatusError) and,
// as a gRPC server does, sends a status with details in the trailer too.
func (t *inprocTransport) endWith(err error) error {
	t.mu.Lock()
	t.failed = true
	t.mu.Unlock()
	err = toStatusError(err)
	if st, _ := status.FromError(err); len(st.Proto().GetDetails()) > 0 {
		if b, merr := proto.Marshal(st.Proto()); merr == nil {
			_ = t.SetTrailer(metadata.MD{"grpc-status-details-bin": {string(b)}})
		}
	}
	return err
}

// serverContext is the handler's context: the caller's deadline and
// cancellation without its values, its outgoing metadata as incoming, the
// peer and the transport stream.
func (c *inprocChannel) serverContext(ctx context.Context, method string) (context.Context, *inprocTransport, error) {
	md, _ := metadata.FromOutgoingContext(ctx) // a copy, keys lower case
	if err := validateMetadata(md); err != nil {
		return nil, nil, err
	}
	ts := &inprocTransport{method: method}
	// A cancelable context under the values lets contexts the
	// interceptors derive (the default deadline) hook into it directly;
	// below a context whose values are hidden, each would need a goroutine
	// to watch it.
	sctx, cancel := context.WithCancel(valuelessContext{ctx})
	ts.cancel = cancel
	if md != nil {
		sctx = metadata.NewIncomingContext(sctx, md)
	}
	sctx = peer.NewContext(sctx, &inprocPeer)
	sctx = grpc.NewContextWithServerTransportStream(sctx, ts)
	return sctx, ts, nil
}

// validateMetadata applies the rules a gRPC client applies before sending:
// keys of [0-9a-z-_.], values of printable ASCII unless the key ends in
// "-bin".
func validateMetadata(md metadata.MD) error {
	for k, vs := range md {
		if k == "" {
			return status.Error(codes.Internal, "there is an empty key in the header")
		}
		for i := 0; i < len(k); i++ {
			if c := k[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return status.Errorf(codes.Internal, "header key %q contains illegal characters not in [0-9a-z-_.]", k)
			}
		}
		if strings.HasSuffix(k, "-bin") {
			continue
		}
		for _, v := range vs {
			for i := 0; i < len(v); i++ {
				if c := v[i]; c < 0x20 || c > 0x7E {
					return status.Errorf(codes.Internal, "header key %q contains value with non-printable ASCII characters", k)
				}
			}
		}
	}
	return nil
}

// valuelessContext passes on a context's deadline and cancellation but
// none of its values. AfterFunc lets contexts derived from it hook into the
// parent's cancellation without a goroutine each.
type valuelessContext struct{ context.Context }

func (valuelessContext) Value(any) any { return nil }

func (v valuelessContext) AfterFunc(f func()) func() bool { return context.AfterFunc(v.Context, f) }

// inprocAddr is the peer address of in-process calls. The gateway and the
// web app name the real client in the call's metadata (see identify).
type inprocAddr struct{}

func (inprocAddr) Network() string { return "inproc" }
func (inprocAddr) String() string  { return "inproc" }

// inprocPeer is the peer of every in-process call; its AuthInfo is nil, as
// for a plaintext connection.
var inprocPeer = peer.Peer{Addr: inprocAddr{}, LocalAddr: inprocAddr{}}

// grpcContentType is the response header every gRPC server sends; clients
// see it in their header metadata (and the gateway passes it on as
// Grpc-Metadata-Content-Type), so in-process callers get it too.
const grpcContentType = "application/grpc"

// inprocTransport is a call's grpc.ServerTransportStream: it collects the
// headers and trailers the handler sets, for the caller.
type inprocTransport struct {
	method string
	cancel context.CancelFunc // ends the handler's context
	mu     sync.Mutex
	header metadata.MD
	// sent: the handler sent its headers (or the call ended); later
	// SetHeader calls fail as on a gRPC server. sentByHandler: the handler
	// sent them itself (SendHeader, or a stream's first message).
	sent, sentByHandler bool
	// failed: the call ended with an error.
	failed  bool
	trailer metadata.MD
}

func (t *inprocTransport) Method() string { return t.method }

func (t *inprocTransport) SetHeader(md metadata.MD) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sent {
		return status.Error(codes.Internal, "transport: the stream is done or WriteHeader was already called")
	}
	t.header = metadata.Join(t.header, md)
	return nil
}

func (t *inprocTransport) SendHeader(md metadata.MD) error {
	if err := t.SetHeader(md); err != nil {
		return err
	}
	t.mu.Lock()
	t.sent, t.sentByHandler = true, true
	t.mu.Unlock()
	return nil
}

func (t *inprocTransport) SetTrailer(md metadata.MD) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.trailer = metadata.Join(t.trailer, md)
	return nil
}

// finish ends the call: no more headers.
func (t *inprocTransport) finish() {
	t.mu.Lock()
	t.sent = true
	t.mu.Unlock()
}

// headers returns the caller's copies of the header and trailer metadata.
func (t *inprocTransport) headers() (header, trailer metadata.MD) {
	t.mu.Lock()
	defer t.mu.Unlock()
	header = t.header.Copy()
	if header == nil {
		header = metadata.MD{}
	}
	trailer = t.trailer.Copy()
	if trailer == nil {
		trailer = metadata.MD{}
	}
	// A call that fails before any header was set or sent is answered
	// "trailers only": the content type comes with the trailer.
	if t.failed && len(t.header) == 0 && !t.sentByHandler {
		trailer.Set("content-type", grpcContentType)
		header = nil
	} else {
		header.Set("content-type", grpcContentType)
	}
	return header, trailer
}

// applyCallOptions fills the call options that receive something from the
// call: headers, trailers, the peer.
// The metadata is copied once, however many options ask for it.
func applyCallOptions(opts []grpc.CallOption, t *inprocTransport) {
	var header, trailer metadata.MD
	copied := false
	get := func() {
		if !copied {
			header, trailer = t.headers()
			copied = true
		}
	}
	for _, o := range opts {
		switch o := o.(type) {
		case grpc.HeaderCallOption:
			get()
			*o.HeaderAddr = header
		case grpc.TrailerCallOption:
			get()
			*o.TrailerAddr = trailer
		case grpc.PeerCallOption:
			*o.PeerAddr = inprocPeer
		}
	}
}

// NewStream implements grpc.ClientConnInterface for streaming calls. The
// handler runs on its own goroutine; messages pass through unbuffered
// channels, copied on the way.
func (c *inprocChannel) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	s, name, err := c.lookup(method)
	if err != nil {
		return nil, err
	}
	sd := s.streams[name]
	if sd == nil {
		return nil, status.Errorf(codes.Unimplemented, "unknown method %v", method)
	}
	ctx, cancelCall := context.WithCancel(ctx)
	sctx, ts, err := c.serverContext(ctx, method)
	if err != nil {
		cancelCall()
		return nil, err
	}
	cancel := func() { ts.cancel(); cancelCall() }
	cs := &inprocClientStream{
		ctx: ctx, cancel: cancel, ts: ts, opts: opts,
		toServer: make(chan proto.Message), closeSend: make(chan struct{}),
		toClient: make(chan proto.Message), headerSent: make(chan struct{}), done: make(chan struct{}),
		clientStreams: desc.ClientStreams, serverStreams: desc.ServerStreams,
	}
	ss := &inprocServerStream{ctx: sctx, cs: cs}
	go func() {
		info := &grpc.StreamServerInfo{FullMethod: method, IsClientStream: sd.ClientStreams, IsServerStream: sd.ServerStreams}
		var err error
		if c.stream != nil {
			err = c.stream(s.impl, ss, info, sd.Handler)
		} else {
			err = sd.Handler(s.impl, ss)
		}
		ts.finish()
		cs.headerOnce.Do(func() { close(cs.headerSent) })
		if err != nil {
			cs.herr = ts.endWith(err)
		}
		close(cs.done)
	}()
	return cs, nil
}

// inprocClientStream is the caller's side of a stream.
type inprocClientStream struct {
	ctx    context.Context
	cancel context.CancelFunc
	ts     *inprocTransport
	opts   []grpc.CallOption

	toServer  chan proto.Message
	closeSend chan struct{}
	closeOnce sync.Once
	toClient  chan proto.Message
	// headerSent closes when the handler sends its headers, its first
	// message, or returns; done when it has returned, with herr (written
	// by the handler's goroutine before done closes, read only after).
	// err is the caller's own record of how the call ended.
	headerSent chan struct{}
	headerOnce sync.Once
	done       chan struct{}
	herr       error
	err        error

	clientStreams, serverStreams bool
	received                     bool
	finished                     bool
}

func (cs *inprocClientStream) Header() (metadata.MD, error) {
	select {
	case <-cs.headerSent:
		h, _ := cs.ts.headers()
		return h, nil
	case <-cs.ctx.Done():
		return nil, status.FromContextError(cs.ctx.Err()).Err()
	}
}

func (cs *inprocClientStream) Trailer() metadata.MD {
	select {
	case <-cs.done:
		_, t := cs.ts.headers()
		return t
	default:
		return nil
	}
}

func (cs *inprocClientStream) CloseSend() error {
	cs.closeOnce.Do(func() { close(cs.closeSend) })
	return nil
}

func (cs *inprocClientStream) Context() context.Context { return cs.ctx }

func (cs *inprocClientStream) SendMsg(m any) error {
	pm, ok := m.(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "inproc: message is %T, not a protobuf message", m)
	}
	select {
	case cs.toServer <- proto.Clone(pm):
		return nil
	case <-cs.done:
		return io.EOF // as a gRPC client: the status comes from RecvMsg
	case <-cs.ctx.Done():
		return io.EOF
	}
}

func (cs *inprocClientStream) RecvMsg(m any) error {
	pm, ok := m.(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "inproc: message is %T, not a protobuf message", m)
	}
	if cs.finished {
		return cs.end()
	}
	select {
	case msg := <-cs.toClient:
		proto.Reset(pm)
		proto.Merge(pm, msg)
		cs.received = true
		if !cs.serverStreams {
			// A single response: the call ends with the handler.
			select {
			case <-cs.done:
			case <-cs.ctx.Done():
			}
			if err := cs.end(); err != nil && !errors.Is(err, io.EOF) {
				return err
			}
		}
		return nil
	case <-cs.done:
		// The handler returned; a message it sent just before is still
		// in flight only if it blocked, which it cannot have: sends wait
		// for the receiver. So nothing more comes.
		return cs.end()
	case <-cs.ctx.Done():
		cs.finished = true
		cs.err = status.FromContextError(cs.ctx.Err()).Err()
		return cs.err
	}
}

// end is what RecvMsg returns once the handler has returned.
func (cs *inprocClientStream) end() error {
	if !cs.finished {
		cs.finished = true
		applyCallOptions(cs.opts, cs.ts)
		cs.cancel()
	}
	if cs.err == nil {
		select {
		case <-cs.done:
			cs.err = cs.herr
		default:
			// Ended by the caller's context before the handler returned.
			cs.err = status.FromContextError(cs.ctx.Err()).Err()
		}
	}
	if cs.err != nil {
		return cs.err
	}
	if !cs.serverStreams && !cs.received {
		return status.Error(codes.Internal, "inproc: the handler returned no response")
	}
	return io.EOF
}

// inprocServerStream is the handler's side of a stream.
type inprocServerStream struct {
	ctx context.Context
	cs  *inprocClientStream
}

func (ss *inprocServerStream) SetHeader(md metadata.MD) error { return ss.cs.ts.SetHeader(md) }

func (ss *inprocServerStream) SendHeader(md metadata.MD) error {
	if err := ss.cs.ts.SendHeader(md); err != nil {
		return err
	}
	ss.cs.headerOnce.Do(func() { close(ss.cs.headerSent) })
	return nil
}

func (ss *inprocServerStream) SetTrailer(md metadata.MD) { _ = ss.cs.ts.SetTrailer(md) }

func (ss *inprocServerStream) Context() context.Context { return ss.ctx }

func (ss *inprocServerStream) SendMsg(m any) error {
	pm, ok := m.(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "inproc: message is %T, not a protobuf message", m)
	}
	ss.cs.ts.mu.Lock() // the first message sends the headers
	ss.cs.ts.sent, ss.cs.ts.sentByHandler = true, true
	ss.cs.ts.mu.Unlock()
	ss.cs.headerOnce.Do(func() { close(ss.cs.headerSent) })
	select {
	case ss.cs.toClient <- proto.Clone(pm):
		return nil
	case <-ss.ctx.Done():
		return status.FromContextError(ss.ctx.Err()).Err()
	}
}

func (ss *inprocServerStream) RecvMsg(m any) error {
	pm, ok := m.(proto.Message)
	if !ok {
		return status.Errorf(codes.Internal, "inproc: message is %T, not a protobuf message", m)
	}
	select {
	case msg := <-ss.cs.toServer:
		proto.Reset(pm)
		proto.Merge(pm, msg)
		return nil
	case <-ss.cs.closeSend:
		// Messages sent before CloseSend were taken already: sends wait
		// for the receiver.
		return io.EOF
	case <-ss.ctx.Done():
		return status.FromContextError(ss.ctx.Err()).Err()
	}
}

// implements reports whether impl implements the interface handlerType
// points to (grpc.ServiceDesc.HandlerType).
func implements(handlerType, impl any) error {
	ht := reflect.TypeOf(handlerType).Elem()
	if it := reflect.TypeOf(impl); !it.Implements(ht) {
		return fmt.Errorf("%v does not implement %v", it, ht)
	}
	return nil
}
