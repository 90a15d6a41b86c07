package resttest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// TestInvoke checks what Invoke makes of the answers a gateway gives: a
// reply, an error status, and a body that is neither.
func TestInvoke(t *testing.T) {
	t.Parallel()
	var gotAuth, gotMethod, gotPath, gotBody string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotMethod, gotPath = r.Header.Get("Authorization"), r.Method, r.URL.Path
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		switch r.URL.Path {
		case "/v1/producers/p1/listings/ok:publish":
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"name":"producers/p1/listings/ok","state":"ACTIVE","etag":"e2"}`)
		case "/v1/producers/p1/listings/stale:publish":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			_, _ = io.WriteString(w, `{"code":10,"message":"changed meanwhile","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"ETAG_MISMATCH"}]}`)
		default:
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>proxy error</html>")
		}
	}))
	t.Cleanup(hs.Close)
	c := Client{BaseURL: hs.URL + "/", HTTP: hs.Client()}
	const publish = "/temubisnis.v1.ProducerService/PublishListing"

	var l pb.Listing
	if err := c.Invoke(t, publish, &pb.PublishListingRequest{Name: "producers/p1/listings/ok", Etag: "e1"}, &l, "tok"); err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	want := &pb.Listing{Name: "producers/p1/listings/ok", State: pb.Listing_ACTIVE, Etag: "e2"}
	if !proto.Equal(&l, want) {
		t.Errorf("reply %v, want %v", &l, want)
	}
	if gotMethod != http.MethodPost || gotPath != "/v1/producers/p1/listings/ok:publish" || gotBody != `{"etag":"e1"}` || gotAuth != "Bearer tok" {
		t.Errorf("sent %s %s %s with Authorization %q", gotMethod, gotPath, gotBody, gotAuth)
	}

	err := c.Invoke(t, publish, &pb.PublishListingRequest{Name: "producers/p1/listings/stale"}, &pb.Listing{}, "")
	if s := status.Convert(err); s.Code() != codes.Aborted || s.Message() != "changed meanwhile" || len(s.Details()) != 1 {
		t.Errorf("error answer: %v %v", s, s.Details())
	}
	if gotAuth != "" {
		t.Errorf("no token, but Authorization %q", gotAuth)
	}

	err = c.Invoke(t, publish, &pb.PublishListingRequest{Name: "producers/p1/listings/gone"}, &pb.Listing{}, "")
	if status.Code(err) != codes.Unknown {
		t.Errorf("a body that is no status: %v", err)
	}
	if code, body := c.Call(t, publish, &pb.PublishListingRequest{Name: "producers/p1/listings/gone"}, ""); code != http.StatusBadGateway || string(body) != "<html>proxy error</html>" {
		t.Errorf("Call: %d %s", code, body)
	}
}

// TestNewReply checks the reply type and that an unknown method is an error.
func TestNewReply(t *testing.T) {
	t.Parallel()
	m, err := NewReply("/temubisnis.v1.ProducerService/ListListings")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := m.(*pb.ListListingsResponse); !ok {
		t.Errorf("reply of ListListings is a %T", m)
	}
	if _, err := NewReply("/temubisnis.v1.ProducerService/Nope"); err == nil {
		t.Error("no error for a method that does not exist")
	}
}
