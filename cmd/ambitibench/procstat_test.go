package main

import (
	"os"
	"testing"
	"time"
)

func TestParseProcStat(t *testing.T) {
	// A command name with a space and a parenthesis: fields count from the last ')'.
	line := "4242 (postgres: a) b) S 4200 4242 4242 0 -1 4194560 1393 0 0 0 170 33 12 5 20 0 1 0 6372 231514112 3416 18446744073709551615\n"
	s, err := parseProcStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if s.PPID != 4200 || s.UTime != 170 || s.STime != 33 || s.CUTime != 12 || s.CSTime != 5 {
		t.Errorf("parsed %+v", s)
	}
	if s.ticks() != 203 {
		t.Errorf("ticks = %d, want 203", s.ticks())
	}
	for _, bad := range []string{"", "12 no parenthesis", "1 (x) S 2 3"} {
		if _, err := parseProcStat(bad); err == nil {
			t.Errorf("parseProcStat(%q) accepted", bad)
		}
	}
}

func TestOwnProcessCPUIsReadable(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	s, err := readProcStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.PPID != os.Getppid() {
		t.Errorf("ppid %d, want %d", s.PPID, os.Getppid())
	}
	if ticksToDuration(150) != 1500*time.Millisecond {
		t.Errorf("150 ticks = %v", ticksToDuration(150))
	}
}

func TestParseProcStatus(t *testing.T) {
	m, err := parseProcStatus("Name:\tambiti\nVmPeak:\t 1300000 kB\nVmHWM:\t   98304 kB\nVmRSS:\t   65536 kB\nThreads:\t12\n")
	if err != nil || m.Peak != 96<<20 || m.Now != 64<<20 {
		t.Errorf("got %+v, %v", m, err)
	}
	if _, err := parseProcStatus("VmRSS:\t 10 kB\n"); err == nil {
		t.Error("no VmHWM: no error")
	}
	if _, err := parseProcStatus("VmHWM:\t 10 MB\nVmRSS:\t 10 kB\n"); err == nil {
		t.Error("a unit that is not kB: no error")
	}
}
