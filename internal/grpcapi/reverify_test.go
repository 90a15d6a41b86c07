package grpcapi

import (
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// A renamed proto field must not silently switch re-review off.
func TestReviewedFieldsExist(t *testing.T) {
	for _, tc := range []struct {
		msg    proto.Message
		fields []protoreflect.Name
	}{
		{&pb.Producer{}, producerReviewed},
		{&pb.Buyer{}, buyerReviewed},
	} {
		fields := tc.msg.ProtoReflect().Descriptor().Fields()
		for _, f := range tc.fields {
			if fields.ByName(f) == nil {
				t.Errorf("%s has no field %q", tc.msg.ProtoReflect().Descriptor().FullName(), f)
			}
		}
	}
}
