package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/adiekspor/temubisnis/internal/embedded"
)

// filledPages caps every SQLite file of the test's own FerretDB: enough for
// the schema and a few dozen listings, so that the test fills it quickly.
const filledPages = 300

// TestStorageFull is issue 10 item 2: with the disk full, every write got
// 500 INTERNAL ("database or disk is full"). Now writes answer UNAVAILABLE /
// 503 naming storage, with Retry-After; reads keep working; the log has one
// ERROR line per episode, not one per request; a gauge says the storage is
// full; and once there is space again writes succeed without a restart of
// the service.
func TestStorageFull(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	startDB := func(addr string, pages int) *embedded.Server {
		t.Helper()
		f, err := embedded.Start(context.Background(), embedded.Options{
			DataDir:      dir,
			Addr:         addr,
			Logger:       slog.New(slog.DiscardHandler),
			SQLiteParams: url.Values{"_pragma": {fmt.Sprintf("max_page_count(%d)", pages)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ferret := startDB("", filledPages)
	// Registered before start's cleanup, so it runs after the service stopped.
	t.Cleanup(func() { ferret.Stop() })
	logs := &syncBuffer{}
	e := start(t, startOpts{database: "full", args: []string{"-mongodb-uri", ferret.URI()}, logTo: logs})
	e.do("POST", "/v1/producers?producerId=kendang-jaya", djembeMaker()).must(t, http.StatusOK)

	listing := djembeListing()
	var full response
	created := 0
	for i := range 5000 {
		listing["description"] = fmt.Sprintf("%d %s", i, strings.Repeat("Hand-carved mahogany body, goatskin head. ", 110))
		r := e.do("POST", fmt.Sprintf("/v1/producers/kendang-jaya/listings?listingId=djembe-%d", i), listing)
		if r.code != http.StatusOK {
			full = r
			break
		}
		created++
	}
	t.Logf("%d listings fitted", created)
	if full.code != http.StatusServiceUnavailable || full.body["code"] != float64(14) ||
		!strings.Contains(full.str("message"), "storage is full") || !strings.Contains(full.raw, "STORAGE_FULL") {
		t.Fatalf("write to a full disk: HTTP %d %s, want 503 UNAVAILABLE naming storage", full.code, full.raw)
	}
	if full.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// More refused writes, of other kinds.
	for range 3 {
		e.do("PATCH", "/v1/producers/kendang-jaya?updateMask=village", map[string]any{"village": strings.Repeat("Kemloko ", 20)}).must(t, http.StatusServiceUnavailable)
	}
	// Reads keep working.
	e.do("GET", "/v1/producers/kendang-jaya", nil).must(t, http.StatusOK)
	e.do("GET", "/v1/producers/kendang-jaya/listings/djembe-0", nil).must(t, http.StatusOK)
	e.do("GET", "/v1/listings:search?query=djembe", nil).must(t, http.StatusOK)
	// (Every refused call also has its own WARN "finished call" line.)
	if n := strings.Count(logs.String(), `level=ERROR msg="storage is full`); n != 1 {
		t.Errorf("%d ERROR lines about the full storage, want 1 per episode", n)
	}
	if m := e.do("GET", "/metrics", nil).raw; !strings.Contains(m, "\ntemubisnis_storage_full 1\n") {
		t.Error("gauge temubisnis_storage_full is not 1")
	}

	// The operator makes room: the database comes back on the same
	// address with space to spare. The service is not restarted.
	u, err := url.Parse(ferret.URI())
	if err != nil {
		t.Fatal(err)
	}
	ferret.Stop()
	ferret = startDB(u.Host, 1<<20)
	listing["description"] = "small"
	// A connection the driver still holds from before may fail once; the
	// answer is then 503 and the next try works.
	for try := 0; ; try++ {
		r := e.do("POST", "/v1/producers/kendang-jaya/listings?listingId=after", listing)
		if r.code == http.StatusOK {
			break
		}
		if r.code != http.StatusServiceUnavailable || try == 10 {
			t.Fatalf("write after the database came back with space: HTTP %d %s", r.code, r.raw)
		}
	}
	if m := e.do("GET", "/metrics", nil).raw; !strings.Contains(m, "\ntemubisnis_storage_full 0\n") {
		t.Error("gauge temubisnis_storage_full did not return to 0")
	}
	if !strings.Contains(logs.String(), "storage accepts writes again") {
		t.Error("no log line when the storage accepted writes again")
	}
}
