package server

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/adiekspor/temubisnis/gen/openapiv2"
)

// openAPIDoc is the generated document completed with what the generator
// cannot know from the protos alone: the service's name and version, and
// the bearer token scheme (optional per call: anonymous callers may use the
// public methods; the README's access table says which).
var openAPIDoc = sync.OnceValues(func() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(openapiv2.Document, &doc); err != nil {
		return nil, err
	}
	doc["info"] = map[string]any{
		"title":   "temubisnis API",
		"version": "v1",
		"description": "Business matching between export producers of Kabupaten Blitar and foreign buyers (Adi Ekspor). " +
			"Send `Authorization: Bearer <JWT>`; anonymous callers may search, read active listings, public producer profiles, " +
			"exchange rates, the requirement catalogue and readiness checks. 401 means a missing or bad token, 403 a caller that may not do this, " +
			"404 also a resource the caller may not see, 429 a rate limit (see Retry-After) or a full quota of open match proposals.",
	}
	doc["securityDefinitions"] = map[string]any{
		"bearer": map[string]any{
			"type": "apiKey", "in": "header", "name": "Authorization",
			"description": "A JWT as `Bearer <token>`, from the identity provider (or `temubisnis token` for local use).",
		},
	}
	// An empty requirement makes the token optional, as it is for the
	// public methods.
	doc["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{}}
	return json.Marshal(doc)
})

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	doc, err := openAPIDoc()
	if err != nil {
		http.Error(w, "OpenAPI document unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(doc)
}
