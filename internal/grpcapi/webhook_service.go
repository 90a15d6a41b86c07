package grpcapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// WebhookService implements pb.WebhookServiceServer: webhook
// subscriptions, their delivery log, and the event stream
// (webhook_service_watch.go).
type WebhookService struct {
	pb.UnimplementedWebhookServiceServer
	base
	webhooks WebhookStore
	targets  notify.TargetPolicy
	// stop ends every WatchEvents stream (the server is shutting down:
	// a graceful stop would otherwise wait for them to its deadline).
	stop <-chan struct{}
}

func (s *WebhookService) enabled() error {
	if s.webhooks == nil {
		return status.Error(codes.Unimplemented, "notifications are not enabled on this server")
	}
	return nil
}

const subscriptionPrefix = "webhookSubscriptions/"

func parseSubscriptionName(name string) bool {
	id, ok := strings.CutPrefix(name, subscriptionPrefix)
	return ok && validate.ResourceID(id)
}

func subscriptionToProto(sub notify.Subscription) *pb.WebhookSubscription {
	return &pb.WebhookSubscription{Name: sub.Name, DisplayName: sub.DisplayName, Uri: sub.URL, EventTypes: sub.EventTypes,
		CreateTime: timestamppb.New(sub.CreateTime)}
}

// CreateWebhookSubscription implements WebhookService.
func (s *WebhookService) CreateWebhookSubscription(ctx context.Context, req *pb.CreateWebhookSubscriptionRequest) (*pb.WebhookSubscription, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	sub := req.GetWebhookSubscription()
	var v validate.Violations
	checkID(&v, "webhook_subscription_id", req.GetWebhookSubscriptionId())
	checkRequestID(&v, req.GetRequestId())
	if sub == nil {
		v.Add("webhook_subscription", "is required")
	}
	switch u := sub.GetUri(); {
	case u == "":
		v.Add("webhook_subscription.uri", "is required")
	case len(u) > 2048:
		v.Add("webhook_subscription.uri", "is longer than 2048 characters")
	default:
		if err := s.targets.CheckURL(u); err != nil {
			v.Add("webhook_subscription.uri", err.Error())
		}
	}
	if n := len(sub.GetSecret()); n < 32 || n > 256 {
		v.Add("webhook_subscription.secret", "must be 32 to 256 characters (e.g. 64 random hex digits)")
	}
	if len(sub.GetDisplayName()) > 200 {
		v.Add("webhook_subscription.display_name", "is longer than 200 characters")
	}
	for i, t := range sub.GetEventTypes() {
		if !notify.KnownType(t) {
			v.Addf("webhook_subscription.event_types["+strconv.Itoa(i)+"]", "%q is not an event type; see the README for the list", t)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	id := req.GetWebhookSubscriptionId()
	if id == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = "s" + hex.EncodeToString(b)
	}
	created, err := s.webhooks.CreateSubscription(ctx, notify.Subscription{Name: subscriptionPrefix + id, URL: sub.GetUri(),
		EventTypes: sub.GetEventTypes(), Secret: sub.GetSecret(), DisplayName: sub.GetDisplayName()}, req.GetRequestId())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return subscriptionToProto(created), nil
}

// GetWebhookSubscription implements WebhookService.
func (s *WebhookService) GetWebhookSubscription(ctx context.Context, req *pb.GetWebhookSubscriptionRequest) (*pb.WebhookSubscription, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	if !parseSubscriptionName(req.GetName()) {
		return nil, invalid("name", `must be "webhookSubscriptions/{webhook_subscription}"`)
	}
	sub, err := s.webhooks.GetSubscription(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return subscriptionToProto(sub), nil
}

// ListWebhookSubscriptions implements WebhookService.
func (s *WebhookService) ListWebhookSubscriptions(ctx context.Context, req *pb.ListWebhookSubscriptionsRequest) (*pb.ListWebhookSubscriptionsResponse, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	var v validate.Violations
	size := validate.PageSize(&v, "page_size", req.GetPageSize())
	fp := query.Fingerprint("ListWebhookSubscriptions")
	after, terr := query.DecodePageToken(req.GetPageToken(), fp)
	if terr != nil {
		v.Add("page_token", terr.Error())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	subs, more, err := s.webhooks.ListWebhookSubscriptions(ctx, after, int(size))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &pb.ListWebhookSubscriptionsResponse{}
	for _, sub := range subs {
		resp.WebhookSubscriptions = append(resp.WebhookSubscriptions, subscriptionToProto(sub))
	}
	resp.NextPageToken = nextToken(resp.WebhookSubscriptions, more, fp)
	return resp, nil
}

// DeleteWebhookSubscription implements WebhookService.
func (s *WebhookService) DeleteWebhookSubscription(ctx context.Context, req *pb.DeleteWebhookSubscriptionRequest) (*emptypb.Empty, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	if !parseSubscriptionName(req.GetName()) {
		return nil, invalid("name", `must be "webhookSubscriptions/{webhook_subscription}"`)
	}
	if err := s.webhooks.DeleteWebhookSubscription(ctx, req.GetName()); err != nil {
		return nil, s.err(ctx, err)
	}
	return &emptypb.Empty{}, nil
}

var deliveryStates = map[string]pb.WebhookDelivery_State{
	notify.Pending: pb.WebhookDelivery_PENDING, notify.Delivered: pb.WebhookDelivery_DELIVERED, notify.Dead: pb.WebhookDelivery_DEAD_LETTER,
}

func deliveryToProto(parent string, d notify.Delivery) *pb.WebhookDelivery {
	out := &pb.WebhookDelivery{Name: parent + "/deliveries/" + notify.Key(d.EventID), EventId: d.EventID, State: deliveryStates[d.State],
		AttemptCount: int32(d.Attempts), LastError: d.LastError, CreateTime: timestamppb.New(d.CreateTime)}
	if d.State == notify.Pending {
		out.NextAttemptTime = timestamppb.New(d.NextAttempt)
	}
	if !d.DoneTime.IsZero() {
		out.DoneTime = timestamppb.New(d.DoneTime)
	}
	for _, a := range d.Log {
		out.Attempts = append(out.Attempts, &pb.DeliveryAttempt{AttemptTime: timestamppb.New(a.Time), Duration: durationpb.New(a.Duration),
			HttpStatus: int32(a.Status), Error: a.Error})
	}
	return out
}

// ListWebhookDeliveries implements WebhookService.
func (s *WebhookService) ListWebhookDeliveries(ctx context.Context, req *pb.ListWebhookDeliveriesRequest) (*pb.ListWebhookDeliveriesResponse, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	var v validate.Violations
	if !parseSubscriptionName(req.GetParent()) {
		v.Add("parent", `must be "webhookSubscriptions/{webhook_subscription}"`)
	}
	size := validate.PageSize(&v, "page_size", req.GetPageSize())
	fp := query.Fingerprint("ListWebhookDeliveries", req.GetParent())
	after, terr := query.DecodePageToken(req.GetPageToken(), fp)
	if terr != nil {
		v.Add("page_token", terr.Error())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if _, err := s.webhooks.GetSubscription(ctx, req.GetParent()); err != nil {
		return nil, s.err(ctx, err)
	}
	ds, more, err := s.webhooks.ListDeliveries(ctx, req.GetParent(), after, int(size))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &pb.ListWebhookDeliveriesResponse{}
	for _, d := range ds {
		resp.WebhookDeliveries = append(resp.WebhookDeliveries, deliveryToProto(req.GetParent(), d))
	}
	if more && len(ds) > 0 {
		resp.NextPageToken = query.EncodePageToken(ds[len(ds)-1].ID, fp)
	}
	return resp, nil
}
