package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/devidp"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

func TestDevIssuerSettingIsLoopbackOnly(t *testing.T) {
	t.Parallel()
	for issuer, ok := range map[string]bool{
		"":                       true, // production: no development provider
		"http://localhost:19998": true,
		"http://127.0.0.1:19998": true,
		"https://login.comunitamontana.valletrompia.it": false,
		"http://0.0.0.0:9998":                           false,
		"http://localhost:9998/realms/x":                false,
	} {
		env := map[string]string{"DATABASE_URL": "postgres://x", "AMBITI_DEV_IDP_ISSUER": issuer}
		c, err := parseConfig("serve", nil, func(k string) string { return env[k] }, io.Discard)
		var ue usageError
		switch {
		case ok && (err != nil || c.DevIssuer != issuer):
			t.Errorf("AMBITI_DEV_IDP_ISSUER=%q: %v (DevIssuer %q)", issuer, err, c.DevIssuer)
		case !ok && !errors.As(err, &ue):
			t.Errorf("AMBITI_DEV_IDP_ISSUER=%q: %v, want a usage error", issuer, err)
		}
	}
}

// The shipped district files, unchanged, with the development provider on a port of the test's
// choosing: the districts and the platform host accept that provider's tokens. (With the files'
// old fixed http://localhost:9998 a second copy of the platform could log in to no district.)
func TestDistrictsLogInWithTheConfiguredDevelopmentProvider(t *testing.T) {
	t.Parallel()
	idp := startDevIdP(t)

	d, _, _ := tenancytest.Provisioned(t, db.Config{}) // the files as shipped
	env := map[string]string{
		"DATABASE_URL":                       "postgres://unused",
		"AMBITI_DEV_IDP_ISSUER":              idp.Issuer,
		"AMBITI_PLATFORM_OIDC_ISSUER":        idp.Issuer,
		"AMBITI_PLATFORM_OIDC_CLIENT_SECRET": "dev-secret-platform",
		"AMBITI_OIDC_SECRET_VALLE_TROMPIA":   "dev-secret-valle-trompia",
		"AMBITI_OIDC_SECRET_TERRE_DARGINE":   "dev-secret-terre-dargine",
		"AMBITI_OIDC_SECRET_TRENTO":          "dev-secret-trento",
		"AMBITI_MASTER_KEY":                  testMasterKey,
	}
	getenv := func(k string) string { return env[k] }
	c, err := parseConfig("serve", nil, getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c.ShutdownTimeout = 5 * time.Second
	_, port := serveAssembled(t, c, d, getenv)
	client := loopbackClient()

	for _, tc := range []struct{ user, host string }{
		{"udp.valle-trompia", "valle-trompia.localhost"},
		{"udp.terre-dargine", "terre-dargine.localhost"},
		{"udp.trento", "trento.localhost"},
		{"regione.lombardia", "localhost"},
	} {
		u, _ := idp.User(tc.user)
		redirect, err := devidp.DefaultRedirectURI(u.Client)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := devidp.FetchToken(context.Background(), idp, tc.user, redirect, nil)
		if err != nil {
			t.Fatalf("token for %s: %v", tc.user, err)
		}
		req, _ := http.NewRequest("GET", "http://"+tc.host+":"+port+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s on %s with the provider at %s: %d %s", tc.user, tc.host, idp.Issuer, res.StatusCode, body)
		}
	}
}
