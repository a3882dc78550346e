package main

import (
	"strings"
	"testing"
)

func TestStatementsFileParses(t *testing.T) {
	list, ok := ceilingReads["api-list"]
	if !ok || !list.Tx || len(list.Stmts) != 4 || list.roundTrips() != 6 {
		t.Fatalf("api-list: %+v", list)
	}
	if got := list.Stmts[3]; !strings.HasPrefix(got.SQL, "SELECT * FROM objectives") || strings.HasSuffix(got.SQL, ";") ||
		strings.Join(got.Args, ",") != "plan,limit" {
		t.Errorf("api-list's page: %+v", got)
	}
	region := ceilingReads["region"]
	if len(region.Stmts) != 1 || !strings.Contains(region.Stmts[0].SQL, "\n") || region.roundTrips() != 3 {
		t.Errorf("region, a statement on three lines: %+v", region)
	}
	f := fixture{Schema: "t_valle_trompia", PlanID: 2}
	for key, r := range ceilingReads {
		for _, s := range r.Stmts {
			v, err := s.values(f)
			if err != nil || len(v) != strings.Count(s.SQL, "$") {
				t.Errorf("%s: %q takes %v (%v)", key, s.SQL, v, err)
			}
		}
	}
}

func TestParseStatementsRefusesWhatItCannotRead(t *testing.T) {
	for _, text := range []string{
		"SELECT 1;\n",           // before any section
		"-- [x] tx\nSELECT 1\n", // no final ';'
		"-- []\nSELECT 1;\n",    // no key
	} {
		if _, err := parseStatements(text); err == nil {
			t.Errorf("parseStatements(%q) accepted", text)
		}
	}
}
