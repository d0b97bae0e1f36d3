package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/internal/golden"
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
		// Sorted by lead id; the empty ids first. Each names the row
		// and column at fault.
		DataQuality: []problem{
			{"", mqlFile + `: row 11, column "mql_id"`, "empty: every lead needs an id; MQL ignored"},
			{"", dealFile + `: row 8, column "mql_id"`, "closed deal without an mql_id; deal ignored"},
			{"m01", dealFile + `: row 7, column "mql_id"`, "second closed deal for the same MQL (the first is in row 2); deal ignored"},
			{"m02", mqlFile + `: row 12, column "mql_id"`, "MQL listed twice, first in row 3; this row ignored"},
			{"m08", dealFile + `: row 5, column "won_date"`, "won on 2018-02-27 10:00:00, before first contact on 2018-03-01; counted as won, left out of the timing figures"},
			{"m09", mqlFile + `: row 10, column "first_contact_date"`, `"2018-13-01" is not a time in the layouts "2006-01-02"; MQL ignored`},
			{"m99", dealFile + `: row 6, column "mql_id"`, "closed deal for an MQL that is not in the MQL file; deal ignored"},
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
		`(no id)  empty: every lead needs an id; MQL ignored (testdata/olist_marketing_qualified_leads_dataset.csv: row 11, column "mql_id")`,
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
	golden.Check(t, filepath.Join("testdata", "report.golden"), out.Bytes())
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
	for _, want := range []string{`column "first_contact_date": not in the header`, `column "landing_page_id": not in the header`, `column "origin": not in the header`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing columns: %v, want %q", err, want)
		}
	}
}

const (
	mqlHeader  = "mql_id,first_contact_date,landing_page_id,origin\n"
	dealHeader = "mql_id,sr_id,won_date,business_segment\n"
)

func TestReadMQLs(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		want     []string // "at id first page origin stage history" of each kept row
		problems []problem
	}{
		{
			name:  "byte order mark and CRLF",
			input: "\ufeff" + strings.ReplaceAll(mqlHeader, "\n", "\r\n") + "m1,2018-01-10,lpA,social\r\nm2,2018-01-11,lpB,\r\n",
			want:  []string{`m.csv: row 2, column "mql_id" m1 2018-01-10 lpA social mql [mql@2018-01-10]`, `m.csv: row 3, column "mql_id" m2 2018-01-11 lpB  mql [mql@2018-01-11]`},
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
			want: []string{`m.csv: row 3, column "mql_id" m1 2018-01-10 lpA social mql [mql@2018-01-10]`},
			problems: []problem{
				{"", `m.csv: row 2, column "mql_id"`, "empty: every lead needs an id; MQL ignored"},
				{"m1", `m.csv: row 4, column "mql_id"`, "MQL listed twice, first in row 3; this row ignored"},
				{"m2", `m.csv: row 5, column "first_contact_date"`, `"10/01/2018" is not a time in the layouts "2006-01-02"; MQL ignored`},
				{"m2", `m.csv: row 6, column "mql_id"`, "MQL listed twice, first in row 5; this row ignored"},
			},
		},
		{
			// Every problem of a row is reported; the row is one row
			// left out.
			name:  "empty id and a bad date",
			input: mqlHeader + ",2018-02-30,lpA,social\n",
			problems: []problem{
				{"", `m.csv: row 2, column "mql_id"`, "empty: every lead needs an id; MQL ignored"},
				{"", `m.csv: row 2, column "first_contact_date"`, `"2018-02-30" is not a time in the layouts "2006-01-02"; MQL ignored`},
			},
		},
		{
			name:     "empty date",
			input:    mqlHeader + "m1,,lpA,social\n",
			problems: []problem{{"m1", `m.csv: row 2, column "first_contact_date"`, `lead "m1": empty: every lead needs its creation time; MQL ignored`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kept, problems, _, err := readMQLs(strings.NewReader(tt.input), "m.csv")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range kept {
				l := m.lead
				history := ""
				for _, tr := range l.History {
					history += string(tr.From) + string(tr.To) + "@" + tr.At.Format(time.DateOnly)
				}
				got = append(got, strings.Join([]string{m.at, l.ID, l.CreatedAt.Format(time.DateOnly), l.Source.LandingPage,
					string(l.Source.Channel), string(l.Stage), "[" + history + "]"}, " "))
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
			want:  []string{`d.csv: row 2, column "mql_id" d.csv: row 2, column "won_date" m1 s1 2018-01-20T10:30:00Z pet`},
		},
		{
			name: "empty and duplicate ids, bad won dates",
			input: dealHeader +
				",s1,2018-01-20 10:30:00,pet\n" +
				"m1,s1,2018-01-20 10:30:00,pet\n" +
				"m1,s2,2018-01-21 10:30:00,toys\n" +
				"m2,s1,2018-01-20,pet\n" +
				"m3,s1, ,pet\n",
			want: []string{`d.csv: row 3, column "mql_id" d.csv: row 3, column "won_date" m1 s1 2018-01-20T10:30:00Z pet`},
			problems: []problem{
				{"", `d.csv: row 2, column "mql_id"`, "closed deal without an mql_id; deal ignored"},
				{"m1", `d.csv: row 4, column "mql_id"`, "second closed deal for the same MQL (the first is in row 3); deal ignored"},
				{"m2", `d.csv: row 5, column "won_date"`, `"2018-01-20" is not a time in the layouts "2006-01-02 15:04:05"; deal ignored`},
				{"m3", `d.csv: row 6, column "won_date"`, "empty: a closed deal needs its won date; deal ignored"},
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
// file, the line and, where there is one, the column or byte.
func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty file", "", "m.csv: empty input: a CSV export starts with its header"},
		{"byte order mark only", "\ufeff", "m.csv: empty input"},
		// Without the BOM skipped, the first column would be "\ufeffmql_id".
		{"byte order mark before a wrong header", "\ufeffmql,first_contact_date,landing_page_id,origin\n", `m.csv: line 1, column "mql_id": not in the header`},
		{"header after blank lines", "\n\na,b\n", `m.csv: line 3, column "mql_id": not in the header`},
		{"column twice", "mql_id,mql_id\n", `m.csv: line 1, column "mql_id": the header names the column twice (fields 1 and 2)`},
		// The stray quote in `m"1` is the second byte of line 2.
		{"stray quote", mqlHeader + "m\"1,2018-01-10,lpA,social\n", `m.csv: line 2, byte 2: bare " in non-quoted-field`},
		// The quote opened at byte 4 is still open at the end of the
		// input, after the 8 bytes of line 2 (with its newline).
		{"unterminated quote", mqlHeader + "m1,\"a,p\n", `m.csv: line 2, byte 9: extraneous or missing " in quoted-field`},
		{"too few fields", mqlHeader + "m1,2018-01-10\n", `m.csv: line 2: the record has 2 fields, the header 4: no value for column "landing_page_id"`},
		{"too many fields", mqlHeader + "m1,2018-01-10,lpA,social,x\n", `m.csv: line 2: the record has 5 fields, the header 4: field 5 has no column`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := readMQLs(strings.NewReader(tt.input), "m.csv")
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
		kept, problems, rows, err := readMQLs(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// A row left out may have several problems (an empty id and a
		// bad date): count the rows they name.
		left := map[string]bool{}
		for _, p := range problems {
			row, _, _ := strings.Cut(p.At, ", column")
			left[row] = true
		}
		if n := records(t, data); n != rows || n != len(kept)+len(left) {
			t.Fatalf("%d data rows (%d counted), but %d kept + %d left out", n, rows, len(kept), len(left))
		}
		seen := map[string]bool{}
		for _, m := range kept {
			if id := m.lead.ID; id == "" || seen[id] || m.lead.CreatedAt.IsZero() {
				t.Fatalf("kept the id %q created at %v", id, m.lead.CreatedAt)
			}
			seen[m.lead.ID] = true
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
