package kpi_test

import (
	"errors"
	"fmt"

	"github.com/leadkit/leadkit/kpi"
)

func ExampleRatio() {
	paid := kpi.RatioOf(12, 400)    // 12 leads from 400 paid visits
	organic := kpi.RatioOf(30, 600) // 30 leads from 600 organic visits
	fmt.Println(paid, organic)
	// Re-aggregate by summing numerators and denominators: 42 / 1000.
	fmt.Println(paid.Add(organic))
	pct, _ := paid.Add(organic).Percent(1)
	fmt.Println(pct, "%")

	noVisits := kpi.RatioOf(0, 0)
	_, err := noVisits.Value(2)
	fmt.Println(noVisits, errors.Is(err, kpi.ErrUndefined))
	// Output:
	// 0.0300 0.0500
	// 0.0420
	// 4.2 %
	// n/a true
}
