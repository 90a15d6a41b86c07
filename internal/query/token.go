package query

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"sort"
)

// Page tokens are opaque to callers: base64url of a small JSON object with the
// name of the last item returned (keyset paging, so pages stay stable while
// items are added, unlike skip/offset) and a fingerprint of the query that
// produced it, so a token cannot be replayed against another filter or parent.
type pageToken struct {
	After string `json:"a"`
	Query string `json:"q"`
}

// Fingerprint identifies a list query: method, parent and filter.
func Fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
}

// EncodePageToken returns the token for the page after the item named after.
func EncodePageToken(after, fingerprint string) string {
	b, _ := json.Marshal(pageToken{After: after, Query: fingerprint})
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodePageToken returns the name of the last item of the previous page. An
// empty token means the first page.
func DecodePageToken(token, fingerprint string) (string, error) {
	if token == "" {
		return "", nil
	}
	if len(token) > 1024 {
		return "", errorf("page_token is not a token this service issued")
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", errorf("page_token is not a token this service issued")
	}
	var t pageToken
	if err := json.Unmarshal(b, &t); err != nil || t.After == "" {
		return "", errorf("page_token is not a token this service issued")
	}
	if t.Query != fingerprint {
		return "", errorf("page_token belongs to a different query; keep parent and filter unchanged while paging")
	}
	return t.After, nil
}

func sortStrings(s []string) { sort.Strings(s) }
