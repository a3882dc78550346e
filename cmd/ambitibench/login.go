package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/ambiti/ambiti/internal/devidp"
)

// bearer fetches an access token for username with the development provider's real code flow
// (what `make -s token USER=…` does); redirectURI is the user's host's callback on our port.
func bearer(ctx context.Context, idp devidp.Config, username, redirectURI string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tok, err := devidp.FetchToken(ctx, idp, username, redirectURI, newClient(2))
	if err != nil {
		return "", fmt.Errorf("token of %s: %w", username, err)
	}
	return tok, nil
}

var (
	formActionRE = regexp.MustCompile(`<form[^>]*action="([^"]+)"`)
	hiddenRE     = regexp.MustCompile(`<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"`)
)

// browserCookie logs username in on base (http://host:port) through the provider's form, as a
// browser does, and returns the Cookie header the district then expects on every page.
func browserCookie(base, username, password string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := newClient(2)
	c.Jar = jar
	res, body, err := follow(c, http.MethodGet, base+"/auth/login?return_to=%2F", nil)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `name="password"`) {
		return "", fmt.Errorf("login of %s: expected the provider's form, got %d", username, res.StatusCode)
	}
	m := formActionRE.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("login of %s: no form action on the provider's page", username)
	}
	action, err := res.Request.URL.Parse(string(m[1]))
	if err != nil {
		return "", err
	}
	form := url.Values{"username": {username}, "password": {password}}
	for _, h := range hiddenRE.FindAllSubmatch(body, -1) {
		form.Set(string(h[1]), string(h[2]))
	}
	res, _, err = follow(c, http.MethodPost, action.String(), form)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("login of %s: the home page after the login answered %d", username, res.StatusCode)
	}
	u, _ := url.Parse(base + "/")
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	if len(parts) == 0 {
		return "", fmt.Errorf("login of %s: no cookie set", username)
	}
	return strings.Join(parts, "; "), nil
}

// follow sends one request and follows the redirects (GET), up to 10.
func follow(c *http.Client, method, u string, form url.Values) (*http.Response, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	for range 10 {
		req, err := http.NewRequest(method, u, body)
		if err != nil {
			return nil, nil, err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := c.Do(req)
		if err != nil {
			return nil, nil, err
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, nil, err
		}
		if res.StatusCode < 300 || res.StatusCode >= 400 {
			return res, b, nil
		}
		next, err := req.URL.Parse(res.Header.Get("Location"))
		if err != nil {
			return nil, nil, err
		}
		method, u, body, form = http.MethodGet, next.String(), nil, nil
	}
	return nil, nil, fmt.Errorf("too many redirects from %s", u)
}
