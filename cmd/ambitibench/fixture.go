package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"

	"github.com/ambiti/ambiti/internal/devidp"
)

// fixture is what the scenarios need from a running target: credentials and ids.
type fixture struct {
	District    string  // the demo district under load
	Token       string  // Bearer of its Ufficio di Piano
	RegionToken string  // Bearer of the region's user, on the platform host
	Cookie      string  // a browser session of the Ufficio di Piano
	PlanID      int64   // the demo plan with the most objectives
	Objectives  int     // how many it has
	ObjectiveID int64   // its first objective
	Schema      string  // the district's schema, for the raw pgx loop
	WriteIDs    []int64 // objectives of a draft plan the write scenario edits, one per worker
	CSS         string  // the Bootstrap Italia stylesheet's path, as the home page links it
}

const (
	benchDistrict = "valle-trompia"
	benchUser     = "udp.valle-trompia"
	regionUser    = "regione.lombardia"
	benchRegion   = "lombardia"
)

var cssRE = regexp.MustCompile(`href="(/[^"]*bootstrap-italia[^"]*\.css)"`)

// prepare logs in and finds the ids; writers is how many objectives the write scenario needs.
func prepare(ctx context.Context, t *target, idp devidp.Config, writers int) (fixture, error) {
	f := fixture{District: benchDistrict, Schema: "t_valle_trompia"}
	var err error
	if f.Token, err = bearer(ctx, idp, benchUser, t.host(benchDistrict)+"/auth/callback"); err != nil {
		return f, err
	}
	if f.RegionToken, err = bearer(ctx, idp, regionUser, t.base()+"/auth/callback"); err != nil {
		return f, err
	}
	if f.Cookie, err = browserCookie(t.host(benchDistrict), benchUser, idp.Password); err != nil {
		return f, err
	}
	api := apiClient{c: newClient(2), base: t.host(benchDistrict), token: f.Token}
	var plans list
	if err := api.do(http.MethodGet, "/api/v1/plans", nil, &plans); err != nil {
		return f, err
	}
	for _, p := range plans {
		var objs list
		if err := api.do(http.MethodGet, fmt.Sprintf("/api/v1/plans/%d/objectives?limit=500", p.ID), nil, &objs); err != nil {
			return f, err
		}
		if len(objs) > f.Objectives {
			f.PlanID, f.Objectives, f.ObjectiveID = p.ID, len(objs), objs[0].ID
		}
	}
	if f.PlanID == 0 {
		return f, fmt.Errorf("%s has no plan with objectives: was the demo loaded?", benchDistrict)
	}
	var draft struct {
		ID int64 `json:"id"`
	}
	if err := api.do(http.MethodPost, "/api/v1/plans", map[string]any{
		"title": "Piano di prova del banco di misura", "start_year": 2031, "end_year": 2033}, &draft); err != nil {
		return f, fmt.Errorf("the write scenario's draft plan: %w", err)
	}
	for i := range writers {
		var o struct {
			ID int64 `json:"id"`
		}
		if err := api.do(http.MethodPost, fmt.Sprintf("/api/v1/plans/%d/objectives", draft.ID), map[string]any{
			"title": fmt.Sprintf("Obiettivo di prova %d", i+1), "area_code": "A"}, &o); err != nil {
			return f, fmt.Errorf("the write scenario's objectives: %w", err)
		}
		f.WriteIDs = append(f.WriteIDs, o.ID)
	}
	home, err := get(api.c, t.host(benchDistrict)+"/", "Cookie", f.Cookie)
	if err != nil {
		return f, fmt.Errorf("the home page: %w", err)
	}
	if m := cssRE.FindSubmatch(home); m != nil {
		f.CSS = string(m[1])
	}
	return f, nil
}

// list is a list answer, bare or paged ({"items": [...], "total": n}), of things with an id.
type list []struct {
	ID int64 `json:"id"`
}

func (l *list) UnmarshalJSON(b []byte) error {
	var paged struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &paged); err != nil {
			return err
		}
		*l = paged.Items
		return nil
	}
	var bare []struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(b, &bare); err != nil {
		return err
	}
	*l = bare
	return nil
}

// apiClient calls the JSON API with a Bearer token.
type apiClient struct {
	c     *http.Client
	base  string
	token string
}

func (a apiClient) do(method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("%s %s: %d %.300s", method, path, res.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// get fetches u with one header, expecting 200.
func get(c *http.Client, u, k, v string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set(k, v)
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d", u, res.StatusCode)
	}
	return b, nil
}
