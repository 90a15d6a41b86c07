package notify

import (
	"context"
	"errors"
	"time"

	"github.com/adiekspor/temubisnis/internal/store"
)

// changesCursor is the cursor document of the change-log position: every
// entry before it, less the overlap, has been handled.
const changesCursor = "changes"

// changePage bounds one read of the change log.
const changePage = 500

// changeSources maps the change log's kinds to the sources the notifier
// derives events from; other kinds (listings, requirements, exchange
// rates) make no events.
var changeSources = map[string]string{
	"producer":       "producers",
	"buyer":          "buyers",
	"buying request": "buying_requests",
	"match":          "matches",
}

// follow derives the events of what changed since the last round: from
// the change log, which reads only the resources written, or by the full
// scan of every source when it is due, the change log cannot be trusted
// to be complete, or the store keeps no change log.
func (n *Notifier) follow(ctx context.Context) {
	now := n.o.Now()
	full := n.changes == nil || fullScanDue(now, n.lastFullScan, n.o.FullScanEvery)
	if !full {
		stale, err := n.followChanges(ctx, now)
		switch {
		case err != nil && ctx.Err() == nil:
			n.o.Log.Warn("notify: reading the change log failed; retried next round", "error", err)
		case stale:
			n.o.Log.Info("notify: the change log may have been pruned past this notifier's position; scanning every source")
			full = true
		}
	}
	if full {
		n.fullScan(ctx, now)
	}
}

// fullScanDue reports whether the scan by update time is due at now when
// the last one finished at last (zero: never, as at start).
func fullScanDue(now, last time.Time, every time.Duration) bool {
	return last.IsZero() || now.Sub(last) >= every
}

// changesStale reports whether a change-log position pos may lie behind
// entries already pruned at now: the log keeps entries for retention, and
// the overlap allows for the pruning replica's clock running ahead.
func changesStale(pos, now time.Time, retention, overlap time.Duration) bool {
	return pos.Before(now.Add(-retention + overlap))
}

// fullScan scans every source by update time. When every source was
// scanned, the change-log position moves to now: everything written
// before it was seen by the scan.
func (n *Notifier) fullScan(ctx context.Context, now time.Time) {
	ok := true
	for _, src := range Sources {
		if err := n.scan(ctx, src); err != nil {
			if ctx.Err() == nil {
				n.o.Log.Warn("notify: scan failed; retried next round", "source", src, "error", err)
			}
			ok = false
		}
	}
	if !ok {
		return
	}
	n.lastFullScan = now
	if n.changes != nil {
		if err := n.st.SetCursor(ctx, changesCursor, now); err != nil && ctx.Err() == nil {
			n.o.Log.Warn("notify: moving the change-log position failed", "error", err)
		}
	}
}

// followChanges derives the events of the resources named in the change
// log since its durable position, less the overlap (an entry is written
// after its resource and may land late; writers' clocks differ), and
// moves the position to now. It stops at a resource whose events fail,
// leaving the position at that entry, so the next round tries it again.
// It reports stale, reading nothing, when the position is older than the
// log's retention.
func (n *Notifier) followChanges(ctx context.Context, now time.Time) (stale bool, err error) {
	pos, floor, err := n.st.Cursor(ctx, changesCursor, now)
	if err != nil {
		return false, err
	}
	if changesStale(pos, now, n.o.ChangeRetention, n.o.Overlap) {
		return true, nil
	}
	since := pos.Add(-n.o.Overlap)
	if since.Before(floor) {
		since = floor
	}
	var after *Change
	for {
		page, err := n.changes.Changes(ctx, since, after, changePage)
		if err != nil {
			return false, err
		}
		for i := range page {
			after = &page[i]
			if err := n.applyChange(ctx, page[i]); err != nil {
				if reached := page[i].At; reached.Before(now) {
					now = reached
				}
				if serr := n.st.SetCursor(ctx, changesCursor, now); serr != nil {
					return false, errors.Join(err, serr)
				}
				return false, err
			}
		}
		if len(page) < changePage {
			break
		}
	}
	n.mu.Lock()
	for id, at := range n.seenChanges {
		if at.Before(since) {
			delete(n.seenChanges, id)
		}
	}
	n.mu.Unlock()
	return false, n.st.SetCursor(ctx, changesCursor, now)
}

// applyChange re-reads the resource a change entry names and derives its
// events as the scan would. A resource deleted meanwhile has none.
func (n *Notifier) applyChange(ctx context.Context, c Change) error {
	src, ok := changeSources[c.Kind]
	if !ok || c.Prefix {
		return nil
	}
	n.mu.Lock()
	_, done := n.seenChanges[c.ID]
	n.mu.Unlock()
	if done {
		return nil
	}
	m, updated, err := n.changes.Resource(ctx, src, c.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	default:
		if err := n.handle(ctx, src, m, updated); err != nil {
			return err
		}
	}
	n.mu.Lock()
	n.seenChanges[c.ID] = c.At
	n.mu.Unlock()
	return nil
}
