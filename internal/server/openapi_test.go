package server

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
)

func TestOpenAPIDeclaresBearerTokens(t *testing.T) {
	rec := httptest.NewRecorder()
	serveOpenAPI(rec, httptest.NewRequest("GET", "/openapi.json", nil))
	var doc struct {
		Info                map[string]any            `json:"info"`
		SecurityDefinitions map[string]map[string]any `json:"securityDefinitions"`
		Security            []map[string]any          `json:"security"`
		Paths               map[string]any            `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Info["title"] != "temubisnis API" || doc.SecurityDefinitions["bearer"]["name"] != "Authorization" || len(doc.Security) != 2 {
		t.Errorf("info %v, security definitions %v, security %v", doc.Info, doc.SecurityDefinitions, doc.Security)
	}
	if len(doc.Paths) < 30 {
		t.Errorf("only %d paths survived", len(doc.Paths))
	}
}
