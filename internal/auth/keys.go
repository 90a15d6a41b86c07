package auth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// minRSABits is the smallest RSA modulus accepted. NIST retired 1024-bit RSA
// years ago; a provider still using it is a configuration error worth failing
// loudly on.
const minRSABits = 2048

// publicKey is one verification key with what restricts its use.
type publicKey struct {
	// kid is the key id: from the JWKS entry, or derived (keyID) for keys
	// from a PEM file, so that tokens minted by Mint find their key directly.
	kid string
	// alg, when the JWKS entry names one, is the only algorithm the key may
	// verify. Empty means any algorithm that fits the key type.
	alg string
	key crypto.PublicKey
}

// fits reports whether k can verify a token signed with alg. Checking the key
// type against the algorithm ourselves (the library would also fail, later)
// keeps a key of one kind from ever being handed to another algorithm.
func (k publicKey) fits(alg string) bool {
	if k.alg != "" && k.alg != alg {
		return false
	}
	switch key := k.key.(type) {
	case *rsa.PublicKey:
		switch alg {
		case "RS256", "RS384", "RS512", "PS256":
			return true
		}
	case *ecdsa.PublicKey:
		return alg == "ES256" && key.Curve == elliptic.P256()
	case ed25519.PublicKey:
		return alg == "EdDSA"
	}
	return false
}

// checkPublicKey accepts the key types and sizes the verifier supports.
func checkPublicKey(key crypto.PublicKey) error {
	switch k := key.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return fmt.Errorf("RSA key of %d bits is too short (minimum %d)", k.N.BitLen(), minRSABits)
		}
		return nil
	case *ecdsa.PublicKey:
		if k.Curve != elliptic.P256() {
			return fmt.Errorf("ECDSA key on curve %s is not supported (only P-256)", k.Curve.Params().Name)
		}
		return nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return fmt.Errorf("Ed25519 key of %d bytes is malformed", len(k))
		}
		return nil
	default:
		return fmt.Errorf("unsupported key type %T", key)
	}
}

// keyID derives a key id from a public key: the base64url form of the first
// 8 bytes of the SHA-256 of its PKIX encoding. Stable across restarts and
// machines, and short; it identifies a key among a handful, it is not a
// security boundary (the signature is).
func keyID(key crypto.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return base64.RawURLEncoding.EncodeToString(sum[:8]), nil
}

// loadKeyFile reads the public keys of a PEM file: "PUBLIC KEY" blocks (PKIX:
// RSA, ECDSA P-256, Ed25519) and "RSA PUBLIC KEY" blocks (PKCS #1). A private
// key in the file is an error rather than something to derive a public key
// from: it means a secret was copied where it does not belong.
func loadKeyFile(path string) ([]publicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	keys, err := parsePublicKeysPEM(data)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return keys, nil
}

func parsePublicKeysPEM(data []byte) ([]publicKey, error) {
	var keys []publicKey
	rest := data
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		var key crypto.PublicKey
		var err error
		switch block.Type {
		case "PUBLIC KEY":
			key, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			key, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
			return nil, fmt.Errorf("block %d is a private key; give the verifier public keys only", n)
		default:
			return nil, fmt.Errorf("block %d: unsupported PEM type %q", n, block.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", n, err)
		}
		if err := checkPublicKey(key); err != nil {
			return nil, fmt.Errorf("block %d: %w", n, err)
		}
		kid, err := keyID(key)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", n, err)
		}
		keys = append(keys, publicKey{kid: kid, key: key})
	}
	// pem.Decode skips text it does not understand; a file that is nothing
	// but such text (a JWKS or a DER file saved under the wrong name) must
	// not quietly give a verifier that accepts nothing.
	if len(keys) == 0 {
		return nil, errors.New("no PEM public key found")
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, errors.New("unexpected data after the last PEM block")
	}
	return keys, nil
}
