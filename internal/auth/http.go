package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ambiti/ambiti/internal/apperr"
)

var (
	errCSRF          = apperr.New(apperr.Forbidden, "richiesta rifiutata: token anti-CSRF mancante o errato; ricaricare la pagina", "request refused: missing or wrong CSRF token; reload the page")
	errForeignOrigin = apperr.New(apperr.Forbidden, "richiesta rifiutata: proviene da un altro sito", "request refused: it comes from another site")
	errBadAuthHeader = apperr.New(apperr.Unauthenticated, "intestazione Authorization non valida: usare \"Bearer <token>\"", `malformed Authorization header: use "Bearer <token>"`)
)

// Authenticate is the identity link of the request chain, after the host is resolved. A Bearer
// token must be valid for this host or the request ends with 401; a session cookie that is
// unknown, expired or issued for another host is ignored (and cleared), leaving the request
// anonymous. Unsafe requests riding on a session must carry its CSRF token and, when the
// browser says where they come from, come from this host.
func (s *Service) Authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
				return errBadAuthHeader
			}
			p, err := s.verifyBearer(ctx, strings.TrimSpace(token))
			if err != nil {
				return err
			}
			c.SetRequest(c.Request().WithContext(WithPrincipal(ctx, p)))
			return next(c)
		}
		ck, err := c.Cookie(SessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		p, ok, err := s.session(ctx, ck.Value, domainOf(ctx))
		if err != nil {
			return err
		}
		if !ok {
			s.clearCookie(c)
			return next(c)
		}
		if unsafe(c.Request().Method) {
			if o := c.Request().Header.Get("Origin"); o != "" && o != s.origin(c) {
				return errForeignOrigin
			}
			sent := c.Request().Header.Get("X-CSRF-Token")
			if sent == "" {
				if sent, err = formCSRF(c.Request()); err != nil {
					return err
				}
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(p.CSRFToken)) != 1 {
				return errCSRF
			}
		}
		c.SetRequest(c.Request().WithContext(WithPrincipal(ctx, p)))
		return next(c)
	}
}

var errFormTooLarge = apperr.New(apperr.TooLarge, "modulo troppo grande", "form too large")

// formCSRF reads the _csrf field of a submitted form. The body was bounded by the server before
// this point; a form over that bound is refused as too large rather than read on.
func formCSRF(r *http.Request) (string, error) {
	ct := r.Header.Get(echo.HeaderContentType)
	var err error
	switch {
	case strings.HasPrefix(ct, echo.MIMEApplicationForm):
		err = r.ParseForm()
	case strings.HasPrefix(ct, echo.MIMEMultipartForm):
		err = r.ParseMultipartForm(formMemory)
	default:
		return "", nil
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return "", errFormTooLarge
	}
	return r.PostFormValue("_csrf"), nil
}

// formMemory is how much of a multipart form is kept in memory (the body bound is lower).
const formMemory = 1 << 20

func unsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// origin is this host as a browser names it in Origin headers.
func (s *Service) origin(c echo.Context) string { return s.cfg.Scheme + "://" + c.Request().Host }

func (s *Service) setCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.Scheme == "https", MaxAge: int(s.cfg.SessionAbsolute.Seconds()),
	})
}

func (s *Service) clearCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.cfg.Scheme == "https", MaxAge: -1})
}
