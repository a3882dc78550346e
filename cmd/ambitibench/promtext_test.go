package main

import "testing"

func TestCounterSum(t *testing.T) {
	text := `# HELP ambiti_db_round_trips_total Statements and batches sent to PostgreSQL.
# TYPE ambiti_db_round_trips_total counter
ambiti_db_round_trips_total{kind="statement"} 1200
ambiti_db_round_trips_total{kind="batch",note="a } in a label"} 34.5
ambiti_db_round_trips_total_created 1.7e9
ambiti_db_round_trips_totalx 99
go_goroutines 12
`
	got, ok := counterSum(text, "ambiti_db_round_trips_total")
	if !ok || got != 1234.5 {
		t.Errorf("sum = %v, %v; want 1234.5, true", got, ok)
	}
	if got, ok := counterSum("ambiti_db_round_trips_total 7\n", "ambiti_db_round_trips_total"); !ok || got != 7 {
		t.Errorf("unlabelled: %v, %v", got, ok)
	}
	if _, ok := counterSum("go_goroutines 12\n", "ambiti_db_round_trips_total"); ok {
		t.Error("a missing metric was found")
	}
}
