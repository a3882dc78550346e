package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestBadTokensAreRefusedWith401(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := e.token("udp.valle-trompia")
	if r := e.call("GET", "valle-trompia", "/api/v1/me", good, nil); r.status != http.StatusOK {
		t.Fatalf("a good token: %d %s", r.status, r.body)
	}
	parts := strings.Split(good, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])

	// Another identity provider with the same users and clients: a different issuer.
	other := newEnv(t)
	foreign := other.token("udp.valle-trompia")

	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "not-a-known-key"))
	unknownKey, _ := signer.Sign(payload)
	unknownKeyJWT, _ := unknownKey.CompactSerialize()

	hmacSigner, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("a-guessable-shared-secret-of-32b")}, nil)
	hmac, _ := hmacSigner.Sign(payload)
	hmacJWT, _ := hmac.CompactSerialize()

	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + "."
	tamperedPayload := strings.Replace(string(payload), `"valle-trompia:udp"`, `"valle-trompia:assemblea"`, 1)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(tamperedPayload)) + "." + parts[2]
	if tamperedPayload == string(payload) {
		t.Fatal("the tampering changed nothing")
	}

	cases := map[string]string{
		"for another district (audience)":  e.token("udp.trento"),
		"from another issuer":              foreign,
		"signed with an unknown key":       unknownKeyJWT,
		"signed with HMAC (alg confusion)": hmacJWT,
		"alg none":                         none,
		"tampered payload":                 tampered,
		"not a JWT":                        "abc.def",
		"for the platform (audience)":      e.token("operator"),
	}
	for name, tok := range cases {
		if r := e.call("GET", "valle-trompia", "/api/v1/me", tok, nil); r.status != http.StatusUnauthorized || !strings.Contains(string(r.body), `"unauthenticated"`) {
			t.Errorf("token %s: %d %s, want 401", name, r.status, r.body)
		}
	}
	for _, h := range []string{"Basic dXNlcjpwYXNz", "Bearer ", "Bearer", good} {
		if r := e.call("GET", "valle-trompia", "/api/v1/me", "", nil, "Authorization", h); r.status != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d, want 401", h, r.status)
		}
	}

	// Expired: the same good token, once the server's clock is past its hour of life.
	e.clock.advance(61 * time.Minute)
	if r := e.call("GET", "valle-trompia", "/api/v1/me", good, nil); r.status != http.StatusUnauthorized {
		t.Errorf("an expired token: %d %s, want 401", r.status, r.body)
	}
}
