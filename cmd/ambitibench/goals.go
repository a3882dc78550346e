package main

import (
	"fmt"
	"io"
	"math"
)

// goal is one of issue 21's targets that a single run can check, for the build under test.
type goal struct {
	What  string
	check func(r report, c int) (measured string, met string)
}

var goals = append(append(listGoals("api-list", "kept"), listGoals("api-list-fresh", "read afresh")...), []goal{
	{"Logged-in home page ≥ 400 req/s", func(r report, c int) (string, string) {
		s, ok := r.res.get("home", c, r.targets[0].Name)
		if !ok {
			return "–", "–"
		}
		t := s.summary().Throughput
		return fmt.Sprintf("%.0f req/s", t), yes(t >= 400 && s.summary().Errors == 0)
	}},
	{"Logged-in home page ≤ 3 round trips", func(r report, c int) (string, string) {
		s, ok := r.res.get("home", c, r.targets[0].Name)
		if !ok {
			return "–", "–"
		}
		rt := s.summary().RoundTrips
		if math.IsNaN(rt) {
			return "n/a", "–"
		}
		return fmt.Sprintf("%.1f", rt), yes(rt <= 3)
	}},
	{"Server RSS < 150 MB (its peak over the run, VmHWM)", func(r report, _ int) (string, string) {
		m := r.targets[0].memory
		if m.Peak == 0 {
			return "n/a", "–"
		}
		return fmt.Sprintf("%.0f MB (%.0f MB at the end)", float64(m.Peak)/(1<<20), float64(m.Now)/(1<<20)), yes(m.Peak < 150<<20)
	}},
}...)

// listGoals are the API list's goals for the scenario key, described as how.
func listGoals(key, how string) []goal {
	return []goal{
		{"API list (" + how + ") ≥ 1.0× the raw loop of the same statements", func(r report, c int) (string, string) {
			return r.ratioGoal(key, c, sameStatements, 1.0)
		}},
		{"API list (" + how + ") ≥ 0.8× the one-round-trip ceiling", func(r report, c int) (string, string) {
			return r.ratioGoal(key, c, oneRoundTrip, 0.8)
		}},
		{"API list (" + how + ") p99 ≤ 2× the one-round-trip ceiling's p99", func(r report, c int) (string, string) {
			s, ok1 := r.res.get(key, c, r.targets[0].Name)
			ceil, ok2 := r.res.get(key, c, oneRoundTrip.String())
			if !ok1 || !ok2 {
				return "–", "–"
			}
			a, b := s.summary().P99, ceil.summary().P99
			if b <= 0 {
				return "n/a", "–"
			}
			x := float64(a) / float64(b)
			return fmt.Sprintf("%s vs %s (%.1f×)", ms(a), ms(b), x), yes(x <= 2)
		}},
	}
}

// ratioGoal is the build's throughput over a ceiling's, against a least ratio.
func (r report) ratioGoal(key string, c int, m ceilingMode, least float64) (string, string) {
	s, ok1 := r.res.get(key, c, r.targets[0].Name)
	ceil, ok2 := r.res.get(key, c, m.String())
	if !ok1 || !ok2 || ceil.summary().Throughput <= 0 {
		return "–", "–"
	}
	x := s.summary().Throughput / ceil.summary().Throughput
	return fmt.Sprintf("%.2f×", x), yes(x >= least)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

// writeGoals is the table of the goals at each concurrency.
func (r report) writeGoals(w io.Writer) {
	fmt.Fprintf(w, "### Issue 21's goals, this run (%s)\n\n| goal |", r.targets[0].Name)
	for _, c := range r.cfg.Concurrency {
		fmt.Fprintf(w, " c=%d | met |", c)
	}
	fmt.Fprintf(w, "\n|---|")
	for range r.cfg.Concurrency {
		fmt.Fprintf(w, "---:|---|")
	}
	fmt.Fprintln(w)
	for _, g := range goals {
		fmt.Fprintf(w, "| %s |", g.What)
		for _, c := range r.cfg.Concurrency {
			m, met := g.check(r, c)
			fmt.Fprintf(w, " %s | %s |", m, met)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}
