package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// restGuard checks what can be checked of a REST request from its method,
// path and query alone, before the gateway reads the body or calls the
// service: the path exists for the method (else 405 with Allow), and the
// path variables and query parameters are valid UTF-8 (else 400 naming the
// parameter; protobuf strings must be UTF-8, and the gateway would fail
// marshalling the request with a bare 500).
func (s *Server) restGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if field, ok := badQueryParam(r.URL.RawQuery); !ok {
			s.refuse(w, r, "bad_utf8", field, "is not valid UTF-8")
			return
		}
		rt, groups, allowed := s.routes.lookup(r.Method, r.URL.EscapedPath())
		if rt == nil && len(allowed) > 0 {
			s.methodNotAllowed(w, r, allowed)
			return
		}
		if rt != nil {
			for i, g := range groups {
				if v, err := pathValue(g); err != nil || !utf8.ValidString(v) {
					s.refuse(w, r, "bad_utf8", rt.fields[i], "is not valid UTF-8")
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
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
