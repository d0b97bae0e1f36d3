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
	// booked value once won. It must not be negative.
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
	// MarketingSourced reports whether marketing sourced the deal
	// (created its lead) and MarketingInfluenced whether it touched it
	// before it closed; the host sets them, typically from the deal's
	// lead. The scorecard reports both pipelines side by side, never
	// summed ([MarketingSourcedPipeline]).
	MarketingSourced    bool `json:"marketing_sourced,omitempty"`
	MarketingInfluenced bool `json:"marketing_influenced,omitempty"`
	// Keys are the deal's segment keys by dimension name, typically its
	// lead's, set by the host when it joins deals to leads:
	// deal.Keys = meter.KeysOf(lead) ([Meter.KeysOf]). See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}

// Spend is marketing money spent on one channel and campaign at one time
// (typically one day).
type Spend struct {
	// At is when the money was spent. Required.
	At time.Time `json:"at"`
	// Channel and Campaign are the spend's segments for the keys
	// "source.channel" and "source.campaign".
	Channel  string `json:"channel,omitempty"`
	Campaign string `json:"campaign,omitempty"`
	// Amount is the money spent; it must not be negative.
	Amount decimal.Decimal `json:"amount"`
	// Keys are segment keys by dimension name, which take precedence
	// over Channel and Campaign. See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}

// Visits counts website visits from one channel at one time (typically
// one day).
type Visits struct {
	// At is when the visits happened. Required.
	At time.Time `json:"at"`
	// Channel is the visits' segment for the key "source.channel".
	Channel string `json:"channel,omitempty"`
	// Count is the number of visits; it must not be negative.
	Count int64 `json:"count"`
	// Keys are segment keys by dimension name, which take precedence
	// over Channel. See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}

// Customer is a paying account, for retention, churn and lifetime value.
type Customer struct {
	// ID identifies the customer. Required.
	ID string `json:"id"`
	// Since is when the account became a customer.
	Since time.Time `json:"since"`
	// ChurnedAt is when it stopped being one; zero while active.
	ChurnedAt time.Time `json:"churned_at,omitzero"`
	// Keys are the customer's segment keys by dimension name; a customer
	// has no other segments. See [Segments].
	Keys map[string]string `json:"keys,omitempty"`
}
