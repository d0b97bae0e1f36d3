package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/leadkit/leadkit/funnel"
	"github.com/leadkit/leadkit/scoring"
	"github.com/leadkit/leadkit/sla"
)

// Agreement is the definitions the analyses use, in the JSON form of
// examples/report's agreement (examples/alignment): the scoring model,
// the funnel, the SLA agreement and the targets. The pipeline does not
// import examples/alignment, so that it depends on leadkit's packages
// only.
type Agreement struct {
	// Name names the agreement.
	Name string `json:"name"`
	// Scoring is the shared scoring model; the backtest evaluates it.
	Scoring scoring.Model `json:"scoring"`
	// Funnel is the shared funnel; no stages means funnel.Standard().
	Funnel funnel.Funnel `json:"funnel,omitzero"`
	// SLA is the business calendar and the policies.
	SLA sla.Agreement `json:"sla"`
	// Targets are the report's targets: only the gross margin is used
	// here, and the other targets are not checked (the report owns them).
	Targets Targets `json:"-"`
}

// Targets are what the pipeline uses of the report's targets.
type Targets struct {
	// GrossMargin is the margin the scorecard's lifetime value uses.
	GrossMargin decimal.Decimal `json:"gross_margin"`
}

// agreementJSON is examples/alignment/agreement.json.
//
//go:embed agreement.json
var agreementJSON []byte

// ParseAgreement decodes an agreement, refusing unknown fields outside
// "targets".
func ParseAgreement(b []byte) (Agreement, error) {
	var doc struct {
		Agreement
		Targets json.RawMessage `json:"targets"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return Agreement{}, fmt.Errorf("agreement: %w", err)
	}
	a := doc.Agreement
	if len(doc.Targets) > 0 {
		if err := json.Unmarshal(doc.Targets, &a.Targets); err != nil {
			return Agreement{}, fmt.Errorf("agreement: targets: %w", err)
		}
	}
	if len(a.Funnel.Stages) == 0 {
		a.Funnel = funnel.Standard()
	}
	return a, nil
}
