// Package alignment builds the sales-and-marketing alignment report that
// examples/report prints and examples/dashboard serves. It is example
// code: it uses only leadkit's public API, and shows how a host puts the
// packages together.
package alignment

import (
	_ "embed"
	"encoding/json"
	"fmt"

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
	// Funnel is the shared funnel; no stages means funnel.Standard().
	Funnel funnel.Funnel `json:"funnel,omitzero"`
	// SLA is the business calendar and the promises each team makes.
	SLA     sla.Agreement `json:"sla"`
	Targets Targets       `json:"targets"`
}

// Targets are the numbers the plan works back from.
type Targets struct {
	// Revenue is next quarter's new-business revenue target.
	Revenue decimal.Decimal `json:"revenue"`
	// QuarterDays is the length of the planning period in days.
	QuarterDays int `json:"quarter_days"`
	// GrossMargin is the margin used for lifetime value.
	GrossMargin decimal.Decimal `json:"gross_margin"`
}

//go:embed agreement.json
var defaultAgreement []byte

// DefaultAgreement returns the agreement embedded in the example.
func DefaultAgreement() (Agreement, error) {
	return ParseAgreement(defaultAgreement)
}

// ParseAgreement decodes an agreement from JSON and fills in defaults.
func ParseAgreement(b []byte) (Agreement, error) {
	var a Agreement
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("agreement: %w", err)
	}
	if len(a.Funnel.Stages) == 0 {
		a.Funnel = funnel.Standard()
	}
	if a.Targets.QuarterDays <= 0 {
		a.Targets.QuarterDays = 91
	}
	return a, nil
}
