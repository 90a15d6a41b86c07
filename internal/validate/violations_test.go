package validate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestViolationsEmpty(t *testing.T) {
	var v Violations
	if v.Len() != 0 || len(v.List()) != 0 {
		t.Errorf("zero Violations has Len %d and List %v", v.Len(), v.List())
	}
	if err := v.Err(); err != nil {
		t.Errorf("Err() = %v, want nil", err)
	}
}

func TestViolationsErr(t *testing.T) {
	var v Violations
	v.Add("producer.district", `"Ngelgok" is not a kecamatan of Kabupaten Blitar`)
	v.Addf("producer.contact.phone", "%q is not in E.164 form", "0812")
	v.Add("producer.kind", "is required")
	if v.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", v.Len())
	}

	err := v.Err()
	s, ok := status.FromError(err)
	if !ok {
		t.Fatalf("Err() = %v, not a gRPC status", err)
	}
	if s.Code() != codes.InvalidArgument {
		t.Errorf("code = %v, want InvalidArgument", s.Code())
	}
	wantMsg := `invalid producer.district: "Ngelgok" is not a kecamatan of Kabupaten Blitar (and 2 more: producer.contact.phone, producer.kind)`
	if s.Message() != wantMsg {
		t.Errorf("message = %q, want %q", s.Message(), wantMsg)
	}

	details := s.Details()
	if len(details) != 1 {
		t.Fatalf("got %d details, want 1 BadRequest: %v", len(details), details)
	}
	br, ok := details[0].(*errdetails.BadRequest)
	if !ok {
		t.Fatalf("detail is %T, want *errdetails.BadRequest", details[0])
	}
	want := &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
		{Field: "producer.district", Description: `"Ngelgok" is not a kecamatan of Kabupaten Blitar`},
		{Field: "producer.contact.phone", Description: `"0812" is not in E.164 form`},
		{Field: "producer.kind", Description: "is required"},
	}}
	if diff := cmp.Diff(want, br, protocmp.Transform()); diff != "" {
		t.Errorf("BadRequest (-want +got):\n%s", diff)
	}
}

func TestViolationsErrFromValidation(t *testing.T) {
	p := djembeMaker()
	p.District = "Ngelgok"
	var v Violations
	ProducerAt(&v, "producer", p, testNow)
	s, _ := status.FromError(v.Err())
	if s.Code() != codes.InvalidArgument {
		t.Fatalf("code = %v, want InvalidArgument", s.Code())
	}
	if !strings.HasPrefix(s.Message(), `invalid producer.district: "Ngelgok" is not a kecamatan`) {
		t.Errorf("message = %q", s.Message())
	}
	if len(s.Message()) > 300 {
		t.Errorf("message is %d bytes long, want it short: %q", len(s.Message()), s.Message())
	}
	br := s.Details()[0].(*errdetails.BadRequest)
	if got := br.GetFieldViolations()[0].GetDescription(); !strings.Contains(got, "Wonotirto") {
		t.Errorf("the detail lost the full description: %q", got)
	}
}

func TestViolationsMessage(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		want   string
	}{
		{"one", []string{"a"}, "invalid a: bad"},
		{"no field", []string{""}, "invalid request: bad"},
		{"two", []string{"a", "b"}, "invalid a: bad (and 1 more: b)"},
		{"four", []string{"a", "b", "c", "d"}, "invalid a: bad (and 3 more: b, c, d)"},
		{"six", []string{"a", "b", "c", "d", "e", "f"}, "invalid a: bad (and 5 more: b, c, d, ...)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Violations
			for _, f := range tt.fields {
				v.Add(f, "bad")
			}
			if got := status.Convert(v.Err()).Message(); got != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestViolationsListIsACopy(t *testing.T) {
	var v Violations
	v.Add("a", "bad")
	l := v.List()
	l[0] = nil
	_ = append(l, &errdetails.BadRequest_FieldViolation{Field: "b"})
	if v.Len() != 1 || v.List()[0] == nil {
		t.Error("changing the result of List changed the Violations")
	}
}

func TestMapKeyPath(t *testing.T) {
	tests := map[string]string{
		"size_cm":   "attributes[size_cm]",
		"Wood":      "attributes[Wood]",
		"size cm":   `attributes["size cm"]`,
		"a]b":       `attributes["a]b"]`,
		"":          `attributes[""]`,
		"ukuran.cm": `attributes["ukuran.cm"]`,
	}
	for key, want := range tests {
		if got := mapKey("attributes", key); got != want {
			t.Errorf("mapKey(%q) = %q, want %q", key, got, want)
		}
	}
}
