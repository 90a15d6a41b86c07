package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/adiekspor/temubisnis/internal/app"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/testdb"
)

// TestMain lets 2 tests per CPU run at once (they mostly wait on the
// database and the browser), and stops the shared browser at the end.
func TestMain(m *testing.M) {
	testdb.ParallelPerCPU(2)
	code := testdb.Run(m)
	stopBrowser()
	os.Exit(code)
}

// site is one running service with the demo data, reached by a real browser.
type site struct {
	t    testing.TB
	base string
	app  *app.App
	// alloc is the browser; each person gets a browser context of its own.
	alloc   context.Context
	dataDir string
}

// chromiumPath finds Debian's chromium. Without it the browser tests are
// skipped loudly, unless TEMUBISNIS_REQUIRE_BROWSER is set (CI sets it),
// which turns the skip into a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("TEMUBISNIS_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "BROWSER TESTS NOT RUN: no Chromium found (apt-get install chromium, or set TEMUBISNIS_CHROMIUM)"
	if os.Getenv("TEMUBISNIS_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	fmt.Fprintln(os.Stderr, "\n*** "+msg+" ***")
	t.Skip(msg)
	return ""
}

// startSite starts the service and gives it the shared browser.
func startSite(t *testing.T, extra ...string) *site {
	t.Helper()
	browser := sharedBrowser(t)
	s := startApp(t, extra...)
	s.alloc = browser
	return s
}

// shared is the one Chromium of the test binary, started by the first
// browser test and stopped by TestMain. Tests share the process, not state:
// each person is a browser context of its own (its own cookies and
// storage, like an incognito window) on a service of the test's own.
var shared struct {
	once    sync.Once
	browser context.Context
	stop    func()
	dir     string
	err     error
}

// sharedBrowser returns the shared browser, starting it on first use. Without
// Chromium the test is skipped (or fails, see chromiumPath).
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	chromium := chromiumPath(t)
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "temubisnis-chromium-")
		if err != nil {
			shared.err = err
			return
		}
		shared.dir = dir
		alloc, allocCancel := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromium),
			chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.UserDataDir(dir),
			chromedp.WindowSize(1200, 900),
		)
		browser, browserCancel := chromedp.NewContext(alloc)
		shared.stop = func() {
			browserCancel()
			allocCancel()
		}
		// The first run starts the browser; people then get contexts of
		// their own in it.
		if err := chromedp.Do(browser); err != nil {
			shared.err = fmt.Errorf("start Chromium: %w", err)
			return
		}
		shared.browser = browser
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.browser
}

// stopBrowser stops the shared browser, if one was started, and removes its
// profile directory.
func stopBrowser() {
	if shared.stop != nil {
		shared.stop()
	}
	if shared.dir != "" {
		if err := os.RemoveAll(shared.dir); err != nil {
			fmt.Fprintln(os.Stderr, "remove the browser profile:", err)
		}
	}
}

// startApp starts the service on a fresh database with the demo data.
func startApp(t testing.TB, extra ...string) *site {
	t.Helper()
	dataDir := t.TempDir()
	cfg, err := config.Parse(append([]string{
		"-http-addr", "127.0.0.1:0", "-grpc-addr", "127.0.0.1:0",
		"-mongodb-uri", testdb.URI(t), "-database", testdb.New(t).Name(), "-seed", config.SeedDemo,
		"-data-dir", dataDir, "-rate-limit-address", "0", "-rate-limit-caller", "0",
		// The demo's deal history changes rankings the tests pin; the
		// statistics tests turn it on.
		"-demo-deals=false",
		// The notifier's rounds scan every collection; a test that needs
		// notifications runs a round itself.
		"-notify-interval", "0",
	}, extra...), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var logTo io.Writer = io.Discard
	if os.Getenv("TEMUBISNIS_TEST_LOG") != "" {
		logTo = os.Stderr
	}
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, cancel := context.WithCancel(context.Background())
	endStart := testdb.BeginStart()
	defer endStart()
	a, err := app.Start(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatalf("app.Start: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	if err := a.WaitLoaded(ctx); err != nil {
		cancel()
		t.Fatalf("catalogue load: %v", err)
	}
	endStart()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		a.Close()
	})
	return &site{t: t, base: "http://" + a.Server.HTTPAddr(), app: a, dataDir: dataDir}
}

// person is one browser profile (its own cookies), in a language.
type person struct {
	s   *site
	ctx context.Context
}

func (s *site) person(lang string) *person {
	s.t.Helper()
	ctx, cancel := chromedp.NewContext(s.alloc, chromedp.WithNewBrowserContext())
	s.t.Cleanup(cancel)
	ctx, cancel2 := context.WithTimeout(ctx, 90*time.Second)
	s.t.Cleanup(cancel2)
	p := &person{s: s, ctx: ctx}
	if lang != "" {
		p.run(chromedp.Navigate(s.base + "/?lang=" + lang))
	}
	return p
}

// navBy runs an action that loads a new page (a click on a link or a form
// button) and waits for that page's load event, so that the next query sees
// the new document, not the old one.
func navBy(a chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	wait := chromedp.WaitEvent(page.LoadEventFired, nil, a)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := wait(ctx, t)
		return chromedp.Void{}, err
	}
}

func (p *person) run(actions ...chromedp.Action[chromedp.Void]) {
	p.s.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.s.t.Fatalf("browser: %v", err)
	}
}

// signIn uses the demo sign-in: account is "trade_office", "producer|producers/x" or "buyer|buyers/x".
func (p *person) signIn(account string) {
	p.s.t.Helper()
	p.run(
		chromedp.Navigate(p.s.base+"/signin"),
		chromedp.WaitVisible(chromedp.CSS(`#account`)),
		chromedp.SetValue(chromedp.CSS(`#account`), account),
		navBy(chromedp.Click(chromedp.CSS(`main form button[type=submit]`))),
		chromedp.WaitVisible(chromedp.CSS(`header .who`)),
	)
}

func (p *person) text(sel string) string {
	p.s.t.Helper()
	s, err := chromedp.Run(p.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.s.t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return s
}

func (p *person) attr(sel, name string) string {
	p.s.t.Helper()
	r, err := chromedp.Run(p.ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		p.s.t.Fatalf("browser: attribute %s of %s: %v", name, sel, err)
	}
	return r.Value
}

func eval[T any](p *person, js string) T {
	p.s.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.s.t.Fatalf("browser: %s: %v", js, err)
	}
	return v
}

func (p *person) location() string {
	p.s.t.Helper()
	loc, err := chromedp.Run(p.ctx, chromedp.Location())
	if err != nil {
		p.s.t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		p.s.t.Fatal(err)
	}
	return u.Path
}

// TestBuyerSearchesInChineseAndOpensListing: a buyer searches 非洲鼓 in
// Chinese, sees djembe with prices in yuan, and opens a listing.
func TestBuyerSearchesInChineseAndOpensListing(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	b := s.person("zh-Hans")
	b.run(
		chromedp.Navigate(s.base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#q`)),
		chromedp.SendKeys(chromedp.CSS(`#q`), "非洲鼓"),
		navBy(chromedp.Submit(chromedp.CSS(`#q`))),
		chromedp.WaitVisible(chromedp.CSS(`article.hit`)),
	)
	if h := b.text(`main h1`); h != "寻找布利达的生产商" {
		t.Errorf("heading = %q, want the Chinese one", h)
	}
	summary := b.text(`.results .summary`)
	if !strings.Contains(summary, "找到") {
		t.Errorf("summary = %q, want Chinese", summary)
	}
	first := b.text(`article.hit h2 a`)
	if !strings.Contains(strings.ToLower(first), "djembe") {
		t.Errorf("first hit %q is not a djembe", first)
	}
	if price := b.text(`article.hit .price`); !strings.ContainsAny(price, "¥￥") {
		t.Errorf("price %q is not in yuan", price)
	}
	b.run(navBy(chromedp.Click(chromedp.CSS(`article.hit h2 a`))), chromedp.WaitVisible(chromedp.CSS(`dl.facts`)))
	if got := b.text(`main h1`); got != first {
		t.Errorf("listing page heading = %q, want %q", got, first)
	}
	if loc := b.location(); !strings.HasPrefix(loc, "/producers/") || !strings.Contains(loc, "/listings/") {
		t.Errorf("listing page at %q", loc)
	}
}

// TestRequestToConnectedMatch is the whole flow: a buyer posts a request,
// the trade office proposes the best listing, the producer (in
// Indonesian) and the buyer accept, and both see each other's contact.
func TestRequestToConnectedMatch(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	buyer := s.person("en")
	buyer.signIn("buyer|buyers/heartland-drum-supply")
	needed := time.Now().AddDate(0, 4, 0).Format("01022006") // typed into a date input as mmddyyyy
	buyer.run(
		chromedp.Navigate(s.base+"/requests/new"),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "400 djembe 40 cm for school programmes"),
		chromedp.SetValue(chromedp.CSS(`select[name=category]`), "MUSICAL_INSTRUMENT"),
		chromedp.SendKeys(chromedp.CSS(`input[name=quantity]`), "400"),
		chromedp.SendKeys(chromedp.CSS(`input[name=destination_country_code]`), "US"),
		chromedp.SendKeys(chromedp.CSS(`input[name=needed_by_date]`), needed),
		navBy(chromedp.Click(chromedp.CSS(`main form button[type=submit]`))),
		chromedp.WaitVisible(chromedp.CSS(`dl.facts`)),
	)
	requestPath := buyer.location()
	if !strings.HasPrefix(requestPath, "/buyers/heartland-drum-supply/buyingRequests/") {
		t.Fatalf("after posting, at %q", requestPath)
	}
	if h := buyer.text(`main h1`); h != "400 djembe 40 cm for school programmes" {
		t.Errorf("request page heading %q", h)
	}

	office := s.person("en")
	office.signIn("trade_office")
	office.run(
		chromedp.Navigate(s.base+requestPath),
		chromedp.WaitVisible(chromedp.CSS(`article.match`)),
	)
	listing := office.attr(`article.match input[name=listing]`, "value")
	office.run(
		navBy(chromedp.Click(chromedp.CSS(`article.match form button`))),
		chromedp.WaitVisible(chromedp.CSS(`#match-state`)),
	)
	matchPath := office.location()
	if !strings.HasPrefix(matchPath, "/matches/") {
		t.Fatalf("after proposing, at %q", matchPath)
	}
	producer := strings.Join(strings.Split(listing, "/")[:2], "/")

	maker := s.person("")
	maker.signIn("producer|" + producer)
	if h := maker.text(`.attention h2`); h != "Usulan yang menunggu jawaban Anda" {
		t.Errorf("producer dashboard (Indonesian by default) shows %q", h)
	}
	maker.run(
		navBy(chromedp.Click(chromedp.CSS(`.attention li a`))),
		chromedp.WaitVisible(chromedp.CSS(`#accept`)),
		navBy(chromedp.Click(chromedp.CSS(`#accept`))),
		chromedp.WaitNotPresent(chromedp.CSS(`#accept`)),
	)
	if st := maker.text(`#match-state`); st != "Diusulkan" {
		t.Errorf("after the producer's accept the match is %q, want Diusulkan (proposed)", st)
	}

	buyer.run(
		chromedp.Navigate(s.base+matchPath),
		chromedp.WaitVisible(chromedp.CSS(`#accept`)),
		navBy(chromedp.Click(chromedp.CSS(`#accept`))),
		chromedp.WaitNotPresent(chromedp.CSS(`#accept`)),
	)
	if st := buyer.text(`#match-state`); st != "Connected" {
		t.Fatalf("after both accepted the match is %q", st)
	}
	wa := buyer.attr(`tbody tr:nth-child(2) td.contact a.wa`, "href")
	if !strings.HasPrefix(wa, "https://wa.me/62") {
		t.Errorf("buyer sees WhatsApp link %q, want the producer's wa.me/62… link", wa)
	}
	maker.run(chromedp.Navigate(s.base+matchPath), chromedp.WaitVisible(chromedp.CSS(`#match-state`)))
	if st := maker.text(`#match-state`); st != "Terhubung" {
		t.Errorf("producer sees state %q, want Terhubung", st)
	}
	contact := maker.text(`tbody tr:first-child td.contact`)
	if !strings.Contains(contact, "@") && !strings.Contains(contact, "+1") {
		t.Errorf("producer sees buyer contact %q, want an email or phone", contact)
	}
}

// TestProducerPublishesListing: a producer creates a listing (a draft),
// publishes it, and finds it in search; a bad value first shows the field's
// message next to the field.
func TestProducerPublishesListing(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	p := s.person("id")
	p.signIn("producer|producers/kendang-jaya-nglegok")
	p.run(
		chromedp.Navigate(s.base+"/producers/kendang-jaya-nglegok/listings/new"),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "Kendang jimbe ukir burung 50 cm"),
		chromedp.SetValue(chromedp.CSS(`select[name=category]`), "MUSICAL_INSTRUMENT"),
		chromedp.SendKeys(chromedp.CSS(`input[name=hs_code]`), "030111"), // a fish code for a drum
		chromedp.SendKeys(chromedp.CSS(`input[name=price_min]`), "30"),
		chromedp.SendKeys(chromedp.CSS(`input[name=ship_to_country_codes]`), "JP"),
		navBy(chromedp.Click(chromedp.CSS(`main form button[type=submit]`))),
		chromedp.WaitVisible(chromedp.CSS(`#err-hs_code`)),
	)
	if msg := p.text(`#err-hs_code`); !strings.Contains(msg, "92") {
		t.Errorf("hs_code message %q does not say what is expected", msg)
	}
	invalid := p.attr(`input[name=hs_code]`, "aria-invalid")
	if invalid != "true" {
		t.Errorf("hs_code field not marked invalid")
	}
	p.run(
		chromedp.SetValue(chromedp.CSS(`input[name=hs_code]`), "920600"),
		navBy(chromedp.Click(chromedp.CSS(`main form button[type=submit]`))),
		chromedp.WaitVisible(chromedp.CSS(`dl.facts`)),
	)
	listingPath := p.location()
	if !strings.HasPrefix(listingPath, "/producers/kendang-jaya-nglegok/listings/") {
		t.Fatalf("after saving, at %q", listingPath)
	}
	p.run(
		chromedp.Navigate(s.base+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="`+listingPath+`/state"] button[value=publish]`)),
		navBy(chromedp.Click(chromedp.CSS(`form[action="`+listingPath+`/state"] button[value=publish]`))),
		chromedp.WaitVisible(chromedp.CSS(`form[action="`+listingPath+`/state"] button[value=pause]`)),
	)
	anon := s.person("en")
	anon.run(
		chromedp.Navigate(s.base+"/?q="+url.QueryEscape("jimbe ukir burung")),
		chromedp.WaitVisible(chromedp.CSS(`article.hit`)),
	)
	hrefs := eval[[]string](anon, `Array.from(document.querySelectorAll('article.hit h2 a')).map(a => a.getAttribute('href'))`)
	found := false
	for _, h := range hrefs {
		found = found || h == listingPath
	}
	if !found {
		t.Errorf("published listing %s not in search results %v", listingPath, hrefs)
	}
}

// TestProducerCannotEditAnothersListing: the edit page of another
// producer's listing is refused with a page, not a form.
func TestProducerCannotEditAnothersListing(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	p := s.person("en")
	p.signIn("producer|producers/kendang-jaya-nglegok")
	p.run(chromedp.Navigate(s.base+"/producers/jimbe-penataran/listings/anything/edit"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if h := p.text(`main h1`); h != "Not allowed" {
		t.Errorf("heading %q, want Not allowed", h)
	}
	forms := eval[int](p, `document.querySelectorAll('main form').length`)
	if forms != 0 {
		t.Errorf("the refusal page shows %d forms", forms)
	}
	// The same over plain HTTP: status 403.
	resp, err := http.Get(s.base + "/producers/jimbe-penataran/listings/anything/edit")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous edit page: %d, want 401 (sign in)", resp.StatusCode)
	}
}

// TestScreenshots writes PNGs of the main pages when
// TEMUBISNIS_SCREENSHOTS names a directory (see README).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("TEMUBISNIS_SCREENSHOTS")
	if dir == "" {
		t.Skip("set TEMUBISNIS_SCREENSHOTS=dir to write screenshots")
	}
	s := startSite(t)
	shot := func(p *person, name, path string, width, height int64) {
		p.run(
			chromedp.EmulateViewport(width, height),
			chromedp.Navigate(s.base+path),
			chromedp.WaitVisible(chromedp.CSS(`footer`)),
		)
		png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	buyer := s.person("zh-Hans")
	shot(buyer, "search-zh.png", "/?q="+url.QueryEscape("非洲鼓"), 1200, 900)
	shot(buyer, "listing.png", "/producers/kendang-jaya-nglegok/listings/djembe-40cm-mahogany", 1200, 900)
	maker := s.person("")
	maker.signIn("producer|producers/kendang-jaya-nglegok")
	shot(maker, "dashboard-id-phone.png", "/dashboard", 390, 844)
	office := s.person("id")
	office.signIn("trade_office")
	shot(office, "office-queue.png", "/office", 1200, 900)
}
