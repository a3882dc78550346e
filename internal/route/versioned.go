package route

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// Versioned answers a JSON body that depends only on what it names and a district's data
// version (the same version, the same body): with its entity tag (ETag), and 304 Not Modified
// to a client whose If-None-Match names the tag, so that a client polling a list costs one
// small read. Cache-Control stays the server's no-store: a client that wants 304s keeps the body
// and its tag itself, as API clients do; no cache along the way keeps what was authorised.
func Versioned(c echo.Context, tag string, body []byte) error {
	if tag == "" {
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
	}
	c.Response().Header().Set("ETag", tag)
	if Matches(c.Request().Header.Get("If-None-Match"), tag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

// ETag is the entity tag of what is named by what, read at version ("" without a version): a
// digest, as the version itself names transaction ids. A tag never matches another address's.
func ETag(version, what string) string {
	if version == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(version + "\x00" + what))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// Matches reports whether an If-None-Match header names tag (weak comparison). "*" is not
// honoured: it would answer 304 before the handler knows whether what is asked exists.
func Matches(ifNoneMatch, tag string) bool {
	if tag == "" {
		return false
	}
	for _, t := range strings.Split(ifNoneMatch, ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == tag {
			return true
		}
	}
	return false
}
