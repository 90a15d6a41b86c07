package web

import (
	"net/url"
	"strings"

	pb "github.com/adiekspor/temubisnis/gen/temubisnis/v1"
	"github.com/adiekspor/temubisnis/internal/auth"
)

type inboxData struct {
	Notifications []*pb.Notification
	Unread        int64
	UnreadOnly    bool
	NextPage      string
}

// inboxOf is the parent of the signed-in person's notifications: its firm,
// or the trade office.
func inboxOf(p *pageCtx) string {
	if p.role() == auth.RoleTradeOffice {
		return "tradeOffice"
	}
	return p.sess.principal.Resource
}

// inboxPage lists the signed-in firm's notifications, newest first.
func (w *Web) inboxPage(p *pageCtx) error {
	q := p.r.URL.Query()
	d := &inboxData{UnreadOnly: q.Get("unread") == "on"}
	resp, err := w.notifications.ListNotifications(p.api(), &pb.ListNotificationsRequest{
		Parent: inboxOf(p), PageSize: 50, PageToken: q.Get("page"), UnreadOnly: d.UnreadOnly,
	})
	if err != nil {
		return err
	}
	d.Notifications, d.Unread = resp.GetNotifications(), resp.GetUnreadCount()
	if t := resp.GetNextPageToken(); t != "" {
		v := url.Values{"page": {t}}
		if d.UnreadOnly {
			v.Set("unread", "on")
		}
		d.NextPage = "/inbox?" + v.Encode()
	}
	return p.ok("inbox.html", p.T("Inbox"), d)
}

// inboxReadPost marks a notification read and opens what it is about.
func (w *Web) inboxReadPost(p *pageCtx) error {
	name := inboxOf(p) + "/notifications/" + p.r.PathValue("notification")
	n, err := w.notifications.MarkNotificationRead(p.api(), &pb.MarkNotificationReadRequest{Name: name})
	if err != nil {
		return err
	}
	return p.redirect(localLink(n.GetLink()))
}

// localLink keeps the path of a notification's link to this site's pages
// (the link may be absolute, for e-mail).
func localLink(link string) string {
	if u, err := url.Parse(link); err == nil && strings.HasPrefix(u.Path, "/") {
		if next := safeNext(u.RequestURI()); next != "" {
			return next
		}
	}
	return "/inbox"
}
