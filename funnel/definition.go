package funnel

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/lead"
)

// DefaultMaxFindings is the number of data-quality findings an analysis
// keeps when [Definition.MaxFindings] is zero. The count of findings by
// kind is always exact.
const DefaultMaxFindings = 100

// Definition is everything that defines a funnel analysis: the funnel and
// how its leads are grouped and counted. It is plain data with JSON tags;
// [ParseDefinition] decodes one strictly and [Compile] turns it into an
// [Analyzer].
//
// The zero values are the defaults: no cohorts, UTC, no window, implied
// skips, no segments, [DefaultMaxFindings] findings kept. A Definition
// holds no Go func, so the state of every analysis built from it can be
// encoded and decoded anywhere.
type Definition struct {
	// Funnel is the funnel being measured. Required.
	Funnel Funnel `json:"funnel"`
	// Cohort groups leads by the period in which they started (entered
	// the funnel's first stage, or see [Analysis] for leads that skipped
	// it). The zero Period means no cohorts: every lead is in one group.
	Cohort leadkit.Period `json:"cohort,omitempty"`
	// Zone is the time zone in which cohort periods begin; empty means
	// UTC.
	Zone leadkit.Zone `json:"zone,omitempty"`
	// Window, when positive, is the conversion window: a lead counts as
	// having reached a stage only if it got there at most Window after it
	// started (the boundary counts as inside). Zero means no window. In
	// JSON it is a string such as "30d".
	Window leadkit.Duration `json:"window,omitempty"`
	// Strict makes a skipped stage break the chain: a lead reaches a
	// stage only if it entered that stage and every stage before it. By
	// default reaching a later stage implies the earlier ones.
	Strict bool `json:"strict,omitempty"`
	// Segment, when set, is the lead field whose value names a lead's
	// segment ("source.channel", "owner", "fields.region"): the report
	// then has one breakdown per value. Leads without a value are in the
	// segment with the empty key. The zero Key means no segments.
	Segment lead.Key `json:"segment,omitempty"`
	// MaxFindings caps the data-quality findings kept: the first ones in
	// (lead id, path, kind, problem) order, so the list does not depend on
	// the order leads were added or merged. Zero means
	// [DefaultMaxFindings]. The counts by kind stay exact.
	MaxFindings int `json:"max_findings,omitempty"`
}

// Validate reports every problem with the definition at once, joined
// with [errors.Join]; each is a *[leadkit.Error] whose Path is a JSON path
// ("funnel.stages[1].team", "window"). See [Funnel.Validate] for the
// funnel's rules; the cohort must be empty or a named period, the zone a
// loadable IANA name, the window not negative, the segment empty or a
// valid [lead.Key], and MaxFindings not negative.
func (d Definition) Validate() error {
	errs := []error{leadkit.Prefix("funnel", d.Funnel.Validate())}
	if d.Cohort != "" {
		if err := d.Cohort.Check(); err != nil {
			errs = append(errs, &leadkit.Error{Path: "cohort", Msg: err.Error(), Err: err})
		}
	}
	if _, err := d.Zone.Location(); err != nil {
		errs = append(errs, &leadkit.Error{Path: "zone", Msg: err.Error(), Err: err})
	}
	if d.Window < 0 {
		errs = append(errs, leadkit.Errorf("window", "negative (%v)", d.Window))
	}
	if d.Segment != "" {
		if err := d.Segment.Check(); err != nil {
			errs = append(errs, &leadkit.Error{Path: "segment", Msg: err.Error(), Err: err})
		}
	}
	if d.MaxFindings < 0 {
		errs = append(errs, leadkit.Errorf("max_findings", "negative (%d)", d.MaxFindings))
	}
	return errors.Join(errs...)
}

// canonical returns d with its defaults filled in and no slice shared
// with d: the zone named (UTC), MaxFindings set.
func (d Definition) canonical() Definition {
	d.Funnel = d.Funnel.clone()
	if d.Zone == "" {
		d.Zone = leadkit.UTC
	}
	if d.MaxFindings == 0 {
		d.MaxFindings = DefaultMaxFindings
	}
	return d
}

// ParseDefinition decodes a [Definition] from JSON strictly: an unknown
// field, a value of the wrong type, trailing data or an invalid
// definition is an error. Every error is a *[leadkit.Error] with the JSON
// path of the field and, where the decoder knows it, its line and column.
func ParseDefinition(data []byte) (Definition, error) {
	var d Definition
	if err := jsonstrict.Decode(data, &d, "definition"); err != nil {
		return Definition{}, err
	}
	if err := d.Validate(); err != nil {
		return Definition{}, err
	}
	return d, nil
}

// ParseFunnel decodes a [Funnel] from JSON strictly, as [ParseDefinition]
// does, and validates it.
func ParseFunnel(data []byte) (Funnel, error) {
	var f Funnel
	if err := jsonstrict.Decode(data, &f, "funnel"); err != nil {
		return Funnel{}, err
	}
	if err := f.Validate(); err != nil {
		return Funnel{}, err
	}
	return f, nil
}

// Analyzer is a compiled [Definition]: immutable, and safe for concurrent
// use by any number of goroutines, each making its own [Analysis] with
// [Analyzer.NewAnalysis].
type Analyzer struct {
	def         Definition // canonical: defaults filled in
	fingerprint string
	loc         *time.Location
	unit        period.Unit // 0 when there are no cohorts
	idx         stageIndex
	getSeg      func(*lead.Lead) string // nil when there are no segments
}

// Compile checks d (see [Definition.Validate]) and compiles it. The
// analyzer keeps its own deep copy of d: changing d afterwards changes
// nothing.
func Compile(d Definition) (*Analyzer, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	c := d.canonical()
	b, err := json.Marshal(c)
	if err != nil { // a Definition holds only strings, numbers and slices of them
		return nil, fmt.Errorf("funnel: encode definition: %w", err)
	}
	sum := sha256.Sum256(b)
	loc, err := c.Zone.Location()
	if err != nil { // checked by Validate
		return nil, &leadkit.Error{Path: "zone", Msg: err.Error(), Err: err}
	}
	an := &Analyzer{def: c, fingerprint: hex.EncodeToString(sum[:]), loc: loc}
	if c.Cohort != "" {
		an.unit, _ = period.Parse(string(c.Cohort))
	}
	an.idx = newStageIndex(&an.def.Funnel)
	if k := c.Segment; k != "" {
		an.getSeg = k.Func() // the key is checked: not nil
	}
	return an, nil
}

// MustCompile is like [Compile] but panics, quoting the error, if d is
// invalid. It is meant for definitions written in tests and examples.
func MustCompile(d Definition) *Analyzer {
	an, err := Compile(d)
	if err != nil {
		panic("funnel: MustCompile: " + err.Error())
	}
	return an
}

// Definition returns a deep copy of the definition the analyzer was
// compiled from, with its defaults filled in (Zone "UTC", MaxFindings
// [DefaultMaxFindings] when they were zero): compiling it again gives the
// same fingerprint.
func (an *Analyzer) Definition() Definition {
	if an == nil {
		return Definition{}
	}
	return an.def.canonical()
}

// Fingerprint returns the hex SHA-256 of the canonical JSON of the
// definition (defaults filled in): two analyzers with the same
// fingerprint measure the same thing, and only their analyses may be
// merged. A nil analyzer has the empty fingerprint.
func (an *Analyzer) Fingerprint() string {
	if an == nil {
		return ""
	}
	return an.fingerprint
}
