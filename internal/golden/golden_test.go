package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errs  []string
	fatal bool
}

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, a ...any) { r.errs = append(r.errs, format) }
func (r *recorder) Fatalf(format string, a ...any) { r.fatal = true; panic(r) }
func (r *recorder) Fatal(a ...any)                 { r.fatal = true; panic(r) }

func check(r *recorder, path string, got []byte) (want []byte) {
	defer func() {
		if p := recover(); p != nil && p != r {
			panic(p)
		}
	}()
	return Check(r, path, got)
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.golden")
	if err := os.WriteFile(path, []byte("one\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	if want := check(r, path, []byte("one\ntwo\n")); string(want) != "one\ntwo\n" || len(r.errs) != 0 || r.fatal {
		t.Errorf("same bytes: want %q, errors %q, fatal %v", want, r.errs, r.fatal)
	}
	r = &recorder{TB: t}
	if want := check(r, path, []byte("one\nthree\n")); string(want) != "one\ntwo\n" || len(r.errs) != 1 || !strings.Contains(r.errs[0], "differs") {
		t.Errorf("other bytes: want %q, errors %q", want, r.errs)
	}
	r = &recorder{TB: t}
	check(r, filepath.Join(t.TempDir(), "missing"), []byte("x"))
	if !r.fatal {
		t.Error("a missing golden file did not stop the test")
	}
	*update = true
	defer func() { *update = false }()
	r = &recorder{TB: t}
	newPath := filepath.Join(t.TempDir(), "sub", "b.golden")
	if want := check(r, newPath, []byte("fresh")); string(want) != "fresh" || len(r.errs) != 0 || r.fatal {
		t.Errorf("-update: want %q, errors %q, fatal %v", want, r.errs, r.fatal)
	}
}
