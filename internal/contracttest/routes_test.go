package contracttest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/adiekspor/temubisnis/gen/openapiv3"
)

// TestEveryOperationIsRouted sends one request per operation of the
// document, its path variables filled with made-up ids, and checks that the
// server routes it: the answer may refuse the caller or not find the
// resource, but never says that no route matched. The document's expanded
// paths ("/v1/producers/{producer}/listings/{listing}") must stay exactly
// the URLs the gateway serves.
func TestEveryOperationIsRouted(t *testing.T) {
	t.Parallel()
	baseURL, _ := server(t)
	doc, err := openapi3.NewLoader().LoadFromData(openapiv3.Document)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			n++
			url := baseURL + templateVar.ReplaceAllString(path, "x1")
			var body io.Reader
			if method == http.MethodPost || method == http.MethodPatch {
				body = strings.NewReader("{}")
			}
			req, err := http.NewRequestWithContext(context.Background(), method, url, body)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var st struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			_ = json.Unmarshal(raw, &st)
			// The gateway answers an unrouted request with 404 "Not Found"
			// (or 405 for a known path and another method); the services
			// word their NOT_FOUND after the resource.
			if (resp.StatusCode == http.StatusNotFound && st.Message == "Not Found") || resp.StatusCode == http.StatusMethodNotAllowed || resp.StatusCode >= 500 {
				t.Errorf("%s %s: HTTP %d %s", method, path, resp.StatusCode, raw)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d operations", n)
	}
}
