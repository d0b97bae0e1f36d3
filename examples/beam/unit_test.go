package main

import (
	"encoding/json"
	"github.com/leadkit/leadkit/examples/alignment"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want []string
		err       string // a substring of the error; "" for none
	}{
		{"same order", []string{"a", "b"}, []string{"a", "b"}, ""},
		{"any order", []string{"b", "a"}, []string{"a", "b"}, ""},
		{"both empty", nil, nil, ""},
		{"missing", []string{"a"}, []string{"a", "b"}, "missing"},
		{"extra", []string{"a", "b"}, []string{"a"}, "extra"},
		{"differs", []string{"a", "c"}, []string{"a", "b"}, "differs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Compare(tc.got, tc.want)
			if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("Compare = %v; want an error containing %q", err, tc.err)
			}
		})
	}
}

func TestUnshard(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"3/DE", "DE"},
		{"0/", ""},
		{"12/a/b", "a/b"}, // a key may hold a slash: only the shard is cut
		{"nokey", "nokey"},
	} {
		if got, _ := unshard(tc.in, 1); got != tc.want {
			t.Errorf("unshard(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestOutcomeOf(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	asOf := day(20)
	hist := func(ts ...lead.Transition) *lead.Lead {
		return &lead.Lead{ID: "L1", CreatedAt: day(1), History: ts}
	}
	mql := lead.Transition{From: lead.StageLead, To: lead.StageMQL, At: day(5)}
	for _, tc := range []struct {
		name      string
		l         *lead.Lead
		ok        bool
		converted bool
	}{
		{"never handed over", hist(lead.Transition{To: lead.StageLead, At: day(2)}), false, false},
		{"handed over after as-of", hist(lead.Transition{To: lead.StageMQL, At: day(25)}), false, false},
		{"still being worked", hist(mql), false, false},
		{"won by as-of", hist(mql, lead.Transition{From: lead.StageMQL, To: lead.StageCustomer, At: day(10)}), true, true},
		{"won after as-of: still being worked", hist(mql, lead.Transition{From: lead.StageMQL, To: lead.StageCustomer, At: day(21)}), false, false},
		{"disqualified by as-of", hist(mql, lead.Transition{From: lead.StageMQL, To: lead.StageDisqualified, At: day(10)}), true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, ok := outcomeOf(tc.l, asOf)
			if ok != tc.ok || o.Converted != tc.converted {
				t.Fatalf("outcomeOf = %+v, %v; want ok %v, converted %v", o, ok, tc.ok, tc.converted)
			}
			if ok && !o.DecidedAt.Equal(day(5)) {
				t.Errorf("decided at %v; want the handoff, %v", o.DecidedAt, day(5))
			}
		})
	}
}

func TestScorecardInputRefusesEmptyRecord(t *testing.T) {
	x := testAnalyses(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var sc kpi.Scorecard
	if err := sc.UnmarshalJSON(x.KPI); err != nil {
		t.Fatal(err)
	}
	if err := (scorecardInput{}).Add(&sc, Record{}); err == nil {
		t.Error("an empty record was added")
	}
}

// TestStateCoder checks the accumulators' coder: a round trip keeps the
// report, and bad states are errors, never panics.
func TestStateCoder(t *testing.T) {
	x := testAnalyses(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	d, err := ReadData(testFiles())
	if err != nil {
		t.Fatal(err)
	}
	a := new(funnel.Analysis)
	if err := a.UnmarshalJSON(x.Funnel); err != nil {
		t.Fatal(err)
	}
	for i := range d.Leads[:50] {
		if err := a.Add(&d.Leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	b, err := encodeState(a)
	if err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeFor[*funnel.Analysis]()
	v, err := decodeState(typ, b)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := a.Report()
	got, err := v.(*funnel.Analysis).Report()
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("report after the coder differs (err %v)", err)
	}
	if want.Leads != 50 {
		t.Fatalf("%d leads; want 50", want.Leads)
	}

	tampered := strings.Replace(string(b), `"leads":50`, `"leads":-50`, 1)
	if tampered == string(b) {
		t.Fatal(`no "leads":50 in the state to tamper with`)
	}
	for _, tc := range []struct {
		name string
		typ  reflect.Type
		in   string
	}{
		{"not JSON", typ, "{"},
		{"empty", typ, ""},
		{"null", typ, "null"},
		{"negative count", typ, tampered},
		{"other accumulator's state", typ, string(x.KPI)},
		{"not a pointer type", reflect.TypeFor[funnel.Analysis](), string(b)},
		{"no UnmarshalJSON", reflect.TypeFor[*lead.Stage](), `"mql"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if v, err := decodeState(tc.typ, []byte(tc.in)); err == nil {
				t.Errorf("decoded %T without an error", v)
			}
		})
	}
	if _, err := encodeState(42); err == nil {
		t.Error("encoded an int")
	}
}

// TestJoin checks the deal join on its own: a deal gets its lead's keys,
// a deal without its lead none, and two leads with one id are an error.
func TestJoin(t *testing.T) {
	x := testAnalyses(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	f := &joinFn{Scorecard: string(x.KPI)}
	if err := f.Setup(); err != nil {
		t.Fatal(err)
	}
	l := lead.Lead{ID: "L1", Source: lead.Source{Channel: "paid_search"}}
	iter := func(vs ...any) func(any) bool {
		return func(dst any) bool {
			if len(vs) == 0 {
				return false
			}
			reflect.ValueOf(dst).Elem().Set(reflect.ValueOf(vs[0]))
			vs = vs[1:]
			return true
		}
	}
	leads := func(vs ...any) func(*lead.Lead) bool {
		it := iter(vs...)
		return func(p *lead.Lead) bool { return it(p) }
	}
	deals := func(vs ...any) func(*kpi.Deal) bool {
		it := iter(vs...)
		return func(p *kpi.Deal) bool { return it(p) }
	}

	var got []kpi.Deal
	emit := func(d kpi.Deal) { got = append(got, d) }
	if err := f.ProcessElement(t.Context(), "L1", leads(l), deals(kpi.Deal{ID: "D1"}, kpi.Deal{ID: "D2"}), emit); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Keys["channel"] != "paid_search" || got[1].Keys["channel"] != "paid_search" {
		t.Fatalf("joined deals = %+v; want both with channel paid_search", got)
	}
	got = nil
	if err := f.ProcessElement(t.Context(), "L9", leads(), deals(kpi.Deal{ID: "D9"}), emit); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Keys != nil {
		t.Fatalf("deal without a lead = %+v; want it with no keys", got)
	}
	if err := f.ProcessElement(t.Context(), "L1", leads(l, l), deals(), emit); err == nil {
		t.Fatal("two leads with one id were joined")
	}
}

// TestRunExportFolder runs the command on a folder in the form of
// examples/report -export (JSON arrays), with -check, on prism.
func TestRunExportFolder(t *testing.T) {
	dir := t.TempDir()
	files := testFiles()
	d, err := ReadData(files)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"leads": d.Leads, "deals": d.Deals, "customers": d.Customers, "spend": d.Spend, "visits": d.Visits} {
		b, err := json.MarshalIndent(v, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := config{dataDir: dir, out: filepath.Join(t.TempDir(), "out.jsonl"), asOf: "2026-01-01", runner: "prism", fanout: 3, check: true}
	if err := run(c); err != nil {
		t.Fatal(err)
	}
	if _, _, err := inputFiles(t.TempDir()); err == nil {
		t.Error("a folder without leads was accepted")
	}
}

// BenchmarkCreateAccumulator measures CombineFn.CreateAccumulator, which
// decodes the empty state (and so compiles the definition) once per
// accumulator Beam creates.
func BenchmarkCreateAccumulator(b *testing.B) {
	a, err := alignment.DefaultAgreement()
	if err != nil {
		b.Fatal(err)
	}
	x, err := NewAnalyses(a, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		empty []byte
		fn    func(string) error
	}{
		{"kpi", x.KPI, func(s string) error {
			_, err := (&CombineFn[kpi.Scorecard, *kpi.Scorecard, kpi.Report, Record, scorecardInput]{Empty: s}).CreateAccumulator()
			return err
		}},
		{"funnel", x.Funnel, func(s string) error {
			_, err := (&MergeFn[funnel.Analysis, *funnel.Analysis, funnel.Report]{Empty: s}).CreateAccumulator()
			return err
		}},
		{"sla", x.SLA, func(s string) error {
			_, err := decodeEmpty[sla.Compliance, *sla.Compliance, sla.Report](s)
			return err
		}},
		{"scoring", x.Scoring, func(s string) error {
			_, err := decodeEmpty[scoring.Evaluation, *scoring.Evaluation, scoring.EvaluationReport](s)
			return err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.fn(string(bc.empty)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(bc.empty)), "state-bytes")
		})
	}
}

// TestRecordCoders round-trips every record kind through the coders the
// pipeline registers (the leads through lead's own decoder), and checks
// their refusals.
func TestRecordCoders(t *testing.T) {
	d, err := ReadData(testFiles())
	if err != nil {
		t.Fatal(err)
	}
	records := []Record{{Lead: &d.Leads[0]}, {Lead: &d.Leads[len(d.Leads)-1]}, {Deal: &d.Deals[0]},
		{Customer: &d.Customers[0]}, {Spend: &d.Spend[0]}, {Visits: &d.Visits[0]}}
	for _, r := range records {
		b, err := encodeUnion(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeUnion(b)
		if err != nil {
			t.Fatal(err)
		}
		// The JSON of a record is its full content, amounts included.
		want, _ := json.Marshal(r)
		again, _ := json.Marshal(got)
		if string(want) != string(again) {
			t.Errorf("record changed through the coder:\n got  %.300s\n want %.300s", again, want)
		}
	}
	for _, l := range d.Leads[:20] {
		b, err := encodeLead(l)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeLeadRecord(b)
		if err != nil || !reflect.DeepEqual(got, l) {
			t.Fatalf("lead %s changed through the coder (err %v)", l.ID, err)
		}
	}
	for _, in := range []string{"", "x{}", "l{", "d{", "l", `l{"id":"L1","unknown":1}`} {
		if _, err := decodeUnion([]byte(in)); err == nil {
			t.Errorf("decodeUnion(%q) gave no error", in)
		}
	}
	if _, err := encodeUnion(Record{}); err == nil {
		t.Error("an empty record was encoded")
	}
	if _, err := decodeLeadRecord(nil); err == nil {
		t.Error("decoded a lead from nothing")
	}
}

func TestAgreement(t *testing.T) {
	a, err := alignment.DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	if a.Targets.GrossMargin.String() != "0.8" || len(a.Funnel.Stages) == 0 || len(a.Scoring.Rules) == 0 {
		t.Errorf("the report's agreement read as %+v", a.Targets)
	}
	if _, err := NewAnalyses(a, time.Time{}); err == nil {
		t.Error("analyses without an as-of")
	}
}
