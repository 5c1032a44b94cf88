package gitfetch

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// scrubStartEnviron overwrites with zero bytes the values of the variables
// names in the environment block the process started with, which is what
// /proc/<pid>/environ reads. The block's bounds are fields 50 and 51 of
// /proc/self/stat (env_start, env_end); a process may write its own memory
// through /proc/self/mem, so no unsafe pointer is needed.
func scrubStartEnviron(names []string) error {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	end := bytes.LastIndexByte(stat, ')')
	if end < 0 {
		return fmt.Errorf("/proc/self/stat: no command name")
	}
	fields := strings.Fields(string(stat[end+1:]))
	const envStart, envEnd = 50 - 3, 51 - 3 // fields counted from 1, after pid and name
	if len(fields) <= envEnd {
		return fmt.Errorf("/proc/self/stat: %d fields, no env_start and env_end", len(fields)+2)
	}
	start, err1 := strconv.ParseInt(fields[envStart], 10, 64)
	stop, err2 := strconv.ParseInt(fields[envEnd], 10, 64)
	if err1 != nil || err2 != nil || start <= 0 || stop <= start || stop-start > 64<<20 {
		return fmt.Errorf("/proc/self/stat: env_start %q and env_end %q are not an address range", fields[envStart], fields[envEnd])
	}
	mem, err := os.OpenFile("/proc/self/mem", os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer mem.Close()
	block := make([]byte, stop-start)
	if _, err := mem.ReadAt(block, start); err != nil {
		return fmt.Errorf("read the environment block: %w", err)
	}
	wanted := map[string]bool{}
	for _, n := range names {
		wanted[n] = true
	}
	off := 0
	for _, kv := range bytes.Split(block, []byte{0}) {
		if k, v, ok := bytes.Cut(kv, []byte("=")); ok && wanted[string(k)] && len(v) > 0 {
			if _, err := mem.WriteAt(make([]byte, len(v)), start+int64(off+len(k)+1)); err != nil {
				return fmt.Errorf("overwrite %s: %w", k, err)
			}
		}
		off += len(kv) + 1
	}
	return nil
}
