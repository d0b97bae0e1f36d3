package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"github.com/leadkit/leadkit/examples/alignment"
	"slices"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// Data is the records in memory, for the single pass: the report's own
// record bundle.
type Data = alignment.Data

// SinglePass computes the same report lines as the pipeline in one
// process, one accumulator per analysis (and per country), the way
// examples/alignment.Build does: the reference the pipeline must match
// byte for byte. The lines are sorted.
func SinglePass(x *Analyses, d Data) ([]string, error) {
	lines, _, err := singlePass(x, d)
	return lines, err
}

// StateSize is the size of one accumulator's JSON state.
type StateSize struct {
	Analysis string
	Bytes    int
}

// singlePass is SinglePass, and the sizes of the final states (for the
// funnel per country, the largest).
func singlePass(x *Analyses, d Data) ([]string, []StateSize, error) {
	var (
		sc    kpi.Scorecard
		fu    funnel.Analysis
		sl    sla.Compliance
		ev    scoring.Evaluation
		byKey = map[string]*funnel.Analysis{}
	)
	for _, e := range []struct {
		acc   json.Unmarshaler
		empty []byte
	}{{&sc, x.KPI}, {&fu, x.Funnel}, {&sl, x.SLA}, {&ev, x.Scoring}} {
		if err := e.acc.UnmarshalJSON(e.empty); err != nil {
			return nil, nil, err
		}
	}
	keys := make(map[string]map[string]string, len(d.Leads))
	for i := range d.Leads {
		l := d.Leads[i]
		if _, dup := keys[l.ID]; dup {
			return nil, nil, fmt.Errorf("two leads with id %q", l.ID)
		}
		keys[l.ID] = sc.Meter().KeysOf(&l)
		if err := (scorecardInput{}).Add(&sc, Record{Lead: &l}); err != nil {
			return nil, nil, err
		}
		if err := (funnelInput{}).Add(&fu, l); err != nil {
			return nil, nil, err
		}
		if err := (slaInput{}).Add(&sl, l); err != nil {
			return nil, nil, err
		}
		if err := (scoringInput{}).Add(&ev, l); err != nil {
			return nil, nil, err
		}
		k := countryKey.Of(&l)
		a := byKey[k]
		if a == nil {
			a = new(funnel.Analysis)
			if err := a.UnmarshalJSON(x.Funnel); err != nil {
				return nil, nil, err
			}
			byKey[k] = a
		}
		if err := a.Add(&l); err != nil {
			return nil, nil, err
		}
	}
	for _, deal := range d.Deals {
		deal.Keys = keys[deal.LeadID]
		if err := sc.AddDeal(&deal); err != nil {
			return nil, nil, err
		}
	}
	for i := range d.Customers {
		if err := sc.AddCustomer(&d.Customers[i]); err != nil {
			return nil, nil, err
		}
	}
	for i := range d.Spend {
		if err := sc.AddSpend(&d.Spend[i]); err != nil {
			return nil, nil, err
		}
	}
	for i := range d.Visits {
		if err := sc.AddVisits(&d.Visits[i]); err != nil {
			return nil, nil, err
		}
	}

	var lines []string
	add := func(line string, err error) error {
		lines = append(lines, line)
		return err
	}
	if err := cmp.Or(
		add(reportLine(kpiName, "", &sc)),
		add(reportLine(funnelName, "", &fu)),
		add(reportLine(slaName, "", &sl)),
		add(reportLine(scoringName, "", &ev)),
	); err != nil {
		return nil, nil, err
	}
	for k, a := range byKey {
		if err := add(reportLine(funnelByCountryName, k, a)); err != nil {
			return nil, nil, err
		}
	}
	slices.Sort(lines)
	var sizes []StateSize
	for _, e := range []struct {
		name string
		acc  json.Marshaler
	}{{kpiName, &sc}, {funnelName, &fu}, {slaName, &sl}, {scoringName, &ev}} {
		b, err := e.acc.MarshalJSON()
		if err != nil {
			return nil, nil, err
		}
		sizes = append(sizes, StateSize{e.name, len(b)})
	}
	largest := 0
	for _, a := range byKey {
		b, err := a.MarshalJSON()
		if err != nil {
			return nil, nil, err
		}
		largest = max(largest, len(b))
	}
	sizes = append(sizes, StateSize{funnelByCountryName + " (largest)", largest})
	return lines, sizes, nil
}
