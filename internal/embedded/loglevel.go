package embedded

import (
	"context"
	"log/slog"
	"strings"
)

// warnAndAbove passes on only records at slog.LevelWarn or higher. FerretDB logs every connection
// start and stop at Info, which would drown the service's own logs.
//
// It also drops FerretDB's echo of failed commands: FerretDB 1.24 logs the header and body of
// every response with ok: 0 at Warn ("Response header: ..." and a multi-line "Response
// message: ..."). Those are errors the client receives and handles (a duplicate key on an
// idempotent create, the driver's endSessions at disconnect, which FerretDB does not implement),
// not problems of the server, and logging each one at Warn would make warnings meaningless.
// When FerretDB closes the connection over a response it logs the same records at Error; those
// are kept.
type warnAndAbove struct{ next slog.Handler }

func (h warnAndAbove) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.next.Enabled(ctx, l)
}

// Handle filters as well, for callers that reach the handler without asking Enabled first.
func (h warnAndAbove) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn || isCommandErrorEcho(r) {
		return nil
	}
	return h.next.Handle(ctx, r)
}

func (h warnAndAbove) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnAndAbove{h.next.WithAttrs(attrs)}
}

func (h warnAndAbove) WithGroup(name string) slog.Handler {
	return warnAndAbove{h.next.WithGroup(name)}
}

func isCommandErrorEcho(r slog.Record) bool {
	return r.Level == slog.LevelWarn &&
		(strings.HasPrefix(r.Message, "Response header: ") || strings.HasPrefix(r.Message, "Response message:"))
}
