package main

import (
	"os"
	"strconv"
	"time"
)

// cpuMeter reads the CPU time a set of processes has used so far; the difference of two
// readings, over a measured window, divided by the requests of that window, is the CPU per
// request.
type cpuMeter interface {
	cpu() time.Duration
}

// processCPU is one process (the server, or this harness for the raw pgx loop), every thread.
type processCPU int

func (p processCPU) cpu() time.Duration {
	s, err := readProcStat(int(p))
	if err != nil {
		return 0
	}
	return ticksToDuration(s.ticks())
}

// clusterCPU is a PostgreSQL cluster: the postmaster, every live child (backends, walwriter,
// checkpointer, autovacuum…) and the children that already exited (the postmaster's cutime and
// cstime), so that a backend ending inside the window is not lost.
type clusterCPU int

func (p clusterCPU) cpu() time.Duration {
	pm, err := readProcStat(int(p))
	if err != nil {
		return 0
	}
	total := pm.ticks() + pm.CUTime + pm.CSTime
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == int(p) {
			continue
		}
		s, err := readProcStat(pid)
		if err == nil && s.PPID == int(p) {
			total += s.ticks()
		}
	}
	return ticksToDuration(total)
}

func ticksToDuration(t uint64) time.Duration {
	return time.Duration(t) * time.Second / clockTicks
}
