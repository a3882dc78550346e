package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
)

// version is the first byte of every sealed value, so the format can change without guessing.
const version = 1

// seal encrypts plain with key, binding it to aad (who and what it belongs to): a value copied
// into another person's or field's column does not open there.
func seal(key, plain, aad []byte) ([]byte, error) {
	g, err := gcm(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 1+g.NonceSize(), 1+g.NonceSize()+len(plain)+g.Overhead())
	out[0] = version
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("keyring: nonce: %w", err)
	}
	return g.Seal(out, out[1:1+g.NonceSize()], plain, aad), nil
}

// errOpen hides why a value did not open (wrong key, altered bytes, wrong place): all three
// mean the same to the caller.
var errOpen = errors.New("keyring: the value does not open with this key")

func open(key, sealed, aad []byte) ([]byte, error) {
	g, err := gcm(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < 1+g.NonceSize()+g.Overhead() || sealed[0] != version {
		return nil, errOpen
	}
	plain, err := g.Open(nil, sealed[1:1+g.NonceSize()], sealed[1+g.NonceSize():], aad)
	if err != nil {
		return nil, errOpen
	}
	return plain, nil
}

func gcm(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return cipher.NewGCM(b)
}

func newKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("keyring: new key: %w", err)
	}
	return k, nil
}
