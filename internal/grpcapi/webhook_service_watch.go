package grpcapi

import (
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
	ctx := stream.Context()
	var v validate.Violations
	pos := req.GetResumeToken()
	if pos != "" && !seqPattern.MatchString(pos) {
		v.Add("resume_token", "is not a token this service issued; send the resume_token of a response, or none")
	}
	types := map[notify.Type]bool{}
	for i, t := range req.GetEventTypes() {
		if !notify.KnownType(t) {
			v.Addf("event_types["+strconv.Itoa(i)+"]", "%q is not an event type; see the README for the list", t)
		}
		types[notify.Type(t)] = true
	}
	if err := v.Err(); err != nil {
		return err
	}
	// A new stream starts now: the lookback must not bring up events
	// from before it. A resumed one may repeat the lookback's events.
	floor := ""
	if pos == "" {
		pos = notify.SeqKey(s.now())
		floor = pos
	}
	// The headers go out at once, so that a client knows the stream was
	// accepted before the first event.
	if err := stream.SendHeader(metadata.MD{}); err != nil {
		return err
	}
	sent := map[string]time.Time{} // id -> store time, within the lookback
	tick := time.NewTicker(watchPoll)
	defer tick.Stop()
	for {
		from := pos
		if t, ok := notify.SeqTime(pos); ok {
			from = notify.SeqKey(t.Add(-watchLookback))
		}
		for {
			evs, err := s.webhooks.EventsAfter(ctx, from, watchBatch)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return s.err(ctx, err)
			}
			for _, e := range evs {
				if e.Seq > pos {
					pos = e.Seq
				}
				if _, done := sent[e.ID]; done || e.Seq < floor || (len(types) > 0 && !types[e.Type]) {
					continue
				}
				at, _ := notify.SeqTime(e.Seq)
				sent[e.ID] = at
				if err := stream.Send(&pb.WatchEventsResponse{ResumeToken: pos, Event: &pb.NotificationEvent{
					Id: e.ID, Type: string(e.Type), EventTime: timestamppb.New(e.Time), Subject: e.Subject, Data: e.Data,
				}}); err != nil {
					return err
				}
			}
			if len(evs) < watchBatch {
				break
			}
			from = evs[len(evs)-1].Seq
		}
		if t, ok := notify.SeqTime(pos); ok {
			for id, at := range sent {
				if at.Before(t.Add(-2 * watchLookback)) {
					delete(sent, id)
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.stop:
			return status.Error(codes.Unavailable, "the server is shutting down; resume with the last resume_token")
		case <-tick.C:
		}
	}
}
