package kpi

import (
	"time"

	"github.com/shopspring/decimal"
)

// DealStatus is where a deal stands: open, won or lost.
type DealStatus string

// The deal statuses.
const (
	DealOpen DealStatus = "open"
	DealWon  DealStatus = "won"
	DealLost DealStatus = "lost"
)

// String returns the status's name.
func (s DealStatus) String() string { return string(s) }

// IsValid reports whether s is one of [DealOpen], [DealWon], [DealLost].
func (s DealStatus) IsValid() bool { return s == DealOpen || s == DealWon || s == DealLost }

// Deal is an opportunity that sales works: the revenue side of the
// funnel.
type Deal struct {
	// ID identifies the deal. Required.
	ID string `json:"id"`
	// LeadID is the lead the deal came from, if known.
	LeadID string `json:"lead_id,omitempty"`
	// Account is the customer account.
	Account string `json:"account,omitempty"`
	// Owner is the id of the sales rep who owns the deal.
	Owner string `json:"owner,omitempty"`
	// Product is what is sold.
	Product string `json:"product,omitempty"`
	// Amount is the deal's value: the expected value while open, the
	// booked value once won.
	Amount decimal.Decimal `json:"amount"`
	// CreatedAt is when the opportunity was opened.
	CreatedAt time.Time `json:"created_at"`
	// ClosedAt is when it was won or lost; zero while open.
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// Status is open, won or lost.
	Status DealStatus `json:"status"`
	// NewCustomer reports whether the deal is with a new customer (new
	// business) rather than an existing one (expansion, renewal).
	NewCustomer bool `json:"new_customer"`
}

// Spend is marketing money spent on one channel and campaign at one time
// (typically one day).
type Spend struct {
	At       time.Time       `json:"at"`
	Channel  string          `json:"channel,omitempty"`
	Campaign string          `json:"campaign,omitempty"`
	Amount   decimal.Decimal `json:"amount"`
}

// Visits counts website visits from one channel at one time (typically
// one day).
type Visits struct {
	At      time.Time `json:"at"`
	Channel string    `json:"channel,omitempty"`
	Count   int64     `json:"count"`
}

// Customer is a paying account, for retention, churn and lifetime value.
type Customer struct {
	// ID identifies the customer. Required.
	ID string `json:"id"`
	// Since is when the account became a customer.
	Since time.Time `json:"since"`
	// ChurnedAt is when it stopped being one; zero while active.
	ChurnedAt time.Time `json:"churned_at,omitzero"`
}
