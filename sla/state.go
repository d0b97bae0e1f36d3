package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/leadkit/leadkit/internal/jsonstrict"
	"maps"
	"slices"
	"time"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/internal/hist"
)

// StateFormat is the format version of the JSON state of a
// [Compliance], in its "format" field.
const StateFormat = "leadkit.sla/1"

// stateJSON is the JSON form of a Compliance.
type stateJSON struct {
	Format      string       `json:"format"`
	Definition  Agreement    `json:"definition"`
	Fingerprint string       `json:"fingerprint"`
	AsOf        time.Time    `json:"as_of"`
	Leads       int64        `json:"leads"`
	Skipped     int64        `json:"skipped"`
	Policies    []policyJSON `json:"policies"`
}

type policyJSON struct {
	Name     string                 `json:"name"`
	Owners   map[string]*tallyJSON  `json:"owners,omitempty"`
	Breaches []Result               `json:"breaches,omitempty"`
	Periods  map[string]*periodJSON `json:"periods,omitempty"`
}

type tallyJSON struct {
	Met      int64           `json:"met"`
	Breached int64           `json:"breached"`
	Pending  int64           `json:"pending"`
	AtRisk   int64           `json:"at_risk"`
	Times    *hist.Durations `json:"times"`
}

type periodJSON struct {
	Leads    int64 `json:"leads"`
	Accepted int64 `json:"accepted,omitempty"`
	Rejected int64 `json:"rejected,omitempty"`
}

// MarshalJSON encodes the accumulator as self-describing JSON:
// {"format": "leadkit.sla/1", "definition": the agreement as given,
// "fingerprint", "as_of", "leads", "skipped", "policies": per policy the
// counts and duration histogram per owner, the kept breaches and the
// counts per period (keyed by the period's first local date,
// "2026-01-05")}. The same state always encodes to the same bytes.
func (c *Compliance) MarshalJSON() ([]byte, error) {
	if err := c.ready(); err != nil {
		return nil, err
	}
	s := stateJSON{Format: StateFormat, Definition: c.ch.def, Fingerprint: c.ch.fingerprint,
		AsOf: c.asOf, Leads: c.leads, Skipped: c.skipped, Policies: make([]policyJSON, len(c.pols))}
	for i := range c.pols {
		st := &c.pols[i]
		pj := policyJSON{Name: c.ch.groups[i].name, Breaches: st.breaches}
		if len(st.owners) > 0 {
			pj.Owners = make(map[string]*tallyJSON, len(st.owners))
			for owner, t := range st.owners {
				pj.Owners[owner] = &tallyJSON{Met: t.met, Breached: t.breached, Pending: t.pending, AtRisk: t.atRisk, Times: &t.times}
			}
		}
		if len(st.periods) > 0 {
			pj.Periods = make(map[string]*periodJSON, len(st.periods))
			for _, pt := range st.periods {
				key := c.ch.cal.time(pt.start).Format(time.DateOnly)
				pj.Periods[key] = &periodJSON{Leads: pt.leads, Accepted: pt.accepted, Rejected: pt.rejected}
			}
		}
		s.Policies[i] = pj
	}
	return json.Marshal(s)
}

// UnmarshalJSON decodes a state written by [Compliance.MarshalJSON]
// into c, which may be a zero Compliance: the agreement is compiled from
// the state and its fingerprint checked. Decoding is strict and checks
// everything: an unknown field, another format version, a tampered
// fingerprint, a negative or inconsistent count, a null entry, a period
// key that is not a period's first date or lies after the as-of time, a
// breach list that is not the one the counts imply, a bad histogram.
// Every error is a *[leadkit.Error] with the path of the offending
// field, and leaves c unchanged.
func (c *Compliance) UnmarshalJSON(data []byte) error {
	if c == nil {
		return errors.New("sla: UnmarshalJSON into a nil *Compliance")
	}
	var s stateJSON
	if err := jsonstrict.DecodeState(data, &s); err != nil {
		return &leadkit.Error{Msg: "state: " + err.Error(), Err: err}
	}
	n, err := decodeState(&s)
	if err != nil {
		return err
	}
	*c = *n
	return nil
}

func decodeState(s *stateJSON) (*Compliance, error) {
	if s.Format != StateFormat {
		return nil, leadkit.Errorf("format", "%q; want %q", s.Format, StateFormat)
	}
	ch, err := Compile(s.Definition)
	if err != nil {
		return nil, leadkit.Prefix("definition", err)
	}
	if s.Fingerprint != ch.fingerprint {
		return nil, leadkit.Errorf("fingerprint", "%q does not match the definition's %q", s.Fingerprint, ch.fingerprint)
	}
	c := ch.NewCompliance(s.AsOf)
	if !s.AsOf.IsZero() && c.asOfErr != nil {
		return nil, leadkit.Errorf("as_of", "%w", c.asOfErr)
	}
	if s.Leads < 0 || s.Skipped < 0 {
		return nil, leadkit.Errorf("leads", "negative count (leads %d, skipped %d)", s.Leads, s.Skipped)
	}
	if s.AsOf.IsZero() && s.Leads+s.Skipped != 0 {
		return nil, leadkit.Errorf("leads", "leads counted without an as-of time")
	}
	c.leads, c.skipped = s.Leads, s.Skipped
	if len(s.Policies) != len(ch.groups) {
		return nil, leadkit.Errorf("policies", "%d states for %d policy names", len(s.Policies), len(ch.groups))
	}
	for i := range s.Policies {
		path := fmt.Sprintf("policies[%d]", i)
		st, err := c.decodePolicy(&ch.groups[i], &s.Policies[i])
		if err != nil {
			return nil, leadkit.Prefix(path, err)
		}
		c.pols[i] = st
	}
	return c, nil
}

func (c *Compliance) decodePolicy(g *group, pj *policyJSON) (polState, error) {
	var st polState
	p := &c.ch.policies[g.versions[0]]
	if pj.Name != p.def.Name {
		return st, leadkit.Errorf("name", "%q; the agreement's policy is %q", pj.Name, p.def.Name)
	}
	if !p.perLead {
		if len(pj.Owners) > 0 || len(pj.Breaches) > 0 {
			return st, leadkit.Errorf("owners", "a %s policy has no owners nor breaches", p.kind)
		}
		var total int64
		for _, key := range slices.Sorted(maps.Keys(pj.Periods)) {
			path := "periods." + key
			pt := pj.Periods[key]
			if pt == nil {
				return st, leadkit.Errorf(path, "null")
			}
			t, err := time.ParseInLocation(time.DateOnly, key, c.ch.cal.loc)
			if err != nil {
				return st, leadkit.Errorf(path, "bad date; want YYYY-MM-DD")
			}
			ps := p.def.Period.Start(t, c.ch.cal.loc)
			if !ps.Equal(t) {
				return st, leadkit.Errorf(path, "not the first date of a %s", p.def.Period)
			}
			pe := p.def.Period.Next(t, c.ch.cal.loc)
			if !pe.After(minInstant) || ps.After(c.asOf) {
				return st, leadkit.Errorf(path, "outside the range 1950 to the as-of time")
			}
			switch {
			case pt.Leads < 1 || pt.Accepted < 0 || pt.Rejected < 0:
				return st, leadkit.Errorf(path, "counts must be positive (leads %d, accepted %d, rejected %d)", pt.Leads, pt.Accepted, pt.Rejected)
			case p.kind == KindVolume && (pt.Accepted != 0 || pt.Rejected != 0):
				return st, leadkit.Errorf(path, "a volume policy counts no decisions")
			case pt.Accepted > pt.Leads-pt.Rejected:
				return st, leadkit.Errorf(path, "%d accepted and %d rejected of %d leads", pt.Accepted, pt.Rejected, pt.Leads)
			}
			var ok bool
			if total, ok = addInt(total, pt.Leads); !ok || total > c.leads {
				return st, leadkit.Errorf(path, "more leads in the periods than the %d added", c.leads)
			}
			st.periods = append(st.periods, periodTally{start: ps.UnixNano(), end: pe.UnixNano(),
				leads: pt.Leads, accepted: pt.Accepted, rejected: pt.Rejected})
		}
		slices.SortFunc(st.periods, func(a, b periodTally) int { return cmpInt(a.start, b.start) })
		return st, nil
	}
	if len(pj.Periods) > 0 {
		return st, leadkit.Errorf("periods", "a %s policy has no periods", p.kind)
	}
	var total, breached int64
	owners := map[string]*tally{}
	for _, owner := range slices.Sorted(maps.Keys(pj.Owners)) {
		path := fmt.Sprintf("owners[%q]", owner)
		tj := pj.Owners[owner]
		if tj == nil {
			return st, leadkit.Errorf(path, "null")
		}
		if tj.Met < 0 || tj.Breached < 0 || tj.Pending < 0 || tj.AtRisk < 0 {
			return st, leadkit.Errorf(path, "negative count")
		}
		sum := tj.Met
		var ok [4]bool
		sum, ok[0] = addInt(sum, tj.Breached)
		sum, ok[1] = addInt(sum, tj.Pending)
		sum, ok[2] = addInt(sum, tj.AtRisk)
		total, ok[3] = addInt(total, sum)
		if ok != [4]bool{true, true, true, true} || (total > c.leads && p.kind != KindNextResponse) {
			return st, leadkit.Errorf(path, "more leads than the %d added", c.leads)
		}
		if sum == 0 {
			return st, leadkit.Errorf(path, "an owner without leads")
		}
		breached += tj.Breached
		t := &tally{met: tj.Met, breached: tj.Breached, pending: tj.Pending, atRisk: tj.AtRisk}
		if tj.Times == nil {
			return st, leadkit.Errorf(path+".times", "missing")
		}
		t.times = *tj.Times
		if t.times.Len() > tj.Met+tj.Breached {
			return st, leadkit.Errorf(path+".times", "%d durations for %d decided leads", t.times.Len(), tj.Met+tj.Breached)
		}
		owners[owner] = t
	}
	if len(owners) > 0 {
		st.owners = owners
	}
	if want := min(breached, int64(c.ch.maxBreaches)); int64(len(pj.Breaches)) != want {
		return st, leadkit.Errorf("breaches", "%d listed; the counts imply %d", len(pj.Breaches), want)
	}
	perOwner := map[string]int64{}
	for i := range pj.Breaches {
		path := fmt.Sprintf("breaches[%d]", i)
		r := pj.Breaches[i]
		t := owners[r.Owner]
		perOwner[r.Owner]++
		switch {
		case r.Policy != p.def.Name:
			return st, leadkit.Errorf(path+".policy", "%q; want %q", r.Policy, p.def.Name)
		case r.Status != StatusBreached:
			return st, leadkit.Errorf(path+".status", "%q; want %q", r.Status, StatusBreached)
		case r.Cause != CauseLate && r.Cause != CauseMissed && r.Cause != CauseNoReason:
			return st, leadkit.Errorf(path+".cause", "unknown cause %q", r.Cause)
		case t == nil || perOwner[r.Owner] > t.breached:
			return st, leadkit.Errorf(path+".owner", "more breaches of owner %q than counted", r.Owner)
		case r.Elapsed < 0 || r.Remaining != 0 || r.Late < 0:
			return st, leadkit.Errorf(path, "bad durations")
		}
		for _, f := range []struct {
			name string
			t    time.Time
		}{{"clock_start", r.ClockStart}, {"deadline", r.Deadline}} {
			if f.t.Before(minInstant) || f.t.After(maxInstant) {
				return st, leadkit.Errorf(path+"."+f.name, "outside the calendar's range")
			}
		}
		loc := c.ch.cal.loc
		if r.Calendar != "" {
			k := slices.IndexFunc(c.ch.calendars, func(n named) bool { return n.name == r.Calendar })
			if k < 0 || !c.ch.policies[g.versions[0]].business {
				return st, leadkit.Errorf(path+".calendar", "%q is not a calendar of the agreement's business clocks", r.Calendar)
			}
			loc = c.ch.calendars[k].cal.loc
			if i, ok := c.ch.owners[r.Owner]; !ok || i != k {
				return st, leadkit.Errorf(path+".calendar", "owner %q is not on calendar %q", r.Owner, r.Calendar)
			}
		} else if i, ok := c.ch.owners[r.Owner]; ok && c.ch.policies[g.versions[0]].business {
			return st, leadkit.Errorf(path+".calendar", "missing; owner %q is on calendar %q", r.Owner, c.ch.calendars[i].name)
		}
		vi := slices.IndexFunc(g.versions, func(v int) bool { return c.ch.policies[v].def.EffectiveFrom.Equal(r.Version) })
		if vi < 0 {
			return st, leadkit.Errorf(path+".version", "%s is not the effective_from of a version of the policy", r.Version.Format(time.RFC3339Nano))
		}
		if r.Paused != 0 && len(c.ch.policies[g.versions[vi]].def.PauseIn) == 0 {
			return st, leadkit.Errorf(path+".paused", "a version without pause_in pauses nothing")
		}
		if !r.Version.IsZero() {
			r.Version = r.Version.In(loc)
		}
		if r.Paused < 0 || len(r.Trail) > 0 {
			return st, leadkit.Errorf(path, "bad paused time or a trail")
		}
		r.ClockStart, r.Deadline = r.ClockStart.In(loc), r.Deadline.In(loc)
		if !r.MetAt.IsZero() {
			r.MetAt = r.MetAt.In(loc)
		}
		if i > 0 && breachCmp(&st.breaches[i-1], &r) > 0 {
			return st, leadkit.Errorf(path, "breaches out of order (latest first, then lead id)")
		}
		st.breaches = append(st.breaches, r)
	}
	return st, nil
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
