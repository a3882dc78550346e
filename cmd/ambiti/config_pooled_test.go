package main

import (
	"io"
	"testing"
	"time"
)

// Behind PgBouncer, DATABASE_URL is the pooler and AMBITI_DIRECT_DATABASE_URL the database
// itself; without a pooler the one URL serves both. The drain delay is off unless asked for.
func TestDirectDatabaseURLAndDrainDelaySettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env        map[string]string
		direct     string
		drainDelay time.Duration
	}{
		{map[string]string{"DATABASE_URL": "postgres://db/ambiti"}, "postgres://db/ambiti", 0},
		{map[string]string{"DATABASE_URL": "postgres://pgbouncer:6432/ambiti", "AMBITI_DIRECT_DATABASE_URL": "postgres://db/ambiti",
			"AMBITI_DRAIN_DELAY": "5s"}, "postgres://db/ambiti", 5 * time.Second},
	} {
		c, err := parseConfig("serve", nil, func(k string) string { return tc.env[k] }, io.Discard)
		if err != nil || c.DirectDatabaseURL != tc.direct || c.DrainDelay != tc.drainDelay {
			t.Errorf("%v: direct %q, drain %v, %v; want %q, %v", tc.env, c.DirectDatabaseURL, c.DrainDelay, err, tc.direct, tc.drainDelay)
		}
	}
	for _, bad := range []string{"soon", "-1s"} {
		env := map[string]string{"DATABASE_URL": "postgres://db/ambiti", "AMBITI_DRAIN_DELAY": bad}
		if _, err := parseConfig("serve", nil, func(k string) string { return env[k] }, io.Discard); err == nil {
			t.Errorf("AMBITI_DRAIN_DELAY=%s accepted", bad)
		}
	}
}
