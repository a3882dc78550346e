// Package devidp is Ambiti's development OpenID Connect provider.
//
// It is a real OP built on github.com/zitadel/oidc/v3/pkg/op: discovery,
// JWKS, RS256-signed ID and access tokens (both JWTs), the authorization
// code flow with PKCE S256, userinfo, RP-initiated logout and a small login
// form. Users, clients and the one shared demo password come from
// deploy/dev/idp.yaml. Everything lives in memory: the signing key is new on
// every start, so tokens do not survive a restart (subjects do).
//
// It exists for `make run` and for tests. It is not an identity provider
// for production and the command refuses to listen on anything but loopback.
package devidp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Config of the development provider.
type Config struct {
	// Issuer is the provider's public URL, e.g. "http://localhost:9998"
	// (scheme and host[:port] only, no path, no trailing slash). It is
	// usually set by the command line, not by the YAML file.
	Issuer string `yaml:"issuer,omitempty"`
	// Password is the ONE shared demo password every user logs in with.
	Password string   `yaml:"password"`
	Clients  []Client `yaml:"clients"`
	Users    []User   `yaml:"users"`
}

// Client is a confidential OAuth client (client_secret_basic or
// client_secret_post) of the authorization code flow.
type Client struct {
	ID     string `yaml:"id"`
	Secret string `yaml:"secret"`
	// RedirectURIGlobs are path.Match-style globs ("*" does not cross "/"),
	// e.g. "http://valle-trompia.localhost:*/auth/callback".
	RedirectURIGlobs           []string `yaml:"redirect_uri_globs"`
	PostLogoutRedirectURIGlobs []string `yaml:"post_logout_redirect_uri_globs"`
}

// User is a demo user.
type User struct {
	Username     string   `yaml:"username"`     // login name, e.g. "udp.valle-trompia"
	Name         string   `yaml:"name"`         // display name
	Email        string   `yaml:"email"`        // e.g. udp.valle-trompia@demo.ambiti.invalid
	Roles        []string `yaml:"roles"`        // the "roles" claim, e.g. ["valle-trompia:udp"]
	Organisation string   `yaml:"organisation"` // the "org" claim, optional
	Client       string   `yaml:"client"`       // the client id this user normally logs into
}

// Subject returns the stable "sub" of a username: "dev-" followed by the
// first 16 hex digits of sha256(username). It is the same across restarts.
func Subject(username string) string {
	sum := sha256.Sum256([]byte(username))
	return "dev-" + hex.EncodeToString(sum[:])[:16]
}

// LoadConfig reads a deploy/dev/idp.yaml-shaped file. Unknown keys are
// errors. The issuer may be absent from the file (the command sets it).
func LoadConfig(filename string) (Config, error) {
	data, err := os.ReadFile(filename)
	if err != nil {
		return Config{}, fmt.Errorf("devidp: read config: %w", err)
	}
	cfg, err := parseConfig(data)
	if err != nil {
		return Config{}, fmt.Errorf("devidp: %s: %w", filename, err)
	}
	return cfg, nil
}

func parseConfig(data []byte) (Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		if errors.Is(err, io.EOF) {
			return Config{}, errors.New("the file is empty")
		}
		return Config{}, fmt.Errorf("invalid YAML: %w", err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Config{}, errors.New("more than one YAML document; expected exactly one")
	}
	if err := cfg.validate(false); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

var (
	usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
	clientIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
	orgRE      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
)

// validate checks the configuration. The issuer is checked only when
// needIssuer is true (New), because the YAML file normally omits it.
func (c Config) validate(needIssuer bool) error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if needIssuer || c.Issuer != "" {
		if err := validateIssuer(c.Issuer); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Password == "" {
		add("password: missing (the shared demo password)")
	}
	if len(c.Clients) == 0 {
		add("clients: at least one client is required")
	}
	clients := map[string]bool{}
	for i, cl := range c.Clients {
		where := fmt.Sprintf("clients[%d]", i)
		if cl.ID != "" {
			where += " (" + cl.ID + ")"
		}
		switch {
		case cl.ID == "":
			add("%s: id is missing", where)
		case !clientIDRE.MatchString(cl.ID):
			add("%s: id %q must be lower-case letters, digits, '.', '_' or '-'", where, cl.ID)
		case clients[cl.ID]:
			add("%s: duplicate client id %q", where, cl.ID)
		}
		clients[cl.ID] = true
		if cl.Secret == "" {
			add("%s: secret is missing", where)
		}
		if len(cl.RedirectURIGlobs) == 0 {
			add("%s: redirect_uri_globs: at least one is required", where)
		}
		for _, g := range cl.RedirectURIGlobs {
			if err := validateGlob(g); err != nil {
				add("%s: redirect_uri_globs: %v", where, err)
			}
		}
		for _, g := range cl.PostLogoutRedirectURIGlobs {
			if err := validateGlob(g); err != nil {
				add("%s: post_logout_redirect_uri_globs: %v", where, err)
			}
		}
	}
	if len(c.Users) == 0 {
		add("users: at least one user is required")
	}
	users := map[string]bool{}
	for i, u := range c.Users {
		where := fmt.Sprintf("users[%d]", i)
		if u.Username != "" {
			where += " (" + u.Username + ")"
		}
		switch {
		case u.Username == "":
			add("%s: username is missing", where)
		case !usernameRE.MatchString(u.Username):
			add("%s: username %q must be lower-case letters, digits, '.', '_' or '-'", where, u.Username)
		case users[u.Username]:
			add("%s: duplicate username %q", where, u.Username)
		}
		users[u.Username] = true
		if strings.TrimSpace(u.Name) == "" {
			add("%s: name is missing", where)
		}
		if u.Email == "" || strings.Count(u.Email, "@") != 1 || strings.ContainsAny(u.Email, " \t<>") {
			add("%s: email %q is not an e-mail address", where, u.Email)
		}
		for _, r := range u.Roles {
			if r == "" || strings.ContainsAny(r, " \t\r\n") {
				add("%s: role %q must be a non-empty string without spaces", where, r)
			}
		}
		if u.Organisation != "" && !orgRE.MatchString(u.Organisation) {
			add("%s: organisation %q must be a lower-case slug", where, u.Organisation)
		}
		switch {
		case u.Client == "":
			add("%s: client is missing (the client id the user logs into)", where)
		case !slices.ContainsFunc(c.Clients, func(cl Client) bool { return cl.ID == u.Client }):
			add("%s: client %q is not one of the clients", where, u.Client)
		}
	}
	return errors.Join(errs...)
}

func validateIssuer(issuer string) error {
	if issuer == "" {
		return errors.New(`issuer: missing (e.g. "http://localhost:9998")`)
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return fmt.Errorf("issuer %q: %w", issuer, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return fmt.Errorf("issuer %q: must be http(s)://host[:port]", issuer)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(issuer, "/") {
		return fmt.Errorf("issuer %q: must have no path, query or trailing slash", issuer)
	}
	return nil
}

func validateGlob(g string) error {
	if !strings.HasPrefix(g, "http://") && !strings.HasPrefix(g, "https://") {
		return fmt.Errorf("%q must start with http:// or https://", g)
	}
	if _, err := path.Match(g, ""); err != nil {
		return fmt.Errorf("%q is not a valid glob: %w", g, err)
	}
	return nil
}

// User returns the user with that username.
func (c Config) User(username string) (User, bool) {
	for _, u := range c.Users {
		if u.Username == username {
			return u, true
		}
	}
	return User{}, false
}

// Client returns the client with that id.
func (c Config) Client(id string) (Client, bool) {
	for _, cl := range c.Clients {
		if cl.ID == id {
			return cl, true
		}
	}
	return Client{}, false
}

// Usernames lists the configured usernames in file order.
func (c Config) Usernames() []string {
	names := make([]string, len(c.Users))
	for i, u := range c.Users {
		names[i] = u.Username
	}
	return names
}

// DefaultRedirectURI is the redirect URI the Ambiti server uses on
// `make run` for a client: "ambiti-<slug>" gives
// "http://<slug>.localhost:8080/auth/callback", "ambiti-platform" gives
// "http://localhost:8080/auth/callback".
func DefaultRedirectURI(clientID string) (string, error) {
	if clientID == "ambiti-platform" {
		return "http://localhost:8080/auth/callback", nil
	}
	slug, ok := strings.CutPrefix(clientID, "ambiti-")
	if !ok || slug == "" {
		return "", fmt.Errorf("devidp: no default redirect URI for client %q (pass one explicitly)", clientID)
	}
	return "http://" + slug + ".localhost:8080/auth/callback", nil
}
