package locale

import "testing"

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", nil, ""},
		{"C.UTF-8, the default of containers and CI", map[string]string{"LANG": "C.UTF-8"}, ""},
		{"plain C", map[string]string{"LANG": "C"}, ""},
		{"POSIX", map[string]string{"LC_ALL": "POSIX"}, ""},
		{"LANG", map[string]string{"LANG": "de_DE.UTF-8"}, "de-DE"},
		{"LC_MESSAGES over LANG", map[string]string{"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, "fr-FR"},
		{"LC_ALL over the rest", map[string]string{"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR", "LC_ALL": "pt_BR.UTF-8"}, "pt-BR"},
		{"LANGUAGE first", map[string]string{"LANG": "de_DE.UTF-8", "LANGUAGE": "en_GB:en"}, "en-GB"},
		{"LANGUAGE with C.UTF-8", map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "en_US"}, "en-US"},
		{"LANGUAGE list skips what is no language", map[string]string{"LANGUAGE": "C:sv"}, "sv"},
		{"the locale in force is C: LANG below it is not read", map[string]string{"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}, ""},
		{"a modifier", map[string]string{"LANG": "ca_ES.UTF-8@valencia"}, "ca-ES"},
		{"@euro", map[string]string{"LANG": "de_AT@euro"}, "de-AT"},
		{"a modifier naming a script is dropped", map[string]string{"LANG": "sr_RS.UTF-8@latin"}, "sr-RS"},
		{"garbage", map[string]string{"LANG": "%%!"}, ""},
		{"a BCP 47 tag as it is", map[string]string{"LANG": "zh-Hant-TW"}, "zh-Hant-TW"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromEnv(func(k string) string { return tt.env[k] })
			if got != tt.want {
				t.Errorf("FromEnv(%v) = %q, want %q", tt.env, got, tt.want)
			}
		})
	}
}

func FuzzTag(f *testing.F) {
	for _, s := range []string{"de_DE.UTF-8", "C", "POSIX", "en_US@euro", "zh-Hant-TW", "x-private", "i-klingon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		tag := Tag(name)
		if tag == "" {
			return
		}
		// Whatever Tag returns is a tag it keeps as it is.
		if again := Tag(tag); again != tag {
			t.Fatalf("Tag(%q) = %q, but Tag(%q) = %q", name, tag, tag, again)
		}
	})
}
