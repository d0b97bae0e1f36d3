package scoring

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
)

// Outcome is a lead whose outcome is known: the lead, the instant its
// outcome was decided (it is scored as of then, so nothing it did
// afterwards leaks into the score), and whether it converted.
type Outcome struct {
	Lead      *lead.Lead
	DecidedAt time.Time
	Converted bool
}

// Measure names the score an evaluation ranks leads by.
type Measure string

// The scores an evaluation can rank by.
const (
	MeasureTotal      Measure = "total"
	MeasureFit        Measure = "fit"
	MeasureEngagement Measure = "engagement"
)

// Bounds of [EvalOptions].
const (
	// MinResolution and MaxResolution bound EvalOptions.Resolution.
	MinResolution = 1e-6
	MaxResolution = 1e6
	// MaxThresholds bounds the number of EvalOptions.Thresholds, and of
	// the thresholds a report makes when none are given.
	MaxThresholds = 1000
)

// maxBucket bounds a score in units of the resolution, so that it
// converts to int64 and back to float64 exactly.
const maxBucket = 1 << 53

// EvalOptions configures an [Evaluation]. The zero EvalOptions ranks by
// the total score at a resolution of 0.01 points, with thresholds every 10
// points.
type EvalOptions struct {
	// Measure is the score to rank by; empty means MeasureTotal.
	Measure Measure `json:"measure,omitempty"`
	// Resolution is the width of the score buckets the evaluation keeps:
	// scores are rounded to a multiple of it (half away from zero). AUC
	// and the tables are exact for the rounded scores. Zero means 0.01;
	// otherwise it lies in [MinResolution, MaxResolution].
	Resolution float64 `json:"resolution,omitempty"`
	// Thresholds are the candidate thresholds of the threshold table,
	// and the band edges of the band table, at most MaxThresholds finite
	// numbers; their order and repeats do not matter. Empty means every
	// multiple of 10 points from the lowest score seen to the highest (of
	// 100, 1000, ... points when 10 would give more than MaxThresholds).
	Thresholds []float64 `json:"thresholds,omitempty"`
}

// Validate reports every problem with the options at once, each a
// *[leadkit.Error] with its path, joined with errors.Join.
func (o EvalOptions) Validate() error {
	var errs []error
	switch o.Measure {
	case "", MeasureTotal, MeasureFit, MeasureEngagement:
	default:
		errs = append(errs, leadkit.Errorf("measure", "unknown %q; use total, fit or engagement", o.Measure))
	}
	if r := o.Resolution; r != 0 && !(r >= MinResolution && r <= MaxResolution) {
		errs = append(errs, leadkit.Errorf("resolution", "%v is outside [%g, %g]", r, MinResolution, MaxResolution))
	}
	if len(o.Thresholds) > MaxThresholds {
		errs = append(errs, leadkit.Errorf("thresholds", "%d thresholds; at most %d", len(o.Thresholds), MaxThresholds))
	}
	for i, t := range o.Thresholds {
		if math.IsNaN(t) || math.IsInf(t, 0) {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("thresholds[%d]", i), "%v is not a finite number", t))
		}
	}
	return errors.Join(errs...)
}

// canonical returns o with its defaults filled in and its thresholds
// sorted without repeats: the form an Evaluation keeps and encodes.
func (o EvalOptions) canonical() EvalOptions {
	if o.Measure == "" {
		o.Measure = MeasureTotal
	}
	if o.Resolution == 0 {
		o.Resolution = 0.01
	}
	o.Thresholds = slices.Clone(o.Thresholds)
	slices.Sort(o.Thresholds)
	o.Thresholds = slices.Compact(o.Thresholds)
	if len(o.Thresholds) == 0 {
		o.Thresholds = nil
	}
	for i, t := range o.Thresholds {
		if t == 0 {
			o.Thresholds[i] = 0 // -0 and 0 are one threshold
		}
	}
	return o
}

func (o EvalOptions) equal(p EvalOptions) bool {
	return o.Measure == p.Measure && o.Resolution == p.Resolution && slices.Equal(o.Thresholds, p.Thresholds)
}

// Evaluation is the accumulator that compares a scoring model with real
// outcomes. Make one with [Scorer.NewEvaluation]; [Evaluation.Add] an
// [Outcome] per lead whose outcome is known, which is scored as of the
// instant it was decided; [Evaluation.Merge] evaluations built on shards;
// [Evaluation.Report] gives conversion by score band, the AUC and a
// threshold table.
//
// Its state is a histogram of rounded scores with converted and other
// counts per bucket, so memory grows with the number of distinct rounded
// scores (at most the score range over the resolution), never with the
// number of leads, and any split of the same outcomes, merged in any
// order, gives the identical report. Because the state does not keep lead
// ids, an Evaluation cannot see that a lead was added twice; [Evaluate]
// checks its slice for that.
//
// An Evaluation is opaque. Its JSON form (MarshalJSON) is
// self-describing: a format version, the model in full, its fingerprint,
// the scorer's [Budget], the options, the as-of instant and the counts.
// json.Unmarshal into a zero Evaluation compiles the model again (with
// that budget) and gives an evaluation that can Add, Merge and Report
// like the original.
//
// The zero Evaluation is not ready for use: its methods return an error
// (except UnmarshalJSON, which makes it ready). An Evaluation is not safe
// for concurrent use; give each goroutine its own and Merge them. The
// [Scorer] it holds is immutable and shared.
type Evaluation struct {
	scorer  *Scorer
	opts    EvalOptions // canonical
	asOf    time.Time   // UTC; zero: no cut
	buckets map[int64]evalCount
	// cells counts the scored leads per fit × engagement matrix cell,
	// grade-major (see Scorer.Cells); nil when the model has no matrix.
	cells []evalCount
	// total is every outcome counted: the buckets, undecided and failed.
	total             int64
	undecided, failed int64
	scratch           Result // reused by Add; not state
}

type evalCount struct{ converted, other int64 }

// NewEvaluation returns an empty evaluation of the scorer's model as of
// asOf, or the options' problems (see [EvalOptions.Validate]).
//
// Outcomes decided after asOf are not known at asOf: Add skips them and
// the report counts them as Undecided. A zero asOf means no cut: every
// outcome counts. An asOf outside the years 1 to 9999 is an error (it
// could not be encoded).
func (s *Scorer) NewEvaluation(asOf time.Time, opts EvalOptions) (*Evaluation, error) {
	if s == nil {
		return nil, errors.New("scoring: NewEvaluation on a nil *Scorer")
	}
	if err := errors.Join(checkAsOf(asOf), opts.Validate()); err != nil {
		return nil, err
	}
	return &Evaluation{scorer: s, opts: opts.canonical(), asOf: asOf.UTC(), buckets: map[int64]evalCount{}, cells: s.newCells()}, nil
}

// newCells returns the zero counts of the model's matrix cells, or nil.
func (s *Scorer) newCells() []evalCount {
	if n := len(s.grades) * len(s.bands); n > 0 {
		return make([]evalCount, n)
	}
	return nil
}

// cellIndex returns the matrix cell of a result's fit and engagement, in
// grade-major order, or -1.
func (s *Scorer) cellIndex(r *Result) int {
	if len(s.bands) == 0 || len(s.grades) == 0 {
		return -1
	}
	gi, bi := band(s.grades, r.Fit), band(s.bands, r.Engagement)
	if gi < 0 || bi < 0 {
		return -1
	}
	return gi*len(s.bands) + bi
}

func checkAsOf(t time.Time) error {
	if y := t.UTC().Year(); !t.IsZero() && (y < 1 || y > 9999) {
		return leadkit.Errorf("as_of", "%v is outside the years 1 to 9999", t)
	}
	return nil
}

var errNotReady = errors.New("scoring: evaluation not initialized; make it with Scorer.NewEvaluation or decode it from its JSON")

func (e *Evaluation) ready() error {
	if e == nil || e.scorer == nil {
		return errNotReady
	}
	return nil
}

// Add scores o.Lead as of o.DecidedAt and counts the score with the
// outcome. An outcome decided after the evaluation's as-of is not known
// then: it is not scored, and is counted as Undecided.
//
// A nil o.Lead is an error and counts nothing. A zero DecidedAt, a lead
// the model fails to score (a *[RuleError]) and a score that is not a
// finite number, or too large for the resolution, are errors too; each is
// counted as Failed in the report, so that nothing is left out without
// being counted.
func (e *Evaluation) Add(o Outcome) error {
	if err := e.ready(); err != nil {
		return err
	}
	if o.Lead == nil {
		return leadkit.Errorf("lead", "nil")
	}
	if e.total == math.MaxInt64 {
		return errors.New("scoring: evaluation is full: it counts math.MaxInt64 outcomes")
	}
	if !e.asOf.IsZero() && o.DecidedAt.After(e.asOf) {
		e.undecided++
		e.total++
		return nil
	}
	k, err := e.score(o)
	if err != nil {
		e.failed++
		e.total++
		return err
	}
	e.count(k, e.scorer.cellIndex(&e.scratch), o.Converted)
	return nil
}

// count counts one lead in bucket k and matrix cell cell (none when
// negative); the caller has checked e.total.
func (e *Evaluation) count(k int64, cell int, converted bool) {
	c := e.buckets[k]
	c.add(converted)
	e.buckets[k] = c
	if cell >= 0 && cell < len(e.cells) {
		e.cells[cell].add(converted)
	}
	e.total++
}

func (c *evalCount) add(converted bool) {
	if converted {
		c.converted++
	} else {
		c.other++
	}
}

// score returns o's bucket.
func (e *Evaluation) score(o Outcome) (int64, error) {
	if o.DecidedAt.IsZero() {
		return 0, leadkit.Errorf("decided_at", "zero: the instant the outcome was decided is required (lead %q)", o.Lead.ID)
	}
	r := &e.scratch
	if err := e.scorer.ScoreInto(r, o.Lead, o.DecidedAt); err != nil {
		return 0, err
	}
	return e.bucket(r, o.Lead.ID)
}

// bucket returns the bucket of r's measure.
func (e *Evaluation) bucket(r *Result, id string) (int64, error) {
	var v float64
	switch e.opts.Measure {
	case MeasureFit:
		v = r.Fit
	case MeasureEngagement:
		v = r.Engagement
	default:
		v = r.Total
	}
	q := math.Round(v / e.opts.Resolution)
	if math.IsNaN(q) || math.Abs(q) > maxBucket {
		return 0, leadkit.Errorf("lead", "lead %q: its %s score %v is not a finite number within ±%g", id, e.opts.Measure, v, maxBucket*e.opts.Resolution)
	}
	return int64(q), nil
}

// value returns bucket k's score, rounded to the resolution's decimal
// places so that 0.3 prints as 0.3, not 0.30000000000000004.
func (e *Evaluation) value(k int64) float64 {
	v := float64(k) * e.opts.Resolution
	places := max(0, int(math.Ceil(-math.Log10(e.opts.Resolution)))+1)
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Merge adds o's counts to e. It refuses a nil o, e itself, and an
// evaluation of another model (by fingerprint), scored with another
// [Budget], with other options or another as-of, and counts that would
// overflow; on error e is unchanged. o is not changed, and e shares no
// mutable memory with it afterwards (only the immutable Scorer).
func (e *Evaluation) Merge(o *Evaluation) error {
	if err := e.ready(); err != nil {
		return err
	}
	switch {
	case o == nil:
		return errors.New("scoring: merge with a nil *Evaluation")
	case o == e:
		return errors.New("scoring: an evaluation cannot merge with itself")
	case o.scorer == nil:
		return errors.New("scoring: merge with an evaluation that is not initialized")
	case o.scorer.Fingerprint() != e.scorer.Fingerprint():
		return fmt.Errorf("scoring: cannot merge an evaluation of model %s into one of model %s", o.scorer.Fingerprint(), e.scorer.Fingerprint())
	case o.scorer.Budget() != e.scorer.Budget():
		return fmt.Errorf("scoring: cannot merge evaluations scored with different budgets (%+v and %+v)", e.scorer.Budget(), o.scorer.Budget())
	case !o.opts.equal(e.opts):
		return fmt.Errorf("scoring: cannot merge evaluations with different options (%+v and %+v)", e.opts, o.opts)
	case !o.asOf.Equal(e.asOf):
		return fmt.Errorf("scoring: cannot merge evaluations as of %v and %v", e.asOf, o.asOf)
	}
	if e.total > math.MaxInt64-o.total {
		return errors.New("scoring: merge would overflow the evaluation's counts")
	}
	// Every count is at most total, so no sum below overflows either.
	for k, oc := range o.buckets {
		c := e.buckets[k]
		e.buckets[k] = evalCount{c.converted + oc.converted, c.other + oc.other}
	}
	for i := range min(len(e.cells), len(o.cells)) { // equal: one model
		e.cells[i].converted += o.cells[i].converted
		e.cells[i].other += o.cells[i].other
	}
	e.total += o.total
	e.undecided += o.undecided
	e.failed += o.failed
	return nil
}

// AsOf returns the evaluation's as-of instant, in UTC; zero means no cut
// (and is what a nil or zero Evaluation returns).
func (e *Evaluation) AsOf() time.Time {
	if e == nil {
		return time.Time{}
	}
	return e.asOf
}

// Fingerprint returns the fingerprint of the evaluation's model (see
// [Scorer.Fingerprint]); "" for a nil or zero Evaluation.
func (e *Evaluation) Fingerprint() string {
	if e.ready() != nil {
		return ""
	}
	return e.scorer.Fingerprint()
}

// Options returns the evaluation's options with their defaults filled in
// and the thresholds sorted.
func (e *Evaluation) Options() EvalOptions {
	if e == nil {
		return EvalOptions{}
	}
	o := e.opts
	o.Thresholds = slices.Clone(o.Thresholds)
	return o
}

// EvaluationReport is what an [Evaluation] found.
type EvaluationReport struct {
	// Fingerprint is the fingerprint of the model evaluated.
	Fingerprint string `json:"fingerprint"`
	// Measure is the score the leads were ranked by.
	Measure Measure `json:"measure"`
	// AsOf is the evaluation's as-of instant; zero (and omitted from the
	// JSON) when it has none.
	AsOf time.Time `json:"as_of,omitzero"`
	// Leads and Converted count the leads scored and those that
	// converted; BaseRate is Converted / Leads.
	Leads     int64     `json:"leads"`
	Converted int64     `json:"converted"`
	BaseRate  kpi.Ratio `json:"base_rate"`
	// Undecided counts the outcomes decided after the as-of, left out.
	Undecided int64 `json:"undecided"`
	// Failed counts the outcomes left out because Add returned an error
	// for them (other than for a nil lead).
	Failed int64 `json:"failed"`
	// AUC is the area under the ROC curve: the probability that a
	// converted lead, drawn at random, scores higher than a lead that did
	// not convert, with ties counting one half. 0.5 is no better than
	// chance. It is exact for the rounded scores: (2·C + T) / (2·P·N)
	// with C the converted/other pairs ranked right, T the tied pairs,
	// P and N the two counts; undefined when either count is zero.
	AUC kpi.Ratio `json:"auc"`
	// Bands gives the conversion of the leads between consecutive
	// thresholds, highest band first.
	Bands []Band `json:"bands"`
	// Thresholds says, for each candidate threshold, what qualifying the
	// leads that score at or above it would have given.
	Thresholds []ThresholdRow `json:"thresholds"`
	// Matrix gives the conversion of the leads in each cell of the
	// model's fit × engagement matrix, grade by grade, best first, and
	// in each grade band by band, best first (see [Scorer.Cells]); empty
	// cells included. Nil when the model has no grades or no bands.
	// Leads whose scores fall in no band are in no cell.
	Matrix []MatrixCell `json:"matrix,omitempty"`
}

// MatrixCell is the conversion of the leads in one cell of the fit ×
// engagement matrix. Conversion is undefined for an empty cell.
type MatrixCell struct {
	Cell       string    `json:"cell"`  // Grade followed by Band ("A1")
	Grade      string    `json:"grade"` // the fit grade
	Band       string    `json:"band"`  // the engagement band
	Leads      int64     `json:"leads"`
	Converted  int64     `json:"converted"`
	Conversion kpi.Ratio `json:"conversion"`
}

// Band is the conversion of the leads whose score lies in [Min, Max).
// Min is nil for the lowest band and Max nil for the highest.
type Band struct {
	Min        *float64  `json:"min"`
	Max        *float64  `json:"max"`
	Leads      int64     `json:"leads"`
	Converted  int64     `json:"converted"`
	Conversion kpi.Ratio `json:"conversion"`
}

// ThresholdRow is the outcome of qualifying every lead that scores at or
// above Threshold: Above leads, of which Captured converted. Precision is
// Captured / Above (how many of the qualified leads convert: what sales
// cares about); Recall is Captured / all converted (how many of the
// conversions the threshold lets through: what marketing cares about).
type ThresholdRow struct {
	Threshold float64   `json:"threshold"`
	Above     int64     `json:"above"`
	Captured  int64     `json:"captured"`
	Precision kpi.Ratio `json:"precision"`
	Recall    kpi.Ratio `json:"recall"`
}

// Report computes the evaluation's figures. It does not change e; it
// returns an error only for a nil or zero Evaluation.
func (e *Evaluation) Report() (EvaluationReport, error) {
	if err := e.ready(); err != nil {
		return EvaluationReport{}, err
	}
	rep := EvaluationReport{
		Fingerprint: e.scorer.Fingerprint(), Measure: e.opts.Measure, AsOf: e.asOf,
		Undecided: e.undecided, Failed: e.failed,
	}
	keys := slices.Sorted(maps.Keys(e.buckets))

	// AUC: walk the buckets from the lowest score up, counting for each
	// converted lead the others strictly below it and those tied with it.
	// The sums stay below total² and are kept in decimal.
	var concordant, ties decimal.Decimal
	var otherBelow int64
	for _, k := range keys {
		b := e.buckets[k]
		rep.Leads += b.converted + b.other
		rep.Converted += b.converted
		conv := decimal.NewFromInt(b.converted)
		concordant = concordant.Add(conv.Mul(decimal.NewFromInt(otherBelow)))
		ties = ties.Add(conv.Mul(decimal.NewFromInt(b.other)))
		otherBelow += b.other
	}
	rep.BaseRate = kpi.RatioOf(rep.Converted, rep.Leads)
	pairs := decimal.NewFromInt(rep.Converted).Mul(decimal.NewFromInt(rep.Leads - rep.Converted))
	rep.AUC = kpi.NewRatio(concordant.Mul(decimal.NewFromInt(2)).Add(ties), pairs.Mul(decimal.NewFromInt(2)))

	thresholds := e.opts.Thresholds
	if len(thresholds) == 0 && len(keys) > 0 {
		thresholds = defaultThresholds(e.value(keys[0]), e.value(keys[len(keys)-1]))
	}
	// Bands between consecutive thresholds, and the cumulative counts at
	// or above each threshold, in one pass from the top down.
	type count struct{ leads, conv int64 }
	band := make([]count, len(thresholds)+1) // band[i] = [t[i-1], t[i])
	for _, k := range keys {
		v, b := e.value(k), e.buckets[k]
		i, found := slices.BinarySearch(thresholds, v)
		if found {
			i++
		}
		band[i].leads += b.converted + b.other
		band[i].conv += b.converted
	}
	var above count
	rep.Thresholds = make([]ThresholdRow, len(thresholds))
	for i := len(thresholds); i >= 0; i-- {
		bd := Band{Leads: band[i].leads, Converted: band[i].conv, Conversion: kpi.RatioOf(band[i].conv, band[i].leads)}
		if i > 0 {
			bd.Min = ptr(thresholds[i-1])
		}
		if i < len(thresholds) {
			bd.Max = ptr(thresholds[i])
		}
		rep.Bands = append(rep.Bands, bd)
		if i == 0 {
			break
		}
		above.leads += band[i].leads
		above.conv += band[i].conv
		rep.Thresholds[i-1] = ThresholdRow{
			Threshold: thresholds[i-1], Above: above.leads, Captured: above.conv,
			Precision: kpi.RatioOf(above.conv, above.leads), Recall: kpi.RatioOf(above.conv, rep.Converted),
		}
	}
	s := e.scorer
	for i, c := range e.cells {
		gi, bi := i/len(s.bands), i%len(s.bands)
		n := c.converted + c.other
		rep.Matrix = append(rep.Matrix, MatrixCell{
			Cell: s.cells[gi][bi], Grade: s.grades[gi].Grade, Band: s.bands[bi].Grade,
			Leads: n, Converted: c.converted, Conversion: kpi.RatioOf(c.converted, n),
		})
	}
	return rep, nil
}

// defaultThresholds returns the multiples of a step from lo rounded down
// to hi: the step is 10, or 100, 1000, ... when 10 would give more than
// MaxThresholds of them.
func defaultThresholds(lo, hi float64) []float64 {
	step := 10.0
	for (hi-lo)/step >= MaxThresholds-1 {
		step *= 10
	}
	start := math.Floor(lo/step) * step
	var out []float64
	for i := 0; i < MaxThresholds; i++ {
		t := start + float64(i)*step
		if t > hi {
			break
		}
		out = append(out, t)
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// evalFormat is the format version of an Evaluation's JSON form.
const evalFormat = "leadkit.scoring/1"

// evalState is the JSON form of an Evaluation.
type evalState struct {
	Format      string          `json:"format"`
	Definition  json.RawMessage `json:"definition"` // the Model
	Fingerprint string          `json:"fingerprint"`
	Budget      evalBudget      `json:"budget"` // the scorer's, with defaults filled in
	Options     EvalOptions     `json:"options"`
	AsOf        string          `json:"as_of"` // RFC 3339 in UTC

	Undecided int64 `json:"undecided"`
	Failed    int64 `json:"failed"`
	// Buckets are [score in units of the resolution, converted, other],
	// by ascending score, without empty buckets.
	Buckets [][]int64 `json:"buckets"`
	// Cells are [converted, other] per cell of the model's fit ×
	// engagement matrix, grade-major; absent when the model has none.
	Cells [][]int64 `json:"cells,omitempty"`
}

// evalBudget is the JSON form of the scorer's [Budget].
type evalBudget struct {
	Steps  int64 `json:"steps"`
	Memory int64 `json:"memory"`
}

// MarshalJSON encodes the evaluation as a self-describing JSON object:
//
//	{"format": "leadkit.scoring/1", "definition": <the Model>,
//	 "fingerprint": "...", "budget": {"steps": n, "memory": n},
//	 "options": {...}, "as_of": "...",
//	 "undecided": 0, "failed": 0, "buckets": [[score, converted, other], ...],
//	 "cells": [[converted, other], ...]}
//
// where a bucket's score is in units of options.resolution and buckets
// come by ascending score, and cells (only for a model with grades and
// engagement bands) count the leads per fit × engagement matrix cell,
// grade-major. The same state always encodes to the same
// bytes. A nil or zero Evaluation is an error.
func (e *Evaluation) MarshalJSON() ([]byte, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	def, err := json.Marshal(e.scorer.model)
	if err != nil {
		return nil, fmt.Errorf("scoring: encode the evaluation's model: %w", err)
	}
	st := evalState{
		Format: evalFormat, Definition: def, Fingerprint: e.scorer.Fingerprint(),
		Budget:  evalBudget{e.scorer.Budget().Steps, e.scorer.Budget().Memory},
		Options: e.opts, AsOf: e.asOf.Format(time.RFC3339Nano), Undecided: e.undecided, Failed: e.failed,
		Buckets: make([][]int64, 0, len(e.buckets)),
	}
	for _, k := range slices.Sorted(maps.Keys(e.buckets)) {
		c := e.buckets[k]
		st.Buckets = append(st.Buckets, []int64{k, c.converted, c.other})
	}
	for _, c := range e.cells {
		st.Cells = append(st.Cells, []int64{c.converted, c.other})
	}
	return json.Marshal(st)
}

// UnmarshalJSON decodes the JSON form MarshalJSON writes into e, which
// may be a zero Evaluation: it compiles the model with the recorded
// budget and checks that its fingerprint matches, so the result can Add, Merge and Report.
//
// Decoding is strict: an unknown field, another format, a model that does
// not compile or does not match the fingerprint, options that are invalid
// or not in the form MarshalJSON writes, a negative count, a bucket that
// is empty, out of range, repeated or out of order, counts whose sum
// overflows, and matrix cells that are missing, extra, or hold more
// converted or other leads than the buckets are all errors. On error e is unchanged.
func (e *Evaluation) UnmarshalJSON(data []byte) error {
	if e == nil {
		return errors.New("scoring: UnmarshalJSON on a nil *Evaluation")
	}
	d, err := decodeEvaluation(data)
	if err != nil {
		return fmt.Errorf("scoring: decode evaluation: %w", err)
	}
	*e = *d
	return nil
}

func decodeEvaluation(data []byte) (*Evaluation, error) {
	var st evalState
	if err := jsonstrict.DecodeState(data, &st); err != nil {
		return nil, err
	}
	if st.Format != evalFormat {
		return nil, fmt.Errorf("format %q; want %q", st.Format, evalFormat)
	}
	if len(st.Definition) == 0 || string(st.Definition) == "null" {
		return nil, errors.New("definition: missing")
	}
	if st.Budget.Steps <= 0 || st.Budget.Memory <= 0 {
		return nil, fmt.Errorf("budget: steps %d and memory %d must be positive", st.Budget.Steps, st.Budget.Memory)
	}
	_, s, err := parseModel(st.Definition, WithBudget(Budget(st.Budget)))
	if err != nil {
		return nil, leadkit.Prefix("definition", err)
	}
	if s.Fingerprint() != st.Fingerprint {
		return nil, fmt.Errorf("fingerprint %q does not match the definition's %q", st.Fingerprint, s.Fingerprint())
	}
	if err := st.Options.Validate(); err != nil {
		return nil, leadkit.Prefix("options", err)
	}
	opts := st.Options.canonical()
	if !opts.equal(st.Options) {
		return nil, errors.New("options: not in canonical form (measure and resolution set, thresholds sorted without repeats)")
	}
	asOf, err := time.Parse(time.RFC3339Nano, st.AsOf)
	if err != nil {
		return nil, leadkit.Errorf("as_of", "%q is not an RFC 3339 time", st.AsOf)
	}
	if err := checkAsOf(asOf); err != nil {
		return nil, err
	}
	e := &Evaluation{scorer: s, opts: opts, asOf: asOf.UTC(), buckets: make(map[int64]evalCount, len(st.Buckets))}
	var total int64
	add := func(path string, n int64) error {
		if n < 0 {
			return fmt.Errorf("%s: negative count %d", path, n)
		}
		if total > math.MaxInt64-n {
			return fmt.Errorf("%s: the counts' sum overflows int64", path)
		}
		total += n
		return nil
	}
	if err := add("undecided", st.Undecided); err != nil {
		return nil, err
	}
	if err := add("failed", st.Failed); err != nil {
		return nil, err
	}
	for i, b := range st.Buckets {
		p := fmt.Sprintf("buckets[%d]", i)
		if len(b) != 3 {
			return nil, fmt.Errorf("%s: want [score, converted, other], got %d numbers", p, len(b))
		}
		if b[0] < -maxBucket || b[0] > maxBucket {
			return nil, fmt.Errorf("%s: score %d is out of range", p, b[0])
		}
		if i > 0 && b[0] <= st.Buckets[i-1][0] {
			return nil, fmt.Errorf("%s: score %d does not follow %d: buckets go by ascending score, once each", p, b[0], st.Buckets[i-1][0])
		}
		if err := add(p+"[1]", b[1]); err != nil {
			return nil, err
		}
		if err := add(p+"[2]", b[2]); err != nil {
			return nil, err
		}
		if b[1] == 0 && b[2] == 0 {
			return nil, fmt.Errorf("%s: empty bucket", p)
		}
		e.buckets[b[0]] = evalCount{b[1], b[2]}
	}
	e.cells = s.newCells()
	if len(st.Cells) != len(e.cells) {
		return nil, fmt.Errorf("cells: %d, want %d (the model's grades × engagement bands)", len(st.Cells), len(e.cells))
	}
	var conv, other, cellConv, cellOther int64
	for _, c := range e.buckets {
		conv, other = conv+c.converted, other+c.other // at most total: no overflow
	}
	for i, c := range st.Cells {
		p := fmt.Sprintf("cells[%d]", i)
		if len(c) != 2 {
			return nil, fmt.Errorf("%s: want [converted, other], got %d numbers", p, len(c))
		}
		for j, n := range c {
			if n < 0 {
				return nil, fmt.Errorf("%s[%d]: negative count %d", p, j, n)
			}
		}
		if c[0] > conv-cellConv || c[1] > other-cellOther {
			return nil, fmt.Errorf("%s: the cells hold more leads than the buckets (%d converted, %d other)", p, conv, other)
		}
		cellConv, cellOther = cellConv+c[0], cellOther+c[1]
		e.cells[i] = evalCount{c[0], c[1]}
	}
	e.total, e.undecided, e.failed = total, st.Undecided, st.Failed
	return e, nil
}

// Evaluate scores every outcome's lead as of its decision time with s and
// evaluates the scores against the outcomes, with no as-of cut. Each lead
// may have one outcome: duplicate lead ids are an error naming them (the
// first ten and how many there are), and nothing is evaluated. An outcome
// that Add refuses (a nil lead, a rule error) is left out and its error
// returned, under its index ("outcomes[3].lead: nil"), joined, with the
// report of the others. A nil s is an error; nil outcomes is an empty
// evaluation.
func Evaluate(s *Scorer, outcomes []Outcome, opts EvalOptions) (EvaluationReport, error) {
	e, err := s.NewEvaluation(time.Time{}, opts)
	if err != nil {
		return EvaluationReport{}, err
	}
	if err := duplicateLeads(outcomes); err != nil {
		return EvaluationReport{}, err
	}
	var errs []error
	for i := range outcomes {
		if err := e.Add(outcomes[i]); err != nil {
			errs = append(errs, leadkit.Prefix(fmt.Sprintf("outcomes[%d]", i), err))
		}
	}
	rep, err := e.Report()
	return rep, errors.Join(append(errs, err)...)
}

// duplicateLeads returns an error naming the lead ids given more than
// once, or nil.
func duplicateLeads(outcomes []Outcome) error {
	seen := make(map[string]bool, len(outcomes))
	var dups []string
	reported := map[string]bool{}
	for _, o := range outcomes {
		if o.Lead == nil {
			continue
		}
		id := o.Lead.ID
		if seen[id] && !reported[id] {
			reported[id] = true
			dups = append(dups, id)
		}
		seen[id] = true
	}
	if len(dups) == 0 {
		return nil
	}
	var b strings.Builder
	for i, id := range dups[:min(10, len(dups))] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", id)
	}
	if len(dups) > 10 {
		fmt.Fprintf(&b, " and %d more", len(dups)-10)
	}
	return leadkit.Errorf("outcomes", "%d lead ids have more than one outcome: %s; give each lead one outcome", len(dups), b.String())
}
