package funnel

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/internal/period"
)

// StateFormat is the format version written in every encoded [Analysis]
// ("format" in its JSON). Decoding refuses any other.
const StateFormat = "leadkit.funnel/1"

// state is the JSON form of an Analysis.
type state struct {
	Format        string                `json:"format"`
	Definition    Definition            `json:"definition"`
	Fingerprint   string                `json:"fingerprint"`
	AsOf          time.Time             `json:"as_of"`
	Leads         int64                 `json:"leads"`
	NotYetCreated int64                 `json:"not_yet_created"`
	Unstaged      int64                 `json:"unstaged"`
	Cells         []cellState           `json:"cells"`
	FindingCounts map[FindingKind]int64 `json:"finding_counts,omitempty"`
	Findings      []Finding             `json:"findings,omitempty"`
}

// cellState is one cohort and segment: cells are listed by cohort period
// (oldest first), then segment.
type cellState struct {
	Cohort  string      `json:"cohort"`
	Segment string      `json:"segment"`
	Stages  []stageJSON `json:"stages"`
	key     int64       // the cohort's ordinal, set when decoding
	cell    *cell       // the decoded cell
}

type stageJSON struct {
	Reached   int64          `json:"reached"`
	StillIn   int64          `json:"still_in"`
	Reentered int64          `json:"reentered"`
	Exits     []ExitCount    `json:"exits,omitempty"`
	Time      hist.Durations `json:"time"`
}

func compareExits(x, y ExitCount) int {
	return cmp.Or(cmp.Compare(x.Exit, y.Exit), cmp.Compare(x.Reason, y.Reason))
}

// MarshalJSON encodes the analysis's whole state, self-described:
//
//	{"format": "leadkit.funnel/1", "definition": {...}, "fingerprint": "...",
//	 "as_of": "...", "leads": ..., "not_yet_created": ..., "unstaged": ...,
//	 "cells": [{"cohort": "2024-01", "segment": "email", "stages": [...]}],
//	 "finding_counts": {...}, "findings": [...]}
//
// The definition is written in full, with its defaults filled in; cells,
// exits and findings are in a fixed order, so the same state always
// encodes to the same bytes. A nil or zero Analysis is an error.
func (a *Analysis) MarshalJSON() ([]byte, error) {
	if a == nil || a.an == nil {
		return nil, errNoDefinition
	}
	s := state{
		Format: StateFormat, Definition: a.an.Definition(), Fingerprint: a.an.fingerprint, AsOf: a.asOf,
		Leads: a.leads, NotYetCreated: a.notYetCreated, Unstaged: a.unstaged,
		Cells: []cellState{},
	}
	for _, key := range slices.Sorted(maps.Keys(a.cells)) {
		label := ""
		if a.an.unit != 0 {
			label = period.Label(a.an.unit, key)
		}
		for _, seg := range slices.Sorted(maps.Keys(a.cells[key])) {
			c := a.cells[key][seg]
			cs := cellState{Cohort: label, Segment: seg, Stages: make([]stageJSON, len(c.stages))}
			for i := range c.stages {
				st := &c.stages[i]
				exits := slices.Clone(st.exits)
				slices.SortFunc(exits, compareExits)
				times, err := st.encodable()
				if err != nil {
					return nil, fmt.Errorf("funnel: MarshalJSON: times: %w", err)
				}
				cs.Stages[i] = stageJSON{Reached: st.reached, StillIn: st.stillIn, Reentered: st.reentered, Exits: exits, Time: times}
			}
			s.Cells = append(s.Cells, cs)
		}
	}
	if len(a.findingCounts) > 0 {
		s.FindingCounts = a.findingCounts
	}
	if len(a.findings) > 0 {
		s.Findings = a.keptFindings()
	}
	return json.Marshal(s)
}

// encodable returns the histogram to encode for s: s.time itself when no
// duration is pending, else a copy of it with the pending durations
// added. The copy keeps s.time's bucket layout, so that decoding and
// encoding again gives the same bytes.
func (s *stageState) encodable() (hist.Durations, error) {
	if len(s.pending) == 0 {
		return s.time, nil
	}
	var h hist.Durations
	b, err := s.time.MarshalJSON()
	if err == nil {
		err = h.UnmarshalJSON(b)
	}
	if err != nil {
		return h, err
	}
	for _, d := range s.pending {
		if !h.Add(d) {
			return h, hist.ErrOverflow
		}
	}
	return h, nil
}

// UnmarshalJSON decodes a state written by [Analysis.MarshalJSON] into a,
// which may be a zero Analysis: the result is a working analysis of the
// encoded definition and as-of time, with nothing to set again.
//
// Decoding is strict and checks everything, so that a damaged or
// tampered state is an error here, never a panic or a wrong figure
// later: unknown fields, another format version, an invalid definition
// or one whose fingerprint differs, negative counts, counts that do not
// add up (every lead in the funnel is counted once in its cell's first
// stage, once as still in a stage or as exited; Reached never grows down
// the stages; no more timed leads than reached the next stage), a cohort
// label that is not a period of the definition's cohort or starts after
// the as-of time, a segment without segments, cells out of order or
// repeated, an unknown exit, a finding kind or count that does not match,
// more findings than MaxFindings, and the histograms' own settings. On
// error a is unchanged.
func (a *Analysis) UnmarshalJSON(data []byte) error {
	if a == nil {
		return errors.New("funnel: UnmarshalJSON into a nil *Analysis")
	}
	var s state
	if err := jsonstrict.DecodeState(data, &s); err != nil {
		return fmt.Errorf("funnel: analysis state: %w", err)
	}
	b, err := s.build()
	if err != nil {
		return fmt.Errorf("funnel: analysis state: %w", err)
	}
	*a = *b
	return nil
}

// build checks s and returns the analysis it describes.
func (s *state) build() (*Analysis, error) {
	if s.Format != StateFormat {
		return nil, fmt.Errorf("format %q; this version reads %q", s.Format, StateFormat)
	}
	an, err := Compile(s.Definition)
	if err != nil {
		return nil, fmt.Errorf("definition: %w", err)
	}
	if s.Fingerprint != an.fingerprint {
		return nil, fmt.Errorf("fingerprint %q does not match the definition's %q", s.Fingerprint, an.fingerprint)
	}
	if s.Leads < 0 || s.NotYetCreated < 0 || s.Unstaged < 0 {
		return nil, fmt.Errorf("negative count (leads %d, not_yet_created %d, unstaged %d)", s.Leads, s.NotYetCreated, s.Unstaged)
	}
	a := &Analysis{an: an}
	a.setAsOf(s.AsOf)
	a.leads, a.notYetCreated, a.unstaged = s.Leads, s.NotYetCreated, s.Unstaged
	a.init()
	d := &an.def
	accounted := s.NotYetCreated // leads not yet created, unstaged, in cells
	if accounted > math.MaxInt64-s.Unstaged {
		return nil, errors.New("counts overflow")
	}
	accounted += s.Unstaged
	for ci := range s.Cells {
		cs := &s.Cells[ci]
		p := fmt.Sprintf("cells[%d]", ci)
		if err := a.checkCell(cs); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if ci > 0 {
			prev := &s.Cells[ci-1]
			if cmp.Or(cmp.Compare(prev.key, cs.key), cmp.Compare(prev.Segment, cs.Segment)) >= 0 {
				return nil, fmt.Errorf("%s: cohort %q segment %q is out of order or repeated", p, cs.Cohort, cs.Segment)
			}
		}
		top := cs.cell.stages[0].reached
		if accounted > math.MaxInt64-top {
			return nil, errors.New("counts overflow")
		}
		accounted += top
		bySeg := a.cells[cs.key]
		if bySeg == nil {
			bySeg = map[string]*cell{}
			a.cells[cs.key] = bySeg
		}
		bySeg[cs.Segment] = cs.cell
	}
	if accounted != s.Leads {
		return nil, fmt.Errorf("leads %d, but %d not yet created + %d unstaged + the cells' first stages add up to %d", s.Leads, s.NotYetCreated, s.Unstaged, accounted)
	}
	for k, v := range s.FindingCounts {
		switch {
		case !k.IsValid():
			return nil, fmt.Errorf("finding_counts: unknown kind %q", k)
		case v <= 0:
			return nil, fmt.Errorf("finding_counts[%q]: %d; counts are positive", k, v)
		case a.findingTotal > math.MaxInt64-v:
			return nil, errors.New("finding_counts overflow")
		}
		a.findingTotal += v
		a.findingCounts[k] = v
	}
	if len(s.Findings) > d.MaxFindings {
		return nil, fmt.Errorf("%d findings; the definition keeps at most %d", len(s.Findings), d.MaxFindings)
	}
	kept := map[FindingKind]int64{}
	for i, f := range s.Findings {
		switch {
		case !f.Kind.IsValid():
			return nil, fmt.Errorf("findings[%d]: unknown kind %q", i, f.Kind)
		case i > 0 && compareFindings(s.Findings[i-1], f) > 0:
			return nil, fmt.Errorf("findings[%d]: out of order", i)
		}
		kept[f.Kind]++
		if kept[f.Kind] > s.FindingCounts[f.Kind] {
			return nil, fmt.Errorf("findings: more of kind %q than finding_counts says (%d)", f.Kind, s.FindingCounts[f.Kind])
		}
	}
	a.findings = slices.Clone(s.Findings)
	return a, nil
}

// checkCell checks one decoded cell and builds it: cs.key and cs.cell
// are set on success.
func (a *Analysis) checkCell(cs *cellState) error {
	an := a.an
	d := &an.def
	n := len(d.Funnel.Stages)
	switch {
	case an.unit == 0 && cs.Cohort != "":
		return fmt.Errorf("cohort %q, but the definition has no cohorts", cs.Cohort)
	case an.unit != 0:
		key, ok := parseLabel(an.unit, cs.Cohort)
		if !ok {
			return fmt.Errorf("cohort %q is not a %s label", cs.Cohort, d.Cohort)
		}
		if a.hasAsOf && period.Start(an.unit, key, an.loc).After(a.asOf) {
			return fmt.Errorf("cohort %q starts after the as-of time %s", cs.Cohort, a.asOf.Format(time.RFC3339Nano))
		}
		cs.key = key
	}
	if d.Segment == "" && cs.Segment != "" {
		return fmt.Errorf("segment %q, but the definition has no segments", cs.Segment)
	}
	if len(cs.Stages) != n {
		return fmt.Errorf("%d stages; the funnel has %d", len(cs.Stages), n)
	}
	c := &cell{stages: make([]stageState, n)}
	top := cs.Stages[0].Reached
	if top <= 0 {
		return fmt.Errorf("stages[0].reached is %d; a cell holds at least one lead", top)
	}
	var ended int64 // leads still in a stage or exited: each lead once
	add := func(v int64) bool {
		if v < 0 || ended > math.MaxInt64-v {
			return false
		}
		ended += v
		return true
	}
	for i, sj := range cs.Stages {
		if sj.Reached < 0 || sj.StillIn < 0 || sj.Reentered < 0 {
			return fmt.Errorf("stages[%d]: negative count", i)
		}
	}
	for i := range cs.Stages {
		sj := &cs.Stages[i]
		p := fmt.Sprintf("stages[%d]", i)
		switch {
		case i > 0 && sj.Reached > cs.Stages[i-1].Reached:
			return fmt.Errorf("%s.reached %d is more than the %d of the stage before", p, sj.Reached, cs.Stages[i-1].Reached)
		case sj.Reentered > top:
			return fmt.Errorf("%s.reentered %d is more than the cell's %d leads", p, sj.Reentered, top)
		case !add(sj.StillIn):
			return fmt.Errorf("%s.still_in: count overflow", p)
		}
		switch h := sj.Time.Len(); {
		case i == n-1 && h != 0:
			return fmt.Errorf("%s.time: the last stage has no next stage to time", p)
		case i < n-1 && h > cs.Stages[i+1].Reached:
			return fmt.Errorf("%s.time: %d durations, but %d leads reached the next stage", p, h, cs.Stages[i+1].Reached)
		}
		for k, e := range sj.Exits {
			ep := fmt.Sprintf("%s.exits[%d]", p, k)
			switch {
			case d.Funnel.ExitIndex(e.Exit) < 0:
				return fmt.Errorf("%s: %q is not an exit of the funnel", ep, e.Exit)
			case e.Leads <= 0:
				return fmt.Errorf("%s: %d leads; counts are positive", ep, e.Leads)
			case k > 0 && compareExits(sj.Exits[k-1], e) >= 0:
				return fmt.Errorf("%s: out of order or repeated", ep)
			case !add(e.Leads):
				return fmt.Errorf("%s: count overflow", ep)
			}
		}
		c.stages[i] = stageState{reached: sj.Reached, stillIn: sj.StillIn, reentered: sj.Reentered, exits: slices.Clone(sj.Exits), time: sj.Time}
	}
	if ended != top {
		return fmt.Errorf("%d leads still in a stage or exited, but %d in the cell", ended, top)
	}
	cs.cell = c
	return nil
}

// parseLabel returns the ordinal of the period of unit u labelled s, and
// false when s is not exactly the label period.Label writes.
func parseLabel(u period.Unit, s string) (int64, bool) {
	var key int64
	var y, m, d int
	var err error
	switch u {
	case period.Day:
		_, err = fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d)
		key = period.OfDate(u, y, time.Month(m), d)
	case period.Week:
		_, err = fmt.Sscanf(s, "%d-W%d", &y, &d)
		// ISO week 1 is the week of January 4th.
		key = period.OfDate(u, y, time.January, 4) + 7*int64(d-1)
	case period.Month:
		_, err = fmt.Sscanf(s, "%d-%d", &y, &m)
		key = period.OfDate(u, y, time.Month(m), 1)
	case period.Quarter:
		_, err = fmt.Sscanf(s, "%d-Q%d", &y, &m)
		key = period.OfDate(u, y, time.Month(3*m-2), 1)
	case period.Year:
		_, err = fmt.Sscanf(s, "%d", &y)
		key = int64(y)
	default:
		return 0, false
	}
	if err != nil || y < -99999 || y > 99999 || m < -99 || m > 99 || d < -9999 || d > 9999 || period.Label(u, key) != s {
		return 0, false
	}
	return key, true
}
