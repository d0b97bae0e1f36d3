// Package golden compares what a test produces with a golden file, and
// rewrites the file when the test binary runs with -update: the one
// helper behind every golden state and report file of the module.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// Check compares got with the file at path and returns the file's bytes.
// With -update it first writes got there (creating its folder). A
// missing file stops the test; a difference fails it with a line diff.
// Review the diff before committing a rewritten file.
func Check(t testing.TB, path string, got []byte) []byte {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the test produced; if the change is intended, run go test -update and review the diff (-golden +now):\n%s",
			path, cmp.Diff(string(want), string(got)))
	}
	return want
}
