package server

import (
	"time"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"

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

// publicLimits are the options of the public gRPC listener that the
// gateway's own in-memory connection does without.
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

// newGRPCServer returns a gRPC server with every service, the shared health
// service and reflection registered.
func (s *Server) newGRPCServer(svc *grpcapi.Services, opts ...grpc.ServerOption) *grpc.Server {
	srv := grpc.NewServer(opts...)
	svc.Register(srv)
	healthpb.RegisterHealthServer(srv, s.health)
	reflection.Register(srv)
	return srv
}
