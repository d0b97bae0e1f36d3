package leadkit

import (
	"errors"
	"fmt"
	"strings"
)

// Error is one problem found in a definition, an expression or a piece of
// decoded state, with where it is. It is the one positioned error of
// leadkit: every Validate, every Compile and the rule compiler return
// *Error values (joined with errors.Join when there are several), so a
// host finds them with errors.As and can underline the column in an
// editor.
type Error struct {
	// Path names the field in JSON names: "rules[3].when",
	// "stages[2].team". It may be empty.
	Path string
	// Source is the expression the error is about, when it is about one.
	Source string
	// Line and Column are the 1-based position in Source, in runes; 0
	// when unknown or not applicable.
	Line, Column int
	// Msg says what is wrong, in lower case.
	Msg string
	// Err is the underlying cause, if any.
	Err error
}

// Error formats the problem as "path: message (line:column)", followed by
// the offending line of the expression and a caret under the column when
// the position is known.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Msg == "" && e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, " (%d:%d)", e.Line, e.Column)
		b.WriteString(e.Snippet())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Snippet returns the line of Source holding the problem and, below it,
// a caret under its column (led by dots, which survive whitespace
// trimming), each line prefixed with "\n | ", or "" when the position is
// unknown.
func (e *Error) Snippet() string {
	if e.Line <= 0 {
		return ""
	}
	lines := strings.Split(e.Source, "\n")
	if e.Line > len(lines) {
		return ""
	}
	line := []rune(strings.ReplaceAll(lines[e.Line-1], "\t", " "))
	col := min(max(e.Column, 1), len(line)+1)
	// Show at most 60 runes around the column of a long line.
	const width = 60
	prefix, suffix := "", ""
	if len(line) > width {
		start := max(0, min(col-1-width/2, len(line)-width))
		if start > 0 {
			prefix = "..."
		}
		if start+width < len(line) {
			suffix = "..."
		}
		line = line[start : start+width]
		col = col - start + len(prefix)
	}
	return "\n | " + prefix + string(line) + suffix + "\n | " + strings.Repeat(".", col-1) + "^"
}

// Errorf returns an *Error at path with a formatted message. A %w verb in
// format sets Err.
func Errorf(path, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Path: path, Msg: err.Error(), Err: unwrapOne(err)}
}

func unwrapOne(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok {
		return u.Unwrap()
	}
	return nil
}

// Prefix returns err with every *Error in it (through errors.Join) moved
// under path: "rules[3]" + "when" gives "rules[3].when", "stages" +
// "[2].team" gives "stages[2].team". Errors of other types are wrapped in
// an *Error at path. It returns nil for a nil err.
func Prefix(path string, err error) error {
	if err == nil || path == "" {
		return err
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Prefix(path, e))
		}
		return errors.Join(out...)
	}
	if e, ok := err.(*Error); ok {
		c := *e
		switch {
		case c.Path == "":
			c.Path = path
		case strings.HasPrefix(c.Path, "["):
			c.Path = path + c.Path
		default:
			c.Path = path + "." + c.Path
		}
		return &c
	}
	return &Error{Path: path, Msg: err.Error(), Err: err}
}
