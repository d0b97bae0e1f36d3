package main

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// State is what the one generic CombineFn needs of a leadkit accumulator
// *A: the v1 analysis contract. Merge combines two accumulators of the same
// definition and as-of, Report computes the report, and the JSON state is
// self-describing (format, definition, fingerprint, as-of, counts), so
// decoding it into a zero A gives a working accumulator: nothing else has
// to travel with it. *kpi.Scorecard, *funnel.Analysis, *sla.Compliance and
// *scoring.Evaluation all satisfy it as they are.
type State[A, R any] interface {
	*A
	Merge(*A) error
	Report() (R, error)
	json.Marshaler
	json.Unmarshaler
}

// Input says which records an analysis takes and how one goes in: a
// zero-size type whose Add adds one record to the accumulator. It is the
// only piece written per analysis, because the accumulators' Add methods
// differ (kpi takes five record kinds, scoring takes outcomes).
type Input[A, I any] interface {
	Add(*A, I) error
}

// CombineFn is the one Beam CombineFn for every leadkit accumulator: it
// adds records of type I to accumulators *A (P) and merges them.
//
// Empty is the JSON state of an empty accumulator, made with the compiled
// definition's NewX(asOf) and MarshalJSON: CreateAccumulator decodes it
// into a zero A, which compiles the definition and checks its fingerprint.
// No settings are rebuilt by hand and nothing but Empty is shipped to the
// workers. The output is the accumulator itself, so it crosses the wire
// with its own JSON state (see registerState) and can be merged again
// downstream (MergeFn) or reported (ReportFn).
type CombineFn[A any, P State[A, R], R any, I any, K Input[A, I]] struct {
	Empty string `json:"empty"`
}

// CreateAccumulator decodes Empty.
func (f *CombineFn[A, P, R, I, K]) CreateAccumulator() (P, error) {
	return decodeEmpty[A, P, R](f.Empty)
}

// AddInput adds one record.
func (f *CombineFn[A, P, R, I, K]) AddInput(a P, in I) (P, error) {
	var k K
	if err := k.Add((*A)(a), in); err != nil {
		return a, err
	}
	return a, nil
}

// MergeAccumulators merges b into a and counts the merge.
func (f *CombineFn[A, P, R, I, K]) MergeAccumulators(ctx context.Context, a, b P) (P, error) {
	merges.Inc(ctx, 1)
	if err := a.Merge((*A)(b)); err != nil {
		return a, err
	}
	return a, nil
}

// ExtractOutput returns the accumulator.
func (f *CombineFn[A, P, R, I, K]) ExtractOutput(a P) P { return a }

// MergeFn is the CombineFn of the second level: its inputs are
// accumulators made by CombineFn (one per shard), and it merges them.
type MergeFn[A any, P State[A, R], R any] struct {
	Empty string `json:"empty"`
}

// CreateAccumulator decodes Empty.
func (f *MergeFn[A, P, R]) CreateAccumulator() (P, error) {
	return decodeEmpty[A, P, R](f.Empty)
}

// AddInput merges one shard's accumulator.
func (f *MergeFn[A, P, R]) AddInput(ctx context.Context, a, in P) (P, error) {
	merges.Inc(ctx, 1)
	if err := a.Merge((*A)(in)); err != nil {
		return a, err
	}
	return a, nil
}

// MergeAccumulators merges b into a.
func (f *MergeFn[A, P, R]) MergeAccumulators(ctx context.Context, a, b P) (P, error) {
	merges.Inc(ctx, 1)
	if err := a.Merge((*A)(b)); err != nil {
		return a, err
	}
	return a, nil
}

// ExtractOutput returns the accumulator.
func (f *MergeFn[A, P, R]) ExtractOutput(a P) P { return a }

// ReportFn turns an accumulator into one output line: the report as
// JSON, with the analysis name and (per key) the key.
type ReportFn[A any, P State[A, R], R any] struct {
	Analysis string `json:"analysis"`
}

// ProcessElement reports a global accumulator.
func (f *ReportFn[A, P, R]) ProcessElement(a P) (string, error) {
	return reportLine(f.Analysis, "", a)
}

// KeyedReportFn is ReportFn for per-key accumulators.
type KeyedReportFn[A any, P State[A, R], R any] struct {
	Analysis string `json:"analysis"`
}

// ProcessElement reports one key's accumulator.
func (f *KeyedReportFn[A, P, R]) ProcessElement(key string, a P) (string, error) {
	return reportLine(f.Analysis, key, a)
}

// Line is one output line: one analysis's report, globally (Key "") or
// for one key.
type Line struct {
	Analysis string          `json:"analysis"`
	Key      string          `json:"key,omitempty"`
	Report   json.RawMessage `json:"report"`
}

// reportLine reports a and encodes the line.
func reportLine[A any, P State[A, R], R any](analysis, key string, a P) (string, error) {
	r, err := a.Report()
	if err != nil {
		return "", fmt.Errorf("%s %q: %w", analysis, key, err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return "", fmt.Errorf("%s %q: %w", analysis, key, err)
	}
	line, err := json.Marshal(Line{Analysis: analysis, Key: key, Report: b})
	return string(line), err
}

// decodeEmpty decodes an empty accumulator's state into a new A.
func decodeEmpty[A any, P State[A, R], R any](empty string) (P, error) {
	a := P(new(A))
	if err := a.UnmarshalJSON([]byte(empty)); err != nil {
		return nil, fmt.Errorf("empty accumulator state: %w", err)
	}
	return a, nil
}

// merges counts the merges of accumulators, as a Beam metric.
var merges = beam.NewCounter("leadkit", "merges")

// wire counts the accumulator states that went through the coder, per
// accumulator type. Beam coders get no context to report metrics with, so
// these are process counters: they see everything only when the workers
// run in this process (prism's loopback environment, as in the tests and
// locally).
var wire wireStats

// wireStats are counts of encoded and decoded states.
type wireStats struct {
	mu    sync.Mutex
	types map[string]*WireCount
}

// WireCount is what crossed the wire for one accumulator type.
type WireCount struct {
	Encoded, Decoded int64
	// Bytes is the total size of the encoded states and Largest the
	// largest one.
	Bytes, Largest int64
}

func (w *wireStats) add(t reflect.Type, encoded bool, size int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.types == nil {
		w.types = map[string]*WireCount{}
	}
	c := w.types[t.String()]
	if c == nil {
		c = new(WireCount)
		w.types[t.String()] = c
	}
	if !encoded {
		c.Decoded++
		return
	}
	c.Encoded++
	c.Bytes += int64(size)
	c.Largest = max(c.Largest, int64(size))
}

// reset returns the counts so far and starts again.
func (w *wireStats) reset() map[string]WireCount {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]WireCount{}
	for k, v := range w.types {
		out[k] = *v
	}
	w.types = nil
	return out
}

// encodeState is the coder's encoder for every accumulator type: the
// accumulator's own MarshalJSON.
func encodeState(v beam.T) ([]byte, error) {
	m, ok := v.(json.Marshaler)
	if !ok {
		return nil, fmt.Errorf("leadkit coder: %T has no MarshalJSON", v)
	}
	b, err := m.MarshalJSON()
	if err == nil {
		wire.add(reflect.TypeOf(v), true, len(b))
	}
	return b, err
}

// decodeState is the coder's decoder for every accumulator type: a new
// zero accumulator and its own UnmarshalJSON, which validates everything.
func decodeState(t reflect.Type, b []byte) (beam.T, error) {
	if t.Kind() != reflect.Pointer {
		return nil, fmt.Errorf("leadkit coder: %v is not a pointer type", t)
	}
	v := reflect.New(t.Elem()).Interface()
	u, ok := v.(json.Unmarshaler)
	if !ok {
		return nil, fmt.Errorf("leadkit coder: %v has no UnmarshalJSON", t)
	}
	if err := u.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("leadkit coder: %v: %w", t, err)
	}
	wire.add(t, false, len(b))
	return v, nil
}

// encodeRecord and decodeRecord are the coder of the records (leads,
// deals, spend...): plain encoding/json, which keeps decimal.Decimal
// amounts exact. Beam's default schema coder would see only exported
// fields, and a decimal has none.
func encodeRecord(v beam.T) ([]byte, error) { return json.Marshal(v) }

func decodeRecord(t reflect.Type, b []byte) (beam.T, error) {
	v := reflect.New(t)
	if err := json.Unmarshal(b, v.Interface()); err != nil {
		return nil, fmt.Errorf("record coder: %v: %w", t, err)
	}
	return v.Elem().Interface(), nil
}

// registerAnalysis registers, for one analysis, the accumulator's coder
// (its own JSON state) and the generic DoFn types instantiated for it.
// Beam looks types up by name on the workers, so every instantiation is
// registered before the pipeline is built.
func registerAnalysis[A any, P State[A, R], R any, I any, K Input[A, I]]() {
	beam.RegisterCoder(reflect.TypeFor[P](), encodeState, decodeState)
	beam.RegisterType(reflect.TypeFor[CombineFn[A, P, R, I, K]]())
	beam.RegisterType(reflect.TypeFor[MergeFn[A, P, R]]())
	beam.RegisterType(reflect.TypeFor[ReportFn[A, P, R]]())
	beam.RegisterType(reflect.TypeFor[KeyedReportFn[A, P, R]]())
}

// registerRecord registers the JSON coder of a record type.
func registerRecord[T any]() {
	beam.RegisterCoder(reflect.TypeFor[T](), encodeRecord, decodeRecord)
}

// combine computes one analysis over every record of in (a
// PCollection<I>) in two levels: records are dealt round-robin to fanout
// shards, each shard is combined by CombineFn (Beam lifts it: partial
// accumulators per bundle, merged after the shuffle), and the shards'
// accumulators, encoded with their JSON state, are merged by MergeFn. It
// returns a PCollection<string> of one report line.
func combine[A any, P State[A, R], R any, I any, K Input[A, I]](s beam.Scope, analysis string, empty []byte, in beam.PCollection, fanout int) beam.PCollection {
	s = s.Scope(analysis)
	keyed := beam.ParDo(s, &shardFn{Shards: fanout}, in)
	parts := beam.CombinePerKey(s, &CombineFn[A, P, R, I, K]{Empty: string(empty)}, keyed)
	acc := beam.Combine(s, &MergeFn[A, P, R]{Empty: string(empty)}, beam.DropKey(s, parts))
	return beam.ParDo(s, &ReportFn[A, P, R]{Analysis: analysis}, acc)
}

// combinePerKey is combine per key: in is a PCollection<KV<string, I>>,
// and the result has one report line per key.
func combinePerKey[A any, P State[A, R], R any, I any, K Input[A, I]](s beam.Scope, analysis string, empty []byte, in beam.PCollection, fanout int) beam.PCollection {
	s = s.Scope(analysis)
	keyed := beam.ParDo(s, &keyShardFn{Shards: fanout}, in)
	parts := beam.CombinePerKey(s, &CombineFn[A, P, R, I, K]{Empty: string(empty)}, keyed)
	rekeyed := beam.ParDo(s, unshard, parts)
	acc := beam.CombinePerKey(s, &MergeFn[A, P, R]{Empty: string(empty)}, rekeyed)
	return beam.ParDo(s, &KeyedReportFn[A, P, R]{Analysis: analysis}, acc)
}

// shardFn deals its inputs round-robin to Shards keys. Which record goes
// to which shard does not matter: any split gives the same report.
type shardFn struct {
	Shards int `json:"shards"`
	next   int
}

// ProcessElement keys x by its shard.
func (f *shardFn) ProcessElement(x beam.T) (int, beam.T) {
	f.next = (f.next + 1) % max(f.Shards, 1)
	return f.next, x
}

// keyShardFn deals each key's inputs round-robin to Shards sub-keys
// "shard/key".
type keyShardFn struct {
	Shards int `json:"shards"`
	next   int
}

// ProcessElement keys x by its key and shard.
func (f *keyShardFn) ProcessElement(key string, x beam.T) (string, beam.T) {
	f.next = (f.next + 1) % max(f.Shards, 1)
	return fmt.Sprintf("%d/%s", f.next, key), x
}

// unshard strips the shard from a "shard/key" key.
func unshard(key string, x beam.T) (string, beam.T) {
	for i := 0; i < len(key); i++ {
		if key[i] == '/' {
			return key[i+1:], x
		}
	}
	return key, x
}
