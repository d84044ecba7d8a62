//go:build !unix

package apoxyemulator

import (
	"os"
	"os/exec"
)

func ownProcessGroup(*exec.Cmd) {}

// Without process groups, the process itself: an interrupt where the platform has one.
func terminate(cmd *exec.Cmd) {
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		_ = cmd.Process.Kill()
	}
}

func kill(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
