package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/internal/golden"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

const export = "testdata/contacts.csv"

// report runs the program on args and returns its output.
func report(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(args, &out); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestGolden compares the whole report on testdata/contacts.csv with
// testdata/report.golden. TestImport and TestFigures check its figures
// by hand; the golden file pins the layout. Regenerate it with
// go test ./examples/crmimport -update after a deliberate change, and read
// the diff.
func TestGolden(t *testing.T) {
	out := report(t, "-file", export)
	golden.Check(t, filepath.Join("testdata", "report.golden"), []byte(out))
}

func importExport(t *testing.T, data []byte) (imported, error) {
	t.Helper()
	m, err := lead.ParseMapping(defaultMapping)
	if err != nil {
		t.Fatal(err)
	}
	mp, err := m.Mapper()
	if err != nil {
		t.Fatal(err)
	}
	return importContacts(bytes.NewReader(data), "c.csv", mp, m.Columns["id"])
}

// TestImport checks the mapping of the example export: which rows are
// left out and why (testdata/README.md lists them), and contact 101 field
// by field.
func TestImport(t *testing.T) {
	data, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	imp, err := importExport(t, data)
	if err != nil {
		t.Fatal(err)
	}
	// 22 rows; 5 left out (rows 10, 11, 17, 19 and 20, one problem
	// each), 17 mapped (120, created after the as-of time, included).
	if imp.rows != 22 || imp.left != 5 || len(imp.leads) != 17 {
		t.Errorf("%d rows, %d left out, %d leads; want 22, 5, 17", imp.rows, imp.left, len(imp.leads))
	}
	var problems []string
	for _, e := range imp.problems {
		problems = append(problems, e.Error())
	}
	wantProblems := []string{
		`row 10, column "Country/Region": "Europe" is not a country CountryCode knows; add it to the mapping's countries`,
		// 110 became an MQL on May 14, a day before it became a lead.
		`row 11, column "Became a Marketing Qualified Lead Date": lead "110": entered "mql" at 2025-05-14T10:00:00-04:00, before it entered "lead" at 2025-05-15T14:00:00-04:00 (column "Became a Lead Date"); stage dates are out of order`,
		`row 17, column "Number of Employees": "about 50" is not a number with decimal mark "."`,
		`row 19, column "Became a Marketing Qualified Lead Date": lead "118": current stage is "mql" but the column is empty`,
		`row 20, column "Record ID": lead "102" is also in row 3; the first is kept`,
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	at := func(month time.Month, day, hour int) time.Time { return time.Date(2025, month, day, hour, 0, 0, 0, ny) }
	// Row 2 of contacts.csv, read by mapping.json: the grouped numbers
	// "1,200" and "25,000,000", "United States" as US, "VP Marketing" as
	// a marketing vp, "Organic Search" as organic_search, the five stage
	// dates as a history from lead to customer, and the date of first
	// engagement as a touch by the owner.
	want := lead.Lead{
		ID: "101", CreatedAt: at(4, 1, 9), Owner: "Dana Reyes", Stage: lead.StageCustomer,
		Person: lead.Person{Email: "anna.berg@northwind.example", Title: "VP Marketing",
			Seniority: lead.SeniorityVP, Department: "marketing"},
		Company: lead.Company{Name: "Northwind Traders", Domain: "northwind.example", Industry: "Computer Software",
			Employees: 1200, AnnualRevenue: decimal.NewFromInt(25_000_000), Country: "US", Region: "New York", City: "New York"},
		Source: lead.Source{Channel: lead.ChannelOrganicSearch, Medium: "google"},
		History: []lead.Transition{
			{To: lead.StageLead, At: at(4, 1, 9)},
			{From: lead.StageLead, To: lead.StageMQL, At: at(4, 2, 10)},
			{From: lead.StageMQL, To: lead.StageSQL, At: at(4, 3, 11)},
			{From: lead.StageSQL, To: lead.StageOpportunity, At: at(4, 10, 10)},
			{From: lead.StageOpportunity, To: lead.StageCustomer, At: at(5, 5, 15)},
		},
		Activities: []lead.Activity{{Type: "first_engagement", At: at(4, 2, 14), Actor: "Dana Reyes"}},
		Fields:     map[string]any{"lead_status": "Connected", "last_activity": time.Date(2025, 5, 5, 0, 0, 0, 0, ny)},
	}
	byID := map[string]lead.Lead{}
	for _, l := range imp.leads {
		byID[l.ID] = l
	}
	decimals := cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })
	if diff := cmp.Diff(want, byID["101"], decimals); diff != "" {
		t.Errorf("contact 101 (-want +got):\n%s", diff)
	}

	// The format's placeholders and the country names, row by row.
	tests := []struct {
		id, country, region, revenue string
	}{
		{"102", "US", "California", "8500000.5"}, // "USA", "8,500,000.50"
		{"103", "DE", "", "0"},                   // "Deutschland", "Select", "N/A"
		{"107", "GB", "England", "0"},            // "UK", revenue "-"
		{"108", "BE", "", "12000000"},            // "Belgique"
		{"115", "RU", "", "3500000"},             // "Россия"
		{"121", "CH", "", "70000000"},            // "Schweiz"
	}
	for _, tt := range tests {
		l := byID[tt.id]
		if got := []string{l.Company.Country, l.Company.Region, l.Company.AnnualRevenue.String()}; !cmp.Equal(got, []string{tt.country, tt.region, tt.revenue}) {
			t.Errorf("contact %s: country, region, revenue %q, want %q", tt.id, got, []string{tt.country, tt.region, tt.revenue})
		}
	}
	// 104 and 105 have no owner and no engagement: no touch. 112 has no
	// title: no seniority or department.
	if n := len(byID["104"].Activities) + len(byID["105"].Activities); n != 0 {
		t.Errorf("%d touches for contacts never engaged", n)
	}
	if p := byID["112"].Person; p.Seniority != "" || p.Department != "" {
		t.Errorf("contact 112 without a title classified as %q %q", p.Seniority, p.Department)
	}
}

// cells returns the cells of the report line that starts with prefix,
// split where the table has two spaces or more, or nil.
func cells(out, prefix string) []string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			return regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
		}
	}
	return nil
}

// TestFigures checks the report's figures against the working below.
//
// The 16 contacts mapped and created by the as-of time (2025-07-01 00:00
// New York) are in the funnel. A stage implied by a later one counts as
// reached, so every lead reached subscriber; the highest stage each
// reached as of then: customer 101, 108; evangelist 121; opportunity
// 106, 107, 113, 115 (113's customer date, 2025-07-02, is after the
// as-of time); sql 102, 111; mql 103, 114, 117, 122; lead 104, 105;
// subscriber 112. Reached: subscriber 16, lead 15, mql 13, sql 9,
// opportunity 7, customer 3, evangelist 1.
//
// Business hours are Monday to Friday 09:00-17:00 New York, 2025-05-26
// off. First touch within 8 hours of becoming an MQL: 101 4h, 103 1h,
// 106 1.25h, 108 3h (Tue 15:00 to Wed 10:00), 113 0.75h, 115 7h (touched
// at 17:30, after hours), 121 1h, 122 2h: met 8. 102: MQL Fri 16:00,
// deadline Mon 16:00, touched Tue 10:00, 2h late; 107: MQL Mon 09:00,
// deadline 17:00, touched Tue 16:30, 7.5h late; 111: MQL Wed May 21
// 13:00, deadline Thu 13:00, touched Tue May 27 09:30 (Monday is the
// holiday): 4 + 8 + 0.5 = 12.5h late; 114: MQL Fri Jun 6 16:00, deadline
// Mon 16:00, never touched: late by 1 + 4·8 + 5·8 + 5·8 + 8 = 121h at
// the as-of time. Breached 4. 117 became an MQL Mon Jun 30 11:00: 6h
// elapsed, pending. Compliance 8 / 12 = 66.7%. The times of the 11 leads
// touched, sorted: 0.75 1 1 1.25 2 3 4 7 10 15.5 20.5: median 3.
//
// Acceptance (SQL or a later stage) within 24 business hours: 101 9h, 106
// 7.5h, 107 17h (opportunity, skipping SQL), 111 21h, 113 9h, 115 7h, 121
// 9h: met 7. 102 (26h: deadline Wed Apr 9 16:00, SQL Thu 10:00, 2h late),
// 108 (35h, 11h late), and 103, 114, 122, never accepted: breached 5. 117
// pending. 7 / 12 = 58.3%; times 7 7.5 9 9 9 17 21 26 35: median 9.
//
// MQLs per month (target 4): April 101, 102, 103, 106, 121, 122 = 6,
// met; May 107, 108, 111 = 3, breached; June 113, 114, 115, 117 = 4, met;
// July, holding the as-of time, pending. 2 / 3 = 66.7%.
func TestFigures(t *testing.T) {
	out := report(t, "-file", export)
	tests := []struct {
		prefix string
		want   []string
	}{
		{"read ", []string{"read 22 rows: 17 leads mapped, 5 rows left out"}},
		{"contacts created after", []string{"contacts created after the as-of time, not counted: 1"}}, // 120
		// stage, team, reached, converted, conversion, from top, median days, still in
		{"subscriber ", []string{"subscriber", "marketing", "16", "15", "93.8%", "100.0%", "4.5", "1"}}, // 104: 4.08 days, 122: 5: median 4.54
		{"lead ", []string{"lead", "marketing", "15", "13", "86.7%", "93.8%"}},
		{"mql ", []string{"mql", "marketing", "13", "9", "69.2%", "81.3%"}},
		{"sql ", []string{"sql", "sales", "9", "7", "77.8%", "56.3%"}},
		{"opportunity ", []string{"opportunity", "sales", "7", "3", "42.9%", "43.8%"}},
		{"customer ", []string{"customer", "sales", "3", "1", "33.3%", "18.8%"}},
		{"evangelist ", []string{"evangelist", "marketing", "1", "0", "n/a", "6.3%", "n/a", "1"}},
		// channel, leads, MQL, SQL, customer: paid search is 102, 103,
		// 111, 113, 117; social 105, 108 (paid), 114.
		{"paid_search ", []string{"paid_search", "5", "5", "3", "0", "60.0%"}},
		{"social ", []string{"social", "3", "2", "1", "1", "33.3%"}},
		// policy, team, met, breached, pending, at risk, compliance, median hours
		{"first touch within", []string{"first touch within 1 business day", "sales", "8", "4", "1", "0", "66.7%", "3.0"}},
		{"accept within", []string{"accept within 3 business days", "sales", "7", "5", "1", "0", "58.3%", "9.0"}},
		{"marketing delivers", []string{"marketing delivers 4 MQLs a month", "marketing", "2", "1", "1", "0", "66.7%", "n/a"}},
		{"sales ", []string{"sales", "15", "9", "62.5%"}}, // 8 + 7 met, 4 + 5 breached
		// lead, owner, deadline, late by, cause
		{"114 ", []string{"114", "Sam Patel", "2025-06-09 16:00", "121.0", "missed"}},
		{"111 ", []string{"111", "Sam Patel", "2025-05-22 13:00", "12.5", "late"}},
		// The May cohort: 107, 108, 111 and 112 (a subscriber); 107
		// reached SQL implied by its opportunity; 108 is a customer.
		{"2025-05 ", []string{"2025-05", "4", "3", "3", "1", "75.0%"}},
	}
	for _, tt := range tests {
		if got := cells(out, tt.prefix); !cmp.Equal(got[:min(len(got), len(tt.want))], tt.want) {
			t.Errorf("line %q: got %q, want %q", tt.prefix, got, tt.want)
		}
	}
	// month, MQLs, target, target to date, status
	volume := out[max(strings.Index(out, "a month, by month"), 0):]
	for _, want := range [][]string{
		{"2025-04", "6", "4", "4", "met"},
		{"2025-05", "3", "4", "4", "breached"},
		{"2025-06", "4", "4", "4", "met"},
		{"2025-07", "0", "4", "0", "pending"}, // no working time yet in July
	} {
		if got := cells(volume, want[0]+" "); !cmp.Equal(got, want) {
			t.Errorf("volume: got %q, want %q", got, want)
		}
	}
}

// TestAsOf reports as of 2025-06-01, New York. Contacts 113 (Jun 2),
// 114, 115, 117 and 120 were created later: 5 not counted. The first
// touch: met 101, 103, 106, 108, 121, 122; breached 102, 107, 111; none
// pending. June holds the as-of time: its volume is pending with 0 MQLs.
func TestAsOf(t *testing.T) {
	out := report(t, "-file", export, "-as-of", "2025-06-01")
	for _, want := range []string{
		"as of 2025-06-01 00:00 EDT\n",
		"contacts created after the as-of time, not counted: 5\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got, want := cells(out, "first touch within"), []string{"first touch within 1 business day", "sales", "6", "3", "0"}; !cmp.Equal(got[:min(len(got), 5)], want) {
		t.Errorf("first touch: got %q, want %q", got, want)
	}
	if got := cells(out, "2025-06 "); !cmp.Equal(got, []string{"2025-06", "0", "4", "0", "pending"}) {
		t.Errorf("June's volume: %q", got)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	noColumn := write("no-column.csv", bytes.Replace(data, []byte(",Date of first engagement,"), []byte(",First engagement,"), 1))
	short := write("short.csv", append(bytes.Clone(data), "123,Ann\r\n"...))
	badMapping := write("mapping.json", bytes.Replace(defaultMapping, []byte(`"classify_titles"`), []byte(`"classify_title"`), 1))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"-file", filepath.Join(dir, "missing.csv")}, "missing.csv"},
		{"a column missing", []string{"-file", noColumn}, `no-column.csv: line 1, column "Date of first engagement": not in the header`},
		// 22 rows after the header: the appended row is line 24.
		{"a short row", []string{"-file", short}, `short.csv: line 24: the record has 2 fields, the header 30`},
		{"a misspelt mapping field", []string{"-file", export, "-mapping", badMapping}, `mapping: `},
		{"no such mapping", []string{"-file", export, "-mapping", filepath.Join(dir, "none.json")}, "none.json"},
		{"a bad as-of", []string{"-file", export, "-as-of", "2025-02-30"}, "-as-of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(tt.args, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	// The misspelt field is named.
	if err := run([]string{"-file", export, "-mapping", badMapping}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "classify_title") {
		t.Errorf("misspelt field: %v", err)
	}
}

// BenchmarkImport reads and maps the example export (30 columns, 5 of
// its 22 rows left out) grown to 2,200 rows with ids unique per copy:
// lead.CSVRows, lead.Mapper.Map and the engagement column, per row.
func BenchmarkImport(b *testing.B) {
	data, err := os.ReadFile(export)
	if err != nil {
		b.Fatal(err)
	}
	header, body, _ := bytes.Cut(data, []byte("\r\n"))
	big := append(bytes.Clone(header), "\r\n"...)
	const copies = 100
	for i := range copies {
		// Prefix every Record ID (the first field) with the copy number.
		for _, line := range bytes.SplitAfter(body, []byte("\r\n")) {
			if len(line) > 0 {
				big = append(big, fmt.Sprintf("%d", i)...)
				big = append(big, line...)
			}
		}
	}
	m, _ := lead.ParseMapping(defaultMapping)
	mp, _ := m.Mapper()
	b.SetBytes(int64(len(big)))
	b.ReportAllocs()
	for b.Loop() {
		imp, err := importContacts(bytes.NewReader(big), "big.csv", mp, m.Columns["id"])
		if err != nil || imp.rows != 22*copies {
			b.Fatal(err, imp.rows)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*22*copies), "ns/row")
}
