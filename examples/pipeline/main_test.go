package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type segment struct {
	Key     string  `json:"key"`
	Won     int64   `json:"won"`
	Lost    int64   `json:"lost"`
	WinRate *string `json:"win_rate"`
	Revenue string  `json:"revenue"`
}

type output struct {
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

// The testdata has 9 rows (CRLF line endings, like the real files):
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
//
// Ann is in East, Bob in West, Cara in Central; Dan has no deals.
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
		{"opportunities", itoa(got.Opportunities), "8"},            // 9 rows, D1 skipped
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
		"read 9 rows: 8 opportunities (3 won, 3 lost, 2 open), 1 skipped",
		"1 open deals without an engage date",
		"2 product names respelt",                           // A1 B4
		"2 deals without an account, 1 with an account not", // B2 B3; C1
		`skipped sales_pipeline.csv:10: won deal with bad close_value ""`,
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
	if err := run([]string{"-dir", dir}, &buf); err == nil || !strings.Contains(err.Error(), `no column "deal_stage"`) {
		t.Errorf("missing column: got %v", err)
	}
}
