package check

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/compose-spec/compose-go/v2/types"
	"sigs.k8s.io/yaml"
)

const (
	composeFile = "../compose.yaml"
	realmsDir   = "../keycloak/realms"
)

// deploy/compose.yaml is valid for the Compose specification (its JSON schema, as embedded in
// compose-go) and loads as a project: every service, dependency and volume resolves.
func TestComposeFileIsValid(t *testing.T) {
	b, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(raw); err != nil {
		t.Fatalf("compose schema: %v", err)
	}

	abs, _ := filepath.Abs(composeFile)
	project, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  filepath.Dir(abs),
		ConfigFiles: []types.ConfigFile{{Filename: abs, Content: b}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) { o.SetProjectName("ambiti", true) })
	if err != nil {
		t.Fatalf("compose load: %v", err)
	}
	for _, name := range []string{"db", "keycloak", "migrate", "ambiti"} {
		if _, err := project.GetService(name); err != nil {
			t.Errorf("service %s: %v", name, err)
		}
	}
	kc, _ := project.GetService("keycloak")
	if !strings.HasPrefix(kc.Image, "quay.io/keycloak/keycloak:") || !strings.Contains(strings.Join(kc.Command, " "), "--import-realm") {
		t.Errorf("keycloak: image %q command %v", kc.Image, kc.Command)
	}
	// the realm folder the keycloak service imports, and the tenants folder Ambiti reads, exist
	for _, svc := range project.Services {
		for _, vol := range svc.Volumes {
			if vol.Type == types.VolumeTypeBind {
				if _, err := os.Stat(vol.Source); err != nil {
					t.Errorf("service %s mounts %s: %v", svc.Name, vol.Source, err)
				}
			}
		}
	}
}

// The Keycloak realm files parse, name their realm as their file, and each holds users and one
// confidential client with PKCE S256 and the roles and org claims.
func TestKeycloakRealmsParse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realmsDir, "*.json"))
	if len(files) < 4 {
		t.Fatalf("realm files %v: want the three districts and platform", files)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Realm   string `json:"realm"`
			Enabled bool   `json:"enabled"`
			Users   []struct {
				Username    string           `json:"username"`
				Credentials []map[string]any `json:"credentials"`
				RealmRoles  []string         `json:"realmRoles"`
			} `json:"users"`
			Clients []struct {
				ClientID        string            `json:"clientId"`
				PublicClient    bool              `json:"publicClient"`
				Secret          string            `json:"secret"`
				RedirectURIs    []string          `json:"redirectUris"`
				Attributes      map[string]string `json:"attributes"`
				ProtocolMappers []struct {
					Config map[string]string `json:"config"`
				} `json:"protocolMappers"`
			} `json:"clients"`
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if r.Realm != strings.TrimSuffix(filepath.Base(f), ".json") || !r.Enabled || len(r.Users) == 0 || len(r.Clients) != 1 {
			t.Errorf("%s: realm %q enabled %v, %d users, %d clients", f, r.Realm, r.Enabled, len(r.Users), len(r.Clients))
			continue
		}
		c := r.Clients[0]
		claims := map[string]bool{}
		for _, m := range c.ProtocolMappers {
			claims[m.Config["claim.name"]] = true
		}
		if c.PublicClient || c.Secret == "" || c.Attributes["pkce.code.challenge.method"] != "S256" ||
			len(c.RedirectURIs) == 0 || !claims["roles"] || !claims["org"] {
			t.Errorf("%s: client %+v", f, c)
		}
		for _, u := range r.Users {
			if len(u.Credentials) != 1 || len(u.RealmRoles) == 0 {
				t.Errorf("%s: user %s without password or roles", f, u.Username)
			}
		}
	}
}
