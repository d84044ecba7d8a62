//go:build unix

package apoxyemulator

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts the emulator in a process group of its own, so that a wrapper script
// given as $APOXY_EMULATOR_BIN is stopped together with the server it runs.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// signalGroup sends sig to the group led by the process we started (its pid), nothing else.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) {
	if err := syscall.Kill(-cmd.Process.Pid, sig); err != nil {
		_ = cmd.Process.Signal(sig)
	}
}

func terminate(cmd *exec.Cmd) { signalGroup(cmd, syscall.SIGTERM) }
func kill(cmd *exec.Cmd)      { signalGroup(cmd, syscall.SIGKILL) }
