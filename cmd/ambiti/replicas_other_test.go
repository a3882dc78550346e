//go:build !linux

package main

import (
	"errors"
	"os/exec"
)

// orphanProof does nothing here: only Linux kills a child when its parent dies.
func orphanProof(*exec.Cmd) {}

// runAs is not needed where tests do not run as root.
func runAs(*exec.Cmd, string) error {
	return errors.New("running a helper as another user is only done on Linux")
}
