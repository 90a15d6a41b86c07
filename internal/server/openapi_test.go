package server

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

func TestOpenAPIDocumentsAreServed(t *testing.T) {
	for _, tc := range []struct {
		path    string
		serve   func(w *httptest.ResponseRecorder)
		version string
	}{
		{"/openapi.json", func(w *httptest.ResponseRecorder) {
			serveOpenAPI(w, httptest.NewRequest("GET", "/openapi.json", nil))
		}, "swagger"},
		{"/openapi.v3.json", func(w *httptest.ResponseRecorder) {
			serveOpenAPIv3(w, httptest.NewRequest("GET", "/openapi.v3.json", nil))
		}, "openapi"},
	} {
		rec := httptest.NewRecorder()
		tc.serve(rec)
		var doc map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		paths, _ := doc["paths"].(map[string]any)
		if doc[tc.version] == nil || len(paths) < 30 || rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: version field %q = %v, %d paths, content type %q", tc.path, tc.version, doc[tc.version], len(paths), rec.Header().Get("Content-Type"))
		}
	}
}
