package kpi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/lead"
	"github.com/shopspring/decimal"
)

// Meter is a compiled [Config]: the scorecard's definition checked and
// ready, from which scorecards are made as of an instant
// ([Meter.NewScorecard]). A Meter is immutable and safe for concurrent
// use.
type Meter struct {
	def         Config // as given, deep copy
	canon       Config // with defaults filled in
	fingerprint string
	loc         *time.Location
	unit        period.Unit
	dims        []dimension
	dimIndex    map[string]int // name -> 1-based position
	ladder      []lead.Stage
	ladderMap   map[lead.Stage]int // for long ladders
	mqlPos      int                // positions on the ladder, 1-based
	sqlPos      int
	customer    lead.Stage
	window      time.Duration
	margin      decimal.Decimal
	hasFunc     string // name of a Func dimension, if any
}

// dimension is a compiled Dimension.
type dimension struct {
	name     string
	key      lead.Key
	lead     func(*lead.Lead) string // nil: leads have no segment
	spend    func(*Spend) (string, bool)
	visits   func(*Visits) (string, bool)
	dealOwn  func(*Deal) (string, bool)
	portable bool
}

// Compile checks cfg ([Config.Validate]) and returns its Meter.
func Compile(cfg Config) (*Meter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	canon := cfg.withDefaults()
	b, err := json.Marshal(canon)
	if err != nil {
		return nil, fmt.Errorf("kpi: config: %w", err)
	}
	sum := sha256.Sum256(b)
	loc, _ := canon.Zone.Location() // checked by Validate
	m := &Meter{
		def:         cfg.clone(),
		canon:       canon,
		fingerprint: hex.EncodeToString(sum[:]),
		loc:         loc,
		unit:        unitOf(canon.Period),
		dimIndex:    make(map[string]int, len(cfg.Dimensions)),
		ladder:      canon.Stages.Ladder,
		customer:    canon.Stages.Customer,
		window:      canon.CohortWindow.Std(),
		margin:      canon.GrossMargin,
	}
	if len(m.ladder) > 16 {
		m.ladderMap = make(map[lead.Stage]int, len(m.ladder))
	}
	for i, st := range m.ladder {
		if m.ladderMap != nil {
			m.ladderMap[st] = i + 1
		}
		switch st {
		case canon.Stages.MQL:
			m.mqlPos = i + 1
		case canon.Stages.SQL:
			m.sqlPos = i + 1
		}
	}
	for i, d := range cfg.Dimensions {
		m.dims = append(m.dims, compileDimension(d))
		m.dimIndex[d.Name] = i + 1
		if d.Func != nil && m.hasFunc == "" {
			m.hasFunc = d.Name
		}
	}
	return m, nil
}

// MustCompile is like [Compile] but panics, quoting the error, when cfg
// is invalid. It is for configurations written in tests and examples.
func MustCompile(cfg Config) *Meter {
	m, err := Compile(cfg)
	if err != nil {
		panic(fmt.Sprintf("kpi: MustCompile: %v", err))
	}
	return m
}

func compileDimension(d Dimension) dimension {
	c := dimension{name: d.Name, key: d.Key, portable: d.Func == nil}
	switch {
	case d.Func != nil:
		c.lead = d.Func
	case d.Key == "owner":
		c.lead = func(l *lead.Lead) string { return l.Owner }
	case d.Key == "source.channel":
		c.lead = func(l *lead.Lead) string { return string(l.Source.Channel) }
	case d.Key == "source.campaign":
		c.lead = func(l *lead.Lead) string { return l.Source.Campaign }
	case d.Key == KeyProduct:
		// a lead has no product
	default:
		k := d.Key
		c.lead = k.Of
	}
	switch d.Key {
	case "source.channel":
		c.spend = func(s *Spend) (string, bool) { return s.Channel, true }
		c.visits = func(v *Visits) (string, bool) { return v.Channel, true }
	case "source.landing_page":
		c.visits = func(v *Visits) (string, bool) { return v.LandingPage, true }
	case "source.campaign":
		c.spend = func(s *Spend) (string, bool) { return s.Campaign, true }
	case "owner":
		c.dealOwn = func(d *Deal) (string, bool) { return d.Owner, true }
	case KeyProduct:
		c.dealOwn = func(d *Deal) (string, bool) { return d.Product, true }
	}
	return c
}

// Config returns the definition the meter was compiled from, as given
// (defaults not filled in), as a deep copy the caller may modify.
func (m *Meter) Config() Config {
	if m == nil {
		return Config{}
	}
	return m.def.clone()
}

// Fingerprint returns the hex SHA-256 of the canonical JSON of the
// meter's definition, with every default filled in: two meters count the
// same way exactly when their fingerprints are equal. (A [Dimension.Func]
// is not part of it.) A nil Meter has the empty fingerprint.
func (m *Meter) Fingerprint() string {
	if m == nil {
		return ""
	}
	return m.fingerprint
}

// NewScorecard returns an empty scorecard as of asOf: records and events
// after asOf are invisible to it (see [Scorecard]). A zero asOf means no
// cut: everything is visible. asOf is kept in UTC. A nil Meter gives a
// scorecard of the zero Config.
func (m *Meter) NewScorecard(asOf time.Time) *Scorecard {
	if m == nil {
		m = MustCompile(Config{})
	}
	s := &Scorecard{m: m, cells: map[cellKey]*cell{}}
	if !asOf.IsZero() {
		s.asOf = asOf.UTC()
		s.cut = true
	}
	return s
}

// KeysOf returns the lead's segment under every dimension that a lead
// has a segment in (all but [KeyProduct] ones), by dimension name: what
// a host attaches to the lead's deals (deal.Keys = m.KeysOf(l)) and
// customers when it joins them to their lead, so that revenue, win rates
// and CAC come out per channel, campaign, persona... A dimension's value
// may be "" (the lead has no value for the key). It returns nil for a nil
// lead or meter.
func (m *Meter) KeysOf(l *lead.Lead) map[string]string {
	if m == nil || l == nil {
		return nil
	}
	keys := make(map[string]string, len(m.dims))
	for i := range m.dims {
		if f := m.dims[i].lead; f != nil {
			keys[m.dims[i].name] = f(l)
		}
	}
	return keys
}

// ladderPos returns the 1-based position of st on the ladder, 0 when it
// is not on it.
func (m *Meter) ladderPos(st lead.Stage) int {
	if m.ladderMap != nil {
		return m.ladderMap[st]
	}
	for i, s := range m.ladder {
		if s == st {
			return i + 1
		}
	}
	return 0
}
