package kpi

import (
	"errors"
	"github.com/leadkit/leadkit"
	"testing"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// checkRatio fails unless r is undefined (want == "n/a") or has the value
// want when rounded to as many places as want has.
func checkRatio(t *testing.T, r Ratio, want string) {
	t.Helper()
	if want == "n/a" {
		if r.Defined() {
			t.Fatalf("got %s (%s/%s), want undefined", r.Num.String()+"/"+r.Den.String(), r.Num, r.Den)
		}
		if _, err := r.Value(2); !errors.Is(err, ErrUndefined) {
			t.Fatalf("Value error = %v, want ErrUndefined", err)
		}
		return
	}
	w := dec(want)
	places := -w.Exponent()
	if places < 0 {
		places = 0
	}
	got, err := r.Value(places)
	if err != nil {
		t.Fatalf("got %v, want %s", err, want)
	}
	if !got.Equal(w) {
		t.Fatalf("got %s (%s/%s), want %s", got, r.Num, r.Den, want)
	}
}

func TestFormulas(t *testing.T) {
	tests := []struct {
		name string
		r    Ratio
		want string
	}{
		// 1234.50 spent / 100 leads = 12.345
		{"CostPerLead", CostPerLead(dec("1234.50"), 100), "12.345"},
		{"CostPerLead/no leads", CostPerLead(dec("500"), 0), "n/a"},
		{"CostPerLead/no spend", CostPerLead(dec("0"), 10), "0"},
		// 10000 / 8 new customers = 1250
		{"CAC", CustomerAcquisitionCost(dec("10000"), 8), "1250"},
		{"CAC/no customers", CustomerAcquisitionCost(dec("10000"), 0), "n/a"},
		// 3000 paid / 7 = 428.571428... -> 428.57
		{"PaidCAC", PaidCustomerAcquisitionCost(dec("3000"), 7), "428.57"},
		{"PaidCAC/none", PaidCustomerAcquisitionCost(dec("3000"), 0), "n/a"},
		// 45 leads / 1500 visits = 0.03
		{"TrafficToLead", TrafficToLeadRatio(45, 1500), "0.03"},
		{"TrafficToLead/no visits", TrafficToLeadRatio(45, 0), "n/a"},
		// 1 / 3 = 0.3333
		{"Conversion", ConversionRate(1, 3), "0.3333"},
		{"Conversion/empty", ConversionRate(0, 0), "n/a"},
		// 30 wins / 20 leads = 1.5: a period rate may exceed 100%
		{"PeriodL2C/over100", PeriodLeadToCustomerRate(30, 20), "1.5"},
		{"PeriodL2C/no leads", PeriodLeadToCustomerRate(3, 0), "n/a"},
		// 12 / 40 = 0.3
		{"MQLToSQL", MQLToSQLRate(12, 40), "0.3"},
		{"MQLToSQL/no mqls", MQLToSQLRate(0, 0), "n/a"},
		// 3 won, 5 lost: 3 / 8 = 0.375
		{"WinRate", WinRate(3, 5), "0.375"},
		{"WinRate/all lost", WinRate(0, 4), "0"},
		{"WinRate/none closed", WinRate(0, 0), "n/a"},
		// 10001 / 4 = 2500.25
		{"AverageDealSize", AverageDealSize(dec("10001"), 4), "2500.25"},
		{"AverageDealSize/none won", AverageDealSize(dec("0"), 0), "n/a"},
		// S=100, E=110, N=20: (110-20)/100 = 0.9
		{"Retention", RetentionRate(100, 110, 20), "0.9"},
		{"Retention/no start", RetentionRate(0, 5, 5), "n/a"},
		// lost = S+N-E = 100+20-110 = 10; 10/100 = 0.1 = 1 - retention
		{"Churn", ChurnRate(10, 100), "0.1"},
		{"Churn/no start", ChurnRate(0, 0), "n/a"},
		// ARPA 100, margin 0.8, churn 5/100: 100*0.8/0.05 = 1600
		{"LTV", LifetimeValue(dec("100"), dec("0.8"), RatioOf(5, 100)), "1600"},
		{"LTV/zero churn", LifetimeValue(dec("100"), dec("0.8"), RatioOf(0, 100)), "n/a"},
		{"LTV/undefined churn", LifetimeValue(dec("100"), dec("0.8"), RatioOf(0, 0)), "n/a"},
		// LTV 1600 / CAC 500 = 3.2
		{"LTVToCAC", LTVToCAC(NewRatio(dec("1600"), dec("1")), NewRatio(dec("1000"), dec("2"))), "3.2"},
		{"LTVToCAC/zero CAC", LTVToCAC(RatioOf(1600, 1), RatioOf(0, 3)), "n/a"},
		{"LTVToCAC/undefined LTV", LTVToCAC(Ratio{}, RatioOf(500, 1)), "n/a"},
		// CAC 600 / (100 * 0.8) = 7.5 months
		{"Payback", CACPaybackMonths(RatioOf(1200, 2), dec("100"), dec("0.8")), "7.5"},
		{"Payback/zero ARPA", CACPaybackMonths(RatioOf(600, 1), dec("0"), dec("0.8")), "n/a"},
		{"Payback/undefined CAC", CACPaybackMonths(RatioOf(600, 0), dec("100"), dec("0.8")), "n/a"},
		// (5000 - 2000) / 2000 = 1.5
		{"ROI", ReturnOnInvestment(dec("5000"), dec("2000")), "1.5"},
		// (1500 - 2000) / 2000 = -0.25
		{"ROI/loss", ReturnOnInvestment(dec("1500"), dec("2000")), "-0.25"},
		{"ROI/no cost", ReturnOnInvestment(dec("1500"), dec("0")), "n/a"},
		// 5000 / 2000 = 2.5
		{"ROAS", ReturnOnAdSpend(dec("5000"), dec("2000")), "2.5"},
		{"ROAS/no spend", ReturnOnAdSpend(dec("5000"), dec("0")), "n/a"},
		// 100 opps * 0.25 * 50000 / 60 days = 1250000/60 = 20833.33
		{"Velocity", PipelineVelocity(100, RatioOf(1, 4), RatioOf(50000, 1), RatioOf(60, 1)), "20833.33"},
		{"Velocity/zero cycle", PipelineVelocity(100, RatioOf(1, 4), RatioOf(50000, 1), RatioOf(0, 5)), "n/a"},
		{"Velocity/no closed", PipelineVelocity(100, RatioOf(0, 0), RatioOf(50000, 1), RatioOf(60, 1)), "n/a"},
		{"Velocity/no wins", PipelineVelocity(100, RatioOf(1, 4), RatioOf(0, 0), RatioOf(60, 1)), "n/a"},
		// 2500 * 0.04 = 100
		{"LeadValue", LeadValue(RatioOf(10000, 4), RatioOf(2, 50)), "100"},
		{"LeadValue/undefined rate", LeadValue(RatioOf(10000, 4), RatioOf(2, 0)), "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRatio(t, tt.r, tt.want) })
	}
}

// checkDur checks a summary figure: its leadkit.Duration form, or "n/a"
// when it is undefined (nil).
func checkDur(t *testing.T, d *leadkit.Duration, want string) {
	t.Helper()
	got := "n/a"
	if d != nil {
		got = d.String()
	}
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func day(d int) time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d-1) }

func TestSalesCycleLength(t *testing.T) {
	deals := []Deal{
		{ID: "a", Status: DealWon, CreatedAt: day(1), ClosedAt: day(11)},                     // 10 days
		{ID: "b", Status: DealWon, CreatedAt: day(1), ClosedAt: day(4)},                      // 3 days
		{ID: "c", Status: DealWon, CreatedAt: day(1), ClosedAt: day(31).Add(12 * time.Hour)}, // 30.5 days
		{ID: "d", Status: DealLost, CreatedAt: day(1), ClosedAt: day(2)},                     // lost: out
		{ID: "e", Status: DealOpen, CreatedAt: day(1)},                                       // open: out
		{ID: "f", Status: DealWon, CreatedAt: day(5), ClosedAt: day(2)},                      // closed before created: out
	}
	s := SalesCycleLength(deals)
	if s.Count != 3 {
		t.Fatalf("Count = %d, want 3", s.Count)
	}
	checkDur(t, s.Median, "10d")     // sorted 3, 10, 30.5: middle is 10
	checkDur(t, s.Mean, "14d12h")    // (3 + 10 + 30.5) / 3 = 43.5 / 3 = 14.5
	s = SalesCycleLength(deals[:2])  // 3 and 10 days
	checkDur(t, s.Median, "6d12h")   // (3 + 10) / 2
	checkDur(t, s.Mean, "6d12h")     // same
	s = SalesCycleLength(deals[3:5]) // no won deals
	checkDur(t, s.Median, "n/a")
	checkDur(t, s.Mean, "n/a")
}

func TestLeadTimes(t *testing.T) {
	cust := func(id string, created, won time.Time, touches ...time.Time) lead.Lead {
		l := lead.Lead{ID: id, CreatedAt: created}
		if !won.IsZero() {
			l.History = []lead.Transition{{To: lead.StageCustomer, At: won}}
		}
		for _, at := range touches {
			l.Activities = append(l.Activities, lead.Activity{Type: lead.ActivityCall, At: at, Actor: "rep"})
		}
		// A prospect's own activity is never a sales touch.
		l.Activities = append(l.Activities, lead.Activity{Type: lead.ActivityPageView, At: created})
		return l
	}
	leads := []lead.Lead{
		cust("a", day(1), day(21), day(1).Add(2*time.Hour), day(3)), // won after 20 days; first touch 2h
		cust("b", day(1), day(101), day(2)),                         // won after 100 days (outside a 90d window); touch 24h
		cust("c", day(1), time.Time{}, day(1).Add(-time.Hour)),      // not won; touch before creation ignored: uncontacted
		cust("d", day(1), time.Time{}),                              // not won, never touched
	}
	t.Run("cohort", func(t *testing.T) {
		// within 90 days only "a": 1 of 4 = 0.25; within 100 days a and b: 0.5
		checkRatio(t, CohortLeadToCustomerRate(leads, 90*24*time.Hour), "0.25")
		checkRatio(t, CohortLeadToCustomerRate(leads, 100*24*time.Hour), "0.5")
		checkRatio(t, CohortLeadToCustomerRate(nil, time.Hour), "n/a")
	})
	t.Run("time to purchase", func(t *testing.T) {
		s := AverageTimeToPurchase(leads)
		if s.Count != 2 {
			t.Fatalf("Count = %d, want 2", s.Count)
		}
		checkDur(t, s.Mean, "60d")   // (20 + 100) / 2
		checkDur(t, s.Median, "60d") // two values: midpoint
		checkDur(t, AverageTimeToPurchase(leads[2:]).Mean, "n/a")
	})
	t.Run("response", func(t *testing.T) {
		r := LeadResponseTime(leads)
		if r.Uncontacted != 2 || r.Contacted.Count != 2 {
			t.Fatalf("got %+v, want 2 contacted and 2 uncontacted", r)
		}
		// 2h and 24h: median (2h + 24h) / 2 = 13h
		checkDur(t, r.Contacted.Median, "13h")
		r = LeadResponseTime(leads[3:])
		if r.Uncontacted != 1 {
			t.Fatalf("Uncontacted = %d, want 1", r.Uncontacted)
		}
		checkDur(t, r.Contacted.Median, "n/a") // never a zero response time
	})
}

func TestNewVsExistingRevenue(t *testing.T) {
	deals := []Deal{
		{ID: "1", Status: DealWon, NewCustomer: true, Amount: dec("100.10")},
		{ID: "2", Status: DealWon, NewCustomer: true, Amount: dec("0.90")},
		{ID: "3", Status: DealWon, Amount: dec("50")},
		{ID: "4", Status: DealLost, NewCustomer: true, Amount: dec("999")},
		{ID: "5", Status: DealOpen, Amount: dec("999")},
	}
	n, e := NewVsExistingRevenue(deals)
	// new: 100.10 + 0.90 = 101; existing: 50; lost and open left out
	if !n.Equal(dec("101")) || !e.Equal(dec("50")) {
		t.Fatalf("got new %s existing %s, want 101 and 50", n, e)
	}
	n, e = NewVsExistingRevenue(nil)
	if !n.IsZero() || !e.IsZero() {
		t.Fatalf("empty: got %s %s, want 0 0", n, e)
	}
}

func TestMarketingSourcedPipeline(t *testing.T) {
	deals := []Deal{
		{ID: "m1", Amount: dec("100")}, // sourced and influenced
		{ID: "m2", Amount: dec("40")},  // influenced only
		{ID: "s1", Amount: dec("7")},   // neither
	}
	p := MarketingSourcedPipeline(deals,
		func(d *Deal) bool { return d.ID == "m1" },
		func(d *Deal) bool { return d.ID[0] == 'm' })
	// sourced: 100 (1 deal); influenced: 100 + 40 = 140 (2 deals)
	if !p.Sourced.Equal(dec("100")) || !p.Influenced.Equal(dec("140")) || p.SourcedDeals != 1 || p.InfluencedDeals != 2 {
		t.Fatalf("got %+v", p)
	}
	p = MarketingSourcedPipeline(deals, nil, nil)
	if !p.Sourced.IsZero() || p.InfluencedDeals != 0 {
		t.Fatalf("nil funcs: got %+v, want nothing", p)
	}
}
