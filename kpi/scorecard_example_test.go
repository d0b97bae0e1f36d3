package kpi_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func ExampleScorecard() {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }
	sc, err := kpi.NewScorecard(kpi.Config{
		Granularity: kpi.Month,
		Dimensions:  []kpi.Dimension{kpi.ByChannel()},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Two shards, as two goroutines or two machines would have them.
	east, _ := kpi.NewScorecard(kpi.Config{Dimensions: []kpi.Dimension{kpi.ByChannel()}})
	_ = sc.AddSpend(&kpi.Spend{At: day(3, 2), Channel: "paid_search", Amount: decimal.RequireFromString("300.00")})
	_ = sc.AddLead(&lead.Lead{ID: "a", CreatedAt: day(3, 4), Source: lead.Source{Channel: "paid_search"}})
	_ = east.AddLead(&lead.Lead{ID: "b", CreatedAt: day(3, 9), Source: lead.Source{Channel: "paid_search"}})
	_ = east.AddLead(&lead.Lead{ID: "c", CreatedAt: day(3, 9), Source: lead.Source{Channel: "email"}})
	_ = east.AddDeal(&kpi.Deal{ID: "d1", Status: kpi.DealWon, NewCustomer: true, Amount: decimal.NewFromInt(1200),
		CreatedAt: day(3, 10), ClosedAt: day(3, 24)})
	if err := sc.Merge(east); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range sc.Report().Rows {
		if r.Period == kpi.AllPeriods {
			continue
		}
		fmt.Printf("%s %-8s %-12s leads=%d cpl=%v cac=%v win=%v\n",
			r.Period, r.Dimension, r.Segment, r.Leads, r.CostPerLead, r.CustomerAcquisitionCost, r.WinRate)
	}
	// Output:
	// 2026-03                       leads=3 cpl=100.0000 cac=300.0000 win=1.0000
	// 2026-03 channel  email        leads=1 cpl=0.0000 cac=n/a win=n/a
	// 2026-03 channel  paid_search  leads=2 cpl=150.0000 cac=n/a win=n/a
}

func ExampleNewScorecard_error() {
	_, err := kpi.NewScorecard(kpi.Config{
		Granularity: "fortnight",
		Dimensions:  []kpi.Dimension{kpi.ByChannel(), {Name: "channel"}},
	})
	fmt.Println(err)
	// Output:
	// kpi: scorecard config: granularity: unknown "fortnight" (want day, week, month, quarter or year)
	// dimensions[1].name: duplicate "channel"
}
