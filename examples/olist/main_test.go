package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func ptr(v float64) *float64 { return &v }

// TestJSON checks every figure of the -json output on testdata, worked
// out by hand:
//
// MQL rows: m01..m09, then one without an mql_id and m02 again. m09 has
// the invalid date 2018-13-01, and the empty and repeated ids are
// ignored (the first m02 is kept): 11 rows, 8 MQLs m01..m08.
// Deal rows (the file starts with a byte order mark and has CRLF line
// endings): m01 won 2018-01-20 00:00 (10 days after Jan 10), m04 won
// 2018-02-04 12:00 (3.5 days after Feb 1), m05 won 2018-03-07 (30 days
// after Feb 5), m08 won 2018-02-27 10:00, before its first contact on
// Mar 1 (counted, not timed); m99 is not an MQL, a second m01 deal is a
// duplicate and the last deal has no mql_id (all three ignored): 7 rows.
// Won 4 of 8 = 0.5. Timed days 3.5, 10, 30: median 10; p90 at rank
// (3−1)·0.9 = 1.8: 10 + 0.8·(30−10) = 26. Without -as-of the funnel is
// measured as of the latest date in the data, m05's won date 2018-03-07
// 00:00 (the latest first contact is m08's, 2018-03-01), so nothing is
// left out for being later.
func TestJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "testdata", "-json"}, &out); err != nil {
		t.Fatal(err)
	}
	var got output
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	const (
		mqlFile  = "testdata/olist_marketing_qualified_leads_dataset.csv"
		dealFile = "testdata/olist_closed_deals_dataset.csv"
	)
	want := output{
		AsOf:    time.Date(2018, 3, 7, 0, 0, 0, 0, time.UTC),
		MQLRows: 11, DealRows: 7,
		MQLsAfterAsOf: 0, WonAfterAsOf: 0,
		MQLs: 8, Won: 4, Conversion: "0.5",
		MedianDaysToWon: ptr(10), P90DaysToWon: ptr(26),
		ByOrigin: []row{
			// organic_search: m01, m02, m07; won m01: 1/3.
			{Origin: "organic_search", MQLs: 3, Won: 1, Conversion: "0.333333"},
			// paid_search: m03, m04; won m04.
			{Origin: "paid_search", MQLs: 2, Won: 1, Conversion: "0.5"},
			// Ties at 1 MQL in key order: "(" sorts before letters.
			{Origin: "(none)", MQLs: 1, Won: 1, Conversion: "1"},  // m05
			{Origin: "social", MQLs: 1, Won: 0, Conversion: "0"},  // m06
			{Origin: "unknown", MQLs: 1, Won: 1, Conversion: "1"}, // m08
		},
		ByMonth: []row{
			{Month: "2018-01", MQLs: 3, Won: 1, Conversion: "0.333333"}, // m01-m03; m01
			{Month: "2018-02", MQLs: 4, Won: 2, Conversion: "0.5"},      // m04-m07; m04, m05
			{Month: "2018-03", MQLs: 1, Won: 1, Conversion: "1"},        // m08
		},
		// Sorted by lead id; the empty ids first. Positions: the ids
		// start each row; "m09," is 4 bytes, so its date is at column
		// 5; "m08,s08,sdr2,sr1," is 17 bytes, so its won date is at 18.
		DataQuality: []problem{
			{"", mqlFile + ":11:1", "mql_id is empty; MQL ignored"},
			{"", dealFile + ":8:1", "closed deal without an mql_id; deal ignored"},
			{"m01", dealFile + ":7:1", "second closed deal for the same MQL (the first is on line 2); deal ignored"},
			{"m02", mqlFile + ":12:1", "MQL listed twice, first on line 3; this row ignored"},
			{"m08", dealFile + ":5:18", "won on 2018-02-27 10:00:00, before first contact on 2018-03-01; counted as won, left out of the timing figures"},
			{"m09", mqlFile + ":10:5", `first_contact_date "2018-13-01" is not a date; MQL ignored`},
			{"m99", dealFile + ":6:1", "closed deal for an MQL that is not in the MQL file; deal ignored"},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("-json output (-want +got):\n%s", diff)
	}
	// Exactly the documented top-level keys.
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &keys); err != nil {
		t.Fatal(err)
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	wantKeys := []string{"as_of", "by_month", "by_origin", "conversion", "data_quality", "deal_rows", "median_days_to_won",
		"mql_rows", "mqls", "mqls_after_as_of", "p90_days_to_won", "won", "won_after_as_of"}
	slices.Sort(names)
	if diff := cmp.Diff(wantKeys, names); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func TestText(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "testdata", "-top", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"read 11 MQL rows: 8 MQLs, 3 left out",
		"read 7 closed-deal rows: 4 deals, 3 left out",
		"MQLs 8, won 4, conversion 50.0%",
		"days to won: median, p90 10.0, 26.0 (3 deals timed)",
		"as of 2018-03-07 00:00:00, the latest date in the data",
		// Landing pages: lpA m01, m02, m04, m07 (won m01 after 10 days,
		// m04 after 3.5: median 6.75, p90 3.5 + 0.9·6.5 = 9.35, both
		// ties rounded half away from zero); lpB m03, m06; lpC m05, m08.
		// Top 2 of 3: lpA, then lpB before lpC (tie at 2, key order).
		"Top 2 landing pages (of 3)",
		"lpA                                     4     2   50.0%  6.8, 9.4",
		"lpB                                     2     0    0.0%  n/a",
		// February: m04 3.5 days and m05 30: median 16.75, p90 3.5 +
		// 0.9·26.5 = 27.35.
		"2018-02                                 4     2   50.0%  16.8, 27.4",
		// Segments of won deals: pet m01, m04 (2 of 4 won); home_decor
		// m05; m08 has an empty segment.
		"pet                                    2   50.0%  6.8, 9.4",
		"home_decor                             1   25.0%  30.0, 30.0",
		"(none)                                 1   25.0%  n/a",
		"Data problems (7)",
		"(no id)  mql_id is empty; MQL ignored (testdata/olist_marketing_qualified_leads_dataset.csv:11:1)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "lpC") {
		t.Errorf("-top 2 shows lpC:\n%s", text)
	}
}

// TestAsOf measures the testdata as of the end of 2018-02-04. m05 (Feb
// 5), m06, m07 and m08 (Mar 1) were first contacted later: 4 MQLs not
// counted, leaving m01..m04. m04's deal, won 2018-02-04 12:00, is
// inside the day; m05's (Mar 7) and m08's (Feb 27) are later: 2 deals
// won later. Won m01 (10 days) and m04 (3.5 days) of 4: 50%; median
// 6.75, p90 3.5 + 0.9·6.5 = 9.35 days. m08 is not counted, so its deal
// won before first contact is not a problem as of then: only the 6
// problems of the readers are left.
func TestAsOf(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "testdata", "-as-of", "2018-02-04"}, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"as of 2018-02-04 23:59:59: 4 MQLs first contacted later are not counted, 2 deals won later count as not won\n",
		"MQLs 4, won 2, conversion 50.0%\n",
		"days to won: median, p90 6.8, 9.4 (2 deals timed)\n",
		"2018-01                                 3     1   33.3%  10.0, 10.0\n",
		"2018-02                                 1     1  100.0%  3.5, 3.5\n",
		"Data problems (6)\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	for _, absent := range []string{"2018-03 ", "home_decor", "m08 "} {
		if strings.Contains(text, absent) {
			t.Errorf("output shows %q, which is after the as-of time:\n%s", absent, text)
		}
	}
	if err := run([]string{"-dir", "testdata", "-as-of", "2018-02-30"}, &out); err == nil || !strings.Contains(err.Error(), "-as-of") {
		t.Errorf("-as-of 2018-02-30: got %v, want an error naming -as-of", err)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/report.golden")

// TestGolden compares the whole text report on testdata with
// testdata/report.golden. Its figures are the ones TestJSON and TestText
// check by hand; the golden file pins the layout. Regenerate it with
// go test ./examples/olist -update after a deliberate change, and read
// the diff.
func TestGolden(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "testdata"}, &out); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("report differs from %s (-want +got):\n%s", golden, diff)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	if err := run([]string{"-dir", dir}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "olist_marketing_qualified_leads_dataset.csv") {
		t.Errorf("missing file: %v", err)
	}
	bad := "mql_id,first_contact\nx,2018-01-01\n"
	if err := os.WriteFile(filepath.Join(dir, "olist_marketing_qualified_leads_dataset.csv"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"-dir", dir}, &bytes.Buffer{})
	for _, want := range []string{`no column "first_contact_date"`, `no column "landing_page_id"`, `no column "origin"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing columns: %v, want %q", err, want)
		}
	}
}

// In the rows below, "m1," is 3 bytes: first_contact_date starts at
// column 4. "m1,s1," is 6 bytes: won_date starts at column 7.
const (
	mqlHeader  = "mql_id,first_contact_date,landing_page_id,origin\n"
	dealHeader = "mql_id,sr_id,won_date,business_segment\n"
)

func TestReadMQLs(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		want     []string // "at id first page origin" of each kept row
		problems []problem
	}{
		{
			name:  "byte order mark and CRLF",
			input: "\ufeff" + strings.ReplaceAll(mqlHeader, "\n", "\r\n") + "m1,2018-01-10,lpA,social\r\nm2,2018-01-11,lpB,\r\n",
			want:  []string{"m.csv:2:1 m1 2018-01-10 lpA social", "m.csv:3:1 m2 2018-01-11 lpB "},
		},
		{
			// The first row of an id is kept, even when it is the one
			// left out.
			name: "empty and duplicate ids",
			input: mqlHeader +
				",2018-01-10,lpA,social\n" +
				"m1,2018-01-10,lpA,social\n" +
				"m1,2018-01-11,lpB,email\n" +
				"m2,10/01/2018,lpA,social\n" +
				"m2,2018-01-10,lpA,social\n",
			want: []string{"m.csv:3:1 m1 2018-01-10 lpA social"},
			problems: []problem{
				{"", "m.csv:2:1", "mql_id is empty; MQL ignored"},
				{"m1", "m.csv:4:1", "MQL listed twice, first on line 3; this row ignored"},
				{"m2", "m.csv:5:4", `first_contact_date "10/01/2018" is not a date; MQL ignored`},
				{"m2", "m.csv:6:1", "MQL listed twice, first on line 5; this row ignored"},
			},
		},
		{
			name:     "empty date",
			input:    mqlHeader + "m1,,lpA,social\n",
			problems: []problem{{"m1", "m.csv:2:4", `first_contact_date "" is not a date; MQL ignored`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, problems, err := readMQLs(strings.NewReader(tt.input), "m.csv")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range kept {
				got = append(got, strings.Join([]string{m.at, m.id, m.first.Format(time.DateOnly), m.page, m.origin}, " "))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadDeals(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		want     []string // "at wonAt id sr won segment" of each kept row
		problems []problem
	}{
		{
			name:  "byte order mark and CRLF",
			input: "\ufeff" + strings.ReplaceAll(dealHeader, "\n", "\r\n") + "m1,s1,2018-01-20 10:30:00,pet\r\n",
			want:  []string{"d.csv:2:1 d.csv:2:7 m1 s1 2018-01-20T10:30:00Z pet"},
		},
		{
			name: "empty and duplicate ids, bad won dates",
			input: dealHeader +
				",s1,2018-01-20 10:30:00,pet\n" +
				"m1,s1,2018-01-20 10:30:00,pet\n" +
				"m1,s2,2018-01-21 10:30:00,toys\n" +
				"m2,s1,2018-01-20,pet\n",
			want: []string{"d.csv:3:1 d.csv:3:7 m1 s1 2018-01-20T10:30:00Z pet"},
			problems: []problem{
				{"", "d.csv:2:1", "closed deal without an mql_id; deal ignored"},
				{"m1", "d.csv:4:1", "second closed deal for the same MQL (the first is on line 3); deal ignored"},
				{"m2", "d.csv:5:7", `won_date "2018-01-20" is not a date and time; deal ignored`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, problems, err := readDeals(strings.NewReader(tt.input), "d.csv")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range kept {
				got = append(got, strings.Join([]string{d.at, d.wonAt, d.mqlID, d.srID, d.won.Format(time.RFC3339), d.segment}, " "))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.problems, problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
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
		{"empty file", "", "m.csv: empty file"},
		{"byte order mark only", "\ufeff", "m.csv: empty file"},
		// Without the BOM skipped, the first column would be "\ufeffmql_id".
		{"byte order mark before a wrong header", "\ufeffmql,first_contact_date,landing_page_id,origin\n", `m.csv:1: no column "mql_id"`},
		{"header after blank lines", "\n\na,b\n", `m.csv:3: no column "mql_id"`},
		// "mql_id," is 7 bytes: the second one starts at column 8.
		{"column twice", "mql_id,mql_id\n", `m.csv:1:8: column "mql_id" appears twice (columns 1 and 2)`},
		// The stray quote in `m"1` is the second byte of line 2.
		{"stray quote", mqlHeader + "m\"1,2018-01-10,lpA,social\n", `m.csv:2:2: bare " in non-quoted-field`},
		// The quote opened at column 4 is still open at the end of the
		// input, after the 8 bytes of line 2 (with its newline).
		{"unterminated quote", mqlHeader + "m1,\"a,p\n", `m.csv:2:9: extraneous or missing " in quoted-field`},
		{"too few fields", mqlHeader + "m1,2018-01-10\n", `m.csv:2: the row has 2 fields, the header 4: no value for column 3 "landing_page_id"`},
		// "m1,2018-01-10,lpA,social," is 25 bytes: the 5th field starts at column 26.
		{"too many fields", mqlHeader + "m1,2018-01-10,lpA,social,x\n", `m.csv:2:26: the row has 5 fields, the header 4: column 5 has no name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readMQLs(strings.NewReader(tt.input), "m.csv")
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

// checkProblems requires every problem to say where and what.
func checkProblems(t *testing.T, problems []problem) {
	t.Helper()
	for _, p := range problems {
		if !strings.HasPrefix(p.At, "fuzz.csv:") || p.Problem == "" {
			t.Fatalf("problem %+v does not say where or what", p)
		}
	}
}

// FuzzReadMQLs feeds arbitrary bytes to readMQLs. It must not panic; an
// error must name the file; and when it reads the file, every data row is
// kept or has a problem, and kept ids are unique and not empty.
func FuzzReadMQLs(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "olist_marketing_qualified_leads_dataset.csv")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("\ufeff" + mqlHeader + "m1,2018-01-10,lpA,social\r\n,2018-01-10,lpA,social\r\nm1,x,,\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kept, problems, err := readMQLs(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if n := records(t, data); n != len(kept)+len(problems) {
			t.Fatalf("%d data rows, but %d kept + %d problems", n, len(kept), len(problems))
		}
		seen := map[string]bool{}
		for _, m := range kept {
			if m.id == "" || seen[m.id] {
				t.Fatalf("kept the id %q", m.id)
			}
			seen[m.id] = true
		}
		checkProblems(t, problems)
	})
}

// FuzzReadDeals feeds arbitrary bytes to readDeals, with the same
// requirements as FuzzReadMQLs.
func FuzzReadDeals(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "olist_closed_deals_dataset.csv")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(dealHeader + "m1,s1,2018-01-20 10:30:00,pet\n,s1,2018-01-20 10:30:00,pet\nm1,s2,x,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kept, problems, err := readDeals(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if n := records(t, data); n != len(kept)+len(problems) {
			t.Fatalf("%d data rows, but %d kept + %d problems", n, len(kept), len(problems))
		}
		seen := map[string]bool{}
		for _, d := range kept {
			if d.mqlID == "" || seen[d.mqlID] {
				t.Fatalf("kept the id %q", d.mqlID)
			}
			seen[d.mqlID] = true
		}
		checkProblems(t, problems)
	})
}
