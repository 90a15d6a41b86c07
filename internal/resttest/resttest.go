// Package resttest runs any gRPC method of the API over the REST gateway, for
// tests: it derives the HTTP request from the method's google.api.http
// annotation, so that one table of requests (proto messages) can be run over
// both transports and the answers compared. It is a normal package so that
// it can have tests of its own; only tests import it.
//
// The mapping follows what grpc-gateway v2 decodes (see runtime/query.go and
// the generated *.pb.gw.go handlers):
//
//   - path variables ({name=producers/*/listings/*}, {listing.name=...}) take
//     the value of the (possibly nested) field, each segment escaped with
//     url.PathEscape and the slashes of the resource name kept;
//   - body "*": the request as protojson without the fields bound in the path;
//   - body "field": that field as protojson (a nested field bound in the path,
//     such as listing.name, stays in it: the gateway overwrites it from the
//     path); every other non-path field goes into the query string;
//   - no body: every non-path field goes into the query string, under its
//     lowerCamelCase JSON name, nested messages as dotted paths
//     (priceMin.currencyCode), repeated fields as repeated parameters, maps
//     as name[key]=value, enums by name, Timestamps in RFC 3339, Durations
//     as Go durations, FieldMasks as comma-separated proto paths, wrappers as
//     their value.
//
// One difference of the gateway is not papered over: for an update method
// with body "field", an empty update_mask makes the gateway derive the mask
// from the fields present in the JSON body, where gRPC passes it on empty.
//
// The generated OpenAPI client (gen/openapiclient) is no substitute: it has
// one typed function per route, so a table of gRPC requests would need a
// hand-written switch over every method, and it cannot send the malformed
// and boundary requests (any field of any method) the tests need.
package resttest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/api/annotations"
	spb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	// The generated files register the temubisnis.v1 descriptors.
	_ "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// Client sends gRPC requests to the REST routes of a server.
type Client struct {
	// BaseURL is the server's, e.g. http://127.0.0.1:8080.
	BaseURL string
	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
}

// Call sends req to the REST route of the gRPC method fullMethod
// (e.g. "/temubisnis.v1.ProducerService/GetListing"), with the Authorization
// header "Bearer <token>" when token != "". It returns the HTTP status and raw
// body. A request that has no REST form (a path field that does not fit the
// route's template, a field the query string cannot carry) or that gets no
// answer fails the test.
func (c Client) Call(t testing.TB, fullMethod string, req proto.Message, token string) (int, []byte) {
	t.Helper()
	method, path, query, body, err := Request(fullMethod, req)
	if err != nil {
		t.Fatalf("resttest: %v", err)
	}
	target := strings.TrimSuffix(c.BaseURL, "/") + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	hreq, err := http.NewRequest(method, target, r)
	if err != nil {
		t.Fatalf("resttest %s: %v", fullMethod, err)
	}
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	client := c.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(hreq)
	if err != nil {
		t.Fatalf("resttest %s: %s %s: %v", fullMethod, method, target, err)
	}
	raw, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("resttest %s: reading the answer to %s %s: %v", fullMethod, method, target, err)
	}
	return resp.StatusCode, raw
}

// Invoke is Call shaped like grpc.ClientConn.Invoke: on HTTP 200 it decodes
// the body into reply and returns nil; otherwise it returns the
// google.rpc.Status of the error body as a gRPC status error (StatusError),
// so that the same assertions (status.Code(err), details) hold for both
// transports. An answer of 200 that is not a reply fails the test.
func (c Client) Invoke(t testing.TB, fullMethod string, req, reply proto.Message, token string) error {
	t.Helper()
	code, body := c.Call(t, fullMethod, req, token)
	if code != http.StatusOK {
		return StatusError(code, body)
	}
	if err := protojson.Unmarshal(body, reply); err != nil {
		t.Fatalf("resttest %s: answer is not a %s: %v\n%.500s", fullMethod, reply.ProtoReflect().Descriptor().FullName(), err, body)
	}
	return nil
}

// StatusError turns an error answer of the gateway (a google.rpc.Status as
// JSON) into a gRPC status error. A body that is not an error status gives
// UNKNOWN with the HTTP code and the start of the body.
func StatusError(code int, body []byte) error {
	var s spb.Status
	if err := protojson.Unmarshal(body, &s); err != nil || s.GetCode() == int32(codes.OK) {
		return status.Errorf(codes.Unknown, "HTTP %d with a body that is not an error status: %.300s", code, body)
	}
	return status.FromProto(&s).Err()
}

// Request builds the HTTP request for the gRPC method fullMethod from its
// google.api.http rule: the HTTP method, the escaped URL path, the query
// parameters and the JSON body (nil when there is none). Of a rule with
// additional_bindings the first binding whose path template fits req is used.
func Request(fullMethod string, req proto.Message) (method, path string, query url.Values, body []byte, err error) {
	md, err := FindMethod(fullMethod)
	if err != nil {
		return "", "", nil, nil, err
	}
	if req == nil {
		return "", "", nil, nil, fmt.Errorf("%s: nil request", fullMethod)
	}
	m := req.ProtoReflect()
	if got, want := m.Descriptor().FullName(), md.Input().FullName(); got != want {
		return "", "", nil, nil, fmt.Errorf("%s takes a %s, not a %s", fullMethod, want, got)
	}
	routes, err := Routes(md)
	if err != nil {
		return "", "", nil, nil, err
	}
	var misfits []string
	for _, r := range routes {
		tmpl, err := parsePathTemplate(r.Template)
		if err != nil {
			return "", "", nil, nil, fmt.Errorf("%s: route %s %s: %v", fullMethod, r.Method, r.Template, err)
		}
		p, bound, err := tmpl.expand(m)
		if err != nil {
			misfits = append(misfits, fmt.Sprintf("%s %s: %v", r.Method, r.Template, err))
			continue
		}
		query, body, err := restPayload(m, r.Body, bound)
		if err != nil {
			return "", "", nil, nil, fmt.Errorf("%s: %v", fullMethod, err)
		}
		return r.Method, p, query, body, nil
	}
	return "", "", nil, nil, fmt.Errorf("%s: the request fits none of the REST routes: %s", fullMethod, strings.Join(misfits, "; "))
}

// NewReply returns an empty reply message of the gRPC method fullMethod.
func NewReply(fullMethod string) (proto.Message, error) {
	md, err := FindMethod(fullMethod)
	if err != nil {
		return nil, err
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
	if err != nil {
		return nil, fmt.Errorf("%s: reply type: %w", fullMethod, err)
	}
	return mt.New().Interface(), nil
}

// FindMethod looks a method up by its gRPC name, "/package.Service/Method".
func FindMethod(fullMethod string) (protoreflect.MethodDescriptor, error) {
	svc, name, ok := strings.Cut(strings.TrimPrefix(fullMethod, "/"), "/")
	if !ok || !strings.HasPrefix(fullMethod, "/") || name == "" {
		return nil, fmt.Errorf("%q is not a gRPC method name like /temubisnis.v1.ProducerService/GetListing", fullMethod)
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
	if err != nil {
		return nil, fmt.Errorf("%s: service %s: %v", fullMethod, svc, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok {
		return nil, fmt.Errorf("%s: %s is not a service", fullMethod, svc)
	}
	md := sd.Methods().ByName(protoreflect.Name(name))
	if md == nil {
		return nil, fmt.Errorf("%s: service %s has no method %s", fullMethod, svc, name)
	}
	if md.IsStreamingClient() || md.IsStreamingServer() {
		return nil, fmt.Errorf("%s: streaming methods are not supported", fullMethod)
	}
	return md, nil
}

// Route is one HTTP binding of a method: the rule or one of its
// additional_bindings.
type Route struct {
	Method   string // HTTP method
	Template string // path template, e.g. /v1/{name=producers/*}
	Body     string // "", "*" or a field name
}

// Routes returns the HTTP bindings of a method, the rule first.
func Routes(md protoreflect.MethodDescriptor) ([]Route, error) {
	opts := md.Options()
	if opts == nil || !proto.HasExtension(opts, annotations.E_Http) {
		return nil, fmt.Errorf("%s has no google.api.http annotation", md.FullName())
	}
	rule, _ := proto.GetExtension(opts, annotations.E_Http).(*annotations.HttpRule)
	if rule == nil {
		return nil, fmt.Errorf("%s: google.api.http annotation is not an HttpRule", md.FullName())
	}
	var routes []Route
	for _, r := range append([]*annotations.HttpRule{rule}, rule.GetAdditionalBindings()...) {
		route := Route{Body: r.GetBody()}
		switch p := r.GetPattern().(type) {
		case *annotations.HttpRule_Get:
			route.Method, route.Template = http.MethodGet, p.Get
		case *annotations.HttpRule_Put:
			route.Method, route.Template = http.MethodPut, p.Put
		case *annotations.HttpRule_Post:
			route.Method, route.Template = http.MethodPost, p.Post
		case *annotations.HttpRule_Delete:
			route.Method, route.Template = http.MethodDelete, p.Delete
		case *annotations.HttpRule_Patch:
			route.Method, route.Template = http.MethodPatch, p.Patch
		case *annotations.HttpRule_Custom:
			route.Method, route.Template = p.Custom.GetKind(), p.Custom.GetPath()
		default:
			return nil, fmt.Errorf("%s: HTTP rule without a pattern", md.FullName())
		}
		routes = append(routes, route)
	}
	return routes, nil
}

// pathTemplate is a parsed google.api.http path template.
type pathTemplate struct {
	segments []templateSegment
	verb     string // custom method, without the colon
}

// templateSegment is a literal or a variable.
type templateSegment struct {
	literal string
	field   string   // a variable's field path, e.g. "listing.name"
	pattern []string // a variable's segments, e.g. producers, *, listings, *
}

func parsePathTemplate(s string) (pathTemplate, error) {
	var t pathTemplate
	if !strings.HasPrefix(s, "/") {
		return t, fmt.Errorf("template does not start with /")
	}
	rest := s[1:]
	// The verb is a colon suffix after the last variable.
	from := strings.LastIndex(rest, "}") + 1
	if i := strings.LastIndex(rest[from:], ":"); i >= 0 {
		t.verb = rest[from+i+1:]
		rest = rest[:from+i]
		if t.verb == "" {
			return t, fmt.Errorf("empty verb")
		}
	}
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '{':
			depth++
		case '}':
			depth--
		case '/':
			if depth == 0 {
				parts = append(parts, rest[start:i])
				start = i + 1
			}
		}
		if depth < 0 || depth > 1 {
			return t, fmt.Errorf("unbalanced braces")
		}
	}
	if depth != 0 {
		return t, fmt.Errorf("unbalanced braces")
	}
	parts = append(parts, rest[start:])
	for _, p := range parts {
		switch {
		case p == "":
			return t, fmt.Errorf("empty segment")
		case p == "*" || p == "**":
			return t, fmt.Errorf("wildcard %s outside a variable binds no field", p)
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			field, pat, ok := strings.Cut(p[1:len(p)-1], "=")
			if !ok {
				pat = "*"
			}
			if field == "" || pat == "" {
				return t, fmt.Errorf("variable %s", p)
			}
			seg := templateSegment{field: field, pattern: strings.Split(pat, "/")}
			for i, ps := range seg.pattern {
				if ps == "" || strings.ContainsAny(ps, "{}") || (ps == "**" && i != len(seg.pattern)-1) {
					return t, fmt.Errorf("variable %s", p)
				}
			}
			t.segments = append(t.segments, seg)
		case strings.ContainsAny(p, "{}"):
			return t, fmt.Errorf("segment %q", p)
		default:
			t.segments = append(t.segments, templateSegment{literal: p})
		}
	}
	return t, nil
}

// expand fills the template's variables from m. It returns the escaped path
// and the field paths bound by it.
func (t pathTemplate) expand(m protoreflect.Message) (string, []string, error) {
	var b strings.Builder
	var bound []string
	for _, s := range t.segments {
		b.WriteByte('/')
		if s.field == "" {
			b.WriteString(s.literal)
			continue
		}
		v, err := pathFieldValue(m, s.field)
		if err != nil {
			return "", nil, err
		}
		escaped, err := matchPathPattern(s.pattern, v)
		if err != nil {
			return "", nil, fmt.Errorf("%s %q does not fit %s: %v", s.field, v, strings.Join(s.pattern, "/"), err)
		}
		b.WriteString(escaped)
		bound = append(bound, s.field)
	}
	if t.verb != "" {
		b.WriteString(":" + t.verb)
	}
	return b.String(), bound, nil
}

// pathFieldValue formats the field at a dotted path of proto field names.
func pathFieldValue(m protoreflect.Message, fieldPath string) (string, error) {
	names := strings.Split(fieldPath, ".")
	for i, name := range names {
		fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
		if fd == nil {
			return "", fmt.Errorf("path variable %s: %s has no field %s", fieldPath, m.Descriptor().FullName(), name)
		}
		if fd.IsList() || fd.IsMap() {
			return "", fmt.Errorf("path variable %s: %s is repeated", fieldPath, name)
		}
		if i < len(names)-1 {
			if fd.Message() == nil {
				return "", fmt.Errorf("path variable %s: %s is not a message", fieldPath, name)
			}
			m = m.Get(fd).Message() // an empty read-only message when unset
			continue
		}
		if fd.Message() != nil {
			s, ok, err := formatWellKnown(m.Get(fd).Message())
			if !ok {
				return "", fmt.Errorf("path variable %s: a %s cannot be a path parameter", fieldPath, fd.Message().FullName())
			}
			return s, err
		}
		return formatScalar(fd, m.Get(fd))
	}
	return "", fmt.Errorf("empty path variable")
}

// matchPathPattern checks value against the segments of a variable and
// escapes each of its segments.
func matchPathPattern(pattern []string, value string) (string, error) {
	segs := strings.Split(value, "/")
	var out []string
	for i, p := range pattern {
		if p == "**" {
			if i >= len(segs) {
				return "", fmt.Errorf("too few segments")
			}
			for _, s := range segs[i:] {
				e, err := escapeSegment(s)
				if err != nil {
					return "", err
				}
				out = append(out, e)
			}
			return strings.Join(out, "/"), nil
		}
		if i >= len(segs) {
			return "", fmt.Errorf("too few segments")
		}
		switch p {
		case "*":
			e, err := escapeSegment(segs[i])
			if err != nil {
				return "", err
			}
			out = append(out, e)
		default:
			if segs[i] != p {
				return "", fmt.Errorf("segment %d is %q, not %q", i+1, segs[i], p)
			}
			out = append(out, p)
		}
	}
	if len(segs) != len(pattern) {
		return "", fmt.Errorf("too many segments")
	}
	return strings.Join(out, "/"), nil
}

func escapeSegment(s string) (string, error) {
	switch s {
	case "":
		return "", fmt.Errorf("empty segment")
	case ".", "..":
		return "", fmt.Errorf("segment %q would be removed from the URL path", s)
	}
	return url.PathEscape(s), nil
}

// restPayload splits the fields of m not bound in the path between the body
// and the query string, as the gateway expects them for body rule bodySpec.
func restPayload(m protoreflect.Message, bodySpec string, bound []string) (url.Values, []byte, error) {
	exclude := map[string]bool{}
	for _, b := range bound {
		exclude[b] = true
	}
	switch bodySpec {
	case "*":
		c := proto.Clone(m.Interface()).ProtoReflect()
		for _, b := range bound {
			clearFieldPath(c, b)
		}
		body, err := marshalJSON(c.Interface())
		return nil, body, err
	case "":
		q := url.Values{}
		if _, err := addQuery(q, m, "", "", exclude); err != nil {
			return nil, nil, err
		}
		return q, nil, nil
	}
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(bodySpec))
	if fd == nil {
		return nil, nil, fmt.Errorf("body field %s is not a field of %s", bodySpec, m.Descriptor().FullName())
	}
	var body []byte
	if m.Has(fd) {
		// Marshal a copy holding only the body field and take its value:
		// the same JSON whatever the field's kind.
		c := proto.Clone(m.Interface()).ProtoReflect()
		var others []protoreflect.FieldDescriptor
		c.Range(func(f protoreflect.FieldDescriptor, _ protoreflect.Value) bool {
			if f != fd {
				others = append(others, f)
			}
			return true
		})
		for _, f := range others {
			c.Clear(f)
		}
		whole, err := marshalJSON(c.Interface())
		if err != nil {
			return nil, nil, err
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(whole, &obj); err != nil {
			return nil, nil, fmt.Errorf("body field %s: %v", bodySpec, err)
		}
		body = obj[fd.JSONName()]
	}
	exclude[bodySpec] = true
	q := url.Values{}
	if _, err := addQuery(q, m, "", "", exclude); err != nil {
		return nil, nil, err
	}
	return q, body, nil
}

// marshalJSON is protojson with the gateway's defaults (lowerCamelCase names,
// enums by name, unset fields left out), compacted so that equal messages give
// equal bytes.
func marshalJSON(m proto.Message) ([]byte, error) {
	raw, err := protojson.Marshal(m)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func clearFieldPath(m protoreflect.Message, fieldPath string) {
	names := strings.Split(fieldPath, ".")
	for i, name := range names {
		fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
		if fd == nil {
			return
		}
		if i == len(names)-1 {
			m.Clear(fd)
			return
		}
		if fd.Message() == nil || !m.Has(fd) {
			return
		}
		m = m.Mutable(fd).Message()
	}
}

// addQuery adds the populated fields of m, except those whose proto path
// (protoPrefix + name) is in exclude, to q under their JSON paths. It
// reports how many parameters it added.
func addQuery(q url.Values, m protoreflect.Message, protoPrefix, keyPrefix string, exclude map[string]bool) (int, error) {
	added := 0
	var err error
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.IsExtension() {
			err = fmt.Errorf("extension %s cannot be sent as a query parameter", fd.FullName())
			return false
		}
		protoPath := protoPrefix + string(fd.Name())
		if exclude[protoPath] {
			return true
		}
		key := keyPrefix + fd.JSONName()
		switch {
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				var ks, vs string
				if ks, err = formatScalar(fd.MapKey(), k.Value()); err != nil {
					return false
				}
				if strings.ContainsAny(ks, "[]") {
					err = fmt.Errorf("query parameter %s: map key %q cannot be written as %s[key]", key, ks, key)
					return false
				}
				if vs, err = formatValue(fd.MapValue(), mv); err != nil {
					err = fmt.Errorf("query parameter %s[%s]: %v", key, ks, err)
					return false
				}
				q.Add(key+"["+ks+"]", vs)
				added++
				return true
			})
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len() && err == nil; i++ {
				var s string
				if s, err = formatValue(fd, l.Get(i)); err != nil {
					err = fmt.Errorf("query parameter %s: %v", key, err)
					break
				}
				q.Add(key, s)
				added++
			}
		case fd.Message() != nil:
			if s, ok, e := formatWellKnown(v.Message()); ok {
				if e != nil {
					err = fmt.Errorf("query parameter %s: %v", key, e)
					return false
				}
				q.Add(key, s)
				added++
				return true
			}
			var n int
			if n, err = addQuery(q, v.Message(), protoPath+".", key+".", exclude); err != nil {
				return false
			}
			if n == 0 && !excludesBelow(exclude, protoPath+".") {
				err = fmt.Errorf("query parameter %s: a %s that is set but empty cannot be expressed in a query string", key, fd.Message().FullName())
				return false
			}
			added += n
		default:
			var s string
			if s, err = formatScalar(fd, v); err != nil {
				err = fmt.Errorf("query parameter %s: %v", key, err)
				return false
			}
			q.Add(key, s)
			added++
		}
		return err == nil
	})
	return added, err
}

func excludesBelow(exclude map[string]bool, prefix string) bool {
	for p := range exclude {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// formatValue formats a scalar or well-known-type value the way the
// gateway's query parser reads it back.
func formatValue(fd protoreflect.FieldDescriptor, v protoreflect.Value) (string, error) {
	if fd.Message() == nil {
		return formatScalar(fd, v)
	}
	s, ok, err := formatWellKnown(v.Message())
	if !ok {
		return "", fmt.Errorf("a repeated or map value of message type %s cannot be sent as a query parameter", fd.Message().FullName())
	}
	return s, err
}

func formatScalar(fd protoreflect.FieldDescriptor, v protoreflect.Value) (string, error) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return strconv.FormatBool(v.Bool()), nil
	case protoreflect.EnumKind:
		ev := fd.Enum().Values().ByNumber(v.Enum())
		if ev == nil {
			return "", fmt.Errorf("%d is not a value of %s", v.Enum(), fd.Enum().FullName())
		}
		return string(ev.Name()), nil
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return strconv.FormatInt(v.Int(), 10), nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return strconv.FormatUint(v.Uint(), 10), nil
	case protoreflect.FloatKind:
		return formatFloat(v.Float(), 32), nil
	case protoreflect.DoubleKind:
		return formatFloat(v.Float(), 64), nil
	case protoreflect.StringKind:
		return v.String(), nil
	case protoreflect.BytesKind:
		return base64.StdEncoding.EncodeToString(v.Bytes()), nil
	}
	return "", fmt.Errorf("field %s of kind %v is not a scalar", fd.FullName(), fd.Kind())
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// formatWellKnown formats the well-known types that the gateway parses from
// a single query or path parameter. ok is false for every other message.
func formatWellKnown(m protoreflect.Message) (s string, ok bool, err error) {
	d := m.Descriptor()
	switch d.FullName() {
	case "google.protobuf.Timestamp":
		var ts timestamppb.Timestamp
		if err := convertMessage(m, &ts); err != nil {
			return "", true, err
		}
		if err := ts.CheckValid(); err != nil {
			return "", true, err
		}
		return ts.AsTime().UTC().Format(time.RFC3339Nano), true, nil
	case "google.protobuf.Duration":
		var du durationpb.Duration
		if err := convertMessage(m, &du); err != nil {
			return "", true, err
		}
		if err := du.CheckValid(); err != nil {
			return "", true, err
		}
		if !proto.Equal(durationpb.New(du.AsDuration()), &du) {
			return "", true, fmt.Errorf("duration %ds is out of the range of a Go time.Duration, which the gateway parses it into", du.GetSeconds())
		}
		return du.AsDuration().String(), true, nil
	case "google.protobuf.FieldMask":
		var fm fieldmaskpb.FieldMask
		if err := convertMessage(m, &fm); err != nil {
			return "", true, err
		}
		for _, p := range fm.GetPaths() {
			if strings.Contains(p, ",") {
				return "", true, fmt.Errorf("field mask path %q contains a comma", p)
			}
		}
		return strings.Join(fm.GetPaths(), ","), true, nil
	case "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
		"google.protobuf.Int64Value", "google.protobuf.Int32Value",
		"google.protobuf.UInt64Value", "google.protobuf.UInt32Value",
		"google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
		fd := d.Fields().ByName("value")
		s, err := formatScalar(fd, m.Get(fd))
		return s, true, err
	case "google.protobuf.Struct", "google.protobuf.Value":
		b, err := marshalJSON(m.Interface())
		return string(b), true, err
	case "google.protobuf.Empty":
		return "{}", true, nil
	case "google.protobuf.ListValue", "google.protobuf.Any":
		return "", true, fmt.Errorf("the gateway cannot read a %s from a query parameter", d.FullName())
	}
	return "", false, nil
}

// convertMessage copies m into dst, a message of the same type (m may be a
// dynamic message).
func convertMessage(m protoreflect.Message, dst proto.Message) error {
	if m.Descriptor().FullName() != dst.ProtoReflect().Descriptor().FullName() {
		return fmt.Errorf("%s is not a %s", m.Descriptor().FullName(), dst.ProtoReflect().Descriptor().FullName())
	}
	b, err := proto.Marshal(m.Interface())
	if err != nil {
		return err
	}
	return proto.Unmarshal(b, dst)
}
