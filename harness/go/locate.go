package apoxyemulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// BinaryEnv names the environment variable that points at the emulator executable.
const BinaryEnv = "APOXY_EMULATOR_BIN"

const installHint = `the apoxy-emulator command was not found. Either:
  - set ` + BinaryEnv + ` to the emulator executable (for example /path/to/apoxy-emulator/bin/apoxy-emulator.js), or
  - put apoxy-emulator on PATH: in a checkout of apoxy-emulator run "npm ci && npm install --global .", or
  - run the tests from inside the apoxy-emulator repository after "npm ci" (it uses bin/apoxy-emulator.js)`

// command returns the program and leading arguments that run the emulator CLI.
func command(explicit string) ([]string, error) {
	if explicit != "" {
		return executable(explicit, "WithBinary")
	}
	if env := os.Getenv(BinaryEnv); env != "" {
		return executable(env, "$"+BinaryEnv)
	}
	if p, err := exec.LookPath("apoxy-emulator"); err == nil {
		return []string{p}, nil
	}
	if root, ok := repositoryRoot(); ok {
		cli := filepath.Join(root, "bin", "apoxy-emulator.js")
		if _, err := os.Stat(filepath.Join(root, "dist", "emulator", "cli.js")); err != nil {
			return nil, fmt.Errorf("apoxy-emulator: found the repository at %s but not its build (dist/): run \"npm ci\" (or \"npm run build\") there", root)
		}
		node, err := exec.LookPath("node")
		if err != nil {
			return nil, fmt.Errorf("apoxy-emulator: found %s but no node on PATH to run it (Node.js 20 or later)", cli)
		}
		return []string{node, cli}, nil
	}
	return nil, errors.New("apoxy-emulator: " + installHint)
}

// executable checks a path given explicitly; any executable will do (a script, a single-file build).
func executable(path, from string) ([]string, error) {
	resolved, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("apoxy-emulator: %s=%q is not an executable: %v\n%s", from, path, err, installHint)
	}
	return []string{resolved}, nil
}

// repositoryRoot walks up from the working directory to the apoxy-emulator checkout, if any.
func repositoryRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if isEmulatorRepository(dir) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isEmulatorRepository(dir string) bool {
	raw, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return false
	}
	var pkg struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(raw, &pkg) != nil || pkg.Name != "apoxy-emulator" {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "bin", "apoxy-emulator.js"))
	return err == nil
}
