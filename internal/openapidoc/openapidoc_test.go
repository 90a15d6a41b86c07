package openapidoc

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/adiekspor/temubisnis/gen/openapiv2"
	"github.com/adiekspor/temubisnis/gen/openapiv3"
	"github.com/adiekspor/temubisnis/internal/policy"
)

// loadV3 loads the served OpenAPI 3 document with kin-openapi and validates it.
func loadV3(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openapiv3.Document)
	if err != nil {
		t.Fatalf("kin-openapi cannot load the v3 document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the v3 document is not valid: %v", err)
	}
	return doc
}

// loadV2 loads the served v2 document; kin-openapi validates v2 through its
// conversion to v3 (it has no v2 validator of its own).
func loadV2(t *testing.T) *openapi2.T {
	t.Helper()
	var doc openapi2.T
	if err := json.Unmarshal(openapiv2.Document, &doc); err != nil {
		t.Fatalf("kin-openapi cannot load the v2 document: %v", err)
	}
	v3, err := openapi2conv.ToV3(&doc)
	if err != nil {
		t.Fatalf("kin-openapi cannot convert the v2 document: %v", err)
	}
	if err := v3.Validate(context.Background()); err != nil {
		t.Fatalf("the v2 document, converted, is not valid: %v", err)
	}
	return &doc
}

func TestDocumentsLoadAndValidate(t *testing.T) {
	loadV2(t)
	loadV3(t)
}

// boundMethods lists the methods that have a google.api.http binding, so
// appear in the REST API.
func boundMethods(t *testing.T) []string {
	t.Helper()
	var methods []string
	protoregistry.GlobalFiles.RangeFilesByPackage(protoPackage, func(fd protoreflect.FileDescriptor) bool {
		for i := 0; i < fd.Services().Len(); i++ {
			sd := fd.Services().Get(i)
			for j := 0; j < sd.Methods().Len(); j++ {
				md := sd.Methods().Get(j)
				if proto.HasExtension(md.Options(), annotations.E_Http) {
					methods = append(methods, "/"+string(sd.FullName())+"/"+string(md.Name()))
				}
			}
		}
		return true
	})
	if len(methods) < 40 {
		t.Fatalf("only %d methods with HTTP bindings", len(methods))
	}
	return methods
}

// TestSecurityFollowsThePolicyTable fails when the served document and the
// policy table disagree on who may call an operation (the document is
// generated; this catches a stale one).
func TestSecurityFollowsThePolicyTable(t *testing.T) {
	doc := loadV3(t)
	seen := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for verb, op := range item.Operations() {
			method := Method(op.OperationID)
			seen[method] = true
			open, err := policy.OpenToAnonymous(method)
			if err != nil {
				t.Errorf("%s %s: %v", verb, path, err)
				continue
			}
			if op.Security == nil {
				t.Errorf("%s %s declares no security", verb, path)
				continue
			}
			var optional, bearer bool
			for _, req := range *op.Security {
				if len(req) == 0 {
					optional = true
				}
				if _, ok := req[Bearer]; ok {
					bearer = true
				}
			}
			if !bearer || optional != open {
				t.Errorf("%s %s (%s): security %v, but the policy table says open to anonymous callers = %v", verb, path, method, *op.Security, open)
			}
		}
	}
	for _, m := range boundMethods(t) {
		if !seen[m] {
			t.Errorf("%s has an HTTP binding but no operation in the document", m)
		}
	}
	if !slices.Contains(policy.Methods(), "/temubisnis.v1.SearchService/SearchListings") {
		t.Error("policy.Methods lacks SearchListings")
	}
}

func TestEveryOperationDocumentsItsErrors(t *testing.T) {
	doc := loadV3(t)
	for path, item := range doc.Paths.Map() {
		for verb, op := range item.Operations() {
			for _, code := range []string{"400", "401", "403", "404", "409", "429", "503"} {
				r := op.Responses.Value(code)
				if r == nil || r.Value.Content.Get("application/json") == nil ||
					r.Value.Content.Get("application/json").Schema.Ref != "#/components/schemas/Status" {
					t.Errorf("%s %s: no %s response with a google.rpc.Status body", verb, path, code)
				}
			}
		}
	}
}

func TestPatchIsPartialAndTakesAnUpdateMask(t *testing.T) {
	doc := loadV3(t)
	n := 0
	for path, item := range doc.Paths.Map() {
		op := item.Patch
		if op == nil {
			continue
		}
		n++
		if op.Parameters.GetByInAndName("query", "updateMask") == nil {
			t.Errorf("PATCH %s does not declare updateMask", path)
		}
		body := op.RequestBody.Value.Content.Get("application/json").Schema.Value
		if len(body.Required) != 0 {
			t.Errorf("PATCH %s body requires %v", path, body.Required)
		}
		// A body with one field validates.
		var one string
		for _, name := range slices.Sorted(maps.Keys(body.Properties)) {
			p := body.Properties[name].Value
			if p != nil && p.Type.Is("string") && !p.ReadOnly && len(p.Enum) == 0 && p.Format == "" {
				one = name
				break
			}
		}
		if err := body.VisitJSON(map[string]any{one: "x"}); err != nil {
			t.Errorf("PATCH %s: a body with only %s fails: %v", path, one, err)
		}
	}
	// Producer, listing, buyer, buying request, requirement, exchange
	// rates and shipment updates, and notification settings at two paths.
	if n != 9 {
		t.Errorf("%d PATCH operations, want 9", n)
	}
}

// Path templates are unique per operation, and each names its resource's
// parameters as the resource pattern does.
func TestPathsArePerOperation(t *testing.T) {
	doc := loadV3(t)
	for _, want := range []string{
		"/v1/producers/{producer}/listings/{listing}",
		"/v1/buyers/{buyer}/buyingRequests/{buyingRequest}:match",
		"/v1/matches/{match}:accept",
	} {
		if doc.Paths.Value(want) == nil {
			t.Errorf("no path %s", want)
		}
	}
	for path := range doc.Paths.Map() {
		if strings.Contains(path, "{name}") || strings.Contains(path, ".name}") || strings.Contains(path, "{parent}") {
			t.Errorf("path %s still has an unexpanded resource name", path)
		}
	}
}
