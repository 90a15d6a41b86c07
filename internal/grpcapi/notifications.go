package grpcapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"time"

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

// NotificationStore keeps inboxes, settings, webhook subscriptions and the
// delivery log; mongostore.Store implements it.
type NotificationStore interface {
	ListNotifications(ctx context.Context, recipient, after string, unreadOnly bool, pageSize int) ([]notify.Notification, bool, error)
	CountUnread(ctx context.Context, recipient string) (int64, error)
	MarkNotificationRead(ctx context.Context, name string, at time.Time) (notify.Notification, error)
	GetNotificationSettings(ctx context.Context, firm string) (notify.Settings, int64, time.Time, error)
	PutNotificationSettings(ctx context.Context, firm string, st notify.Settings, version int64) (int64, time.Time, error)

	CreateSubscription(ctx context.Context, sub notify.Subscription, requestID string) (notify.Subscription, error)
	GetSubscription(ctx context.Context, name string) (notify.Subscription, error)
	ListWebhookSubscriptions(ctx context.Context, after string, pageSize int) ([]notify.Subscription, bool, error)
	DeleteWebhookSubscription(ctx context.Context, name string) error
	ListDeliveries(ctx context.Context, target, after string, pageSize int) ([]notify.Delivery, bool, error)
	EventsAfter(ctx context.Context, after string, limit int) ([]notify.Event, error)
}

// notificationsState is what the notification services need.
type notificationsState struct {
	store   NotificationStore
	targets notify.TargetPolicy
	// stop ends every WatchEvents stream (the server is shutting down:
	// a graceful stop would otherwise wait for them to its deadline).
	stop <-chan struct{}
}

var (
	_ pb.NotificationServiceServer = (*Service)(nil)
	_ pb.WebhookServiceServer      = (*Service)(nil)
)

// WithNotifications enables the inbox and webhook services on st; targets
// says which webhook addresses subscriptions may name.
func (s *Service) WithNotifications(st NotificationStore, targets notify.TargetPolicy) *Service {
	s.notifications = &notificationsState{store: st, targets: targets}
	return s
}

// WithWatchStop ends WatchEvents streams, UNAVAILABLE, when stop is
// closed, so that clients resume on another replica.
func (s *Service) WithWatchStop(stop <-chan struct{}) *Service {
	if s.notifications != nil {
		s.notifications.stop = stop
	}
	return s
}

func (s *Service) notificationsOn() (*notificationsState, error) {
	if s.notifications == nil {
		return nil, status.Error(codes.Unimplemented, "notifications are not enabled on this server")
	}
	return s.notifications, nil
}

const inboxHelp = `must be "producers/{producer}", "buyers/{buyer}" or "tradeOffice"`

// parseInbox checks an inbox name: a producer, a buyer or the trade office.
func parseInbox(name string) bool {
	if name == notify.TradeOffice {
		return true
	}
	if _, ok := parseProducerName(name); ok {
		return true
	}
	_, ok := parseBuyerName(name)
	return ok
}

var notificationKey = regexp.MustCompile(`^[0-9a-f]{24}$`)

// parseNotificationName splits "{inbox}/notifications/{key}".
func parseNotificationName(name string) (inbox string, ok bool) {
	i := strings.LastIndex(name, "/notifications/")
	if i < 0 {
		return "", false
	}
	inbox, key := name[:i], name[i+len("/notifications/"):]
	return inbox, parseInbox(inbox) && notificationKey.MatchString(key)
}

func notificationToProto(n notify.Notification) *pb.Notification {
	out := &pb.Notification{Name: n.Name, EventId: n.EventID, EventType: string(n.Type), Subject: n.Subject, Link: n.Link,
		Params: n.Params, CreateTime: timestamppb.New(n.CreateTime)}
	if !n.ReadTime.IsZero() {
		out.ReadTime = timestamppb.New(n.ReadTime)
	}
	return out
}

// ListNotifications implements NotificationService.
func (s *Service) ListNotifications(ctx context.Context, req *pb.ListNotificationsRequest) (*pb.ListNotificationsResponse, error) {
	ns, err := s.notificationsOn()
	if err != nil {
		return nil, err
	}
	var v validate.Violations
	if !parseInbox(req.GetParent()) {
		v.Add("parent", inboxHelp)
	}
	size := validate.PageSize(&v, "page_size", req.GetPageSize())
	fp := query.Fingerprint("ListNotifications", req.GetParent(), strconv.FormatBool(req.GetUnreadOnly()))
	after, terr := query.DecodePageToken(req.GetPageToken(), fp)
	if terr != nil {
		v.Add("page_token", terr.Error())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	items, more, err := ns.store.ListNotifications(ctx, req.GetParent(), after, req.GetUnreadOnly(), int(size))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	unread, err := ns.store.CountUnread(ctx, req.GetParent())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	resp := &pb.ListNotificationsResponse{UnreadCount: unread}
	for _, n := range items {
		resp.Notifications = append(resp.Notifications, notificationToProto(n))
	}
	if more && len(items) > 0 {
		last := items[len(items)-1]
		resp.NextPageToken = query.EncodePageToken(notify.SortKey(last.CreateTime, last.Name), fp)
	}
	return resp, nil
}

// MarkNotificationRead implements NotificationService.
func (s *Service) MarkNotificationRead(ctx context.Context, req *pb.MarkNotificationReadRequest) (*pb.Notification, error) {
	ns, err := s.notificationsOn()
	if err != nil {
		return nil, err
	}
	if _, ok := parseNotificationName(req.GetName()); !ok {
		return nil, invalid("name", `must be "{inbox}/notifications/{notification}", as in the name field of a listed notification`)
	}
	n, err := ns.store.MarkNotificationRead(ctx, req.GetName(), s.now())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return notificationToProto(n), nil
}

const settingsSuffix = "/notificationSettings"

// parseSettingsName checks "{producer or buyer}/notificationSettings".
func parseSettingsName(name string) (firm string, ok bool) {
	firm, ok = strings.CutSuffix(name, settingsSuffix)
	if !ok || firm == notify.TradeOffice {
		return "", false
	}
	return firm, parseInbox(firm)
}

func settingsToProto(name string, st notify.Settings, version int64, at time.Time) *pb.NotificationSettings {
	out := &pb.NotificationSettings{Name: name, EmailDisabled: st.EmailDisabled, MutedEventTypes: st.MutedTypes, LanguageCode: st.Language,
		Etag: "v" + strconv.FormatInt(version, 10)}
	if !at.IsZero() {
		out.UpdateTime = timestamppb.New(at)
	}
	return out
}

// GetNotificationSettings implements NotificationService.
func (s *Service) GetNotificationSettings(ctx context.Context, req *pb.GetNotificationSettingsRequest) (*pb.NotificationSettings, error) {
	ns, err := s.notificationsOn()
	if err != nil {
		return nil, err
	}
	firm, ok := parseSettingsName(req.GetName())
	if !ok {
		return nil, invalid("name", `must be "producers/{producer}/notificationSettings" or "buyers/{buyer}/notificationSettings"`)
	}
	st, version, at, err := ns.store.GetNotificationSettings(ctx, firm)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return settingsToProto(req.GetName(), st, version, at), nil
}

// UpdateNotificationSettings implements NotificationService.
func (s *Service) UpdateNotificationSettings(ctx context.Context, req *pb.UpdateNotificationSettingsRequest) (*pb.NotificationSettings, error) {
	ns, err := s.notificationsOn()
	if err != nil {
		return nil, err
	}
	patch := req.GetNotificationSettings()
	var v validate.Violations
	if patch == nil {
		return nil, invalid("notification_settings", "is required")
	}
	firm, ok := parseSettingsName(patch.GetName())
	if !ok {
		v.Add("notification_settings.name", `must be "producers/{producer}/notificationSettings" or "buyers/{buyer}/notificationSettings"`)
	}
	var etagVersion int64 = -1
	if e := patch.GetEtag(); e != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(e, "v"), 10, 64)
		if err != nil || !strings.HasPrefix(e, "v") || n < 0 {
			v.Add("notification_settings.etag", "is not an etag this service issued")
		}
		etagVersion = n
	}
	paths := maskPaths(&v, req.GetUpdateMask(), patch, nil)
	for i, t := range patch.GetMutedEventTypes() {
		if !notify.KnownType(t) {
			v.Addf("notification_settings.muted_event_types["+strconv.Itoa(i)+"]", "%q is not an event type; see the README for the list", t)
		}
	}
	if l := patch.GetLanguageCode(); l != "" && l != "id" && l != "en" {
		v.Add("notification_settings.language_code", `must be "id", "en" or empty`)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	st, version, _, err := ns.store.GetNotificationSettings(ctx, firm)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if etagVersion >= 0 && etagVersion != version {
		return nil, status.Error(codes.Aborted, "the notification settings changed since they were read; read them again (etag)")
	}
	for _, p := range paths {
		switch p {
		case "email_disabled":
			st.EmailDisabled = patch.GetEmailDisabled()
		case "muted_event_types":
			st.MutedTypes = patch.GetMutedEventTypes()
		case "language_code":
			st.Language = patch.GetLanguageCode()
		}
	}
	version, at, err := ns.store.PutNotificationSettings(ctx, firm, st, version)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return settingsToProto(patch.GetName(), st, version, at), nil
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
func (s *Service) CreateWebhookSubscription(ctx context.Context, req *pb.CreateWebhookSubscriptionRequest) (*pb.WebhookSubscription, error) {
	ns, err := s.notificationsOn()
	if err != nil {
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
		if err := ns.targets.CheckURL(u); err != nil {
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
	created, err := ns.store.CreateSubscription(ctx, notify.Subscription{Name: subscriptionPrefix + id, URL: sub.GetUri(),
		EventTypes: sub.GetEventTypes(), Secret: sub.GetSecret(), DisplayName: sub.GetDisplayName()}, req.GetRequestId())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return subscriptionToProto(created), nil
}

// GetWebhookSubscription implements WebhookService.
func (s *Service) GetWebhookSubscription(ctx context.Context, req *pb.GetWebhookSubscriptionRequest) (*pb.WebhookSubscription, error) {
	ns, err := s.notificationsOn()
	if err != nil {
		return nil, err
	}
	if !parseSubscriptionName(req.GetName()) {
		return nil, invalid("name", `must be "webhookSubscriptions/{webhook_subscription}"`)
	}
	sub, err := ns.store.GetSubscription(ctx, req.GetName())
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return subscriptionToProto(sub), nil
}

// ListWebhookSubscriptions implements WebhookService.
func (s *Service) ListWebhookSubscriptions(ctx context.Context, req *pb.ListWebhookSubscriptionsRequest) (*pb.ListWebhookSubscriptionsResponse, error) {
	ns, err := s.notificationsOn()
	if err != nil {
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
	subs, more, err := ns.store.ListWebhookSubscriptions(ctx, after, int(size))
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
func (s *Service) DeleteWebhookSubscription(ctx context.Context, req *pb.DeleteWebhookSubscriptionRequest) (*emptypb.Empty, error) {
	ns, err := s.notificationsOn()
	if err != nil {
		return nil, err
	}
	if !parseSubscriptionName(req.GetName()) {
		return nil, invalid("name", `must be "webhookSubscriptions/{webhook_subscription}"`)
	}
	if err := ns.store.DeleteWebhookSubscription(ctx, req.GetName()); err != nil {
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
func (s *Service) ListWebhookDeliveries(ctx context.Context, req *pb.ListWebhookDeliveriesRequest) (*pb.ListWebhookDeliveriesResponse, error) {
	ns, err := s.notificationsOn()
	if err != nil {
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
	if _, err := ns.store.GetSubscription(ctx, req.GetParent()); err != nil {
		return nil, s.err(ctx, err)
	}
	ds, more, err := ns.store.ListDeliveries(ctx, req.GetParent(), after, int(size))
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
