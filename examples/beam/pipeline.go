package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// Inputs are the pipeline's records: PCollections of lead.Lead, kpi.Deal,
// kpi.Customer, kpi.Spend and kpi.Visits. A zero PCollection means none.
type Inputs struct {
	Leads, Deals, Customers, Spend, Visits beam.PCollection
}

// ReadInputs reads the records from JSON lines files (one record per
// line, as lead.Lines reads them: unknown fields are refused). Files with
// an empty name are skipped. Every line must decode: a bad line fails
// the pipeline with its error.
func ReadInputs(s beam.Scope, leads, deals, customers, spend, visits string) Inputs {
	s = s.Scope("read")
	read := func(name string, fn any) beam.PCollection {
		if name == "" {
			return beam.PCollection{}
		}
		return beam.ParDo(s, fn, textio.Read(s, name))
	}
	return Inputs{
		Leads:     read(leads, decodeLead),
		Deals:     read(deals, decodeDeal),
		Customers: read(customers, decodeCustomer),
		Spend:     read(spend, decodeSpend),
		Visits:    read(visits, decodeVisits),
	}
}

// decodeLead decodes one line of a leads file with lead's fast decoder.
func decodeLead(line string, emit func(lead.Lead)) error {
	return decodeOne(line, lead.DecodeLines(strings.NewReader(line)), emit)
}

// decodeDeal, decodeCustomer, decodeSpend and decodeVisits decode one
// line of the other files. (They are not one generic function: Beam
// registers functions by name, and the instantiations of a generic
// function share one.)
func decodeDeal(line string, emit func(kpi.Deal)) error {
	return decodeOne(line, lead.Lines[kpi.Deal](strings.NewReader(line)), emit)
}

func decodeCustomer(line string, emit func(kpi.Customer)) error {
	return decodeOne(line, lead.Lines[kpi.Customer](strings.NewReader(line)), emit)
}

func decodeSpend(line string, emit func(kpi.Spend)) error {
	return decodeOne(line, lead.Lines[kpi.Spend](strings.NewReader(line)), emit)
}

func decodeVisits(line string, emit func(kpi.Visits)) error {
	return decodeOne(line, lead.Lines[kpi.Visits](strings.NewReader(line)), emit)
}

func decodeOne[T any](line string, seq func(func(T, error) bool), emit func(T)) error {
	for v, err := range seq {
		if err != nil {
			return fmt.Errorf("%w in %.80q", err, line)
		}
		emit(v)
	}
	return nil
}

// Options are the pipeline's settings.
type Options struct {
	// Fanout is the number of shards each analysis is split into before
	// the shards' accumulators are merged; 0 means 1.
	Fanout int
}

// Build adds the four analyses of x over in to the pipeline, and the
// funnel per country, and returns the report lines (PCollection<string>,
// one JSON Line per analysis and per country).
func Build(s beam.Scope, x *Analyses, in Inputs, opts Options) beam.PCollection {
	fanout := max(opts.Fanout, 1)
	var lines []beam.PCollection
	if !in.Leads.IsValid() {
		in.Leads = beam.CreateList(s.Scope("no leads"), []lead.Lead{})
	}

	// The scorecard: leads, deals joined to their lead's segment keys,
	// customers, spend and visits, as Records.
	records := []beam.PCollection{beam.ParDo(s, leadRecord, in.Leads)}
	if in.Deals.IsValid() {
		deals := JoinDeals(s, x, in.Leads, in.Deals)
		records = append(records, beam.ParDo(s, dealRecord, deals))
	}
	if in.Customers.IsValid() {
		records = append(records, beam.ParDo(s, customerRecord, in.Customers))
	}
	if in.Spend.IsValid() {
		records = append(records, beam.ParDo(s, spendRecord, in.Spend))
	}
	if in.Visits.IsValid() {
		records = append(records, beam.ParDo(s, visitsRecord, in.Visits))
	}
	all := beam.Flatten(s, records...)
	lines = append(lines,
		combineKPI(s, kpiName, x.KPI, all, fanout),
		combineFunnel(s, funnelName, x.Funnel, in.Leads, fanout),
		combineSLA(s, slaName, x.SLA, in.Leads, fanout),
		combineScoring(s, scoringName, x.Scoring, in.Leads, fanout),
		combineFunnelPerKey(s, funnelByCountryName, x.Funnel, beam.ParDo(s, byCountry, in.Leads), fanout),
	)
	return beam.Flatten(s, lines...)
}

// The four analyses, each the one generic combine instantiated for its
// accumulator.
var (
	combineKPI          = combine[kpi.Scorecard, *kpi.Scorecard, kpi.Report, Record, scorecardInput]
	combineFunnel       = combine[funnel.Analysis, *funnel.Analysis, funnel.Report, lead.Lead, funnelInput]
	combineFunnelPerKey = combinePerKey[funnel.Analysis, *funnel.Analysis, funnel.Report, lead.Lead, funnelInput]
	combineSLA          = combine[sla.Compliance, *sla.Compliance, sla.Report, lead.Lead, slaInput]
	combineScoring      = combine[scoring.Evaluation, *scoring.Evaluation, scoring.EvaluationReport, lead.Lead, scoringInput]
)

// JoinDeals sets each deal's Keys to its lead's segment keys
// (deal.Keys = meter.KeysOf(lead)), as a single pass does with a map of
// lead id to keys: a CoGroupByKey of the leads by ID and the deals by
// LeadID. It costs one shuffle of every lead and deal. A deal whose lead
// is not there keeps no keys; two leads with one id fail the pipeline.
func JoinDeals(s beam.Scope, x *Analyses, leads, deals beam.PCollection) beam.PCollection {
	s = s.Scope("join deals")
	byID := beam.ParDo(s, leadByID, leads)
	byLead := beam.ParDo(s, dealByLead, deals)
	grouped := beam.CoGroupByKey(s, byID, byLead)
	return beam.ParDo(s, &joinFn{Scorecard: string(x.KPI)}, grouped)
}

func leadByID(l lead.Lead) (string, lead.Lead) { return l.ID, l }

func dealByLead(d kpi.Deal) (string, kpi.Deal) { return d.LeadID, d }

// joinFn attaches a lead's keys to its deals. Scorecard is the empty
// scorecard's state: its Meter says which keys the scorecard uses.
type joinFn struct {
	Scorecard string `json:"scorecard"`
	meter     *kpi.Meter
}

// Setup decodes the scorecard to get its meter.
func (f *joinFn) Setup() error {
	var sc kpi.Scorecard
	if err := sc.UnmarshalJSON([]byte(f.Scorecard)); err != nil {
		return err
	}
	f.meter = sc.Meter()
	return nil
}

// ProcessElement emits the deals of one lead id with the lead's keys.
func (f *joinFn) ProcessElement(_ context.Context, id string, leads func(*lead.Lead) bool, deals func(*kpi.Deal) bool, emit func(kpi.Deal)) error {
	var keys map[string]string
	var l lead.Lead
	for n := 0; leads(&l); n++ {
		if n > 0 {
			return fmt.Errorf("join: two leads with id %q", id)
		}
		keys = f.meter.KeysOf(&l)
	}
	var d kpi.Deal
	for deals(&d) {
		d.Keys = keys
		emit(d)
		d = kpi.Deal{}
	}
	return nil
}

func leadRecord(l lead.Lead) Record             { return Record{Lead: &l} }
func dealRecord(d kpi.Deal) Record              { return Record{Deal: &d} }
func customerRecord(c kpi.Customer) Record      { return Record{Customer: &c} }
func spendRecord(sp kpi.Spend) Record           { return Record{Spend: &sp} }
func visitsRecord(v kpi.Visits) Record          { return Record{Visits: &v} }
func byCountry(l lead.Lead) (string, lead.Lead) { return countryKey.Of(&l), l }

func init() {
	for _, t := range []reflect.Type{reflect.TypeFor[joinFn](), reflect.TypeFor[shardFn](), reflect.TypeFor[keyShardFn]()} {
		beam.RegisterType(t)
	}
	for _, fn := range []any{decodeLead, decodeDeal, decodeCustomer, decodeSpend, decodeVisits,
		leadByID, dealByLead, leadRecord, dealRecord, customerRecord, spendRecord, visitsRecord, byCountry, unshard} {
		beam.RegisterFunction(fn)
	}
	beam.RegisterCoder(reflect.TypeFor[lead.Lead](), encodeLead, decodeLeadRecord)
	registerRecord[kpi.Deal]()
	registerRecord[kpi.Customer]()
	registerRecord[kpi.Spend]()
	registerRecord[kpi.Visits]()
	beam.RegisterCoder(reflect.TypeFor[Record](), encodeUnion, decodeUnion)
}

// encodeLead and decodeLead are the coder of lead.Lead: encoding/json
// out, and lead's own decoder in, which reads the lead schema several
// times faster than encoding/json and gives the same lead. Leads are most
// of what a pipeline shuffles.
func encodeLead(l lead.Lead) ([]byte, error) { return json.Marshal(l) }

func decodeLeadRecord(b []byte) (lead.Lead, error) {
	for l, err := range lead.DecodeLines(bytes.NewReader(b)) {
		return l, err
	}
	return lead.Lead{}, errors.New("lead coder: no lead")
}

// encodeUnion and decodeUnion are the coder of Record: a kind byte, then
// the one record's JSON (a lead's decoded by decodeLeadRecord).
func encodeUnion(r Record) ([]byte, error) {
	var (
		kind byte
		v    any
	)
	switch {
	case r.Lead != nil:
		kind, v = 'l', r.Lead
	case r.Deal != nil:
		kind, v = 'd', r.Deal
	case r.Customer != nil:
		kind, v = 'c', r.Customer
	case r.Spend != nil:
		kind, v = 's', r.Spend
	case r.Visits != nil:
		kind, v = 'v', r.Visits
	default:
		return nil, errors.New("record coder: empty record")
	}
	b, err := json.Marshal(v)
	return append([]byte{kind}, b...), err
}

func decodeUnion(b []byte) (Record, error) {
	if len(b) == 0 {
		return Record{}, errors.New("record coder: empty input")
	}
	var r Record
	var err error
	switch kind, body := b[0], b[1:]; kind {
	case 'l':
		var l lead.Lead
		l, err = decodeLeadRecord(body)
		r.Lead = &l
	case 'd':
		r.Deal = new(kpi.Deal)
		err = json.Unmarshal(body, r.Deal)
	case 'c':
		r.Customer = new(kpi.Customer)
		err = json.Unmarshal(body, r.Customer)
	case 's':
		r.Spend = new(kpi.Spend)
		err = json.Unmarshal(body, r.Spend)
	case 'v':
		r.Visits = new(kpi.Visits)
		err = json.Unmarshal(body, r.Visits)
	default:
		err = fmt.Errorf("record coder: unknown kind %q", kind)
	}
	return r, err
}
