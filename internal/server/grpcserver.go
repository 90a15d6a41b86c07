package server

import (
	"context"
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"

	"github.com/adiekspor/temubisnis/internal/grpcapi"
)

// Limits of the gRPC listeners. grpc-go's defaults trust the client: 16 MiB
// of metadata per call, no limit on concurrent streams, and clients may keep
// idle connections forever.
const (
	// maxHeaderListBytes bounds a call's metadata (and a REST request's
	// headers): a token is at most 16 KiB, nothing else needs much.
	maxHeaderListBytes = 64 << 10
	// maxConcurrentStreams bounds the calls one connection has in flight;
	// more wait for a free stream at the client.
	maxConcurrentStreams = 100
	// keepaliveMinTime is the shortest interval between client pings we
	// tolerate; a client pinging more often is sent GOAWAY.
	keepaliveMinTime = 20 * time.Second
	// maxConnectionIdle closes connections without calls after a while,
	// so that abandoned clients do not hold file descriptors.
	maxConnectionIdle = 15 * time.Minute
)

// publicLimits are the options of the public gRPC listener (the gateway
// and the web app call in-process, without a connection).
func publicLimits() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.MaxConcurrentStreams(maxConcurrentStreams),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{
			MinTime:             keepaliveMinTime,
			PermitWithoutStream: true,
		}),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle: maxConnectionIdle,
			Time:              2 * time.Minute,
			Timeout:           20 * time.Second,
		}),
	}
}

// registerServices registers every service of the API, and the shared
// health service, on r: the public gRPC server and the in-process channel
// of the gateway and the web app.
func (s *Server) registerServices(r grpc.ServiceRegistrar, svc *grpcapi.Services) {
	svc.Register(r)
	healthpb.RegisterHealthServer(r, s.health)
}

// chainUnary makes one interceptor of several, the first outermost (as
// grpc.ChainUnaryInterceptor does). The gRPC server and the in-process
// channel run the same chain.
func chainUnary(ics ...grpc.UnaryServerInterceptor) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		return ics[0](ctx, req, info, unaryNext(ics, 0, info, h))
	}
}

func unaryNext(ics []grpc.UnaryServerInterceptor, i int, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) grpc.UnaryHandler {
	if i == len(ics)-1 {
		return h
	}
	return func(ctx context.Context, req any) (any, error) {
		return ics[i+1](ctx, req, info, unaryNext(ics, i+1, info, h))
	}
}

// chainStream is chainUnary for streams.
func chainStream(ics ...grpc.StreamServerInterceptor) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, h grpc.StreamHandler) error {
		return ics[0](srv, ss, info, streamNext(ics, 0, info, h))
	}
}

func streamNext(ics []grpc.StreamServerInterceptor, i int, info *grpc.StreamServerInfo, h grpc.StreamHandler) grpc.StreamHandler {
	if i == len(ics)-1 {
		return h
	}
	return func(srv any, ss grpc.ServerStream) error {
		return ics[i+1](srv, ss, info, streamNext(ics, i+1, info, h))
	}
}
