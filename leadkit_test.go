package leadkit_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
)

func TestParseDuration(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"0", 0},
		{"0s", 0},
		{"30d", 30 * day},
		{"2w", 14 * day},
		{"36h", 36 * time.Hour},
		{"1d12h", 36 * time.Hour},
		{"1.5d", 36 * time.Hour},      // 1.5 × 24 h
		{"0.5w", 84 * time.Hour},      // 0.5 × 168 h
		{"90m", 90 * time.Minute},     //
		{"1h32m", 92 * time.Minute},   //
		{"-1.5h", -90 * time.Minute},  //
		{"+2s", 2 * time.Second},      //
		{"1.000000001s", 1000000001},  // nine decimal places are exact
		{"1.0000000019s", 1000000001}, // the tenth is below a nanosecond: truncated
		{".5s", 500 * time.Millisecond},
		{"3us", 3 * time.Microsecond},
		{"3µs", 3 * time.Microsecond},
		{"9223372036854775807ns", math.MaxInt64},
		{"-9223372036854775808ns", math.MinInt64},
		{"2562047h47m16.854775807s", math.MaxInt64}, // time.Duration's own maximum, written by Go
		{"106751d23h47m16.854775807s", math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := leadkit.ParseDuration(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseDurationRefuses(t *testing.T) {
	tests := []struct {
		in      string
		inRange bool // whether the error is ErrDurationRange
	}{
		{"", false}, {"-", false}, {"30", false}, {"d", false}, {"5x", false}, {"5 d", false},
		{"1.2.3s", false}, {"..s", false}, {"1dd", false},
		// 9223372036.854775807 s is MaxInt64 ns; one more nanosecond overflows.
		{"9223372036.854775808s", true},
		{"9223372036854775808ns", true},
		{"-9223372036854775809ns", true},
		{"106752d", true}, // 106,752 × 86,400 s > 9.223e9 s
		{"15251w", true},  // 15,251 × 604,800 s = 9,223,804,800 s > 9,223,372,036.85 s (MaxInt64 ns); 15,250 w fits
		{"99999999999999999999h", true},
		{"106751d23h47m16.854775808s", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := leadkit.ParseDuration(tt.in)
			if err == nil {
				t.Fatalf("ParseDuration(%q) = %v, want an error", tt.in, got)
			}
			if errors.Is(err, leadkit.ErrDurationRange) != tt.inRange {
				t.Errorf("ParseDuration(%q): error %q; errors.Is(ErrDurationRange) = %v, want %v", tt.in, err, !tt.inRange, tt.inRange)
			}
		})
	}
}

func TestDurationString(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{30 * 24 * time.Hour, "30d"},
		{36 * time.Hour, "1d12h"},
		{2016 * time.Hour, "84d"}, // 2016 / 24 = 84
		{92 * time.Minute, "1h32m"},
		{2 * time.Hour, "2h"},
		{time.Hour + 500*time.Millisecond, "1h0m0.5s"},
		{45*time.Second + 500*time.Millisecond, "45.5s"},
		{-36 * time.Hour, "-1d12h"},
		{1, "1ns"},
		{math.MinInt64, "-9223372036854775808ns"},
	}
	for _, tt := range tests {
		if got := leadkit.Duration(tt.d).String(); got != tt.want {
			t.Errorf("Duration(%d).String() = %q, want %q", int64(tt.d), got, tt.want)
		}
	}
}

// TestDurationRoundTrip checks that String and ParseDuration are inverses
// over a spread of durations, the extremes included.
func TestDurationRoundTrip(t *testing.T) {
	ds := []time.Duration{0, 1, -1, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 999999999, 86399999999999}
	for v := time.Duration(1); v < math.MaxInt64/7; v = v*7 + 3 {
		ds = append(ds, v, -v)
	}
	for _, d := range ds {
		s := leadkit.Duration(d).String()
		got, err := leadkit.ParseDuration(s)
		if err != nil || got != d {
			t.Errorf("ParseDuration(%q) = %v, %v; want %d", s, got, err, d)
		}
	}
}

func TestDurationJSON(t *testing.T) {
	var v struct {
		W leadkit.Duration `json:"w"`
	}
	if err := json.Unmarshal([]byte(`{"w":"2w"}`), &v); err != nil || v.W.Std() != 14*24*time.Hour {
		t.Fatalf("decode 2w: %v, %v", v.W, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"w":"14d"}` {
		t.Errorf("encode = %s", b)
	}
	for _, in := range []string{`{"w":30}`, `{"w":"30"}`, `{"w":null}x`, `{"w":"1e3s"}`} {
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("decode %s: no error", in)
		}
	}
}

func TestPeriod(t *testing.T) {
	paris, err := leadkit.Zone("Europe/Paris").Location()
	if err != nil {
		t.Skip("no zone database:", err)
	}
	// 2026-03-29 is a Sunday, the day Paris moves to summer time.
	at := time.Date(2026, 3, 29, 12, 0, 0, 0, paris)
	tests := []struct {
		p           leadkit.Period
		label       string
		start, next string
	}{
		{leadkit.Day, "2026-03-29", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"},
		{leadkit.Week, "2026-W13", "2026-03-23T00:00:00+01:00", "2026-03-30T00:00:00+02:00"}, // ISO week 13 runs Mon 23 to Sun 29
		{leadkit.Month, "2026-03", "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00"},
		{leadkit.Quarter, "2026-Q1", "2026-01-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00"},
		{leadkit.Year, "2026", "2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00"},
	}
	for _, tt := range tests {
		t.Run(string(tt.p), func(t *testing.T) {
			if !tt.p.IsValid() || tt.p.Check() != nil {
				t.Fatal("not valid")
			}
			if got := tt.p.Label(at, paris); got != tt.label {
				t.Errorf("Label = %q, want %q", got, tt.label)
			}
			if got := tt.p.Start(at, paris).Format(time.RFC3339); got != tt.start {
				t.Errorf("Start = %s, want %s", got, tt.start)
			}
			if got := tt.p.Next(at, paris).Format(time.RFC3339); got != tt.next {
				t.Errorf("Next = %s, want %s", got, tt.next)
			}
		})
	}
	for _, p := range []leadkit.Period{"", "days", "Month", "fortnight"} {
		if p.IsValid() || p.Check() == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

func TestZone(t *testing.T) {
	for _, z := range []leadkit.Zone{"", "UTC"} {
		if loc, err := z.Location(); err != nil || loc != time.UTC {
			t.Errorf("%q: %v, %v", z, loc, err)
		}
	}
	for _, z := range []leadkit.Zone{"Local", "Mars/Olympus", "../etc/passwd"} {
		if _, err := z.Location(); err == nil {
			t.Errorf("%q accepted", z)
		}
	}
	if leadkit.Zone("").String() != "UTC" {
		t.Error("zero zone does not print as UTC")
	}
}

func TestError(t *testing.T) {
	cause := errors.New("boom")
	e := &leadkit.Error{Path: "rules[3].when", Source: "titel == 1", Line: 1, Column: 1, Msg: `unknown name "titel"`, Err: cause}
	want := "rules[3].when: unknown name \"titel\" (1:1)\n | titel == 1\n | ^"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	if !errors.Is(e, cause) {
		t.Error("does not unwrap to its cause")
	}
	// Prefix moves every *Error of a joined error under the path, and
	// wraps other errors.
	joined := errors.Join(&leadkit.Error{Path: "team", Msg: "empty"}, &leadkit.Error{Path: "[2]", Msg: "dup"}, &leadkit.Error{Msg: "bad"}, fmt.Errorf("plain"))
	got := leadkit.Prefix("stages", joined)
	var paths []string
	for _, err := range got.(interface{ Unwrap() []error }).Unwrap() {
		var le *leadkit.Error
		if !errors.As(err, &le) {
			t.Fatalf("%v is not an *Error", err)
		}
		paths = append(paths, le.Path)
	}
	if s := strings.Join(paths, ","); s != "stages.team,stages[2],stages,stages" {
		t.Errorf("paths = %s", s)
	}
	if leadkit.Prefix("x", nil) != nil {
		t.Error("Prefix of nil is not nil")
	}
	if e := leadkit.Errorf("a.b", "bad %w", cause); e.Path != "a.b" || e.Msg != "bad boom" || !errors.Is(e, cause) {
		t.Errorf("Errorf = %+v", e)
	}
}

// FuzzParseDuration checks that every accepted string parses to a value
// that formats and parses back to itself.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30d", "1d12h", "-1.5h", "9223372036.854775807s", "0.5w", "1.0000000019s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := leadkit.ParseDuration(s)
		if err != nil {
			return
		}
		back, err := leadkit.ParseDuration(leadkit.Duration(d).String())
		if err != nil || back != d {
			t.Fatalf("%q -> %d -> %q -> %d, %v", s, d, leadkit.Duration(d).String(), back, err)
		}
	})
}
