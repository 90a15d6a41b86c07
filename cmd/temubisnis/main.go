// Command temubisnis serves the temubisnis API (gRPC and REST) that matches
// Blitar export producers with foreign buyers. With no MongoDB URI it starts
// an embedded FerretDB filled with demo data, so `go run ./cmd/temubisnis` is
// all a newcomer needs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/adiekspor/temubisnis/internal/app"
	"github.com/adiekspor/temubisnis/internal/config"
)

const usage = `usage: temubisnis [flags]           serve the API: gRPC, REST, OpenAPI, health, metrics
       temubisnis token -role ROLE  print a bearer token signed with the local key
       temubisnis help              print this text

Run "temubisnis token -h" for the token command's flags. Every server flag
can also be set by the environment variable named after it.`

// errUsage marks a command line that names nothing temubisnis does; main
// exits 2 for it, as command-line tools do.
var errUsage = errors.New("usage")

func main() {
	os.Exit(exitCode(run(context.Background(), os.Args[1:], os.Stderr), os.Stderr))
}

// exitCode reports err and returns the process's exit status: 0 for
// success and for -h, 2 for a bad command line, 1 for everything else.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "temubisnis:", err)
	if errors.Is(err, config.ErrUsage) {
		return 2
	}
	return 1
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "token":
			return runToken(args[1:], os.Getenv, os.Stdout, stderr)
		case "help":
			fmt.Fprintln(stderr, usage)
			return errUsage
		}
		fmt.Fprintf(stderr, "temubisnis: unknown command %q\n\n%s\n", args[0], usage)
		return errUsage
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			// The flag package lists the flags after this.
			fmt.Fprintf(stderr, "%s\n\n", usage)
			break
		}
	}
	cfg, err := config.ParseOutput(args, os.Getenv, stderr)
	if err != nil {
		return err
	}
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(stderr, opts)
	}
	log := slog.New(h)
	slog.SetDefault(log)
	log.Info("starting temubisnis", "config", cfg)
	if prev := applyMemoryLimit(cfg.MemoryLimit); cfg.MemoryLimit > 0 {
		log.Info("memory limit set", "bytes", cfg.MemoryLimit, "was", prev)
	}

	// A port in use is found before the database starts and demo data is
	// written, not a minute later when the listeners open.
	if err := checkAddrs(map[string]string{"-http-addr": cfg.HTTPAddr, "-grpc-addr": cfg.GRPCAddr}); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.Start(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Run(ctx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// applyMemoryLimit sets the Go runtime's soft memory limit to limit bytes,
// when limit is positive, and returns the limit in force before. With a
// limit the collector runs more often as the heap nears it, instead of
// letting the heap grow to twice the live data (GOGC=100): at 100,000
// listings that headroom is most of the process's memory.
func applyMemoryLimit(limit int64) int64 {
	if limit <= 0 {
		return debug.SetMemoryLimit(-1)
	}
	return debug.SetMemoryLimit(limit)
}

// checkAddrs listens on each address once and lets go again. Another
// program may still take a port in between; the server's own listen then
// fails as before, only later.
func checkAddrs(addrs map[string]string) error {
	for _, flagName := range []string{"-http-addr", "-grpc-addr"} {
		addr := addrs[flagName]
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("cannot listen on %s (%s): %w; is temubisnis already running? choose another address with %s", addr, flagName, err, flagName)
		}
		_ = l.Close() // only a probe that the port is free
	}
	return nil
}
