package kpi_test

import (
	"fmt"

	"github.com/leadkit/leadkit/kpi"
	"github.com/shopspring/decimal"
)

func ExampleWinRate() {
	fmt.Println(kpi.WinRate(3, 5)) // 3 won of 8 closed; open deals do not count
	fmt.Println(kpi.WinRate(0, 0)) // nothing closed yet: undefined, not 0
	// Output:
	// 0.3750
	// n/a
}

func ExampleLifetimeValue() {
	arpa := decimal.NewFromInt(100) // monthly revenue per account
	margin := decimal.RequireFromString("0.8")
	churn := kpi.ChurnRate(5, 100) // 5 of 100 customers lost this month
	ltv := kpi.LifetimeValue(arpa, margin, churn)
	fmt.Printf("%.2f\n", ltv)
	cac := kpi.CustomerAcquisitionCost(decimal.NewFromInt(24000), 40) // 600 per customer
	fmt.Printf("%.2f\n", kpi.LTVToCAC(ltv, cac))
	fmt.Printf("%.1f\n", kpi.CACPaybackMonths(cac, arpa, margin))
	// No churn at all: the lifetime is unbounded, so LTV is undefined.
	fmt.Println(kpi.LifetimeValue(arpa, margin, kpi.ChurnRate(0, 100)))
	// Output:
	// 1600.00
	// 2.67
	// 7.5
	// n/a
}

func ExamplePipelineVelocity() {
	winRate := kpi.WinRate(25, 75)                                  // 25%
	avgDeal := kpi.AverageDealSize(decimal.NewFromInt(1250000), 25) // 50,000
	cycle := kpi.RatioOf(60, 1)                                     // 60 days
	fmt.Printf("%.2f per day\n", kpi.PipelineVelocity(100, winRate, avgDeal, cycle))
	// Output:
	// 20833.33 per day
}

func ExampleBounceRate() {
	// A GA4 export: 1,000 sessions, 620 of them engaged.
	sessions, engaged := int64(1000), int64(620)
	fmt.Println(kpi.BounceRate(sessions-engaged, sessions))
	fmt.Println(kpi.EngagementRate(engaged, sessions))
	fmt.Println(kpi.BounceRate(0, 0)) // no sessions: undefined, not 0
	// Output:
	// 0.3800
	// 0.6200
	// n/a
}
