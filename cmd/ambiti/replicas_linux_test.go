package main

import (
	"fmt"
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// orphanProof has the kernel kill the process should the test binary die first (a go test
// timeout, a kill): no balancer, pooler or server is left running on the shared machine.
func orphanProof(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}

// runAs starts cmd as the named user (PgBouncer refuses to run as root). Done here rather
// than with pgbouncer's own -u, whose change of user would clear orphanProof's signal; Go
// sets the parent-death signal after switching user.
func runAs(cmd *exec.Cmd, name string) error {
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("user %s: %w", name, err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return nil
}
