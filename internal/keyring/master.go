// Package keyring encrypts a district's special-category personal data in the application
// (AES-256-GCM) with envelope keys: a data key per person, wrapped by a key per district,
// wrapped by a master key that comes from the environment and never touches the database.
// Destroying a person's key makes every copy of their encrypted fields unreadable; rotating
// the master key rewraps the district keys and re-encrypts no data.
package keyring

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// KeySize is the size of every key: AES-256.
const KeySize = 32

// Master is the platform's key-encryption key.
type Master struct {
	id  string // fingerprint stored beside what it wraps, so a wrong key is named, not guessed
	key []byte
}

// ID is the master key's fingerprint (not secret).
func (m Master) ID() string { return m.id }

// ParseMaster reads a master key written as base64 (standard or URL alphabet) of 32 bytes.
func ParseMaster(text string) (Master, error) {
	text = strings.TrimSpace(text)
	var key []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if key, err = enc.DecodeString(text); err == nil {
			break
		}
	}
	if err != nil || len(key) != KeySize {
		return Master{}, fmt.Errorf("keyring: the master key must be %d random bytes in base64 (openssl rand -base64 32)", KeySize)
	}
	sum := sha256.Sum256(append([]byte("ambiti master key id\x00"), key...))
	return Master{id: hex.EncodeToString(sum[:8]), key: key}, nil
}

// ErrNoMaster is returned when neither variable names a master key.
var ErrNoMaster = errors.New("keyring: no master key: set AMBITI_MASTER_KEY (base64 of 32 random bytes) or AMBITI_MASTER_KEY_FILE")

// LoadMaster reads the master key from the variable named name (the key in base64) or, when
// that is empty, from the file named by name+"_FILE" (a secret mounted by the orchestrator).
func LoadMaster(getenv func(string) string, name string) (Master, error) {
	if v := getenv(name); v != "" {
		return ParseMaster(v)
	}
	if path := getenv(name + "_FILE"); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return Master{}, fmt.Errorf("keyring: read %s_FILE: %w", name, err)
		}
		return ParseMaster(string(b))
	}
	return Master{}, ErrNoMaster
}
