package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// clockTicks is USER_HZ, the unit of the CPU times in /proc/<pid>/stat: 100 on every Linux
// architecture Go runs on (reading sysconf(_SC_CLK_TCK) would need cgo).
const clockTicks = 100

// procStat is what the harness needs of /proc/<pid>/stat.
type procStat struct {
	PPID           int
	UTime, STime   uint64 // this process's CPU, in clock ticks, every thread included
	CUTime, CSTime uint64 // its waited-for children's (exited backends, for the postmaster)
}

// ticks is the process's own CPU time.
func (s procStat) ticks() uint64 { return s.UTime + s.STime }

// parseProcStat reads one /proc/<pid>/stat line. The command name, field 2, is in parentheses
// and may itself hold spaces and parentheses: the fields are counted from the last ')'.
func parseProcStat(line string) (procStat, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("procstat: no command name in %q", line)
	}
	f := strings.Fields(line[i+1:])
	// f[0] is field 3 (state); ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
	if len(f) < 15 {
		return procStat{}, fmt.Errorf("procstat: %d fields after the command name, want ≥ 15", len(f))
	}
	var s procStat
	var err error
	if s.PPID, err = strconv.Atoi(f[1]); err != nil {
		return s, fmt.Errorf("procstat: ppid: %w", err)
	}
	for j, p := range []*uint64{&s.UTime, &s.STime, &s.CUTime, &s.CSTime} {
		v, err := strconv.ParseInt(f[11+j], 10, 64) // cutime and cstime are signed in proc(5)
		if err != nil {
			return s, fmt.Errorf("procstat: field %d: %w", 14+j, err)
		}
		*p = uint64(max(v, 0))
	}
	return s, nil
}

func readProcStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseProcStat(string(b))
}

// procMemory is a process's resident memory from /proc/<pid>/status, in bytes: its peak over
// its life (VmHWM) and now (VmRSS).
type procMemory struct{ Peak, Now uint64 }

// parseProcStatus reads VmHWM and VmRSS ("VmHWM:   123456 kB") out of /proc/<pid>/status.
func parseProcStatus(text string) (procMemory, error) {
	var m procMemory
	found := 0
	for _, line := range strings.Split(text, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k != "VmHWM" && k != "VmRSS" {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return m, fmt.Errorf("procstatus: %s is %q", k, strings.TrimSpace(v))
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return m, fmt.Errorf("procstatus: %s: %w", k, err)
		}
		if k == "VmHWM" {
			m.Peak = n << 10
		} else {
			m.Now = n << 10
		}
		found++
	}
	if found != 2 {
		return m, fmt.Errorf("procstatus: VmHWM or VmRSS missing")
	}
	return m, nil
}

func readProcMemory(pid int) (procMemory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return procMemory{}, err
	}
	return parseProcStatus(string(b))
}
