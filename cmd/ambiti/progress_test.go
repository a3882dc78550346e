package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/ambiti/ambiti/internal/tenancy"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()
	got := progressLine(tenancy.Progress{Done: 250, Total: 1000, Elapsed: 15 * time.Second})
	want := "distretto 250 di 1000 [#######.....................]  25% · mancano / ETA 0:45 "
	if got != want {
		t.Errorf("progressLine = %q\nwant           %q", got, want)
	}
}

// A progress bar writes nothing where its output is not a terminal (a buffer, a log file).
func TestProgressBarIsSilentOffATerminal(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	b := newProgressBar(&buf)
	b.report(tenancy.Progress{Done: 1, Total: 1})
	b.finish()
	if buf.Len() != 0 {
		t.Errorf("wrote %q to a buffer", buf.String())
	}
}
