package tenancy_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// cpuMeter measures the CPU time this process and the PostgreSQL server behind url use, so a
// benchmark on a shared machine can report the work done as well as the wall time (which other
// load stretches). The server's is its postmaster's and every child's: the live ones as they
// are, the ones gone through the postmaster's cutime/cstime. It reports zero for the server
// where /proc cannot see it (another machine, another OS).
type cpuMeter struct{ postmaster int }

func newCPUMeter(tb testing.TB, url string) cpuMeter {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close(ctx)
	var backend int
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		tb.Fatal(err)
	}
	f := procStat(backend)
	if len(f) < 2 {
		return cpuMeter{}
	}
	pm, _ := strconv.Atoi(f[1])
	return cpuMeter{postmaster: pm}
}

// client and server CPU time used so far (differences are what counts).
func (m cpuMeter) read() (client, server time.Duration) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if m.postmaster == 0 {
		return client, 0
	}
	ticks := 0
	if f := procStat(m.postmaster); len(f) > 15 {
		for _, i := range []int{11, 12, 13, 14} { // utime stime cutime cstime
			n, _ := strconv.Atoi(f[i])
			ticks += n
		}
	}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, _ := strconv.Atoi(filepath.Base(d))
		if f := procStat(pid); len(f) > 13 && f[1] == strconv.Itoa(m.postmaster) {
			u, _ := strconv.Atoi(f[11])
			s, _ := strconv.Atoi(f[12])
			ticks += u + s
		}
	}
	return client, time.Duration(ticks) * time.Second / 100 // USER_HZ
}

// procStat is /proc/pid/stat's fields after the command name: [0] state, [1] ppid, [11] utime…
func procStat(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(s[i+1:])
}
