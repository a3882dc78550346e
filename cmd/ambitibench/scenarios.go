package main

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
)

// scenario is one thing a person or a program does, measured against a running target.
type scenario struct {
	Key   string // for AMBITI_BENCH_SCENARIOS
	Title string // in the report
	// request builds a request for worker w; nil when the fixture does not allow the scenario
	// (no stylesheet link found).
	request func(t *target, f fixture) func(w int) (*http.Request, error)
	// Ceiling names the raw pgx reads of statements.go to measure beside it ("" for none).
	Ceiling string
}

// scenarios are issue 21's: an API list, an API write, the logged-in home page, an objective
// sheet, a regional table, an export; and the stylesheet. The API list twice: as clients get it
// (kept by the server per data version) and read afresh every time.
var scenarios = []scenario{
	{Key: "api-list", Title: "API: objectives of a plan (Bearer)", Ceiling: "api-list",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			u := fmt.Sprintf("%s/api/v1/plans/%d/objectives", t.host(f.District), f.PlanID)
			return getWith(u, "Authorization", "Bearer "+f.Token)
		}},
	{Key: "api-list-fresh", Title: "API: objectives of a plan (Bearer), read afresh: each request another window of them all", Ceiling: "api-list",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			// The server keeps a list per address and data version (32 of them): cycling
			// through the hundreds of limits that all return every objective, it reads each.
			var n atomic.Int64
			first := max(f.Objectives, 1)
			return func(int) (*http.Request, error) {
				limit := first + int(n.Add(1)%int64(501-first))
				u := fmt.Sprintf("%s/api/v1/plans/%d/objectives?limit=%d", t.host(f.District), f.PlanID, limit)
				req, err := http.NewRequest(http.MethodGet, u, nil)
				if err != nil {
					return nil, err
				}
				req.Header.Set("Authorization", "Bearer "+f.Token)
				return req, nil
			}
		}},
	{Key: "api-write", Title: "API: edit an objective (PATCH, Bearer)",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			var n atomic.Int64
			return func(w int) (*http.Request, error) {
				id := f.WriteIDs[w%len(f.WriteIDs)]
				body := fmt.Sprintf(`{"timing":"banco di misura, scrittura %d"}`, n.Add(1))
				req, err := http.NewRequest(http.MethodPatch, fmt.Sprintf("%s/api/v1/objectives/%d", t.host(f.District), id), strings.NewReader(body))
				if err != nil {
					return nil, err
				}
				req.Header.Set("Authorization", "Bearer "+f.Token)
				req.Header.Set("Content-Type", "application/json")
				return req, nil
			}
		}},
	{Key: "home", Title: "Page: district home, logged in (cookie)",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			return getWith(t.host(f.District)+"/", "Cookie", f.Cookie)
		}},
	{Key: "objective", Title: "Page: objective sheet (cookie)",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			return getWith(fmt.Sprintf("%s/obiettivi/%d", t.host(f.District), f.ObjectiveID), "Cookie", f.Cookie)
		}},
	{Key: "region", Title: "API: regional table, " + benchRegion + " (Bearer, platform host)", Ceiling: "region",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			return getWith(t.base()+"/api/v1/regions/"+benchRegion+"/districts", "Authorization", "Bearer "+f.RegionToken)
		}},
	{Key: "export-csv", Title: "Export: a plan's objectives as CSV (Bearer)",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			return getWith(fmt.Sprintf("%s/api/v1/plans/%d/export.csv", t.host(f.District), f.PlanID), "Authorization", "Bearer "+f.Token)
		}},
	{Key: "export-xlsx", Title: "Export: a plan as XLSX (Bearer)",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			return getWith(fmt.Sprintf("%s/api/v1/plans/%d/export.xlsx", t.host(f.District), f.PlanID), "Authorization", "Bearer "+f.Token)
		}},
	{Key: "css", Title: "Static: Bootstrap Italia CSS (Accept-Encoding: br)",
		request: func(t *target, f fixture) func(int) (*http.Request, error) {
			if f.CSS == "" {
				return nil
			}
			return getWith(t.host(f.District)+f.CSS, "Accept-Encoding", "br, gzip")
		}},
}

// getWith builds GETs of u with one header.
func getWith(u, k, v string) func(int) (*http.Request, error) {
	return func(int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set(k, v)
		return req, nil
	}
}

// selected filters the scenarios by AMBITI_BENCH_SCENARIOS.
func selected(only string) []scenario {
	if strings.TrimSpace(only) == "" {
		return scenarios
	}
	keep := map[string]bool{}
	for _, k := range strings.Split(only, ",") {
		keep[strings.TrimSpace(k)] = true
	}
	var out []scenario
	for _, s := range scenarios {
		if keep[s.Key] {
			out = append(out, s)
		}
	}
	return out
}
