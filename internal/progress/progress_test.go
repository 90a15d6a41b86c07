package progress

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestSnapshot(t *testing.T) {
	b := NewBoard()
	clock := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	b.now = func() time.Time { return clock }
	task := b.Start(slog.New(slog.DiscardHandler), "catalogue load", "listings", 100_000, time.Hour)
	defer task.Finish(b)
	clock = clock.Add(10 * time.Second)
	task.Add(25_000)
	s := task.Snapshot()
	if s.Rate != 2500 || s.Left != 30*time.Second {
		t.Fatalf("rate %v, left %v; want 2500/s and 30s", s.Rate, s.Left)
	}
	if got := s.String(); got != "catalogue load: 25000 of 100000 listings (25%), 2500/s, about 30s left" {
		t.Errorf("String() = %q", got)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(b)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			got[f.GetName()] = m.GetGauge().GetValue()
		}
	}
	if got["temubisnis_task_done"] != 25000 || got["temubisnis_task_total"] != 100000 {
		t.Errorf("metrics %v", got)
	}
}

// The task logs while it runs and leaves the board when finished.
func TestLogsUntilFinished(t *testing.T) {
	b := NewBoard()
	var buf syncWriter
	logged := make(chan struct{}, 1)
	buf.onWrite = func() {
		select {
		case logged <- struct{}{}:
		default:
		}
	}
	err := b.Wait(context.Background(), slog.New(slog.NewTextHandler(&buf, nil)), "synthetic seed", "documents", 10, time.Millisecond,
		func(ctx context.Context, task *Task) error {
			task.Add(4)
			<-logged // at least one progress line was written
			if len(b.Running()) != 1 {
				t.Errorf("running: %v", b.Running())
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Running()) != 0 {
		t.Errorf("still running after Wait: %v", b.Running())
	}
	if !strings.Contains(buf.String(), `msg="synthetic seed in progress" done=4 total=10 unit=documents`) {
		t.Errorf("log: %s", buf.String())
	}
}

type syncWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	onWrite func()
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	n, err := w.buf.Write(p)
	w.mu.Unlock()
	if w.onWrite != nil {
		w.onWrite()
	}
	return n, err
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
