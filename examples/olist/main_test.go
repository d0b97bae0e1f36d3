package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr(v float64) *float64 { return &v }

// TestJSON checks every figure of the -json output on testdata, worked
// out by hand:
//
// MQLs: m01..m08 (m09 has the invalid date 2018-13-01 and is ignored).
// Deals: m01 won 2018-01-20 00:00 (10 days after Jan 10), m04 won
// 2018-02-04 12:00 (3.5 days after Feb 1), m05 won 2018-03-07 (30 days
// after Feb 5), m08 won 2018-02-27 10:00, before its first contact on
// Mar 1 (counted, not timed); m99 is not an MQL and a second m01 deal is
// a duplicate (both ignored).
// Won 4 of 8 = 0.5. Timed days 3.5, 10, 30: median 10; p90 at rank
// (3−1)·0.9 = 1.8: 10 + 0.8·(30−10) = 26.
func TestJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-dir", "testdata", "-json"}, &out); err != nil {
		t.Fatal(err)
	}
	var got output
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := output{
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
		DataQuality: []problem{
			{"m01", "second closed deal for the same MQL; deal ignored"},
			{"m08", "won on 2018-02-27 10:00:00, before first contact on 2018-03-01; counted as won, left out of the timing figures"},
			{"m09", `first_contact_date "2018-13-01" is not a date; MQL ignored`},
			{"m99", "closed deal for an MQL that is not in the MQL file; deal ignored"},
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
	wantKeys := []string{"by_month", "by_origin", "conversion", "data_quality", "median_days_to_won", "mqls", "p90_days_to_won", "won"}
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
		"MQLs 8, won 4, conversion 50.0%",
		"days to won: median, p90 10.0, 26.0 (3 deals timed)",
		// Landing pages: lpA m01, m02, m04, m07 (won m01 after 10 days,
		// m04 after 3.5: median 6.75, p90 3.5 + 0.9·6.5 = 9.35); lpB
		// m03, m06; lpC m05, m08. Top 2 of 3: lpA, then lpB before lpC
		// (tie at 2, key order).
		"Top 2 landing pages (of 3)",
		"lpA                                     4     2   50.0%  6.8, 9.3",
		"lpB                                     2     0    0.0%  n/a",
		// February: m04 3.5 days and m05 30: median 16.75, p90 3.5 +
		// 0.9·26.5 = 27.35.
		"2018-02                                 4     2   50.0%  16.8, 27.3",
		// Segments of won deals: pet m01, m04 (2 of 4 won); home_decor
		// m05; m08 has an empty segment.
		"pet                                    2   50.0%  6.8, 9.3",
		"home_decor                             1   25.0%  30.0, 30.0",
		"(none)                                 1   25.0%  n/a",
		"Data problems (4)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "lpC") {
		t.Errorf("-top 2 shows lpC:\n%s", text)
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
