package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestStatementsFileParses(t *testing.T) {
	list, ok := ceilingReads["api-list"]
	if !ok || !list.Tx || len(list.Stmts) != 3 || list.roundTrips() != 5 {
		t.Fatalf("api-list: %+v", list)
	}
	if got := list.Stmts[2]; !strings.HasPrefix(got.SQL, "SELECT o.id, o.plan_id") || strings.HasSuffix(got.SQL, ";") ||
		strings.Join(got.Args, ",") != "plan,limit,offset" {
		t.Errorf("api-list's page: %+v", got)
	}
	region := ceilingReads["region"]
	if len(region.Stmts) != 2 || !strings.Contains(region.Stmts[1].SQL, "\n") || region.roundTrips() != 4 {
		t.Errorf("region, the scope and a statement on many lines: %+v", region)
	}
	f := fixture{Schema: "t_valle_trompia", PlanID: 2}
	for key, r := range ceilingReads {
		for _, s := range r.Stmts {
			v, err := s.values(f)
			if err != nil || len(v) != highestPlaceholder(s.SQL) {
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

// highestPlaceholder is the largest $n in sql: how many arguments it takes.
func highestPlaceholder(sql string) int {
	high := 0
	for _, m := range placeholderRE.FindAllStringSubmatch(sql, -1) {
		if n, _ := strconv.Atoi(m[1]); n > high {
			high = n
		}
	}
	return high
}

var placeholderRE = regexp.MustCompile(`\$(\d+)`)
