// Package keycloak turns the development identity provider's users (deploy/dev/idp.yaml) into
// Keycloak realms for deploy/compose.yaml, one realm per district plus "platform" for the
// regional bodies and the operator, so that the compose stack logs in the same demo users, with
// the same password and the same "roles" and "org" claims, as `make run`.
//
// The realm files under realms/ and the compose copy of the district definitions under
// ../compose/tenants/ are generated (go test ./deploy/keycloak -update) and committed; the
// package's test fails when they drift from idp.yaml or tenants/.
package keycloak

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/ambiti/ambiti/internal/devidp"
)

// Keycloak is where the compose stack's Keycloak answers, for browsers (*.localhost is
// loopback) and for the Ambiti container alike (a network alias of the keycloak service), so
// that one issuer URL works from both sides.
const Keycloak = "http://keycloak.localhost:8081"

// PlatformRealm holds the users of the platform host (regional bodies, operator).
const PlatformRealm = "platform"

// Issuer is the OIDC issuer of a realm.
func Issuer(realm string) string { return Keycloak + "/realms/" + realm }

// RealmOf names the realm of a dev IdP client: "ambiti-<slug>" → slug, "ambiti-platform" →
// "platform".
func RealmOf(clientID string) (string, error) {
	slug, ok := strings.CutPrefix(clientID, "ambiti-")
	if !ok || slug == "" {
		return "", fmt.Errorf("keycloak: client %q is not named ambiti-<slug>", clientID)
	}
	return slug, nil
}

// Realms builds one realm per client of the development provider, holding the users who log
// in through that client. The result maps the realm name to its JSON (Keycloak's realm
// representation, as `kc.sh import` and `start-dev --import-realm` read it).
func Realms(cfg devidp.Config) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, cl := range cfg.Clients {
		name, err := RealmOf(cl.ID)
		if err != nil {
			return nil, err
		}
		redirect, err := devidp.DefaultRedirectURI(cl.ID)
		if err != nil {
			return nil, err
		}
		r := realm{
			Realm:                name,
			DisplayName:          "Ambiti demo — " + name,
			Enabled:              true,
			SSLRequired:          "none", // the compose stack is plain http on loopback
			RegistrationAllowed:  false,
			ResetPasswordAllowed: false,
			Components:           userProfile(),
		}
		roleSet := map[string]bool{}
		for _, u := range cfg.Users {
			if u.Client != cl.ID {
				continue
			}
			first, last, _ := strings.Cut(u.Name, " ")
			ku := user{
				Username: u.Username, Enabled: true, Email: u.Email, EmailVerified: true,
				FirstName: first, LastName: last,
				Credentials: []credential{{Type: "password", Value: cfg.Password}},
				RealmRoles:  u.Roles,
			}
			if u.Organisation != "" {
				ku.Attributes = map[string][]string{"org": {u.Organisation}}
			}
			r.Users = append(r.Users, ku)
			for _, role := range u.Roles {
				roleSet[role] = true
			}
		}
		roles := make([]string, 0, len(roleSet))
		for role := range roleSet {
			roles = append(roles, role)
		}
		sort.Strings(roles)
		for _, role := range roles {
			r.Roles.Realm = append(r.Roles.Realm, realmRole{Name: role, Description: "Ambiti role claim value (deploy/dev/idp.yaml)"})
		}
		origin := strings.TrimSuffix(redirect, "/auth/callback")
		r.Clients = []client{{
			ClientID: cl.ID, Name: "Ambiti " + name, Enabled: true, Protocol: "openid-connect",
			ClientAuthenticatorType: "client-secret", Secret: cl.Secret,
			StandardFlowEnabled: true,
			RedirectURIs:        []string{redirect},
			WebOrigins:          []string{origin},
			Attributes: map[string]string{
				"pkce.code.challenge.method": "S256",
				"post.logout.redirect.uris":  origin + "/*",
			},
			ProtocolMappers: []mapper{
				// "roles": the realm roles as a flat list of strings, the claim the district's
				// realmRolemapping reads (tenants/<slug>.yaml roles_claim).
				{Name: "roles", Protocol: "openid-connect", ProtocolMapper: "oidc-usermodel-realm-role-mapper",
					Config: claimConfig("roles", map[string]string{"multivalued": "true"})},
				// "org": the partner organisation of a coop user (organisation_claim).
				{Name: "org", Protocol: "openid-connect", ProtocolMapper: "oidc-usermodel-attribute-mapper",
					Config: claimConfig("org", map[string]string{"user.attribute": "org", "multivalued": "false"})},
			},
		}}
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return nil, err
		}
		out[name] = append(b, '\n')
	}
	return out, nil
}

func claimConfig(claim string, extra map[string]string) map[string]string {
	c := map[string]string{
		"claim.name": claim, "jsonType.label": "String",
		"id.token.claim": "true", "access.token.claim": "true", "userinfo.token.claim": "true",
		"introspection.token.claim": "true",
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

// userProfile declares the "org" attribute: since Keycloak 24 the user profile is always on and
// an attribute it does not declare is not managed (nor reliably mapped into tokens).
func userProfile() map[string][]component {
	rw := map[string][]string{"view": {"admin", "user"}, "edit": {"admin", "user"}}
	name := map[string]any{"length": map[string]int{"max": 255}, "person-name-prohibited-characters": map[string]any{}}
	profile := map[string]any{
		"attributes": []map[string]any{
			{"name": "username", "displayName": "${username}", "permissions": rw, "multivalued": false,
				"validations": map[string]any{"length": map[string]int{"min": 3, "max": 255}, "username-prohibited-characters": map[string]any{}, "up-username-not-idn-homograph": map[string]any{}}},
			{"name": "email", "displayName": "${email}", "permissions": rw, "multivalued": false,
				"required":    map[string][]string{"roles": {"user"}},
				"validations": map[string]any{"email": map[string]any{}, "length": map[string]int{"max": 255}}},
			{"name": "firstName", "displayName": "${firstName}", "permissions": rw, "multivalued": false,
				"required": map[string][]string{"roles": {"user"}}, "validations": name},
			{"name": "lastName", "displayName": "${lastName}", "permissions": rw, "multivalued": false,
				"required": map[string][]string{"roles": {"user"}}, "validations": name},
			{"name": "org", "displayName": "Organizzazione / Organisation (Ambiti org claim)", "multivalued": false,
				"permissions": map[string][]string{"view": {"admin", "user"}, "edit": {"admin"}}},
		},
		"groups": []map[string]string{{"name": "user-metadata", "displayHeader": "User metadata", "displayDescription": "Attributes, which refer to user metadata"}},
	}
	b, _ := json.Marshal(profile) // plain maps and slices: cannot fail
	return map[string][]component{"org.keycloak.userprofile.UserProfileProvider": {{
		ProviderID: "declarative-user-profile", SubComponents: map[string]any{},
		Config: map[string][]string{"kc.user.profile.config": {string(b)}},
	}}}
}

// The subset of Keycloak's RealmRepresentation written here (field names as Keycloak's JSON).
type realm struct {
	Realm                string `json:"realm"`
	DisplayName          string `json:"displayName"`
	Enabled              bool   `json:"enabled"`
	SSLRequired          string `json:"sslRequired"`
	RegistrationAllowed  bool   `json:"registrationAllowed"`
	ResetPasswordAllowed bool   `json:"resetPasswordAllowed"`
	Roles                struct {
		Realm []realmRole `json:"realm"`
	} `json:"roles"`
	Users      []user                 `json:"users"`
	Clients    []client               `json:"clients"`
	Components map[string][]component `json:"components"`
}

type realmRole struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type user struct {
	Username      string              `json:"username"`
	Enabled       bool                `json:"enabled"`
	Email         string              `json:"email"`
	EmailVerified bool                `json:"emailVerified"`
	FirstName     string              `json:"firstName"`
	LastName      string              `json:"lastName"`
	Attributes    map[string][]string `json:"attributes,omitempty"`
	Credentials   []credential        `json:"credentials"`
	RealmRoles    []string            `json:"realmRoles"`
}

type credential struct {
	Type      string `json:"type"`
	Value     string `json:"value"`
	Temporary bool   `json:"temporary"`
}

type client struct {
	ClientID                string            `json:"clientId"`
	Name                    string            `json:"name"`
	Enabled                 bool              `json:"enabled"`
	Protocol                string            `json:"protocol"`
	PublicClient            bool              `json:"publicClient"`
	ClientAuthenticatorType string            `json:"clientAuthenticatorType"`
	Secret                  string            `json:"secret"`
	StandardFlowEnabled     bool              `json:"standardFlowEnabled"`
	ImplicitFlowEnabled     bool              `json:"implicitFlowEnabled"`
	DirectAccessGrants      bool              `json:"directAccessGrantsEnabled"`
	ServiceAccountsEnabled  bool              `json:"serviceAccountsEnabled"`
	RedirectURIs            []string          `json:"redirectUris"`
	WebOrigins              []string          `json:"webOrigins"`
	Attributes              map[string]string `json:"attributes"`
	ProtocolMappers         []mapper          `json:"protocolMappers"`
}

type mapper struct {
	Name           string            `json:"name"`
	Protocol       string            `json:"protocol"`
	ProtocolMapper string            `json:"protocolMapper"`
	Config         map[string]string `json:"config"`
}

type component struct {
	ProviderID    string              `json:"providerId"`
	SubComponents map[string]any      `json:"subComponents"`
	Config        map[string][]string `json:"config"`
}
