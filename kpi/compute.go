package kpi

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// Records are the inputs of a scorecard, for [Compute]. Nil slices are
// empty.
type Records struct {
	// Spend and Visits are marketing spend and website visits.
	Spend  []Spend
	Visits []Visits
	// Leads are the leads; their ids must be unique.
	Leads []lead.Lead
	// Deals are the deals, with their leads' Keys when the host joined
	// them ([Meter.KeysOf]); their ids must be unique.
	Deals []Deal
	// Customers are the paying accounts; their ids must be unique.
	Customers []Customer
}

// Compute is the convenience form of the accumulator for data that fits
// in memory: it compiles cfg, adds every record to a scorecard as of
// asOf (zero: no cut) and returns its report.
//
// Records that share an id are an error: duplicate lead, deal or customer
// ids (the first 10 of each kind and their count) are reported and
// nothing is computed, since counting a record twice would change every
// figure. Invalid records are left out and reported, every one with its
// path ("deals[3]: ..."), joined into the error that comes with the
// report of the valid ones. A bad cfg gives an empty report and the
// config error.
func Compute(cfg Config, asOf time.Time, r Records) (Report, error) {
	m, err := Compile(cfg)
	if err != nil {
		return Report{}, err
	}
	if err := duplicates(r); err != nil {
		return Report{}, err
	}
	s := m.NewScorecard(asOf)
	var errs []error
	for i := range r.Spend {
		if err := s.AddSpend(&r.Spend[i]); err != nil {
			errs = append(errs, fmt.Errorf("spend[%d]: %w", i, err))
		}
	}
	for i := range r.Visits {
		if err := s.AddVisits(&r.Visits[i]); err != nil {
			errs = append(errs, fmt.Errorf("visits[%d]: %w", i, err))
		}
	}
	for i := range r.Leads {
		if err := s.AddLead(&r.Leads[i]); err != nil {
			errs = append(errs, fmt.Errorf("leads[%d]: %w", i, err))
		}
	}
	for i := range r.Deals {
		if err := s.AddDeal(&r.Deals[i]); err != nil {
			errs = append(errs, fmt.Errorf("deals[%d]: %w", i, err))
		}
	}
	for i := range r.Customers {
		if err := s.AddCustomer(&r.Customers[i]); err != nil {
			errs = append(errs, fmt.Errorf("customers[%d]: %w", i, err))
		}
	}
	rep, err := s.Report()
	if err != nil {
		return Report{}, err
	}
	return rep, errors.Join(errs...)
}

// ErrDuplicate is returned (wrapped) by [Compute] when records share an
// id.
var ErrDuplicate = errors.New("duplicate ids")

// duplicates reports the ids that occur more than once among the leads,
// the deals and the customers.
func duplicates(r Records) error {
	var errs []error
	check := func(kind string, n int, id func(int) string) {
		seen := make(map[string]bool, n)
		var dups []string
		count := 0
		for i := range n {
			k := id(i)
			done, ok := seen[k]
			switch {
			case !ok:
				seen[k] = false
			case !done:
				seen[k] = true
				count++
				if len(dups) < 10 {
					dups = append(dups, fmt.Sprintf("%q", k))
				}
			}
		}
		if count > 0 {
			more := ""
			if count > len(dups) {
				more = ", ..."
			}
			errs = append(errs, fmt.Errorf("kpi: compute: %w: %d %s ids occur more than once: %s%s",
				ErrDuplicate, count, kind, strings.Join(dups, ", "), more))
		}
	}
	check("lead", len(r.Leads), func(i int) string { return r.Leads[i].ID })
	check("deal", len(r.Deals), func(i int) string { return r.Deals[i].ID })
	check("customer", len(r.Customers), func(i int) string { return r.Customers[i].ID })
	return errors.Join(errs...)
}
