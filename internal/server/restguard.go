package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/policy"
)

// Limits on JSON request bodies, checked before the gateway decodes them:
// a body nested deeper or with larger objects than any message of the API
// needs is refused without the decode, re-encode and decode again that the
// gateway and gRPC would spend on it.
const (
	maxJSONDepth   = 32
	maxJSONMembers = 512
)

// errorMux only carries the gateway's defaults for writing errors outside it.
var errorMux = runtime.NewServeMux()

type guardKey struct{}

// limitedByGuard reports whether the HTTP guard already applied the rate
// limits to a request (the gateway then tells the gRPC interceptor).
func limitedByGuard(ctx context.Context) bool {
	v, _ := ctx.Value(guardKey{}).(bool)
	return v
}

// restGuard stands in front of the gateway and refuses what can be refused
// from a request's method, path, query and headers, before the body is read
// or the service called, so that the cheapest refusals are also the first:
//
//   - it identifies the caller (the same verifier as the gRPC interceptor)
//     and applies the per-address and per-caller limits (the same limiters;
//     the gRPC interceptor then skips them for this call), so requests the
//     gateway refuses itself are limited too;
//   - a path that exists but not for the method: 405 with Allow;
//   - path variables and query parameters that are not UTF-8: 400 naming the
//     parameter (the gateway would fail marshalling them with a bare 500);
//   - a bad token, or no token for a method that changes data (every write
//     of the policy table needs a signed-in caller), is 401 before the body
//     is read; refused writes are audited as the interceptor would;
//   - a JSON body nested deeper than maxJSONDepth or with an object of more
//     than maxJSONMembers members: 400.
//
// Every refusal is counted in temubisnis_rest_refused_total by reason.
func (s *Server) restGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := caller{transport: "rest", address: clientAddress(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.opts.TrustedProxies)}
		var authErr error
		c.principal, authErr = s.principal(r.Header.Values("Authorization"))
		if err := s.limit(c); err != nil {
			s.restRefused.WithLabelValues("rate_limited").Inc()
			gatewayErrorHandler(r.Context(), errorMux, &runtime.JSONPb{}, w, r, err)
			return
		}
		r = r.WithContext(context.WithValue(r.Context(), guardKey{}, true))
		if field, ok := badQueryParam(r.URL.RawQuery); !ok {
			s.refuse(w, r, "bad_utf8", field, "is not valid UTF-8")
			return
		}
		rt, groups, allowed := s.routes.lookup(r.Method, r.URL.EscapedPath())
		if rt == nil {
			if len(allowed) > 0 {
				s.methodNotAllowed(w, r, allowed)
				return
			}
			next.ServeHTTP(w, r) // the gateway's 404
			return
		}
		var resource string
		for i, g := range groups {
			v, err := pathValue(g)
			if err != nil || !utf8.ValidString(v) {
				s.refuse(w, r, "bad_utf8", rt.fields[i], "is not valid UTF-8")
				return
			}
			if i == 0 {
				resource = v
			}
		}
		write := policy.IsWrite(rt.fullMethod)
		if authErr == nil && write && c.principal.Role == auth.RoleAnonymous {
			authErr = status.Error(codes.Unauthenticated, "this method needs a bearer token in the Authorization header")
		}
		if authErr != nil {
			s.restRefused.WithLabelValues("unauthenticated").Inc()
			if write {
				s.recordAudit(r.Context(), c, rt.fullMethod, resource, "", authErr)
			}
			gatewayErrorHandler(r.Context(), errorMux, &runtime.JSONPb{}, w, r, authErr)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
			if err != nil {
				s.refuse(w, r, "body_too_large", "body", fmt.Sprintf("is larger than %d bytes", s.opts.MaxBodyBytes))
				return
			}
			if desc := checkJSONShape(body); desc != "" {
				s.refuse(w, r, "body_too_complex", "body", desc)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// checkJSONShape returns why body is nested too deep or has too large an
// object, or "" (also for a body that is not JSON: the gateway says so in
// its own words).
func checkJSONShape(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	// tokens counts the tokens directly inside each open container; for an
	// object that is twice its members.
	var tokens []int
	var objects []bool
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if n := len(tokens); n > 0 {
			tokens[n-1]++
			if objects[n-1] && tokens[n-1] > 2*maxJSONMembers {
				return fmt.Sprintf("has an object with more than %d members", maxJSONMembers)
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(tokens) == maxJSONDepth {
				return fmt.Sprintf("is nested deeper than %d levels", maxJSONDepth)
			}
			tokens = append(tokens, 0)
			objects = append(objects, tok == json.Delim('{'))
		case json.Delim('}'), json.Delim(']'):
			tokens, objects = tokens[:len(tokens)-1], objects[:len(objects)-1]
			if len(tokens) == 0 {
				return ""
			}
		}
	}
}

// badQueryParam returns the first query parameter whose name or value is
// not valid UTF-8 once unescaped, as a field path.
func badQueryParam(raw string) (string, bool) {
	if raw == "" {
		return "", true
	}
	for _, pair := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(pair, "=")
		key, kerr := url.QueryUnescape(k)
		val, verr := url.QueryUnescape(v)
		// Malformed escapes are the gateway's to refuse (400 already).
		if kerr != nil || verr != nil {
			continue
		}
		if !utf8.ValidString(key) || !utf8.ValidString(val) {
			return fieldPath(key), false
		}
	}
	return "", true
}

// fieldPath turns a query parameter name as the gateway accepts it
// ("pageSize" or "page_size") into the proto field path the other field
// violations use ("page_size"); invalid UTF-8 is replaced, so the name is
// safe to send back.
func fieldPath(param string) string {
	param = strings.ToValidUTF8(param, "\uFFFD")
	var b strings.Builder
	for _, c := range param {
		if unicode.IsUpper(c) {
			b.WriteByte('_')
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	if b.Len() == 0 {
		return "query"
	}
	return b.String()
}

// refuse answers a REST request with INVALID_ARGUMENT naming field, and
// counts it.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, reason, field, desc string) {
	s.restRefused.WithLabelValues(reason).Inc()
	writeStatus(w, r, status.New(codes.InvalidArgument, fmt.Sprintf("invalid request: %s %s", field, desc)), field, desc)
}

// methodNotAllowed answers 405 with the methods the path allows. gRPC has
// no code for it; the body says UNIMPLEMENTED, as the gateway would.
func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request, allowed []string) {
	s.restRefused.WithLabelValues("method_not_allowed").Inc()
	st, _ := status.New(codes.Unimplemented, fmt.Sprintf("method %s is not allowed on this path; allowed: %s", r.Method, strings.Join(allowed, ", "))).
		WithDetails(&errdetails.ErrorInfo{Reason: "METHOD_NOT_ALLOWED", Domain: "temubisnis", Metadata: map[string]string{"allow": strings.Join(allowed, ", ")}})
	body, _ := protojson.Marshal(st.Proto())
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusMethodNotAllowed)
	_, _ = w.Write(body)
}

// gatewayError is the gateway's error handler: it counts the refusals the
// gateway makes itself (a body that is not JSON for the method, a query
// parameter of the wrong type: INVALID_ARGUMENT without field violations)
// and writes every error as gatewayErrorHandler does.
func (s *Server) gatewayError(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	if st, _ := status.FromError(err); st.Code() == codes.InvalidArgument && !hasBadRequest(st) {
		s.restRefused.WithLabelValues("bad_request").Inc()
	}
	gatewayErrorHandler(ctx, mux, m, w, r, err)
}

// routingError counts the paths the gateway has no route for.
func (s *Server) routingError(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, code int) {
	if code == http.StatusNotFound {
		s.restRefused.WithLabelValues("not_found").Inc()
	} else {
		s.restRefused.WithLabelValues("routing").Inc()
	}
	runtime.DefaultRoutingErrorHandler(ctx, mux, m, w, r, code)
}
