package jsonstrict

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
)

type inner struct {
	Name  string           `json:"name"`
	Every leadkit.Duration `json:"every,omitzero"`
}

type doc struct {
	Title  string           `json:"title"`
	Items  []inner          `json:"items"`
	Tags   map[string]int   `json:"tags,omitempty"`
	Within leadkit.Duration `json:"within,omitzero"`
}

func TestDecode(t *testing.T) {
	var d doc
	err := Decode([]byte(`{"title":"t","items":[{"name":"a","every":"2d"}],"tags":{"x":1},"within":"36h"}`), &d, "doc")
	if err != nil || d.Title != "t" || d.Items[0].Every.Std() != 48*time.Hour || d.Tags["x"] != 1 || d.Within.Std() != 36*time.Hour {
		t.Fatalf("Decode = %+v, %v", d, err)
	}
}

func TestDecodeRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // each error as "path|line:column|message part"; 0:0 is no position
	}{
		{"empty", "  ", []string{"|0:0|empty input: a doc is a JSON object"}},
		{"not an object", "[1]", []string{"|1:1|a doc is a JSON object, not an array"}},
		// "titel" starts at byte 2 of line 1 (after `{`).
		{"unknown field with a hint", `{"titel":"t"}`, []string{`titel|1:2|unknown field; did you mean "title"?`}},
		// line 2 is ` {"nmae":"a"}`: "nmae" starts at column 3.
		{"nested unknown field", "{\"items\":[\n {\"nmae\":\"a\"}]}", []string{`items[0].nmae|2:3|unknown field; did you mean "name"?`}},
		{"wrong type", `{"title":5}`, []string{`title|1:10|want a string, got the number 5`}},
		// Two problems, reported together.
		{"several", `{"titel":"t","items":{}}`, []string{`titel|1:2|unknown field`, `items|1:22|want an array`}},
		{"trailing data", `{} {}`, []string{`|1:4|data after the doc's closing brace`}},
		// A type that decodes itself reports its own error at the value:
		// "3 days" starts at byte 11 of line 1.
		{"bad duration", `{"within":"3 days"}`, []string{`within|1:11|invalid duration "3 days"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := Decode([]byte(tt.in), &d, "doc")
			if err == nil {
				t.Fatal("accepted")
			}
			var errs []error
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				errs = j.Unwrap()
			} else {
				errs = []error{err}
			}
			if len(errs) != len(tt.want) {
				t.Fatalf("%d errors (%v), want %d", len(errs), err, len(tt.want))
			}
			for i, e := range errs {
				var le *leadkit.Error
				if !errors.As(e, &le) {
					t.Fatalf("error %d is %T, not *leadkit.Error", i, e)
				}
				parts := strings.SplitN(tt.want[i], "|", 3)
				pos := fmt.Sprintf("%d:%d", le.Line, le.Column)
				if le.Path != parts[0] || pos != parts[1] || !strings.Contains(le.Msg, parts[2]) {
					t.Errorf("error %d = {path %q, at %s, msg %q}; want %s", i, le.Path, pos, le.Msg, tt.want[i])
				}
			}
		})
	}
}

func TestDecodeState(t *testing.T) {
	type st struct {
		Format string  `json:"format"`
		Count  int64   `json:"count"`
		Opt    []int64 `json:"opt,omitempty"`
	}
	tests := []struct{ in, want string }{
		{`{"format":"x","count":0}`, ""},
		{`{"format":"x","count":3,"opt":[1]}`, ""},
		{`{"format":"x"}`, `field "count" missing from the state`},
		{`{"format":"x","count":1,"extra":2}`, `json: unknown field "extra"`},
		{`{"format":"x","count":1} {}`, "data after the state"},
		{`[]`, "json: cannot unmarshal array into Go value of type jsonstrict.st"},
	}
	for _, tt := range tests {
		var v st
		err := DecodeState([]byte(tt.in), &v)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("DecodeState(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
