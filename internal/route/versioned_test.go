package route

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// A versioned answer carries its tag; the same tag in If-None-Match gets 304 without a body,
// another (or "*", or another address's at the same version) the body.
func TestVersionedAnswersNotModifiedToItsOwnTagOnly(t *testing.T) {
	e := echo.New()
	tag := ETag("123.4/-", "valle-trompia objectives of 2")
	if tag == ETag("123.4/-", "valle-trompia objectives of 3") || tag == ETag("123.5/-", "valle-trompia objectives of 2") {
		t.Fatal("two addresses or two versions share a tag")
	}
	if ETag("", "x") != "" {
		t.Error("a tag without a version")
	}
	for _, c := range []struct {
		ifNoneMatch string
		status      int
	}{
		{"", http.StatusOK},
		{tag, http.StatusNotModified},
		{`W/` + tag, http.StatusNotModified},
		{`"other", ` + tag, http.StatusNotModified},
		{`"other"`, http.StatusOK},
		{`*`, http.StatusOK},
		{ETag("123.4/-", "valle-trompia objectives of 3"), http.StatusOK},
	} {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/plans/2/objectives", nil)
		if c.ifNoneMatch != "" {
			req.Header.Set("If-None-Match", c.ifNoneMatch)
		}
		rec := httptest.NewRecorder()
		if err := Versioned(e.NewContext(req, rec), tag, []byte("{}\n")); err != nil {
			t.Fatal(err)
		}
		wantBody := "{}\n"
		if c.status == http.StatusNotModified {
			wantBody = ""
		}
		if rec.Code != c.status || rec.Body.String() != wantBody || rec.Header().Get("ETag") != tag {
			t.Errorf("If-None-Match %q: %d %q ETag %q, want %d %q %q", c.ifNoneMatch, rec.Code, rec.Body.String(), rec.Header().Get("ETag"), c.status, wantBody, tag)
		}
	}
}
