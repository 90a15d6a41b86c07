package app_test

import (
	"bufio"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
	"github.com/adiekspor/temubisnis/internal/config"
	"github.com/adiekspor/temubisnis/internal/notify"
)

// smtpSink is a small SMTP server for the tests: it accepts every message
// and keeps it, with its envelope recipients.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []sentMail
}

type sentMail struct {
	to   []string
	data string
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) addr() string { return s.ln.Addr().String() }

func (s *smtpSink) serve(c net.Conn) {
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 sink ESMTP")
	var cur sentMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-sink")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			cur = sentMail{}
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			addr := strings.Trim(strings.TrimSpace(line)[len("RCPT TO:"):], "<> \r\n")
			cur.to = append(cur.to, addr)
			say("250 ok")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			cur.data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (s *smtpSink) sent() []sentMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// hookReceiver is a webhook receiver that checks every delivery's
// signature and answers 500 to the first failFirst attempts of each event.
type hookReceiver struct {
	t         *testing.T
	secret    string
	failFirst int
	srv       *httptest.Server
	mu        sync.Mutex
	attempts  map[string]int // event id -> attempts seen
	ok        map[string]int // event id -> successful deliveries
	bad       []string
}

func newHookReceiver(t *testing.T, secret string, failFirst int) *hookReceiver {
	h := &hookReceiver{t: t, secret: secret, failFirst: failFirst, attempts: map[string]int{}, ok: map[string]int{}}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		id := r.Header.Get(notify.HeaderEventID)
		h.mu.Lock()
		defer h.mu.Unlock()
		if err := notify.Verify([]byte(secret), r.Header.Get(notify.HeaderTimestamp), r.Header.Get(notify.HeaderSignature), body, time.Now()); err != nil {
			h.bad = append(h.bad, id+": "+err.Error())
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		h.attempts[id]++
		if h.attempts[id] <= h.failFirst {
			http.Error(w, "try later", http.StatusInternalServerError)
			return
		}
		h.ok[id]++
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) delivered() map[string]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.bad) > 0 {
		h.t.Errorf("deliveries with a bad signature: %v", h.bad)
	}
	out := map[string]int{}
	for k, v := range h.ok {
		out[k] = v
	}
	return out
}

// eventually polls cond until it holds or 30 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// settle waits until every notifier has finished two more rounds: whatever
// they were going to do about the writes so far is done.
func settle(t *testing.T, envs ...*env) {
	t.Helper()
	start := make([]int64, len(envs))
	for i, e := range envs {
		start[i] = e.app.Notifier.Rounds()
	}
	eventually(t, "notifier rounds", func() bool {
		for i, e := range envs {
			if e.app.Notifier.Rounds() < start[i]+2 {
				return false
			}
		}
		return true
	})
}

const hookSecret = "0123456789abcdef0123456789abcdef-test-secret"

var fastNotify = []string{"-notify-interval", "50ms", "-notify-retry-base", "20ms", "-notify-retry-max", "200ms", "-webhook-allow-loopback", "-public-url", "https://temubisnis.example"}

func subscribe(t *testing.T, e *env, url string, types ...string) string {
	t.Helper()
	sub, err := pb.NewWebhookServiceClient(e.conn).CreateWebhookSubscription(e.ctx(), &pb.CreateWebhookSubscriptionRequest{
		WebhookSubscription: &pb.WebhookSubscription{DisplayName: "test CRM", Uri: url, Secret: hookSecret, EventTypes: types},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sub.GetName()
}

// postKoiRequest has the buyer of the demo's US koi request post another
// like it, as the buyer, and returns its name.
func postKoiRequest(t *testing.T, e *env, id string) string {
	t.Helper()
	const buyer = "buyers/sunshine-state-koi"
	tmpl, err := e.buyers.GetBuyingRequest(e.ctx(), &pb.GetBuyingRequestRequest{Name: buyer + "/buyingRequests/mixed-koi-300-fish"})
	if err != nil {
		t.Fatal(err)
	}
	r := proto.CloneOf(tmpl)
	r.Name, r.Etag, r.CreateTime, r.UpdateTime, r.State, r.ExpireTime = "", "", nil, nil, 0, nil
	r.Title = "200 Kohaku and Showa, 20 cm"
	created, err := e.buyers.CreateBuyingRequest(as(e.ctx(), e.token(auth.RoleBuyer, buyer)), &pb.CreateBuyingRequestRequest{
		Parent: buyer, BuyingRequestId: id, BuyingRequest: r})
	if err != nil {
		t.Fatal(err)
	}
	return created.GetName()
}

// fitting asks the matching engine which producers fit a request above the
// notifier's threshold: those, and only those, are to be told.
func fitting(t *testing.T, e *env, request string) []string {
	t.Helper()
	resp, err := e.matches.MatchBuyingRequest(e.ctx(), &pb.MatchBuyingRequestRequest{Name: request, PageSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range resp.GetMatches() {
		p, _, _ := strings.Cut(m.GetListing().GetName(), "/listings/")
		if c := m.GetListing().GetCategory(); c != pb.Category_ORNAMENTAL_FISH {
			t.Fatalf("%s (%v) fits a koi request; the test assumes only koi farms do", m.GetListing().GetName(), c)
		}
		if m.GetScore() >= notify.DefaultRelevance && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func inbox(t *testing.T, e *env, parent string) *pb.ListNotificationsResponse {
	t.Helper()
	resp, err := pb.NewNotificationServiceClient(e.conn).ListNotifications(e.ctx(), &pb.ListNotificationsRequest{Parent: parent, PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// TestNotifyNewRequest: a buyer posts a koi request; every koi farm that
// fits gets one inbox entry and one e-mail (in Indonesian, with a plain-text
// part and the link), the djembe workshop nothing; a webhook subscriber gets
// a correctly signed delivery of each event after two failed attempts.
func TestNotifyNewRequest(t *testing.T) {
	t.Parallel()
	sink := newSMTPSink(t)
	hook := newHookReceiver(t, hookSecret, 2)
	e := start(t, startOpts{seed: config.SeedDemo, args: append(slices.Clone(fastNotify), "-smtp-addr", sink.addr(), "-smtp-tls", "none",
		"-notify-office-email", "dinas@blitarkab.example")})
	sub := subscribe(t, e, hook.srv.URL+"/hooks", string(notify.RequestFits))

	// One farm that will fit turns e-mail off, as itself, over REST: it
	// keeps its inbox entry and gets no mail.
	quiet := fitting(t, e, "buyers/sunshine-state-koi/buyingRequests/mixed-koi-300-fish")[0]
	e.doAs(e.token(auth.RoleProducer, quiet), "PATCH", "/v1/"+quiet+"/notificationSettings", map[string]any{"emailDisabled": true}).must(t, http.StatusOK)

	// A service watching over gRPC, from before the request.
	wctx, cancelWatch := context.WithCancel(context.Background())
	defer cancelWatch()
	hooks := pb.NewWebhookServiceClient(e.conn)
	watch, err := hooks.WatchEvents(as(wctx, e.admin), &pb.WatchEventsRequest{EventTypes: []string{string(notify.RequestFits)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := watch.Header(); err != nil {
		t.Fatal(err)
	}

	req := postKoiRequest(t, e, "kohaku-showa-200")
	want := fitting(t, e, req)
	if len(want) < 2 || !slices.Contains(want, quiet) {
		t.Fatalf("the demo data should have several koi farms fitting %s, %s among them; got %v", req, quiet, want)
	}
	withEmail := map[string]string{}
	for _, p := range want {
		prod, err := e.producers.GetProducer(e.ctx(), &pb.GetProducerRequest{Name: p})
		if err != nil {
			t.Fatal(err)
		}
		if a := prod.GetContact().GetEmail(); a != "" && p != quiet {
			withEmail[a] = p
		}
	}
	if len(withEmail) == 0 {
		t.Fatalf("no fitting farm with an e-mail address besides %s", quiet)
	}
	eventually(t, "e-mails and webhook deliveries", func() bool {
		return len(sink.sent()) >= len(withEmail) && len(hook.delivered()) >= len(want)
	})
	// Every delivery is final (delivered or dead) before counting.
	eventually(t, "no pending deliveries", func() bool {
		due, err := e.app.Store.DueDeliveries(e.ctx(), time.Now().Add(time.Hour), 1)
		return err == nil && len(due) == 0
	})
	settle(t, e)

	// The inbox: one entry per fitting producer, none for the djembe
	// workshop.
	for _, p := range want {
		resp := inbox(t, e, p)
		var fits []*pb.Notification
		for _, n := range resp.GetNotifications() {
			if n.GetSubject() == req {
				fits = append(fits, n)
			}
		}
		if len(fits) != 1 || fits[0].GetEventType() != string(notify.RequestFits) || fits[0].GetLink() != "/"+req {
			t.Errorf("inbox of %s: %v, want one request.fits linking to /%s", p, fits, req)
		}
		if resp.GetUnreadCount() < 1 {
			t.Errorf("inbox of %s: unread count %d", p, resp.GetUnreadCount())
		}
	}
	for _, n := range inbox(t, e, "producers/kendang-jaya-nglegok").GetNotifications() {
		if n.GetSubject() == req {
			t.Errorf("the djembe workshop was told of the koi request: %v", n)
		}
	}

	// E-mail: exactly one per farm with an address, Indonesian, text and
	// HTML parts, the link to the request.
	// Other mails (the calendar's certificate reminders) may go out too;
	// those about the request are told by their link.
	got := map[string]int{}
	for _, m := range sink.sent() {
		msg, err := mail.ReadMessage(strings.NewReader(m.data))
		if err != nil {
			t.Fatalf("unreadable e-mail: %v\n%s", err, m.data)
		}
		_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		part, err := multipart.NewReader(msg.Body, params["boundary"]).NextPart()
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(part)
		if !strings.Contains(string(text), "https://temubisnis.example/"+req) {
			continue
		}
		for _, to := range m.to {
			got[to]++
		}
		if !strings.HasPrefix(part.Header.Get("Content-Type"), "text/plain") {
			t.Errorf("first part is %s, want text/plain", part.Header.Get("Content-Type"))
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if !strings.HasPrefix(subject, "Permintaan baru") || !strings.Contains(string(text), "Ada permintaan pembeli baru") {
			t.Errorf("e-mail is not in Indonesian: %q\n%s", subject, text)
		}
	}
	for addr, p := range withEmail {
		if got[addr] != 1 {
			t.Errorf("%s (%s) got %d e-mails, want 1", addr, p, got[addr])
		}
	}
	if len(got) != len(withEmail) {
		t.Errorf("e-mails went to %v, want exactly %v", got, withEmail)
	}

	// Webhooks: each event once, after two refusals, logged.
	delivered := hook.delivered()
	if len(delivered) != len(want) {
		t.Errorf("webhook got %d events, want %d (one per fitting producer): %v", len(delivered), len(want), delivered)
	}
	for id, n := range delivered {
		if n != 1 || !strings.HasPrefix(id, "request.fits/"+req+"/") {
			t.Errorf("event %s delivered %d times", id, n)
		}
	}
	log, err := pb.NewWebhookServiceClient(e.conn).ListWebhookDeliveries(e.ctx(), &pb.ListWebhookDeliveriesRequest{Parent: sub})
	if err != nil {
		t.Fatal(err)
	}
	if len(log.GetWebhookDeliveries()) != len(want) {
		t.Errorf("delivery log has %d entries, want %d", len(log.GetWebhookDeliveries()), len(want))
	}
	for _, d := range log.GetWebhookDeliveries() {
		a := d.GetAttempts()
		if d.GetState() != pb.WebhookDelivery_DELIVERED || d.GetAttemptCount() != 3 || len(a) != 3 ||
			a[0].GetHttpStatus() != 500 || a[1].GetHttpStatus() != 500 || a[2].GetHttpStatus() != 200 {
			t.Errorf("delivery %s: %v, want delivered on the third attempt after two 500s", d.GetName(), d)
		}
	}

	// The watcher got each event once; resuming after the first brings
	// the others again (at least once), nothing else.
	var watched []*pb.WatchEventsResponse
	for range want {
		r, err := watch.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if r.GetEvent().GetType() != string(notify.RequestFits) || r.GetEvent().GetSubject() != req || r.GetResumeToken() == "" {
			t.Errorf("watched %v", r)
		}
		watched = append(watched, r)
	}
	ids := map[string]bool{}
	for _, r := range watched {
		ids[r.GetEvent().GetId()] = true
	}
	if len(ids) != len(want) {
		t.Errorf("watched %d distinct events, want %d", len(ids), len(want))
	}
	resumed, err := hooks.WatchEvents(as(wctx, e.admin), &pb.WatchEventsRequest{ResumeToken: watched[0].GetResumeToken(), EventTypes: []string{string(notify.RequestFits)}})
	if err != nil {
		t.Fatal(err)
	}
	again := map[string]bool{}
	for len(again) < len(want)-1 {
		r, err := resumed.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if !ids[r.GetEvent().GetId()] {
			t.Fatalf("resumed stream brought %s, not one of %v", r.GetEvent().GetId(), ids)
		}
		if r.GetEvent().GetId() != watched[0].GetEvent().GetId() {
			again[r.GetEvent().GetId()] = true
		}
	}
	bad, err := hooks.WatchEvents(as(wctx, e.admin), &pb.WatchEventsRequest{ResumeToken: "nonsense"})
	if err == nil {
		_, err = bad.Recv()
	}
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("bad resume token: %v, want INVALID_ARGUMENT", err)
	}

	// The trade office hears of the demo's expiring certificates by mail.
	office := 0
	for _, m := range sink.sent() {
		if !slices.Contains(m.to, "dinas@blitarkab.example") {
			continue
		}
		msg, err := mail.ReadMessage(strings.NewReader(m.data))
		if err != nil {
			t.Fatal(err)
		}
		if subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); strings.HasPrefix(subject, "Sertifikat") {
			office++
		}
	}
	if office == 0 {
		t.Error("no certificate reminder reached the trade office's address")
	}

	// The metrics count what happened.
	metrics := e.doAs("", "GET", "/metrics", nil).must(t, http.StatusOK).raw
	for _, want := range []string{
		`temubisnis_notify_events_total{type="request.fits"}`,
		`temubisnis_notify_deliveries_total{channel="webhook",outcome="retried"}`,
		`temubisnis_notify_deliveries_total{channel="webhook",outcome="delivered"}`,
		`temubisnis_notify_deliveries_total{channel="email",outcome="delivered"}`,
		`temubisnis_notify_delivery_latency_seconds_count{channel="webhook"}`,
		"temubisnis_notify_deliveries_pruned_total 0", // registered; nothing is 30 days old here
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// Marking read lowers the unread count.
	ns := pb.NewNotificationServiceClient(e.conn)
	before := inbox(t, e, want[0])
	n, err := ns.MarkNotificationRead(e.ctx(), &pb.MarkNotificationReadRequest{Name: before.GetNotifications()[0].GetName()})
	if err != nil || n.GetReadTime() == nil {
		t.Fatalf("mark read: %v %v", n, err)
	}
	if after := inbox(t, e, want[0]); after.GetUnreadCount() != before.GetUnreadCount()-1 {
		t.Errorf("unread %d after marking one read, was %d", after.GetUnreadCount(), before.GetUnreadCount())
	}
}

// TestNotifyAfterRestart: the process stops right after the write, before
// any notifier has seen it; the next start delivers the event, once.
func TestNotifyAfterRestart(t *testing.T) {
	t.Parallel()
	hook := newHookReceiver(t, hookSecret, 0)
	first := start(t, startOpts{seed: config.SeedDemo, args: []string{"-notify-interval", "0", "-webhook-allow-loopback"}})
	subscribe(t, first, hook.srv.URL, string(notify.RequestFits))
	req := postKoiRequest(t, first, "after-restart")
	want := fitting(t, first, req)
	first.stop()
	if n := len(hook.delivered()); n != 0 {
		t.Fatalf("%d deliveries before the restart", n)
	}

	second := start(t, startOpts{seed: config.SeedDemo, database: first.database, args: fastNotify})
	eventually(t, "deliveries after the restart", func() bool { return len(hook.delivered()) >= len(want) })
	settle(t, second)
	delivered := hook.delivered()
	for _, p := range want {
		if n := delivered["request.fits/"+req+"/"+p]; n != 1 {
			t.Errorf("%s told %d times, want once", p, n)
		}
	}
	if len(delivered) != len(want) {
		t.Errorf("deliveries %v, want one for each of %v", delivered, want)
	}
}

// TestNotifyTwoReplicas: two replicas on one database deliver each event
// once.
func TestNotifyTwoReplicas(t *testing.T) {
	t.Parallel()
	hook := newHookReceiver(t, hookSecret, 1)
	a := start(t, startOpts{seed: config.SeedDemo, args: fastNotify})
	b := start(t, startOpts{seed: config.SeedDemo, database: a.database, args: fastNotify})
	subscribe(t, a, hook.srv.URL)
	req := postKoiRequest(t, a, "two-replicas")
	want := fitting(t, a, req)
	eventually(t, "deliveries", func() bool { return len(hook.delivered()) >= len(want) })
	settle(t, a, b)
	for id, n := range hook.delivered() {
		if n != 1 {
			t.Errorf("event %s delivered %d times by two replicas", id, n)
		}
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	for id, n := range hook.attempts {
		if n != 2 { // one refused, one accepted
			t.Errorf("event %s attempted %d times, want 2", id, n)
		}
	}
}

// TestWebhookAddresses: subscriptions to private or plain-http addresses
// are refused with a field violation; loopback only where allowed.
func TestWebhookAddresses(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	for _, uri := range []string{"https://10.1.2.3/hook", "https://192.168.0.10/hook", "https://169.254.169.254/latest", "http://crm.example.com/hook", "http://127.0.0.1:9/hook", "https://[fd00::1]/hook"} {
		r := e.do("POST", "/v1/webhookSubscriptions", map[string]any{"uri": uri, "secret": hookSecret})
		r.must(t, http.StatusBadRequest)
		if v := r.violations(); !slices.Equal(v, []string{"webhook_subscription.uri"}) {
			t.Errorf("%s: violations %v, want webhook_subscription.uri", uri, v)
		}
	}
	r := e.do("POST", "/v1/webhookSubscriptions", map[string]any{"uri": "https://crm.example.com/hook", "secret": "short", "eventTypes": []string{"no.such"}})
	r.must(t, http.StatusBadRequest)
	if v := r.violations(); !slices.Equal(v, []string{"webhook_subscription.secret", "webhook_subscription.event_types[0]"}) {
		t.Errorf("violations %v", v)
	}
	ok := e.do("POST", "/v1/webhookSubscriptions?webhookSubscriptionId=crm", map[string]any{"uri": "https://crm.example.com/hook", "secret": hookSecret})
	ok.must(t, http.StatusOK)
	if ok.str("name") != "webhookSubscriptions/crm" || strings.Contains(ok.raw, hookSecret) {
		t.Errorf("created: %s (the secret must not come back)", ok.raw)
	}
	e.do("GET", "/v1/producers/kendang-jaya-nglegok/notifications?pageSize=-1", nil).must(t, http.StatusBadRequest)
	e.do("GET", "/v1/tradeOffice/notifications", nil).must(t, http.StatusOK)
}

// notificationsFor stores one event with a notice for each inbox and
// returns the notification names by inbox.
func notificationsFor(t *testing.T, e *env, inboxes ...string) map[string]string {
	t.Helper()
	ev := notify.Event{ID: "test.event/" + strings.Join(inboxes, ","), Type: notify.VerificationDecided, Time: time.Now(), Subject: inboxes[0]}
	out := map[string]string{}
	for _, in := range inboxes {
		ev.Notices = append(ev.Notices, notify.Notice{Recipient: in, Link: "/dashboard"})
		out[in] = notify.NotificationName(in, ev.ID)
	}
	if _, err := e.app.Store.SaveEvent(e.ctx(), ev, nil); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestNotifyMatchLifecycle: a buyer's proposal reaches the producer, the
// producer's acceptance reaches the buyer, and the connection gives each
// side the other's contact, with a wa.me link.
func TestNotifyMatchLifecycle(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{seed: config.SeedDemo, args: fastNotify})
	const buyer, request = "buyers/sunshine-state-koi", "buyers/sunshine-state-koi/buyingRequests/mixed-koi-300-fish"
	resp, err := e.matches.MatchBuyingRequest(e.ctx(), &pb.MatchBuyingRequestRequest{Name: request, PageSize: 1})
	if err != nil || len(resp.GetMatches()) == 0 {
		t.Fatalf("match %s: %v", request, err)
	}
	listing := resp.GetMatches()[0].GetListing().GetName()
	producer, _, _ := strings.Cut(listing, "/listings/")
	buyerTok, producerTok := e.token(auth.RoleBuyer, buyer), e.token(auth.RoleProducer, producer)
	m, err := e.matches.CreateMatch(as(e.ctx(), buyerTok), &pb.CreateMatchRequest{Match: &pb.Match{
		BuyingRequest: request, ProposedBy: pb.Party_BUYER, Members: []*pb.MatchMember{{Listing: listing}}}})
	if err != nil {
		t.Fatal(err)
	}
	of := func(inbox, typ string) *pb.Notification {
		for _, n := range notificationsOf(t, e, inbox) {
			if n.GetSubject() == m.GetName() && n.GetEventType() == typ {
				return n
			}
		}
		return nil
	}
	eventually(t, "the proposal in the producer's inbox", func() bool { return of(producer, "proposal.received") != nil })
	if n := of(producer, "proposal.received"); n.GetLink() != "/"+m.GetName() {
		t.Errorf("proposal links to %q", n.GetLink())
	}
	if _, err := e.matches.AcceptMatch(as(e.ctx(), producerTok), &pb.AcceptMatchRequest{Name: m.GetName(), Party: pb.Party_PRODUCER_SIDE, Producer: producer}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the connection in both inboxes", func() bool {
		return of(buyer, "match.connected") != nil && of(producer, "match.connected") != nil
	})
	settle(t, e)
	p, err := e.producers.GetProducer(e.ctx(), &pb.GetProducerRequest{Name: producer})
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.buyers.GetBuyer(e.ctx(), &pb.GetBuyerRequest{Name: buyer})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		inbox   string
		contact *pb.Contact
	}{{buyer, p.GetContact()}, {producer, b.GetContact()}} {
		if tc.inbox == buyer && p.GetContact().GetWhatsapp() == "" {
			t.Fatalf("%s has no WhatsApp number; the test wants one side with a wa.me link", producer)
		}
		c := of(tc.inbox, "match.connected").GetParams()["contact"]
		if !strings.Contains(c, tc.contact.GetPhone()) || !strings.Contains(c, tc.contact.GetEmail()) {
			t.Errorf("%s is told contact %q, want the counterpart's %v", tc.inbox, c, tc.contact)
		}
		if w := tc.contact.GetWhatsapp(); w != "" && !strings.Contains(c, "https://wa.me/"+strings.TrimPrefix(w, "+")) {
			t.Errorf("%s is told contact %q, without a wa.me link to %s", tc.inbox, c, w)
		}
	}
	if of(buyer, "proposal.answered") == nil {
		t.Error("the buyer was not told of the producer's answer")
	}
	if of(producer, "proposal.answered") != nil {
		t.Error("the producer was told of the buyer's acceptance that came with the buyer's own proposal")
	}
}

func notificationsOf(t *testing.T, e *env, parent string) []*pb.Notification {
	return inbox(t, e, parent).GetNotifications()
}

// TestWatchEndsOnShutdown: a stopping server ends event streams at once,
// telling the client to resume, instead of holding its graceful stop.
func TestWatchEndsOnShutdown(t *testing.T) {
	t.Parallel()
	e := start(t, startOpts{})
	conn, err := grpc.NewClient(e.app.Server.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	w, err := pb.NewWebhookServiceClient(conn).WatchEvents(as(context.Background(), e.admin), &pb.WatchEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Header(); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() { e.stop(); close(stopped) }()
	_, err = w.Recv()
	if st := status.Convert(err); st.Code() != codes.Unavailable || !strings.Contains(st.Message(), "resume") {
		t.Errorf("stream ended with %v, want UNAVAILABLE asking to resume", err)
	}
	<-stopped
}
