package devidp

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Provider is a running development OpenID provider. Create it with New
// and serve Handler(). It is safe for concurrent use.
type Provider struct {
	cfg     Config
	logger  *slog.Logger
	storage *storage
	op      *op.Provider
	handler http.Handler
}

// New builds a provider for cfg. It generates a fresh RSA-2048 signing key
// (random kid) in memory. A nil logger discards the provider's own logs.
// New touches no global state (no slog.SetDefault, no registry); note that
// the op package itself logs through slog.Default.
func New(cfg Config, logger *slog.Logger) (*Provider, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.validate(true); err != nil {
		return nil, fmt.Errorf("devidp: invalid config: %w", err)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devidp: generate signing key: %w", err)
	}
	st := newStorage(cfg, key)

	opCfg := &op.Config{
		DefaultLogoutRedirectURI: cfg.Issuer + loggedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		SupportedUILocales:       []language.Tag{language.Italian, language.English},
		SupportedScopes:          []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail},
		SupportedClaims:          append(slices.Clone(op.DefaultSupportedClaims), "roles", "org"),
	}
	// The key that encrypts authorization codes: random, per provider.
	_, _ = rand.Read(opCfg.CryptoKey[:])

	var opts []op.Option
	if strings.HasPrefix(cfg.Issuer, "http://") {
		opts = append(opts, op.WithAllowInsecure())
	}
	o, err := op.NewProvider(opCfg, st, op.StaticIssuer(cfg.Issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("devidp: create OpenID provider: %w", err)
	}

	p := &Provider{cfg: cfg, logger: logger, storage: st, op: o}
	mux := http.NewServeMux()
	// The login form needs the issuer in its context to build the
	// callback URL (op.AuthCallbackURL): wrap it in the issuer interceptor.
	issuer := op.NewIssuerInterceptor(o.IssuerFromRequest)
	mux.Handle(loginPath, issuer.Handler(http.HandlerFunc(p.serveLogin)))
	mux.Handle(o.EndSessionEndpoint().Relative(), issuer.Handler(http.HandlerFunc(p.serveEndSession)))
	mux.HandleFunc(loggedOutPath, p.serveLoggedOut)
	mux.HandleFunc("GET /{$}", p.serveIndex)
	mux.Handle("/", o)
	p.handler = mux
	return p, nil
}

// Handler serves everything: discovery (/.well-known/openid-configuration),
// JWKS (/keys), /authorize, /oauth/token, /userinfo, /end_session,
// /oauth/introspect, /revoke, the login form (/login) and /logged-out.
func (p *Provider) Handler() http.Handler { return p.handler }

// Issuer returns the configured issuer.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

func (p *Provider) serveLogin(w http.ResponseWriter, r *http.Request) {
	setPageHeaders(w)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		id := r.URL.Query().Get("authRequestID")
		a, ok := p.storage.pendingAuthRequest(id)
		if !ok {
			p.renderMessage(w, http.StatusBadRequest, msgExpired)
			return
		}
		p.renderLogin(w, http.StatusOK, loginData{RequestID: id, ClientID: a.req.ClientID, Username: a.loginHint})
	case http.MethodPost:
		p.handleLoginPost(w, r)
	default:
		w.Header().Set("Allow", "GET, HEAD, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (p *Provider) handleLoginPost(w http.ResponseWriter, r *http.Request) {
	// CSRF: the auth request id is a 128-bit random secret carried by the
	// form, and a cross-site Origin is refused outright.
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		if u, err := url.Parse(origin); err != nil || u.Host != r.Host {
			http.Error(w, "cross-origin login refused", http.StatusForbidden)
			return
		}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "cannot parse form", http.StatusBadRequest)
		return
	}
	id := r.PostForm.Get("authRequestID")
	a, ok := p.storage.pendingAuthRequest(id)
	if !ok {
		p.renderMessage(w, http.StatusBadRequest, msgExpired)
		return
	}
	username := strings.TrimSpace(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	u, known := p.cfg.User(username)
	passOK := subtle.ConstantTimeCompare([]byte(password), []byte(p.cfg.Password)) == 1
	if !known || !passOK {
		p.logger.Info("devidp: login failed", "username", username, "client", a.req.ClientID, "known_user", known)
		p.renderLogin(w, http.StatusUnauthorized, loginData{
			RequestID: id, ClientID: a.req.ClientID, Username: username,
			Error: "Nome utente o password errati. / Wrong username or password.",
		})
		return
	}
	if err := p.storage.completeLogin(id, Subject(u.Username)); err != nil {
		p.renderMessage(w, http.StatusBadRequest, msgExpired)
		return
	}
	p.logger.Info("devidp: login", "username", u.Username, "client", a.req.ClientID)
	http.Redirect(w, r, op.AuthCallbackURL(p.op)(r.Context(), id), http.StatusSeeOther)
}

// serveEndSession hands RP-initiated logout to op, first dropping an
// id_token_hint this run of the provider cannot verify: the signing key is
// new on every start, and an application session that outlived a restart
// would otherwise get an error page instead of its logout. The
// post_logout_redirect_uri is still checked against the globs of client_id.
func (p *Provider) serveEndSession(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err == nil {
		if hint := r.Form.Get("id_token_hint"); hint != "" {
			_, err := op.VerifyIDTokenHint[*oidc.IDTokenClaims](r.Context(), hint, p.op.IDTokenHintVerifier(r.Context()))
			if err != nil && !errors.As(err, &op.IDTokenHintExpiredError{}) {
				p.logger.Info("devidp: end_session: ignoring an id_token_hint from an earlier run", "error", err)
				r.Form.Del("id_token_hint")
				r.PostForm.Del("id_token_hint")
			}
		}
	}
	p.op.ServeHTTP(w, r)
}

func (p *Provider) serveLoggedOut(w http.ResponseWriter, _ *http.Request) {
	setPageHeaders(w)
	p.renderMessage(w, http.StatusOK, msgLoggedOut)
}

func (p *Provider) serveIndex(w http.ResponseWriter, _ *http.Request) {
	setPageHeaders(w)
	p.renderMessage(w, http.StatusOK, message{
		Title: "Identity provider di sviluppo / Development identity provider",
		Text:  "Configurazione OpenID / OpenID configuration:",
		Link:  p.cfg.Issuer + oidc.DiscoveryEndpoint,
	})
}

func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// No form-action: browsers apply it to the redirect that follows the
	// POST, which goes to the application.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'")
}

type demoUser struct {
	Username string
	Name     string
	Roles    string
}

type loginData struct {
	RequestID  string
	ClientID   string
	Username   string
	Error      string
	Users      []demoUser // users of this client
	OtherUsers []demoUser
}

type message struct {
	Title string
	Text  string
	Link  string
}

var (
	msgExpired = message{
		Title: "Richiesta di accesso scaduta / Login request expired",
		Text: "La richiesta di accesso è scaduta, è già stata usata o non esiste: torna all'applicazione e riprova. " +
			"/ The login request expired, was already used or does not exist: go back to the application and try again.",
	}
	msgLoggedOut = message{
		Title: "Sei uscito / You are logged out",
		Text:  "La sessione è terminata. / Your session has ended.",
	}
)

func (p *Provider) renderLogin(w http.ResponseWriter, status int, d loginData) {
	for _, u := range p.cfg.Users {
		du := demoUser{Username: u.Username, Name: u.Name, Roles: strings.Join(u.Roles, ", ")}
		if u.Client == d.ClientID {
			d.Users = append(d.Users, du)
		} else {
			d.OtherUsers = append(d.OtherUsers, du)
		}
	}
	p.render(w, status, "login", d)
}

func (p *Provider) renderMessage(w http.ResponseWriter, status int, m message) {
	p.render(w, status, "message", m)
}

func (p *Provider) render(w http.ResponseWriter, status int, name string, data any) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		p.logger.Error("devidp: render page", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
