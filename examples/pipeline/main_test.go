package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/internal/golden"
)

type segment struct {
	Key     string  `json:"key"`
	Won     int64   `json:"won"`
	Lost    int64   `json:"lost"`
	WinRate *string `json:"win_rate"`
	Revenue string  `json:"revenue"`
}

type output struct {
	AsOf            time.Time `json:"as_of"`
	Rows            int       `json:"rows"`
	Skipped         []skip    `json:"skipped"`
	Opportunities   int64     `json:"opportunities"`
	Won             int64     `json:"won"`
	Lost            int64     `json:"lost"`
	Open            int64     `json:"open"`
	WinRate         *string   `json:"win_rate"`
	Revenue         string    `json:"revenue"`
	AverageDealSize *string   `json:"average_deal_size"`
	MedianCycleDays *string   `json:"median_cycle_days"`
	MeanCycleDays   *string   `json:"mean_cycle_days"`
	ByProduct       []segment `json:"by_product"`
	ByAgent         []segment `json:"by_agent"`
	ByOffice        []segment `json:"by_office"`
}

func str(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

// The testdata's sales_pipeline.csv has 14 rows (CRLF line endings,
// like the real files):
//
//	A1 Ann  GTXPro      Acme     Won  01-01 -> 01-11  5000  (10 days)
//	A2 Ann  GTX Pro     Acme     Won  01-01 -> 01-31  4000  (30 days)
//	A3 Ann  MG Special  Betatech Lost
//	B1 Bob  MG Special  Betatech Won  03-01 -> 03-21  55    (20 days)
//	B2 Bob  GTX Basic   (none)   Engaging, no close date or value
//	B3 Bob  GTX Basic   (none)   Prospecting, no dates at all
//	B4 Bob  GTXPro      Acme     Lost
//	C1 Cara GTX Plus B. Zeta     Lost (Zeta is not in accounts.csv)
//	D1 Cara MG Special  Acme     Won without a close value: skipped
//	E1 Cara MG Special  Acme     Won, close value -55: skipped
//	F1 Cara MG Special  Acme     Won, close value "6,5": skipped
//	A1 Bob  GTX Pro     Acme     Won: A1 again, skipped (the first is kept)
//	"" Bob  GTX Pro     Acme     Won, no id: skipped
//	G1 Bob  GTX Pro     Acme     Won, close date 2017-13-05: skipped
//
// Ann is in East, Bob in West, Cara in Central; Dan has no deals. The
// latest date of the rows kept is C1's close date, 2017-05-10: the
// scorecard is as of then, and counts every deal.
// sales_teams.csv starts with a byte order mark and lists Ann twice, the
// second time in West: skipped, the first (East) is kept.
func TestJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := run([]string{"-dir", "testdata", "-json"}, &buf); err != nil {
		t.Fatal(err)
	}
	var got output
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields() // exactly the keys of the issue
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"as_of", got.AsOf.Format(time.RFC3339), "2017-05-10T00:00:00Z"},
		{"rows", itoa(int64(got.Rows)), "14"},
		{"skipped", itoa(int64(len(got.Skipped))), "7"},            // 6 rows, and Ann's second row in sales_teams.csv
		{"opportunities", itoa(got.Opportunities), "8"},            // 14 rows, 6 skipped
		{"won", itoa(got.Won), "3"},                                // A1 A2 B1
		{"lost", itoa(got.Lost), "3"},                              // A3 B4 C1
		{"open", itoa(got.Open), "2"},                              // B2 B3
		{"win_rate", str(got.WinRate), "0.5000"},                   // 3 / 6
		{"revenue", got.Revenue, "9055"},                           // 5000 + 4000 + 55
		{"average_deal_size", str(got.AverageDealSize), "3018.33"}, // 9055 / 3 = 3018.333
		{"median_cycle_days", str(got.MedianCycleDays), "20.00"},   // 10, 20, 30
		{"mean_cycle_days", str(got.MeanCycleDays), "20.00"},       // 60 / 3
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Fatalf("got %s, want %s", c.got, c.want)
			}
		})
	}
	segs := []struct {
		name string
		got  []segment
		want string
	}{
		// GTXPro and GTX Pro are one product: A1 A2 won, B4 lost -> 2/3.
		// GTX Basic has only open deals: win rate undefined (null), not 0.
		{"by_product", got.ByProduct, "GTX Basic 0 0 null 0|GTX Plus Basic 0 1 0.0000 0|GTX Pro 2 1 0.6667 9000|MG Special 1 1 0.5000 55"},
		// Dan has no deals and no row.
		{"by_agent", got.ByAgent, "Ann Agent 2 1 0.6667 9000|Bob Agent 1 1 0.5000 55|Cara Agent 0 1 0.0000 0"},
		{"by_office", got.ByOffice, "Central 0 1 0.0000 0|East 2 1 0.6667 9000|West 1 1 0.5000 55"},
	}
	for _, s := range segs {
		t.Run(s.name, func(t *testing.T) {
			var parts []string
			for _, g := range s.got {
				parts = append(parts, strings.Join([]string{g.Key, itoa(g.Won), itoa(g.Lost), str(g.WinRate), g.Revenue}, " "))
			}
			if got := strings.Join(parts, "|"); got != s.want {
				t.Fatalf("got  %s\nwant %s", got, s.want)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestText(t *testing.T) {
	var buf bytes.Buffer
	if err := run([]string{"-dir", "testdata"}, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Maven CRM opportunities from testdata, as of 2017-05-10 (the latest date in the data)\n",
		"read 4 products, 4 sales agents, 2 accounts (1 rows skipped)", // Ann's second row
		"read 14 rows: 8 opportunities (3 won, 3 lost, 2 open), 6 skipped",
		"1 open deals without an engage date",
		"2 product names respelt",                           // A1 B4
		"2 deals without an account, 1 with an account not", // B2 B3; C1
		"skipped testdata/sales_pipeline.csv: row 10, column \"close_value\": Won deal without a close_value",
		"skipped testdata/sales_pipeline.csv: row 11, column \"close_value\": close_value -55 is negative",
		// 2 open x 0.5 x 9055/3 / 20 days = 9055 / 60 = 150.9166...
		"pipeline velocity  150.92 per day",
		// by manager: Mia has Ann (2 won, 1 lost) and Cara (1 lost): 2 / 4
		"Mia Manager                2     2   0.5000",
		// by sector: Zeta is unknown, B2 has no account
		"(unknown account)          0     1",
		"(no account)               0     0      n/a",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := run([]string{"-dir", dir}, &buf); err == nil || !strings.Contains(err.Error(), "products.csv") {
		t.Errorf("missing files: got %v", err)
	}
	for _, name := range []string{"products.csv", "sales_teams.csv", "accounts.csv", "sales_pipeline.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "sales_pipeline.csv" {
			b = bytes.Replace(b, []byte("deal_stage"), []byte("stage"), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := run([]string{"-dir", dir}, &buf); err == nil || !strings.Contains(err.Error(), `column "deal_stage": not in the header`) {
		t.Errorf("missing column: got %v", err)
	}
}

// TestManySkips checks that the text output lists the first 20 skipped
// rows and counts the others.
func TestManySkips(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"products.csv", "sales_teams.csv", "accounts.csv", "sales_pipeline.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "sales_pipeline.csv" {
			// 20 more won deals without a value: 26 skipped rows here,
			// 27 with Ann's second row in sales_teams.csv.
			for i := range 20 {
				b = fmt.Appendf(b, "X%d,Ann Agent,GTX Pro,Acme,Won,2017-01-01,2017-01-11,\r\n", i)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := run([]string{"-dir", dir}, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n := strings.Count(out, "  skipped "); n != 20 {
		t.Errorf("%d skipped rows listed, want 20:\n%s", n, out)
	}
	for _, want := range []string{
		"read 34 rows: 8 opportunities (3 won, 3 lost, 2 open), 26 skipped\n",
		"  ... and 7 more (-json lists them all)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestGolden compares the whole text report on testdata with
// testdata/report.golden: TestJSON and TestText check its figures, the
// golden file pins the layout and the list of skipped rows. Regenerate it
// with go test ./examples/pipeline -update after a deliberate change, and
// read the diff.
func TestGolden(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "testdata"}, &out); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "report.golden"), out.Bytes())
}

// pipelineHeader is the header of sales_pipeline.csv.
const pipelineHeader = "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"

// brief is an opportunity in one line, for comparisons: where, id, stage,
// engage and close dates ("-" when zero) and value.
func brief(o opportunity) string {
	date := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Format(time.DateOnly)
	}
	return strings.Join([]string{o.at, o.id, o.stage, date(o.engaged), date(o.closed), o.value.String()}, " ")
}

func TestReadOpportunities(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string // brief of each kept row
		skips []skip
	}{
		{
			name: "every stage",
			input: pipelineHeader +
				"o1,a,p,c,Won,2017-01-01,2017-01-11,5000\n" +
				"o2,a,p,c,Lost,2017-01-01,2017-01-11,0\n" +
				"o3,a,p,,Engaging,2017-01-01,,\n" +
				"o4,a,p,,Prospecting,,,\n" +
				"o5,a,p,c,Won,2017-01-01,2017-01-11, 12.50 \n", // spaces around a value are trimmed
			want: []string{
				"p.csv: row 2, column \"opportunity_id\" o1 Won 2017-01-01 2017-01-11 5000",
				"p.csv: row 3, column \"opportunity_id\" o2 Lost 2017-01-01 2017-01-11 0",
				"p.csv: row 4, column \"opportunity_id\" o3 Engaging 2017-01-01 - 0",
				"p.csv: row 5, column \"opportunity_id\" o4 Prospecting - - 0",
				"p.csv: row 6, column \"opportunity_id\" o5 Won 2017-01-01 2017-01-11 12.5",
			},
		},
		{
			name:  "byte order mark and CRLF",
			input: "\ufeff" + strings.ReplaceAll(pipelineHeader, "\n", "\r\n") + "o1,a,p,c,Won,2017-01-01,2017-01-11,5000\r\n",
			want:  []string{"p.csv: row 2, column \"opportunity_id\" o1 Won 2017-01-01 2017-01-11 5000"},
		},
		{
			name: "malformed or negative money",
			input: pipelineHeader +
				"o1,a,p,c,Won,2017-01-01,2017-01-11,abc\n" +
				"o2,a,p,c,Won,2017-01-01,2017-01-11,\"6,5\"\n" +
				"o3,a,p,c,Won,2017-01-01,2017-01-11,NaN\n" +
				"o4,a,p,c,Won,2017-01-01,2017-01-11,Inf\n" +
				"o5,a,p,c,Won,2017-01-01,2017-01-11,1e400\n" +
				"o6,a,p,c,Won,2017-01-01,2017-01-11,1e3\n" +
				"o7,a,p,c,Won,2017-01-01,2017-01-11,+5\n" +
				"o8,a,p,c,Won,2017-01-01,2017-01-11,-5\n" +
				"o9,a,p,c,Won,2017-01-01,2017-01-11,-0.01\n" +
				"o10,a,p,,Engaging,2017-01-01,,abc\n" +
				"o11,a,p,c,Won,2017-01-01,2017-01-11,\"1,234.50\"\n",
			// A sign and thousands grouping are read (lead.FieldReader).
			want: []string{
				"p.csv: row 8, column \"opportunity_id\" o7 Won 2017-01-01 2017-01-11 5",
				"p.csv: row 12, column \"opportunity_id\" o11 Won 2017-01-01 2017-01-11 1234.5",
			},
			skips: []skip{
				{`p.csv: row 2, column "close_value"`, `"abc" is not a number with decimal mark "."`},
				{`p.csv: row 3, column "close_value"`, `"6,5" is not a number with decimal mark "."`},
				{`p.csv: row 4, column "close_value"`, `"NaN" is not a number with decimal mark "."`},
				{`p.csv: row 5, column "close_value"`, `"Inf" is not a number with decimal mark "."`},
				{`p.csv: row 6, column "close_value"`, `"1e400" is not a number with decimal mark "."`},
				{`p.csv: row 7, column "close_value"`, `"1e3" is not a number with decimal mark "."`},
				{`p.csv: row 9, column "close_value"`, "close_value -5 is negative"},
				{`p.csv: row 10, column "close_value"`, "close_value -0.01 is negative"},
				// An open deal's value is not needed, but a malformed
				// one is not read as missing.
				{`p.csv: row 11, column "close_value"`, `"abc" is not a number with decimal mark "."`},
			},
		},
		{
			name: "closed deals need dates and a value",
			input: pipelineHeader +
				"o1,a,p,c,Won,,2017-01-11,1\n" +
				"o2,a,p,c,Won,2017-01-01,,1\n" +
				"o3,a,p,c,Won,2017-01-01,2017-01-11,\n" +
				"o4,a,p,c,Lost,2017-02-30,2017-03-01,0\n" +
				"o5,a,p,c,Won,2017-01-01,11/01/2017,1\n" +
				"o6,a,p,c,Won,2017-01-02,2017-01-01,1\n" +
				"o7,a,p,c,Won,2017-01-02,2017-01-02,1\n", // closed the day it was engaged: kept
			skips: []skip{
				{`p.csv: row 2, column "engage_date"`, "Won deal without an engage_date"},
				{`p.csv: row 3, column "close_date"`, "Won deal without a close_date"},
				{`p.csv: row 4, column "close_value"`, "Won deal without a close_value"},
				{`p.csv: row 5, column "engage_date"`, `"2017-02-30" is not a time in the layouts "2006-01-02"`},
				{`p.csv: row 6, column "close_date"`, `"11/01/2017" is not a time in the layouts "2006-01-02"`},
				{`p.csv: row 7, column "close_date"`, "close_date 2017-01-01 is before engage_date 2017-01-02"},
			},
			want: []string{"p.csv: row 8, column \"opportunity_id\" o7 Won 2017-01-02 2017-01-02 1"},
		},
		{
			name:  "unknown stage",
			input: pipelineHeader + "o1,a,p,c,won,2017-01-01,2017-01-11,1\n",
			skips: []skip{{`p.csv: row 2, column "deal_stage"`, `unknown deal_stage "won"`}},
		},
		{
			// The first row of an id is kept, even when it is the one
			// skipped; an empty id is skipped.
			name: "duplicate and empty ids",
			input: pipelineHeader +
				"o1,a,p,c,Won,2017-01-01,2017-01-11,1\n" +
				",a,p,c,Won,2017-01-01,2017-01-11,1\n" +
				"o1,a,p,c,Won,2017-01-01,2017-01-11,2\n" +
				"o2,a,p,c,Won,2017-01-01,2017-01-11,-1\n" +
				"o2,a,p,c,Won,2017-01-01,2017-01-11,1\n",
			want: []string{"p.csv: row 2, column \"opportunity_id\" o1 Won 2017-01-01 2017-01-11 1"},
			skips: []skip{
				{`p.csv: row 3, column "opportunity_id"`, "opportunity_id is empty"},
				{`p.csv: row 4, column "opportunity_id"`, `opportunity_id "o1" is also in row 2; the first is kept`},
				{`p.csv: row 5, column "close_value"`, "close_value -1 is negative"},
				{`p.csv: row 6, column "opportunity_id"`, `opportunity_id "o2" is also in row 5; the first is kept`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, skips, err := readOpportunities(strings.NewReader(tt.input), "p.csv")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range kept {
				got = append(got, brief(o))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skips, skips); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadLookup(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  map[string]map[string]string
		skips []skip
	}{
		{
			name:  "byte order mark and CRLF",
			input: "\ufeffsales_agent,manager,regional_office\r\nAnn,Mia,East\r\nBob,Max,\r\n",
			want:  map[string]map[string]string{"Ann": {"manager": "Mia"}, "Bob": {"manager": "Max"}},
		},
		{
			// Ann's second row would move her to Max: it is skipped.
			name:  "duplicate and empty keys",
			input: "sales_agent,manager\nAnn,Mia\n,Max\nAnn,Max\n",
			want:  map[string]map[string]string{"Ann": {"manager": "Mia"}},
			skips: []skip{
				{`t.csv: row 3, column "sales_agent"`, "sales_agent is empty"},
				{`t.csv: row 4, column "sales_agent"`, `sales_agent "Ann" is also in row 2; the first is kept`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, skips, err := readLookup(strings.NewReader(tt.input), "t.csv", "sales_agent", "manager")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, table); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skips, skips); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadErrors checks that a broken file is an error that names the
// file, the line and, where there is one, the column.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty file", "", "p.csv: empty input: a CSV export starts with its header"},
		{"byte order mark only", "\ufeff", "p.csv: empty input"},
		{"not the file", "a,b\n1,2\n", `p.csv: line 1, column "opportunity_id": not in the header` + "\n" + `p.csv: line 1, column "sales_agent": not in the header`},
		{"header after blank lines", "\n\na,b\n", `p.csv: line 3, column "opportunity_id": not in the header`},
		{"column twice", "opportunity_id,opportunity_id\n", `p.csv: line 1, column "opportunity_id": the header names the column twice (fields 1 and 2)`},
		// The stray quote in `o"1` is the second byte of line 2.
		{"stray quote", pipelineHeader + "o\"1,a,p,c,Won,2017-01-01,2017-01-11,1\n", `p.csv: line 2, byte 2: bare " in non-quoted-field`},
		// The quote opened at byte 4 is still open at the end of the
		// input, after the 8 bytes of line 2 (with its newline).
		{"unterminated quote", pipelineHeader + "o1,\"a,p\n", `p.csv: line 2, byte 9: extraneous or missing " in quoted-field`},
		{"too few fields", pipelineHeader + "o1,a,p\n", `p.csv: line 2: the record has 3 fields, the header 8: no value for column "account"`},
		{"too many fields", pipelineHeader + "o1,a,p,c,Won,2017-01-01,2017-01-11,1,x\n", `p.csv: line 2: the record has 9 fields, the header 8: field 9 has no column`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readOpportunities(strings.NewReader(tt.input), "p.csv")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v\nwant %s", err, tt.want)
			}
		})
	}
}

// records counts the data rows of a CSV file with encoding/csv alone: an
// independent count for the fuzz targets.
func records(t *testing.T, data []byte) int {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("the reader accepted what encoding/csv refuses: %v", err)
	}
	return len(recs) - 1
}

// FuzzReadOpportunities feeds arbitrary bytes to readOpportunities. It
// must not panic; an error must name the file; and when it reads the
// file, every data row is kept or skipped, kept ids are unique and not
// empty, no kept value is negative and no deal closes before it was
// engaged.
func FuzzReadOpportunities(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "sales_pipeline.csv")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(pipelineHeader + "o1,a,p,c,Won,2017-01-01,2017-01-11,5000\n"))
	f.Add([]byte("\ufeff" + pipelineHeader + "o1,a,p,c,Won,2017-01-01,2017-01-11,\"6,5\"\r\no1,a,p,,Engaging,,,-1\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kept, skips, err := readOpportunities(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if n := records(t, data); n != len(kept)+len(skips) {
			t.Fatalf("%d data rows, but %d kept + %d skipped", n, len(kept), len(skips))
		}
		seen := map[string]bool{}
		for _, o := range kept {
			if o.id == "" || seen[o.id] || o.value.IsNegative() || (!o.closed.IsZero() && o.closed.Before(o.engaged)) {
				t.Fatalf("kept %s", brief(o))
			}
			seen[o.id] = true
		}
		for _, s := range skips {
			if !strings.HasPrefix(s.At, "fuzz.csv:") || s.Reason == "" {
				t.Fatalf("skip %+v does not say where or why", s)
			}
		}
	})
}

// FuzzReadLookup feeds arbitrary bytes to readLookup, with the same
// requirements as FuzzReadOpportunities.
func FuzzReadLookup(f *testing.F) {
	f.Add([]byte("sales_agent,manager\nAnn,Mia\n,Max\nAnn,Max\n"))
	f.Add([]byte("\ufeffsales_agent,manager\r\n\"A,n\",Mia\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		table, skips, err := readLookup(bytes.NewReader(data), "fuzz.csv", "sales_agent", "manager")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if n := records(t, data); n != len(table)+len(skips) {
			t.Fatalf("%d data rows, but %d kept + %d skipped", n, len(table), len(skips))
		}
		if _, ok := table[""]; ok {
			t.Fatal("kept an empty key")
		}
	})
}
