package kpi

import "github.com/leadkit/leadkit/internal/money"

// Sum is an exact running total of money, the type of the sums in a
// scorecard's [Cell]s. It adds decimal amounts without allocating while
// they have at most four decimal places and the total fits in an int64
// count of 10^-4 units, and falls back to decimal arithmetic otherwise, so
// it is always exact. Read it with Value; it encodes in JSON as an exact
// decimal string. The zero Sum is 0.
type Sum = money.Sum
