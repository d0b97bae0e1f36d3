package rules

import (
	"errors"
	"github.com/leadkit/leadkit"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/file"
)

// Error is a problem with one expression, at compile time or at run
// time: leadkit's one positioned error, [leadkit.Error]. It carries the
// expression's path in its definition ("rules[3].when"), the expression,
// the 1-based line and column of the problem and the message, and it
// unwraps to its cause when there is one.
type Error = leadkit.Error

// position converts a rune offset into a 1-based line and column.
func position(src string, offset int) (line, col int) {
	line, col = 1, 1
	n := 0
	for _, r := range src {
		if n == offset {
			break
		}
		n++
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// newError builds an Error at rune offset from.
func newError(path, src string, from int, msg string, cause error) *Error {
	line, col := position(src, from)
	return &Error{Path: path, Source: src, Line: line, Column: col, Msg: msg, Err: cause}
}

// fromExpr converts an error from expr into an *Error; errors that carry
// no position keep Line 0.
func fromExpr(path, src string, err error) *Error {
	var fe *file.Error
	if errors.As(err, &fe) {
		msg := fe.Message
		if msg == "" {
			msg = err.Error()
		}
		e := newError(path, src, fe.From, lowerFirst(msg), fe.Prev)
		return e
	}
	return &Error{Path: path, Source: src, Msg: lowerFirst(err.Error()), Err: err}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	if r >= 'A' && r <= 'Z' && (len(s) == n || !(s[n] >= 'A' && s[n] <= 'Z')) {
		return string(r+'a'-'A') + s[n:]
	}
	return s
}

// suggest returns the candidate closest to name by edit distance, or ""
// when none is close enough to be a plausible typo.
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		d := editDistance(strings.ToLower(name), strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := 2
	if len(name) <= 4 {
		limit = 1
	}
	if bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and adjacent transpositions ("titel" -> "title"
// is one edit).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
