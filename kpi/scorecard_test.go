package kpi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

func utc(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// handData is a small data set whose KPIs are worked out by hand in
// TestScorecardHandWorked.
type handData struct {
	spend     []Spend
	visits    []Visits
	leads     []lead.Lead
	deals     []Deal
	customers []Customer
}

func newHandData() handData {
	trans := func(to lead.Stage, at time.Time) lead.Transition { return lead.Transition{To: to, At: at} }
	call := func(by string, at time.Time) lead.Activity {
		return lead.Activity{Type: lead.ActivityCall, Actor: by, At: at}
	}
	return handData{
		spend: []Spend{
			{At: utc(2026, 1, 5, 9), Channel: "paid_search", Amount: dec("100.10")},
			{At: utc(2026, 1, 20, 9), Channel: "paid_search", Amount: dec("49.90")},
			{At: utc(2026, 1, 10, 9), Channel: "email", Amount: dec("50")},
			{At: utc(2026, 2, 3, 9), Channel: "paid_search", Amount: dec("200")},
		},
		visits: []Visits{
			{At: utc(2026, 1, 31, 0), Channel: "paid_search", Count: 1000},
			{At: utc(2026, 1, 31, 0), Channel: "email", Count: 500},
			{At: utc(2026, 2, 28, 0), Channel: "paid_search", Count: 800},
		},
		leads: []lead.Lead{
			{ID: "L1", CreatedAt: utc(2026, 1, 2, 10), Owner: "ann", Source: lead.Source{Channel: "paid_search"},
				History: []lead.Transition{
					trans(lead.StageCustomer, utc(2026, 2, 1, 10)), // unsorted on purpose
					trans(lead.StageMQL, utc(2026, 1, 3, 0)),
					trans(lead.StageSQL, utc(2026, 1, 5, 0)),
				},
				Activities: []lead.Activity{call("ann", utc(2026, 1, 2, 12))}},
			{ID: "L2", CreatedAt: utc(2026, 1, 10, 0), Owner: "bob", Source: lead.Source{Channel: "paid_search"},
				History: []lead.Transition{trans(lead.StageMQL, utc(2026, 1, 11, 0))}},
			{ID: "L3", CreatedAt: utc(2026, 1, 15, 0), Owner: "ann", Source: lead.Source{Channel: "email"},
				Stage:      lead.StageOpportunity,
				Activities: []lead.Activity{call("bob", utc(2026, 1, 16, 0))}},
			{ID: "L4", CreatedAt: utc(2026, 2, 5, 0), Owner: "bob", Source: lead.Source{Channel: "email"},
				Activities: []lead.Activity{call("bob", utc(2026, 2, 5, 6))}},
		},
		deals: []Deal{
			{ID: "D1", LeadID: "L1", Owner: "ann", Amount: dec("1000.00"), CreatedAt: utc(2026, 1, 20, 0),
				ClosedAt: utc(2026, 2, 1, 0), Status: DealWon, NewCustomer: true},
			{ID: "D2", LeadID: "L2", Owner: "bob", Amount: dec("500"), CreatedAt: utc(2026, 1, 25, 0),
				ClosedAt: utc(2026, 2, 10, 0), Status: DealLost},
			{ID: "D3", LeadID: "L3", Owner: "ann", Amount: dec("250.50"), CreatedAt: utc(2026, 1, 28, 0),
				ClosedAt: utc(2026, 3, 10, 0), Status: DealWon},
			{ID: "D4", Owner: "bob", Amount: dec("300"), CreatedAt: utc(2026, 2, 15, 0), Status: DealOpen},
		},
		customers: []Customer{
			{ID: "C1", Since: utc(2025, 12, 15, 0)},
			{ID: "C2", Since: utc(2026, 1, 10, 0), ChurnedAt: utc(2026, 2, 20, 0)},
			{ID: "C3", Since: utc(2026, 2, 1, 0)},
		},
	}
}

// handConfig segments by channel (deals keyed through their lead, as a
// host would with its own lookup) and by owner.
func handConfig() Config {
	channelOf := map[string]string{"L1": "paid_search", "L2": "paid_search", "L3": "email"}
	ch := ByChannel()
	ch.Deal = func(d *Deal) string { return channelOf[d.LeadID] }
	return Config{
		Dimensions: []Dimension{ch, ByOwner()},
		// Marketing sourced the deals that came from a lead, and also
		// influenced D4 (say a webinar the buyer attended).
		MarketingPipeline: func(d *Deal) (bool, bool) { return d.LeadID != "", d.LeadID != "" || d.ID == "D4" },
	}
}

func (h handData) addTo(t testing.TB, s *Scorecard) {
	t.Helper()
	for i := range h.spend {
		if err := s.AddSpend(&h.spend[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range h.visits {
		if err := s.AddVisits(&h.visits[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range h.leads {
		if err := s.AddLead(&h.leads[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range h.deals {
		if err := s.AddDeal(&h.deals[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := range h.customers {
		if err := s.AddCustomer(&h.customers[i]); err != nil {
			t.Fatal(err)
		}
	}
}

func findRow(t *testing.T, rep Report, period, dim, seg string) Row {
	t.Helper()
	for _, r := range rep.Rows {
		if r.Period == period && r.Dimension == dim && r.Segment == seg {
			return r
		}
	}
	t.Fatalf("no row %s/%s/%s", period, dim, seg)
	return Row{}
}

func TestScorecardHandWorked(t *testing.T) {
	s, err := NewScorecard(handConfig())
	if err != nil {
		t.Fatal(err)
	}
	newHandData().addTo(t, s)
	rep := s.Report()
	type check struct {
		name string
		got  any // Ratio, int64 or decimal.Decimal
		want string
	}
	tests := []struct {
		period, dim, seg string
		checks           func(r Row) []check
	}{
		{"2025-12", "", "", func(r Row) []check {
			return []check{
				{"customers_end", r.CustomersEnd, "1"},  // C1 joined
				{"retention", r.Retention, "n/a"},       // nobody at the start
				{"cost_per_lead", r.CostPerLead, "n/a"}, // no leads
				{"pipeline_velocity", r.PipelineVelocity, "n/a"},
			}
		}},
		{"2026-01", "", "", func(r Row) []check {
			return []check{
				{"start", r.Start, "2026-01-01"},
				{"spend", r.Spend, "200"},                                      // 100.10 + 49.90 + 50
				{"visits", r.Visits, "1500"},                                   // 1000 + 500
				{"leads", r.Leads, "3"},                                        // L1 L2 L3
				{"mqls", r.MQLs, "3"},                                          // L1 (via sql), L2, L3 (stage opportunity)
				{"sqls", r.SQLs, "2"},                                          // L1, L3
				{"mql_to_sql", r.MQLToSQL, "0.6667"},                           // 2 / 3
				{"cohort", r.LeadToCustomerCohort, "0.3333"},                   // L1 won after 30 days <= 90: 1 / 3
				{"period rate", r.LeadToCustomerPeriod, "0"},                   // no lead became a customer in January
				{"uncontacted", r.Uncontacted, "1"},                            // L2
				{"response median", r.ResponseTime.Contacted.Median, "0.5417"}, // 2h and 24h: 13h / 24
				{"cost_per_lead", r.CostPerLead, "66.67"},                      // 200 / 3
				{"traffic_to_lead", r.TrafficToLead, "0.002"},                  // 3 / 1500
				{"opportunities", r.Opportunities, "3"},                        // D1 D2 D3
				{"pipeline", r.Pipeline, "1750.50"},                            // 1000 + 500 + 250.50
				{"sourced", r.Marketing.Sourced, "1750.50"},                    // D1 D2 D3 have leads
				{"influenced", r.Marketing.Influenced, "1750.50"},              // the same three
				{"sourced deals", r.Marketing.SourcedDeals, "3"},
				{"win_rate", r.WinRate, "n/a"},             // nothing closed in January
				{"cac", r.CustomerAcquisitionCost, "n/a"},  // no new customers
				{"customers_start", r.CustomersStart, "1"}, // C1
				{"customers_end", r.CustomersEnd, "2"},     // + C2
				{"retention", r.Retention, "1"},            // (2 - 1) / 1
				{"churn", r.Churn, "0"},                    // 0 / 1
				{"ltv", r.LifetimeValue, "n/a"},            // zero churn: undefined
				{"roi", r.ROI, "-1"},                       // (0 - 200) / 200
				{"roas", r.ROAS, "0"},                      // 0 / 200
			}
		}},
		{"2026-02", "", "", func(r Row) []check {
			return []check{
				{"leads", r.Leads, "1"},                       // L4
				{"sourced", r.Marketing.Sourced, "0"},         // D4 has no lead
				{"influenced", r.Marketing.Influenced, "300"}, // but marketing touched it
				{"influenced deals", r.Marketing.InfluencedDeals, "1"},
				{"mql_to_sql", r.MQLToSQL, "n/a"},                            // no MQLs
				{"period rate", r.LeadToCustomerPeriod, "1"},                 // L1 won, 1 lead created: 1 / 1
				{"time to purchase", r.TimeToPurchase.Mean, "30"},            // L1: Jan 2 10:00 -> Feb 1 10:00
				{"response median", r.ResponseTime.Contacted.Median, "0.25"}, // L4: 6h
				{"won", r.Won, "1"},                                          // D1
				{"lost", r.Lost, "1"},                                        // D2
				{"win_rate", r.WinRate, "0.5"},                               // 1 / 2
				{"revenue", r.Revenue, "1000"},                               // D1
				{"revenue_new", r.RevenueNew, "1000"},                        // D1 is new business
				{"revenue_existing", r.RevenueExisting, "0"},
				{"average_deal_size", r.AverageDealSize, "1000"},
				{"cycle", r.SalesCycle.Median, "12"},        // Jan 20 -> Feb 1
				{"cac", r.CustomerAcquisitionCost, "200"},   // 200 spend / 1 new customer
				{"customers_start", r.CustomersStart, "2"},  // C1 C2
				{"customers_end", r.CustomersEnd, "2"},      // + C3 - C2
				{"retention", r.Retention, "0.5"},           // (2 - 1) / 2
				{"churn", r.Churn, "0.5"},                   // 1 / 2
				{"arpa", r.ARPA, "500"},                     // 1000 / 2
				{"ltv", r.LifetimeValue, "1000"},            // 500 x 1 / 0.5
				{"ltv_to_cac", r.LTVToCAC, "5"},             // 1000 / 200
				{"payback", r.CACPayback, "0.4"},            // 200 / (500 x 1)
				{"roi", r.ROI, "4"},                         // (1000 - 200) / 200
				{"roas", r.ROAS, "5"},                       // 1000 / 200
				{"velocity", r.PipelineVelocity, "41.6667"}, // 1 opp x 0.5 x 1000 / 12 days
				{"lead_value", r.LeadValue, "0"},            // 1000 x (0 of 1 cohort won)
			}
		}},
		{"2026-03", "", "", func(r Row) []check {
			return []check{
				{"revenue_existing", r.RevenueExisting, "250.5"}, // D3
				{"cycle", r.SalesCycle.Mean, "41"},               // Jan 28 -> Mar 10: 3 + 28 + 10 days
				{"velocity", r.PipelineVelocity, "0"},            // no opportunities created in March
				{"retention", r.Retention, "1"},                  // (2 - 0) / 2
			}
		}},
		{AllPeriods, "", "", func(r Row) []check {
			return []check{
				{"spend", r.Spend, "400"},
				{"win_rate", r.WinRate, "0.6667"},                  // 2 / 3
				{"average_deal_size", r.AverageDealSize, "625.25"}, // 1250.50 / 2
				{"cycle median", r.SalesCycle.Median, "26.5"},      // 12 and 41
				{"cycle mean", r.SalesCycle.Mean, "26.5"},
				// 4 opps x 2/3 x 625.25 / 26.5 = 5002 / 79.5 = 62.91823...
				{"velocity", r.PipelineVelocity, "62.9182"},
				{"customers_end", r.CustomersEnd, "2"}, // 3 gained - 1 lost
				{"retention", r.Retention, "n/a"},      // no start over all periods
			}
		}},
		{"2026-01", "channel", "paid_search", func(r Row) []check {
			return []check{
				{"spend", r.Spend, "150"},                     // 100.10 + 49.90
				{"leads", r.Leads, "2"},                       // L1 L2
				{"cost_per_lead", r.CostPerLead, "75"},        // 150 / 2
				{"traffic_to_lead", r.TrafficToLead, "0.002"}, // 2 / 1000
				{"mql_to_sql", r.MQLToSQL, "0.5"},             // L1 of L1, L2
				{"pipeline", r.Pipeline, "1500"},              // D1 + D2 via their leads
			}
		}},
		{"2026-02", "channel", "paid_search", func(r Row) []check {
			return []check{
				{"cac", r.CustomerAcquisitionCost, "200"}, // 200 / D1
				{"roas", r.ROAS, "5"},                     // 1000 / 200
				{"win_rate", r.WinRate, "0.5"},            // D1 won, D2 lost
			}
		}},
		{"2026-01", "channel", "email", func(r Row) []check {
			return []check{{"cost_per_lead", r.CostPerLead, "50"}} // 50 / L3
		}},
		{"2026-02", "channel", "", func(r Row) []check {
			return []check{{"pipeline", r.Pipeline, "300"}} // D4 has no lead, so no channel
		}},
		{"2026-02", "owner", "bob", func(r Row) []check {
			return []check{
				{"lost", r.Lost, "1"},                   // D2
				{"leads", r.Leads, "1"},                 // L4
				{"opportunities", r.Opportunities, "1"}, // D4
				{"spend", r.Spend, "0"},                 // spend has no owner
				{"cost_per_lead", r.CostPerLead, "0"},   // so 0 / 1
			}
		}},
		{"2026-02", "owner", "ann", func(r Row) []check {
			return []check{{"win_rate", r.WinRate, "1"}} // D1 won
		}},
	}
	for _, tt := range tests {
		r := findRow(t, rep, tt.period, tt.dim, tt.seg)
		for _, c := range tt.checks(r) {
			t.Run(tt.period+"/"+tt.dim+"/"+tt.seg+"/"+c.name, func(t *testing.T) {
				switch g := c.got.(type) {
				case Ratio:
					checkRatio(t, g, c.want)
				case decimal.Decimal:
					if !g.Equal(dec(c.want)) {
						t.Fatalf("got %s, want %s", g, c.want)
					}
				default:
					if s := fmt.Sprint(g); s != c.want {
						t.Fatalf("got %s, want %s", s, c.want)
					}
				}
			})
		}
	}
	// Row order: periods ascending, totals before segments, all last.
	var order []string
	for _, r := range rep.Rows {
		if r.Dimension == "" {
			order = append(order, r.Period)
		}
	}
	if got := strings.Join(order, " "); got != "2025-12 2026-01 2026-02 2026-03 all" {
		t.Errorf("total rows in order %s", got)
	}
}

func TestPeriods(t *testing.T) {
	ny := time.FixedZone("UTC-5", -5*3600)
	tests := []struct {
		t     time.Time
		g     Granularity
		loc   *time.Location
		label string
		start string
	}{
		{utc(2026, 3, 5, 12), Day, time.UTC, "2026-03-05", "2026-03-05"},
		// 03:00 UTC on Mar 1 is still Feb 28 at UTC-5
		{utc(2026, 3, 1, 3), Day, ny, "2026-02-28", "2026-02-28"},
		{utc(2026, 3, 1, 3), Month, ny, "2026-02", "2026-02-01"},
		// 2026-03-05 is a Thursday: its ISO week 10 starts Monday Mar 2
		{utc(2026, 3, 5, 12), Week, time.UTC, "2026-W10", "2026-03-02"},
		// Sunday Mar 8 is still in the week of Monday Mar 2
		{utc(2026, 3, 8, 23), Week, time.UTC, "2026-W10", "2026-03-02"},
		// 2027-01-01 is a Friday: ISO week 53 of 2026, from Mon 2026-12-28
		{utc(2027, 1, 1, 12), Week, time.UTC, "2026-W53", "2026-12-28"},
		// 2025-12-29 (a Monday) starts ISO week 1 of 2026
		{utc(2025, 12, 31, 12), Week, time.UTC, "2026-W01", "2025-12-29"},
		{utc(2026, 8, 15, 0), Quarter, time.UTC, "2026-Q3", "2026-07-01"},
		{utc(2026, 12, 31, 23), Year, time.UTC, "2026", "2026-01-01"},
		// before the epoch: 1969-12-31 was a Wednesday, week from Mon Dec 29
		{utc(1969, 12, 31, 0), Week, time.UTC, "1970-W01", "1969-12-29"},
		{utc(1969, 2, 1, 0), Quarter, time.UTC, "1969-Q1", "1969-01-01"},
	}
	for _, tt := range tests {
		t.Run(string(tt.g)+"/"+tt.label, func(t *testing.T) {
			label, start := periodLabel(periodOf(tt.t, tt.g, tt.loc), tt.g)
			if label != tt.label || start != tt.start {
				t.Fatalf("got %s from %s, want %s from %s", label, start, tt.label, tt.start)
			}
		})
	}
}

// randomData returns random records over 2025-2026 in a few segments.
func randomData(rng *rand.Rand, n int) handData {
	t0 := utc(2025, 1, 1, 0)
	at := func() time.Time { return t0.Add(time.Duration(rng.Int64N(int64(700 * 24 * time.Hour)))) }
	channels := []string{"paid_search", "email", "social", ""}
	owners := []string{"ann", "bob", "cy"}
	stages := []lead.Stage{lead.StageLead, lead.StageMQL, lead.StageSQL, lead.StageOpportunity, lead.StageCustomer, "custom"}
	var h handData
	for range n {
		h.spend = append(h.spend, Spend{At: at(), Channel: channels[rng.IntN(4)], Campaign: fmt.Sprint("c", rng.IntN(3)),
			Amount: decimal.New(rng.Int64N(1e7), -int32(rng.IntN(6)))})
		h.visits = append(h.visits, Visits{At: at(), Channel: channels[rng.IntN(4)], Count: rng.Int64N(1000)})
		created := at()
		l := lead.Lead{ID: fmt.Sprint("L", len(h.leads)), CreatedAt: created, Owner: owners[rng.IntN(3)],
			Source: lead.Source{Channel: lead.Channel(channels[rng.IntN(4)]), Campaign: fmt.Sprint("c", rng.IntN(3))}}
		for range rng.IntN(4) {
			l.History = append(l.History, lead.Transition{To: stages[rng.IntN(len(stages))],
				At: created.Add(time.Duration(rng.Int64N(int64(200 * 24 * time.Hour))))})
		}
		for range rng.IntN(3) {
			l.Activities = append(l.Activities, lead.Activity{Type: lead.ActivityCall, Actor: owners[rng.IntN(3)],
				At: created.Add(time.Duration(rng.Int64N(int64(10*24*time.Hour))) - 24*time.Hour)})
		}
		h.leads = append(h.leads, l)
		d := Deal{ID: fmt.Sprint("D", len(h.deals)), LeadID: l.ID, Owner: owners[rng.IntN(3)], Product: fmt.Sprint("p", rng.IntN(2)),
			Amount: decimal.New(rng.Int64N(1e8), -2), CreatedAt: at(), Status: []DealStatus{DealOpen, DealWon, DealLost}[rng.IntN(3)],
			NewCustomer: rng.IntN(2) == 0}
		if d.Status != DealOpen {
			d.ClosedAt = d.CreatedAt.Add(time.Duration(rng.Int64N(int64(150 * 24 * time.Hour))))
		}
		h.deals = append(h.deals, d)
		c := Customer{ID: fmt.Sprint("C", len(h.customers)), Since: at()}
		if rng.IntN(3) == 0 {
			c.ChurnedAt = c.Since.Add(time.Duration(rng.Int64N(int64(300 * 24 * time.Hour))))
		}
		h.customers = append(h.customers, c)
	}
	return h
}

func randomConfig() Config {
	persona := ByPersona(func(l *lead.Lead) string { return string(l.Stage) + "/" + l.Owner })
	cust := Dimension{Name: "cohort", Customer: func(c *Customer) string { return c.Since.Format("2006") }}
	return Config{Granularity: Month, Location: time.FixedZone("X", 3600*5+1800),
		Dimensions:        []Dimension{ByChannel(), ByCampaign(), ByOwner(), ByProduct(), persona, cust},
		GrossMargin:       dec("0.75"),
		MarketingPipeline: func(d *Deal) (bool, bool) { return d.Product == "p0", d.Owner != "cy" }}
}

func reportJSON(t testing.TB, s *Scorecard) []byte {
	t.Helper()
	b, err := json.Marshal(s.Report())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestScorecardMergeInvariance is the property test: the records split
// at random over k scorecards, each added in a random order, some sent
// through JSON, merged in a random order, give byte for byte the report
// of one scorecard that got everything in order.
func TestScorecardMergeInvariance(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	h := randomData(rng, 400)
	cfg := randomConfig()
	whole, _ := NewScorecard(cfg)
	h.addTo(t, whole)
	want := reportJSON(t, whole)
	for iter := range 8 {
		k := 1 + rng.IntN(6)
		parts := make([]*Scorecard, k)
		for i := range parts {
			parts[i], _ = NewScorecard(cfg)
		}
		// One random scorecard per record, records in random order.
		type op func(s *Scorecard) error
		var ops []op
		for i := range h.spend {
			ops = append(ops, func(s *Scorecard) error { return s.AddSpend(&h.spend[i]) })
		}
		for i := range h.visits {
			ops = append(ops, func(s *Scorecard) error { return s.AddVisits(&h.visits[i]) })
		}
		for i := range h.leads {
			ops = append(ops, func(s *Scorecard) error { return s.AddLead(&h.leads[i]) })
		}
		for i := range h.deals {
			ops = append(ops, func(s *Scorecard) error { return s.AddDeal(&h.deals[i]) })
		}
		for i := range h.customers {
			ops = append(ops, func(s *Scorecard) error { return s.AddCustomer(&h.customers[i]) })
		}
		rng.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		for _, o := range ops {
			if err := o(parts[rng.IntN(k)]); err != nil {
				t.Fatal(err)
			}
		}
		// Round-trip some parts through JSON, into a zero-config
		// scorecard's worth of state (Merge and Report need no functions).
		for i := range parts {
			if rng.IntN(2) == 0 {
				b, err := json.Marshal(parts[i])
				if err != nil {
					t.Fatal(err)
				}
				var back Scorecard
				if err := json.Unmarshal(b, &back); err != nil {
					t.Fatal(err)
				}
				parts[i] = &back
			}
		}
		rng.Shuffle(k, func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		// Merge into a scorecard made from the config or, as a combiner
		// that only has the state would, into a zero Scorecard that takes
		// its settings from the first part.
		acc, _ := NewScorecard(cfg)
		if iter%2 == 1 {
			acc = &Scorecard{}
			b, _ := json.Marshal(parts[0])
			if err := json.Unmarshal(b, acc); err != nil {
				t.Fatal(err)
			}
			parts = parts[1:]
		}
		for _, p := range parts {
			if err := acc.Merge(p); err != nil {
				t.Fatal(err)
			}
		}
		if got := reportJSON(t, acc); !bytes.Equal(got, want) {
			t.Fatalf("iteration %d (%d parts): merged report differs from the whole", iter, k)
		}
	}
}

// TestScorecardJSONRoundTrip checks that state decoded into a scorecard
// made with the same Config reports the same and keeps accepting records
// with the caller's (unserialized) key functions.
func TestScorecardJSONRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	h := randomData(rng, 200)
	cfg := randomConfig()
	a, _ := NewScorecard(cfg)
	half := handData{spend: h.spend[:100], visits: h.visits[:100], leads: h.leads[:100], deals: h.deals[:100], customers: h.customers[:100]}
	rest := handData{spend: h.spend[100:], visits: h.visits[100:], leads: h.leads[100:], deals: h.deals[100:], customers: h.customers[100:]}
	half.addTo(t, a)
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := NewScorecard(cfg)
	if err := json.Unmarshal(b, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(reportJSON(t, back), reportJSON(t, a)) {
		t.Fatal("decoded state reports differently")
	}
	rest.addTo(t, back)
	whole, _ := NewScorecard(cfg)
	h.addTo(t, whole)
	if !bytes.Equal(reportJSON(t, back), reportJSON(t, whole)) {
		t.Fatal("adding after decoding differs from adding everything at once")
	}
	// Decoded without the config, the custom dimensions have no key
	// functions: adding reports it rather than guessing.
	var bare Scorecard
	if err := json.Unmarshal(b, &bare); err != nil {
		t.Fatal(err)
	}
	if err := bare.AddSpend(&h.spend[0]); err == nil || !strings.Contains(err.Error(), "is not loaded") {
		t.Fatalf("got %v, want an error about the time zone", err)
	}
}

func TestScorecardZeroValue(t *testing.T) {
	var s Scorecard
	if err := s.AddDeal(&Deal{ID: "d", Status: DealWon, Amount: dec("10"), CreatedAt: utc(2026, 1, 1, 0), ClosedAt: utc(2026, 1, 3, 0)}); err != nil {
		t.Fatal(err)
	}
	rep := s.Report()
	if rep.Granularity != Month || rep.Zone != "UTC" || len(rep.Rows) != 2 {
		t.Fatalf("got %+v, want a monthly UTC report with one period row and the all row", rep)
	}
	checkRatio(t, rep.Rows[0].SalesCycle.Mean, "2") // Jan 1 -> Jan 3
	var empty Scorecard
	if rows := empty.Report().Rows; len(rows) != 0 {
		t.Fatalf("empty scorecard: got %d rows", len(rows))
	}
	// Built-in dimensions come back by name after decoding.
	s2, _ := NewScorecard(Config{Dimensions: []Dimension{ByProduct()}})
	b, _ := json.Marshal(s2)
	var back Scorecard
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.AddDeal(&Deal{ID: "d", Product: "x", Status: DealOpen, CreatedAt: utc(2026, 1, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	findRow(t, back.Report(), "2026-01", "product", "x")
}

func TestScorecardErrors(t *testing.T) {
	_, err := NewScorecard(Config{Granularity: "fortnight", CohortWindow: -1, DurationUnit: time.Millisecond,
		GrossMargin: dec("-0.1"), Dimensions: []Dimension{{Name: "a"}, {}, {Name: "a"}}})
	for _, want := range []string{`granularity: unknown "fortnight"`, "cohort_window: negative", "duration_unit: 1ms",
		"gross_margin: negative", "dimensions[1].name: empty", `dimensions[2].name: duplicate "a"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("config error %v: want %q", err, want)
		}
	}
	s, _ := NewScorecard(Config{})
	t0 := utc(2026, 1, 1, 0)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"spend zero time", s.AddSpend(&Spend{}), "spend: zero time"},
		{"visits zero time", s.AddVisits(&Visits{Count: 1}), "visits: zero time"},
		{"visits negative", s.AddVisits(&Visits{At: t0, Count: -1}), "negative count -1"},
		{"lead zero time", s.AddLead(&lead.Lead{ID: "L"}), `lead "L": zero created_at`},
		{"deal status", s.AddDeal(&Deal{ID: "D", CreatedAt: t0}), `deal "D": unknown status ""`},
		{"deal created", s.AddDeal(&Deal{ID: "D", Status: DealOpen}), `deal "D": zero created_at`},
		{"deal closed", s.AddDeal(&Deal{ID: "D", Status: DealWon, CreatedAt: t0}), `deal "D": won without closed_at`},
		{"deal order", s.AddDeal(&Deal{ID: "D", Status: DealLost, CreatedAt: t0, ClosedAt: t0.Add(-1)}), "closed_at before created_at"},
		{"customer since", s.AddCustomer(&Customer{ID: "C"}), `customer "C": zero since`},
		{"customer order", s.AddCustomer(&Customer{ID: "C", Since: t0, ChurnedAt: t0.Add(-1)}), "churned_at before since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", tt.err, tt.want)
			}
		})
	}
	if len(s.Report().Rows) != 0 {
		t.Error("rejected records were added")
	}
	other, _ := NewScorecard(Config{Granularity: Week})
	if err := s.Merge(other); err == nil || !strings.Contains(err.Error(), "granularity") {
		t.Errorf("merge of a weekly into a monthly scorecard: got %v", err)
	}
	other, _ = NewScorecard(Config{Dimensions: []Dimension{ByOwner()}})
	if err := s.Merge(other); err == nil || !strings.Contains(err.Error(), "dimensions") {
		t.Errorf("merge with other dimensions: got %v", err)
	}
	other, _ = NewScorecard(Config{MarketingPipeline: func(*Deal) (bool, bool) { return true, true }})
	if err := s.Merge(other); err == nil || !strings.Contains(err.Error(), "marketing pipeline") {
		t.Errorf("merge with and without marketing pipeline: got %v", err)
	}
	// State that counted marketing pipeline, decoded without the
	// function, refuses deals rather than silently not counting them.
	b, _ := json.Marshal(other)
	var bare Scorecard
	if err := json.Unmarshal(b, &bare); err != nil {
		t.Fatal(err)
	}
	if err := bare.AddDeal(&Deal{ID: "d", Status: DealOpen, CreatedAt: t0}); err == nil || !strings.Contains(err.Error(), "marketing pipeline function") {
		t.Errorf("got %v, want an error about the marketing pipeline function", err)
	}
}

func TestScorecardConcurrentReport(t *testing.T) {
	s, _ := NewScorecard(handConfig())
	newHandData().addTo(t, s)
	want := reportJSON(t, s)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := reportJSON(t, s); !bytes.Equal(got, want) {
				t.Error("concurrent report differs")
			}
		}()
	}
	wg.Wait()
}

// TestSummarizeHist checks the histogram summary against the plain one
// (sort the expanded values, internal/stats.Percentile) on random data.
func TestSummarizeHist(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for iter := range 500 {
		h := map[int64]int64{}
		var values []int64
		for range rng.IntN(30) {
			v := rng.Int64N(2000) - 100
			if iter%7 == 0 {
				v = rng.Int64N(1 << 40) // large values take the decimal path of the sum
			}
			c := 1 + rng.Int64N(5)
			h[v] += c
			for range c {
				values = append(values, v)
			}
		}
		got, want := summarizeHist(h, time.Hour), summarize(values, time.Hour)
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		if !bytes.Equal(gj, wj) {
			t.Fatalf("histogram %v:\ngot  %s\nwant %s", h, gj, wj)
		}
	}
}

func TestScorecardUnmarshalChecks(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"not json", `{"cells":`, "unexpected end"},
		{"granularity", `{"granularity":"fortnight"}`, `granularity: unknown "fortnight"`},
		{"unit", `{"duration_unit":5}`, "duration_unit: 5ns"},
		{"window", `{"cohort_window":-5}`, "cohort_window: negative"},
		{"margin", `{"gross_margin":"-1"}`, "gross_margin: negative"},
		{"dims", `{"dimensions":["a","","a"]}`, `dimensions[1]: empty`},
		{"dup dim", `{"dimensions":["a","a"]}`, `dimensions[1]: duplicate "a"`},
		{"null cell", `{"cells":[null]}`, "cells[0]: null"},
		{"unknown dim", `{"cells":[{"period":1,"dimension":"x"}]}`, `cells[0].dimension: unknown "x"`},
		{"segment without dim", `{"cells":[{"period":1,"segment":"x"}]}`, `cells[0].segment: "x" without a dimension`},
		{"duplicate cell", `{"cells":[{"period":1},{"period":1}]}`, "cells[1]: same period and segment as cells[0]"},
		{"negative", `{"cells":[{"period":1,"won":-1}]}`, "cells[0].won: negative"},
		{"hist vs count", `{"cells":[{"period":1,"won":2,"cycle":{"5":1}}]}`, "cells[0].cycle: counts do not add up to 2"},
		{"hist negative", `{"cells":[{"period":1,"won":0,"cycle":{"5":1,"6":-1}}]}`, "cells[0].cycle: counts do not add up to 0"},
		{"hist huge", `{"cells":[{"period":1,"leads":1,"response":{"5":9223372036854775807,"6":9223372036854775807}}]}`, "cells[0].response: counts do not add up to 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := NewScorecard(Config{Granularity: Week})
			err := json.Unmarshal([]byte(tt.json), s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if s.Granularity != Week {
				t.Fatal("a rejected state changed the scorecard")
			}
		})
	}
}

// FuzzScorecardJSON feeds arbitrary state to UnmarshalJSON: accepted state
// must report and merge without panicking, and re-encode to state that
// reports the same.
func FuzzScorecardJSON(f *testing.F) {
	s, _ := NewScorecard(handConfig())
	newHandData().addTo(f, s)
	seed, _ := json.Marshal(s)
	f.Add(seed)
	f.Add([]byte(`{"granularity":"day","cells":[{"period":-5,"leads":2,"uncontacted":1,"response":{"-3":1}}]}`))
	f.Add([]byte(`{"dimensions":["a"],"cells":[{"period":1,"dimension":"a","segment":"x","spend":"1e-30","won":1,"cycle":{"1":1}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Scorecard
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		r1, err := json.Marshal(s.Report())
		if err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		var back Scorecard
		if err := json.Unmarshal(again, &back); err != nil {
			t.Fatalf("re-encoded state rejected: %v", err)
		}
		if r2, _ := json.Marshal(back.Report()); !bytes.Equal(r1, r2) {
			t.Fatalf("report changed through JSON:\n%s\n%s", r1, r2)
		}
		var acc Scorecard
		acc.Granularity, acc.Zone = s.Granularity, s.Zone
		_ = acc.Merge(&s)
	})
}

// TestScorecardParallelShards adds the records from several goroutines,
// each into its own scorecard, and merges them: the intended way to use
// the accumulator concurrently (run with -race).
func TestScorecardParallelShards(t *testing.T) {
	h := randomData(rand.New(rand.NewPCG(13, 14)), 200)
	cfg := randomConfig()
	whole, _ := NewScorecard(cfg)
	h.addTo(t, whole)
	const k = 4
	shards := make([]*Scorecard, k)
	var wg sync.WaitGroup
	for g := range k {
		shards[g], _ = NewScorecard(cfg)
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := shards[g]
			for i := g; i < len(h.leads); i += k {
				_ = s.AddSpend(&h.spend[i])
				_ = s.AddVisits(&h.visits[i])
				_ = s.AddLead(&h.leads[i])
				_ = s.AddDeal(&h.deals[i])
				_ = s.AddCustomer(&h.customers[i])
			}
		}()
	}
	wg.Wait()
	acc, _ := NewScorecard(cfg)
	for _, s := range shards {
		if err := acc.Merge(s); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(reportJSON(t, acc), reportJSON(t, whole)) {
		t.Fatal("parallel shards merged differ from one scorecard")
	}
}

func TestCompute(t *testing.T) {
	h := newHandData()
	cfg := handConfig()
	s, _ := NewScorecard(cfg)
	h.addTo(t, s)
	// Two bad records are reported with their paths; the rest is counted.
	deals := append(append([]Deal(nil), h.deals...), Deal{ID: "bad", Status: "maybe", CreatedAt: utc(2026, 1, 1, 0)})
	spend := append([]Spend{{Amount: dec("5")}}, h.spend...)
	rep, err := Compute(cfg, Records{Spend: spend, Visits: h.visits, Leads: h.leads, Deals: deals, Customers: h.customers})
	if err == nil || !strings.Contains(err.Error(), "spend[0]: kpi: scorecard: spend: zero time") ||
		!strings.Contains(err.Error(), `deals[4]: kpi: scorecard: deal "bad": unknown status "maybe"`) {
		t.Fatalf("got %v, want errors for spend[0] and deals[4]", err)
	}
	got, _ := json.Marshal(rep)
	if want := reportJSON(t, s); !bytes.Equal(got, want) {
		t.Fatal("Compute differs from adding the valid records one by one")
	}
	if _, err := Compute(Config{Granularity: "x"}, Records{}); err == nil {
		t.Fatal("bad config: want an error")
	}
}
