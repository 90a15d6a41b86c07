package policy

import (
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
)

// The rows of the notification and webhook services live in this file,
// merged into the table at start, so that the services' rules read
// together. Inboxes and settings belong to their firm (the trade office
// reads every one); the trade office's own inbox and the webhook
// subscriptions are the trade office's.
const (
	notif = "/temubisnis.v1.NotificationService/"
	hooks = "/temubisnis.v1.WebhookService/"
)

var notifyRules = map[string]rule{
	notif + "ListNotifications":       {grantable: true, check: func(c *call) error { return c.ownInbox(c.req.(*pb.ListNotificationsRequest).GetParent()) }},
	notif + "MarkNotificationRead":    {write: true, check: func(c *call) error { return c.ownInbox(c.req.(*pb.MarkNotificationReadRequest).GetName()) }},
	notif + "GetNotificationSettings": {grantable: true, check: func(c *call) error { return c.ownInbox(c.req.(*pb.GetNotificationSettingsRequest).GetName()) }},
	notif + "UpdateNotificationSettings": {write: true, check: func(c *call) error {
		return c.ownInbox(c.req.(*pb.UpdateNotificationSettingsRequest).GetNotificationSettings().GetName())
	}},

	hooks + "CreateWebhookSubscription": {write: true},
	hooks + "GetWebhookSubscription":    {grantable: true},
	hooks + "ListWebhookSubscriptions":  {grantable: true},
	hooks + "DeleteWebhookSubscription": {write: true},
	hooks + "ListWebhookDeliveries":     {grantable: true},
	// A server stream: the interceptor authorises its one request.
	hooks + "WatchEvents": {grantable: true},
}

func init() {
	for m, r := range notifyRules {
		if _, dup := table[m]; dup {
			panic("policy: two rows for " + m)
		}
		table[m] = r
	}
}

// ownInbox: a firm's notifications and settings are its own. Another
// buyer's inbox is not found (buyers are private); another producer's is
// refused (producers are public, their inboxes are not). The trade office's
// inbox ("tradeOffice/...") is for the trade office alone.
func (c *call) ownInbox(name string) error {
	if err := c.signedIn(); err != nil || c.owns(name) || name == "" {
		return err
	}
	if strings.HasPrefix(name, "buyers/") {
		return hide("buyer", name)
	}
	return c.deny("a firm reads only its own notifications")
}
