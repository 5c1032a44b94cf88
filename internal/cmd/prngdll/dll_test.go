package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestForwarderDLL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		dll     string
		exports []export
		want    map[string]string
	}{
		{
			name:    "ProcessPrng",
			dll:     "bcryptprimitives.dll",
			exports: []export{{name: "ProcessPrng", target: "advapi32.SystemFunction036"}},
			want:    map[string]string{"ProcessPrng": "advapi32.SystemFunction036"},
		},
		{
			name: "unsorted",
			dll:  "x.dll",
			exports: []export{
				{name: "Zeta", target: "a.Z"},
				{name: "Alpha", target: "b.A"},
				{name: "Mid", target: "c.M"},
			},
			want: map[string]string{"Alpha": "b.A", "Mid": "c.M", "Zeta": "a.Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw := forwarderDLL(tt.dll, tt.exports)
			if again := forwarderDLL(tt.dll, tt.exports); !bytes.Equal(raw, again) {
				t.Fatal("the same exports gave different bytes")
			}
			name, got := readExports(t, raw)
			if name != tt.dll {
				t.Errorf("DLL name = %q, want %q", name, tt.dll)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("exports (-want +got):\n%s", diff)
			}
		})
	}
}

// readExports reads a DLL's export directory as a loader does, and
// returns its name and each exported name's forwarder string; it fails
// the test on anything a loader would refuse.
func readExports(t *testing.T, raw []byte) (string, map[string]string) {
	t.Helper()
	f, err := pe.NewFile(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("debug/pe: %v", err)
	}
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || f.Characteristics&pe.IMAGE_FILE_DLL == 0 {
		t.Fatalf("machine %#x, characteristics %#x: not an amd64 DLL", f.Machine, f.Characteristics)
	}
	opt, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok {
		t.Fatalf("optional header %T, want PE32+", f.OptionalHeader)
	}
	dir := opt.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_EXPORT]
	if len(f.Sections) != 1 {
		t.Fatalf("%d sections, want 1", len(f.Sections))
	}
	s := f.Sections[0]
	data, err := s.Data()
	if err != nil {
		t.Fatalf("section data: %v", err)
	}
	at := func(rva uint32) []byte {
		if rva < s.VirtualAddress || rva-s.VirtualAddress >= uint32(len(data)) {
			t.Fatalf("RVA %#x outside the section", rva)
		}
		return data[rva-s.VirtualAddress:]
	}
	cstr := func(rva uint32) string {
		b := at(rva)
		i := bytes.IndexByte(b, 0)
		if i < 0 {
			t.Fatalf("string at %#x is not terminated", rva)
		}
		return string(b[:i])
	}
	le := binary.LittleEndian
	ed := at(dir.VirtualAddress)
	n := le.Uint32(ed[24:])
	funcs, names, ords := le.Uint32(ed[28:]), le.Uint32(ed[32:]), le.Uint32(ed[36:])
	got := map[string]string{}
	prev := ""
	for i := range n {
		name := cstr(le.Uint32(at(names + 4*i)))
		if name <= prev {
			t.Errorf("export names not sorted: %q after %q", name, prev)
		}
		prev = name
		fn := le.Uint32(at(funcs + 4*uint32(le.Uint16(at(ords+2*i)))))
		if fn < dir.VirtualAddress || fn >= dir.VirtualAddress+dir.Size {
			t.Errorf("export %s at %#x is not a forwarder", name, fn)
		}
		got[name] = cstr(fn)
	}
	return cstr(le.Uint32(ed[12:])), got
}
