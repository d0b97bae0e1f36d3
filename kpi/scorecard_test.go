package kpi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/leadkit/leadkit"
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
			// Marketing influenced D4 (say a webinar the buyer attended)
			// but it has no lead.
			{ID: "D4", Owner: "bob", Amount: dec("300"), CreatedAt: utc(2026, 2, 15, 0), Status: DealOpen,
				MarketingInfluenced: true},
		},
		customers: []Customer{
			{ID: "C1", Since: utc(2025, 12, 15, 0)},
			{ID: "C2", Since: utc(2026, 1, 10, 0), ChurnedAt: utc(2026, 2, 20, 0)},
			{ID: "C3", Since: utc(2026, 2, 1, 0)},
		},
	}
}

// joinDeals does what a host does when it joins deals to their leads:
// the deal carries its lead's segment keys, and marketing sourced and
// influenced the deals that came from a lead.
func (h handData) joinDeals(m *Meter) handData {
	byID := map[string]*lead.Lead{}
	for i := range h.leads {
		byID[h.leads[i].ID] = &h.leads[i]
	}
	h.deals = append([]Deal(nil), h.deals...)
	for i := range h.deals {
		if l := byID[h.deals[i].LeadID]; l != nil {
			h.deals[i].Keys = m.KeysOf(l)
			h.deals[i].MarketingSourced, h.deals[i].MarketingInfluenced = true, true
		}
	}
	return h
}

// handConfig segments by channel and by owner.
func handConfig() Config { return Config{Dimensions: []Dimension{ByChannel(), ByOwner()}} }

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

func (h handData) records() Records {
	return Records{Spend: h.spend, Visits: h.visits, Leads: h.leads, Deals: h.deals, Customers: h.customers}
}

func mustReport(t testing.TB, s *Scorecard) Report {
	t.Helper()
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	return r
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

func hasRow(rep Report, period, dim, seg string) bool {
	for _, r := range rep.Rows {
		if r.Period == period && r.Dimension == dim && r.Segment == seg {
			return true
		}
	}
	return false
}

// check is one expected figure of a row: got is a Ratio, an int64, a
// decimal.Decimal, a *leadkit.Duration (its String form, "n/a" for nil)
// or a string.
type check struct {
	name string
	got  any
	want string
}

func runChecks(t *testing.T, prefix string, checks []check) {
	t.Helper()
	for _, c := range checks {
		t.Run(prefix+"/"+c.name, func(t *testing.T) {
			switch g := c.got.(type) {
			case Ratio:
				checkRatio(t, g, c.want)
			case decimal.Decimal:
				if !g.Equal(dec(c.want)) {
					t.Fatalf("got %s, want %s", g, c.want)
				}
			case *leadkit.Duration:
				checkDur(t, g, c.want)
			default:
				if s := fmt.Sprint(g); s != c.want {
					t.Fatalf("got %s, want %s", s, c.want)
				}
			}
		})
	}
}

func TestScorecardHandWorked(t *testing.T) {
	m := MustCompile(handConfig())
	s := m.NewScorecard(time.Time{})
	newHandData().joinDeals(m).addTo(t, s)
	rep := mustReport(t, s)
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
				{"spend", r.Spend, "200"},                                   // 100.10 + 49.90 + 50
				{"visits", r.Visits, "1500"},                                // 1000 + 500
				{"leads", r.Leads, "3"},                                     // L1 L2 L3
				{"mqls", r.MQLs, "3"},                                       // L1 (via sql), L2, L3 (stage opportunity)
				{"sqls", r.SQLs, "2"},                                       // L1, L3
				{"mql_to_sql", r.MQLToSQL, "0.6667"},                        // 2 / 3
				{"cohort", r.LeadToCustomerCohort, "0.3333"},                // L1 won after 30 days <= 90: 1 / 3
				{"period rate", r.LeadToCustomerPeriod, "0"},                // no lead became a customer in January
				{"uncontacted", r.Uncontacted, "1"},                         // L2
				{"response median", r.ResponseTime.Contacted.Median, "13h"}, // 2h and 24h: (2 + 24) / 2
				{"cost_per_lead", r.CostPerLead, "66.67"},                   // 200 / 3
				{"traffic_to_lead", r.TrafficToLead, "0.002"},               // 3 / 1500
				{"opportunities", r.Opportunities, "3"},                     // D1 D2 D3
				{"pipeline", r.Pipeline, "1750.50"},                         // 1000 + 500 + 250.50
				{"sourced", r.Marketing.Sourced, "1750.50"},                 // D1 D2 D3 have leads
				{"influenced", r.Marketing.Influenced, "1750.50"},           // the same three
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
				{"mql_to_sql", r.MQLToSQL, "n/a"},                          // no MQLs
				{"period rate", r.LeadToCustomerPeriod, "1"},               // L1 won, 1 lead created: 1 / 1
				{"time to purchase", r.TimeToPurchase.Mean, "30d"},         // L1: Jan 2 10:00 -> Feb 1 10:00
				{"response median", r.ResponseTime.Contacted.Median, "6h"}, // L4: 6h
				{"won", r.Won, "1"},                                        // D1
				{"lost", r.Lost, "1"},                                      // D2
				{"win_rate", r.WinRate, "0.5"},                             // 1 / 2
				{"revenue", r.Revenue, "1000"},                             // D1
				{"revenue_new", r.RevenueNew, "1000"},                      // D1 is new business
				{"revenue_existing", r.RevenueExisting, "0"},
				{"average_deal_size", r.AverageDealSize, "1000"},
				{"cycle", r.SalesCycle.Median, "12d"},       // Jan 20 -> Feb 1
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
				{"cycle", r.SalesCycle.Mean, "41d"},              // Jan 28 -> Mar 10: 3 + 28 + 10 days
				{"velocity", r.PipelineVelocity, "0"},            // no opportunities created in March
				{"retention", r.Retention, "1"},                  // (2 - 0) / 2
			}
		}},
		{AllPeriods, "", "", func(r Row) []check {
			return []check{
				{"spend", r.Spend, "400"},
				{"win_rate", r.WinRate, "0.6667"},                  // 2 / 3
				{"average_deal_size", r.AverageDealSize, "625.25"}, // 1250.50 / 2
				{"cycle median", r.SalesCycle.Median, "26d12h"},    // 12 and 41 days
				{"cycle mean", r.SalesCycle.Mean, "26d12h"},
				// 4 opps x 2/3 x 625.25 / 26.5 = 5002 / 79.5 = 62.91823...
				{"velocity", r.PipelineVelocity, "62.9182"},
				{"customers_start", r.CustomersStart, "0"}, // before 2025-12 nobody
				{"customers_end", r.CustomersEnd, "2"},     // 3 gained - 1 lost
				// Pooled over 2025-12 .. 2026-03: customers at the start of
				// each month 0 + 1 + 2 + 2 = 5, at the end 1 + 2 + 2 + 2 = 7,
				// lost 1 (C2 in February).
				{"churn", r.Churn, "0.2"},         // 1 / 5
				{"retention", r.Retention, "0.8"}, // (5 - 1) / 5
				{"arpa", r.ARPA, "178.6429"},      // 1250.50 / 7 = 178.642857...
				{"ltv", r.LifetimeValue, "893.2143"},
				// 178.642857... x 1 / 0.2 = 893.2142857...
				{"cac", r.CustomerAcquisitionCost, "400"}, // 400 spend / 1 new customer (D1)
				{"ltv_to_cac", r.LTVToCAC, "2.2330"},      // 893.2142857 / 400 = 2.23303...
				{"payback", r.CACPayback, "2.2391"},       // 400 / 178.642857 = 2800 / 1250.5 = 2.23910...
			}
		}},
		{"2026-01", "channel", "paid_search", func(r Row) []check {
			return []check{
				{"spend", r.Spend, "150"},                     // 100.10 + 49.90
				{"leads", r.Leads, "2"},                       // L1 L2
				{"cost_per_lead", r.CostPerLead, "75"},        // 150 / 2
				{"traffic_to_lead", r.TrafficToLead, "0.002"}, // 2 / 1000
				{"mql_to_sql", r.MQLToSQL, "0.5"},             // L1 of L1, L2
				{"pipeline", r.Pipeline, "1500"},              // D1 + D2 via their leads' keys
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
		{"2026-02", "owner", "bob", func(r Row) []check {
			return []check{
				{"lost", r.Lost, "1"},                   // D2 (its lead's owner is bob)
				{"leads", r.Leads, "1"},                 // L4
				{"opportunities", r.Opportunities, "1"}, // D4: no keys, its own Owner
				{"spend", r.Spend, "0"},                 // spend has no owner
				{"cost_per_lead", r.CostPerLead, "0"},   // so 0 / 1
			}
		}},
		{"2026-02", "owner", "ann", func(r Row) []check {
			return []check{{"win_rate", r.WinRate, "1"}} // D1 won
		}},
	}
	for _, tt := range tests {
		runChecks(t, tt.period+"/"+tt.dim+"/"+tt.seg, tt.checks(findRow(t, rep, tt.period, tt.dim, tt.seg)))
	}
	// D4 has no keys and a deal has no channel of its own: it is in no
	// channel segment.
	if hasRow(rep, "2026-02", "channel", "") {
		t.Error("a deal without keys has a channel row")
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

// TestAllRowGapPeriods checks that the all-periods row pools its
// customer rates over every period of its span, the ones without records
// included.
func TestAllRowGapPeriods(t *testing.T) {
	s := MustCompile(Config{}).NewScorecard(time.Time{})
	for _, c := range []Customer{
		{ID: "C1", Since: utc(2026, 1, 3, 0), ChurnedAt: utc(2026, 4, 2, 0)},
		{ID: "C2", Since: utc(2026, 1, 4, 0)},
	} {
		if err := s.AddCustomer(&c); err != nil {
			t.Fatal(err)
		}
	}
	d := Deal{ID: "D", Status: DealWon, Amount: dec("700"), CreatedAt: utc(2026, 1, 5, 0), ClosedAt: utc(2026, 1, 6, 0), NewCustomer: true}
	if err := s.AddDeal(&d); err != nil {
		t.Fatal(err)
	}
	rep := mustReport(t, s)
	if hasRow(rep, "2026-02", "", "") {
		t.Fatal("a period without records has a row")
	}
	// January to April: customers at the start 0, 2, 2, 2 (Σ 6), at the
	// end 2, 2, 2, 1 (Σ 7); one lost (C1 in April).
	runChecks(t, "all", []check{
		{"churn", findRow(t, rep, AllPeriods, "", "").Churn, "0.1667"},         // 1 / 6
		{"retention", findRow(t, rep, AllPeriods, "", "").Retention, "0.8333"}, // 5 / 6
		{"arpa", findRow(t, rep, AllPeriods, "", "").ARPA, "100"},              // 700 / 7
		{"ltv", findRow(t, rep, AllPeriods, "", "").LifetimeValue, "600"},      // 100 x 1 / (1/6)
		{"ltv_to_cac", findRow(t, rep, AllPeriods, "", "").LTVToCAC, "n/a"},    // no spend: CAC 0, undefined ratio
		{"customers_end", findRow(t, rep, AllPeriods, "", "").CustomersEnd, "1"},
	})
}

// asOfData is the data of TestScorecardAsOf; as of 2026-02-15 12:00.
func asOfData() handData {
	call := func(at time.Time) lead.Activity { return lead.Activity{Type: lead.ActivityCall, Actor: "ann", At: at} }
	return handData{
		spend: []Spend{
			{At: utc(2026, 1, 5, 0), Channel: "email", Amount: dec("100")},
			{At: utc(2026, 2, 16, 0), Channel: "email", Amount: dec("50")}, // after as-of: skipped
		},
		visits: []Visits{
			{At: utc(2026, 1, 5, 0), Count: 40},
			{At: utc(2026, 2, 20, 0), Count: 60}, // after as-of: skipped
		},
		leads: []lead.Lead{
			// A: MQL before as-of; SQL, customer and the first touch after.
			{ID: "A", CreatedAt: utc(2026, 1, 10, 0), Stage: lead.StageCustomer,
				History: []lead.Transition{
					{To: lead.StageLead, At: utc(2026, 1, 10, 0)},
					{From: lead.StageLead, To: lead.StageMQL, At: utc(2026, 1, 12, 0)},
					{From: lead.StageMQL, To: lead.StageSQL, At: utc(2026, 2, 20, 0)},
					{From: lead.StageSQL, To: lead.StageCustomer, At: utc(2026, 3, 1, 0)},
				},
				Activities: []lead.Activity{call(utc(2026, 2, 16, 0))}},
			// B: created after as-of: skipped.
			{ID: "B", CreatedAt: utc(2026, 2, 20, 0), Stage: lead.StageMQL},
			// C: no history, current stage SQL: known since creation.
			{ID: "C", CreatedAt: utc(2026, 1, 5, 0), Stage: lead.StageSQL, Activities: []lead.Activity{call(utc(2026, 1, 6, 0))}},
			// E: became a customer exactly at as-of: visible.
			{ID: "E", CreatedAt: utc(2026, 2, 1, 0), Stage: lead.StageCustomer,
				History: []lead.Transition{{To: lead.StageCustomer, At: utc(2026, 2, 15, 12)}}},
		},
		deals: []Deal{
			{ID: "D1", Amount: dec("1000"), CreatedAt: utc(2026, 1, 20, 0), ClosedAt: utc(2026, 3, 1, 0), Status: DealWon}, // open at as-of
			{ID: "D2", Amount: dec("200"), CreatedAt: utc(2026, 2, 1, 0), ClosedAt: utc(2026, 2, 10, 0), Status: DealLost},
			{ID: "D3", Amount: dec("300"), CreatedAt: utc(2026, 3, 1, 0), Status: DealOpen}, // skipped
		},
		customers: []Customer{
			{ID: "C1", Since: utc(2026, 1, 1, 0), ChurnedAt: utc(2026, 3, 1, 0)}, // churn after as-of: still a customer
			{ID: "C2", Since: utc(2026, 3, 3, 0)},                                // skipped
		},
	}
}

func TestScorecardAsOf(t *testing.T) {
	asOf := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	m := MustCompile(Config{})
	s := m.NewScorecard(asOf)
	asOfData().addTo(t, s)
	rep := mustReport(t, s)
	if rep.AsOf == nil || !rep.AsOf.Equal(asOf) {
		t.Fatalf("report as of %v, want %v", rep.AsOf, asOf)
	}
	if want := (Skipped{Leads: 1, Deals: 1, Spend: 1, Visits: 1, Customers: 1}); rep.Skipped != want {
		t.Errorf("skipped %+v, want %+v", rep.Skipped, want)
	}
	for _, r := range rep.Rows {
		if r.Period != AllPeriods && r.Period > "2026-02" {
			t.Errorf("row of period %s after the as-of's", r.Period)
		}
	}
	jan, feb := findRow(t, rep, "2026-01", "", ""), findRow(t, rep, "2026-02", "", "")
	runChecks(t, "2026-01", []check{
		{"leads", jan.Leads, "2"},                                  // A, C
		{"mqls", jan.MQLs, "2"},                                    // A (Jan 12), C (current stage, no history)
		{"sqls", jan.SQLs, "1"},                                    // C; A's SQL is after as-of
		{"mql_to_sql", jan.MQLToSQL, "0.5"},                        // 1 / 2
		{"uncontacted", jan.Uncontacted, "1"},                      // A's only touch is after as-of
		{"response", jan.ResponseTime.Contacted.Median, "1d"},      // C: Jan 5 -> Jan 6
		{"cohort", jan.LeadToCustomerCohort, "0"},                  // A's win is after as-of
		{"opportunities", jan.Opportunities, "1"},                  // D1
		{"pipeline", jan.Pipeline, "1000"},                         // D1 counts as pipeline
		{"spend", jan.Spend, "100"},                                // the February spend is after as-of
		{"visits", jan.Visits, "40"},                               //
		{"customers_end", jan.CustomersEnd, "1"},                   // C1
		{"won", jan.Won, "0"},                                      //
		{"cycle", jan.SalesCycle.Median, "n/a"},                    // nothing won
		{"time to purchase", jan.TimeToPurchase.Median, "n/a"},     //
		{"lead_to_customer_period", jan.LeadToCustomerPeriod, "0"}, // 0 / 2
	})
	runChecks(t, "2026-02", []check{
		{"leads", feb.Leads, "1"},                               // E; B is after as-of
		{"leads_won", feb.LeadsWon, "1"},                        // E, exactly at as-of
		{"time to purchase", feb.TimeToPurchase.Mean, "14d12h"}, // Feb 1 00:00 -> Feb 15 12:00
		{"won", feb.Won, "0"},                                   // D1 is won after as-of
		{"lost", feb.Lost, "1"},                                 // D2
		{"win_rate", feb.WinRate, "0"},                          // 0 / (0 + 1)
		{"churn", feb.Churn, "0"},                               // C1's churn is after as-of
		{"customers_end", feb.CustomersEnd, "1"},
	})
	// Without a cut the same records give March, A's SQL and win, D1's
	// win and C1's churn.
	all := m.NewScorecard(time.Time{})
	asOfData().addTo(t, all)
	rep = mustReport(t, all)
	if rep.AsOf != nil || rep.Skipped != (Skipped{}) {
		t.Errorf("no cut: as of %v, skipped %+v", rep.AsOf, rep.Skipped)
	}
	runChecks(t, "no cut", []check{
		{"jan sqls", findRow(t, rep, "2026-01", "", "").SQLs, "2"},
		{"mar won", findRow(t, rep, "2026-03", "", "").Won, "1"},
		{"mar leads won", findRow(t, rep, "2026-03", "", "").LeadsWon, "1"},
		{"mar lost customers", findRow(t, rep, "2026-03", "", "").CustomersLost, "1"},
	})
}

// TestScorecardCustomLadder is the regression test for a host with its
// own funnel: the standard stage names gave it 0 MQLs.
func TestScorecardCustomLadder(t *testing.T) {
	tr := func(to lead.Stage, day int) lead.Transition { return lead.Transition{To: to, At: utc(2026, 1, day, 0)} }
	leads := []lead.Lead{
		{ID: "X", CreatedAt: utc(2026, 1, 1, 0), History: []lead.Transition{tr("new", 1), tr("engaged", 2), tr("qualified", 3), tr("won", 4)}},
		{ID: "Y", CreatedAt: utc(2026, 1, 1, 0), History: []lead.Transition{tr("new", 1), tr("engaged", 5)}},
		{ID: "Z", CreatedAt: utc(2026, 1, 1, 0), Stage: "qualified"},   // skipped "engaged": passed through
		{ID: "W", CreatedAt: utc(2026, 1, 1, 0), Stage: lead.StageSQL}, // not on this ladder
	}
	custom := Config{Stages: Stages{Ladder: []lead.Stage{"new", "engaged", "qualified", "won"}, MQL: "engaged", SQL: "qualified", Customer: "won"}}
	for _, tt := range []struct {
		name                 string
		cfg                  Config
		mqls, sqls, leadsWon string
	}{
		{"custom", custom, "3", "2", "1"},     // X Y Z; X Z; X
		{"standard", Config{}, "1", "1", "0"}, // only W's "sql" is a standard stage
	} {
		s := MustCompile(tt.cfg).NewScorecard(time.Time{})
		for i := range leads {
			if err := s.AddLead(&leads[i]); err != nil {
				t.Fatal(err)
			}
		}
		r := findRow(t, mustReport(t, s), "2026-01", "", "")
		runChecks(t, tt.name, []check{{"mqls", r.MQLs, tt.mqls}, {"sqls", r.SQLs, tt.sqls}, {"leads_won", r.LeadsWon, tt.leadsWon}})
	}
}

// TestSegments checks the order in which a record finds its segment:
// Keys[name], else its own field for the key, else none.
func TestSegments(t *testing.T) {
	m := MustCompile(Config{Dimensions: []Dimension{ByChannel(), ByCampaign(), ByOwner(), ByProduct(),
		{Name: "region", Key: "company.region"}, ByPersona()}})
	l := lead.Lead{ID: "L", CreatedAt: utc(2026, 1, 1, 0), Owner: "ann", Source: lead.Source{Channel: "email", Campaign: "spring"},
		Company: lead.Company{Region: "EMEA"}, Fields: map[string]any{"persona": "cfo"}}
	keys := m.KeysOf(&l)
	if want := `map[campaign:spring channel:email owner:ann persona:cfo region:EMEA]`; fmt.Sprint(keys) != want {
		t.Fatalf("KeysOf = %v, want %s (no product: a lead has none)", keys, want)
	}
	s := m.NewScorecard(time.Time{})
	at := utc(2026, 1, 2, 0)
	for _, err := range []error{
		s.AddLead(&l),
		s.AddDeal(&Deal{ID: "D1", Status: DealOpen, CreatedAt: at, Owner: "bob", Product: "pro", Amount: dec("10"), Keys: keys}),
		s.AddDeal(&Deal{ID: "D2", Status: DealOpen, CreatedAt: at, Owner: "bob", Product: "pro", Amount: dec("1")}),
		s.AddSpend(&Spend{At: at, Channel: "email", Campaign: "spring", Amount: dec("5"), Keys: map[string]string{"region": "EMEA", "channel": "mail"}}),
		s.AddVisits(&Visits{At: at, Channel: "email", Count: 7}),
		s.AddCustomer(&Customer{ID: "C", Since: at, Keys: map[string]string{"region": "EMEA"}}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	rep := mustReport(t, s)
	row := func(dim, seg string) Row { return findRow(t, rep, "2026-01", dim, seg) }
	runChecks(t, "segments", []check{
		{"owner ann pipeline", row("owner", "ann").Pipeline, "10"},      // D1 carries its lead's owner
		{"owner bob pipeline", row("owner", "bob").Pipeline, "1"},       // D2: no keys, its own Owner
		{"product pro pipeline", row("product", "pro").Pipeline, "11"},  // no product key in D1's keys: its own field
		{"region EMEA pipeline", row("region", "EMEA").Pipeline, "10"},  // D1 via keys
		{"region EMEA spend", row("region", "EMEA").Spend, "5"},         // spend via keys
		{"channel mail spend", row("channel", "mail").Spend, "5"},       // keys take precedence over Channel
		{"campaign spring spend", row("campaign", "spring").Spend, "5"}, // own field
		{"channel email visits", row("channel", "email").Visits, "7"},   // own field
		{"region EMEA customers", row("region", "EMEA").CustomersGained, "1"},
		{"persona cfo leads", row("persona", "cfo").Leads, "1"},
	})
	for _, absent := range [][2]string{{"region", ""}, {"product", ""}, {"persona", ""}} {
		if hasRow(rep, "2026-01", absent[0], absent[1]) {
			t.Errorf("record without a segment has a %s row", absent[0])
		}
	}
}

func TestScorecardAddErrors(t *testing.T) {
	s := MustCompile(Config{}).NewScorecard(time.Time{})
	t0 := utc(2026, 1, 1, 0)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil spend", s.AddSpend(nil), "nil spend"},
		{"nil visits", s.AddVisits(nil), "nil visits"},
		{"nil lead", s.AddLead(nil), "nil lead"},
		{"nil deal", s.AddDeal(nil), "nil deal"},
		{"nil customer", s.AddCustomer(nil), "nil customer"},
		{"spend zero time", s.AddSpend(&Spend{}), "spend: zero time"},
		{"spend negative", s.AddSpend(&Spend{At: t0, Amount: dec("-1")}), "negative amount -1"},
		{"spend places", s.AddSpend(&Spend{At: t0, Amount: dec("1e-19")}), "more than 18 decimal places"},
		{"spend huge", s.AddSpend(&Spend{At: t0, Amount: dec("1e24")}), "not below 10^24"},
		{"visits zero time", s.AddVisits(&Visits{Count: 1}), "visits: zero time"},
		{"visits negative", s.AddVisits(&Visits{At: t0, Count: -1}), "negative count -1"},
		{"visits huge", s.AddVisits(&Visits{At: t0, Count: 1 << 62}), ""},
		{"visits above 2^62", s.AddVisits(&Visits{At: t0, Count: 1<<62 + 1}), "count 4611686018427387905 above 2^62"},
		{"visits past 2^62", s.AddVisits(&Visits{At: t0, Count: 1}), "takes the period's visits past 2^62"},
		{"lead zero time", s.AddLead(&lead.Lead{ID: "L"}), `lead "L": zero created_at`},
		{"deal status", s.AddDeal(&Deal{ID: "D", CreatedAt: t0}), `deal "D": unknown status ""`},
		{"deal created", s.AddDeal(&Deal{ID: "D", Status: DealOpen}), `deal "D": zero created_at`},
		{"deal closed", s.AddDeal(&Deal{ID: "D", Status: DealWon, CreatedAt: t0}), `deal "D": won without closed_at`},
		{"deal order", s.AddDeal(&Deal{ID: "D", Status: DealLost, CreatedAt: t0, ClosedAt: t0.Add(-1)}), "closed_at before created_at"},
		{"deal negative", s.AddDeal(&Deal{ID: "D", Status: DealOpen, CreatedAt: t0, Amount: dec("-5")}), `deal "D": negative amount -5`},
		{"customer since", s.AddCustomer(&Customer{ID: "C"}), `customer "C": zero since`},
		{"customer order", s.AddCustomer(&Customer{ID: "C", Since: t0, ChurnedAt: t0.Add(-1)}), "churned_at before since"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				if tt.err != nil {
					t.Fatalf("got %v, want no error", tt.err)
				}
				return
			}
			if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", tt.err, tt.want)
			}
		})
	}
	// Only the 2^62 visits were added: one row for January and the all
	// row.
	if rows := mustReport(t, s).Rows; len(rows) != 2 || rows[0].Visits != 1<<62 || rows[0].Leads != 0 || rows[0].Spend.Sign() != 0 {
		t.Errorf("rejected records were added: %+v", rows)
	}
}

// TestNil covers every exported method that takes a pointer, on nil
// arguments and on nil and zero receivers: an error or a documented
// value, never a panic.
func TestNil(t *testing.T) {
	var nilS *Scorecard
	var zero Scorecard
	var nilM *Meter
	live := MustCompile(Config{}).NewScorecard(time.Time{})
	errs := []struct {
		name string
		err  error
	}{
		{"nil.AddLead", nilS.AddLead(&lead.Lead{})},
		{"nil.AddDeal", nilS.AddDeal(&Deal{})},
		{"nil.AddSpend", nilS.AddSpend(&Spend{})},
		{"nil.AddVisits", nilS.AddVisits(&Visits{})},
		{"nil.AddCustomer", nilS.AddCustomer(&Customer{})},
		{"nil.Merge", nilS.Merge(live)},
		{"nil.UnmarshalJSON", nilS.UnmarshalJSON([]byte(`{}`))},
		{"zero.AddLead", zero.AddLead(&lead.Lead{})},
		{"zero.Merge", zero.Merge(live)},
		{"live.Merge(zero)", live.Merge(&zero)},
		{"live.Merge(nil)", live.Merge(nil)},
	}
	_, err := nilS.Report()
	errs = append(errs, struct {
		name string
		err  error
	}{"nil.Report", err})
	_, err = zero.Report()
	errs = append(errs, struct {
		name string
		err  error
	}{"zero.Report", err})
	_, err = nilS.MarshalJSON()
	errs = append(errs, struct {
		name string
		err  error
	}{"nil.MarshalJSON", err})
	_, err = zero.MarshalJSON()
	errs = append(errs, struct {
		name string
		err  error
	}{"zero.MarshalJSON", err})
	for _, e := range errs {
		if e.err == nil {
			t.Errorf("%s: no error", e.name)
		}
	}
	if !nilS.AsOf().IsZero() || nilS.Fingerprint() != "" || zero.Fingerprint() != "" || nilM.Fingerprint() != "" {
		t.Error("nil or zero scorecard or meter: want zero as-of and empty fingerprints")
	}
	if nilM.KeysOf(&lead.Lead{}) != nil || MustCompile(Config{}).KeysOf(nil) != nil {
		t.Error("KeysOf of a nil meter or lead: want nil")
	}
	if c := nilM.Config(); len(c.Dimensions) != 0 || c.Period != "" {
		t.Error("nil meter: want the zero Config")
	}
	// A nil meter makes scorecards of the zero Config.
	if got, want := nilM.NewScorecard(time.Time{}).Fingerprint(), MustCompile(Config{}).Fingerprint(); got != want {
		t.Errorf("nil meter's scorecard fingerprint %s, want %s", got, want)
	}
}

func TestCompute(t *testing.T) {
	m := MustCompile(handConfig())
	h := newHandData().joinDeals(m)
	s := m.NewScorecard(time.Time{})
	h.addTo(t, s)
	// Two bad records are reported with their paths; the rest is counted.
	recs := h.records()
	recs.Deals = append(append([]Deal(nil), h.deals...), Deal{ID: "bad", Status: "maybe", CreatedAt: utc(2026, 1, 1, 0)})
	recs.Spend = append([]Spend{{Amount: dec("5")}}, h.spend...)
	rep, err := Compute(handConfig(), time.Time{}, recs)
	if err == nil || !strings.Contains(err.Error(), "spend[0]: kpi: scorecard: spend: zero time") ||
		!strings.Contains(err.Error(), `deals[4]: kpi: scorecard: deal "bad": unknown status "maybe"`) {
		t.Fatalf("got %v, want errors for spend[0] and deals[4]", err)
	}
	got, _ := json.Marshal(rep)
	want, _ := json.Marshal(mustReport(t, s))
	if string(got) != string(want) {
		t.Fatal("Compute differs from adding the valid records one by one")
	}
	if _, err := Compute(Config{Period: "x"}, time.Time{}, Records{}); err == nil {
		t.Fatal("bad config: want an error")
	}
}

// TestComputeDuplicates is the regression test for duplicate ids that
// were counted twice (revenue 200, won 2).
func TestComputeDuplicates(t *testing.T) {
	t0 := utc(2026, 1, 1, 0)
	won := Deal{ID: "D1", Status: DealWon, Amount: dec("100"), CreatedAt: t0, ClosedAt: t0}
	many := make([]lead.Lead, 0, 26)
	for i := range 13 {
		l := lead.Lead{ID: fmt.Sprintf("L%02d", i), CreatedAt: t0}
		many = append(many, l, l)
	}
	tests := []struct {
		name string
		r    Records
		want []string
	}{
		{"deal twice", Records{Deals: []Deal{won, won}}, []string{`1 deal ids occur more than once: "D1"`}},
		{"leads and customers", Records{
			Leads:     []lead.Lead{{ID: "A", CreatedAt: t0}, {ID: "B", CreatedAt: t0}, {ID: "A", CreatedAt: t0}, {ID: "A", CreatedAt: t0}},
			Customers: []Customer{{ID: "C", Since: t0}, {ID: "C", Since: t0}},
		}, []string{`1 lead ids occur more than once: "A"`, `1 customer ids occur more than once: "C"`}},
		// 13 duplicated ids: the first 10 are named, then "...".
		{"first ten", Records{Leads: many}, []string{`13 lead ids occur more than once: "L00", "L01", "L02", "L03", "L04", "L05", "L06", "L07", "L08", "L09", ...`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := Compute(Config{}, time.Time{}, tt.r)
			if !errorsIs(err, ErrDuplicate) {
				t.Fatalf("got %v, want ErrDuplicate", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if len(rep.Rows) != 0 {
				t.Error("duplicates: want nothing computed")
			}
		})
	}
}
