package tenancy_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/ambiti/ambiti/internal/db"
	"github.com/ambiti/ambiti/internal/tenancy"
	"github.com/ambiti/ambiti/internal/tenancy/tenancytest"
)

// The demo districts log in with the development provider of whichever instance serves them:
// their files name the placeholder, never a fixed address (a fixed http://localhost:9998 left
// a second copy of the platform on other ports unable to log in to any district).
func TestShippedDistrictsNameTheDevelopmentProviderByPlaceholder(t *testing.T) {
	for _, d := range realDefinitions(t).Districts {
		if d.OIDC.Issuer != tenancy.DevIssuerPlaceholder {
			t.Errorf("tenants/%s.yaml: oidc.issuer %q, want %q", d.Slug, d.OIDC.Issuer, tenancy.DevIssuerPlaceholder)
		}
	}
}

// With the development provider moved to another port, every district that names the
// placeholder logs in there; a district naming a real issuer keeps it, with or without a
// development provider; an instance without one (production) offers no login for the former.
func TestDevelopmentIssuerFollowsTheConfiguredOne(t *testing.T) {
	const prod = "https://login.comunitamontana.valletrompia.it/realms/ambiti"
	d, _, _ := tenancytest.ProvisionedWith(t, db.Config{}, func(defs *tenancy.Definitions) {
		for i := range defs.Districts {
			if defs.Districts[i].Slug == "valle-trompia" {
				defs.Districts[i].OIDC.Issuer = prod
			}
		}
	})
	ctx := context.Background()
	issuers := func(reg *tenancy.Registry) map[string]string {
		t.Helper()
		got := map[string]string{}
		for _, slug := range []string{"valle-trompia", "terre-dargine", "trento"} {
			tn, err := reg.Lookup(ctx, slug)
			if err != nil {
				t.Fatalf("Lookup(%s): %v", slug, err)
			}
			got[slug] = tn.OIDC.Issuer
		}
		listed, err := reg.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, tn := range listed {
			if got[tn.Slug] != tn.OIDC.Issuer {
				t.Errorf("%s: Lookup gives issuer %q, List %q", tn.Slug, got[tn.Slug], tn.OIDC.Issuer)
			}
		}
		return got
	}

	const moved = "http://localhost:19998"
	got := issuers(tenancy.NewRegistry(d, time.Minute, tenancy.WithDevIssuer(moved)))
	want := map[string]string{"valle-trompia": prod, "terre-dargine": moved, "trento": moved}
	for slug, w := range want {
		if got[slug] != w {
			t.Errorf("development provider at %s: %s logs in at %q, want %q", moved, slug, got[slug], w)
		}
	}

	got = issuers(tenancy.NewRegistry(d, time.Minute))
	want = map[string]string{"valle-trompia": prod, "terre-dargine": "", "trento": ""}
	for slug, w := range want {
		if got[slug] != w {
			t.Errorf("no development provider: %s logs in at %q, want %q", slug, got[slug], w)
		}
	}
}

func TestCheckDevIssuerAcceptsOnlyLoopback(t *testing.T) {
	for _, ok := range []string{"http://localhost:9998", "http://localhost:19998", "http://127.0.0.1:9998",
		"http://127.3.4.5:1", "http://[::1]:9998", "https://idp.localhost:8443", "http://LOCALHOST:1"} {
		if err := tenancy.CheckDevIssuer(ok); err != nil {
			t.Errorf("CheckDevIssuer(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "localhost:9998", "ftp://localhost:1", "http://localhost:9998/", "http://localhost:9998/realms/x",
		"http://localhost:1?x=1", "http://u:p@localhost:1", "https://login.example.it", "http://0.0.0.0:9998",
		"http://192.168.1.10:9998", "http://localhost.example.com:1", "http://[::ffff:8.8.8.8]:1", tenancy.DevIssuerPlaceholder} {
		if err := tenancy.CheckDevIssuer(bad); err == nil {
			t.Errorf("CheckDevIssuer(%q) accepted it", bad)
		}
	}
}

// Only the exact placeholder stands for the development provider; any other non-URL issuer is
// refused at load, naming the file and field.
func TestOnlyTheExactPlaceholderIsAccepted(t *testing.T) {
	src := func(issuer string) fstest.MapFS {
		return fstest.MapFS{
			"regions/trento.yaml": &fstest.MapFile{Data: []byte(`slug: trento
name: Provincia autonoma di Trento
kind: provincia_autonoma
catalogue: {name: Aree, source: test, areas: [{code: A, name: Area}]}
`)},
			"trento.yaml": &fstest.MapFile{Data: []byte(`slug: trento
name: Trento
short_name: Trento
region: trento
lead_body: Provincia
health_authorities: [{kind: APSS, name: APSS}]
municipalities: [{name: Trento}]
oidc: {issuer: "` + issuer + `", client_id: ambiti-trento}
`)},
		}
	}
	defs, err := tenancy.LoadDefinitions(src(tenancy.DevIssuerPlaceholder), "tenants")
	if err != nil || defs.Districts[0].OIDC.Issuer != tenancy.DevIssuerPlaceholder {
		t.Fatalf("the placeholder: %v, %+v", err, defs.Districts)
	}
	for _, bad := range []string{"${AMBITI_DEV_IDP_ADDR}", "${HOME}", "$AMBITI_DEV_IDP_ISSUER", "${AMBITI_DEV_IDP_ISSUER}/realms/x"} {
		_, err := tenancy.LoadDefinitions(src(bad), "tenants")
		if err == nil || !strings.Contains(err.Error(), "tenants/trento.yaml: oidc.issuer") {
			t.Errorf("issuer %q: %v, want refused naming tenants/trento.yaml: oidc.issuer", bad, err)
		}
	}
}
