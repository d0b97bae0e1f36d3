package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leadkit/leadkit/kpi"
)

func TestEachJSON(t *testing.T) {
	tests := []struct {
		name, in, want string // want "" for success
	}{
		{"plain", `[{"channel":"x","at":"2025-01-01T00:00:00Z","amount":"5"}]`, ""},
		{"byte order mark", "\xef\xbb\xbf" + `[{"channel":"x","at":"2025-01-01T00:00:00Z","amount":"5"}]`, ""},
		{"CRLF", "[\r\n{\"channel\":\"x\",\"at\":\"2025-01-01T00:00:00Z\",\"amount\":\"5\"}\r\n]\r\n", ""},
		// line 2 is {"channel":"x","amout":"5"}: "{" is column 1,
		// "channel" 2-10, ":" 11, "x" 12-14, "," 15, so the key's quote
		// is column 16.
		{"unknown field", "[\n{\"channel\":\"x\",\"amout\":\"5\"}]", `2:16: json: unknown field "amout"`},
		// "[]" then a newline: the second value starts at line 2, column 1.
		{"trailing data", "[]\n[]", "2:1: data after the JSON value"},
		// the stray "}" is the second byte of line 1.
		{"syntax", "[}", "1:2: invalid character '}' looking for beginning of value"},
		// [{"channel":5}]: "[" 1, "{" 2, "channel" 3-11, ":" 12, 5 at 13.
		{"type", `[{"channel":5}]`, "1:13: json: cannot unmarshal number into Go struct field Spend.channel of type string"},
		{"not an array", `{}`, "1:1: not a JSON array"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "spend.json")
			if err := os.WriteFile(path, []byte(tt.in), 0o644); err != nil {
				t.Fatal(err)
			}
			var spend []kpi.Spend
			err := eachJSON(path, true, func(s *kpi.Spend) error { spend = append(spend, *s); return nil })
			got := ""
			if err != nil {
				got = err.Error()
			}
			want := tt.want
			if want != "" {
				want = path + ":" + want
			}
			if got != want {
				t.Errorf("eachJSON = %q, want %q", got, want)
			}
			if tt.want == "" && (len(spend) != 1 || !spend[0].At.Equal(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))) {
				t.Errorf("decoded %+v", spend)
			}
		})
	}
	if err := eachJSON(filepath.Join(dir, "missing.json"), false, func(*kpi.Spend) error { return nil }); err != nil {
		t.Errorf("a missing optional file: %v", err)
	}
	if err := eachJSON(filepath.Join(dir, "missing.json"), true, func(*kpi.Spend) error { return nil }); err == nil {
		t.Error("a missing required file was accepted")
	}
}
