package scoring_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leadkit/leadkit/internal/acctest"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
)

// matrixModel is the benchmark model with frequency limits, resets and
// engagement bands: its evaluations count conversion per fit ×
// engagement cell.
func matrixModel() scoring.Model {
	m := benchModelLimited()
	m.Bands = scoring.Bands("1", 30, "2", 10, "3")
	m.Resets = []scoring.Reset{
		{Name: "recycled", Stage: lead.StageRecycled},
		{Name: "unsubscribed", Action: scoring.AdjustEngagement, Points: -5, When: `type == "unsubscribe"`},
		{Name: "fiscal year", Yearly: "07-01"},
	}
	return m
}

func TestEvaluationMatrix(t *testing.T) {
	// Fit: 10 points at 100 employees or more; engagement: 1 point a page
	// view. Grades A ≥ 10, B below; bands 1 ≥ 3, 2 ≥ 1, 3 below.
	s := scoring.MustCompile(scoring.Model{
		Rules: []scoring.Rule{
			{Name: "big", When: `company.employees >= 100`, Points: 10},
			{Name: "views", Kind: scoring.Engagement, When: `type == "page_view"`, Points: 1},
		},
		Grades: scoring.Bands("A", 10, "B"),
		Bands:  scoring.Bands("1", 3, "2", 1, "3"),
	})
	mk := func(id string, employees, views int, conv bool) scoring.Outcome {
		l := &lead.Lead{ID: id, CreatedAt: mon, Company: lead.Company{Employees: employees}}
		for range views {
			l.Activities = append(l.Activities, lead.Activity{Type: "page_view", At: mon})
		}
		return scoring.Outcome{Lead: l, DecidedAt: mon.Add(10 * day), Converted: conv}
	}
	outcomes := []scoring.Outcome{
		mk("l1", 200, 3, true),  // fit 10 (A), engagement 3 (1): A1
		mk("l2", 200, 4, false), // A1
		mk("l3", 200, 0, true),  // A3
		mk("l4", 10, 1, true),   // fit 0 (B), engagement 1 (2): B2
		mk("l5", 10, 2, false),  // B2
		mk("l6", 10, 2, false),  // B2
	}
	rep, err := scoring.Evaluate(s, outcomes, scoring.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// A1: 2 leads, 1 converted (1/2); A3: 1 of 1; B2: 1 of 3; the other
	// cells are empty, their conversion undefined.
	type row struct {
		cell        string
		leads, conv int64
		rate        string
	}
	want := []row{
		{"A1", 2, 1, "0.5"}, {"A2", 0, 0, "undefined"}, {"A3", 1, 1, "1"},
		{"B1", 0, 0, "undefined"}, {"B2", 3, 1, "0.33"}, {"B3", 0, 0, "undefined"},
	}
	if len(rep.Matrix) != len(want) {
		t.Fatalf("%d cells, want %d: %+v", len(rep.Matrix), len(want), rep.Matrix)
	}
	for i, w := range want {
		c := rep.Matrix[i]
		rate := "undefined"
		if v, err := c.Conversion.Value(2); err == nil {
			rate = v.String()
		}
		if c.Cell != w.cell || c.Grade != w.cell[:1] || c.Band != w.cell[1:] || c.Leads != w.leads || c.Converted != w.conv || rate != w.rate {
			t.Errorf("cell %d = %+v (rate %s); want %+v", i, c, rate, w)
		}
	}
	// A model without bands has no matrix.
	rep, err = scoring.Evaluate(scoring.MustCompile(scoring.Model{Grades: scoring.Bands("A", 0, "B")}), outcomes, scoring.EvalOptions{})
	if err != nil || rep.Matrix != nil {
		t.Errorf("no bands: matrix %+v, %v", rep.Matrix, err)
	}
}

func TestEvaluationMatrixProperties(t *testing.T) {
	outcomes := sampleOutcomes(1500)
	s := scoring.MustCompile(matrixModel())
	acctest.Run(t, acctest.Harness[scoring.Evaluation, scoring.EvaluationReport]{
		New:     func() *scoring.Evaluation { return newEvaluation(t, s, evalAsOf, scoring.EvalOptions{}) },
		Records: len(outcomes),
		Add:     func(e *scoring.Evaluation, i int) error { return e.Add(outcomes[i]) },
		Merge:   func(a, b *scoring.Evaluation) error { return a.Merge(b) },
		Report:  func(e *scoring.Evaluation) (scoring.EvaluationReport, error) { return e.Report() },
		Rounds:  6,
		Seed:    11,
	})
	// Every scored lead is in one cell: the bands cover every score.
	e := newEvaluation(t, s, evalAsOf, scoring.EvalOptions{})
	for _, o := range outcomes {
		_ = e.Add(o)
	}
	rep := report(t, e)
	var n, conv int64
	for _, c := range rep.Matrix {
		n, conv = n+c.Leads, conv+c.Converted
	}
	if n != rep.Leads || conv != rep.Converted || n == 0 {
		t.Errorf("cells hold %d leads (%d converted); the report %d (%d)", n, conv, rep.Leads, rep.Converted)
	}
}

// matrixState is a small matrix evaluation whose state is pinned in
// testdata.
func matrixState(t testing.TB) *scoring.Evaluation {
	t.Helper()
	e := newEvaluation(t, scoring.MustCompile(matrixModel()), evalAsOf, scoring.EvalOptions{Resolution: 1, Thresholds: []float64{20, 40, 60}})
	for _, o := range sampleOutcomes(400) {
		if err := e.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func TestEvaluationMatrixGolden(t *testing.T) {
	e := matrixState(t)
	var state bytes.Buffer
	if err := json.Indent(&state, stateOf(t, e), "", "\t"); err != nil {
		t.Fatal(err)
	}
	state.WriteByte('\n')
	checkGolden(t, "evaluation_matrix_state.golden.json", state.Bytes())
	b, err := os.ReadFile(filepath.Join("testdata", "evaluation_matrix_state.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back scoring.Evaluation
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	r1, _ := json.Marshal(report(t, e))
	r2, _ := json.Marshal(report(t, &back))
	if !bytes.Equal(r1, r2) || !bytes.Equal(stateOf(t, &back), stateOf(t, e)) {
		t.Error("the golden matrix state decodes to another evaluation")
	}
}

// mutateMatrix returns the matrix state with f applied to its JSON.
func mutateMatrix(t testing.TB, f func(st map[string]any)) []byte {
	t.Helper()
	var st map[string]any
	d := json.NewDecoder(bytes.NewReader(stateOf(t, matrixState(t))))
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

func TestEvaluationMatrixDecodeRefuses(t *testing.T) {
	cells := func(f func(c []any)) func(map[string]any) {
		return func(st map[string]any) { f(st["cells"].([]any)) }
	}
	tests := []struct {
		name  string
		state []byte
		want  string
	}{
		{"no cells", mutateMatrix(t, func(st map[string]any) { delete(st, "cells") }), "cells: 0, want 12"},
		{"a cell short", mutateMatrix(t, func(st map[string]any) { st["cells"] = st["cells"].([]any)[1:] }), "cells: 11, want 12"},
		{"a negative cell count", mutateMatrix(t, cells(func(c []any) { c[0] = []any{-1, 0} })), "cells[0][0]: negative count -1"},
		{"a cell of three numbers", mutateMatrix(t, cells(func(c []any) { c[1] = []any{0, 0, 0} })), "cells[1]: want [converted, other], got 3 numbers"},
		{"a null cell", mutateMatrix(t, cells(func(c []any) { c[2] = nil })), "cells[2]: want [converted, other], got 0 numbers"},
		{"more leads in cells than buckets", mutateMatrix(t, cells(func(c []any) { c[0] = []any{math.MaxInt32, 0} })), "the cells hold more leads than the buckets"},
		{"cells on a model without bands", mutateState(t, func(st map[string]any) { st["cells"] = [][]int64{{0, 0}} }), "cells: 1, want 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var zero scoring.Evaluation
			if err := json.Unmarshal(tt.state, &zero); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("decode error %v; want it to contain %q", err, tt.want)
			}
			e := matrixState(t)
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
