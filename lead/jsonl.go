package lead

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/leadkit/leadkit"
)

// LinesOption configures [Lines] and [DecodeLines].
type LinesOption func(*linesConfig)

type linesConfig struct {
	allowUnknown bool
	maxLine      int
	workers      int
}

// DefaultMaxLineBytes is the longest line [Lines] accepts unless
// [MaxLineBytes] says otherwise: 16 MiB.
const DefaultMaxLineBytes = 16 << 20

// AllowUnknownFields makes [Lines] ignore object keys that the record
// type does not have. By default such a key is an error for its line.
func AllowUnknownFields() LinesOption {
	return func(c *linesConfig) { c.allowUnknown = true }
}

// MaxLineBytes sets the longest line [Lines] accepts, in bytes, without
// its line ending. A longer line, whatever it holds (white space too), is
// reported as an error for that line and skipped, so one runaway record
// cannot exhaust memory. n <= 0 means
// [DefaultMaxLineBytes].
func MaxLineBytes(n int) LinesOption {
	return func(c *linesConfig) {
		if n <= 0 {
			n = DefaultMaxLineBytes
		}
		c.maxLine = n
	}
}

// MaxWorkers is the most goroutines [Parallel] decodes on.
const MaxWorkers = 256

// Parallel makes [Lines] decode on n goroutines (at most [MaxWorkers]),
// ahead of the loop that ranges over it, while one more reads. The
// sequence is the same, record for record and error for error, in the
// same order; only the time it takes changes. Decoding, not reading, is
// most of Lines' time, so on a machine with spare cores this takes it
// off the loop's path: a host that does real work per record (scoring,
// analyses) gets the decoding nearly for free. n <= 1 means decoding in
// the loop, as without this option.
//
// Lines reads in batches of 256 lines (fewer when they pass 1 MB) and
// holds at most 2n+2 of them ahead of the loop. A loop that stops early
// waits until the read in progress returns, so nothing reads r after the
// loop ends.
func Parallel(n int) LinesOption {
	return func(c *linesConfig) { c.workers = min(max(n, 0), MaxWorkers) }
}

// Lines returns the records of a JSON lines stream read from r: one JSON
// value per line, decoded into a T as [encoding/json.Decoder] does with
// DisallowUnknownFields (unless [AllowUnknownFields] is given), and with
// nothing but white space after the value. Lines that hold only white
// space are skipped; line endings may be "\n" or "\r\n"; a UTF-8 byte
// order mark before the first line is ignored.
//
// A line that does not decode yields a zero T and a *[leadkit.Error]
// whose Path is "line N" (N counts every line from 1, blank ones too)
// and whose Err is the decoding error; the sequence then goes on with
// the next line, so a host can report every bad line and keep the good
// ones. A panic while decoding a line (in a record type's UnmarshalJSON)
// is that line's error, "decoding panicked: ...". An error reading r, or
// a panic in its Read ("read: panicked: ..."), is yielded once, with the
// number of the line being read, and ends the sequence. A nil r yields
// one error.
//
// For T = [Lead], Lines uses a decoder written for the lead schema that
// is several times faster than encoding/json and gives the same leads and
// the same errors: any line it does not fully understand (an unknown or
// differently cased key, an escaped key, null, a duplicated key, a
// syntax error) is decoded again by encoding/json. The plain strings of
// a lead it decodes share one copy of the lead's line: a host that keeps
// one of them after it is done with the lead (an id in a set, say)
// should keep strings.Clone of it, or the whole line stays in memory.
// [DecodeLines] is
// Lines[Lead]. Other record types (kpi.Deal, kpi.Spend, kpi.Visits, a
// host's own) are decoded by encoding/json.
//
// Lines reads r lazily, one buffered line at a time, and does not close
// it. The sequence may be ranged over once.
func Lines[T any](r io.Reader, opts ...LinesOption) iter.Seq2[T, error] {
	cfg := linesConfig{maxLine: DefaultMaxLineBytes}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return func(yield func(T, error) bool) {
		var zero T
		if r == nil {
			yield(zero, &leadkit.Error{Msg: "nil reader"})
			return
		}
		if cfg.workers > 1 {
			parallelLines(r, &cfg, yield)
			return
		}
		fast := newFast[T]()
		scanLines(r, &cfg, func(n int, line []byte, err error) bool {
			if err != nil {
				return yield(zero, err)
			}
			var v T
			if derr := decodeLine(line, &v, &cfg, fast); derr != nil {
				return yield(zero, lineError(n, derr))
			}
			return yield(v, nil)
		})
	}
}

// newFast returns the lead decoder when T is Lead, else nil.
func newFast[T any]() *leadDecoder {
	var zero T
	if _, ok := any(&zero).(*Lead); ok {
		return &leadDecoder{}
	}
	return nil
}

// scanLines reads r line by line and calls fn with each line to decode
// (its number, from 1, and its bytes, valid until fn returns) or with
// the error of a line that cannot be decoded at all: one too long, or a
// read error, which ends the scan. Blank lines are skipped, a byte order
// mark before the first line is dropped. The scan stops when fn returns
// false.
func scanLines(r io.Reader, cfg *linesConfig, fn func(n int, line []byte, err error) bool) {
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte // a line longer than the buffer, gathered
	n := 0
	for {
		n++
		line, tooLong, err := readLine(br, &long, cfg.maxLine)
		if err != nil && err != io.EOF {
			fn(n, nil, &leadkit.Error{Path: fmt.Sprintf("line %d", n), Msg: "read: " + err.Error(), Err: err})
			return
		}
		eof := err == io.EOF
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		switch {
		case tooLong:
			e := &leadkit.Error{Path: fmt.Sprintf("line %d", n),
				Msg: fmt.Sprintf("longer than %d bytes; raise MaxLineBytes if the record is genuine", cfg.maxLine)}
			if !fn(n, nil, e) {
				return
			}
		case isBlank(line):
		default:
			if !fn(n, line, nil) {
				return
			}
		}
		if eof {
			return
		}
	}
}

// DecodeLines returns the leads of a JSON lines stream: it is
// [Lines][Lead]. See [Lines] for the rules, the errors and the speed.
func DecodeLines(r io.Reader, opts ...LinesOption) iter.Seq2[Lead, error] {
	return Lines[Lead](r, opts...)
}

// readLine returns the next line of br without its line ending. It
// returns io.EOF with the last line (possibly empty). A line longer than
// max is read to its end and dropped, with tooLong set.
//
// A panic in the underlying reader's Read is returned as an error.
func readLine(br *bufio.Reader, long *[]byte, max int) (line []byte, tooLong bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			line, tooLong, err = nil, false, fmt.Errorf("panicked: %v", p)
		}
	}()
	*long = (*long)[:0]
	gathered := false
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if !tooLong {
				if len(*long)+len(chunk) > max+2 {
					tooLong = true
					*long = (*long)[:0]
				} else {
					*long = append(*long, chunk...)
					gathered = true
				}
			}
			continue
		}
		if gathered && !tooLong {
			*long = append(*long, chunk...)
			chunk = *long
		}
		if err != nil && err != io.EOF {
			return nil, false, err
		}
		chunk = bytes.TrimSuffix(chunk, []byte("\n"))
		chunk = bytes.TrimSuffix(chunk, []byte("\r"))
		if len(chunk) > max {
			tooLong = true
		}
		if tooLong {
			return nil, true, err
		}
		return chunk, false, err
	}
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// decodeLine decodes one line into v: by the lead decoder when fast is
// set and it understands the line, else by encoding/json. A panic while
// decoding (in a host type's UnmarshalJSON) is the line's error.
func decodeLine[T any](line []byte, v *T, cfg *linesConfig, fast *leadDecoder) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if fast != nil {
				*fast = leadDecoder{} // its scratch is in an unknown state
			}
			err = fmt.Errorf("decoding panicked: %v", p)
		}
	}()
	if fast != nil {
		if l, ok := any(v).(*Lead); ok {
			if fast.decode(line, l) {
				return nil
			}
			*l = Lead{}
		}
	}
	return decodeStd(line, v, cfg.allowUnknown)
}

// errTrailing reports a line holding more than one JSON value.
var errTrailing = errors.New("more than one JSON value on the line")

// decodeStd decodes one line with encoding/json: the reference the fast
// decoder must agree with.
func decodeStd(line []byte, v any, allowUnknown bool) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	if !allowUnknown {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	if !isBlank(line[dec.InputOffset():]) {
		return errTrailing
	}
	return nil
}

func lineError(n int, err error) *leadkit.Error {
	msg := strings.TrimPrefix(err.Error(), "json: ")
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg = fmt.Sprintf("%s (byte %d)", msg, se.Offset)
	}
	return &leadkit.Error{Path: fmt.Sprintf("line %d", n), Msg: msg, Err: err}
}
