package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/metadata"
)

// The access log has one line per HTTP request: method, route template,
// status, bytes, duration and the client's real address (behind trusted
// proxies), with a request id. REST calls reach the services as gRPC calls
// from the gateway, in-process; that gRPC call's log line carries the
// same request id (and the client's address), so the two lines can be
// joined. Nothing of the request's headers or body is logged: no token, no
// personal data.

const (
	// mdRequestID carries the request id from the gateway to the gRPC
	// interceptors.
	mdRequestID = "x-temubisnis-request-id"
	// requestIDHeader gives the request id to the client, to quote when it
	// reports a problem.
	requestIDHeader = "X-Request-Id"
)

// accessRecord is what the access log learns while a request passes.
type accessRecord struct {
	id    string
	route string // the gateway's route template, when the gateway served it
}

type accessKey struct{}

// newRequestID returns 16 random hex digits.
func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// accessLog wraps the whole HTTP handler.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &accessRecord{id: newRequestID()}
		w.Header().Set(requestIDHeader, rec.id)
		cw := &countingWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), accessKey{}, rec))
		next.ServeHTTP(cw, r)

		route := rec.route
		if route == "" {
			route = r.Pattern // set by http.ServeMux on this request
		}
		if route == "" {
			route = "(no route)"
		}
		if cw.status == 0 {
			cw.status = http.StatusOK
		}
		level := slog.LevelInfo
		switch r.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			level = slog.LevelDebug // probes and scrapes, every few seconds
		}
		s.log.LogAttrs(r.Context(), level, "http request",
			slog.String("request_id", rec.id),
			slog.String("http.method", r.Method),
			slog.String("http.route", route),
			slog.Int("http.status", cw.status),
			slog.Int64("http.response_bytes", cw.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("client.address", clientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.opts.TrustedProxies)),
		)
	})
}

// recordRoute is a gateway middleware: after routing, it notes the route
// template ("/v1/{name=producers/*/listings/*}") for the access log.
func recordRoute(next runtime.HandlerFunc) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		if rec, ok := r.Context().Value(accessKey{}).(*accessRecord); ok {
			if p, ok := runtime.HTTPPattern(r.Context()); ok {
				rec.route = p.String()
			}
		}
		next(w, r, params)
	}
}

// requestIDMetadata passes the request id on to the gRPC call.
func requestIDMetadata(ctx context.Context, r *http.Request) metadata.MD {
	if rec, ok := r.Context().Value(accessKey{}).(*accessRecord); ok {
		return metadata.Pairs(mdRequestID, rec.id)
	}
	return nil
}

// logFields adds the request id and the client's address to the gRPC log
// line of a call that came through the gateway. Calls from elsewhere cannot
// set them: the gateway's secret must come along.
func (s *Server) logFields(ctx context.Context) logging.Fields {
	md, _ := metadata.FromIncomingContext(ctx)
	secret := md.Get(mdGateway)
	if len(secret) != 1 || subtle.ConstantTimeCompare([]byte(secret[0]), []byte(s.gatewaySecret)) != 1 {
		return nil
	}
	var f logging.Fields
	if id := md.Get(mdRequestID); len(id) == 1 {
		f = append(f, "request_id", id[0])
	}
	if c := md.Get(mdClient); len(c) == 1 {
		f = append(f, "client.address", c[0])
	}
	return f
}

// countingWriter notes the status and counts the body bytes.
type countingWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (c *countingWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.ResponseWriter.Write(b)
	c.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushing,
// deadlines).
func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
