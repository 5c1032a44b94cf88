// Command prngdll writes bcryptprimitives.dll for scripts/windows-check.sh.
// The Go runtime on Windows will not start without that DLL's ProcessPrng,
// and the Wine Debian 12 ships (8.0) has no such DLL. This one holds no
// code: its only export forwards to advapi32's SystemFunction036
// (RtlGenRandom), which takes the same arguments and returns success in
// the low byte, all the runtime reads. Test-only: the check copies it into
// a throwaway Wine prefix's system32, never into an installer.
//
//	go run ./internal/cmd/prngdll OUT.dll
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: prngdll OUT.dll")
		os.Exit(2)
	}
	dll := forwarderDLL("bcryptprimitives.dll", []export{{name: "ProcessPrng", target: "advapi32.SystemFunction036"}})
	if err := os.WriteFile(os.Args[1], dll, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "prngdll:", err)
		os.Exit(1)
	}
}
