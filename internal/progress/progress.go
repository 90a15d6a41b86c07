// Package progress reports long work while it runs: seeding a synthetic
// catalogue and loading the search catalogue take a minute at 100,000
// listings, and an operator should see them move rather than a silent
// process and a /readyz that answers 503. A Task counts what is done, logs
// done/total, rate and time left every few seconds, and is visible to the
// readiness check and the metrics while it runs.
package progress

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Task is one piece of long work. Its methods may be called concurrently.
type Task struct {
	name  string
	unit  string
	total atomic.Int64
	done  atomic.Int64
	start time.Time
	now   func() time.Time

	stop     chan struct{}
	stopOnce sync.Once
	finished chan struct{}
}

// Snapshot is a task's state at one moment.
type Snapshot struct {
	Name, Unit  string
	Done, Total int64
	Elapsed     time.Duration
	// Rate is units per second so far; Left is the estimated time to go,
	// zero when unknown.
	Rate float64
	Left time.Duration
}

func (s Snapshot) String() string {
	out := fmt.Sprintf("%s: %d of %d %s", s.Name, s.Done, s.Total, s.Unit)
	if s.Total > 0 {
		out += fmt.Sprintf(" (%d%%)", s.Done*100/s.Total)
	}
	if s.Rate > 0 {
		out += fmt.Sprintf(", %.0f/s", s.Rate)
	}
	if s.Left > 0 {
		out += fmt.Sprintf(", about %s left", s.Left.Round(time.Second))
	}
	return out
}

// Board holds the tasks running in a process, for the readiness check and
// the metrics.
type Board struct {
	mu    sync.Mutex
	tasks []*Task
	now   func() time.Time

	doneDesc, totalDesc *prometheus.Desc
}

// NewBoard returns an empty board.
func NewBoard() *Board {
	return &Board{
		now:       time.Now,
		doneDesc:  prometheus.NewDesc("temubisnis_task_done", "Units done of a long task running now (seeding, catalogue load).", []string{"task", "unit"}, nil),
		totalDesc: prometheus.NewDesc("temubisnis_task_total", "Units a long task running now has to do in all.", []string{"task", "unit"}, nil),
	}
}

// Start begins a task of total units (total may be set later with
// SetTotal) and logs its progress every interval until Finish.
func (b *Board) Start(log *slog.Logger, name, unit string, total int64, every time.Duration) *Task {
	t := &Task{name: name, unit: unit, start: b.now(), now: b.now, stop: make(chan struct{}), finished: make(chan struct{})}
	t.total.Store(total)
	b.mu.Lock()
	b.tasks = append(b.tasks, t)
	b.mu.Unlock()
	go func() {
		defer close(t.finished)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-t.stop:
				return
			case <-tick.C:
				s := t.Snapshot()
				log.Info(s.Name+" in progress", "done", s.Done, "total", s.Total, "unit", s.Unit,
					"rate_per_second", int64(s.Rate), "left", s.Left.Round(time.Second))
			}
		}
	}()
	return t
}

// SetTotal sets the number of units to do.
func (t *Task) SetTotal(n int64) { t.total.Store(n) }

// Add records n more units done.
func (t *Task) Add(n int64) { t.done.Add(n) }

// Finish stops the progress log and takes the task off board.
func (t *Task) Finish(b *Board) {
	t.stopOnce.Do(func() { close(t.stop) })
	<-t.finished
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, x := range b.tasks {
		if x == t {
			b.tasks = append(b.tasks[:i], b.tasks[i+1:]...)
			break
		}
	}
}

// Snapshot returns the task's state now.
func (t *Task) Snapshot() Snapshot {
	s := Snapshot{Name: t.name, Unit: t.unit, Done: t.done.Load(), Total: t.total.Load(), Elapsed: t.now().Sub(t.start)}
	if secs := s.Elapsed.Seconds(); secs > 0 {
		s.Rate = float64(s.Done) / secs
	}
	if s.Rate > 0 && s.Total > s.Done {
		s.Left = time.Duration(float64(s.Total-s.Done) / s.Rate * float64(time.Second))
	}
	return s
}

// Running returns the snapshots of the tasks running now.
func (b *Board) Running() []Snapshot {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Snapshot, 0, len(b.tasks))
	for _, t := range b.tasks {
		out = append(out, t.Snapshot())
	}
	return out
}

// Describe implements prometheus.Collector.
func (b *Board) Describe(ch chan<- *prometheus.Desc) {
	ch <- b.doneDesc
	ch <- b.totalDesc
}

// Collect implements prometheus.Collector: one pair of gauges per running
// task.
func (b *Board) Collect(ch chan<- prometheus.Metric) {
	for _, s := range b.Running() {
		ch <- prometheus.MustNewConstMetric(b.doneDesc, prometheus.GaugeValue, float64(s.Done), s.Name, s.Unit)
		ch <- prometheus.MustNewConstMetric(b.totalDesc, prometheus.GaugeValue, float64(s.Total), s.Name, s.Unit)
	}
}

var _ prometheus.Collector = (*Board)(nil)

// Wait is a convenience for callers that run a task to its end in one
// function: it starts the task, runs fn with it and finishes it.
func (b *Board) Wait(ctx context.Context, log *slog.Logger, name, unit string, total int64, every time.Duration, fn func(context.Context, *Task) error) error {
	t := b.Start(log, name, unit, total, every)
	defer t.Finish(b)
	return fn(ctx, t)
}
