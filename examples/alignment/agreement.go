// Package alignment builds the sales-and-marketing alignment report that
// examples/report prints and examples/dashboard serves: the one page the
// two teams look at in their weekly or monthly meeting. It is example
// code: it uses only leadkit's public API, and shows how a host puts the
// packages together.
//
// A [Builder] takes the records one at a time (leads first, then deals,
// customers, spend and visits) into the accumulators of every analysis,
// as of one instant, and keeps nothing per lead but its id (to refuse
// duplicates) and the channel of the few leads that reached an
// opportunity (deals do not carry it). So a million leads need no more
// memory than a thousand, and every section sees the same world.
package alignment

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"github.com/leadkit/leadkit/account"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// Agreement is everything the two teams agreed on, as data: the scoring
// model (with the qualified-lead definition), the funnel, the SLAs and the
// targets. A host would keep it in its database and version it.
type Agreement struct {
	Name    string        `json:"name"`
	Scoring scoring.Model `json:"scoring"`
	// Accounts is account scoring: fit rules over the company, the
	// engagement roll-up, the buying group and the ladder. Its lead model
	// is Scoring's (the one in the file is ignored).
	Accounts account.Definition `json:"accounts"`
	// Funnel is the shared funnel; no stages means funnel.Standard().
	Funnel funnel.Funnel `json:"funnel,omitzero"`
	// SLA is the business calendar and the promises each team makes.
	SLA     sla.Agreement `json:"sla"`
	Targets Targets       `json:"targets"`
}

// Targets are the numbers the teams agreed to reach, per quarter. A
// week's or a month's target is the quarter's scaled by the period's
// share of the quarter (1/13 and 1/3); rates and costs are the same for
// every period. A zero target is no target.
type Targets struct {
	// Revenue is the quarter's new-business revenue target; the plan
	// works back from it.
	Revenue decimal.Decimal `json:"revenue"`
	// Leads, MQLs, SQLs and Customers are the quarter's volume targets.
	Leads     int64 `json:"leads,omitempty"`
	MQLs      int64 `json:"mqls,omitempty"`
	SQLs      int64 `json:"sqls,omitempty"`
	Customers int64 `json:"customers,omitempty"`
	// CostPerLead and CAC are the most a lead and a new customer may
	// cost.
	CostPerLead decimal.Decimal `json:"cost_per_lead,omitzero"`
	CAC         decimal.Decimal `json:"cac,omitzero"`
	// MQLToSQL and WinRate are the rates the teams aim for, as
	// fractions (0.3 for 30%).
	MQLToSQL decimal.Decimal `json:"mql_to_sql,omitzero"`
	WinRate  decimal.Decimal `json:"win_rate,omitzero"`
	// GrossMargin is the margin used for lifetime value.
	GrossMargin decimal.Decimal `json:"gross_margin"`
}

//go:embed agreement.json
var defaultAgreement []byte

// DefaultAgreement returns the agreement embedded in the example.
func DefaultAgreement() (Agreement, error) {
	return ParseAgreement(defaultAgreement)
}

// ParseAgreement decodes an agreement from JSON, refusing unknown fields
// (a misspelt target must not be dropped silently), and fills in the
// default funnel.
func ParseAgreement(b []byte) (Agreement, error) {
	var a Agreement
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return a, fmt.Errorf("agreement: %w", err)
	}
	if len(a.Funnel.Stages) == 0 {
		a.Funnel = funnel.Standard()
	}
	return a, nil
}
