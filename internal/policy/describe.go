package policy

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

// Methods lists the methods that have a row in the table, sorted.
func Methods() []string {
	ms := make([]string, 0, len(table))
	for m := range table {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	return ms
}

// OpenToAnonymous reports whether a caller without a token may call method
// at all (on public resources: an active listing, a producer profile). The
// OpenAPI document marks such operations as taking an optional bearer token
// and every other one as requiring it.
//
// The answer comes from the table itself rather than from a second list: it
// asks Authorize for an anonymous caller with an empty request of the
// method's type, in a world where every listing is active and every buying
// request open, and reads anything but UNAUTHENTICATED as "open".
func OpenToAnonymous(method string) (bool, error) {
	if !Known(method) {
		return false, fmt.Errorf("policy: %s has no row in the table", method)
	}
	req, err := emptyRequest(method)
	if err != nil {
		return false, err
	}
	err = New(openWorld{}).Authorize(context.Background(), auth.Anonymous(), method, req)
	return status.Code(err) != codes.Unauthenticated, nil
}

// emptyRequest returns a new, empty request message of a method given as
// "/package.Service/Method".
func emptyRequest(method string) (any, error) {
	svc, name, ok := strings.Cut(strings.TrimPrefix(method, "/"), "/")
	if !ok {
		return nil, fmt.Errorf("policy: malformed method name %q", method)
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(protoreflect.FullName(svc))
	if err != nil {
		return nil, fmt.Errorf("policy: service of %s: %w", method, err)
	}
	sd, ok := d.(protoreflect.ServiceDescriptor)
	if !ok || sd.Methods().ByName(protoreflect.Name(name)) == nil {
		return nil, fmt.Errorf("policy: no method %s", method)
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(sd.Methods().ByName(protoreflect.Name(name)).Input().FullName())
	if err != nil {
		return nil, fmt.Errorf("policy: request type of %s: %w", method, err)
	}
	return mt.New().Interface(), nil
}

// openWorld is the most permissive state of stored data: what is public is
// visible, and nobody is a party of any match.
type openWorld struct{}

func (openWorld) ListingState(context.Context, string) (pb.Listing_State, error) {
	return pb.Listing_ACTIVE, nil
}

func (openWorld) BuyingRequestState(context.Context, string) (pb.BuyingRequest_State, error) {
	return pb.BuyingRequest_OPEN, nil
}

func (openWorld) MatchParties(context.Context, string) (string, []string, error) {
	return "", nil, nil
}
