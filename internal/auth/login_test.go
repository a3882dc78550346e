package auth

import "testing"

func TestSafeReturnKeepsOnlyAPathOnThisHost(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "/",
		"/piani/3?stato=bozza":  "/piani/3?stato=bozza",
		"/obiettivi/1#budget":   "/obiettivi/1#budget",
		"//evil.example/x":      "/",
		"/\t/evil.example/":     "/",
		"/\\evil.example":       "/",
		"\\\\evil.example":      "/",
		"/\r\n/evil.example":    "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"evil.example":          "/",
		"/%2F/evil.example":     "/",
	} {
		if got := safeReturn(in); got != want {
			t.Errorf("safeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOnlyAccessTokensAreAPICredentials(t *testing.T) {
	const header = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"    // {"alg":"RS256","typ":"JWT"}
	const atJWT = "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9" // {"alg":"RS256","typ":"at+jwt"}
	for name, c := range map[string]struct {
		raw    string
		claims map[string]any
		want   bool
	}{
		"zitadel access token":  {header + ".x.y", map[string]any{"client_id": "c", "jti": "1"}, true},
		"keycloak access token": {header + ".x.y", map[string]any{"typ": "Bearer", "azp": "c"}, true},
		"RFC 9068 access token": {atJWT + ".x.y", map[string]any{"sub": "s"}, true},
		"ID token with nonce":   {header + ".x.y", map[string]any{"nonce": "n", "client_id": "c"}, false},
		"ID token with at_hash": {header + ".x.y", map[string]any{"at_hash": "h"}, false},
		"keycloak ID token":     {header + ".x.y", map[string]any{"typ": "ID", "scope": "openid"}, false},
		"nothing to tell":       {header + ".x.y", map[string]any{"sub": "s"}, false},
	} {
		if got := isAccessToken(c.raw, c.claims); got != c.want {
			t.Errorf("%s: isAccessToken = %v, want %v", name, got, c.want)
		}
	}
}
