// Package openapidoc finishes the OpenAPI document that protoc-gen-openapiv2
// writes from proto/ and converts it to OpenAPI 3. It runs at build time
// (.ci/generate, through the command in ./generate); the server only embeds
// and serves the results.
//
// What it adds is what the generator cannot know from the protos: who may
// call each operation (read from the policy table, so the document cannot
// drift from what the server enforces), which errors each operation answers
// with, that a PATCH body carries only the fields to change, and path
// parameter names as the resource patterns spell them.
package openapidoc

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"google.golang.org/genproto/googleapis/api/annotations"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	// The generated messages register the resource patterns read here.
	_ "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/policy"
)

// Bearer is the name of the security scheme for `Authorization: Bearer <JWT>`.
const Bearer = "bearer"

// protoPackage is the package whose services the document describes.
const protoPackage = "temubisnis.v1"

// errorResponses are the errors every operation may answer with, all in the
// google.rpc.Status shape. The gateway maps gRPC codes to these (AIP-193).
var errorResponses = map[string]string{
	"400": "INVALID_ARGUMENT or FAILED_PRECONDITION: a field is wrong (the details carry a google.rpc.BadRequest naming it) or the resource is not in a state that allows this.",
	"401": "UNAUTHENTICATED: the bearer token is missing where one is required, expired or not valid.",
	"403": "PERMISSION_DENIED: the caller may see the resource but not do this to it.",
	"404": "NOT_FOUND: the resource does not exist, or the caller may not know that it does.",
	"409": "ALREADY_EXISTS or ABORTED: the id is taken, or the etag sent is stale (read again and retry).",
	"429": "RESOURCE_EXHAUSTED: a rate limit (see the Retry-After header) or a full quota, e.g. of open match proposals.",
	"503": "UNAVAILABLE: the service is starting or the database does not answer; retry with backoff.",
}

const description = "Business matching between export producers of Kabupaten Blitar and foreign buyers (Adi Ekspor).\n\n" +
	"Send `Authorization: Bearer <JWT>`. Each operation says whether it needs the token: anonymous callers may search, " +
	"read active listings, public producer profiles, exchange rates, the requirement catalogue and readiness checks. " +
	"Errors are google.rpc.Status objects; a 404 may also mean a resource the caller may not see."

// Finish completes the generated OpenAPI v2 document (JSON) and returns it.
func Finish(generated []byte) ([]byte, error) {
	var doc openapi2.T
	if err := json.Unmarshal(generated, &doc); err != nil {
		return nil, fmt.Errorf("openapidoc: read the generated document: %w", err)
	}
	doc.Info = openapi3.Info{Title: "temubisnis API", Version: "v1", Description: description}
	doc.SecurityDefinitions = map[string]*openapi2.SecurityScheme{Bearer: {
		Type: "apiKey", In: "header", Name: "Authorization",
		Description: "A JWT as `Bearer <token>`, from the identity provider (or `temubisnis token` for local use).",
	}}
	if err := renamePathParams(&doc); err != nil {
		return nil, err
	}
	for path, item := range doc.Paths {
		for verb, op := range item.Operations() {
			if err := finishOperation(verb, op); err != nil {
				return nil, fmt.Errorf("openapidoc: %s %s: %w", verb, path, err)
			}
		}
	}
	return json.MarshalIndent(&doc, "", "  ")
}

// Method returns the full gRPC method name of an operation, from the
// operation id the generator writes: "ProducerService_GetProducer", with a
// digit appended for an additional binding ("..._CheckReadiness2").
func Method(operationID string) string {
	svc, name, _ := strings.Cut(operationID, "_")
	return "/" + protoPackage + "." + svc + "/" + strings.TrimRight(name, "0123456789")
}

func finishOperation(verb string, op *openapi2.Operation) error {
	method := Method(op.OperationID)
	open, err := policy.OpenToAnonymous(method)
	if err != nil {
		return err
	}
	if open {
		// An empty requirement makes the token optional.
		op.Security = &openapi2.SecurityRequirements{{Bearer: {}}, {}}
		op.Description = addLine(op.Description, "Anonymous callers may call this; a bearer token may show more.")
	} else {
		op.Security = &openapi2.SecurityRequirements{{Bearer: {}}}
		op.Description = addLine(op.Description, "Needs a bearer token.")
	}
	for code, text := range errorResponses {
		op.Responses.Set(code, &openapi2.Response{
			Description: text,
			Schema:      &openapi2.SchemaRef{Ref: "#/definitions/Status"},
		})
	}
	if verb == "PATCH" {
		return partialBody(op)
	}
	return nil
}

// partialBody lets a PATCH body carry only the fields to change: the
// resource's required fields are required when it is created, not in an
// update, where the gateway derives the update mask from the fields sent.
func partialBody(op *openapi2.Operation) error {
	for _, p := range op.Parameters {
		if p.In != "body" {
			continue
		}
		if p.Schema == nil || p.Schema.Value == nil {
			return fmt.Errorf("PATCH body %q is not an inline schema", p.Name)
		}
		p.Schema.Value.Required = nil
		p.Description = addLine(p.Description, "Only the fields sent (or named in updateMask) change.")
		return nil
	}
	return fmt.Errorf("PATCH without a body")
}

func addLine(text, line string) string {
	if text == "" {
		return line
	}
	return text + "\n\n" + line
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// renamePathParams names each path parameter after the variable in the
// resource pattern ("matches/{match}"): the generator derives names by
// dropping a trailing "s" from the collection, which makes "{matche}".
func renamePathParams(doc *openapi2.T) error {
	vars, err := patternVariables()
	if err != nil {
		return err
	}
	renamed := make(map[string]*openapi2.PathItem, len(doc.Paths))
	for _, path := range slices.Sorted(maps.Keys(doc.Paths)) {
		item := doc.Paths[path]
		segs := strings.Split(path, "/")
		rename := map[string]string{}
		for i := 1; i < len(segs); i++ {
			m := pathParam.FindStringSubmatchIndex(segs[i])
			if m == nil {
				continue
			}
			old := segs[i][m[2]:m[3]]
			want, ok := vars[segs[i-1]]
			if !ok || want == old {
				continue
			}
			rename[old] = want
			segs[i] = segs[i][:m[2]] + want + segs[i][m[3]:]
		}
		newPath := strings.Join(segs, "/")
		inPath := map[string]bool{}
		for _, m := range pathParam.FindAllStringSubmatch(newPath, -1) {
			inPath[m[1]] = true
		}
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if to, ok := rename[p.Name]; ok && p.In == "path" {
					p.Name = to
				}
			}
			// A singleton's name ("exchangeRates") is a fixed segment:
			// the generator still declares it as a parameter that no
			// template variable takes.
			op.Parameters = slices.DeleteFunc(op.Parameters, func(p *openapi2.Parameter) bool {
				return p.In == "path" && !inPath[p.Name]
			})
		}
		if _, dup := renamed[newPath]; dup {
			return fmt.Errorf("openapidoc: renaming parameters makes %s twice", newPath)
		}
		renamed[newPath] = item
	}
	doc.Paths = renamed
	return nil
}

// patternVariables maps each collection id of the resource patterns of
// protoPackage to its variable, in lower camel case as the JSON names are:
// "buyingRequests" -> "buyingRequest", "matches" -> "match".
func patternVariables() (map[string]string, error) {
	vars := map[string]string{}
	var err error
	protoregistry.GlobalFiles.RangeFilesByPackage(protoPackage, func(fd protoreflect.FileDescriptor) bool {
		for i := 0; i < fd.Messages().Len(); i++ {
			md := fd.Messages().Get(i)
			res, _ := proto.GetExtension(md.Options(), annotations.E_Resource).(*annotations.ResourceDescriptor)
			for _, pattern := range res.GetPattern() {
				segs := strings.Split(pattern, "/")
				for j := 0; j+1 < len(segs); j += 2 {
					v := strings.Trim(segs[j+1], "{}")
					if prev, ok := vars[segs[j]]; ok && prev != camel(v) {
						err = fmt.Errorf("openapidoc: collection %q has variables %q and %q", segs[j], prev, v)
						return false
					}
					vars[segs[j]] = camel(v)
				}
			}
		}
		return true
	})
	if len(vars) == 0 && err == nil {
		err = fmt.Errorf("openapidoc: no resource patterns found in %s", protoPackage)
	}
	return vars, err
}

// camel turns "buying_request" into "buyingRequest".
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// ToV3 converts a finished OpenAPI v2 document (JSON) to OpenAPI 3.0.
func ToV3(v2 []byte) ([]byte, error) {
	var doc2 openapi2.T
	if err := json.Unmarshal(v2, &doc2); err != nil {
		return nil, fmt.Errorf("openapidoc: read the v2 document: %w", err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return nil, fmt.Errorf("openapidoc: convert to OpenAPI 3: %w", err)
	}
	// OpenAPI 3 can say what v2 could only approximate with an API key.
	scheme := openapi3.NewJWTSecurityScheme()
	scheme.Description = doc2.SecurityDefinitions[Bearer].Description
	doc3.Components.SecuritySchemes[Bearer] = &openapi3.SecuritySchemeRef{Value: scheme}
	return json.MarshalIndent(doc3, "", "  ")
}
