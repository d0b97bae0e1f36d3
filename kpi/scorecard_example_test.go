package kpi_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// ExampleMeter_NewScorecard compiles a definition, fills two shards as
// of one instant, sends one through JSON (as a Beam combiner would) and
// merges them. The deal carries its lead's keys, so it counts in the
// lead's channel.
func ExampleMeter_NewScorecard() {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }
	m, err := kpi.Compile(kpi.Config{Dimensions: []kpi.Dimension{kpi.ByChannel()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	asOf := day(3, 31)
	west, east := m.NewScorecard(asOf), m.NewScorecard(asOf)

	a := lead.Lead{ID: "a", CreatedAt: day(3, 4), Source: lead.Source{Channel: "paid_search"}}
	_ = west.AddSpend(&kpi.Spend{At: day(3, 2), Channel: "paid_search", Amount: decimal.RequireFromString("300.00")})
	_ = west.AddLead(&a)
	_ = east.AddLead(&lead.Lead{ID: "b", CreatedAt: day(3, 9), Source: lead.Source{Channel: "paid_search"}})
	_ = east.AddLead(&lead.Lead{ID: "c", CreatedAt: day(3, 9), Source: lead.Source{Channel: "email"}})
	_ = east.AddDeal(&kpi.Deal{ID: "d1", LeadID: "a", Keys: m.KeysOf(&a), Status: kpi.DealWon, NewCustomer: true,
		Amount: decimal.NewFromInt(1200), CreatedAt: day(3, 10), ClosedAt: day(3, 24)})
	// A lead created after the as-of is skipped, and counted.
	_ = east.AddLead(&lead.Lead{ID: "z", CreatedAt: day(4, 2)})

	state, _ := json.Marshal(east)
	var decoded kpi.Scorecard // a zero value: the state carries its definition
	if err := json.Unmarshal(state, &decoded); err != nil {
		fmt.Println(err)
		return
	}
	if err := west.Merge(&decoded); err != nil {
		fmt.Println(err)
		return
	}
	rep, err := west.Report()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Rows {
		if r.Period == kpi.AllPeriods {
			continue
		}
		fmt.Printf("%s %-8s %-12s leads=%d cpl=%v cac=%v win=%v\n",
			r.Period, r.Dimension, r.Segment, r.Leads, r.CostPerLead, r.CustomerAcquisitionCost, r.WinRate)
	}
	fmt.Println("skipped leads:", rep.Skipped.Leads)
	// Output:
	// 2026-03                       leads=3 cpl=100.0000 cac=300.0000 win=1.0000
	// 2026-03 channel  email        leads=1 cpl=0.0000 cac=n/a win=n/a
	// 2026-03 channel  paid_search  leads=2 cpl=150.0000 cac=300.0000 win=1.0000
	// skipped leads: 1
}

// ExampleCompute computes a report from records in memory, as of an
// instant: the deal won after it is still open, so the win rate is
// undefined and the pipeline holds it.
func ExampleCompute() {
	t := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	rep, err := kpi.Compute(kpi.Config{Period: "quarter"}, t(3, 31), kpi.Records{
		Leads: []lead.Lead{{ID: "L1", CreatedAt: t(1, 5)}, {ID: "L2", CreatedAt: t(2, 5)}},
		Deals: []kpi.Deal{{ID: "D1", LeadID: "L1", Status: kpi.DealWon, Amount: decimal.NewFromInt(900),
			CreatedAt: t(2, 1), ClosedAt: t(4, 15)}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Rows[0]
	fmt.Printf("%s leads=%d pipeline=%s won=%d win rate=%v\n", r.Period, r.Leads, r.Pipeline, r.Won, r.WinRate)

	// The same deal twice is refused: it would count its revenue twice.
	d := kpi.Deal{ID: "D1", Status: kpi.DealOpen, CreatedAt: t(2, 1)}
	_, err = kpi.Compute(kpi.Config{}, time.Time{}, kpi.Records{Deals: []kpi.Deal{d, d}})
	fmt.Println(err)
	// Output:
	// 2026-Q1 leads=2 pipeline=900 won=0 win rate=n/a
	// kpi: compute: duplicate ids: 1 deal ids occur more than once: "D1"
}

// ExampleParseConfig loads a definition from JSON. A host with its own
// funnel gives its stage ladder; a misspelt field is refused.
func ExampleParseConfig() {
	cfg, err := kpi.ParseConfig([]byte(`{
		"period": "week",
		"zone": "Europe/Paris",
		"dimensions": [{"name": "channel", "key": "source.channel"}, {"name": "region", "key": "company.region"}],
		"stages": {"ladder": ["new", "engaged", "qualified", "won"], "mql": "engaged", "sql": "qualified", "customer": "won"},
		"cohort_window": "60d"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Period, cfg.Zone, len(cfg.Dimensions), cfg.Stages.MQL, cfg.CohortWindow)

	_, err = kpi.ParseConfig([]byte(`{"period": "month", "cohortwindow": "60d"}`))
	fmt.Println(err)
	_, err = kpi.ParseConfig([]byte(`{"period": "fortnight", "dimensions": [{"name": "channel"}]}`))
	fmt.Println(err)
	// Output:
	// week Europe/Paris 2 engaged 60d
	// cohortwindow: unknown field "cohortwindow"
	// period: unknown period "fortnight"; use day, week, month, quarter or year
	// dimensions[0].key: empty key; use a field path such as "source.channel"
}

// ExampleMeter_KeysOf shows how a host joins deals to their leads: the
// deal carries its lead's keys, so revenue counts in the lead's channel
// and campaign. When deals and leads arrive on different shards, group
// them by lead id first (a CoGroupByKey), then set the keys and add.
func ExampleMeter_KeysOf() {
	m := kpi.MustCompile(kpi.Config{Dimensions: []kpi.Dimension{kpi.ByChannel(), kpi.ByCampaign(), kpi.ByProduct()}})
	l := lead.Lead{ID: "L1", Source: lead.Source{Channel: "events", Campaign: "roadshow"}}
	fmt.Println(m.KeysOf(&l))
	// Output:
	// map[campaign:roadshow channel:events]
}
