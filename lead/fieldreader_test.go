package lead_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func mustReader(t *testing.T, f lead.Format) *lead.FieldReader {
	t.Helper()
	r, err := f.Reader()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFieldReaderMissing(t *testing.T) {
	custom := mustReader(t, lead.Format{Missing: []string{"(none)", " Unknown "}})
	only := mustReader(t, lead.Format{Missing: []string{}})
	tests := []struct {
		in                        string
		zero, custom, onlyMissing bool
	}{
		{"", true, true, true},
		{"   ", true, true, true},
		{"Select", true, false, false},
		{" select ", true, false, false},
		{"N/A", true, false, false},
		{"n/a", true, false, false},
		{"-", true, false, false},
		{"--", false, false, false},
		{"(none)", false, true, false},
		{"UNKNOWN", false, true, false},
		{"0", false, false, false},
		{"Selected", false, false, false},
	}
	var zero lead.FieldReader
	var nilReader *lead.FieldReader
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := zero.Missing(tt.in); got != tt.zero {
				t.Errorf("zero reader: Missing(%q) = %v, want %v", tt.in, got, tt.zero)
			}
			if got := nilReader.Missing(tt.in); got != tt.zero {
				t.Errorf("nil reader: Missing(%q) = %v, want %v", tt.in, got, tt.zero)
			}
			if got := custom.Missing(tt.in); got != tt.custom {
				t.Errorf("custom reader: Missing(%q) = %v, want %v", tt.in, got, tt.custom)
			}
			if got := only.Missing(tt.in); got != tt.onlyMissing {
				t.Errorf("empty-list reader: Missing(%q) = %v, want %v", tt.in, got, tt.onlyMissing)
			}
			s, ok := zero.String(tt.in)
			if ok == tt.zero {
				t.Errorf("String(%q) ok = %v, want %v", tt.in, ok, !tt.zero)
			}
			if !ok && s != "" {
				t.Errorf("String(%q) = %q for a missing value", tt.in, s)
			}
		})
	}
}

func TestFieldReaderDecimal(t *testing.T) {
	point := mustReader(t, lead.Format{})
	comma := mustReader(t, lead.Format{DecimalMark: ","})
	tests := []struct {
		mark    string
		in      string
		want    string // "" with ok false: missing
		ok      bool
		wantErr string
	}{
		{".", "1234.56", "1234.56", true, ""},
		{".", " 1,234.56 ", "1234.56", true, ""},
		{".", "1,234,567", "1234567", true, ""},
		{".", "-0.5", "-0.5", true, ""},
		{".", "+12", "12", true, ""},
		{".", "1 234.5", "1234.5", true, ""},
		{".", "1\u00a0234", "1234", true, ""},
		{".", "1'234'567.25", "1234567.25", true, ""},
		{".", "N/A", "", false, ""},
		{",", "1.234,56", "1234.56", true, ""},
		{",", "1234,5", "1234.5", true, ""},
		{",", "0,07", "0.07", true, ""},
		{",", "-1.000.000", "-1000000", true, ""},
		// Ambiguous or malformed: refused, never guessed.
		{",", "1.5", "", false, `row 3, column "Revenue": "1.5" is not a number with decimal mark ","`},
		{".", "1,5", "", false, `row 3, column "Revenue": "1,5" is not a number with decimal mark "."`},
		{".", "12,34,567", "", false, `row 3, column "Revenue": "12,34,567" is not a number with decimal mark "."`},
		{".", "1,234 567", "", false, `row 3, column "Revenue": "1,234 567" is not a number with decimal mark "."`},
		{".", "1.2.3", "", false, `row 3, column "Revenue": "1.2.3" is not a number with decimal mark "."`},
		{".", "1e6", "", false, `row 3, column "Revenue": "1e6" is not a number with decimal mark "."`},
		{".", "$100", "", false, `row 3, column "Revenue": "$100" is not a number with decimal mark "."`},
		{".", ".5", "", false, `row 3, column "Revenue": ".5" is not a number with decimal mark "."`},
		{".", "5.", "", false, `row 3, column "Revenue": "5." is not a number with decimal mark "."`},
		{".", "--5", "", false, `row 3, column "Revenue": "--5" is not a number with decimal mark "."`},
		{".", ",100", "", false, `row 3, column "Revenue": ",100" is not a number with decimal mark "."`},
		{".", strings.Repeat("9", 101), "", false, `row 3, column "Revenue": "` + strings.Repeat("9", 57) + `..." is longer than 100 characters, too long for a number`},
	}
	for _, tt := range tests {
		t.Run(tt.mark+" "+tt.in, func(t *testing.T) {
			r := point
			if tt.mark == "," {
				r = comma
			}
			got, ok, err := r.Decimal(3, "Revenue", tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Decimal(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				var le *leadkit.Error
				if !errors.As(err, &le) || le.Path != `row 3, column "Revenue"` {
					t.Errorf("error %#v does not carry the cell path", err)
				}
				return
			}
			if err != nil || ok != tt.ok {
				t.Fatalf("Decimal(%q) = %v, %v, %v; want ok %v", tt.in, got, ok, err, tt.ok)
			}
			if ok && !got.Equal(decimal.RequireFromString(tt.want)) {
				t.Errorf("Decimal(%q) = %v, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestFieldReaderIntBool(t *testing.T) {
	r := mustReader(t, lead.Format{})
	ints := []struct {
		in      string
		want    int
		ok      bool
		wantErr string
	}{
		{"1,200", 1200, true, ""},
		{"-7", -7, true, ""},
		{"12.00", 12, true, ""}, // a zero fraction is still whole
		{" 0042 ", 42, true, ""},
		{"999999999999999999", 999999999999999999, true, ""},   // 18 digits: the fast path
		{"9223372036854775807", 9223372036854775807, true, ""}, // 19 digits, max int64: through decimal
		{"Select", 0, false, ""},
		{"12.5", 0, false, `column "Employees": "12.5" is not a whole number`},
		{"9,223,372,036,854,775,808", 0, false, `column "Employees": "9,223,372,036,854,775,808" is out of range`}, // 2^63
		{"many", 0, false, `column "Employees": "many" is not a number with decimal mark "."`},
	}
	zeroMissing := mustReader(t, lead.Format{Missing: []string{"0"}})
	if n, ok, err := zeroMissing.Int(1, "Employees", " 0 "); n != 0 || ok || err != nil {
		t.Errorf(`Int("0") with "0" a placeholder = %d, %v, %v; want missing`, n, ok, err)
	}
	for _, tt := range ints {
		got, ok, err := r.Int(0, "Employees", tt.in)
		if (err == nil) != (tt.wantErr == "") || (err != nil && err.Error() != tt.wantErr) {
			t.Errorf("Int(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want || ok != tt.ok {
			t.Errorf("Int(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	bools := []struct {
		in       string
		want, ok bool
		bad      bool
	}{
		{"Yes", true, true, false}, {"true", true, true, false}, {"1", true, true, false}, {"Y", true, true, false},
		{"no", false, true, false}, {"FALSE", false, true, false}, {"0", false, true, false},
		{"", false, false, false}, {"N/A", false, false, false}, {"maybe", false, false, true},
	}
	for _, tt := range bools {
		got, ok, err := r.Bool(9, "Opted In", tt.in)
		if (err != nil) != tt.bad || got != tt.want || ok != tt.ok {
			t.Errorf("Bool(%q) = %v, %v, %v; want %v, %v, error %v", tt.in, got, ok, err, tt.want, tt.ok, tt.bad)
		}
	}
}

func TestFieldReaderTime(t *testing.T) {
	berlin := mustReader(t, lead.Format{Zone: "Europe/Berlin"})
	us := mustReader(t, lead.Format{Zone: "America/New_York", TimeLayouts: []string{"01/02/2006 3:04 PM", "01/02/2006"}})
	var utc lead.FieldReader
	z := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		name    string
		r       *lead.FieldReader
		in      string
		want    time.Time // compared with Equal
		ok      bool
		wantErr string
	}{
		{"utc default layout", &utc, "2025-01-15 09:00", z("2025-01-15T09:00:00Z"), true, ""},
		{"rfc3339 offset kept", berlin, "2025-01-15T09:00:00-05:00", z("2025-01-15T14:00:00Z"), true, ""},
		// Berlin is UTC+1 in January (CET) and UTC+2 in July (CEST).
		{"winter", berlin, "2025-01-15 09:00", z("2025-01-15T08:00:00Z"), true, ""},
		{"summer", berlin, "2025-07-01 09:00:30", z("2025-07-01T07:00:30Z"), true, ""},
		{"date only is local midnight", berlin, "2025-07-01", z("2025-06-30T22:00:00Z"), true, ""},
		// 2025-10-26 03:00 CEST -> 02:00 CET: 02:30 happens at 00:30Z (CEST) and 01:30Z (CET); the earlier wins.
		{"ambiguous, earlier", berlin, "2025-10-26 02:30", z("2025-10-26T00:30:00Z"), true, ""},
		// 2025-03-30 02:00 CET -> 03:00 CEST: 02:30 never happens.
		{"gap", berlin, "2025-03-30 02:30", time.Time{}, false, `row 4, column "Created": "2025-03-30 02:30" does not exist in Europe/Berlin: the clocks skip it`},
		// New York is UTC-5 in January (EST) and UTC-4 from 2025-03-09 (EDT).
		{"us layout pm", us, "01/02/2025 3:04 PM", z("2025-01-02T20:04:00Z"), true, ""},
		{"us layout date", us, "07/04/2025", z("2025-07-04T04:00:00Z"), true, ""},
		{"missing", us, "N/A", time.Time{}, false, ""},
		{"no layout fits", us, "2025-01-02", time.Time{}, false, `row 4, column "Created": "2025-01-02" is not a time in the layouts "01/02/2006 3:04 PM", "01/02/2006"`},
		{"day out of range", berlin, "2025-02-30", time.Time{}, false, `row 4, column "Created": "2025-02-30" is not a time in the layouts "2006-01-02T15:04:05Z07:00", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := tt.r.Time(4, "Created", tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Time(%q) error = %v, want %s", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil || ok != tt.ok || !got.Equal(tt.want) {
				t.Fatalf("Time(%q) = %v, %v, %v; want %v, %v", tt.in, got, ok, err, tt.want, tt.ok)
			}
		})
	}
}

func TestFormatValidate(t *testing.T) {
	tests := []struct {
		name string
		f    lead.Format
		want []string
	}{
		{"zero", lead.Format{}, nil},
		{"good", lead.Format{DecimalMark: ",", Zone: "Asia/Kolkata", TimeLayouts: []string{"02.01.2006 15:04", "Jan 2, 2006"}}, nil},
		{"every problem", lead.Format{DecimalMark: ";", Zone: "Mars/Olympus", TimeLayouts: []string{"15:04", "", "2006-01-02"}}, []string{
			`decimal_mark: ";" is not a decimal mark; use "." or ","`,
			`zone: unknown zone "Mars/Olympus"; use an IANA name such as "Europe/Paris"`,
			`time_layouts[0]: layout "15:04" does not hold a whole date (year, month and day); write it with Go's reference time 2006-01-02 15:04:05`,
			`time_layouts[1]: empty layout`,
		}},
		{"local zone", lead.Format{Zone: "Local"}, []string{`zone: zone "Local" depends on the host; name the zone, e.g. "Europe/Paris"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, errorLines(tt.f.Validate())); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

// errorLines returns the messages of a joined error, one per problem.
func errorLines(err error) []string {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, errorLines(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

func TestCellPath(t *testing.T) {
	if got := lead.CellPath(12, `Job "Title"`); got != `row 12, column "Job \"Title\""` {
		t.Errorf("CellPath = %s", got)
	}
	if got := lead.CellPath(0, "A"); got != `column "A"` {
		t.Errorf("CellPath = %s", got)
	}
}
