package web

import (
	"errors"
	"net/http"
	"strings"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Errors of the web app itself (the API's come as gRPC statuses).
var (
	errNotFound = errors.New("not found")
	errSignIn   = errors.New("sign in needed")
	errCSRF     = errors.New("form token missing or wrong")
	errBadForm  = errors.New("form could not be read")
	errBadText  = errors.New("text that is not UTF-8")
	errNotYours = errors.New("not yours")
)

// errorPage is what the error template shows.
type errorPage struct {
	Status  int
	Title   string
	Message string
	SignIn  bool
}

// fail answers with a page a person can act on: never a JSON error or an
// internal message. Unexpected errors are logged in full with the request
// path; the page gives only the status.
func (w *Web) fail(p *pageCtx, err error) {
	e := errorPage{Status: http.StatusInternalServerError, Title: p.T("Something went wrong"), Message: p.T("Please try again in a moment.")}
	switch {
	case errors.Is(err, errNotFound):
		e = errorPage{Status: http.StatusNotFound, Title: p.T("Page not found"), Message: p.T("There is nothing at this address.")}
	case errors.Is(err, errSignIn):
		e = errorPage{Status: http.StatusUnauthorized, Title: p.T("Please sign in"), Message: p.T("This page is for signed-in users."), SignIn: true}
		if p.expired {
			e.Title, e.Message = p.T("Session expired"), p.T("Your session has expired. Please sign in again.")
		}
	case errors.Is(err, errCSRF):
		e = errorPage{Status: http.StatusForbidden, Title: p.T("Form expired"), Message: p.T("This form was not sent from this site or is too old. Go back, reload the page and try again.")}
	case errors.Is(err, errBadForm):
		e = errorPage{Status: http.StatusBadRequest, Title: p.T("The form could not be read"), Message: p.T("Go back and try again.")}
	case errors.Is(err, errBadText):
		e = errorPage{Status: http.StatusBadRequest, Title: p.T("The address or form cannot be read"), Message: p.T("It contains characters that are not valid text. Check the link, or go back and type it again.")}
	case errors.Is(err, errNotYours):
		e = errorPage{Status: http.StatusForbidden, Title: p.T("Not allowed"), Message: p.T("This page belongs to another firm.")}
	default:
		st, ok := status.FromError(err)
		if !ok {
			w.log.ErrorContext(p.r.Context(), "web page failed", "path", p.r.URL.Path, "error", err)
			break
		}
		switch st.Code() {
		case codes.NotFound:
			e = errorPage{Status: http.StatusNotFound, Title: p.T("Page not found"), Message: p.T("There is nothing at this address, or it is not visible to you.")}
		case codes.Unauthenticated:
			// The token ran out or was refused: the session is over.
			if p.sess != nil {
				w.sessions.remove(p.sess.id)
				w.setCookie(p.rw, w.sessionCookieName(), "", -1)
			}
			e = errorPage{Status: http.StatusUnauthorized, Title: p.T("Session expired"), Message: p.T("Your session has expired. Please sign in again."), SignIn: true}
		case codes.PermissionDenied:
			e = errorPage{Status: http.StatusForbidden, Title: p.T("Not allowed"), Message: p.T("Your account may not do this.")}
		case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
			e = errorPage{Status: http.StatusBadRequest, Title: p.T("That did not work"), Message: st.Message()}
		case codes.AlreadyExists, codes.Aborted:
			e = errorPage{Status: http.StatusConflict, Title: p.T("Changed meanwhile"), Message: p.T("Someone changed this at the same time. Go back, reload the page and try again.")}
		case codes.ResourceExhausted:
			e = errorPage{Status: http.StatusTooManyRequests, Title: p.T("Too many requests"), Message: p.T("Please wait a moment and try again.")}
		case codes.Unavailable, codes.DeadlineExceeded:
			e = errorPage{Status: http.StatusServiceUnavailable, Title: p.T("Temporarily unavailable"), Message: p.T("The service is busy or under maintenance. Please try again in a minute.")}
		default:
			w.log.ErrorContext(p.r.Context(), "web page failed", "path", p.r.URL.Path, "code", st.Code().String(), "error", st.Message())
		}
	}
	p.render(e.Status, "error.html", e.Title, e)
}

// fieldErrors turns an INVALID_ARGUMENT's field violations into messages
// by form field: the violation's last path element ("listing.price_min.units"
// gives "price_min"). Violations of fields the form does not show are listed
// under "".
func fieldErrors(err error, formFields map[string]bool) (map[string]string, bool) {
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.InvalidArgument {
		return nil, false
	}
	out := map[string]string{}
	for _, d := range st.Details() {
		br, ok := d.(*errdetails.BadRequest)
		if !ok {
			continue
		}
		for _, v := range br.GetFieldViolations() {
			key := formField(v.GetField(), formFields)
			msg := v.GetDescription()
			if lm := v.GetLocalizedMessage(); lm != nil && lm.GetMessage() != "" {
				msg = lm.GetMessage()
			}
			if key == "" {
				msg = v.GetField() + " " + msg
			}
			if prev, ok := out[key]; ok {
				msg = prev + "; " + msg
			}
			out[key] = msg
		}
	}
	if len(out) == 0 {
		out[""] = st.Message()
	}
	return out, true
}

// formField finds the form field a violation's path names: the longest
// dotted suffix that is a form field ("buying_request.target_price.units"
// matches "target_price").
func formField(path string, fields map[string]bool) string {
	parts := strings.Split(path, ".")
	for i := range parts {
		name := parts[i]
		if j := strings.IndexByte(name, '['); j >= 0 {
			name = name[:j]
		}
		if fields[name] {
			return name
		}
	}
	return ""
}
