package lead_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// messyLines returns n lines of JSON lines input: generated leads with,
// at random places, blank lines, lines too long for a 4 KB limit,
// unknown fields, syntax errors and CRLF endings, so that batches of
// lines start and end on every kind.
func messyLines(t *testing.T, n int, seed uint64) []byte {
	good := bytes.Split(bytes.TrimSpace(jsonLines(t, 500)), []byte("\n"))
	r := rand.New(rand.NewPCG(seed, 16))
	var b bytes.Buffer
	b.WriteString("\xef\xbb\xbf")
	for i := range n {
		switch k := r.IntN(20); {
		case k == 0:
			b.WriteString("  \t")
		case k == 1:
			fmt.Fprintf(&b, `{"id":"long-%d","fields":{"pad":"%s"}}`, i, strings.Repeat("x", 5000))
		case k == 2:
			fmt.Fprintf(&b, `{"id":"unknown-%d","colour":1}`, i)
		case k == 3:
			fmt.Fprintf(&b, `{"id":"broken-%d",}`, i)
		case k == 4:
			b.Write(good[r.IntN(len(good))])
			b.WriteByte('\r')
		default:
			b.Write(good[r.IntN(len(good))])
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// TestParallelSameSequence requires Parallel to yield, for any number of
// workers, exactly the sequence decoding in the loop yields: the same
// leads and the same errors in the same order, across many batches.
func TestParallelSameSequence(t *testing.T) {
	for seed := range uint64(3) {
		data := messyLines(t, 3000, seed)
		opts := []lead.LinesOption{lead.MaxLineBytes(4096)}
		want, wantErrs := collect(t, lead.DecodeLines(bytes.NewReader(data), opts...))
		if len(wantErrs) == 0 || len(want) < 2000 {
			t.Fatalf("input too tidy: %d leads, %d errors", len(want), len(wantErrs))
		}
		for _, workers := range []int{2, 3, 8} {
			// A reader that returns a few bytes at a time moves the
			// batch boundaries.
			got, errs := collect(t, lead.DecodeLines(iotest.HalfReader(bytes.NewReader(data)), append(opts, lead.Parallel(workers))...))
			if diff := cmp.Diff(wantErrs, errs); diff != "" {
				t.Fatalf("seed %d, %d workers: errors (-sequential +parallel):\n%s", seed, workers, diff)
			}
			if !reflect.DeepEqual(want, got) { // cmp.Diff only to show a difference: it is slow
				t.Fatalf("seed %d, %d workers: leads (-sequential +parallel):\n%s", seed, workers, cmp.Diff(want, got))
			}
		}
	}
}

// TestParallelOtherRecords runs a record type that encoding/json
// decodes through the workers.
func TestParallelOtherRecords(t *testing.T) {
	var b strings.Builder
	for i := range 1000 {
		if i%97 == 0 {
			fmt.Fprintf(&b, `{"id":"D%d","amount":"x"}`+"\n", i)
			continue
		}
		fmt.Fprintf(&b, `{"id":"D%d","amount":"%d.50","created_at":"2026-01-05T09:00:00Z","status":"won"}`+"\n", i, i)
	}
	want, wantErrs := collect(t, lead.Lines[kpi.Deal](strings.NewReader(b.String())))
	got, errs := collect(t, lead.Lines[kpi.Deal](strings.NewReader(b.String()), lead.Parallel(4)))
	if len(wantErrs) != 11 || !cmp.Equal(wantErrs, errs) || len(got) != len(want) {
		t.Fatalf("%d deals and errors %q; parallel %d and %q", len(want), wantErrs, len(got), errs)
	}
	for i := range want {
		if want[i].ID != got[i].ID || !want[i].Amount.Equal(got[i].Amount) {
			t.Fatalf("deal %d: %+v, parallel %+v", i, want[i], got[i])
		}
	}
}

// TestParallelReadError checks that a read error ends the sequence
// with its line number, after every line before it.
func TestParallelReadError(t *testing.T) {
	data := messyLines(t, 1000, 7)
	cut := bytes.LastIndexByte(data[:len(data)/2], '\n') + 3 // inside a line
	line := bytes.Count(data[:cut], []byte("\n")) + 1
	r := func() io.Reader {
		return io.MultiReader(bytes.NewReader(data[:cut]), iotest.ErrReader(errors.New("disk gone")))
	}
	opts := []lead.LinesOption{lead.MaxLineBytes(4096)}
	want, wantErrs := collect(t, lead.DecodeLines(r(), opts...))
	got, errs := collect(t, lead.DecodeLines(r(), append(opts, lead.Parallel(2))...))
	if last := wantErrs[len(wantErrs)-1]; last != fmt.Sprintf("line %d: read: disk gone", line) {
		t.Fatalf("last error %q, want the read error on line %d", last, line)
	}
	if !cmp.Equal(wantErrs, errs) || !reflect.DeepEqual(want, got) {
		t.Fatalf("parallel differs: %d leads %d errors, want %d and %d", len(got), len(errs), len(want), len(wantErrs))
	}
}

// countingReader counts Read calls, and fails the test when one comes
// after the loop has returned.
type countingReader struct {
	r      io.Reader
	closed atomic.Bool
	late   atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.closed.Load() {
		c.late.Add(1)
	}
	return c.r.Read(p)
}

// TestParallelStopEarly breaks out of the loop at several points and
// checks that the reader and workers are gone when the loop returns:
// no read of r after it, and no goroutine left behind.
func TestParallelStopEarly(t *testing.T) {
	data := messyLines(t, 5000, 3)
	before := runtime.NumGoroutine()
	for _, stopAt := range []int{0, 1, 255, 256, 257, 1000, 4000} {
		cr := &countingReader{r: iotest.OneByteReader(bytes.NewReader(data))}
		n := 0
		for range lead.DecodeLines(cr, lead.MaxLineBytes(4096), lead.Parallel(3)) {
			if n == stopAt {
				break
			}
			n++
		}
		cr.closed.Store(true)
		if n != stopAt {
			t.Errorf("stopped at %d, want %d", n, stopAt)
		}
		time.Sleep(time.Millisecond)
		if late := cr.late.Load(); late != 0 {
			t.Errorf("stop at %d: %d reads after the loop returned", stopAt, late)
		}
	}
	// Goroutines end before the loop returns; give the runtime a moment
	// to account for them.
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines after the loops, %d before", runtime.NumGoroutine(), before)
}

// touchy is a host record whose UnmarshalJSON panics on one value.
type touchy struct{ N int }

func (t *touchy) UnmarshalJSON(b []byte) error {
	if string(b) == "-1" {
		panic("touchy: -1")
	}
	_, err := fmt.Sscan(string(b), &t.N)
	return err
}

// TestDecodingPanicIsALineError checks that a record type's panic is
// the error of its line, in both modes, and the sequence goes on: 2,000
// lines, line 1,501 holds the value the type panics on.
func TestDecodingPanicIsALineError(t *testing.T) {
	var in strings.Builder
	for i := range 2000 {
		if i == 1500 {
			in.WriteString("-1\n")
			continue
		}
		fmt.Fprintf(&in, "%d\n", i)
	}
	for _, opts := range [][]lead.LinesOption{nil, {lead.Parallel(3)}} {
		var errs []string
		n := 0
		for v, err := range lead.Lines[touchy](strings.NewReader(in.String()), opts...) {
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			if want := n + n/1500; v.N != want { // the values skip 1500
				t.Fatalf("%d options: record %d holds %d, want %d", len(opts), n, v.N, want)
			}
			n++
		}
		if n != 1999 || !cmp.Equal(errs, []string{"line 1501: decoding panicked: touchy: -1"}) {
			t.Errorf("%d options: %d records, errors %q; want 1999 and the line's panic", len(opts), n, errs)
		}
	}
}

// panickyReader serves r and panics once n bytes are read.
type panickyReader struct {
	r io.Reader
	n int
}

func (p *panickyReader) Read(b []byte) (int, error) {
	if p.n <= 0 {
		panic("panicky: disk on fire")
	}
	if len(b) > p.n {
		b = b[:p.n]
	}
	k, err := p.r.Read(b)
	p.n -= k
	return k, err
}

// TestReaderPanicEndsTheSequence checks that a panic in the host's
// reader is a read error, after the same records in both modes, that
// names the line being read.
func TestReaderPanicEndsTheSequence(t *testing.T) {
	data := messyLines(t, 2000, 5)
	cut := len(data) * 2 / 3
	line := bytes.Count(data[:cut], []byte("\n")) + 1
	run := func(opts ...lead.LinesOption) (int, []string) {
		r := &panickyReader{r: iotest.HalfReader(bytes.NewReader(data)), n: cut}
		ls, errs := collect(t, lead.DecodeLines(r, append(opts, lead.MaxLineBytes(4096))...))
		return len(ls), errs
	}
	want, wantErrs := run()
	got, errs := run(lead.Parallel(3))
	if last := wantErrs[len(wantErrs)-1]; last != fmt.Sprintf("line %d: read: panicked: panicky: disk on fire", line) {
		t.Fatalf("last error %q, want the panic on line %d", last, line)
	}
	if got != want || want < 1000 || !cmp.Equal(errs, wantErrs) {
		t.Errorf("sequential: %d leads, %d errors; parallel: %d, %d", want, len(wantErrs), got, len(errs))
	}
}

// TestParallelWorkerCounts checks the documented bounds: n <= 1 decodes
// in the loop, a huge n is capped at MaxWorkers; all give the sequence.
func TestParallelWorkerCounts(t *testing.T) {
	data := messyLines(t, 600, 9)
	want, wantErrs := collect(t, lead.DecodeLines(bytes.NewReader(data), lead.MaxLineBytes(4096)))
	for _, n := range []int{-1 << 40, -1, 0, 1, lead.MaxWorkers + 1, 1 << 40} {
		got, errs := collect(t, lead.DecodeLines(bytes.NewReader(data), lead.MaxLineBytes(4096), lead.Parallel(n)))
		if !reflect.DeepEqual(want, got) || !cmp.Equal(wantErrs, errs) {
			t.Errorf("Parallel(%d): %d leads, %d errors; want %d and %d", n, len(got), len(errs), len(want), len(wantErrs))
		}
	}
}
