package scaffold

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/callboard/callboard/app/catalog"
)

// Inspect sees every byte of a dry run's project, past the UI's budget of
// shown contents, and its error fails the run.
func TestInspectSeesTheWholeProject(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", maxShownFile+10)
	tmpl := "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: t}\nspec:\n  type: x\n  steps:\n    - {id: f, action: fetch:plain, input: {url: ./skeleton}}\n"
	files := catalog.MapFiles{"template.yaml": tmpl, "skeleton/big.txt": big}
	tests := []struct {
		name    string
		inspect func(fs.FS, Result) error
		want    Status
	}{
		{"reads", func(project fs.FS, _ Result) error {
			data, err := fs.ReadFile(project, "big.txt")
			if err != nil || string(data) != big {
				return errors.New("big.txt not whole")
			}
			return nil
		}, Completed},
		{"fails the run", func(fs.FS, Result) error { return errors.New("no") }, Failed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, _ := run(t, files, "template.yaml", Request{DryRun: true, Inspect: tt.inspect})
			if res.Status != tt.want {
				t.Fatalf("status %s (%s), want %s", res.Status, res.Error, tt.want)
			}
		})
	}
}
