package auth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// File names of the local signing key pair inside the data directory.
const (
	SigningKeyFile = "jwt-signing-key.pem"
	PublicKeyFile  = "jwt-public-key.pem"
)

// LoadOrCreateSigningKey returns the Ed25519 key in dir/jwt-signing-key.pem,
// creating it (and dir, mode 0700) the first time. It also (re)writes
// dir/jwt-public-key.pem, the matching public key, for a Verifier's KeyFile.
//
// The key signs tokens for local use only; production verifies tokens of an
// external identity provider. It is refused if other users may read it
// (like ssh does), since anyone who can read it can become the trade office.
func LoadOrCreateSigningKey(dir string) (ed25519.PrivateKey, error) {
	if dir == "" {
		return nil, errors.New("auth: signing key directory is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: create key directory: %w", err)
	}
	path := filepath.Join(dir, SigningKeyFile)
	key, err := readSigningKey(path)
	if errors.Is(err, fs.ErrNotExist) {
		key, err = createSigningKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	if err := writePublicKey(filepath.Join(dir, PublicKeyFile), key.Public().(ed25519.PublicKey)); err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return key, nil
}

// LoadSigningKey returns the key LoadOrCreateSigningKey keeps in dir, without
// creating one: an error wrapping fs.ErrNotExist means there is none.
func LoadSigningKey(dir string) (ed25519.PrivateKey, error) {
	key, err := readSigningKey(filepath.Join(dir, SigningKeyFile))
	if err != nil {
		return nil, fmt.Errorf("auth: %w", err)
	}
	return key, nil
}

func readSigningKey(path string) (ed25519.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // opened for reading
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	// Windows has no such permission bits; its ACLs are the owner's business.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s is accessible to other users (mode %04o); chmod 600 it", path, info.Mode().Perm())
	}
	data, err := readAllLimited(f, 64<<10)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("%s holds no PKCS #8 private key", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%s holds a %T, not an Ed25519 key", path, parsed)
	}
	return key, nil
}

func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errors.New("file too large for a key")
	}
	return data, nil
}

// createSigningKey writes a new key to a temporary file and links it into
// place. The link fails if the name exists, so two processes starting at
// once on the same data directory agree on one key (the loser reads the
// winner's) and nobody ever reads a half-written file.
func createSigningKey(path string) (ed25519.PrivateKey, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode signing key: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	tmp, err := writeTemp(filepath.Dir(path), data, 0o600)
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.Remove(tmp) }() // gone already once renamed
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readSigningKey(path)
		}
		return nil, fmt.Errorf("store signing key: %w", err)
	}
	return key, nil
}

// writePublicKey writes the public key file unless it already holds exactly
// this key. It is derived data, so replacing it (atomically) is always safe.
func writePublicKey(path string, pub ed25519.PublicKey) error {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return fmt.Errorf("encode public key: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp, err := writeTemp(filepath.Dir(path), data, 0o644)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp) // best effort: the write already failed
		return fmt.Errorf("store public key: %w", err)
	}
	return nil
}

// writeTemp writes data to a new file in dir, synced to disk, and returns its
// name. os.CreateTemp creates it 0600, so a private key is never readable by
// others, not even for a moment.
func writeTemp(dir string, data []byte, mode os.FileMode) (string, error) {
	f, err := os.CreateTemp(dir, ".jwt-key-*.tmp")
	if err != nil {
		return "", fmt.Errorf("create key file: %w", err)
	}
	name := f.Name()
	err = f.Chmod(mode)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name) // best effort: the write already failed
		return "", fmt.Errorf("write key file: %w", err)
	}
	return name, nil
}

// Mint signs a token for p with key (EdDSA), valid from now for ttl. The
// "kid" header is derived from the public key the same way a Verifier derives
// it for the keys of its key file, so the key is found without trying all.
// Mint refuses a principal that Verify would refuse.
func Mint(key ed25519.PrivateKey, p Principal, issuer, audience string, ttl time.Duration, now time.Time) (string, error) {
	if len(key) != ed25519.PrivateKeySize {
		return "", errors.New("auth: malformed Ed25519 key")
	}
	if issuer == "" || audience == "" {
		return "", errors.New("auth: issuer and audience are required")
	}
	if ttl <= 0 {
		return "", errors.New("auth: token lifetime must be positive")
	}
	if err := validatePrincipal(p); err != nil {
		return "", fmt.Errorf("auth: cannot mint token: %w", err)
	}
	kid, err := keyID(key.Public())
	if err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	// A unique id per token lets an audit trail tell two tokens of the same
	// subject apart.
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", fmt.Errorf("auth: %w", err)
	}
	claims := tokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   p.Subject,
			Audience:  jwt.ClaimStrings{audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
			NotBefore: jwt.NewNumericDate(now),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        base64.RawURLEncoding.EncodeToString(jti),
		},
		Role:     p.Role.String(),
		Resource: p.Resource,
		Methods:  p.Methods,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	t.Header["kid"] = kid
	s, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("auth: sign token: %w", err)
	}
	return s, nil
}
