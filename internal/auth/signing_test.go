package auth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func TestLoadOrCreateSigningKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "keys")
	key1, err := LoadOrCreateSigningKey(dir)
	if err != nil {
		t.Fatalf("first call: %v", err)
	}
	keyPath := filepath.Join(dir, SigningKeyFile)
	pubPath := filepath.Join(dir, PublicKeyFile)
	if runtime.GOOS != "windows" {
		if got := fileMode(t, keyPath); got != 0o600 {
			t.Errorf("key file mode %04o, want 0600", got)
		}
		if got := fileMode(t, dir); got != 0o700 {
			t.Errorf("directory mode %04o, want 0700", got)
		}
	}
	data1, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data1, []byte("-----BEGIN PRIVATE KEY-----")) {
		t.Errorf("key file is not a PKCS #8 PEM:\n%s", data1)
	}

	key2, err := LoadOrCreateSigningKey(dir)
	if err != nil {
		t.Fatalf("second call: %v", err)
	}
	if !key1.Equal(key2) {
		t.Error("second call returned a different key")
	}
	data2, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data1, data2) {
		t.Error("second call rewrote the key file")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{PublicKeyFile, SigningKeyFile}; strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("directory holds %v, want %v (no temporary files left)", names, want)
	}

	// The public key file is what a Verifier is configured with.
	v := newVerifier(t, VerifierOptions{KeyFile: pubPath})
	p := Principal{Subject: "demo-producer", Role: RoleProducer, Resource: "producers/kendang-makmur"}
	tok, err := Mint(key2, p, testIssuer, testAudience, time.Hour, t0)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := v.Verify(tok); err != nil || got.Subject != p.Subject {
		t.Errorf("Verify with the public key file: %+v, %v", got, err)
	}
}

func TestLoadOrCreateSigningKeyExistingDir(t *testing.T) {
	// An existing directory (the data directory, shared with the database)
	// keeps its mode; only the key file itself must be private.
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSigningKey(dir); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if got := fileMode(t, dir); got != 0o755 {
			t.Errorf("directory mode changed to %04o", got)
		}
		if got := fileMode(t, filepath.Join(dir, SigningKeyFile)); got != 0o600 {
			t.Errorf("key file mode %04o, want 0600", got)
		}
	}
}

func TestLoadOrCreateSigningKeyRepairsPublicKey(t *testing.T) {
	tests := []struct {
		name  string
		touch func(path string) error
	}{
		{"deleted", os.Remove},
		{"stale", func(path string) error {
			return os.WriteFile(path, pemPublic(t, otherEdKey().Public()), 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			key, err := LoadOrCreateSigningKey(dir)
			if err != nil {
				t.Fatal(err)
			}
			pubPath := filepath.Join(dir, PublicKeyFile)
			if err := tt.touch(pubPath); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadOrCreateSigningKey(dir); err != nil {
				t.Fatal(err)
			}
			keys, err := loadKeyFile(pubPath)
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != 1 || !key.Public().(ed25519.PublicKey).Equal(keys[0].key) {
				t.Errorf("public key file does not hold the signing key's public key")
			}
		})
	}
}

func TestLoadOrCreateSigningKeyRefuses(t *testing.T) {
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		mode os.FileMode
		want string
	}{
		{"readable by others", nil, 0o644, "chmod 600"},
		{"readable by the group", nil, 0o640, "chmod 600"},
		{"not PEM", []byte("hello"), 0o600, "no PKCS #8 private key"},
		{"public key", pemPublic(t, edKey().Public()), 0o600, "no PKCS #8 private key"},
		{"ECDSA key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER}), 0o600, "not an Ed25519 key"},
		{"corrupt DER", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("junk")}), 0o600, SigningKeyFile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.data == nil && runtime.GOOS == "windows" {
				t.Skip("no permission bits on Windows")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, SigningKeyFile)
			if tt.data == nil {
				if _, err := LoadOrCreateSigningKey(dir); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(path, tt.data, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.mode); err != nil {
				t.Fatal(err)
			}
			key, err := LoadOrCreateSigningKey(dir)
			if err == nil {
				t.Fatalf("LoadOrCreateSigningKey accepted the file (key %d bytes)", len(key))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "BEGIN") {
				t.Errorf("error quotes the file")
			}
		})
	}
}

// TestLoadOrCreateSigningKeyConcurrent: processes starting together on one
// data directory must end up with one key, not one each.
func TestLoadOrCreateSigningKeyConcurrent(t *testing.T) {
	dir := t.TempDir()
	const n = 16
	keys := make([]ed25519.PrivateKey, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keys[i], errs[i] = LoadOrCreateSigningKey(dir) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if !keys[i].Equal(keys[0]) {
			t.Errorf("call %d got a different key", i)
		}
	}
	onDisk, err := readSigningKey(filepath.Join(dir, SigningKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if !onDisk.Equal(keys[0]) {
		t.Error("the key on disk is not the one returned")
	}
}

func TestLoadOrCreateSigningKeyEmptyDir(t *testing.T) {
	if _, err := LoadOrCreateSigningKey(""); err == nil {
		t.Error("empty directory name accepted")
	}
}
