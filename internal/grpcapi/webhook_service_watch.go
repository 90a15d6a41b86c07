package grpcapi

import (
	"context"
	"regexp"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// Watch tuning: how often the events collection is polled (FerretDB has
// no change streams), and how far behind its position each poll looks
// again. Sequence keys come from the clock of the replica that stored the
// event, so an event stored a little late, or by a replica whose clock is
// behind, can sort before events already sent; the lookback finds it, and
// the ids sent within it are not sent twice.
const (
	watchPoll     = 250 * time.Millisecond
	watchLookback = 5 * time.Second
	watchBatch    = 200
)

var seqPattern = regexp.MustCompile(`^[0-9]{19}-[0-9a-f]{24}$`)

// WatchEvents implements WebhookService.
func (s *WebhookService) WatchEvents(req *pb.WatchEventsRequest, stream grpc.ServerStreamingServer[pb.WatchEventsResponse]) error {
	if err := s.enabled(); err != nil {
		return err
	}
	w, err := s.newWatch(req, stream)
	if err != nil {
		return err
	}
	// The headers go out at once, so that a client knows the stream was
	// accepted before the first event.
	if err := stream.SendHeader(metadata.MD{}); err != nil {
		return err
	}
	ctx := stream.Context()
	tick := time.NewTicker(watchPoll)
	defer tick.Stop()
	for {
		if err := w.poll(ctx); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		w.forget()
		select {
		case <-ctx.Done():
			return nil
		case <-s.stop:
			return status.Error(codes.Unavailable, "the server is shutting down; resume with the last resume_token")
		case <-tick.C:
		}
	}
}

// watch is the state of one WatchEvents stream.
type watch struct {
	s      *WebhookService
	stream grpc.ServerStreamingServer[pb.WatchEventsResponse]
	types  map[notify.Type]bool
	// pos is the newest sequence key seen; floor the oldest one to send.
	pos, floor string
	// sent holds the ids sent within the lookback, with their store time.
	sent map[string]time.Time
}

// newWatch validates a WatchEvents request. A new stream starts now: the
// lookback must not bring up events from before it. A resumed one may
// repeat the lookback's events.
func (s *WebhookService) newWatch(req *pb.WatchEventsRequest, stream grpc.ServerStreamingServer[pb.WatchEventsResponse]) (*watch, error) {
	var v validate.Violations
	w := &watch{s: s, stream: stream, types: map[notify.Type]bool{}, pos: req.GetResumeToken(), sent: map[string]time.Time{}}
	if w.pos != "" && !seqPattern.MatchString(w.pos) {
		v.Add("resume_token", "is not a token this service issued; send the resume_token of a response, or none")
	}
	for i, t := range req.GetEventTypes() {
		if !notify.KnownType(t) {
			v.Addf("event_types["+strconv.Itoa(i)+"]", "%q is not an event type; see the README for the list", t)
		}
		w.types[notify.Type(t)] = true
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if w.pos == "" {
		w.pos = notify.SeqKey(s.now())
		w.floor = w.pos
	}
	return w, nil
}

// poll sends the events stored since the last poll (looking back
// watchLookback), batch by batch. A read that fails because the stream
// ended is not an error.
func (w *watch) poll(ctx context.Context) error {
	from := w.pos
	if t, ok := notify.SeqTime(w.pos); ok {
		from = notify.SeqKey(t.Add(-watchLookback))
	}
	for {
		evs, err := w.s.webhooks.EventsAfter(ctx, from, watchBatch)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return w.s.err(ctx, err)
		}
		for _, e := range evs {
			if err := w.send(e); err != nil {
				return err
			}
		}
		if len(evs) < watchBatch {
			return nil
		}
		from = evs[len(evs)-1].Seq
	}
}

// send sends e unless it was sent already, is older than the stream or is
// of a type the client did not ask for.
func (w *watch) send(e notify.Event) error {
	if e.Seq > w.pos {
		w.pos = e.Seq
	}
	if _, done := w.sent[e.ID]; done || e.Seq < w.floor || (len(w.types) > 0 && !w.types[e.Type]) {
		return nil
	}
	at, _ := notify.SeqTime(e.Seq)
	w.sent[e.ID] = at
	return w.stream.Send(&pb.WatchEventsResponse{ResumeToken: w.pos, Event: &pb.NotificationEvent{
		Id: e.ID, Type: string(e.Type), EventTime: timestamppb.New(e.Time), Subject: e.Subject, Data: e.Data,
	}})
}

// forget drops the ids sent before the lookback of the current position.
func (w *watch) forget() {
	t, ok := notify.SeqTime(w.pos)
	if !ok {
		return
	}
	for id, at := range w.sent {
		if at.Before(t.Add(-2 * watchLookback)) {
			delete(w.sent, id)
		}
	}
}
