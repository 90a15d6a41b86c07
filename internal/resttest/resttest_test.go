package resttest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/grpc-ecosystem/grpc-gateway/v2/utilities"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/genproto/googleapis/type/interval"
	"google.golang.org/genproto/googleapis/type/money"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TestCoversEveryMethod builds, for every route of every method of
// every temubisnis.v1 service, a request with every field set (resource names
// in the path fields) and checks that Request maps it onto the route and
// that the gateway reads back exactly that request: once by decoding the
// body and query with the gateway's own parser, and once through the
// generated gateway handlers, whose gRPC calls a stub server records.
func TestCoversEveryMethod(t *testing.T) {
	t.Parallel()
	methods := temubisnisMethods(t)
	gw := startCaptureGateway(t)
	for _, md := range methods {
		full := "/" + string(md.Parent().FullName()) + "/" + string(md.Name())
		if md.IsStreamingServer() {
			continue // server streams are gRPC only (WatchEvents)
		}
		routes, err := Routes(md)
		if err != nil {
			t.Errorf("%s: %v", full, err)
			continue
		}
		for ri, route := range routes {
			tmpl, err := parsePathTemplate(route.Template)
			if err != nil {
				t.Errorf("%s: %s: %v", full, route.Template, err)
				continue
			}
			for _, awkward := range []bool{false, true} {
				name := fmt.Sprintf("%s/route%d", md.Name(), ri)
				if awkward {
					name += "/awkward-ids"
				}
				t.Run(name, func(t *testing.T) {
					req := newMessage(t, md.Input())
					fillMessage(req.ProtoReflect(), 0)
					bound := map[string]string{}
					for _, s := range tmpl.segments {
						if s.field != "" {
							bound[s.field] = sampleResourceName(s.pattern, awkward)
							setFieldPath(t, req.ProtoReflect(), s.field, bound[s.field])
						}
					}
					checkRESTRequest(t, full, route, tmpl, req, bound, awkward)
					if gw.registered[md.Parent().FullName()] {
						checkThroughGateway(t, gw, full, req)
					} else {
						t.Logf("%s has no gateway handlers in this test; only the gateway's parser was checked", md.Parent().FullName())
					}
				})
			}
		}
	}
}

// checkRESTRequest checks Request without a server.
func checkRESTRequest(t *testing.T, full string, route Route, tmpl pathTemplate, req proto.Message, bound map[string]string, awkward bool) {
	t.Helper()
	method, path, query, body, err := Request(full, req)
	if err != nil {
		t.Fatalf("restRequest: %v", err)
	}
	if method != route.Method {
		t.Errorf("method %s, want %s", method, route.Method)
	}
	if !awkward {
		// The sample ids need no escaping: the path is the template with
		// the variables replaced.
		want := route.Template
		for field, v := range bound {
			for _, s := range tmpl.segments {
				if s.field == field {
					want = strings.Replace(want, "{"+field+"="+strings.Join(s.pattern, "/")+"}", v, 1)
					want = strings.Replace(want, "{"+field+"}", v, 1)
				}
			}
		}
		if path != want {
			t.Errorf("path %s, want %s", path, want)
		}
	}
	if _, err := url.Parse("http://h" + path); err != nil {
		t.Errorf("path %s is not a valid URL path: %v", path, err)
	}
	switch route.Body {
	case "":
		if body != nil {
			t.Errorf("body %s for a route without one", body)
		}
	case "*":
		if len(query) != 0 {
			t.Errorf("query %v with body \"*\"", query)
		}
	}
	for key := range query {
		for field := range bound {
			if jsonPathOf(req, field) == key || strings.HasPrefix(key, jsonPathOf(req, field)+".") {
				t.Errorf("path field %s also sent as query parameter %s", field, key)
			}
		}
	}

	// Read the request back the way the gateway does: body, then path,
	// then query.
	back := newMessage(t, req.ProtoReflect().Descriptor())
	switch route.Body {
	case "":
	case "*":
		if err := protojson.Unmarshal(body, back); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(body, &top); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		for field := range bound {
			if _, ok := top[jsonPathOf(req, field)]; ok {
				t.Errorf("path field %s also in the body %s", field, body)
			}
		}
	default:
		fd := back.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(route.Body))
		if err := protojson.Unmarshal([]byte(`{"`+fd.JSONName()+`":`+string(body)+`}`), back); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
	}
	for field, v := range bound {
		setFieldPath(t, back.ProtoReflect(), field, v)
	}
	if err := runtime.PopulateQueryParameters(back, query, utilities.NewDoubleArray(nil)); err != nil {
		t.Fatalf("the gateway's query parser refuses %v: %v", query, err)
	}
	if diff := cmp.Diff(req, back, protocmp.Transform()); diff != "" {
		t.Errorf("read back by the gateway's parser (-sent +read):\n%s\nquery: %v\nbody: %s", diff, query, body)
	}
}

// checkThroughGateway sends req with Client.Call to the generated gateway
// handlers and compares the gRPC request they make with req.
func checkThroughGateway(t *testing.T, gw *captureGateway, full string, req proto.Message) {
	t.Helper()
	code, body := Client{BaseURL: gw.baseURL, HTTP: gw.http}.Call(t, full, req, "tok-123")
	if code != http.StatusOK {
		t.Fatalf("HTTP %d: %s", code, body)
	}
	got := gw.last()
	if got.method != full {
		t.Fatalf("the gateway called %s", got.method)
	}
	if diff := cmp.Diff(req, got.req, protocmp.Transform()); diff != "" {
		method, path, query, rbody, _ := Request(full, req)
		t.Errorf("request received over the gateway (-sent +received):\n%s\n%s %s?%s\n%s", diff, method, path, query.Encode(), rbody)
	}
	if a := got.md.Get("authorization"); !slices.Equal(a, []string{"Bearer tok-123"}) {
		t.Errorf("authorization metadata %q", a)
	}
}

// TestRequests pins the encoding of a few requests.
func TestRequests(t *testing.T) {
	t.Parallel()
	const listing = "producers/kendang-jaya/listings/djembe-40"
	cases := []struct {
		method string
		req    proto.Message
		verb   string
		path   string
		query  string
		body   string
	}{{
		"/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: listing},
		"GET", "/v1/" + listing, "", "",
	}, {
		"/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: "producers/p 1/listings/l%2F:x"},
		"GET", "/v1/producers/p%201/listings/l%252F:x", "", "",
	}, {
		"/temubisnis.v1.ProducerService/ListListings", &pb.ListListingsRequest{Parent: "producers/-", Filter: `category = FOOD`, PageSize: 2},
		"GET", "/v1/producers/-/listings", "filter=category+%3D+FOOD&pageSize=2", "",
	}, {
		"/temubisnis.v1.SearchService/SearchListings", &pb.SearchListingsRequest{
			Query:               "非洲鼓",
			Categories:          []pb.Category{pb.Category_MUSICAL_INSTRUMENT, pb.Category_HANDICRAFT},
			CertificationTypes:  []string{"SVLK"},
			MaxMinOrderQuantity: proto.Int64(0),
			CurrencyCode:        "JPY",
			PriceMin:            &money.Money{CurrencyCode: "JPY", Units: 1500},
			PriceMax:            &money.Money{CurrencyCode: "JPY", Units: 9000, Nanos: 500000000},
			OrderBy:             pb.SearchListingsRequest_PRICE_ASCENDING,
			View:                pb.ListingView_BASIC,
		},
		"GET", "/v1/listings:search",
		"categories=MUSICAL_INSTRUMENT&categories=HANDICRAFT&certificationTypes=SVLK&currencyCode=JPY&maxMinOrderQuantity=0" +
			"&orderBy=PRICE_ASCENDING&priceMax.currencyCode=JPY&priceMax.nanos=500000000&priceMax.units=9000" +
			"&priceMin.currencyCode=JPY&priceMin.units=1500&query=%E9%9D%9E%E6%B4%B2%E9%BC%93&view=BASIC",
		"",
	}, {
		"/temubisnis.v1.ProducerService/UpdateListing", &pb.UpdateListingRequest{
			Listing:    &pb.Listing{Name: listing, Title: "Djembe", LeadTimeDays: proto.Int32(0)},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"title", "lead_time_days"}},
		},
		"PATCH", "/v1/" + listing, "updateMask=title%2Clead_time_days",
		`{"name":"producers/kendang-jaya/listings/djembe-40","title":"Djembe","leadTimeDays":0}`,
	}, {
		"/temubisnis.v1.ProducerService/CreateListing", &pb.CreateListingRequest{
			Parent: "producers/kendang-jaya", ListingId: "djembe-40", Listing: &pb.Listing{Title: "Djembe"},
		},
		"POST", "/v1/producers/kendang-jaya/listings", "listingId=djembe-40", `{"title":"Djembe"}`,
	}, {
		"/temubisnis.v1.ProducerService/PublishListing", &pb.PublishListingRequest{Name: listing, Etag: "e1"},
		"POST", "/v1/" + listing + ":publish", "", `{"etag":"e1"}`,
	}, {
		"/temubisnis.v1.ProducerService/PauseListing", &pb.PauseListingRequest{Name: listing},
		"POST", "/v1/" + listing + ":pause", "", `{}`,
	}, {
		"/temubisnis.v1.ProducerService/DeleteProducer", &pb.DeleteProducerRequest{Name: "producers/kendang-jaya", Force: true, Etag: "e1"},
		"DELETE", "/v1/producers/kendang-jaya", "etag=e1&force=true", "",
	}, {
		// Additional bindings: the first route the name fits.
		"/temubisnis.v1.RequirementService/CheckReadiness", &pb.CheckReadinessRequest{Name: listing, DestinationCountryCode: "JP"},
		"GET", "/v1/" + listing + ":checkReadiness", "destinationCountryCode=JP", "",
	}, {
		"/temubisnis.v1.RequirementService/CheckReadiness", &pb.CheckReadinessRequest{Name: "producers/kendang-jaya", DestinationCountryCode: "JP"},
		"GET", "/v1/producers/kendang-jaya:checkReadiness", "destinationCountryCode=JP", "",
	}, {
		"/temubisnis.v1.SearchService/GetExchangeRates", &pb.GetExchangeRatesRequest{Name: "exchangeRates"},
		"GET", "/v1/exchangeRates", "", "",
	}, {
		"/temubisnis.v1.RequirementService/ListExpiringCertifications", &pb.ListExpiringCertificationsRequest{WithinDays: 30, IncludeExpired: true},
		"GET", "/v1/producers/-/certifications:expiring", "includeExpired=true&withinDays=30", "",
	}}
	for _, c := range cases {
		verb, path, query, body, err := Request(c.method, c.req)
		if err != nil {
			t.Errorf("%s %v: %v", c.method, c.req, err)
			continue
		}
		if verb != c.verb || path != c.path || query.Encode() != c.query || string(body) != c.body {
			t.Errorf("%s %v:\n got %s %s ? %s  body %s\nwant %s %s ? %s  body %s", c.method, c.req,
				verb, path, query.Encode(), body, c.verb, c.path, c.query, c.body)
		}
	}

	bad := []struct {
		method string
		req    proto.Message
		want   string
	}{
		{"/temubisnis.v1.ProducerService/Nope", &pb.GetListingRequest{Name: listing}, "no method Nope"},
		{"temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: listing}, "not a gRPC method name"},
		{"/temubisnis.v1.NoService/GetListing", &pb.GetListingRequest{Name: listing}, "service temubisnis.v1.NoService"},
		{"/temubisnis.v1.ProducerService/GetListing", &pb.GetProducerRequest{Name: "producers/p1"}, "takes a temubisnis.v1.GetListingRequest"},
		{"/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: "producers/p1"}, "fits none of the REST routes"},
		{"/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{}, "fits none of the REST routes"},
		{"/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: "producers/p1/listings/.."}, "would be removed"},
		{"/temubisnis.v1.ProducerService/GetListing", &pb.GetListingRequest{Name: "producers/p1/listings/l1/x"}, "too many segments"},
		{"/temubisnis.v1.RequirementService/CheckReadiness", &pb.CheckReadinessRequest{Name: "buyers/b1"}, "fits none of the REST routes"},
		{"/temubisnis.v1.SearchService/GetExchangeRates", &pb.GetExchangeRatesRequest{Name: "exchangeRate"}, "fits none"},
		{"/temubisnis.v1.SearchService/SearchListings", &pb.SearchListingsRequest{PriceMin: &money.Money{}}, "set but empty"},
		{"/temubisnis.v1.SearchService/SearchListings", &pb.SearchListingsRequest{Categories: []pb.Category{99}}, "99 is not a value"},
	}
	for _, b := range bad {
		if _, _, _, _, err := Request(b.method, b.req); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s %v: error %v, want one with %q", b.method, b.req, err, b.want)
		}
	}
	// Repeated messages cannot go into a query string.
	if _, err := addQuery(url.Values{}, (&pb.SearchListingsResponse{Hits: []*pb.SearchHit{{}}}).ProtoReflect(), "", "", nil); err == nil || !strings.Contains(err.Error(), "cannot be sent as a query parameter") {
		t.Errorf("repeated message in a query: %v", err)
	}

	// Error answers become gRPC status errors, details included.
	st, _ := status.New(codes.InvalidArgument, "bad").WithDetails(&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "page_size"}}})
	raw, err := protojson.Marshal(st.Proto())
	if err != nil {
		t.Fatal(err)
	}
	got := status.Convert(StatusError(http.StatusBadRequest, raw))
	if got.Code() != codes.InvalidArgument || got.Message() != "bad" || len(got.Details()) != 1 {
		t.Errorf("restError: %v %v", got, got.Details())
	}
	if c := status.Code(StatusError(http.StatusBadGateway, []byte("<html>"))); c != codes.Unknown {
		t.Errorf("restError of a non-status body: %v", c)
	}
}

// temubisnisMethods returns every method of every service of the package
// temubisnis.v1, sorted by name.
func temubisnisMethods(t *testing.T) []protoreflect.MethodDescriptor {
	t.Helper()
	var out []protoreflect.MethodDescriptor
	protoregistry.GlobalFiles.RangeFilesByPackage("temubisnis.v1", func(f protoreflect.FileDescriptor) bool {
		for i := 0; i < f.Services().Len(); i++ {
			s := f.Services().Get(i)
			for j := 0; j < s.Methods().Len(); j++ {
				out = append(out, s.Methods().Get(j))
			}
		}
		return true
	})
	if len(out) < 40 {
		t.Fatalf("only %d methods registered in temubisnis.v1", len(out))
	}
	slices.SortFunc(out, func(a, b protoreflect.MethodDescriptor) int {
		return strings.Compare(string(a.FullName()), string(b.FullName()))
	})
	return out
}

func newMessage(t *testing.T, d protoreflect.MessageDescriptor) proto.Message {
	t.Helper()
	mt, err := protoregistry.GlobalTypes.FindMessageByName(d.FullName())
	if err != nil {
		t.Fatalf("message type %s: %v", d.FullName(), err)
	}
	return mt.New().Interface()
}

// sampleResourceName returns a name that fits a variable's pattern: the
// literals as they are, an id for each wildcard (with characters that need
// escaping if awkward).
func sampleResourceName(pattern []string, awkward bool) string {
	var segs []string
	prev := "x"
	for i, p := range pattern {
		switch p {
		case "*", "**":
			id := fmt.Sprintf("%c%d", prev[0], i)
			if awkward {
				id += " ü%2F+&=?#;,@!$'(x):y~"
			}
			segs = append(segs, id)
			if p == "**" {
				segs = append(segs, "z"+id)
			}
		default:
			segs = append(segs, p)
			prev = p
		}
	}
	return strings.Join(segs, "/")
}

func setFieldPath(t *testing.T, m protoreflect.Message, fieldPath, value string) {
	t.Helper()
	names := strings.Split(fieldPath, ".")
	for i, name := range names {
		fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
		if fd == nil {
			t.Fatalf("%s has no field %s", m.Descriptor().FullName(), name)
		}
		if i < len(names)-1 {
			m = m.Mutable(fd).Message()
			continue
		}
		if fd.Kind() != protoreflect.StringKind {
			t.Fatalf("path field %s is a %v; the self-test fills only strings", fieldPath, fd.Kind())
		}
		m.Set(fd, protoreflect.ValueOfString(value))
	}
}

// jsonPathOf turns a dotted path of proto names into JSON names.
func jsonPathOf(req proto.Message, fieldPath string) string {
	m := req.ProtoReflect().Descriptor()
	var out []string
	for _, name := range strings.Split(fieldPath, ".") {
		fd := m.Fields().ByName(protoreflect.Name(name))
		if fd == nil {
			return fieldPath
		}
		out = append(out, fd.JSONName())
		if fd.Message() != nil {
			m = fd.Message()
		}
	}
	return strings.Join(out, ".")
}

const fillDepth = 4

// fillMessage sets every field of m (one member of each oneof) to a sample
// value: strings with characters that need escaping, negative numbers,
// explicit zeros for fields with presence, two elements of repeated fields.
func fillMessage(m protoreflect.Message, depth int) {
	if fillWellKnown(m) {
		return
	}
	fields := m.Descriptor().Fields()
	oneofs := map[protoreflect.FullName]bool{}
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if o := fd.ContainingOneof(); o != nil && !o.IsSynthetic() {
			if oneofs[o.FullName()] {
				continue
			}
			oneofs[o.FullName()] = true
		}
		switch {
		case fd.IsMap():
			if fd.MapValue().Message() != nil && depth >= fillDepth {
				continue
			}
			mp := m.Mutable(fd).Map()
			for j := 0; j < 2; j++ {
				v := mp.NewValue()
				if fd.MapValue().Message() != nil {
					fillMessage(v.Message(), depth+1)
				} else {
					v = sampleScalar(fd.MapValue(), j)
				}
				mp.Set(sampleScalar(fd.MapKey(), j).MapKey(), v)
			}
		case fd.IsList():
			if fd.Message() != nil && depth >= fillDepth {
				continue
			}
			l := m.Mutable(fd).List()
			for j := 0; j < 2; j++ {
				if fd.Message() != nil {
					v := l.NewElement()
					fillMessage(v.Message(), depth+1)
					l.Append(v)
				} else {
					l.Append(sampleScalar(fd, j))
				}
			}
		case fd.Message() != nil:
			if depth < fillDepth {
				fillMessage(m.Mutable(fd).Message(), depth+1)
			}
		case fd.HasPresence():
			m.Set(fd, fd.Default()) // set, to its zero value
		default:
			m.Set(fd, sampleScalar(fd, 0))
		}
	}
}

// fillWellKnown fills the well-known types that have a JSON form of their own.
func fillWellKnown(m protoreflect.Message) bool {
	d := m.Descriptor()
	set := func(name string, v protoreflect.Value) { m.Set(d.Fields().ByName(protoreflect.Name(name)), v) }
	fromJSON := func(s string) {
		if err := protojson.Unmarshal([]byte(s), m.Interface()); err != nil {
			panic(fmt.Sprintf("%s from %s: %v", d.FullName(), s, err))
		}
	}
	switch d.FullName() {
	case "google.protobuf.Timestamp":
		set("seconds", protoreflect.ValueOfInt64(1700000000))
		set("nanos", protoreflect.ValueOfInt32(5000))
	case "google.protobuf.Duration":
		set("seconds", protoreflect.ValueOfInt64(90))
		set("nanos", protoreflect.ValueOfInt32(500000000))
	case "google.protobuf.FieldMask":
		fromJSON(`"title,leadTimeDays"`)
	case "google.protobuf.Struct":
		fromJSON(`{"a":1.5,"b":"x y","c":[true,null]}`)
	case "google.protobuf.Value":
		fromJSON(`"v w"`)
	case "google.protobuf.ListValue":
		fromJSON(`[1,"x"]`)
	case "google.protobuf.Any":
		fromJSON(`{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}`)
	case "google.protobuf.Empty":
	case "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
		"google.protobuf.Int64Value", "google.protobuf.Int32Value",
		"google.protobuf.UInt64Value", "google.protobuf.UInt32Value",
		"google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue":
		fd := d.Fields().ByName("value")
		m.Set(fd, sampleScalar(fd, 0))
	default:
		return false
	}
	return true
}

func sampleScalar(fd protoreflect.FieldDescriptor, j int) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		if vals.Len() == 1 {
			return protoreflect.ValueOfEnum(vals.Get(0).Number())
		}
		return protoreflect.ValueOfEnum(vals.Get(1 + j%(vals.Len()-1)).Number())
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(int32(-40 - j))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(int64(-1<<40 - j))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(uint32(40 + j))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(uint64(1<<40 + j))
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(0.1 + float32(j))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(-2.5e-7 - float64(j))
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(fmt.Sprintf("%s %d ü+&=?#%%/,[]", fd.Name(), j))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte{0xfb, 0xef, 0xff, byte(j)})
	}
	panic(fmt.Sprintf("no sample for %s of kind %v", fd.FullName(), fd.Kind()))
}

// captureGateway is the generated gateway handlers in front of a gRPC stub
// that records each request it receives and answers an empty message.
type captureGateway struct {
	baseURL    string
	http       *http.Client
	registered map[protoreflect.FullName]bool

	mu  sync.Mutex
	got capturedCall
}

type capturedCall struct {
	method string
	req    proto.Message
	md     metadata.MD
}

func (g *captureGateway) last() capturedCall {
	g.mu.Lock()
	defer g.mu.Unlock()
	c := g.got
	g.got = capturedCall{}
	return c
}

func startCaptureGateway(t *testing.T) *captureGateway {
	t.Helper()
	g := &captureGateway{registered: map[protoreflect.FullName]bool{}}
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(grpc.UnknownServiceHandler(func(_ any, stream grpc.ServerStream) error {
		full, _ := grpc.MethodFromServerStream(stream)
		md, err := FindMethod(full)
		if err != nil {
			return status.Error(codes.Unimplemented, err.Error())
		}
		in, err := protoregistry.GlobalTypes.FindMessageByName(md.Input().FullName())
		if err != nil {
			return status.Error(codes.Internal, err.Error())
		}
		out, err := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
		if err != nil {
			return status.Error(codes.Internal, err.Error())
		}
		req := in.New().Interface()
		if err := stream.RecvMsg(req); err != nil {
			return err
		}
		meta, _ := metadata.FromIncomingContext(stream.Context())
		g.mu.Lock()
		g.got = capturedCall{method: full, req: req, md: meta}
		g.mu.Unlock()
		return stream.SendMsg(out.New().Interface())
	}))
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///capture",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })

	// The marshaler options of internal/server.
	mux := runtime.NewServeMux(runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.HTTPBodyMarshaler{Marshaler: &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}}))
	// Registered in the order of internal/server: the mux tries the last
	// registered handlers first, and a verbless pattern such as
	// buyers/*/buyingRequests/* also matches ".../b1:match", so the services
	// with custom-verb GETs must come after ProducerService and BuyerService.
	for _, r := range []struct {
		svc      protoreflect.FullName
		register func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error
	}{
		{"temubisnis.v1.ProducerService", pb.RegisterProducerServiceHandler},
		{"temubisnis.v1.BuyerService", pb.RegisterBuyerServiceHandler},
		{"temubisnis.v1.RequirementService", pb.RegisterRequirementServiceHandler},
		{"temubisnis.v1.SearchService", pb.RegisterSearchServiceHandler},
		{"temubisnis.v1.MatchService", pb.RegisterMatchServiceHandler},
		{"temubisnis.v1.AuditService", pb.RegisterAuditServiceHandler},
	} {
		if err := r.register(context.Background(), mux, conn); err != nil {
			t.Fatal(err)
		}
		g.registered[r.svc] = true
	}
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	g.baseURL, g.http = hs.URL, hs.Client()
	return g
}

// TestEncodesEveryKind checks the parameter encodings that no
// request of the API uses today against the gateway's parser.
func TestEncodesEveryKind(t *testing.T) {
	t.Parallel()
	// Scalars of every kind, through the value field of the wrappers.
	for _, w := range []proto.Message{
		wrapperspb.Float(0.1), wrapperspb.Float(float32(math.Inf(1))), wrapperspb.Float(-3.4e38),
		wrapperspb.Double(-2.5e-7), wrapperspb.Double(1e21), wrapperspb.Double(math.Inf(-1)),
		wrapperspb.Int32(math.MinInt32), wrapperspb.Int64(math.MinInt64), wrapperspb.UInt32(math.MaxUint32), wrapperspb.UInt64(math.MaxUint64),
		wrapperspb.Bool(true), wrapperspb.String("a b&c=ü/%+?#"), wrapperspb.Bytes([]byte{0xfb, 0xef, 0xff, 0}),
	} {
		s, ok, err := formatWellKnown(w.ProtoReflect())
		if !ok || err != nil {
			t.Errorf("%v: %v %v", w, ok, err)
			continue
		}
		back := w.ProtoReflect().New().Interface()
		if err := runtime.PopulateFieldFromPath(back, "value", s); err != nil || !proto.Equal(w, back) {
			t.Errorf("%T %v sent as %q, read back as %v (%v)", w, w, s, back, err)
		}
	}

	// Timestamps, durations, maps of strings and of Values, through the query.
	st, err := structpb.NewStruct(map[string]any{"a": 1.5, "b": "x y", "c": []any{true, nil}, "d": map[string]any{"e": "f"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []proto.Message{
		&interval.Interval{
			StartTime: timestamppb.New(time.Date(2024, 2, 29, 23, 59, 59, 123456789, time.UTC)),
			EndTime:   &timestamppb.Timestamp{Seconds: -62135596800}, // 0001-01-01
		},
		&errdetails.RetryInfo{RetryDelay: durationpb.New(-90*time.Minute - time.Nanosecond)},
		&errdetails.ErrorInfo{Reason: "r", Metadata: map[string]string{"k 1": "v&1=ü", "": "empty key"}},
		st,
	} {
		q := url.Values{}
		if _, err := addQuery(q, m.ProtoReflect(), "", "", nil); err != nil {
			t.Errorf("%T: %v", m, err)
			continue
		}
		back := m.ProtoReflect().New().Interface()
		if err := runtime.PopulateQueryParameters(back, q, utilities.NewDoubleArray(nil)); err != nil {
			t.Errorf("%T sent as %s: %v", m, q.Encode(), err)
			continue
		}
		if diff := cmp.Diff(m, back, protocmp.Transform()); diff != "" {
			t.Errorf("%T sent as %s (-sent +read):\n%s", m, q.Encode(), diff)
		}
	}

	// What the gateway cannot read from a query string.
	for _, c := range []struct {
		m    proto.Message
		want string
	}{
		{&errdetails.RetryInfo{RetryDelay: &durationpb.Duration{Seconds: 1e11}}, "out of the range"},
		{&errdetails.RetryInfo{RetryDelay: &durationpb.Duration{Seconds: 1, Nanos: -1}}, "different signs"},
		{&interval.Interval{StartTime: &timestamppb.Timestamp{Seconds: -62135596801}}, "before"},
		{structpb.NewListValue(&structpb.ListValue{}), "cannot read a google.protobuf.ListValue"},
		{&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: "f"}}}, "cannot be sent as a query parameter"},
		{&errdetails.ErrorInfo{Metadata: map[string]string{"a[1]": "x"}}, "cannot be written as"},
	} {
		if _, err := addQuery(url.Values{}, c.m.ProtoReflect(), "", "", nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T %v: error %v, want one with %q", c.m, c.m, err, c.want)
		}
	}
}
