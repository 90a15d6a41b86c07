package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want []string // in what the command printed
	}{
		{"help", []string{"help"}, 2, []string{"usage: temubisnis", "temubisnis token"}},
		{"unknown command", []string{"serve"}, 2, []string{`unknown command "serve"`, "usage: temubisnis"}},
		{"argument after flags", []string{"-seed", "none", "extra"}, 2, []string{`unexpected argument "extra"`}},
		{"-h lists subcommands and flags", []string{"-h"}, 0, []string{"temubisnis token", "-http-addr", "-seed"}},
		{"unknown flag", []string{"-no-such-flag"}, 2, []string{"flag provided but not defined"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := exitCode(run(context.Background(), tc.args, &stderr), &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d; printed:\n%s", code, tc.code, stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, stderr.String())
				}
			}
		})
	}
}

// A port in use stops the command before the embedded database starts, so
// nothing is written to the data directory.
func TestPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	var stderr bytes.Buffer
	err = run(context.Background(), []string{"-http-addr", l.Addr().String(), "-grpc-addr", "127.0.0.1:0", "-data-dir", dir}, &stderr)
	if err == nil || !strings.Contains(err.Error(), l.Addr().String()) || !strings.Contains(err.Error(), "-http-addr") {
		t.Fatalf("with the HTTP port taken: %v", err)
	}
	if code := exitCode(err, &stderr); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the data directory was written before the port check: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(dir, "ferretdb")); !os.IsNotExist(err) {
		t.Errorf("the embedded database started: %v", err)
	}
}

func TestApplyMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	applyMemoryLimit(300 << 20)
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Fatalf("limit after applyMemoryLimit(300MiB) = %d", got)
	}
	// 0 leaves the limit in force (GOMEMLIMIT's, or none) alone.
	if prev := applyMemoryLimit(0); prev != 300<<20 {
		t.Fatalf("applyMemoryLimit(0) reported %d", prev)
	}
	if got := debug.SetMemoryLimit(-1); got != 300<<20 {
		t.Fatalf("applyMemoryLimit(0) changed the limit to %d", got)
	}
}
