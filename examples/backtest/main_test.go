package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leadkit/leadkit/internal/golden"
)

// The rows of testdata/Leads.csv, worked by hand (P = converted, N = not).
// The file starts with a UTF-8 byte order mark and has CRLF line endings.
//
//	row  before model                        shared model
//	t1   6 visits 20, 3.5 pages 10, book 15 = 45 (P)   form 40, reference 30, professional 35, 1000s 10+30 = 145 (P)
//	t2   2 visits, 2 pages, no book, google 10 = 10 (P)   400s 10 = 10 (P)
//	t3   no visits given, olark = 0 (N)              occupation "Select" -15, olark -10 = -25 (N)
//	t4   5 visits 20, book 15 = 35 (N)               950s 10+30, do-not-email -20 = 20 (N)
//	t5   5 visits 20, book 15 = 35 (P)               occupation empty -15, olark -10 = -25 (P)
//	t6   Converted empty: skipped
//	t7   TotalVisits "6,5": skipped
//	t1   again: skipped, the first t1 is kept
//	t9   Converted "yes": skipped
//	""   no Prospect ID: skipped
//	t11  TotalVisits "NaN": skipped
//
// 11 rows: 5 leads, 6 skipped.
//
// before: P {45, 10, 35} vs N {0, 35}: 45 beats both (2), 10 beats 0 (1),
// 35 beats 0 and ties 35 (1.5): 4.5 / 6 = 0.75.
// shared: P {145, 10, -25} vs N {-25, 20}: 145 beats both (2), 10 beats
// -25 (1), -25 ties -25 (0.5): 3.5 / 6 = 0.583333.
//
// With -holdout -1 every model is evaluated on all five leads, so these
// hand-worked figures are what the report shows.
func TestBacktestOnTestdata(t *testing.T) {
	var out bytes.Buffer
	if err := run(config{file: "testdata/Leads.csv", asJSON: true, holdout: -1}, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rows    int    `json:"rows"`
		Leads   int    `json:"leads"`
		Holdout int    `json:"holdout"`
		Skipped []skip `json:"skipped"`
		Models  []struct {
			Name       string
			Leads      int64 `json:"leads"`
			Converted  int64 `json:"converted"`
			AUC        struct{ Value string }
			Thresholds []struct {
				Threshold float64 `json:"threshold"`
				Above     int64   `json:"above"`
				Captured  int64   `json:"captured"`
			} `json:"thresholds"`
		} `json:"models"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if got.Rows != 11 || got.Leads != 5 || got.Holdout != 5 || len(got.Skipped) != 6 || len(got.Models) != 3 {
		t.Fatalf("rows %d, leads %d, holdout %d, skipped %d, models %d; want 11, 5, 5, 6, 3 (before, shared, learned)",
			got.Rows, got.Leads, got.Holdout, len(got.Skipped), len(got.Models))
	}
	for i, want := range []string{"0.75", "0.583333"} {
		if g := got.Models[i].AUC.Value; g != want {
			t.Errorf("model %d AUC = %s; want %s", i, g, want)
		}
	}
	// shared model, thresholds every 10 points from -30: >= 10 is
	// {145 P, 10 P, 20 N} (3 leads, 2 converted); >= 20 is {145 P, 20 N}
	// (2, 1).
	for _, th := range got.Models[1].Thresholds {
		want := map[float64][2]int64{10: {3, 2}, 20: {2, 1}}[th.Threshold]
		if want != [2]int64{} && (th.Above != want[0] || th.Captured != want[1]) {
			t.Errorf("shared threshold %v: %d above, %d captured; want %v", th.Threshold, th.Above, th.Captured, want)
		}
	}
}

// TestBacktestLearns runs the whole loop on testdata/Leads300.csv (300
// synthetic leads whose conversion depends on origin, occupation, source
// and time on site) and checks the document has every part the issue
// asks for, and that the learned model is the one compared and
// recommended.
func TestBacktestLearns(t *testing.T) {
	dir := t.TempDir()
	scores := filepath.Join(dir, "scores.csv")
	saved := filepath.Join(dir, "learned.json")
	var out bytes.Buffer
	if err := run(config{file: "testdata/Leads300.csv", asJSON: true, scores: scores, model: "testdata/model.json", learned: saved, capacity: 5}, &out); err != nil {
		t.Fatal(err)
	}
	// The saved model loads back with -model, and scores the holdout
	// exactly as the learned one does.
	var again bytes.Buffer
	if err := run(config{file: "testdata/Leads300.csv", asJSON: true, model: saved}, &again); err != nil {
		t.Fatal(err)
	}
	var both struct {
		Models []struct {
			Name string
			AUC  struct{ Num, Den string }
		}
	}
	if err := json.Unmarshal(again.Bytes(), &both); err != nil {
		t.Fatal(err)
	}
	if n := len(both.Models); n != 4 || both.Models[2].Name != "learned" || both.Models[2].AUC != both.Models[3].AUC {
		t.Errorf("the saved model, loaded back: %+v", both.Models)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"leads", "converted", "models", "learned", "comparison", "recommendation", "left_out"} {
		if string(doc[k]) == "" || string(doc[k]) == "null" {
			t.Errorf("no %q in the document", k)
		}
	}
	var got struct {
		Leads   int
		Holdout int
		Models  []struct {
			Name        string
			Fingerprint string
			AUCSE       *float64 `json:"auc_se"`
			Leads       int64
			Deciles     []json.RawMessage
			Thresholds  []json.RawMessage
		}
		Learned struct {
			AUCTrain           struct{ Value *string } `json:"auc_train"`
			AUCHoldout         struct{ Value *string } `json:"auc_holdout"`
			Rules              []json.RawMessage
			PointsToDoubleOdds float64 `json:"points_to_double_odds"`
			Train, Holdout     int
		}
		Comparison struct {
			Champion, Challenger string
			Verdict              string
		}
		Recommendation struct {
			Model           string
			CapacityPerWeek int64 `json:"capacity_per_week"`
			Met             bool
			Threshold       *float64
		}
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, m := range got.Models {
		names = append(names, m.Name)
		if m.Fingerprint == "" || m.AUCSE == nil || len(m.Deciles) != 10 || len(m.Thresholds) == 0 || m.Leads != int64(got.Holdout) {
			t.Errorf("model %s: %+v", m.Name, m)
		}
	}
	if strings.Join(names, ",") != "before,shared,mine,learned" {
		t.Errorf("models %v", names)
	}
	l := got.Learned
	if l.AUCTrain.Value == nil || l.AUCHoldout.Value == nil || len(l.Rules) == 0 || l.PointsToDoubleOdds != 20 ||
		l.Train+l.Holdout != 300 || l.Holdout != got.Holdout {
		t.Errorf("learned %+v", l)
	}
	if got.Comparison.Challenger != "learned" || got.Comparison.Champion == "" || got.Comparison.Verdict == "" {
		t.Errorf("comparison %+v", got.Comparison)
	}
	if r := got.Recommendation; r.Model != "learned" || r.CapacityPerWeek != 5 || r.Met != (r.Threshold != nil) {
		t.Errorf("recommendation %+v", r)
	}
	// -scores: one row per lead and model, plus the header.
	b, err := os.ReadFile(scores)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+300*4 || strings.Join(rows[0], ",") != "id,model,score,converted" {
		t.Errorf("%d rows, header %v", len(rows), rows[0])
	}
}

// TestBank reads testdata/bank.csv (300 synthetic calls in the UCI
// file's format: semicolons, quoted strings, CRLF) and checks the
// calls are mapped onto leads, duration is left out and a model is
// learned.
func TestBank(t *testing.T) {
	d, err := loadBank("testdata/bank.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.outcomes) != 300 || d.rows != 300 || len(d.skipped) != 0 {
		t.Fatalf("%d outcomes of %d rows, %d skipped", len(d.outcomes), d.rows, len(d.skipped))
	}
	l := d.outcomes[0].Lead
	if _, ok := l.Fields["duration"]; ok {
		t.Error("duration is a field")
	}
	if _, ok := l.Fields["euribor3m"].(float64); !ok {
		t.Errorf("fields %v", l.Fields)
	}
	var out bytes.Buffer
	if err := run(config{bank: "testdata/bank.csv", asJSON: true, capacity: 2}, &out); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Learned *struct {
			AUCHoldout struct{ Value *string } `json:"auc_holdout"`
		}
		LeftOut []string `json:"left_out"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Learned == nil || got.Learned.AUCHoldout.Value == nil || len(got.LeftOut) != 1 || !strings.HasPrefix(got.LeftOut[0], "duration") {
		t.Errorf("bank document: %+v", got)
	}
	for _, bad := range []struct{ input, want string }{
		{"", "empty file"},
		{"\"a\";\"b\"\n", `no column "y"`},
		{strings.SplitN(mustRead(t, "testdata/bank.csv"), "\r\n", 2)[0] + "\r\n" +
			`56;"housemaid";"married";"basic.4y";"no";"no";"no";"telephone";"may";"mon";261;x;999;0;"nonexistent";1.1;93.994;-36.4;4.857;5191;"no"` + "\r\n", `campaign "x" is not a number`},
	} {
		d, err := readBank(strings.NewReader(bad.input), "bank.csv")
		msg := fmt.Sprint(err)
		if len(d.skipped) > 0 {
			msg = d.skipped[0].Reason
		}
		if !strings.Contains(msg, bad.want) {
			t.Errorf("%q: %s, want %q", bad.input, msg, bad.want)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGolden compares the whole text report on testdata with
// testdata/report.golden: TestBacktestOnTestdata checks its figures, the
// golden file pins the layout and the list of skipped rows. Regenerate it
// with go test ./examples/backtest -update after a deliberate change, and
// read the diff.
func TestGolden(t *testing.T) {
	var out bytes.Buffer
	if err := run(config{file: "testdata/Leads.csv", holdout: -1, capacity: 1}, &out); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "report.golden"), out.Bytes())
}

// header has the columns readLeads needs, in an order that makes the
// byte columns of a row easy to count by hand.
const header = "Prospect ID,Lead Origin,Lead Source,Do Not Email,Converted,TotalVisits,Total Time Spent on Website,Page Views Per Visit,What is your current occupation,A free copy of Mastering The Interview,Country,City\n"

// In the rows below, "p1,o,s,No,1," is 12 bytes, so TotalVisits starts at
// column 13 and Converted at column 11.

func TestReadLeads(t *testing.T) {
	five, hundred, two := 5.0, 100.0, 2.0
	tests := []struct {
		name  string
		input string
		want  []leadRow
		skips []skip
	}{
		{
			name:  "plain row",
			input: header + "p1,o,s,No,1,5,100,2,Student,Yes,India,Mumbai\n",
			want: []leadRow{{id: "p1", origin: "o", source: "s", occupation: "Student", country: "India", city: "Mumbai",
				freeCopy: true, converted: true, visits: &five, timeOnSite: &hundred, pageViews: &two}},
		},
		{
			name:  "byte order mark and CRLF",
			input: "\ufeff" + strings.ReplaceAll(header, "\n", "\r\n") + "p1,o,s,No,1,5,100,2,Student,Yes,India,Mumbai\r\n",
			want: []leadRow{{id: "p1", origin: "o", source: "s", occupation: "Student", country: "India", city: "Mumbai",
				freeCopy: true, converted: true, visits: &five, timeOnSite: &hundred, pageViews: &two}},
		},
		{
			// Empty numbers are missing (nil), "Select" is empty, and
			// empty Yes/No columns are No.
			name:  "empty is missing",
			input: header + "p1,o,s,,0,,,,Select,,,\n",
			want:  []leadRow{{id: "p1", origin: "o", source: "s"}},
		},
		{
			name: "malformed numbers are skipped, never missing",
			input: header +
				"p1,o,s,No,1,abc,1,1,,,,\n" +
				"p2,o,s,No,1,\"6,5\",1,1,,,,\n" + // the quote is at column 13
				"p3,o,s,No,1,NaN,1,1,,,,\n" +
				"p4,o,s,No,1,Inf,1,1,,,,\n" +
				"p5,o,s,No,1,1e400,1,1,,,,\n" +
				"p6,o,s,No,1,-3,1,1,,,,\n" +
				"p7,o,s,No,1,0x1p4,1,1,,,,\n" +
				"p8,o,s,No,1,1,1,1.5.5,,,,\n", // "p8,o,s,No,1,1,1," is 16 bytes
			skips: []skip{
				{"Leads.csv:2:13", `TotalVisits "abc" is not a number`},
				{"Leads.csv:3:13", `TotalVisits "6,5" is not a number`},
				{"Leads.csv:4:13", `TotalVisits "NaN" is not a number`},
				{"Leads.csv:5:13", `TotalVisits "Inf" is not a number`},
				{"Leads.csv:6:13", `TotalVisits "1e400" is not a number`},
				{"Leads.csv:7:13", `TotalVisits "-3" is not a number`},
				{"Leads.csv:8:13", `TotalVisits "0x1p4" is not a number`},
				{"Leads.csv:9:17", `Page Views Per Visit "1.5.5" is not a number`},
			},
		},
		{
			// A number too long for float64 is refused, not +Inf.
			name:  "overflowing digits",
			input: header + "p1,o,s,No,1," + strings.Repeat("9", 400) + ",1,1,,,,\n",
			skips: []skip{{"Leads.csv:2:13", `TotalVisits "` + strings.Repeat("9", 400) + `" is not a number`}},
		},
		{
			name:  "no outcome",
			input: header + "p1,o,s,No,,1,1,1,,,,\n" + "p2,o,s,No,yes,1,1,1,,,,\n",
			skips: []skip{
				{"Leads.csv:2:11", "Converted is empty: no outcome to learn from"},
				{"Leads.csv:3:11", `Converted "yes" is neither 0 nor 1`},
			},
		},
		{
			name:  "yes or no",
			input: header + "p1,o,s,maybe,1,1,1,1,,,,\n", // "p1,o,s," is 7 bytes
			skips: []skip{{"Leads.csv:2:8", `Do Not Email "maybe" is neither Yes nor No`}},
		},
		{
			// The first row of an id is kept, even if a later one is
			// better; an empty id is skipped.
			name:  "duplicate and empty ids",
			input: header + "p1,o,s,No,0,,,,,,,\n" + ",o,s,No,1,,,,,,,\n" + "p1,o,s,No,1,,,,,,,\n",
			want:  []leadRow{{id: "p1", origin: "o", source: "s"}},
			skips: []skip{
				{"Leads.csv:3:1", "Prospect ID is empty"},
				{"Leads.csv:4:1", `Prospect ID "p1" is also on line 2; the first is kept`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, skips, err := readLeads(strings.NewReader(tt.input), "Leads.csv")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rows, cmp.AllowUnexported(leadRow{})); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skips, skips); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadLeadsErrors checks that a broken file is an error that names
// the file, the line and, where there is one, the column.
func TestReadLeadsErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty file", "", "Leads.csv: empty file: is this the X Education Leads.csv?"},
		{"byte order mark only", "\ufeff", "Leads.csv: empty file: is this the X Education Leads.csv?"},
		{"not the file", "a,b\n1,2\n", `Leads.csv:1: no column "Prospect ID": is this the X Education Leads.csv?`},
		{"header after blank lines", "\n\na,b\n", `Leads.csv:3: no column "Prospect ID"`},
		// "Prospect ID," is 12 bytes: the second one starts at column 13.
		{"column twice", "Prospect ID,Prospect ID\n", `Leads.csv:1:13: column "Prospect ID" appears twice (columns 1 and 2)`},
		// The stray quote in `p"1` is the second byte of line 2.
		{"stray quote", header + "p\"1,o,s,No,1,1,1,1,,,,\n", `Leads.csv:2:2: bare " in non-quoted-field`},
		// The quote opened at column 4 is still open at the end of the
		// input, after the 8 bytes of line 2 (with its newline).
		{"unterminated quote", header + "p1,\"o,s\n", `Leads.csv:2:9: extraneous or missing " in quoted-field`},
		{"too few fields", header + "p1,o,s\n", `Leads.csv:2: the row has 3 fields, the header 12: no value for column 4 "Do Not Email"`},
		// "p1,o,s,No,1,1,1,1,,,,," is 22 bytes: the 13th field starts at column 23.
		{"too many fields", header + "p1,o,s,No,1,1,1,1,,,,,x\n", `Leads.csv:2:23: the row has 13 fields, the header 12: column 13 has no name`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readLeads(strings.NewReader(tt.input), "Leads.csv")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v\nwant %s", err, tt.want)
			}
		})
	}
}

// FuzzReadLeads feeds arbitrary bytes to readLeads. It must not panic; an
// error must name the file; and when it reads the file, every data row is
// either kept or skipped (counted independently with encoding/csv), kept
// ids are unique and not empty, and kept numbers are finite and not
// negative.
func FuzzReadLeads(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "Leads.csv")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(header + "p1,o,s,No,1,5,100,2,Student,Yes,India,Mumbai\n"))
	f.Add([]byte("\ufeff" + header + "p1,o,s,No,1,\"6,5\",1,1,,,,\r\np1,o,s,No,1,,,,,,,\r\n"))
	f.Add([]byte(header + "p1,o,s,No,1,1e400,NaN,-1,,,,\n,o,s,No,0,,,,,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, skips, err := readLeads(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv:") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatalf("readLeads accepted what encoding/csv refuses: %v", err)
		}
		if len(records)-1 != len(rows)+len(skips) {
			t.Fatalf("%d data rows, but %d kept + %d skipped", len(records)-1, len(rows), len(skips))
		}
		seen := map[string]bool{}
		for _, r := range rows {
			if r.id == "" || seen[r.id] {
				t.Fatalf("kept an empty or duplicate id %q", r.id)
			}
			seen[r.id] = true
			for _, v := range []*float64{r.visits, r.timeOnSite, r.pageViews} {
				if v != nil && (math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0) {
					t.Fatalf("kept the number %v", *v)
				}
			}
		}
		for _, s := range skips {
			if !strings.HasPrefix(s.At, "fuzz.csv:") || s.Reason == "" {
				t.Fatalf("skip %+v does not say where or why", s)
			}
		}
	})
}

// TestManySkips checks that the text output lists the first 20 skipped
// rows and counts the others, and that -json lists them all.
func TestManySkips(t *testing.T) {
	input := header + strings.Repeat("p1,o,s,No,,1,1,1,,,,\n", 25) // 25 rows without an outcome
	path := filepath.Join(t.TempDir(), "Leads.csv")
	if err := os.WriteFile(path, []byte(input), 0o644); err != nil {
		t.Fatal(err)
	}
	var text, js bytes.Buffer
	if err := run(config{file: path}, &text); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(text.String(), "  skipped "); n != 20 {
		t.Errorf("%d skipped rows listed, want 20:\n%s", n, text.String())
	}
	if !strings.Contains(text.String(), "X Education leads: read 25 rows: 0 leads with a known outcome (0 converted), 25 rows skipped\n") ||
		!strings.Contains(text.String(), "  ... and 5 more (-json lists them all)\n") {
		t.Errorf("output lacks the counts:\n%s", text.String())
	}
	if err := run(config{file: path, asJSON: true}, &js); err != nil {
		t.Fatal(err)
	}
	var got struct{ Skipped []skip }
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Skipped) != 25 {
		t.Errorf("-json lists %d skipped rows, want 25", len(got.Skipped))
	}
}
