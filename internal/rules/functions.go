package rules

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/file"
)

type fileLocation = file.Location

func fn(name string, f func(args ...any) (any, error), types ...any) *builtin.Function {
	ts := make([]reflect.Type, len(types))
	for i, t := range types {
		ts[i] = reflect.TypeOf(t).Elem() // types are given as *func(...)
	}
	return &builtin.Function{Name: name, Func: f, Types: ts}
}

// functions returns the helpers available to rule text, plus the internal
// targets of the patched helpers. Built fresh per compilation: no global
// state.
func functions() []*builtin.Function {
	fs := []*builtin.Function{
		fn("duration", func(args ...any) (any, error) {
			return ParseDuration(args[0].(string))
		}, new(func(string) time.Duration)),
		fn("date", func(args ...any) (any, error) {
			return parseDate(args[0].(string))
		}, new(func(string) time.Time)),
		fn("icontains", func(args ...any) (any, error) {
			return IContains(args[0].(string), args[1].(string)), nil
		}, new(func(string, string) bool)),
		fn("iin", func(args ...any) (any, error) {
			return IIn(args[0].(string), args[1].([]any)), nil
		}, new(func(string, []any) bool)),
		fn("free_email", func(args ...any) (any, error) {
			return FreeEmail(args[0].(string)), nil
		}, new(func(string) bool)),
		fn("_count", func(args ...any) (any, error) {
			return args[0].(*Ctx).counts[args[1].(int)], nil
		}, new(func(*Ctx, int) int)),
		fn("_count_dyn", func(args ...any) (any, error) {
			return args[0].(*Ctx).countDyn(args[1].(string), args[2].(string))
		}, new(func(*Ctx, string, string) int)),
		fn("_days_since", func(args ...any) (any, error) {
			return DaysSince(args[0].(time.Time), args[1].(time.Time)), nil
		}, new(func(time.Time, time.Time) float64)),
	}
	return append(fs, meterFunctions()...)
}

func concat(a, b string) (string, error) {
	if len(a)+len(b) > MaxStringLen {
		return "", fmt.Errorf("string of %d bytes built by +; the limit is %d", len(a)+len(b), MaxStringLen)
	}
	return a + b, nil
}

// IIn reports whether s equals one of the strings in list, ignoring case
// (strings.EqualFold). Elements that are not strings never match.
func IIn(s string, list []any) bool {
	for _, v := range list {
		if t, ok := v.(string); ok && strings.EqualFold(s, t) {
			return true
		}
	}
	return false
}

// countDyn counts the lead's activities of type typ at or before now and,
// when window is not empty, no earlier than now − window.
func (c *Ctx) countDyn(typ, window string) (int, error) {
	var start time.Time
	if window != "" {
		w, err := ParseDuration(window)
		if err != nil {
			return 0, err
		}
		if w <= 0 {
			return 0, fmt.Errorf("window %q must be positive", window)
		}
		start = c.now.Add(-w)
	}
	n := 0
	for i := range c.lead.Activities {
		a := &c.lead.Activities[i]
		if string(a.Type) == typ && !a.At.After(c.now) && (window == "" || !a.At.Before(start)) {
			n++
		}
	}
	return n, nil
}
