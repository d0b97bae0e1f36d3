package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/leadkit/leadkit/examples/alignment"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/lead"
)

// The tests run on prism, Beam's portable runner, whose loopback workers
// run in this process: every PCollection crossing a stage boundary is
// encoded with its coder, and lifted combines merge partial accumulators
// after the shuffle. (The direct runner encodes nothing.)
func TestMain(m *testing.M) {
	ptest.MainWithDefault(m, "prism")
}

func testFiles() Files {
	return Files{
		Leads:     "testdata/leads.jsonl",
		Deals:     "testdata/deals.jsonl",
		Customers: "testdata/customers.jsonl",
		Spend:     "testdata/spend.jsonl",
		Visits:    "testdata/visits.jsonl",
	}
}

func testAnalyses(t *testing.T, asOf time.Time) *Analyses {
	t.Helper()
	a, err := alignment.DefaultAgreement()
	if err != nil {
		t.Fatal(err)
	}
	x, err := NewAnalyses(a, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// runPrism runs build on prism and returns the lines it wrote, the merge
// count (a Beam metric) and what crossed the wire.
func runPrism(t *testing.T, build func(s beam.Scope) beam.PCollection) ([]string, int64, map[string]WireCount, error) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "reports.jsonl")
	p, s := beam.NewPipelineWithRoot()
	textio.Write(s, out, build(s))
	wire.reset()
	res, err := prism.Execute(context.Background(), p)
	counts := wire.reset()
	if err != nil {
		return nil, 0, counts, err
	}
	var merged int64
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Key.Namespace == "leadkit" && c.Key.Name == "merges" {
			merged += c.Result()
		}
	}
	lines, err := readLines(out)
	return lines, merged, counts, err
}

// TestPipelineIsSinglePass is the promise: on prism, at several fanouts
// (so several merge counts) and as-of instants, the pipeline's report
// lines, globally and per country, are byte for byte those of one pass in
// memory; and accumulators were really encoded, decoded and merged.
func TestPipelineIsSinglePass(t *testing.T) {
	data, err := ReadData(testFiles())
	if err != nil {
		t.Fatal(err)
	}
	if len(data.Leads) < 100 || len(data.Deals) == 0 || len(data.Spend) == 0 || len(data.Visits) == 0 || len(data.Customers) == 0 {
		t.Fatalf("test data too thin: %d leads, %d deals, %d spend, %d visits, %d customers",
			len(data.Leads), len(data.Deals), len(data.Spend), len(data.Visits), len(data.Customers))
	}
	for _, tc := range []struct {
		asOf   string
		fanout int
	}{
		{"2026-01-01", 1},
		{"2026-01-01", 4},
		{"2026-01-01", 19},
		{"2025-07-01", 5}, // a cut in the middle of the data: later events invisible
	} {
		t.Run(fmt.Sprintf("%s/fanout%d", tc.asOf, tc.fanout), func(t *testing.T) {
			asOf, _ := time.Parse(time.DateOnly, tc.asOf)
			x := testAnalyses(t, asOf)
			want, err := SinglePass(x, data)
			if err != nil {
				t.Fatal(err)
			}
			got, merged, counts, err := runPrism(t, func(s beam.Scope) beam.PCollection {
				f := testFiles()
				return Build(s, x, ReadInputs(s, f.Leads, f.Deals, f.Customers, f.Spend, f.Visits), Options{Fanout: tc.fanout})
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := Compare(got, want); err != nil {
				t.Fatal(err)
			}
			// 4 global analyses + 1 line per country, and more than one
			// country, or the per-key test proves little.
			if len(want) < 4+2 {
				t.Fatalf("%d report lines; want the 4 analyses and several countries", len(want))
			}
			// MergeFn merges every shard's accumulator of every analysis
			// (and every country), so at least 4×fanout merges.
			if merged < int64(4*tc.fanout) {
				t.Errorf("%d merges; want at least %d", merged, 4*tc.fanout)
			}
			for _, typ := range []string{"*kpi.Scorecard", "*funnel.Analysis", "*sla.Compliance", "*scoring.Evaluation"} {
				c := counts[typ]
				if c.Encoded == 0 || c.Decoded == 0 {
					t.Errorf("%s: %d states encoded, %d decoded; want the accumulators to cross the wire", typ, c.Encoded, c.Decoded)
				}
				t.Logf("%-20s %4d encoded, %4d decoded, %8d bytes, largest %7d", typ, c.Encoded, c.Decoded, c.Bytes, c.Largest)
			}
			t.Logf("%d merges, %d report lines", merged, len(got))
		})
	}
}

// lossyAnalysis is a funnel analysis with a deliberately broken coder
// (lossyDecode): it keeps the definition and drops the counts, as a
// default coder blind to unexported fields would.
type lossyAnalysis struct{ funnel.Analysis }

func (a *lossyAnalysis) Merge(o *lossyAnalysis) error { return a.Analysis.Merge(&o.Analysis) }

type lossyInput struct{}

func (lossyInput) Add(a *lossyAnalysis, l lead.Lead) error { return a.Analysis.Add(&l) }

// lossyDecode decodes only the state's format, definition, fingerprint
// and as-of.
func lossyDecode(b []byte) (*lossyAnalysis, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k := range m {
		switch k {
		case "format", "definition", "fingerprint", "as_of":
		default:
			delete(m, k)
		}
	}
	kept, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	wire.add(reflect.TypeFor[*lossyAnalysis](), false, len(b))
	a := new(lossyAnalysis)
	return a, a.UnmarshalJSON(kept)
}

func lossyEncode(a *lossyAnalysis) ([]byte, error) { return a.MarshalJSON() }

func init() {
	registerAnalysis[lossyAnalysis, *lossyAnalysis, funnel.Report, lead.Lead, lossyInput]()
	beam.RegisterCoder(reflect.TypeFor[*lossyAnalysis](), lossyEncode, lossyDecode) // replaces the right one
}

// TestBrokenCoderIsCaught shows that the comparison would catch a coder
// that loses state: the same funnel, through a coder that drops the
// counts, must not match the single pass.
func TestBrokenCoderIsCaught(t *testing.T) {
	data, err := ReadData(testFiles())
	if err != nil {
		t.Fatal(err)
	}
	x := testAnalyses(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	all, err := SinglePass(x, data)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range all {
		if strings.HasPrefix(l, `{"analysis":"funnel",`) {
			want = append(want, l)
		}
	}
	got, _, counts, err := runPrism(t, func(s beam.Scope) beam.PCollection {
		leads := ReadInputs(s, testFiles().Leads, "", "", "", "").Leads
		return combine[lossyAnalysis, *lossyAnalysis, funnel.Report, lead.Lead, lossyInput](s, funnelName, x.Funnel, leads, 4)
	})
	if counts["*main.lossyAnalysis"].Decoded == 0 && err == nil {
		t.Fatalf("the broken coder was never used: %v", counts)
	}
	switch {
	case err != nil:
		t.Logf("the broken coder failed the pipeline: %.300v", err)
	case Compare(got, want) == nil:
		t.Fatal("a coder that drops the counts gave the single pass's report: the test cannot see coders")
	default:
		t.Logf("the broken coder is caught: %.300v", Compare(got, want))
	}
}

// plainAnalysis is a funnel analysis with no coder registered: Beam
// gives it its default schema coder, which sees exported fields only.
type plainAnalysis struct{ funnel.Analysis }

func (a *plainAnalysis) Merge(o *plainAnalysis) error { return a.Analysis.Merge(&o.Analysis) }

type plainInput struct{}

func (plainInput) Add(a *plainAnalysis, l lead.Lead) error { return a.Analysis.Add(&l) }

func init() {
	// The DoFns only: no coder.
	beam.RegisterType(reflect.TypeFor[CombineFn[plainAnalysis, *plainAnalysis, funnel.Report, lead.Lead, plainInput]]())
	beam.RegisterType(reflect.TypeFor[MergeFn[plainAnalysis, *plainAnalysis, funnel.Report]]())
	beam.RegisterType(reflect.TypeFor[ReportFn[plainAnalysis, *plainAnalysis, funnel.Report]]())
}

// TestDefaultCoderFailsLoudly: with Beam's default coder an accumulator
// loses its whole state on the wire (its fields are unexported). Before
// the v1 contract that silently reported revenue 0; now the decoded zero
// accumulator has no definition, so Merge refuses it and the pipeline
// fails.
func TestDefaultCoderFailsLoudly(t *testing.T) {
	x := testAnalyses(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	got, _, _, err := runPrism(t, func(s beam.Scope) beam.PCollection {
		leads := ReadInputs(s, testFiles().Leads, "", "", "", "").Leads
		return combine[plainAnalysis, *plainAnalysis, funnel.Report, lead.Lead, plainInput](s, funnelName, x.Funnel, leads, 4)
	})
	if err == nil {
		t.Fatalf("the default coder went unnoticed; report: %.300v", got)
	}
	t.Logf("the default coder failed the pipeline: ...%s", err.Error()[max(0, len(err.Error())-120):])
}
