// Package apoxyemulator starts the apoxy-emulator (a local emulator of the Apoxy Core API,
// core.apoxy.dev Backends) for Go tests, the way envtest starts a kube-apiserver: a real process
// on a free port of 127.0.0.1, in memory unless a data file is given, stopped when the test ends.
//
//	func TestMyController(t *testing.T) {
//		e := apoxyemulator.Start(t, apoxyemulator.WithFixedClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
//		cfg := e.RESTConfig() // for client-go, controller-runtime, Apoxy's clientset
//		...
//	}
//
// One emulator for a whole package: StartServer in TestMain, and Emulator.Reset before each test
// (it takes milliseconds; a start takes about half a second).
//
// The emulator is a Node.js program. Start finds it through $APOXY_EMULATOR_BIN (any executable
// that takes the emulator's command line), else apoxy-emulator on $PATH, else the bin/ of the
// apoxy-emulator repository the test runs inside of.
//
// Everything under /_emulator/ (reset, seed, snapshots, the request log, fault rules, the clock)
// is typed here as methods of Emulator.
package apoxyemulator
