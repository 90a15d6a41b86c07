package grpcapi

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/notify"
	"github.com/adiekspor/temubisnis/internal/query"
	"github.com/adiekspor/temubisnis/internal/validate"
)

// NotificationService implements pb.NotificationServiceServer: the firms'
// inboxes and notification settings.
type NotificationService struct {
	pb.UnimplementedNotificationServiceServer
	base
	inbox InboxStore
}

func (s *NotificationService) enabled() error {
	if s.inbox == nil {
		return status.Error(codes.Unimplemented, "notifications are not enabled on this server")
	}
	return nil
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
func (s *NotificationService) ListNotifications(ctx context.Context, req *pb.ListNotificationsRequest) (*pb.ListNotificationsResponse, error) {
	if err := s.enabled(); err != nil {
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
	items, more, err := s.inbox.ListNotifications(ctx, req.GetParent(), after, req.GetUnreadOnly(), int(size))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	unread, err := s.inbox.CountUnread(ctx, req.GetParent())
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
func (s *NotificationService) MarkNotificationRead(ctx context.Context, req *pb.MarkNotificationReadRequest) (*pb.Notification, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	if _, ok := parseNotificationName(req.GetName()); !ok {
		return nil, invalid("name", `must be "{inbox}/notifications/{notification}", as in the name field of a listed notification`)
	}
	n, err := s.inbox.MarkNotificationRead(ctx, req.GetName(), s.now())
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
func (s *NotificationService) GetNotificationSettings(ctx context.Context, req *pb.GetNotificationSettingsRequest) (*pb.NotificationSettings, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	firm, ok := parseSettingsName(req.GetName())
	if !ok {
		return nil, invalid("name", `must be "producers/{producer}/notificationSettings" or "buyers/{buyer}/notificationSettings"`)
	}
	st, version, at, err := s.inbox.GetNotificationSettings(ctx, firm)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return settingsToProto(req.GetName(), st, version, at), nil
}

// UpdateNotificationSettings implements NotificationService.
func (s *NotificationService) UpdateNotificationSettings(ctx context.Context, req *pb.UpdateNotificationSettingsRequest) (*pb.NotificationSettings, error) {
	if err := s.enabled(); err != nil {
		return nil, err
	}
	patch := req.GetNotificationSettings()
	if patch == nil {
		return nil, invalid("notification_settings", "is required")
	}
	firm, etagVersion, paths, err := checkSettingsUpdate(patch, req.GetUpdateMask())
	if err != nil {
		return nil, err
	}
	st, version, _, err := s.inbox.GetNotificationSettings(ctx, firm)
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
	version, at, err := s.inbox.PutNotificationSettings(ctx, firm, st, version)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return settingsToProto(patch.GetName(), st, version, at), nil
}

// checkSettingsUpdate validates a settings update: the firm it is for,
// the version its etag names (-1 without one) and the paths to replace.
func checkSettingsUpdate(patch *pb.NotificationSettings, mask *fieldmaskpb.FieldMask) (firm string, etagVersion int64, paths []string, err error) {
	var v validate.Violations
	firm, ok := parseSettingsName(patch.GetName())
	if !ok {
		v.Add("notification_settings.name", `must be "producers/{producer}/notificationSettings" or "buyers/{buyer}/notificationSettings"`)
	}
	etagVersion = -1
	if e := patch.GetEtag(); e != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(e, "v"), 10, 64)
		if err != nil || !strings.HasPrefix(e, "v") || n < 0 {
			v.Add("notification_settings.etag", "is not an etag this service issued")
		}
		etagVersion = n
	}
	paths = maskPaths(&v, mask, patch, nil)
	for i, t := range patch.GetMutedEventTypes() {
		if !notify.KnownType(t) {
			v.Addf("notification_settings.muted_event_types["+strconv.Itoa(i)+"]", "%q is not an event type; see the README for the list", t)
		}
	}
	if l := patch.GetLanguageCode(); l != "" && l != "id" && l != "en" {
		v.Add("notification_settings.language_code", `must be "id", "en" or empty`)
	}
	return firm, etagVersion, paths, v.Err()
}
