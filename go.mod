module github.com/leadkit/leadkit

go 1.24

require (
	github.com/expr-lang/expr v1.17.8
	github.com/google/go-cmp v0.7.0
	github.com/shopspring/decimal v1.6.0
)
