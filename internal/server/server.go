// Package server runs the gRPC server and, in front of it, the HTTP server
// with the REST gateway, the OpenAPI document, health checks and metrics.
//
// The gateway (and the web app) call the services through an in-process
// channel that runs the gRPC server's own interceptor chain, so every REST
// call passes the same interceptors (logging, metrics, recovery, deadlines,
// access) as a direct gRPC call, exactly once, without a loopback hop.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"time"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/grpcapi"
)

// Options configures a Server.
type Options struct {
	GRPCAddr        string
	HTTPAddr        string
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	// Pprof mounts net/http/pprof.
	Pprof bool
	// Ready reports whether the service can take traffic (the database
	// answers and the search catalogue is loaded); /readyz and the gRPC
	// health service follow it.
	Ready func(context.Context) error
	// Access authenticates, authorises, limits and audits every call.
	Access Access
	// CORSOrigins is the comma-separated allow-list of browser origins;
	// empty sends no CORS headers (browsers then refuse cross-origin calls).
	CORSOrigins string
	// TLSCertFile and TLSKeyFile, when set, serve both listeners over TLS.
	TLSCertFile, TLSKeyFile string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For entries
	// name the client address (for rate limits and the audit trail).
	TrustedProxies []netip.Prefix
	// Metrics are registered with the service's own metrics; Interceptors
	// run innermost, after access control, on every unary call.
	Metrics      []prometheus.Collector
	Interceptors []grpc.UnaryServerInterceptor
	// SearchJSONCacheBytes bounds the REST search responses' caches of
	// listing and producer JSON together; 0 takes
	// DefaultSearchJSONCacheBytes.
	SearchJSONCacheBytes int64
	// SearchAnswers, when set, are the search answers kept whole by the
	// catalogue (shared, never changed): the in-process channel hands a
	// search answer on without a deep copy, and the gateway keeps the JSON
	// of a kept answer with it.
	SearchAnswers SearchAnswers
}

// Server is the running pair of listeners.
type Server struct {
	opts    Options
	log     *slog.Logger
	grpc    *grpc.Server
	http    *http.Server
	grpcLis net.Listener
	httpLis net.Listener
	// inproc is the gateway's and the web app's channel to the services.
	inproc *inprocChannel
	mux    *http.ServeMux
	health *health.Server
	// gatewaySecret tells the gateway's own calls from direct gRPC calls.
	gatewaySecret string
	tls           *tls.Config // nil: plaintext
	// rateLimited counts calls refused by a rate limit, by limit;
	// auditFailures counts audit events that could not be recorded.
	rateLimited   *prometheus.CounterVec
	auditFailures prometheus.Counter
	// restRefused counts REST requests refused before reaching a service,
	// by reason; routes are the REST bindings they are checked against.
	restRefused *prometheus.CounterVec
	routes      routeTable
	storage     *storageWatch
}

// New opens both listeners (so their addresses are known, also with port 0)
// and wires the services.
func New(ctx context.Context, opts Options, svc *grpcapi.Services, log *slog.Logger) (*Server, error) {
	if opts.Access.Verifier == nil || opts.Access.Policy == nil {
		return nil, errNoAccess
	}
	if err := CheckOptions(opts); err != nil {
		return nil, err
	}
	origins, _ := parseOrigins(opts.CORSOrigins)
	var err error
	s := &Server{opts: opts, log: log, gatewaySecret: newGatewaySecret()}
	grpcCreds := []grpc.ServerOption{}
	if opts.TLSCertFile != "" {
		if s.tls, err = loadTLS(opts.TLSCertFile, opts.TLSKeyFile); err != nil {
			return nil, err
		}
		grpcCreds = append(grpcCreds, grpc.Creds(credentials.NewTLS(s.tls)))
	}
	if s.grpcLis, err = net.Listen("tcp", opts.GRPCAddr); err != nil {
		return nil, fmt.Errorf("listen gRPC on %s: %w", opts.GRPCAddr, err)
	}
	if s.httpLis, err = net.Listen("tcp", opts.HTTPAddr); err != nil {
		_ = s.grpcLis.Close() // New failed; the listen error is the one to report
		return nil, fmt.Errorf("listen HTTP on %s: %w", opts.HTTPAddr, err)
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := grpcprom.NewServerMetrics(grpcprom.WithServerHandlingTimeHistogram(
		grpcprom.WithHistogramBuckets([]float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}),
	))
	reg.MustRegister(metrics)
	s.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "temubisnis_rate_limited_total", Help: "Calls refused by a rate limit, by limit (address or caller).",
	}, []string{"limit"})
	s.auditFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "temubisnis_audit_failures_total", Help: "Writes whose audit event could not be recorded.",
	})
	s.restRefused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "temubisnis_rest_refused_total", Help: "REST requests refused before reaching a service, by reason.",
	}, []string{"reason"})
	jsonMetrics := newJSONCacheMetrics()
	reg.MustRegister(s.rateLimited, s.auditFailures, s.restRefused, jsonMetrics.hits, jsonMetrics.misses)
	reg.MustRegister(opts.Metrics...)
	s.storage = newStorageWatch(log, reg)
	if s.routes, err = newRouteTable(
		pb.File_temubisnis_v1_producer_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_buyer_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_requirement_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_search_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_match_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_audit_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_quote_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_shipment_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_statistics_service_proto.Services().Get(0),
		pb.File_temubisnis_v1_notification_service_proto.Services().ByName("NotificationService"),
		pb.File_temubisnis_v1_notification_service_proto.Services().ByName("WebhookService"),
	); err != nil {
		s.closeListeners()
		return nil, err
	}

	// One interceptor chain, run by the public gRPC server and by the
	// in-process channel of the gateway and the web app alike.
	unary := chainUnary(append([]grpc.UnaryServerInterceptor{
		metrics.UnaryServerInterceptor(),
		logging.UnaryServerInterceptor(slogAdapter(log), logging.WithLogOnEvents(logging.FinishCall), logging.WithFieldsFromContext(s.logFields)),
		recovery.UnaryServerInterceptor(recovery.WithRecoveryHandlerContext(s.recovered)),
		deadline(opts.RequestTimeout),
		s.unaryAccess,
	}, opts.Interceptors...)...)
	stream := chainStream(
		metrics.StreamServerInterceptor(),
		logging.StreamServerInterceptor(slogAdapter(log), logging.WithLogOnEvents(logging.FinishCall), logging.WithFieldsFromContext(s.logFields)),
		recovery.StreamServerInterceptor(recovery.WithRecoveryHandlerContext(s.recovered)),
		s.streamAccess,
	)
	s.health = health.NewServer()
	s.grpc = grpc.NewServer(append(append(grpcCreds, publicLimits()...),
		grpc.UnaryInterceptor(unary),
		grpc.StreamInterceptor(stream),
		grpc.MaxRecvMsgSize(int(opts.MaxBodyBytes)+1024),
		grpc.MaxHeaderListSize(maxHeaderListBytes),
	)...)
	s.registerServices(s.grpc, svc)
	reflection.Register(s.grpc)
	metrics.InitializeMetrics(s.grpc)
	// The gateway and the web app call the services in-process: no
	// connection, so none of the public listener's per-connection limits
	// throttles REST clients all at once, and no encoding to bytes and
	// back. Their request sizes are bounded before (limitBody).
	s.inproc = newInprocChannel(unary, stream)
	if opts.SearchAnswers != nil {
		s.inproc.shared = sharedSearchAnswer
	}
	s.registerServices(s.inproc, svc)
	gw := runtime.NewServeMux(
		// Unknown JSON fields are refused rather than dropped: a misspelt
		// field would otherwise be a silent no-op. Unset fields are left
		// out of responses: search pages are the hot path and half their
		// bytes would be empty values.
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.HTTPBodyMarshaler{Marshaler: gatewayMarshaler(opts.SearchJSONCacheBytes, jsonMetrics).withAnswers(opts.SearchAnswers)}),
		runtime.WithErrorHandler(s.gatewayError),
		runtime.WithRoutingErrorHandler(s.routingError),
		// No client header reaches the services except Authorization
		// (which the gateway always passes); the gateway adds the client's
		// address itself.
		runtime.WithIncomingHeaderMatcher(func(string) (string, bool) { return "", false }),
		runtime.WithMetadata(s.gatewayMetadata),
		runtime.WithMetadata(requestIDMetadata),
		runtime.WithMiddlewares(recordRoute),
	)
	if err := registerGateway(ctx, gw, s.inproc); err != nil {
		s.closeListeners()
		return nil, fmt.Errorf("register gateway: %w", err)
	}

	mux := http.NewServeMux()
	s.mux = mux
	mux.Handle("/v1/", s.restGuard(limitBody(gw, opts.MaxBodyBytes)))
	mux.HandleFunc("GET /openapi.json", serveOpenAPI)
	mux.HandleFunc("GET /openapi.v3.json", serveOpenAPIv3)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeText(w, http.StatusOK, "ok\n")
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	if opts.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	s.http = &http.Server{
		// CORS wraps everything, so that refusals (401, 429) carry the
		// headers a browser needs to read them.
		Handler:           s.accessLog(withCORS(mux, origins)),
		TLSConfig:         s.tls,
		ReadHeaderTimeout: 10 * time.Second,
		// The gRPC side takes no more (the gateway passes Authorization on).
		MaxHeaderBytes: maxHeaderListBytes,
		ReadTimeout:    30 * time.Second,
		WriteTimeout:   opts.RequestTimeout + 5*time.Second,
		IdleTimeout:    2 * time.Minute,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// gatewayMarshaler is the gateway's JSON: protojson, with search responses
// spliced from cached parts (searchJSON) held in cacheBytes (0: the
// default), their lookups counted in metrics (nil: not exported).
func gatewayMarshaler(cacheBytes int64, metrics *jsonCacheMetrics) *searchJSON {
	return newSearchJSON(&runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}, cacheBytes, metrics)
}

// CheckOptions validates what New would otherwise find wrong only after the
// database is up: the CORS origins and the TLS files.
func CheckOptions(opts Options) error {
	if _, err := parseOrigins(opts.CORSOrigins); err != nil {
		return err
	}
	if opts.TLSCertFile != "" {
		if _, err := loadTLS(opts.TLSCertFile, opts.TLSKeyFile); err != nil {
			return err
		}
	}
	return nil
}

// Handle mounts h on the HTTP server (the web app at "/"). Call it before Run.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ClientConn is the in-process channel the gateway uses. In-process clients
// (the web app) call the API through it, so their calls pass the same
// interceptors as everyone else's.
func (s *Server) ClientConn() grpc.ClientConnInterface { return s.inproc }

// CallMetadata is what the gateway adds to the calls it makes for an HTTP
// request: the gateway's secret and the client's address (through trusted
// proxies). In-process clients send it too, so that rate limits and the
// audit trail see the real client.
func (s *Server) CallMetadata(r *http.Request) metadata.MD { return s.gatewayMetadata(r.Context(), r) }

// TLS reports whether the HTTP listener serves TLS.
func (s *Server) TLS() bool { return s.tls != nil }

// GRPCAddr is the address the gRPC server listens on.
func (s *Server) GRPCAddr() string { return s.grpcLis.Addr().String() }

// HTTPAddr is the address the HTTP server listens on.
func (s *Server) HTTPAddr() string { return s.httpLis.Addr().String() }

// Run serves until ctx is done, then stops gracefully: new connections are
// refused, running requests get ShutdownTimeout to finish.
func (s *Server) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := s.grpc.Serve(s.grpcLis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			return fmt.Errorf("gRPC server: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		serve := s.http.Serve
		if s.tls != nil {
			serve = func(l net.Listener) error { return s.http.ServeTLS(l, "", "") }
		}
		if err := serve(s.httpLis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("HTTP server: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		s.watchReadiness(gctx)
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		s.health.Shutdown()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
		defer cancel()
		if err := s.http.Shutdown(sctx); err != nil {
			s.log.Warn("HTTP shutdown incomplete", "error", err)
		}
		stopped := make(chan struct{})
		go func() { s.grpc.GracefulStop(); close(stopped) }()
		select {
		case <-stopped:
		case <-sctx.Done():
			s.grpc.Stop()
		}
		return nil
	})
	s.log.Info("serving", "grpc", s.GRPCAddr(), "http", s.HTTPAddr())
	return g.Wait()
}

// watchReadiness keeps the gRPC health status in step with Ready, checking
// on every health probe interval until ctx ends.
func (s *Server) watchReadiness(ctx context.Context) {
	set := func() bool {
		st := healthpb.HealthCheckResponse_SERVING
		if err := s.ready(ctx); err != nil {
			st = healthpb.HealthCheckResponse_NOT_SERVING
		}
		s.health.SetServingStatus("", st)
		s.health.SetServingStatus(pb.ProducerService_ServiceDesc.ServiceName, st)
		s.health.SetServingStatus(pb.BuyerService_ServiceDesc.ServiceName, st)
		s.health.SetServingStatus(pb.RequirementService_ServiceDesc.ServiceName, st)
		s.health.SetServingStatus(pb.SearchService_ServiceDesc.ServiceName, st)
		s.health.SetServingStatus(pb.MatchService_ServiceDesc.ServiceName, st)
		s.health.SetServingStatus(pb.AuditService_ServiceDesc.ServiceName, st)
		s.health.SetServingStatus(pb.NotificationService_ServiceDesc.ServiceName, st)
		s.health.SetServingStatus(pb.WebhookService_ServiceDesc.ServiceName, st)
		return st == healthpb.HealthCheckResponse_SERVING
	}
	// Check every 200 ms until the service is first ready (the catalogue
	// loads after start), then every 5 s.
	interval := 200 * time.Millisecond
	if set() {
		interval = 5 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if set() && interval < 5*time.Second {
				interval = 5 * time.Second
				t.Reset(interval)
			}
		}
	}
}

func (s *Server) ready(ctx context.Context) error {
	if s.opts.Ready == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.opts.Ready(ctx)
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if err := s.ready(r.Context()); err != nil {
		s.log.Debug("not ready", "error", err)
		writeText(w, http.StatusServiceUnavailable, "not ready: "+err.Error()+"\n")
		return
	}
	writeText(w, http.StatusOK, "ready\n")
}

func (s *Server) recovered(ctx context.Context, p any) error {
	s.log.ErrorContext(ctx, "panic in handler", "panic", p)
	return status.Error(codes.Internal, "internal error")
}

func (s *Server) closeListeners() {
	_ = s.grpcLis.Close() // on a failed start; the start error is reported
	_ = s.httpLis.Close()
}

// MaxRequestTimeout caps every request's deadline, the caller's too. (A
// writer's version claim is renewed while its write runs, see mongostore's
// claimLease, so the deadline need not stay below the claim's lease.)
const MaxRequestTimeout = 50 * time.Second

// deadline gives every call without a deadline a default one and caps longer
// ones, so that no request can hold a database connection forever.
func deadline(d time.Duration) grpc.UnaryServerInterceptor {
	d = min(d, MaxRequestTimeout)
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
		dl, ok := ctx.Deadline()
		switch {
		case !ok:
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		case time.Until(dl) > MaxRequestTimeout:
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, MaxRequestTimeout)
			defer cancel()
		}
		return h(ctx, req)
	}
}

func writeText(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// slogAdapter lets the logging interceptor write through slog. Request and
// response bodies are never logged: they hold contact details.
func slogAdapter(l *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(ctx context.Context, lvl logging.Level, msg string, fields ...any) {
		l.Log(ctx, slog.Level(lvl), msg, fields...)
	})
}
