// Package web is the web app for buyers, producers and the trade office:
// server-rendered HTML pages in five languages, served by the same binary as
// the API at "/" on the HTTP port.
//
// Every page reads and writes through the API (the server's own gRPC
// connection, so each call passes the same interceptors as a REST or gRPC
// call: identity, rate limits, the policy table, the audit trail), with the
// signed-in person's bearer token. The package never touches the store.
package web

import (
	"context"
	"crypto/ed25519"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/klauspost/compress/gzhttp"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

// Options configures the web app.
type Options struct {
	// Conn reaches the API (the server's own gRPC connection).
	Conn grpc.ClientConnInterface
	// Metadata is what every API call of a page carries besides the token:
	// the server's proof that the call comes from its HTTP side, and the
	// browser's address.
	Metadata func(*http.Request) metadata.MD
	// Verifier tells who a token belongs to (the API's own verifier).
	Verifier interface {
		Verify(token string) (auth.Principal, error)
	}
	// DemoKey, when set, offers the demo sign-in: the visitor picks an
	// account and the server signs a token for it with this key (the local
	// development key; never set with an identity provider).
	DemoKey  ed25519.PrivateKey
	Issuer   string
	Audience string
	// OIDC, when set, signs people in at the identity provider.
	OIDC *OIDCConfig
	// Secure marks cookies Secure (the site is served over HTTPS).
	Secure bool
	// SessionTTL bounds a session (and a demo token's lifetime).
	SessionTTL time.Duration
	// MaxBodyBytes bounds a form post.
	MaxBodyBytes int64
	Log          *slog.Logger
}

// Web is the web app's HTTP handler.
type Web struct {
	opts     Options
	log      *slog.Logger
	mux      *http.ServeMux
	cop      *http.CrossOriginProtection
	handler  http.Handler
	pages    map[string]*template.Template
	sessions *sessions
	secure   bool
	oidc     *oidcClient

	search    pb.SearchServiceClient
	producers pb.ProducerServiceClient
	buyers    pb.BuyerServiceClient
	matches   pb.MatchServiceClient
	reqs      pb.RequirementServiceClient
	audit     pb.AuditServiceClient
	quotes    pb.QuoteServiceClient
	stats     pb.StatisticsServiceClient
	// notifications is the inbox.
	notifications pb.NotificationServiceClient
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// New builds the web app.
func New(ctx context.Context, opts Options) (*Web, error) {
	if opts.Conn == nil || opts.Metadata == nil || opts.Verifier == nil {
		return nil, errors.New("web: Conn, Metadata and Verifier are required")
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 8 * time.Hour
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	w := &Web{
		opts:          opts,
		log:           opts.Log,
		sessions:      newSessions(100_000),
		secure:        opts.Secure,
		search:        pb.NewSearchServiceClient(opts.Conn),
		producers:     pb.NewProducerServiceClient(opts.Conn),
		buyers:        pb.NewBuyerServiceClient(opts.Conn),
		matches:       pb.NewMatchServiceClient(opts.Conn),
		reqs:          pb.NewRequirementServiceClient(opts.Conn),
		audit:         pb.NewAuditServiceClient(opts.Conn),
		quotes:        pb.NewQuoteServiceClient(opts.Conn),
		stats:         pb.NewStatisticsServiceClient(opts.Conn),
		notifications: pb.NewNotificationServiceClient(opts.Conn),
	}
	var err error
	if w.pages, err = parsePages(); err != nil {
		return nil, err
	}
	if opts.OIDC != nil {
		if w.oidc, err = newOIDCClient(ctx, *opts.OIDC); err != nil {
			return nil, err
		}
	}
	w.routes()
	// Cross-origin form posts are refused by the browser's own Fetch
	// metadata (Sec-Fetch-Site, Origin) before any handler runs.
	w.cop = http.NewCrossOriginProtection()
	w.cop.SetDenyHandler(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		p, cancel := w.newPageCtx(rw, r)
		defer cancel()
		w.fail(p, errCSRF)
	}))
	// Pages and the stylesheet go out compressed: a cheap phone on a slow
	// connection is the case to serve.
	w.handler = gzhttp.GzipHandler(w.cop.Handler(w.mux))
	return w, nil
}

// ServeHTTP serves the pages. Cross-origin form posts are refused by the
// browser's own Fetch metadata before any handler runs, and each form also
// carries its session's CSRF token.
func (w *Web) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	rw.Header().Set("Referrer-Policy", "same-origin")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(rw, r.Body, w.opts.MaxBodyBytes)
	}
	// Text that is not UTF-8 cannot become a protobuf string: refused here
	// with a page, before any API call would fail on it.
	if !utf8.ValidString(r.URL.Path) || !validValues(r.URL.Query()) {
		p, cancel := w.newPageCtx(rw, r)
		defer cancel()
		w.fail(p, errBadText)
		return
	}
	w.handler.ServeHTTP(rw, r)
}

// validValues reports whether every key and value is UTF-8.
func validValues(v url.Values) bool {
	for k, vs := range v {
		if !utf8.ValidString(k) {
			return false
		}
		for _, s := range vs {
			if !utf8.ValidString(s) {
				return false
			}
		}
	}
	return true
}

func (w *Web) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	fileServer := http.FileServer(http.FS(static))
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(24*time.Hour, fileServer)))
	m.HandleFunc("GET /{$}", w.page(w.searchPage))
	m.HandleFunc("GET /producers/{producer}", w.page(w.producerPage))
	m.HandleFunc("GET /producers/{producer}/listings/{listing}", w.page(w.listingPage))
	m.HandleFunc("GET /signin", w.page(w.signinPage))
	m.HandleFunc("POST /signin", w.form(w.signinPost))
	m.HandleFunc("GET /signin/callback", w.page(w.oidcCallback))
	m.HandleFunc("POST /signout", w.form(w.signoutPost))

	// Buyers (and the trade office, brokering).
	m.HandleFunc("GET /requests", w.signedIn(w.requestsPage))
	m.HandleFunc("GET /requests/new", w.signedIn(w.requestFormPage))
	m.HandleFunc("POST /requests/new", w.signedInForm(w.requestFormPost))
	m.HandleFunc("GET /buyers/{buyer}/buyingRequests/{request}", w.signedIn(w.requestPage))
	m.HandleFunc("GET /buyers/{buyer}/buyingRequests/{request}/edit", w.signedIn(w.requestEditPage))
	m.HandleFunc("POST /buyers/{buyer}/buyingRequests/{request}/edit", w.signedInForm(w.requestFormPost))
	m.HandleFunc("POST /buyers/{buyer}/buyingRequests/{request}/propose", w.signedInForm(w.proposePost))
	m.HandleFunc("POST /buyers/{buyer}/buyingRequests/{request}/quote", w.signedInForm(w.quotePost))
	m.HandleFunc("POST /buyers/{buyer}/buyingRequests/{request}/quotes/{quote}/{action}", w.signedInForm(w.quoteDecisionPost))
	m.HandleFunc("POST /buyers/{buyer}/buyingRequests/{request}/close", w.signedInForm(w.closeRequestPost))
	m.HandleFunc("GET /inbox", w.signedIn(w.inboxPage))
	m.HandleFunc("POST /inbox/{notification}/read", w.signedInForm(w.inboxReadPost))
	m.HandleFunc("GET /matches", w.signedIn(w.matchesPage))
	m.HandleFunc("GET /matches/{match}", w.signedIn(w.matchPage))
	m.HandleFunc("POST /matches/{match}/{action}", w.signedInForm(w.matchAnswerPost))

	// Producers.
	m.HandleFunc("GET /dashboard", w.signedIn(w.dashboardPage))
	m.HandleFunc("GET /profile", w.signedIn(w.profilePage))
	m.HandleFunc("POST /profile", w.signedInForm(w.profilePost))
	m.HandleFunc("GET /producers/{producer}/listings/new", w.signedIn(w.listingFormPage))
	m.HandleFunc("POST /producers/{producer}/listings/new", w.signedInForm(w.listingFormPost))
	m.HandleFunc("GET /producers/{producer}/listings/{listing}/edit", w.signedIn(w.listingFormPage))
	m.HandleFunc("POST /producers/{producer}/listings/{listing}/edit", w.signedInForm(w.listingFormPost))
	m.HandleFunc("POST /producers/{producer}/listings/{listing}/state", w.signedInForm(w.listingStatePost))
	m.HandleFunc("GET /producers/{producer}/listings/{listing}/readiness", w.signedIn(w.readinessPage))

	// The trade office.
	m.HandleFunc("GET /office", w.signedIn(w.officePage))
	m.HandleFunc("POST /office/verify", w.signedInForm(w.verifyPost))
	m.HandleFunc("GET /office/audit", w.signedIn(w.auditPage))
	m.HandleFunc("GET /office/training", w.signedIn(w.trainingPage))
	m.HandleFunc("GET /office/statistics", w.signedIn(w.statisticsPage))
	m.HandleFunc("GET /office/statistics.csv", w.signedIn(w.statisticsCSV))
	m.HandleFunc("GET /office/charts/{chart}", w.signedIn(w.chartImage))

	m.HandleFunc("/", w.page(func(p *pageCtx) error { return errNotFound }))
	w.mux = m
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "public, max-age="+strconv.FormatInt(int64(d.Seconds()), 10))
		h.ServeHTTP(rw, r)
	})
}

// pageCtx is one request to a page: who asks, in which language, and the
// means to call the API as them and to answer.
type pageCtx struct {
	w       *Web
	rw      http.ResponseWriter
	r       *http.Request
	sess    *session
	expired bool
	lang    language.Tag
	print   *message.Printer
	csrf    string
	ctx     context.Context
	// status, when set, is the status of the page rendered (a form shown
	// again with its messages is a 400).
	status int
	// quoteForm and quoteErrors carry a refused quote back into the
	// request page.
	quoteForm   *quoteForm
	quoteErrors map[string]string
}

// api returns a context for API calls as the signed-in person (or
// anonymous).
func (p *pageCtx) api() context.Context { return p.ctx }

// T translates a message key (its English text) into the page's language.
func (p *pageCtx) T(key string, args ...any) string { return p.print.Sprintf(key, args...) }

// role is the signed-in person's role, anonymous when nobody is.
func (p *pageCtx) role() auth.Role {
	if p.sess == nil {
		return auth.RoleAnonymous
	}
	return p.sess.principal.Role
}

func (w *Web) newPageCtx(rw http.ResponseWriter, r *http.Request) (*pageCtx, context.CancelFunc) {
	p := &pageCtx{w: w, rw: rw, r: r}
	if c, err := r.Cookie(w.sessionCookieName()); err == nil {
		p.sess, p.expired = w.sessions.get(c.Value)
		if p.expired {
			w.setCookie(rw, w.sessionCookieName(), "", -1)
		}
	}
	roleDefault := language.Und
	if p.sess != nil && (p.sess.principal.Role == auth.RoleProducer || p.sess.principal.Role == auth.RoleTradeOffice) {
		roleDefault = langID
	}
	var explicit bool
	p.lang, explicit = pickLanguage(r, roleDefault)
	if explicit {
		w.setCookie(rw, langCookie, p.lang.String(), 365*24*time.Hour)
	}
	p.print = printer(p.lang)
	md := w.opts.Metadata(r).Copy()
	if p.sess != nil {
		md.Set("authorization", "Bearer "+p.sess.token)
	}
	ctx, cancel := context.WithTimeout(r.Context(), 15*time.Second)
	p.ctx = metadata.NewOutgoingContext(ctx, md)
	return p, cancel
}

// page wraps a GET handler: it renders what the handler renders, or the
// error page for what it returns.
func (w *Web) page(h func(*pageCtx) error) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		p, cancel := w.newPageCtx(rw, r)
		defer cancel()
		p.csrf = w.csrfToken(rw, r, p.sess)
		if err := h(p); err != nil {
			w.fail(p, err)
		}
	}
}

// signedIn wraps a page that needs a signed-in person.
func (w *Web) signedIn(h func(*pageCtx) error) http.HandlerFunc {
	return w.page(func(p *pageCtx) error {
		if p.sess == nil {
			return errSignIn
		}
		return h(p)
	})
}

// form wraps a POST handler: the CSRF token must match before anything
// else happens.
func (w *Web) form(h func(*pageCtx) error) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		p, cancel := w.newPageCtx(rw, r)
		defer cancel()
		if err := r.ParseForm(); err != nil {
			w.fail(p, errBadForm)
			return
		}
		if !validValues(r.PostForm) {
			w.fail(p, errBadText)
			return
		}
		if !w.checkCSRF(r, p.sess) {
			if p.expired {
				w.fail(p, errSignIn)
				return
			}
			w.fail(p, errCSRF)
			return
		}
		p.csrf = w.csrfToken(rw, r, p.sess)
		if err := h(p); err != nil {
			w.fail(p, err)
		}
	}
}

func (w *Web) signedInForm(h func(*pageCtx) error) http.HandlerFunc {
	return w.form(func(p *pageCtx) error {
		if p.sess == nil {
			return errSignIn
		}
		return h(p)
	})
}

// redirect answers a successful form post with a 303 to a page.
func (p *pageCtx) redirect(to string) error {
	http.Redirect(p.rw, p.r, to, http.StatusSeeOther)
	return nil
}

// langLink is the current URL with another language chosen.
func (p *pageCtx) langLink(tag string) string {
	u := *p.r.URL
	q := u.Query()
	q.Set("lang", tag)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// isFirm reports whether the signed-in person acts for resource (its own
// producer or buyer). The API decides what is allowed; pages use this only
// to show the right buttons and to open no form that would be refused.
func (p *pageCtx) isFirm(resource string) bool {
	return p.sess != nil && p.sess.principal.Resource != "" && p.sess.principal.Resource == resource
}

func (p *pageCtx) isOffice() bool { return p.role() == auth.RoleTradeOffice }

// lastSegment is the id part of a resource name.
func lastSegment(name string) string {
	return name[strings.LastIndexByte(name, '/')+1:]
}
