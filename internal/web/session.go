package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/adiekspor/temubisnis/internal/auth"
)

// A session is one signed-in person in one browser. The bearer token it holds
// never leaves the server: the browser has only the session's random id, in
// an HttpOnly cookie.
type session struct {
	id        string
	token     string
	principal auth.Principal
	// name is what the header shows: the firm's display name, or the role.
	name    string
	expires time.Time
	// csrf is the token every form of this session carries.
	csrf string
	// idToken is the identity provider's ID token, for its sign-out.
	idToken string
}

// sessions keeps sessions in memory. A restart signs everyone out, which is
// acceptable for a page that signs in again in one click; several replicas
// need sticky sessions or a shared store behind the same interface.
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	max int
	now func() time.Time
}

func newSessions(max int) *sessions {
	return &sessions{m: map[string]*session{}, max: max, now: time.Now}
}

// add stores a new session and returns it with its id and CSRF token set.
// When the store is full, expired sessions go first, then the one closest
// to its end.
func (s *sessions) add(sess *session) *session {
	sess.id = randomToken()
	sess.csrf = randomToken()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= s.max {
		now := s.now()
		var oldest *session
		for id, o := range s.m {
			if now.After(o.expires) {
				delete(s.m, id)
				continue
			}
			if oldest == nil || o.expires.Before(oldest.expires) {
				oldest = o
			}
		}
		if len(s.m) >= s.max && oldest != nil {
			delete(s.m, oldest.id)
		}
	}
	s.m[sess.id] = sess
	return sess
}

// get returns the live session with this id; expired reports a session that
// existed but has run out (the page then says so).
func (s *sessions) get(id string) (sess *session, expired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[id]
	if !ok {
		return nil, false
	}
	if s.now().After(sess.expires) {
		delete(s.m, id)
		return nil, true
	}
	return sess, false
}

func (s *sessions) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Cookie names. With TLS the session cookie takes the __Host- prefix, which
// browsers accept only from a secure origin, for the whole host, without a
// Domain attribute: no subdomain can plant or read it.
func (w *Web) sessionCookieName() string {
	if w.secure {
		return "__Host-tb_session"
	}
	return "tb_session"
}

func (w *Web) setCookie(rw http.ResponseWriter, name, value string, maxAge time.Duration) {
	c := &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		HttpOnly: true,
		Secure:   w.secure,
		SameSite: http.SameSiteLaxMode,
	}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge.Seconds())
	}
	http.SetCookie(rw, c)
}

// anonCSRFCookie carries the CSRF token of visitors who are not signed in
// (the sign-in form): the form must repeat the cookie's value.
const anonCSRFCookie = "tb_csrf"

// csrfToken is the token forms of this request carry, creating the
// anonymous one when needed.
func (w *Web) csrfToken(rw http.ResponseWriter, r *http.Request, sess *session) string {
	if sess != nil {
		return sess.csrf
	}
	if c, err := r.Cookie(anonCSRFCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	tok := randomToken()
	w.setCookie(rw, anonCSRFCookie, tok, 0)
	return tok
}

// checkCSRF reports whether a form post carries the right token.
func (w *Web) checkCSRF(r *http.Request, sess *session) bool {
	got := r.PostFormValue("csrf")
	want := ""
	if sess != nil {
		want = sess.csrf
	} else if c, err := r.Cookie(anonCSRFCookie); err == nil {
		want = c.Value
	}
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
