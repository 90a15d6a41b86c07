package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/store"
)

// Matcher ranks the listings that fit an open buying request (the matching
// engine's hard constraints passed, best first).
type Matcher func(ctx context.Context, request *pb.BuyingRequest) ([]Fit, error)

// Options configure a Notifier. Zero values take the defaults noted.
type Options struct {
	// Interval between scans and delivery rounds (default 5s).
	Interval time.Duration
	// Overlap is how far behind its cursor each scan starts again (default
	// 1m): a write whose update time is older than the cursor by less than
	// this (a slow commit, a replica's clock behind) is still seen.
	Overlap time.Duration
	// FullScanEvery is how often the sources are scanned by update time
	// (default 10m): the safety net under the change log, whose entries
	// are best effort. A Store without a ChangeLog is scanned every round.
	FullScanEvery time.Duration
	// ChangeRetention is how long the change log keeps its entries
	// (default 10m). A change-log position older than that may have
	// missed pruned entries, so the full scan runs at once instead.
	ChangeRetention time.Duration
	// CalendarEvery is how often certificates and proposals are checked
	// against the calendar (default 1h).
	CalendarEvery time.Duration
	// MinScore is the relevance threshold of request.fits (default
	// DefaultRelevance).
	MinScore float64
	// BaseURL makes message links absolute, e.g. "https://temubisnis.id".
	BaseURL string
	// MaxAttempts before a delivery is dead-lettered (default 8).
	MaxAttempts int
	// RetryBase and RetryMax bound the exponential backoff (defaults 10s
	// and 1h).
	RetryBase, RetryMax time.Duration
	// ClaimTimeout is how long a claimed attempt may take before another
	// replica takes over (default 2m).
	ClaimTimeout time.Duration
	// DeliveryRetention is how long finished (delivered or dead-lettered)
	// deliveries and their logs are kept; 0 keeps them forever (this
	// option's zero value is not replaced by a default).
	DeliveryRetention time.Duration
	// Targets says which webhook addresses may be reached.
	Targets TargetPolicy
	// OfficeEmail receives the trade office's notices by e-mail (in
	// Indonesian); empty: its inbox only.
	OfficeEmail string
	// Senders deliver notices to people (email; a WhatsApp sender would
	// be another).
	Senders []Sender
	Matcher Matcher
	Now     func() time.Time
	Log     *slog.Logger
}

// Notifier derives events and delivers them; see the package comment.
type Notifier struct {
	st      Store
	o       Options
	client  *http.Client
	senders map[string]Sender
	rnd     *rand.Rand
	metrics *Metrics

	// changes is st's change log; nil when it keeps none.
	changes ChangeLog

	mu sync.Mutex
	// seen holds, per source, the resources already derived (name@update
	// time -> update time), until that source's scan cannot see them again.
	seen     map[string]map[string]time.Time
	failures map[string]int // name@update time -> rounds its derivation failed
	// seenChanges are the change-log entries (by id) handled within the
	// overlap behind the position, so a re-read costs no store read.
	seenChanges map[string]time.Time

	lastCalendar time.Time
	lastFullScan time.Time
	// lastPrune is when pruneDeliveries last ran, unless it was cut short
	// with more to delete (zero: never).
	lastPrune time.Time
	rounds    atomic.Int64
}

// Metrics are the notifier's Prometheus collectors.
type Metrics struct {
	Events     *prometheus.CounterVec
	Deliveries *prometheus.CounterVec
	Latency    *prometheus.HistogramVec
	Pruned     prometheus.Counter
}

// NewMetrics makes the collectors; register them with Collectors.
func NewMetrics() *Metrics {
	return &Metrics{
		Events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_notify_events_total", Help: "Events produced (stored for the first time), by type.",
		}, []string{"type"}),
		Deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "temubisnis_notify_deliveries_total", Help: "Delivery attempts by channel and outcome (delivered, retried, dead_letter).",
		}, []string{"channel", "outcome"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "temubisnis_notify_delivery_latency_seconds", Help: "Time from an event to its successful delivery, by channel.",
			Buckets: []float64{0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600, 21600},
		}, []string{"channel"}),
		Pruned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "temubisnis_notify_deliveries_pruned_total", Help: "Finished deliveries deleted after the delivery retention.",
		}),
	}
}

// Collectors returns the collectors to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.Events, m.Deliveries, m.Latency, m.Pruned}
}

// New returns a Notifier over st.
func New(st Store, o Options, m *Metrics) *Notifier {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Second
	}
	if o.Overlap <= 0 {
		o.Overlap = time.Minute
	}
	if o.FullScanEvery <= 0 {
		o.FullScanEvery = 10 * time.Minute
	}
	if o.ChangeRetention <= 0 {
		o.ChangeRetention = 10 * time.Minute
	}
	if o.CalendarEvery <= 0 {
		o.CalendarEvery = time.Hour
	}
	if o.MinScore <= 0 {
		o.MinScore = DefaultRelevance
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 10 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Hour
	}
	if o.ClaimTimeout <= 0 {
		o.ClaimTimeout = 2 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if m == nil {
		m = NewMetrics()
	}
	n := &Notifier{st: st, o: o, client: o.Targets.Client(10 * time.Second), senders: map[string]Sender{},
		rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x7e3b)), metrics: m, seen: map[string]map[string]time.Time{}, failures: map[string]int{},
		seenChanges: map[string]time.Time{}}
	n.changes, _ = st.(ChangeLog)
	for _, s := range o.Senders {
		n.senders[s.Channel()] = s
	}
	return n
}

// Rounds counts the completed rounds (scan and delivery) of this
// notifier; tests wait on it.
func (n *Notifier) Rounds() int64 { return n.rounds.Load() }

// maxDeriveFailures is how many rounds a resource's events may fail to be
// derived before the notifier moves on without them.
const maxDeriveFailures = 5

// Sources are the collections scanned, in the order the full scan derives
// their events. Nothing depends on that order: the change log interleaves
// them as they were written.
var Sources = []string{"producers", "buyers", "buying_requests", "matches"}

// Init stores the scan cursors (and the change-log position) where there
// are none, at now: a new database starts notifying from the first start,
// not from its seed data. It runs at every start, whether or not this
// replica notifies, so that writes made while no notifier runs are still
// found later.
func (n *Notifier) Init(ctx context.Context) error {
	for _, src := range append([]string{changesCursor}, Sources...) {
		if _, _, err := n.st.Cursor(ctx, src, n.o.Now()); err != nil {
			return err
		}
	}
	return nil
}

// Run scans and delivers every Interval until ctx ends.
func (n *Notifier) Run(ctx context.Context) {
	t := time.NewTicker(n.o.Interval)
	defer t.Stop()
	for {
		n.Round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Round derives the events of what changed since the last round (from
// the change log, or by the full scan when it is due) and attempts the
// deliveries that are due.
func (n *Notifier) Round(ctx context.Context) {
	n.follow(ctx)
	if now := n.o.Now(); now.Sub(n.lastCalendar) >= n.o.CalendarEvery {
		if err := n.calendar(ctx, now); err != nil && ctx.Err() == nil {
			n.o.Log.Warn("notify: calendar check failed", "error", err)
		} else {
			n.lastCalendar = now
		}
		if err := n.st.PruneNotifyClaims(ctx, now.Add(-time.Hour)); err != nil && ctx.Err() == nil {
			n.o.Log.Warn("notify: prune claims failed", "error", err)
		}
	}
	if err := n.deliver(ctx); err != nil && ctx.Err() == nil {
		n.o.Log.Warn("notify: delivery round failed", "error", err)
	}
	n.pruneDeliveries(ctx)
	n.rounds.Add(1)
}

// Pruning finished deliveries: at most every pruneEvery (the first round
// included), and then within pruneBudget, in batches of pruneBatch. The
// retention is at least an hour, so pruning more often would gain little;
// it is not tied to FullScanEvery, which is the change log's safety net and
// may be set to seconds. A run cut short by its budget (a backlog, as after
// the retention was first set) goes on in the next round rather than an
// hour later, so each round spends at most the budget on it.
const (
	pruneEvery  = time.Hour
	pruneBudget = 5 * time.Second
	pruneBatch  = 500
)

// pruneDeliveries deletes the finished deliveries older than the
// retention, when it is due (see pruneEvery).
func (n *Notifier) pruneDeliveries(ctx context.Context) {
	now := n.o.Now()
	if n.o.DeliveryRetention <= 0 || (!n.lastPrune.IsZero() && now.Sub(n.lastPrune) < pruneEvery) {
		return
	}
	pctx, cancel := context.WithTimeout(ctx, pruneBudget)
	defer cancel()
	before := now.Add(-n.o.DeliveryRetention)
	total, done := 0, false
	var err error
	for !done && pctx.Err() == nil {
		var k int
		k, err = n.st.PruneDeliveries(pctx, before, pruneBatch)
		total += k
		n.metrics.Pruned.Add(float64(k))
		if err != nil {
			break
		}
		done = k < pruneBatch
	}
	if ctx.Err() != nil {
		return // shutting down
	}
	if total > 0 {
		n.o.Log.Info("notify: finished deliveries pruned", "deleted", total, "before", before, "more", !done)
	}
	switch {
	case err != nil && pctx.Err() == nil:
		// The database failed: again in an hour, not every round.
		n.o.Log.Warn("notify: pruning finished deliveries failed", "error", err)
	case !done && total > 0:
		return // cut short by the budget: carry on next round
	case !done:
		// Not one batch within the budget: waiting an hour beats
		// spending the budget of every round on it.
		n.o.Log.Warn("notify: pruning finished deliveries made no progress within its budget", "budget", pruneBudget, "error", err)
	}
	n.lastPrune = now
}

// scan derives the events of every resource of src updated since its
// cursor (less the overlap). The cursor moves to the newest update time
// seen only when every resource was handled, so a failure is retried.
// The store passes the resources in no particular order: nothing depends
// on it, since each resource's events follow from that resource alone and
// the cursor moves only after the whole scan. (Events of one scan are
// therefore stored, and streamed by WatchEvents, in no particular order
// within a source.)
func (n *Notifier) scan(ctx context.Context, src string) error {
	cur, floor, err := n.st.Cursor(ctx, src, n.o.Now())
	if err != nil {
		return err
	}
	// Writes from before the first start (seed data, an import) are not
	// news: the overlap never reaches behind the floor.
	since := cur.Add(-n.o.Overlap)
	if since.Before(floor) {
		since = floor
	}
	newest := cur
	err = n.st.Updated(ctx, src, since, func(m any, updated time.Time) error {
		if err := n.handle(ctx, src, m, updated); err != nil {
			return err
		}
		if updated.After(newest) {
			newest = updated
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Forget what the next scan cannot see again. What the change log
	// derived since is kept until then, so that scan costs no writes.
	n.mu.Lock()
	for k, t := range n.seen[src] {
		if t.Before(newest.Add(-2 * n.o.Overlap)) {
			delete(n.seen[src], k)
		}
	}
	n.mu.Unlock()
	if newest.After(cur) {
		return n.st.SetCursor(ctx, src, newest)
	}
	return nil
}

// handle derives the events of resource m of src as updated at updated,
// unless this notifier did already. A failure is returned (the caller
// retries it next round) until it has failed maxDeriveFailures times.
func (n *Notifier) handle(ctx context.Context, src string, m any, updated time.Time) error {
	key := fmt.Sprintf("%s@%d", nameOf(m), updated.UnixNano())
	n.mu.Lock()
	_, done := n.seen[src][key]
	n.mu.Unlock()
	if done {
		return nil
	}
	if err := n.derive(ctx, m); err != nil {
		// A resource that fails again and again must not hold up
		// every later one: after maxDeriveFailures rounds it is
		// given up, loudly.
		n.mu.Lock()
		n.failures[key]++
		fails := n.failures[key]
		n.mu.Unlock()
		if fails < maxDeriveFailures || ctx.Err() != nil {
			return err
		}
		n.o.Log.Error("notify: giving up deriving the events of a resource", "resource", nameOf(m), "failures", fails, "error", err)
	}
	n.mu.Lock()
	if n.seen[src] == nil {
		n.seen[src] = map[string]time.Time{}
	}
	n.seen[src][key] = updated
	delete(n.failures, key)
	n.mu.Unlock()
	return nil
}

func nameOf(m any) string {
	if x, ok := m.(interface{ GetName() string }); ok {
		return x.GetName()
	}
	return fmt.Sprintf("%T", m)
}

// derive applies the rules to one resource and saves what they give.
func (n *Notifier) derive(ctx context.Context, m any) error {
	var evs []Event
	switch r := m.(type) {
	case *pb.BuyingRequest:
		if r.GetState() != pb.BuyingRequest_OPEN || n.o.Matcher == nil {
			return nil
		}
		fits, err := n.o.Matcher(ctx, r)
		if err != nil {
			return fmt.Errorf("match %s: %w", r.GetName(), err)
		}
		evs = ForBuyingRequest(r, fits, n.o.MinScore)
	case *pb.Match:
		evs = ForMatch(r, n.contacts(ctx))
	case *pb.Producer:
		evs = ForVerification(r.GetName(), r.GetVerificationState(), r.GetVerificationNote(), r.GetUpdateTime().AsTime())
	case *pb.Buyer:
		evs = ForVerification(r.GetName(), r.GetVerificationState(), r.GetVerificationNote(), r.GetUpdateTime().AsTime())
	}
	return n.save(ctx, evs)
}

// calendar derives the events of time passing: certificates and proposals
// about to expire.
func (n *Notifier) calendar(ctx context.Context, now time.Time) error {
	var evs []Event
	if err := n.st.AllProducers(ctx, func(p *pb.Producer) error {
		evs = append(evs, ForCertificates(p, now)...)
		return nil
	}); err != nil {
		return err
	}
	if err := n.st.AllMatches(ctx, func(m *pb.Match) error {
		evs = append(evs, ForExpiringProposal(m, now)...)
		return nil
	}); err != nil {
		return err
	}
	return n.save(ctx, evs)
}

// contacts reads firms' display names and contacts for the match rules.
func (n *Notifier) contacts(ctx context.Context) Contacts {
	return func(firm string) (string, *pb.Contact) {
		switch {
		case strings.HasPrefix(firm, "producers/"):
			if p, err := n.st.GetProducer(ctx, firm); err == nil {
				return p.GetDisplayName(), p.GetContact()
			}
		case strings.HasPrefix(firm, "buyers/"):
			if b, err := n.st.GetBuyer(ctx, firm); err == nil {
				return b.GetDisplayName(), b.GetContact()
			}
		}
		return "", nil
	}
}

// save stores each event with its deliveries: one per subscription that
// wants it, one per recipient who takes e-mail for it.
func (n *Notifier) save(ctx context.Context, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	subs, err := n.st.ActiveSubscriptions(ctx)
	if err != nil {
		return err
	}
	now := n.o.Now()
	for _, e := range evs {
		key := Key(e.ID)
		var ds []Delivery
		for _, s := range subs {
			if s.Wants(e.Type) {
				ds = append(ds, Delivery{ID: key + "|" + ChannelWebhook + "|" + s.Name, EventID: e.ID, Channel: ChannelWebhook, Target: s.Name,
					State: Pending, NextAttempt: now, CreateTime: now})
			}
		}
		for _, no := range e.Notices {
			if no.Recipient == TradeOffice && n.o.OfficeEmail == "" {
				continue
			}
			set, err := n.st.NotificationSettings(ctx, no.Recipient)
			if err != nil {
				return err
			}
			if !set.Sends(e.Type) {
				continue
			}
			for ch := range n.senders {
				// A firm without an address on the channel gets its
				// inbox only, rather than a delivery bound to fail.
				if _, _, err := n.person(ctx, no.Recipient, ch); errors.Is(err, errPermanent) {
					continue
				} else if err != nil {
					return err
				}
				ds = append(ds, Delivery{ID: key + "|" + ch + "|" + no.Recipient, EventID: e.ID, Channel: ch, Target: no.Recipient,
					Notification: NotificationName(no.Recipient, e.ID), State: Pending, NextAttempt: now, CreateTime: now})
			}
		}
		fresh, err := n.st.SaveEvent(ctx, e, ds)
		if err != nil {
			return fmt.Errorf("save event %s: %w", e.ID, err)
		}
		if fresh {
			n.metrics.Events.WithLabelValues(string(e.Type)).Inc()
			n.o.Log.Info("notify: event", "id", e.ID, "type", e.Type, "notices", len(e.Notices), "deliveries", len(ds))
		}
	}
	return nil
}

// deliver attempts every due delivery once.
func (n *Notifier) deliver(ctx context.Context) error {
	for {
		now := n.o.Now()
		due, err := n.st.DueDeliveries(ctx, now, 50)
		if err != nil {
			return err
		}
		claimed := 0
		for _, d := range due {
			ok, err := n.st.ClaimDelivery(ctx, d, now, now.Add(n.o.ClaimTimeout))
			if err != nil {
				return err
			}
			if !ok {
				continue // another replica has it
			}
			claimed++
			d.Attempts++
			n.attempt(ctx, d)
		}
		if claimed == 0 || len(due) < 50 {
			return nil
		}
	}
}

// attempt sends a claimed delivery and records the outcome.
func (n *Notifier) attempt(ctx context.Context, d Delivery) {
	start := n.o.Now()
	actx, cancel := context.WithTimeout(ctx, 30*time.Second)
	status, evTime, err := n.send(actx, d)
	cancel()
	a := Attempt{Time: start, Duration: n.o.Now().Sub(start), Status: status}
	state, next, outcome := Delivered, time.Time{}, "delivered"
	switch {
	case err == nil:
		if !evTime.IsZero() {
			n.metrics.Latency.WithLabelValues(d.Channel).Observe(n.o.Now().Sub(evTime).Seconds())
		}
	case errors.Is(err, errPermanent) || d.Attempts >= n.o.MaxAttempts:
		a.Error, state, outcome = err.Error(), Dead, "dead_letter"
		n.o.Log.Warn("notify: delivery dead-lettered", "delivery", d.ID, "attempts", d.Attempts, "error", err)
	default:
		a.Error, state, outcome = err.Error(), Pending, "retried"
		next = n.o.Now().Add(Backoff(d.Attempts, n.o.RetryBase, n.o.RetryMax, n.rnd))
		n.o.Log.Info("notify: delivery failed; will retry", "delivery", d.ID, "attempts", d.Attempts, "next", next, "error", err)
	}
	n.metrics.Deliveries.WithLabelValues(d.Channel, outcome).Inc()
	// The record must be written even when ctx is ending: the attempt
	// happened.
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer fcancel()
	if err := n.st.FinishAttempt(fctx, d, a, state, next); err != nil {
		n.o.Log.Warn("notify: record delivery attempt", "delivery", d.ID, "error", err)
	}
}

// errPermanent marks failures that no retry can fix (a subscription that
// was deleted, a recipient without an address).
var errPermanent = errors.New("permanent")

func (n *Notifier) send(ctx context.Context, d Delivery) (int, time.Time, error) {
	e, err := n.st.GetEvent(ctx, d.EventID)
	if err != nil {
		return 0, time.Time{}, err
	}
	switch d.Channel {
	case ChannelWebhook:
		s, err := n.st.GetSubscription(ctx, d.Target)
		if err != nil {
			return 0, e.Time, gone(err) // a deleted subscription is dead-lettered
		}
		if err := n.o.Targets.CheckURL(s.URL); err != nil {
			return 0, e.Time, fmt.Errorf("%w: %v", errPermanent, err)
		}
		code, err := Post(ctx, n.client, s.URL, []byte(s.Secret), Payload{ID: e.ID, Type: e.Type, Time: e.Time, Subject: e.Subject, Data: e.Data}, n.o.Now())
		return code, e.Time, err
	default:
		sender, ok := n.senders[d.Channel]
		if !ok {
			return 0, e.Time, fmt.Errorf("%w: no %s sender configured", errPermanent, d.Channel)
		}
		no, err := n.st.GetNotification(ctx, d.Notification)
		if err != nil {
			return 0, e.Time, err
		}
		addr, lang, err := n.person(ctx, d.Target, d.Channel)
		if err != nil {
			return 0, e.Time, err
		}
		m := Render(no.Type, lang, Notice{Recipient: no.Recipient, Link: no.Link, Params: no.Params}, n.o.BaseURL)
		return 0, e.Time, sender.Send(ctx, addr, m)
	}
}

// person returns a recipient's address on a channel and language.
func (n *Notifier) person(ctx context.Context, firm, channel string) (string, string, error) {
	if firm == TradeOffice {
		if channel != ChannelEmail || n.o.OfficeEmail == "" {
			return "", "", fmt.Errorf("%w: the trade office has no %s address configured", errPermanent, channel)
		}
		return n.o.OfficeEmail, "id", nil
	}
	set, err := n.st.NotificationSettings(ctx, firm)
	if err != nil {
		return "", "", err
	}
	var c *pb.Contact
	var langs []string
	switch {
	case strings.HasPrefix(firm, "producers/"):
		p, err := n.st.GetProducer(ctx, firm)
		if err != nil {
			return "", "", gone(err)
		}
		c = p.GetContact()
	case strings.HasPrefix(firm, "buyers/"):
		b, err := n.st.GetBuyer(ctx, firm)
		if err != nil {
			return "", "", gone(err)
		}
		c, langs = b.GetContact(), b.GetLanguageCodes()
	}
	addr := c.GetEmail()
	if channel == "whatsapp" {
		addr = c.GetWhatsapp()
	}
	if addr == "" {
		return "", "", fmt.Errorf("%w: %s has no %s address", errPermanent, firm, channel)
	}
	return addr, Language(firm, set.Language, langs), nil
}

// gone makes a firm that no longer exists a permanent failure; other
// errors (the database) are retried.
func gone(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %v", errPermanent, err)
	}
	return err
}
