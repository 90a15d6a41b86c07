package server

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	testgrpc "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"
)

// echoService is a test service that reports what its handlers saw.
type echoService struct {
	testgrpc.UnimplementedTestServiceServer
	mu   sync.Mutex
	seen []string // what the handlers observed, in order
	kept *testgrpc.SimpleResponse
}

func (e *echoService) note(s string) {
	e.mu.Lock()
	e.seen = append(e.seen, s)
	e.mu.Unlock()
}

func (e *echoService) UnaryCall(ctx context.Context, req *testgrpc.SimpleRequest) (*testgrpc.SimpleResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	e.note("x-test=" + join(md.Get("x-test")) + " authorization=" + join(md.Get("authorization")))
	_, hasDeadline := ctx.Deadline()
	e.note("deadline=" + strconv.FormatBool(hasDeadline))
	if _, ok := peer.FromContext(ctx); ok {
		e.note("peer")
	}
	if m, ok := grpc.Method(ctx); ok {
		e.note("method=" + m)
	}
	if ctx.Value(clientOnlyKey{}) != nil {
		e.note("a value of the caller's context reached the handler")
	}
	if req.GetResponseStatus().GetCode() == int32(codes.NotFound) {
		return nil, status.Error(codes.NotFound, "before any header") // "trailers only"
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("etag", `"v1"`))
	_ = grpc.SetTrailer(ctx, metadata.Pairs("x-trailer", "t"))
	switch req.GetResponseStatus().GetCode() {
	case 0:
	case int32(codes.InvalidArgument):
		st, _ := status.New(codes.InvalidArgument, req.GetResponseStatus().GetMessage()).WithDetails(
			&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "payload", Description: "is bad"}}},
			&errdetails.RetryInfo{RetryDelay: durationpb.New(3 * time.Second)})
		return nil, st.Err()
	case int32(codes.Unknown):
		return nil, errors.New("a plain error")
	case int32(codes.DeadlineExceeded):
		return nil, context.DeadlineExceeded
	case int32(codes.Canceled):
		<-ctx.Done()
		return nil, ctx.Err()
	}
	resp := &testgrpc.SimpleResponse{Payload: req.GetPayload(), Username: "handler"}
	// The handler changes its request and keeps its response: neither may
	// reach the caller's messages.
	req.Payload = &testgrpc.Payload{Body: []byte("changed by the handler")}
	e.mu.Lock()
	e.kept = resp
	e.mu.Unlock()
	return resp, nil
}

func (e *echoService) StreamingOutputCall(req *testgrpc.StreamingOutputCallRequest, stream grpc.ServerStreamingServer[testgrpc.StreamingOutputCallResponse]) error {
	if err := stream.SendHeader(metadata.Pairs("x-header", "h")); err != nil {
		return err
	}
	for i, p := range req.GetResponseParameters() {
		if err := stream.Send(&testgrpc.StreamingOutputCallResponse{Payload: &testgrpc.Payload{Body: []byte(strconv.Itoa(i) + ":" + strconv.Itoa(int(p.GetSize())))}}); err != nil {
			return err
		}
	}
	stream.SetTrailer(metadata.Pairs("x-trailer", "t"))
	if c := req.GetResponseStatus().GetCode(); c != 0 {
		return status.Error(codes.Code(c), req.GetResponseStatus().GetMessage())
	}
	return nil
}

func (e *echoService) StreamingInputCall(stream grpc.ClientStreamingServer[testgrpc.StreamingInputCallRequest, testgrpc.StreamingInputCallResponse]) error {
	total := 0
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stream.SendAndClose(&testgrpc.StreamingInputCallResponse{AggregatedPayloadSize: int32(total)})
		}
		if err != nil {
			return err
		}
		total += len(m.GetPayload().GetBody())
	}
}

func (e *echoService) FullDuplexCall(stream grpc.BidiStreamingServer[testgrpc.StreamingOutputCallRequest, testgrpc.StreamingOutputCallResponse]) error {
	for {
		m, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&testgrpc.StreamingOutputCallResponse{Payload: m.GetPayload()}); err != nil {
			return err
		}
	}
}

type clientOnlyKey struct{}

func join(v []string) string {
	out := ""
	for i, s := range v {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

// recordingInterceptors note every call they see.
func recordingInterceptors(e *echoService) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	return chainUnary(
			func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
				e.note("unary interceptor 1 " + info.FullMethod)
				return h(ctx, req)
			},
			func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
				e.note("unary interceptor 2")
				return h(ctx, req)
			}),
		chainStream(func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			e.note("stream interceptor " + info.FullMethod)
			return h(srv, ss)
		})
}

// outcome is everything a caller observes of one scenario.
type outcome struct {
	Responses []proto.Message
	Code      codes.Code
	Message   string
	Details   []any
	Header    metadata.MD
	Trailer   metadata.MD
	Seen      []string
	Request   proto.Message // the caller's request after the call
}

type scenario func(ctx context.Context, c testgrpc.TestServiceClient, o *outcome) error

// TestInprocChannelBehavesAsGRPC runs every scenario against a real gRPC
// server over TCP and against the in-process channel, with the same
// service and interceptors, and requires the same observations.
func TestInprocChannelBehavesAsGRPC(t *testing.T) {
	scenarios := map[string]scenario{
		"unary": func(ctx context.Context, c testgrpc.TestServiceClient, o *outcome) error {
			req := &testgrpc.SimpleRequest{Payload: &testgrpc.Payload{Body: []byte("hello")}}
			ctx = metadata.AppendToOutgoingContext(ctx, "X-Test", "a", "authorization", "Bearer x")
			ctx = context.WithValue(ctx, clientOnlyKey{}, true)
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			resp, err := c.UnaryCall(ctx, req, grpc.Header(&o.Header), grpc.Trailer(&o.Trailer))
			if resp != nil {
				o.Responses = append(o.Responses, resp)
			}
			o.Request = req
			return err
		},
		"unary error with details": func(ctx context.Context, c testgrpc.TestServiceClient, o *outcome) error {
			_, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{ResponseStatus: &testgrpc.EchoStatus{Code: int32(codes.InvalidArgument), Message: "bad payload"}},
				grpc.Header(&o.Header), grpc.Trailer(&o.Trailer))
			return err
		},
		"error before headers": func(ctx context.Context, c testgrpc.TestServiceClient, o *outcome) error {
			_, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{ResponseStatus: &testgrpc.EchoStatus{Code: int32(codes.NotFound)}},
				grpc.Header(&o.Header), grpc.Trailer(&o.Trailer))
			return err
		},
		"plain error": func(ctx context.Context, c testgrpc.TestServiceClient, _ *outcome) error {
			_, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{ResponseStatus: &testgrpc.EchoStatus{Code: int32(codes.Unknown)}})
			return err
		},
		"context error": func(ctx context.Context, c testgrpc.TestServiceClient, _ *outcome) error {
			_, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{ResponseStatus: &testgrpc.EchoStatus{Code: int32(codes.DeadlineExceeded)}})
			return err
		},
		"caller cancels": func(ctx context.Context, c testgrpc.TestServiceClient, _ *outcome) error {
			ctx, cancel := context.WithCancel(ctx)
			// A call made with a cancelled context never reaches the
			// handler.
			cancel()
			_, err := c.UnaryCall(ctx, &testgrpc.SimpleRequest{ResponseStatus: &testgrpc.EchoStatus{Code: int32(codes.Canceled)}})
			return err
		},
		"unknown method": func(ctx context.Context, c testgrpc.TestServiceClient, _ *outcome) error {
			_, err := c.UnimplementedCall(ctx, &testgrpc.Empty{})
			return err
		},
		"server stream": func(ctx context.Context, c testgrpc.TestServiceClient, o *outcome) error {
			s, err := c.StreamingOutputCall(ctx, &testgrpc.StreamingOutputCallRequest{
				ResponseParameters: []*testgrpc.ResponseParameters{{Size: 1}, {Size: 2}, {Size: 3}},
				ResponseStatus:     &testgrpc.EchoStatus{Code: int32(codes.FailedPrecondition), Message: "after three"},
			})
			if err != nil {
				return err
			}
			if o.Header, err = s.Header(); err != nil {
				return err
			}
			for {
				m, err := s.Recv()
				if err != nil {
					o.Trailer = s.Trailer()
					return err
				}
				o.Responses = append(o.Responses, m)
			}
		},
		"client stream": func(ctx context.Context, c testgrpc.TestServiceClient, o *outcome) error {
			s, err := c.StreamingInputCall(ctx)
			if err != nil {
				return err
			}
			for _, b := range []string{"a", "bb", "ccc"} {
				if err := s.Send(&testgrpc.StreamingInputCallRequest{Payload: &testgrpc.Payload{Body: []byte(b)}}); err != nil {
					return err
				}
			}
			resp, err := s.CloseAndRecv()
			if resp != nil {
				o.Responses = append(o.Responses, resp)
			}
			return err
		},
		"bidi stream": func(ctx context.Context, c testgrpc.TestServiceClient, o *outcome) error {
			s, err := c.FullDuplexCall(ctx)
			if err != nil {
				return err
			}
			for _, b := range []string{"x", "y"} {
				if err := s.Send(&testgrpc.StreamingOutputCallRequest{Payload: &testgrpc.Payload{Body: []byte(b)}}); err != nil {
					return err
				}
				m, err := s.Recv()
				if err != nil {
					return err
				}
				o.Responses = append(o.Responses, m)
			}
			if err := s.CloseSend(); err != nil {
				return err
			}
			_, err = s.Recv()
			return err
		},
	}

	run := func(t *testing.T, conn func(e *echoService) grpc.ClientConnInterface, sc scenario) outcome {
		e := &echoService{}
		c := testgrpc.NewTestServiceClient(conn(e))
		var o outcome
		err := sc(context.Background(), c, &o)
		st := status.Convert(err)
		if errors.Is(err, io.EOF) {
			st = status.New(codes.OK, "EOF")
		}
		o.Code, o.Message, o.Details = st.Code(), st.Message(), st.Details()
		e.mu.Lock()
		o.Seen = e.seen
		if e.kept != nil {
			// Changing the response the handler kept must not change the
			// caller's.
			e.kept.Username = "changed after the call"
		}
		e.mu.Unlock()
		delete(o.Header, "date") // not sent by gRPC servers; defensive
		return o
	}
	overTCP := func(t *testing.T) func(e *echoService) grpc.ClientConnInterface {
		return func(e *echoService) grpc.ClientConnInterface {
			u, s := recordingInterceptors(e)
			srv := grpc.NewServer(grpc.UnaryInterceptor(u), grpc.StreamInterceptor(s))
			testgrpc.RegisterTestServiceServer(srv, e)
			lis, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go func() { _ = srv.Serve(lis) }()
			t.Cleanup(srv.Stop)
			cc, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cc.Close() })
			return cc
		}
	}
	inproc := func(e *echoService) grpc.ClientConnInterface {
		ch := newInprocChannel(recordingInterceptors(e))
		testgrpc.RegisterTestServiceServer(ch, e)
		return ch
	}
	for name, sc := range scenarios {
		t.Run(name, func(t *testing.T) {
			want := run(t, overTCP(t), sc)
			got := run(t, inproc, sc)
			if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
				t.Errorf("in-process differs from gRPC over TCP (-tcp +inproc):\n%s", diff)
			}
		})
	}
}

// TestInprocChannelHasNoStreamLimit: the in-process channel runs any number
// of calls at once (the public listener allows maxConcurrentStreams per
// connection, which would throttle every REST client at once). Every call
// waits in its handler until all have arrived, so the test finishes only
// if they all run together.
func TestInprocChannelHasNoStreamLimit(t *testing.T) {
	const calls = 3 * maxConcurrentStreams
	var arrived sync.WaitGroup
	arrived.Add(calls)
	ch := newInprocChannel(nil, nil)
	testgrpc.RegisterTestServiceServer(ch, barrierService{arrived: &arrived})
	c := testgrpc.NewTestServiceClient(ch)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	errs := make(chan error, calls)
	for range calls {
		go func() { _, err := c.EmptyCall(ctx, &testgrpc.Empty{}); errs <- err }()
	}
	for range calls {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

type barrierService struct {
	testgrpc.UnimplementedTestServiceServer
	arrived *sync.WaitGroup
}

func (b barrierService) EmptyCall(ctx context.Context, _ *testgrpc.Empty) (*testgrpc.Empty, error) {
	b.arrived.Done()
	done := make(chan struct{})
	go func() { b.arrived.Wait(); close(done) }()
	select {
	case <-done:
		return &testgrpc.Empty{}, nil
	case <-ctx.Done():
		return nil, status.FromContextError(ctx.Err()).Err()
	}
}
