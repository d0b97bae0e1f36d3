package scoring_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit/internal/acctest"
	"github.com/leadkit/leadkit/internal/golden"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// evalAsOf cuts the sample year three months before its end, so that
// some outcomes are decided after it.
var evalAsOf = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// sampleOutcomes returns the outcomes of n sample leads: each lead's
// first move to customer (converted) or to an exit (not converted), at
// the instant of that move. Leads still being worked have no outcome.
func sampleOutcomes(n int) []scoring.Outcome {
	leads := benchLeads(n)
	var out []scoring.Outcome
	for i := range leads {
		l := &leads[i]
		var at time.Time
		conv := false
		for _, tr := range l.History {
			if (tr.To == lead.StageCustomer || tr.To.IsExit()) && (at.IsZero() || tr.At.Before(at)) {
				at, conv = tr.At, tr.To == lead.StageCustomer
			}
		}
		if !at.IsZero() {
			out = append(out, scoring.Outcome{Lead: l, DecidedAt: at, Converted: conv})
		}
	}
	return out
}

func newEvaluation(t testing.TB, s *scoring.Scorer, asOf time.Time, opts scoring.EvalOptions) *scoring.Evaluation {
	t.Helper()
	e, err := s.NewEvaluation(asOf, opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func report(t testing.TB, e *scoring.Evaluation) scoring.EvaluationReport {
	t.Helper()
	r, err := e.Report()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestEvaluationProperties(t *testing.T) {
	outcomes := sampleOutcomes(1500)
	s := scoring.MustCompile(benchModel())
	for _, tc := range []struct {
		name string
		asOf time.Time
		opts scoring.EvalOptions
	}{
		{"no cut, defaults", time.Time{}, scoring.EvalOptions{}},
		{"as of, fit, thresholds", evalAsOf, scoring.EvalOptions{Measure: scoring.MeasureFit, Resolution: 5, Thresholds: []float64{10, 30, 50}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			acctest.Run(t, acctest.Harness[scoring.Evaluation, scoring.EvaluationReport]{
				New:     func() *scoring.Evaluation { return newEvaluation(t, s, tc.asOf, tc.opts) },
				Records: len(outcomes),
				Add:     func(e *scoring.Evaluation, i int) error { return e.Add(outcomes[i]) },
				Merge:   func(a, b *scoring.Evaluation) error { return a.Merge(b) },
				Report:  func(e *scoring.Evaluation) (scoring.EvaluationReport, error) { return e.Report() },
				Rounds:  8,
				Seed:    9,
			})
		})
	}
}

func TestEvaluationAsOf(t *testing.T) {
	outcomes := sampleOutcomes(1500)
	s := scoring.MustCompile(benchModel())
	cut := newEvaluation(t, s, evalAsOf, scoring.EvalOptions{})
	known := newEvaluation(t, s, time.Time{}, scoring.EvalOptions{})
	var later int64
	for _, o := range outcomes {
		if err := cut.Add(o); err != nil {
			t.Fatal(err)
		}
		if o.DecidedAt.After(evalAsOf) {
			later++
			continue
		}
		if err := known.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	if later == 0 || later == int64(len(outcomes)) {
		t.Fatalf("%d of %d outcomes after as-of: the test cannot tell", later, len(outcomes))
	}
	// The evaluation as of the cut is the one of the outcomes known then,
	// with the others counted as undecided.
	got, want := report(t, cut), report(t, known)
	if got.Undecided != later || got.Leads+got.Undecided != int64(len(outcomes)) {
		t.Errorf("undecided %d, leads %d; want %d undecided of %d", got.Undecided, got.Leads, later, len(outcomes))
	}
	if !got.AsOf.Equal(evalAsOf) {
		t.Errorf("report as of %v; want %v", got.AsOf, evalAsOf)
	}
	got.Undecided, got.AsOf = 0, time.Time{}
	gb, _ := json.Marshal(got)
	wb, _ := json.Marshal(want)
	if !bytes.Equal(gb, wb) {
		t.Errorf("as-of report\n%s\nwant the report of the known outcomes\n%s", gb, wb)
	}
}

func TestEvaluationCountsFailures(t *testing.T) {
	// budget is a number for some sample leads and missing for others;
	// comparing it with a string fails at run time for the first.
	s := scoring.MustCompile(scoring.Model{Rules: []scoring.Rule{{Name: "odd", When: `fields.budget == nil || fields.budget > "x"`, Points: 1}}})
	e := newEvaluation(t, s, time.Time{}, scoring.EvalOptions{})
	outcomes := sampleOutcomes(200)
	var failed int64
	for _, o := range outcomes {
		if err := e.Add(o); err != nil {
			var re *scoring.RuleError
			if !errors.As(err, &re) || re.LeadID != o.Lead.ID {
				t.Fatalf("Add error %v is not a RuleError for lead %s", err, o.Lead.ID)
			}
			failed++
		}
	}
	// A zero decision time fails too, and counts; a nil lead counts nothing.
	if err := e.Add(scoring.Outcome{Lead: outcomes[0].Lead}); err == nil || !strings.Contains(err.Error(), "decided_at: zero") {
		t.Errorf("Add with a zero DecidedAt: %v", err)
	}
	failed++
	if err := e.Add(scoring.Outcome{DecidedAt: evalAsOf}); err == nil || err.Error() != "lead: nil" {
		t.Errorf("Add with a nil lead: %v", err)
	}
	rep := report(t, e)
	if failed < 2 || rep.Failed != failed || rep.Leads+rep.Failed != int64(len(outcomes))+1 {
		t.Errorf("failed %d, leads %d; want %d failed of %d", rep.Failed, rep.Leads, failed, len(outcomes)+1)
	}
}

func TestEvaluateDuplicateLeads(t *testing.T) {
	s := scoring.MustCompile(scoring.Model{})
	at := evalAsOf
	var outcomes []scoring.Outcome
	// Leads l00..l11 twice each (12 duplicates), l99 once, and one nil lead.
	for _, round := range []int{0, 1} {
		for i := range 12 {
			outcomes = append(outcomes, scoring.Outcome{Lead: &lead.Lead{ID: "l" + string(rune('0'+i/10)) + string(rune('0'+i%10))}, DecidedAt: at, Converted: round == 0})
		}
	}
	outcomes = append(outcomes, scoring.Outcome{Lead: &lead.Lead{ID: "l99"}, DecidedAt: at}, scoring.Outcome{})
	rep, err := scoring.Evaluate(s, outcomes, scoring.EvalOptions{})
	want := `outcomes: 12 lead ids have more than one outcome: "l00", "l01", "l02", "l03", "l04", "l05", "l06", "l07", "l08", "l09" and 2 more; give each lead one outcome`
	if err == nil || err.Error() != want {
		t.Errorf("Evaluate error:\n%v\nwant:\n%s", err, want)
	}
	if rep.Leads != 0 {
		t.Errorf("Evaluate counted %d leads despite the duplicates", rep.Leads)
	}
	// Without the duplicates it evaluates, and names the nil lead.
	rep, err = scoring.Evaluate(s, outcomes[12:], scoring.EvalOptions{})
	if err == nil || err.Error() != "outcomes[13].lead: nil" || rep.Leads != 13 {
		t.Errorf("Evaluate: %d leads, error %v; want 13 and outcomes[13].lead: nil", rep.Leads, err)
	}
}

// stateOf returns e's JSON, failing the test on error.
func stateOf(t testing.TB, e *scoring.Evaluation) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEvaluationMergeRefuses(t *testing.T) {
	s := scoring.MustCompile(benchModel())
	other := scoring.MustCompile(scoring.Model{Name: "other"})
	opts := scoring.EvalOptions{Thresholds: []float64{20, 40}}
	outcomes := sampleOutcomes(100)
	base := func() *scoring.Evaluation {
		e := newEvaluation(t, s, evalAsOf, opts)
		for _, o := range outcomes[:20] {
			if err := e.Add(o); err != nil {
				t.Fatal(err)
			}
		}
		return e
	}
	// full has counts summing to MaxInt64 - 1: one more outcome overflows.
	full := func() *scoring.Evaluation {
		var st map[string]any
		if err := json.Unmarshal(stateOf(t, base()), &st); err != nil {
			t.Fatal(err)
		}
		st["buckets"] = [][]int64{}
		st["failed"] = math.MaxInt64 - 1
		b, _ := json.Marshal(st)
		var e scoring.Evaluation
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		return &e
	}
	tests := []struct {
		name string
		o    func(e *scoring.Evaluation) *scoring.Evaluation
		want string
	}{
		{"nil", func(*scoring.Evaluation) *scoring.Evaluation { return nil }, "nil *Evaluation"},
		{"itself", func(e *scoring.Evaluation) *scoring.Evaluation { return e }, "itself"},
		{"a zero evaluation", func(*scoring.Evaluation) *scoring.Evaluation { return &scoring.Evaluation{} }, "not initialized"},
		{"another model", func(*scoring.Evaluation) *scoring.Evaluation { return newEvaluation(t, other, evalAsOf, opts) }, "of model"},
		{"another measure", func(*scoring.Evaluation) *scoring.Evaluation {
			return newEvaluation(t, s, evalAsOf, scoring.EvalOptions{Measure: scoring.MeasureFit, Thresholds: opts.Thresholds})
		}, "different options"},
		{"another resolution", func(*scoring.Evaluation) *scoring.Evaluation {
			return newEvaluation(t, s, evalAsOf, scoring.EvalOptions{Resolution: 1, Thresholds: opts.Thresholds})
		}, "different options"},
		{"other thresholds", func(*scoring.Evaluation) *scoring.Evaluation {
			return newEvaluation(t, s, evalAsOf, scoring.EvalOptions{Thresholds: []float64{20}})
		}, "different options"},
		{"another as-of", func(*scoring.Evaluation) *scoring.Evaluation {
			return newEvaluation(t, s, evalAsOf.Add(time.Nanosecond), opts)
		}, "as of"},
		{"another budget", func(*scoring.Evaluation) *scoring.Evaluation {
			b, err := scoring.Compile(benchModel(), scoring.WithBudget(scoring.Budget{Steps: 1000}))
			if err != nil {
				t.Fatal(err)
			}
			return newEvaluation(t, b, evalAsOf, opts)
		}, "different budgets"},
		{"no as-of", func(*scoring.Evaluation) *scoring.Evaluation { return newEvaluation(t, s, time.Time{}, opts) }, "as of"},
		{"overflow", func(*scoring.Evaluation) *scoring.Evaluation { return full() }, "overflow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base()
			o := tt.o(e)
			before := stateOf(t, e)
			var obefore []byte
			if o != nil && o != e && o.Fingerprint() != "" {
				obefore = stateOf(t, o)
			}
			err := e.Merge(o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Merge error %v; want it to contain %q", err, tt.want)
			}
			if after := stateOf(t, e); !bytes.Equal(before, after) {
				t.Errorf("a refused Merge changed the receiver:\n%s\n%s", before, after)
			}
			if obefore != nil && !bytes.Equal(obefore, stateOf(t, o)) {
				t.Error("a refused Merge changed its argument")
			}
		})
	}
	// The equal-options merge that the table's refusals differ from works,
	// thresholds given in another order and repeated included.
	e := base()
	if err := e.Merge(newEvaluation(t, s, evalAsOf, scoring.EvalOptions{Thresholds: []float64{40, 20, 40}})); err != nil {
		t.Errorf("Merge of equal options: %v", err)
	}
	// A merge leaves no shared state: adding to the merged argument
	// afterwards does not change the receiver.
	o := base()
	if err := e.Merge(o); err != nil {
		t.Fatal(err)
	}
	before := stateOf(t, e)
	for _, oc := range outcomes[20:] {
		if err := o.Add(oc); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(before, stateOf(t, e)) {
		t.Error("adding to a merged evaluation changed the one it was merged into")
	}
}

// goldenState is a small evaluation whose state is pinned in testdata.
func goldenState(t testing.TB) *scoring.Evaluation {
	t.Helper()
	s := scoring.MustCompile(benchModel())
	e := newEvaluation(t, s, evalAsOf, scoring.EvalOptions{Resolution: 1, Thresholds: []float64{20, 40, 60}})
	for _, o := range sampleOutcomes(800) {
		if err := e.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

func TestEvaluationGolden(t *testing.T) {
	e := goldenState(t)
	var state bytes.Buffer
	if err := json.Indent(&state, stateOf(t, e), "", "\t"); err != nil {
		t.Fatal(err)
	}
	state.WriteByte('\n')
	checkGolden(t, "evaluation_state.golden.json", state.Bytes())
	rep, err := json.MarshalIndent(report(t, e), "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "evaluation_report.golden.json", append(rep, '\n'))

	// The golden state decodes into a zero value that reports the same
	// and re-encodes to the same bytes.
	b, err := os.ReadFile(filepath.Join("testdata", "evaluation_state.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back scoring.Evaluation
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stateOf(t, &back), stateOf(t, e)) {
		t.Error("the golden state re-encodes differently")
	}
	rb, _ := json.MarshalIndent(report(t, &back), "", "\t")
	if !bytes.Equal(rb, rep) {
		t.Errorf("the decoded golden state reports\n%s\nwant\n%s", rb, rep)
	}
}

// mutate returns the golden state with f applied to its decoded JSON.
func mutateState(t testing.TB, f func(st map[string]any)) []byte {
	t.Helper()
	var st map[string]any
	d := json.NewDecoder(bytes.NewReader(stateOf(t, goldenState(t))))
	d.UseNumber()
	if err := d.Decode(&st); err != nil {
		t.Fatal(err)
	}
	f(st)
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEvaluationDecodeRefuses(t *testing.T) {
	set := func(k string, v any) func(map[string]any) { return func(st map[string]any) { st[k] = v } }
	def := func(f func(m map[string]any)) func(map[string]any) {
		return func(st map[string]any) { f(st["definition"].(map[string]any)) }
	}
	opt := func(k string, v any) func(map[string]any) {
		return func(st map[string]any) { st["options"].(map[string]any)[k] = v }
	}
	tests := []struct {
		name  string
		state []byte
		want  string
	}{
		{"not JSON", []byte(`{"format":`), "unexpected end"},
		{"null", []byte(`null`), "format"},
		{"an array", []byte(`[]`), "cannot unmarshal array"},
		{"data after the state", append(mutateState(t, func(map[string]any) {}), " {}"...), "after"},
		{"an unknown field", mutateState(t, set("bucket", 1)), `unknown field "bucket"`},
		{"another format", mutateState(t, set("format", "leadkit.scoring/2")), `format "leadkit.scoring/2"`},
		{"no format", mutateState(t, func(st map[string]any) { delete(st, "format") }), `field "format" missing`},
		{"no definition", mutateState(t, func(st map[string]any) { delete(st, "definition") }), `field "definition" missing`},
		{"a definition with an unknown field", mutateState(t, def(func(m map[string]any) { m["halflife"] = "7d" })), "definition.halflife: unknown field"},
		{"a definition that does not compile", mutateState(t, def(func(m map[string]any) {
			m["rules"].([]any)[0].(map[string]any)["when"] = "titel == 1"
		})), "definition.rules[0].when"},
		{"an edited definition", mutateState(t, def(func(m map[string]any) { m["name"] = "edited" })), "does not match the definition"},
		{"an edited fingerprint", mutateState(t, set("fingerprint", "0123456789abcdef")), "does not match the definition"},
		{"no budget", mutateState(t, func(st map[string]any) { delete(st, "budget") }), `field "budget" missing`},
		{"no buckets", mutateState(t, func(st map[string]any) { delete(st, "buckets") }), `field "buckets" missing`}, // a coder that drops the counts
		{"a negative budget", mutateState(t, func(st map[string]any) { st["budget"].(map[string]any)["memory"] = -1 }), "must be positive"},
		{"an unknown budget field", mutateState(t, func(st map[string]any) { st["budget"].(map[string]any)["time"] = 1 }), `unknown field "time"`},
		{"an unknown option", mutateState(t, opt("measures", "fit")), `unknown field "measures"`},
		{"an invalid resolution", mutateState(t, opt("resolution", -1)), "options.resolution: -1 is outside"},
		{"an unknown measure", mutateState(t, opt("measure", "grade")), `options.measure: unknown "grade"`},
		{"a measure left to its default", mutateState(t, func(st map[string]any) { delete(st["options"].(map[string]any), "measure") }), "canonical"},
		{"unsorted thresholds", mutateState(t, opt("thresholds", []int{40, 20, 60})), "canonical"},
		{"repeated thresholds", mutateState(t, opt("thresholds", []int{20, 20, 40, 60})), "canonical"},
		{"a bad as-of", mutateState(t, set("as_of", "yesterday")), "as_of"},
		{"a negative undecided count", mutateState(t, set("undecided", -1)), "undecided: negative count -1"},
		{"a negative failed count", mutateState(t, set("failed", -3)), "failed: negative count -3"},
		{"a negative bucket count", mutateState(t, set("buckets", [][]int64{{5, 1, -2}})), "buckets[0][2]: negative count -2"},
		{"a null bucket", mutateState(t, set("buckets", []any{nil})), "buckets[0]: want [score, converted, other], got 0 numbers"},
		{"a bucket of two numbers", mutateState(t, set("buckets", [][]int64{{5, 1}})), "got 2 numbers"},
		{"a bucket of four numbers", mutateState(t, set("buckets", [][]int64{{5, 1, 2, 3}})), "got 4 numbers"},
		{"a bucket as an object", mutateState(t, set("buckets", map[string]any{"5": nil})), "cannot unmarshal object"},
		{"a fractional count", mutateState(t, set("buckets", []any{[]any{5, 1.5, 1}})), "cannot unmarshal number 1.5"},
		{"an empty bucket", mutateState(t, set("buckets", [][]int64{{5, 0, 0}})), "buckets[0]: empty bucket"},
		{"buckets out of order", mutateState(t, set("buckets", [][]int64{{5, 1, 0}, {4, 1, 0}})), "buckets[1]: score 4 does not follow 5"},
		{"a bucket twice", mutateState(t, set("buckets", [][]int64{{5, 1, 0}, {5, 1, 0}})), "buckets[1]: score 5 does not follow 5"},
		{"a score out of range", mutateState(t, set("buckets", [][]int64{{1<<53 + 1, 1, 0}})), "out of range"},
		{"counts that overflow", mutateState(t, func(st map[string]any) {
			st["failed"] = math.MaxInt64
			st["buckets"] = [][]int64{{5, 1, 0}}
		}), "overflows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Into a zero value, and into a working evaluation that must
			// stay as it was.
			var zero scoring.Evaluation
			if err := json.Unmarshal(tt.state, &zero); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decode error %v; want it to contain %q", err, tt.want)
			}
			e := goldenState(t)
			before := stateOf(t, e)
			if err := e.UnmarshalJSON(tt.state); err == nil {
				t.Error("UnmarshalJSON accepted the state")
			}
			if !bytes.Equal(before, stateOf(t, e)) {
				t.Error("a refused decode changed the receiver")
			}
		})
	}
}

func TestEvaluationNil(t *testing.T) {
	var nilE *scoring.Evaluation
	var nilS *scoring.Scorer
	s := scoring.MustCompile(scoring.Model{})
	ok := newEvaluation(t, s, time.Time{}, scoring.EvalOptions{})
	tests := []struct {
		name string
		call func() error
	}{
		{"(*Scorer)(nil).NewEvaluation", func() error { _, err := nilS.NewEvaluation(time.Time{}, scoring.EvalOptions{}); return err }},
		{"Evaluate with a nil scorer", func() error { _, err := scoring.Evaluate(nil, nil, scoring.EvalOptions{}); return err }},
		{"(*Evaluation)(nil).Add", func() error { return nilE.Add(scoring.Outcome{Lead: &lead.Lead{}, DecidedAt: evalAsOf}) }},
		{"(*Evaluation)(nil).Merge", func() error { return nilE.Merge(ok) }},
		{"(*Evaluation)(nil).Report", func() error { _, err := nilE.Report(); return err }},
		{"(*Evaluation)(nil).MarshalJSON", func() error { _, err := nilE.MarshalJSON(); return err }},
		{"(*Evaluation)(nil).UnmarshalJSON", func() error { return nilE.UnmarshalJSON(stateOf(t, ok)) }},
		{"zero Evaluation Add", func() error {
			return new(scoring.Evaluation).Add(scoring.Outcome{Lead: &lead.Lead{}, DecidedAt: evalAsOf})
		}},
		{"zero Evaluation Merge", func() error { return new(scoring.Evaluation).Merge(ok) }},
		{"zero Evaluation Report", func() error { _, err := new(scoring.Evaluation).Report(); return err }},
		{"zero Evaluation json.Marshal", func() error { _, err := json.Marshal(new(scoring.Evaluation)); return err }},
		{"Add with a nil lead", func() error { return ok.Add(scoring.Outcome{DecidedAt: evalAsOf}) }},
		{"Merge(nil)", func() error { return ok.Merge(nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); err == nil {
				t.Error("no error")
			}
		})
	}
	// The accessors of a nil or zero Evaluation return zero values.
	for _, e := range []*scoring.Evaluation{nil, {}} {
		if !e.AsOf().IsZero() || e.Fingerprint() != "" || e.Options().Resolution != 0 {
			t.Errorf("accessors of %#v: %v %q %+v", e, e.AsOf(), e.Fingerprint(), e.Options())
		}
	}
	// Nil outcomes are an empty evaluation.
	rep, err := scoring.Evaluate(s, nil, scoring.EvalOptions{})
	if err != nil || rep.Leads != 0 || rep.AUC.Defined() {
		t.Errorf("Evaluate(nil outcomes) = %+v, %v", rep, err)
	}
	if rep, _ := ok.Report(); rep.Leads != 0 {
		t.Error("a nil lead was counted")
	}
}

// TestEvaluationConcurrent builds evaluations on several goroutines from
// one Scorer (run it with -race): the merged report equals the
// single-goroutine one.
func TestEvaluationConcurrent(t *testing.T) {
	outcomes := sampleOutcomes(800)
	s := scoring.MustCompile(benchModel())
	whole := newEvaluation(t, s, evalAsOf, scoring.EvalOptions{})
	for _, o := range outcomes {
		if err := whole.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	const workers = 4
	parts := make([]*scoring.Evaluation, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := s.NewEvaluation(evalAsOf, scoring.EvalOptions{})
			if err != nil {
				errs[w] = err
				return
			}
			for i := w; i < len(outcomes); i += workers {
				if err := e.Add(outcomes[i]); err != nil {
					errs[w] = err
					return
				}
			}
			parts[w] = e
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	for _, p := range parts[1:] {
		if err := parts[0].Merge(p); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := json.Marshal(report(t, parts[0]))
	b, _ := json.Marshal(report(t, whole))
	if !bytes.Equal(a, b) {
		t.Errorf("concurrent report\n%s\nwant\n%s", a, b)
	}
}

// inUnit reports whether a defined ratio lies in [0, 1].
func inUnit(r kpi.Ratio) bool {
	f, ok := r.Float64()
	return !r.Defined() || ok && f >= 0 && f <= 1
}

// FuzzEvaluationState decodes arbitrary bytes as an evaluation's state.
// When they decode, the evaluation must Add a sample lead, Merge with a
// copy of itself and with a fresh one, and Report without panicking, with
// non-negative counts and rates within [0, 1].
func FuzzEvaluationState(f *testing.F) {
	good := stateOf(f, goldenState(f))
	f.Add(good)
	for _, m := range []func(map[string]any){
		func(st map[string]any) { st["buckets"] = map[string]any{"5": nil} },
		func(st map[string]any) { st["buckets"] = [][]int64{{5, -1, 2}} },
		func(st map[string]any) { st["undecided"] = math.MaxInt64 },
		func(st map[string]any) { st["buckets"] = [][]int64{{-1 << 53, 1, 0}, {1 << 53, 0, 1}} },
		func(st map[string]any) { st["options"] = map[string]any{"measure": "total", "resolution": 1e-6} },
		func(st map[string]any) { st["as_of"] = "0001-01-01T00:00:00Z" },
	} {
		f.Add(mutateState(f, m))
	}
	f.Add(stateOf(f, matrixState(f)))
	f.Add(mutateMatrix(f, func(st map[string]any) { st["cells"] = [][]int64{{1, 0}} }))
	outcome := sampleOutcomes(40)[0]
	f.Fuzz(func(t *testing.T, data []byte) {
		var e scoring.Evaluation
		if json.Unmarshal(data, &e) != nil {
			return
		}
		_ = e.Add(outcome)
		state := stateOf(t, &e)
		var cp scoring.Evaluation
		if err := json.Unmarshal(state, &cp); err != nil {
			t.Fatalf("state does not decode again: %v\n%s", err, state)
		}
		var st map[string]any
		if err := json.Unmarshal(state, &st); err != nil {
			t.Fatal(err)
		}
		st["buckets"], st["undecided"], st["failed"] = []any{}, 0, 0
		if c, ok := st["cells"].([]any); ok {
			for i := range c {
				c[i] = []int{0, 0}
			}
		}
		freshState, _ := json.Marshal(st)
		var fresh scoring.Evaluation
		if err := json.Unmarshal(freshState, &fresh); err != nil {
			t.Fatalf("an emptied state does not decode: %v", err)
		}
		if err := e.Merge(&fresh); err != nil {
			t.Fatalf("merge with a fresh evaluation: %v", err)
		}
		_ = e.Merge(&cp) // may overflow; must not panic
		rep, err := e.Report()
		if err != nil {
			t.Fatal(err)
		}
		if rep.Leads < 0 || rep.Converted < 0 || rep.Converted > rep.Leads || rep.Undecided < 0 || rep.Failed < 0 {
			t.Fatalf("counts out of range: %+v", rep)
		}
		if !inUnit(rep.AUC) || !inUnit(rep.BaseRate) {
			t.Fatalf("rates out of [0, 1]: AUC %v, base rate %v", rep.AUC, rep.BaseRate)
		}
		var n int64
		for _, b := range rep.Bands {
			n += b.Leads
			if b.Leads < 0 || b.Converted < 0 || b.Converted > b.Leads || !inUnit(b.Conversion) {
				t.Fatalf("band out of range: %+v", b)
			}
		}
		if n != rep.Leads {
			t.Fatalf("bands hold %d leads of %d", n, rep.Leads)
		}
		var inCells int64
		for _, c := range rep.Matrix {
			inCells += c.Leads
			if c.Leads < 0 || c.Converted < 0 || c.Converted > c.Leads || !inUnit(c.Conversion) {
				t.Fatalf("matrix cell out of range: %+v", c)
			}
		}
		if inCells > rep.Leads {
			t.Fatalf("the matrix holds %d leads of %d", inCells, rep.Leads)
		}
		for _, r := range rep.Thresholds {
			if r.Above < 0 || r.Captured < 0 || r.Captured > r.Above || !inUnit(r.Precision) || !inUnit(r.Recall) {
				t.Fatalf("threshold row out of range: %+v", r)
			}
		}
	})
}

// BenchmarkEvaluation reports the cost of Add per outcome against a
// plain ScoreInto of the same leads (the baseline: Add is ScoreInto plus
// one map update), and the size of the JSON state.
func BenchmarkEvaluation(b *testing.B) {
	outcomes := sampleOutcomes(benchN)
	s := scoring.MustCompile(benchModel())
	b.Run("ScoreInto", func(b *testing.B) {
		var r scoring.Result
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			o := &outcomes[i%len(outcomes)]
			if err := s.ScoreInto(&r, o.Lead, o.DecidedAt); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Add", func(b *testing.B) {
		e := newEvaluation(b, s, time.Time{}, scoring.EvalOptions{})
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if err := e.Add(outcomes[i%len(outcomes)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEvaluationState reports the JSON state size after the
// outcomes of 10k and 100k sample leads (run with -benchtime 1x): it
// grows with the distinct rounded scores, not with the leads.
func BenchmarkEvaluationState(b *testing.B) {
	s := scoring.MustCompile(benchModel())
	for _, n := range []int{10_000, 100_000} {
		outcomes := sampleOutcomes(n)
		for _, res := range []float64{0.01, 1} {
			b.Run("leads="+itoa(n)+"/resolution="+map[float64]string{0.01: "0.01", 1: "1"}[res], func(b *testing.B) {
				var size int
				for b.Loop() {
					e := newEvaluation(b, s, time.Time{}, scoring.EvalOptions{Resolution: res})
					for _, o := range outcomes {
						if err := e.Add(o); err != nil {
							b.Fatal(err)
						}
					}
					size = len(stateOf(b, e))
				}
				b.ReportMetric(float64(size), "state-bytes")
				b.ReportMetric(float64(len(outcomes)), "outcomes")
			})
		}
	}
}

// BenchmarkEvaluationDecode reports the cost of decoding an evaluation's
// state into a zero value, which compiles its model, against compiling
// the same model alone (the baseline).
func BenchmarkEvaluationDecode(b *testing.B) {
	state := stateOf(b, goldenState(b))
	b.Run("Compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := scoring.Compile(benchModel()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var e scoring.Evaluation
			if err := json.Unmarshal(state, &e); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(state)), "state-bytes")
	})
}
