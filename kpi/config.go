package kpi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// KeyProduct is the key of the product dimension ([ByProduct]): a deal's
// Product. It is not a lead field: a lead has no segment under it.
const KeyProduct lead.Key = "deal.product"

// Dimension is a way to segment a scorecard (by channel, by owner, by
// persona, ...) as data: a name and the [lead.Key] whose value names a
// record's segment. How each kind of record finds its segment is told in
// [Segments].
type Dimension struct {
	// Name names the dimension in reports and in records' Keys maps
	// ("channel"). Required, unique within a scorecard.
	Name string `json:"name"`
	// Key is the field path of the segment ("source.channel", "owner",
	// "fields.persona", or [KeyProduct]). Required unless Func is set.
	Key lead.Key `json:"key,omitempty"`
	// Func is the escape hatch for a lead segment that no key can name:
	// when set, a lead's segment is Func(lead) instead of Key's value.
	// Key, if also set, still gives the other records' segments. Func
	// must be deterministic and safe for concurrent use. A Go func
	// cannot be encoded, so a scorecard with a Func dimension cannot be
	// saved: its MarshalJSON returns an error. Prefer a Key on a custom
	// field the host fills ("fields.persona").
	Func func(*lead.Lead) string `json:"-"`
}

// ByChannel returns the "channel" dimension, key "source.channel": a
// lead's Source.Channel, spend's and visits' Channel.
func ByChannel() Dimension { return Dimension{Name: "channel", Key: "source.channel"} }

// ByCampaign returns the "campaign" dimension, key "source.campaign": a
// lead's Source.Campaign and spend's Campaign.
func ByCampaign() Dimension { return Dimension{Name: "campaign", Key: "source.campaign"} }

// ByLandingPage returns the "landing_page" dimension, key
// "source.landing_page": a lead's Source.LandingPage (the page it
// converted on) and visits' LandingPage (the page the sessions started
// on). Its rows' TrafficToLead is each page's traffic→lead
// ([LandingPageConversionRate]) and [Report.ContentGaps] lists the pages
// that bring visits but few leads. A site has as many segments as landing
// pages: normalize them (no query strings) so the state stays small.
func ByLandingPage() Dimension { return Dimension{Name: "landing_page", Key: "source.landing_page"} }

// ByOwner returns the "owner" dimension, key "owner": a lead's and a
// deal's Owner.
func ByOwner() Dimension { return Dimension{Name: "owner", Key: "owner"} }

// ByProduct returns the "product" dimension, key [KeyProduct]: a deal's
// Product.
func ByProduct() Dimension { return Dimension{Name: "product", Key: KeyProduct} }

// ByPersona returns the "persona" dimension, key "fields.persona": the
// persona the host stores in each lead's custom field "persona"
// (typically the first matching persona from package scoring).
func ByPersona() Dimension { return Dimension{Name: "persona", Key: "fields.persona"} }

// Stages is the stage ladder a scorecard counts MQLs, SQLs and customers
// on: the stages of the host's funnel in order (a funnel.Funnel gives
// its own with its Ladder method). A lead reached MQL when, as far as was
// known at as-of, it entered MQL or any later stage of the ladder
// (skipped stages count as passed through); the same for SQL. It became a
// customer when it entered Customer. The zero Stages is the standard
// lifecycle ([lead.Lifecycle]) with [lead.StageMQL], [lead.StageSQL] and
// [lead.StageCustomer].
type Stages struct {
	// Ladder lists the stages in order, without exits; empty means
	// lead.Lifecycle().
	Ladder []lead.Stage `json:"ladder,omitempty"`
	// MQL, SQL and Customer name the ladder's qualification and customer
	// stages, in this order on the ladder; each empty one means the
	// standard stage.
	MQL      lead.Stage `json:"mql,omitempty"`
	SQL      lead.Stage `json:"sql,omitempty"`
	Customer lead.Stage `json:"customer,omitempty"`
}

// Config is a scorecard's definition: plain data that encodes in JSON
// and travels with the scorecard's state. The zero Config is a monthly
// scorecard in UTC on the standard lifecycle with no segments.
type Config struct {
	// Period is the length of the report's periods; empty means Month.
	Period leadkit.Period `json:"period,omitempty"`
	// Zone is the time zone periods are cut in; empty means UTC.
	Zone leadkit.Zone `json:"zone,omitempty"`
	// Dimensions are the segmentations reported besides the totals.
	Dimensions []Dimension `json:"dimensions,omitempty"`
	// Stages is the stage ladder; the zero Stages is the standard
	// lifecycle.
	Stages Stages `json:"stages,omitzero"`
	// CohortWindow is how long after its creation a lead may become a
	// customer and still count for its cohort's lead-to-customer rate;
	// zero means 90 days.
	CohortWindow leadkit.Duration `json:"cohort_window,omitempty"`
	// GrossMargin is the gross margin as a fraction (0.8 for 80%) used by
	// lifetime value and CAC payback; zero means 1, a revenue-based LTV.
	GrossMargin decimal.Decimal `json:"gross_margin,omitzero"`
}

// defaultCohortWindow is CohortWindow's default, 90 days.
const defaultCohortWindow = 90 * 24 * time.Hour

// withDefaults returns a deep copy of c with every default filled in:
// the canonical form that [Meter.Fingerprint] hashes.
func (c Config) withDefaults() Config {
	d := c.clone()
	if d.Period == "" {
		d.Period = leadkit.Month
	}
	if d.Zone == "" {
		d.Zone = leadkit.UTC
	}
	if len(d.Stages.Ladder) == 0 {
		d.Stages.Ladder = lead.Lifecycle()
	}
	d.Stages.MQL = cmpOr(d.Stages.MQL, lead.StageMQL)
	d.Stages.SQL = cmpOr(d.Stages.SQL, lead.StageSQL)
	d.Stages.Customer = cmpOr(d.Stages.Customer, lead.StageCustomer)
	if d.CohortWindow == 0 {
		d.CohortWindow = leadkit.Duration(defaultCohortWindow)
	}
	if d.GrossMargin.IsZero() {
		d.GrossMargin = decimal.NewFromInt(1)
	}
	return d
}

func cmpOr(s, def lead.Stage) lead.Stage {
	if s == "" {
		return def
	}
	return s
}

// clone returns a deep copy of c (the dimensions' Funcs are shared: they
// are immutable).
func (c Config) clone() Config {
	c.Dimensions = append([]Dimension(nil), c.Dimensions...)
	c.Stages.Ladder = append([]lead.Stage(nil), c.Stages.Ladder...)
	if len(c.Dimensions) == 0 {
		c.Dimensions = nil
	}
	if len(c.Stages.Ladder) == 0 {
		c.Stages.Ladder = nil
	}
	return c
}

// Validate reports every problem with c at once, each a *leadkit.Error
// with its JSON path, joined with errors.Join; nil when c is valid.
func (c Config) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, leadkit.Errorf(path, format, args...)) }
	if c.Period != "" {
		if err := c.Period.Check(); err != nil {
			add("period", "%v", err)
		}
	}
	if _, err := c.Zone.Location(); err != nil {
		add("zone", "%v", err)
	}
	seen := map[string]int{}
	for i, d := range c.Dimensions {
		path := fmt.Sprintf("dimensions[%d]", i)
		switch j, dup := seen[d.Name]; {
		case d.Name == "":
			add(path+".name", "empty name")
		case dup:
			add(path+".name", "duplicate name %q (also dimensions[%d])", d.Name, j)
		default:
			seen[d.Name] = i
		}
		switch {
		case d.Key == "" && d.Func == nil:
			add(path+".key", "empty key; use a field path such as \"source.channel\"")
		case d.Key != "" && d.Key != KeyProduct:
			if err := d.Key.Check(); err != nil {
				add(path+".key", "%v", err)
			}
		}
	}
	errs = append(errs, c.Stages.validate()...)
	if c.CohortWindow < 0 {
		add("cohort_window", "negative window %s", c.CohortWindow)
	}
	if c.GrossMargin.IsNegative() || c.GrossMargin.GreaterThan(decimal.NewFromInt(1)) {
		add("gross_margin", "%s is not a fraction from 0 to 1", c.GrossMargin)
	} else if c.GrossMargin.Exponent() < -18 {
		add("gross_margin", "%s has more than 18 decimal places", c.GrossMargin)
	}
	return errors.Join(errs...)
}

func (s Stages) validate() []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, leadkit.Errorf(path, format, args...)) }
	ladder := s.Ladder
	if len(ladder) == 0 {
		ladder = lead.Lifecycle()
	}
	pos := map[lead.Stage]int{}
	for i, st := range s.Ladder {
		path := fmt.Sprintf("stages.ladder[%d]", i)
		if st == "" {
			add(path, "empty stage")
			continue
		}
		if j, dup := pos[st]; dup {
			add(path, "duplicate stage %q (also stages.ladder[%d])", st, j)
			continue
		}
		pos[st] = i
	}
	if len(s.Ladder) == 0 {
		for i, st := range ladder {
			pos[st] = i
		}
	}
	at := func(name string, st, def lead.Stage) int {
		if st == "" {
			st = def
		}
		p, ok := pos[st]
		if !ok {
			add("stages."+name, "stage %q is not on the ladder", st)
			return -1
		}
		return p
	}
	mql := at("mql", s.MQL, lead.StageMQL)
	sql := at("sql", s.SQL, lead.StageSQL)
	cust := at("customer", s.Customer, lead.StageCustomer)
	if mql >= 0 && sql >= 0 && sql < mql {
		add("stages.sql", "stage %q comes before the MQL stage on the ladder", cmpOr(s.SQL, lead.StageSQL))
	}
	if sql >= 0 && cust >= 0 && cust < sql {
		add("stages.customer", "stage %q comes before the SQL stage on the ladder", cmpOr(s.Customer, lead.StageCustomer))
	}
	return errs
}

// ParseConfig decodes a Config from JSON strictly: an unknown field is an
// error naming its path, as is trailing data; the decoded Config is then
// validated ([Config.Validate]). The errors are *leadkit.Error values.
func ParseConfig(data []byte) (Config, error) {
	var c Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Config{}, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, &leadkit.Error{Msg: "trailing data after the JSON value"}
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// jsonError turns an encoding/json error into a *leadkit.Error with the
// path of the field when json tells it.
func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &leadkit.Error{Path: te.Field, Msg: fmt.Sprintf("cannot use JSON %s as %s", te.Value, te.Type), Err: err}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return &leadkit.Error{Path: strings.Trim(name, `"`), Msg: "unknown field " + name, Err: err}
	}
	return &leadkit.Error{Msg: msg, Err: err}
}
