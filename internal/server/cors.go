package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/rs/cors"
)

// corsMaxAge is how long browsers may cache a preflight answer (seconds).
const corsMaxAge = 10 * 60

// withCORS lets browser pages from the given origins call h cross-origin.
// With no origins it returns h itself: no CORS headers are sent, and
// browsers keep cross-origin pages from reading our responses.
//
// origins come from parseOrigins: exact "scheme://host[:port]" values, or
// the single value "*" for any origin. Credentials (cookies, TLS client
// certificates) are not allowed; callers authenticate with a bearer token in
// the Authorization header, which the allow-list permits. Retry-After is
// exposed so a page can honour a 429.
//
// Preflight requests (OPTIONS with Access-Control-Request-Method) are
// answered here and never reach h. Wrap the outermost handler, so that the
// error responses h writes (429, 401, ...) carry the CORS headers too;
// without them a page cannot read why its request failed.
//
// CORS is not access control: a request from an origin not on the list is
// still served (without CORS headers); only the browser hides the answer.
func withCORS(h http.Handler, origins []string) http.Handler {
	if len(origins) == 0 {
		return h
	}
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete},
		AllowedHeaders:   []string{"Authorization", "Content-Type"},
		ExposedHeaders:   []string{"Retry-After"},
		MaxAge:           corsMaxAge,
		AllowCredentials: false,
	}).Handler(h)
}

// parseOrigins reads a comma-separated CORS allow-list. Each entry is an
// origin as browsers send it in the Origin header, scheme://host[:port]
// with scheme http or https and nothing after the host or port, e.g.
// "https://app.example.com" or "http://localhost:5173". Alternatively the
// whole list is the single value "*": any origin.
//
// Entries are normalised the way browsers serialise origins, so they match
// the Origin header exactly: scheme and host in lower case, the default
// port (443 for https, 80 for http) dropped, duplicates removed. A blank
// list returns nil (CORS off). Anything else is an error naming the entry:
// paths (including a trailing "/"), queries, user info, wildcards in the
// host, "null", non-ASCII host names (use the xn-- form).
func parseOrigins(csv string) ([]string, error) {
	if strings.TrimSpace(csv) == "" {
		return nil, nil
	}
	entries := strings.Split(csv, ",")
	var origins []string
	for i, raw := range entries {
		entry := strings.TrimSpace(raw)
		if entry == "" {
			return nil, fmt.Errorf("CORS origins: entry %d of %d is empty", i+1, len(entries))
		}
		if entry == "*" {
			if len(entries) != 1 {
				return nil, fmt.Errorf(`CORS origins: "*" allows every origin and must be the only entry`)
			}
			return []string{"*"}, nil
		}
		origin, err := parseOrigin(entry)
		if err != nil {
			return nil, fmt.Errorf("CORS origin %q: %w", entry, err)
		}
		if !slices.Contains(origins, origin) {
			origins = append(origins, origin)
		}
	}
	return origins, nil
}

// parseOrigin checks and normalises one origin; errors do not repeat it.
func parseOrigin(s string) (string, error) {
	const form = "want scheme://host[:port], e.g. https://app.example.com"
	for _, r := range s {
		if r > 0x7e || r < 0x21 {
			return "", fmt.Errorf("contains %q; write non-ASCII host names in their xn-- form", r)
		}
	}
	if strings.Contains(s, "*") {
		return "", fmt.Errorf(`wildcards are not supported; list each origin, or use "*" alone for any origin`)
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.Host == "" {
		return "", fmt.Errorf("not an origin; %s", form)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("scheme must be http or https; %s", form)
	}
	if u.User != nil {
		return "", fmt.Errorf("user info is not part of an origin; %s", form)
	}
	if u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.HasSuffix(s, "#") {
		return "", fmt.Errorf("has a path, query or fragment; an origin ends after the host or port: %s://%s", scheme, strings.ToLower(u.Host))
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", fmt.Errorf("no host; %s", form)
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	port := u.Port()
	if port == "" && strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("empty port; %s", form)
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("port %q is not a number from 1 to 65535", port)
		}
		if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
			port = "" // browsers leave the default port out of Origin
		} else {
			port = strconv.Itoa(n)
		}
	}
	if port != "" {
		return scheme + "://" + host + ":" + port, nil
	}
	return scheme + "://" + host, nil
}
