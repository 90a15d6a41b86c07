package server

import (
	"net/http"

	"github.com/adiekspor/temubisnis/gen/openapiv2"
	"github.com/adiekspor/temubisnis/gen/openapiv3"
)

// The OpenAPI documents are finished at build time (package openapidoc:
// security from the policy table, error responses, partial PATCH bodies)
// and embedded; the server serves them as they are.

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiv2.Document)
}

func serveOpenAPIv3(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(openapiv3.Document)
}
