package grpcapi

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/validate"
)

func TestMaskPaths(t *testing.T) {
	patch := &pb.Producer{Name: "producers/a", District: "Garum", Contact: &pb.Contact{Phone: "+6281234567890"}, Etag: "v1"}
	tests := []struct {
		name   string
		mask   []string
		want   []string
		errors []string
	}{
		{"no mask: populated writable fields", nil, []string{"district", "contact"}, nil},
		{"json and proto names", []string{"workerCount", "contact.phone", "district"}, []string{"worker_count", "contact.phone", "district"}, nil},
		{"star", []string{"*"}, nil, nil},
		{"unknown field", []string{"colour"}, nil, []string{"update_mask.paths[0]"}},
		{"output only", []string{"district", "verification_state"}, []string{"district"}, []string{"update_mask.paths[1]"}},
		{"into a repeated field", []string{"certifications.type"}, nil, []string{"update_mask.paths[0]"}},
		{"into a scalar", []string{"district.name"}, nil, []string{"update_mask.paths[0]"}},
		{"star among others", []string{"district", "*"}, []string{"district"}, []string{"update_mask.paths[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v validate.Violations
			var mask *fieldmaskpb.FieldMask
			if tt.mask != nil {
				mask = &fieldmaskpb.FieldMask{Paths: tt.mask}
			}
			got := maskPaths(&v, mask, patch, producerOutputOnly)
			var fields []string
			for _, fv := range v.List() {
				fields = append(fields, fv.GetField())
			}
			if !slices.Equal(fields, tt.errors) {
				t.Fatalf("violations %v, want %v", fields, tt.errors)
			}
			if tt.name == "star" {
				if slices.Contains(got, "verification_state") || slices.Contains(got, "name") || !slices.Contains(got, "display_name") {
					t.Fatalf("* resolved to %v", got)
				}
				return
			}
			if tt.name == "no mask: populated writable fields" {
				slices.Sort(got)
				slices.Sort(tt.want)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("paths %v, want %v", got, tt.want)
			}
		})
	}
}

func TestApplyPaths(t *testing.T) {
	cur := &pb.Producer{Name: "producers/a", District: "Garum", Village: "Tingal", Contact: &pb.Contact{Phone: "+6281234567890", Email: "a@b.co"}, WorkerCount: 5}
	patch := &pb.Producer{Name: "producers/a", Contact: &pb.Contact{Phone: "+6285712345678"}, WorkerCount: 9}
	applyPaths(cur, patch, []string{"contact.phone", "village", "worker_count"})
	want := &pb.Producer{Name: "producers/a", District: "Garum", Contact: &pb.Contact{Phone: "+6285712345678", Email: "a@b.co"}, WorkerCount: 9}
	if !proto.Equal(cur, want) {
		t.Fatalf("got %v\nwant %v", cur, want)
	}
	// The patch's sub-messages are copied, not shared.
	patch.Contact.Phone = "changed"
	applyPaths(cur, &pb.Producer{Contact: &pb.Contact{Email: "x@y.co"}}, []string{"contact"})
	if cur.GetContact().GetPhone() != "" || cur.GetContact().GetEmail() != "x@y.co" {
		t.Fatalf("whole sub-message not replaced: %v", cur.GetContact())
	}
}

func TestNewIDAndSlug(t *testing.T) {
	cases := map[string]string{
		"Kendang Jaya Nglegok":  "kendang-jaya-nglegok",
		"  Café Über-Blitar!! ": "cafe-uber-blitar",
		"123 Koi":               "koi",
		"非洲鼓":                   "",
	}
	for in, want := range cases {
		if got := slug(in, 40); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	a := newID("Kendang Jaya", "producers", "req-1")
	if a != newID("Kendang Jaya", "producers", "req-1") {
		t.Fatal("the same request id gives different ids")
	}
	if a == newID("Kendang Jaya", "producers", "req-2") || a == newID("Kendang Jaya", "buyers", "req-1") {
		t.Fatal("different requests or parents share an id")
	}
	if newID("x", "p", "") == newID("x", "p", "") { //nolint:staticcheck // two calls, two random ids
		t.Fatal("random ids repeat")
	}
	for _, title := range []string{"Kendang Jaya", "非洲鼓", "", "9 drums"} {
		if id := newID(title, "p", ""); !validate.ResourceID(id) {
			t.Errorf("newID(%q) = %q is not a valid id", title, id)
		}
	}
}

func TestParseNames(t *testing.T) {
	good := []string{"producers/a", "producers/a-b/listings/c1", "buyers/x", "buyers/x/buyingRequests/y", "matches/m-1"}
	for _, n := range good {
		_, ok1 := parseProducerName(n)
		_, _, ok2 := parseListingName(n)
		_, ok3 := parseBuyerName(n)
		_, _, ok4 := parseBuyingRequestName(n)
		if parsed := ok1 || ok2 || ok3 || ok4 || parseMatchName(n); !parsed {
			t.Errorf("%q not parsed", n)
		}
	}
	for _, n := range []string{"", "producers/", "producers/A", "producers/a/", "producers//listings/x", "producers/a/listings", "producers/a/things/b", "buyers/x/buyingrequests/y", "producers/-", "producers/a/listings/b/c"} {
		_, ok1 := parseProducerName(n)
		_, _, ok2 := parseListingName(n)
		_, _, ok4 := parseBuyingRequestName(n)
		if ok1 || ok2 || ok4 {
			t.Errorf("%q accepted", n)
		}
	}
}
