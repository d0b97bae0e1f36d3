package kpi_test

import (
	"fmt"
	"time"

	"github.com/leadkit/leadkit/kpi"
	"github.com/shopspring/decimal"
)

func ExampleAttribution_Credits() {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
	touches := []kpi.Touch{
		{At: day(2), Channel: "paid_search"},
		{At: day(5), Channel: "webinar", LeadCreated: true},
		{At: day(9), Channel: "email"},
		{At: day(12), Channel: "sales_call", OpportunityCreated: true},
	}
	// 1000.01 does not split evenly: the odd cent goes to the touch with
	// the largest remainder, the earliest on a tie.
	amount := decimal.RequireFromString("1000.01")
	for _, m := range []kpi.Model{kpi.Linear, kpi.UShaped, kpi.WShaped} {
		c, err := kpi.Attribution{Model: m}.Credits(amount, time.Time{}, touches)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(m)
		for i, x := range c {
			fmt.Printf(" %s:%s", touches[i].Channel, x.StringFixed(2))
		}
		fmt.Println()
	}
	// Output:
	// linear paid_search:250.01 webinar:250.00 email:250.00 sales_call:250.00
	// u_shaped paid_search:400.01 webinar:400.00 email:100.00 sales_call:100.00
	// w_shaped paid_search:300.01 webinar:300.00 email:100.00 sales_call:300.00
}
