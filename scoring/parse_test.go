package scoring_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/scoring"
)

func TestParseModelAcceptsWhatMarshalWrites(t *testing.T) {
	for _, m := range []scoring.Model{{}, benchModel(), fuzzModel()} {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got, err := scoring.ParseModel(b)
		if err != nil {
			t.Fatalf("ParseModel(%s): %v", b, err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("ParseModel gave\n%+v\nwant\n%+v", got, m)
		}
	}
}

// parseErr is one *leadkit.Error ParseModel must report.
type parseErr struct {
	path      string
	msg       string // a substring of Msg
	line, col int    // 0: not checked
}

func TestParseModelRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []parseErr
	}{
		{"misspelt field, with its path and position", `{
  "rules": [
    {"name": "a", "kind": "engagement", "when": "true", "points": 1},
    {"name": "b", "kind": "engagement", "when": "true", "points": 1, "halflife": "7d"}
  ]
}`,
			// line 4; the key's quote is after 4 spaces and 63 characters:
			// `{"name": "b", "kind": "engagement", "when": "true", "points": 1, ` is 65
			// characters, so the column is 4 + 65 + 1 = 70.
			[]parseErr{{"rules[1].halflife", `unknown field; did you mean "half_life"?`, 4, 70}}},
		{"a field in other letter case", `{"rules":[{"Name":"a","when":"true","points":1}]}`,
			// column 12: `{"rules":[{` is 11 characters
			[]parseErr{{"rules[0].Name", `unknown field; did you mean "name"?`, 1, 12}}},
		{"an unknown field far from every known one", `{"colour": "red"}`,
			[]parseErr{{"colour", "unknown field", 1, 2}}},
		{"every unknown field at once, at any depth", `{"nam":"m","limits":{"fit":{"maxi":3}},"grades":[{"grade":"A","mn":1}],
"personas":[{"name":"p","criteria":"true","crit":1}],"qualification":[{"stage":"mql","criteria":[{"name":"c","when":"true","whn":2}]}]}`,
			[]parseErr{
				{"nam", `did you mean "name"?`, 1, 2},
				{"limits.fit.maxi", `did you mean "max"?`, 1, 29},
				{"grades[0].mn", `did you mean "min"?`, 0, 0},
				{"personas[0].crit", `unknown field`, 2, 0},
				{"qualification[0].criteria[0].whn", `did you mean "when"?`, 2, 0},
			}},
		{"a field given twice", `{"name":"a","name":"b"}`,
			// the second "name" starts at byte 12: column 13
			[]parseErr{{"name", "field given twice", 1, 13}}},
		{"a number where a string goes", `{"name": 7}`,
			[]parseErr{{"name", "want a string, got the number 7", 1, 10}}},
		{"a string where a number goes", `{"rules":[{"name":"a","when":"true","points":"10"}]}`,
			[]parseErr{{"rules[0].points", `want a number, got a string`, 0, 0}}},
		{"a bound that is not a number", `{"grades":[{"grade":"A","min":true}]}`,
			[]parseErr{{"grades[0].min", `want a number, got true`, 0, 0}}},
		{"a number out of float64's range", `{"rules":[{"name":"a","when":"true","points":1e400}]}`,
			[]parseErr{{"rules[0].points", `1e400 is out of range`, 0, 0}}},
		{"an object where an array goes", `{"rules":{"name":"a"}}`,
			[]parseErr{{"rules", `want an array, got an object`, 1, 10}}},
		{"data after the model", `{"name":"a"} {"name":"b"}`,
			[]parseErr{{"", "data after the model", 0, 0}}},
		{"an array", `[{"name":"a"}]`, []parseErr{{"", "a model is a JSON object, not an array", 1, 1}}},
		{"null", ` null`, []parseErr{{"", "a model is a JSON object, not null", 1, 2}}},
		{"empty input", " \n", []parseErr{{"", "empty input", 0, 0}}},
		{"a syntax error", "{\n \"name\": \"a\",,\n}", []parseErr{{"", "invalid character ','", 2, 0}}},
		{"truncated input", `{"name": "a"`, []parseErr{{"", "unexpected end of input", 1, 13}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := scoring.ParseModel([]byte(tt.in))
			if err == nil {
				t.Fatalf("ParseModel accepted %s as %+v", tt.in, m)
			}
			if !reflect.DeepEqual(m, scoring.Model{}) {
				t.Errorf("ParseModel returned %+v with its error; want the zero Model", m)
			}
			got := leafErrors(err)
			if len(got) != len(tt.want) {
				t.Fatalf("%d errors; want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				e, ok := got[i].(*leadkit.Error)
				if !ok {
					t.Fatalf("error %d is a %T, not a *leadkit.Error: %v", i, got[i], got[i])
				}
				if e.Path != w.path || !strings.Contains(e.Msg, w.msg) ||
					w.line != 0 && e.Line != w.line || w.col != 0 && e.Column != w.col {
					t.Errorf("error %d = {path %q, msg %q, at %d:%d}; want {path %q, msg containing %q, at %d:%d}",
						i, e.Path, e.Msg, e.Line, e.Column, w.path, w.msg, w.line, w.col)
				}
			}
		})
	}
}

// leafErrors flattens errors.Join trees.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}

func TestParseModelValidates(t *testing.T) {
	// Well-formed JSON of a model that does not compile: ParseModel
	// reports what Compile reports.
	in := `{"rules":[{"name":"","when":"titel == 1","points":1}],"grades":[{"grade":"A","min":10},{"grade":"A"}]}`
	_, err := scoring.ParseModel([]byte(in))
	var m scoring.Model
	if jerr := json.Unmarshal([]byte(in), &m); jerr != nil {
		t.Fatal(jerr)
	}
	_, cerr := scoring.Compile(m)
	if err == nil || cerr == nil || err.Error() != cerr.Error() {
		t.Errorf("ParseModel error:\n%v\nCompile error:\n%v", err, cerr)
	}
}

func TestParseModelErrorShowsTheLine(t *testing.T) {
	_, err := scoring.ParseModel([]byte("{\n  \"nme\": \"x\"\n}"))
	want := "nme: unknown field; did you mean \"name\"? (2:3)\n |   \"nme\": \"x\"\n | ..^"
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	var le *leadkit.Error
	if !errors.As(err, &le) {
		t.Error("errors.As does not find a *leadkit.Error")
	}
}

// FuzzParseModel: ParseModel never panics, and a model it accepts
// compiles, and encodes to JSON that ParseModel reads back to a model
// with the same JSON (an empty list and a missing one are the same
// model).
func FuzzParseModel(f *testing.F) {
	for _, m := range []scoring.Model{{}, benchModel(), fuzzModel()} {
		b, _ := json.Marshal(m)
		f.Add(b)
	}
	f.Add([]byte(`{"rules":[{"name":"b","halflife":"7d","points":1e400}],"name":"a","name":7}`))
	f.Add([]byte(`{"rules":{"a":[1,{"b":null}]}} x`))
	f.Add([]byte(`{"grades":[{"grade":"A","min":null,"max":"1"}],"limits":{"fit":{"min":-1}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := scoring.ParseModel(data)
		if err != nil {
			return
		}
		if _, err := scoring.Compile(m); err != nil {
			t.Fatalf("ParseModel accepted a model Compile refuses: %v", err)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		back, err := scoring.ParseModel(b)
		if err != nil {
			t.Fatalf("ParseModel refuses its own model's JSON %s: %v", b, err)
		}
		b2, err := json.Marshal(back)
		if err != nil || string(b2) != string(b) {
			t.Fatalf("round trip changed the model:\n%s\n%s (%v)", b, b2, err)
		}
	})
}
