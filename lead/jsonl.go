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
// ones. An error reading r is yielded once, with the number of the line
// being read, and ends the sequence. A nil r yields one error.
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
		var fast *leadDecoder
		if _, ok := any(&zero).(*Lead); ok {
			fast = &leadDecoder{}
		}
		br := bufio.NewReaderSize(r, 64<<10)
		var long []byte // a line longer than the buffer, gathered
		n := 0
		for {
			n++
			line, tooLong, err := readLine(br, &long, cfg.maxLine)
			if err != nil && err != io.EOF {
				yield(zero, &leadkit.Error{Path: fmt.Sprintf("line %d", n), Msg: "read: " + err.Error(), Err: err})
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
				if !yield(zero, e) {
					return
				}
			case isBlank(line):
			default:
				var v T
				if derr := decodeLine(line, &v, &cfg, fast); derr != nil {
					if !yield(zero, lineError(n, derr)) {
						return
					}
				} else if !yield(v, nil) {
					return
				}
			}
			if eof {
				return
			}
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
func readLine(br *bufio.Reader, long *[]byte, max int) (line []byte, tooLong bool, err error) {
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
// set and it understands the line, else by encoding/json.
func decodeLine[T any](line []byte, v *T, cfg *linesConfig, fast *leadDecoder) error {
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
