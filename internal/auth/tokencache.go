package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// verifiedTokens remembers the access tokens already verified, until each expires: an API
// client sends the same token on every call, and checking its RS256 signature again each
// time was 7% of a list's CPU. A token is only ever found again for the same issuer and
// client (the same host's audience), and never past its own expiry by the service's clock.
// A JWT cannot be revoked before it expires, so remembering it changes no outcome.
type verifiedTokens struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]verifiedToken
}

type verifiedToken struct {
	claims claims
	expiry time.Time
}

// maxVerifiedTokens bounds the cache: past it, expired entries go, and if none has expired the
// cache starts again empty (every token is then verified once more, nothing is refused).
const maxVerifiedTokens = 20_000

func newVerifiedTokens() *verifiedTokens {
	return &verifiedTokens{entries: map[[sha256.Size]byte]verifiedToken{}}
}

func tokenKey(c Client, raw string) [sha256.Size]byte {
	return sha256.Sum256([]byte(c.Issuer + "\x00" + c.ClientID + "\x00" + raw))
}

// get returns the claims of a token verified before for c and still valid at now.
func (v *verifiedTokens) get(c Client, raw string, now time.Time) (claims, bool) {
	k := tokenKey(c, raw)
	v.mu.Lock()
	e, ok := v.entries[k]
	v.mu.Unlock()
	if !ok || !now.Before(e.expiry) {
		return claims{}, false
	}
	return e.claims, true
}

// put remembers a token that passed every check, until expiry.
func (v *verifiedTokens) put(c Client, raw string, cl claims, expiry, now time.Time) {
	if !now.Before(expiry) {
		return
	}
	k := tokenKey(c, raw)
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.entries) >= maxVerifiedTokens {
		for key, e := range v.entries {
			if !now.Before(e.expiry) {
				delete(v.entries, key)
			}
		}
		if len(v.entries) >= maxVerifiedTokens {
			clear(v.entries)
		}
	}
	v.entries[k] = verifiedToken{claims: cl, expiry: expiry}
}
