package textout

import (
	"errors"
	"strings"
	"testing"
)

func TestPrinter(t *testing.T) {
	var b strings.Builder
	p := New(&b)
	p.Section("Café")
	tb := p.Table("  ", "a\tbb\tc")
	tb.Row("%d\t%s\t%s", 100, "x", "y")
	tb.Flush()
	p.F("done %d\n", 1)
	// The title is underlined by rune, not byte; columns are as wide as
	// their longest cell plus two spaces.
	want := "\nCafé\n====\n  a    bb  c\n  100  x   y\ndone 1\n"
	if b.String() != want || p.Err() != nil {
		t.Errorf("got %q (%v), want %q", b.String(), p.Err(), want)
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(b []byte) (int, error) {
	f.n++
	return 0, errors.New("disk full")
}

func TestPrinterKeepsTheFirstError(t *testing.T) {
	w := &failWriter{}
	p := New(w)
	p.F("a")
	p.Section("b")
	tb := p.Table("", "c")
	tb.Row("d")
	tb.Flush()
	if p.Err() == nil || p.Err().Error() != "disk full" || w.n != 1 {
		t.Errorf("err %v after %d writes; want the first error and no write after it", p.Err(), w.n)
	}
}
