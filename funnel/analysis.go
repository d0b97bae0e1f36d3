package funnel

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/lead"
)

// Analysis is the funnel-analysis accumulator: [Analysis.Add] feeds it
// leads, [Analysis.Merge] combines two of them, and [Analysis.Report]
// computes the figures. Adding the same leads in any order, or split over
// any number of accumulators that are then merged in any order, gives the
// identical report. Its state is made of exported fields and round-trips
// through encoding/json, so partial analyses can be shipped between
// processes (see [Options.Location] and [Options.Segment] for the two
// fields that cannot travel).
//
// Create one with [NewAnalysis]. The zero Analysis has no funnel: Add
// returns an error. An Analysis is not safe for concurrent use; give each
// goroutine its own and merge them.
//
// # Rules
//
// For each lead, only transitions at or before [Options.AsOf] are seen,
// and a lead created after AsOf is not counted at all. A lead with no
// history is taken to have entered [lead.Lead.Stage] at its creation.
// Transitions are sorted by time (ties keep their order in History).
//
// The lead's entry into a stage is its first entry: a lead that leaves a
// stage and comes back (a backward move, or a return from recycling)
// keeps its first entry time, and is counted once in Reached and once in
// Reentered.
//
// The lead's start is its first entry into the first stage. By default a
// lead that never entered the first stage but entered a later one starts
// at its earliest stage entry, and reaching a stage implies having
// passed every stage before it. In strict mode a lead that did not enter
// the first stage is not in the funnel, and a lead reaches stage k only
// if it entered every stage 0..k. With a window, a stage counts as
// reached only if the lead entered it (or, by default, a later stage) at
// most Window after its start. The cohort is the period of the start in
// [Options.Location].
//
// A lead exits when its latest visible transition goes to an exit; the
// exit and its reason are counted against the funnel stage the lead was
// in just before. A lead that comes back from an exit into a funnel
// stage has not exited: recycling is an exit only until the lead
// returns. Still-in-stage counts leads whose latest visible transition
// went into that stage (whether or not the window counts it as reached).
//
// Time to the next stage is measured between the first entries of a
// stage and the next one, for leads that entered both themselves
// (implied stages are not timed), reached the next within the window,
// and entered the next no earlier than the stage itself (a lead that
// skipped a stage and entered it only after a backward move, or a deal
// won before first contact, is not timed for that pair).
//
// Data-quality problems are never dropped silently: a transition with a
// zero time, an empty or unknown stage is ignored and reported; a
// transition before the lead was created, a stage first entered before
// the lead's first entry into the first stage (won before first
// contact), and an exit reason that is not in [Exit.Reasons] are used as
// they are and reported. Leads that entered no stage of the funnel are
// counted in Unstaged.
type Analysis struct {
	// Funnel is the funnel being measured.
	Funnel Funnel `json:"funnel"`
	// Options are the analysis options.
	Options Options `json:"options"`
	// Leads counts every lead added.
	Leads int64 `json:"leads"`
	// NotYetCreated counts leads created after Options.AsOf.
	NotYetCreated int64 `json:"not_yet_created"`
	// Unstaged counts visible leads that reached no stage.
	Unstaged int64 `json:"unstaged"`
	// Cells holds the counts by cohort label, then segment key.
	Cells map[string]map[string]*Cell `json:"cells"`
	// Findings lists the data-quality findings kept (see
	// Options.MaxFindings), in no particular order.
	Findings []Finding `json:"findings,omitempty"`
	// FindingCounts counts every finding by kind.
	FindingCounts map[FindingKind]int64 `json:"finding_counts,omitempty"`

	idx     stageIndex
	slots   map[int64]*cohortSlot // by period ordinal
	ranges  []*cohortSlot         // slots with valid bounds, sorted by lo
	last    *cohortSlot           // the previous lead's slot
	steps   []step
	first   []instant
	firstHi []int32
}

// Cell holds the counts of one cohort and segment.
type Cell struct {
	// Stages is aligned with Funnel.Stages.
	Stages []StageState `json:"stages"`
}

// StageState holds the counts of one stage in one cell.
type StageState struct {
	// Reached counts leads that reached the stage.
	Reached int64 `json:"reached"`
	// StillIn counts leads whose latest transition went into the stage.
	StillIn int64 `json:"still_in"`
	// Reentered counts leads that entered the stage more than once.
	Reentered int64 `json:"reentered"`
	// Exits counts leads that exited from this stage, by exit and reason,
	// in no particular order.
	Exits []ExitCount `json:"exits,omitempty"`
	// Time holds the durations to the next stage.
	Time TimingState `json:"time"`
}

// FindingKind classifies a data-quality finding.
type FindingKind string

// The kinds of data-quality finding.
const (
	// FindingZeroTime: a transition with a zero time; ignored.
	FindingZeroTime FindingKind = "zero_time"
	// FindingEmptyStage: a transition with an empty To; ignored.
	FindingEmptyStage FindingKind = "empty_stage"
	// FindingUnknownStage: a transition into a stage that is neither a
	// funnel stage nor an exit; ignored.
	FindingUnknownStage FindingKind = "unknown_stage"
	// FindingBeforeCreated: a transition before the lead was created;
	// used as it is.
	FindingBeforeCreated FindingKind = "before_created"
	// FindingBeforeStart: a stage first entered before the lead's first
	// entry into the funnel's first stage (a deal won before first
	// contact); counted as reached.
	FindingBeforeStart FindingKind = "before_start"
	// FindingUnknownReason: an exit with a reason not in [Exit.Reasons];
	// counted under its reason.
	FindingUnknownReason FindingKind = "unknown_exit_reason"
)

// Finding is one data-quality problem of one lead.
type Finding struct {
	// LeadID is the lead's ID.
	LeadID string `json:"lead_id"`
	// Path names the field in the lead, in JSON names ("history[2].at").
	Path string `json:"path"`
	// Kind classifies the problem.
	Kind FindingKind `json:"kind"`
	// Problem describes it.
	Problem string `json:"problem"`
}

func compareFindings(a, b Finding) int {
	return cmp.Or(cmp.Compare(a.LeadID, b.LeadID), cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Problem, b.Problem))
}

// NewAnalysis returns an empty analysis of f with opts. It reports every
// problem with f and opts (see [Funnel.Validate]).
func NewAnalysis(f Funnel, opts Options) (*Analysis, error) {
	errs := []error{f.Validate()}
	errs = append(errs, opts.validate()...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	opts.Zone = opts.Location.String()
	return &Analysis{
		Funnel:        f,
		Options:       opts,
		Cells:         map[string]map[string]*Cell{},
		FindingCounts: map[FindingKind]int64{},
	}, nil
}

// step is one visible, known transition of the lead being added.
type step struct {
	at  instant
	idx int32 // funnel stage index, or -1-i for Funnel.Exits[i]
	hi  int32 // index in History, -1 for the synthetic entry from Lead.Stage
}

// instant is a time.Time without its location: Unix seconds and
// nanoseconds. Being pointer-free, copying it needs no write barrier, and
// comparing it is two integer comparisons.
type instant struct {
	sec  int64
	nsec int64
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int64(t.Nanosecond())} }

func (t instant) before(u instant) bool {
	return t.sec < u.sec || (t.sec == u.sec && t.nsec < u.nsec)
}

// sub returns t − u, saturating at the extreme durations like
// time.Time.Sub.
func (t instant) sub(u instant) time.Duration {
	const limit = math.MaxInt64/int64(time.Second) - 1
	ds := t.sec - u.sec
	if overflow := (u.sec < 0) != (t.sec < 0) && (ds < 0) != (t.sec < 0); overflow || ds > limit || ds < -limit {
		if t.before(u) {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	return time.Duration(ds*int64(time.Second) + (t.nsec - u.nsec))
}

func (t instant) time() time.Time { return time.Unix(t.sec, t.nsec).UTC() }

// stageIndex maps stage names to funnel stage (>= 0) or exit (< 0)
// indexes.
type stageIndex struct {
	names []lead.Stage
	codes []int
	m     map[lead.Stage]int
}

func newStageIndex(f *Funnel) stageIndex {
	var x stageIndex
	for i, s := range f.Stages {
		x.names = append(x.names, s.Name)
		x.codes = append(x.codes, i)
	}
	for i, e := range f.Exits {
		x.names = append(x.names, e.Stage)
		x.codes = append(x.codes, -1-i)
	}
	if len(x.names) > 12 {
		x.m = make(map[lead.Stage]int, len(x.names))
		for i, n := range x.names {
			x.m[n] = x.codes[i]
		}
	}
	return x
}

// lookup returns the code of s and whether s is known.
func (x *stageIndex) lookup(s lead.Stage) (int, bool) {
	if x.m != nil {
		c, ok := x.m[s]
		return c, ok
	}
	for i, n := range x.names {
		// Length and first byte first: most mismatches end there,
		// without a call to compare memory.
		if sameString(string(n), string(s)) {
			return x.codes[i], true
		}
	}
	return 0, false
}

// ready prepares the unexported lookup state, which is absent after JSON
// decoding, and checks that the fields that do not travel are set.
func (a *Analysis) ready() error {
	if len(a.Funnel.Stages) == 0 {
		return errors.New("funnel: analysis has no funnel; create it with NewAnalysis")
	}
	if a.Options.Location == nil {
		if a.Options.Zone != "" && a.Options.Zone != "UTC" {
			return fmt.Errorf("funnel: analysis options.location is nil; set it to the %q zone again after decoding", a.Options.Zone)
		}
		a.Options.Location = time.UTC
	}
	if a.Options.SegmentBy != "" && a.Options.Segment == nil {
		return fmt.Errorf("funnel: analysis options.segment is nil; set the function for segment %q again after decoding", a.Options.SegmentBy)
	}
	if a.idx.names == nil {
		// First use, or first use after decoding: check the funnel and
		// that the cells fit it, so a damaged state gives an error, not a
		// panic.
		if err := a.Funnel.Validate(); err != nil {
			return fmt.Errorf("funnel: analysis: %w", err)
		}
		for label, bySeg := range a.Cells {
			for seg, c := range bySeg {
				if c == nil || len(c.Stages) != len(a.Funnel.Stages) {
					return fmt.Errorf("funnel: analysis cells[%q][%q] do not have the funnel's %d stages", label, seg, len(a.Funnel.Stages))
				}
			}
		}
		a.idx = newStageIndex(&a.Funnel)
		n := len(a.Funnel.Stages)
		a.first = make([]instant, n)
		a.firstHi = make([]int32, n)
		a.slots = map[int64]*cohortSlot{}
	}
	if a.Cells == nil {
		a.Cells = map[string]map[string]*Cell{}
	}
	if a.FindingCounts == nil {
		a.FindingCounts = map[FindingKind]int64{}
	}
	return nil
}

// Add adds one lead. Problems with the lead's data are not errors: they
// are counted and listed as findings. Add returns an error only when the
// analysis cannot accept leads: it was not created by [NewAnalysis], or
// it was decoded from JSON and [Options.Location] or [Options.Segment]
// was not set again. A nil lead is ignored.
func (a *Analysis) Add(l *lead.Lead) error {
	if err := a.ready(); err != nil {
		return err
	}
	if l == nil {
		return nil
	}
	a.Leads++
	o := &a.Options
	var asOf instant
	hasAsOf := !o.AsOf.IsZero()
	if hasAsOf {
		asOf = instantOf(o.AsOf)
	}
	created := instantOf(l.CreatedAt)
	if hasAsOf && asOf.before(created) {
		a.NotYetCreated++
		return nil
	}

	// Collect the visible, known transitions.
	steps := a.steps[:0]
	if len(l.History) == 0 && l.Stage != "" {
		if c, ok := a.idx.lookup(l.Stage); ok {
			steps = append(steps, step{at: created, idx: int32(c), hi: -1})
		} else {
			a.find(l, "stage", FindingUnknownStage, fmt.Sprintf("unknown stage %q; lead not placed in the funnel", l.Stage))
		}
	}
	for i := range l.History {
		tr := &l.History[i]
		if tr.At.IsZero() {
			a.find(l, fmt.Sprintf("history[%d].at", i), FindingZeroTime, "zero time; transition ignored")
			continue
		}
		at := instantOf(tr.At)
		if hasAsOf && asOf.before(at) {
			continue
		}
		if tr.To == "" {
			a.find(l, fmt.Sprintf("history[%d].to", i), FindingEmptyStage, "empty stage; transition ignored")
			continue
		}
		c, ok := a.idx.lookup(tr.To)
		if !ok {
			a.find(l, fmt.Sprintf("history[%d].to", i), FindingUnknownStage, fmt.Sprintf("unknown stage %q; transition ignored", tr.To))
			continue
		}
		if at.before(created) {
			a.find(l, fmt.Sprintf("history[%d].at", i), FindingBeforeCreated,
				fmt.Sprintf("entered %q at %s, before the lead was created at %s", tr.To, stamp(tr.At), stamp(l.CreatedAt)))
		}
		if c < 0 {
			if rs := a.Funnel.Exits[-1-c].Reasons; len(rs) > 0 && !slices.Contains(rs, tr.Reason) {
				a.find(l, fmt.Sprintf("history[%d].reason", i), FindingUnknownReason,
					fmt.Sprintf("%q is not an agreed reason for %q", tr.Reason, tr.To))
			}
		}
		steps = append(steps, step{at: at, idx: int32(c), hi: int32(i)})
	}
	a.steps = steps
	sortSteps(steps)

	// First entries, re-entries, the current stage and the final exit.
	// Stage sets are bit masks (a funnel has at most 64 stages).
	first, firstHi := a.first, a.firstHi
	var seen, reent uint64
	prev, lastFunnel, exitFrom := int32(0), int32(-1), int32(-1)
	for k, s := range steps {
		if s.idx >= 0 {
			bit := uint64(1) << s.idx
			switch {
			case seen&bit == 0:
				seen |= bit
				first[s.idx], firstHi[s.idx] = s.at, s.hi
			case k > 0 && prev != s.idx:
				reent |= bit
			}
			lastFunnel = s.idx
		} else if k == len(steps)-1 {
			exitFrom = lastFunnel
		}
		prev = s.idx
	}

	// The start, and how far the lead got.
	var start instant
	switch {
	case seen&1 != 0:
		start = first[0]
	case seen == 0 || o.Strict:
		a.Unstaged++
		return nil
	default:
		start = first[bits.TrailingZeros64(seen)]
		for m := seen & (seen - 1); m != 0; m &= m - 1 {
			if i := bits.TrailingZeros64(m); first[i].before(start) {
				start = first[i]
			}
		}
	}
	inWindow := func(i int) bool { return o.Window == 0 || first[i].sub(start) <= o.Window }
	furthest := -1
	if o.Strict {
		// The chain is the run of stages 0, 1, 2... all entered.
		chain := bits.TrailingZeros64(^seen)
		for i := 0; i < chain && inWindow(i); i++ {
			furthest = i
		}
	} else {
		for m := seen; m != 0; {
			i := 63 - bits.LeadingZeros64(m)
			if inWindow(i) {
				furthest = i
				break
			}
			m &^= uint64(1) << i
		}
	}

	// Stages first entered before the first stage (won before first
	// contact). A later stage first entered before an earlier one after
	// the first stage is a skip followed by a backward move, not a data
	// problem.
	if seen&1 != 0 {
		for m := seen &^ 1; m != 0; m &= m - 1 {
			if k := bits.TrailingZeros64(m); first[k].before(first[0]) {
				a.find(l, histPath(firstHi[k], "at"), FindingBeforeStart,
					fmt.Sprintf("entered %q at %s, before the first stage %q at %s",
						a.Funnel.Stages[k].Name, stamp(first[k].time()), a.Funnel.Stages[0].Name, stamp(first[0].time())))
			}
		}
	}

	cell := a.cell(l, start)
	for i := 0; i <= furthest; i++ {
		st := &cell.Stages[i]
		st.Reached++
		if i < furthest && seen>>i&3 == 3 && !first[i+1].before(first[i]) {
			st.Time.add(first[i+1].sub(first[i]), o.Timing)
		}
	}
	for m := reent; m != 0; m &= m - 1 {
		cell.Stages[bits.TrailingZeros64(m)].Reentered++
	}
	if last := steps[len(steps)-1]; last.idx >= 0 {
		cell.Stages[last.idx].StillIn++
	} else if exitFrom >= 0 {
		reason := ""
		if last.hi >= 0 {
			reason = l.History[last.hi].Reason
		}
		cell.Stages[exitFrom].addExit(a.Funnel.Exits[-1-last.idx].Stage, reason, 1)
	}
	return nil
}

// addExit counts n leads that left through exit for reason. Exit lists
// are short (a few exits times a few agreed reasons), so a linear search
// beats a map; free-text reasons make it slower, not wrong.
func (s *StageState) addExit(exit lead.Stage, reason string, n int64) {
	for i := range s.Exits {
		if e := &s.Exits[i]; sameString(e.Reason, reason) && sameString(string(e.Exit), string(exit)) {
			e.Leads += n
			return
		}
	}
	s.Exits = append(s.Exits, ExitCount{Exit: exit, Reason: reason, Leads: n})
}

// sameString reports whether a == b, checking length and first byte
// inline so that most mismatches cost no call.
func sameString(a, b string) bool {
	return len(a) == len(b) && (a == "" || a[0] == b[0] && a == b)
}

func histPath(hi int32, field string) string {
	if hi < 0 {
		return "stage"
	}
	return fmt.Sprintf("history[%d].%s", hi, field)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// sortSteps sorts by time, keeping the order of equal times. Histories
// are short and usually nearly sorted, so insertion sort wins.
func sortSteps(s []step) {
	if len(s) > 32 {
		slices.SortStableFunc(s, func(a, b step) int {
			switch {
			case a.at.before(b.at):
				return -1
			case b.at.before(a.at):
				return 1
			}
			return 0
		})
		return
	}
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].at.before(s[j-1].at); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// cohortSlot caches one cohort period while adding: its bounds as
// instants, so that a lead in the same period as the previous one needs
// two comparisons instead of a calendar computation, and its cells by
// segment key, searched linearly while there are few.
type cohortSlot struct {
	lo, hi instant // [lo, hi) is the period; lo == hi disables the shortcut
	label  string
	segs   []string
	cells  []*Cell
	bySeg  map[string]*Cell // once there are more than maxLinearSegs
}

const maxLinearSegs = 8

// newSlot builds the slot of the cohort period with ordinal key (see
// internal/period). The bounds are checked against period.Of, so a time
// zone whose midnight falls in a daylight-saving gap only loses the
// shortcut, not correctness.
func (a *Analysis) newSlot(key int64) *cohortSlot {
	o := &a.Options
	u, ok := o.Cohort.unit()
	if !ok {
		return &cohortSlot{lo: instant{sec: math.MinInt64}, hi: instant{sec: math.MaxInt64}}
	}
	slot := &cohortSlot{label: period.Label(u, key)}
	lo := period.Start(u, key, o.Location)
	hi := period.Start(u, period.Next(u, key), o.Location)
	in := func(t time.Time) bool { return period.Of(u, t, o.Location) == key }
	if in(lo) && !in(lo.Add(-1)) && in(hi.Add(-1)) && !in(hi) {
		slot.lo, slot.hi = instantOf(lo), instantOf(hi)
	}
	return slot
}

// slotOf returns the cohort slot of a lead that starts at start: the
// previous lead's when it matches (input sorted by time), else by binary
// search over the bounds of the periods seen so far, and only the first
// time by the calendar.
func (a *Analysis) slotOf(start instant) *cohortSlot {
	if s := a.last; s != nil && !start.before(s.lo) && start.before(s.hi) {
		return s
	}
	r := a.ranges
	lo, hi := 0, len(r)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if start.before(r[m].lo) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	if lo > 0 && start.before(r[lo-1].hi) {
		a.last = r[lo-1]
		return a.last
	}
	o := &a.Options
	var key int64
	if u, ok := o.Cohort.unit(); ok {
		key = period.Of(u, start.time(), o.Location)
	}
	slot := a.slots[key]
	if slot == nil {
		slot = a.newSlot(key)
		a.slots[key] = slot
		if slot.lo.before(slot.hi) {
			i, _ := slices.BinarySearchFunc(a.ranges, slot, func(x, y *cohortSlot) int {
				switch {
				case x.lo.before(y.lo):
					return -1
				case y.lo.before(x.lo):
					return 1
				}
				return 0
			})
			a.ranges = slices.Insert(a.ranges, i, slot)
		}
	}
	a.last = slot
	return slot
}

// cell returns the cell of the lead's cohort and segment, creating it.
func (a *Analysis) cell(l *lead.Lead, start instant) *Cell {
	o := &a.Options
	slot := a.slotOf(start)
	seg := ""
	if o.Segment != nil {
		seg = o.Segment(l)
	}
	for i, s := range slot.segs {
		if sameString(s, seg) {
			return slot.cells[i]
		}
	}
	if c := slot.bySeg[seg]; c != nil {
		return c
	}
	// First lead of this cohort and segment since the slot was made: find
	// or create the cell in the state, and remember it.
	bySeg := a.Cells[slot.label]
	if bySeg == nil {
		bySeg = map[string]*Cell{}
		a.Cells[slot.label] = bySeg
	}
	c := bySeg[seg]
	if c == nil {
		c = &Cell{Stages: make([]StageState, len(a.Funnel.Stages))}
		bySeg[seg] = c
	}
	if len(slot.segs) < maxLinearSegs {
		slot.segs, slot.cells = append(slot.segs, seg), append(slot.cells, c)
	} else {
		if slot.bySeg == nil {
			slot.bySeg = map[string]*Cell{}
		}
		slot.bySeg[seg] = c
	}
	return c
}

func (a *Analysis) find(l *lead.Lead, path string, kind FindingKind, problem string) {
	a.FindingCounts[kind]++
	a.Findings = append(a.Findings, Finding{LeadID: l.ID, Path: path, Kind: kind, Problem: problem})
	a.trimFindings()
}

// trimFindings keeps the MaxFindings smallest findings, letting the list
// grow to twice the limit between trims so trimming stays cheap.
func (a *Analysis) trimFindings() {
	max := a.Options.MaxFindings
	if max <= 0 || len(a.Findings) <= 2*max {
		return
	}
	slices.SortFunc(a.Findings, compareFindings)
	a.Findings = slices.Clip(a.Findings[:max])
}

// Merge adds the leads counted by o into a. Both must analyse the same
// funnel with the same options (Location and Segment aside); otherwise
// Merge returns an error and leaves a unchanged. o is not modified and
// must not be a.
func (a *Analysis) Merge(o *Analysis) error {
	if o == a {
		return errors.New("funnel: cannot merge an analysis into itself")
	}
	fa, err1 := json.Marshal(a.Funnel)
	fo, err2 := json.Marshal(o.Funnel)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf("funnel: merge: %w", err)
	}
	if string(fa) != string(fo) {
		return errors.New("funnel: merge: the analyses measure different funnels")
	}
	if !a.Options.sameConfig(&o.Options) {
		return errors.New("funnel: merge: the analyses have different options")
	}
	if a.Cells == nil {
		a.Cells = map[string]map[string]*Cell{}
	}
	if a.FindingCounts == nil {
		a.FindingCounts = map[FindingKind]int64{}
	}
	n := len(a.Funnel.Stages)
	a.Leads += o.Leads
	a.NotYetCreated += o.NotYetCreated
	a.Unstaged += o.Unstaged
	for label, bySeg := range o.Cells {
		mine := a.Cells[label]
		if mine == nil {
			mine = map[string]*Cell{}
			a.Cells[label] = mine
		}
		for seg, c := range bySeg {
			m := mine[seg]
			if m == nil {
				m = &Cell{Stages: make([]StageState, n)}
				mine[seg] = m
			}
			m.merge(c)
		}
	}
	for k, v := range o.FindingCounts {
		a.FindingCounts[k] += v
	}
	a.Findings = append(a.Findings, o.Findings...)
	a.trimFindings()
	return nil
}

func (c *Cell) merge(o *Cell) {
	if o == nil {
		return
	}
	for i := range c.Stages {
		if i >= len(o.Stages) {
			break
		}
		c.Stages[i].merge(&o.Stages[i])
	}
}

func (s *StageState) merge(o *StageState) {
	s.Reached += o.Reached
	s.StillIn += o.StillIn
	s.Reentered += o.Reentered
	for _, e := range o.Exits {
		s.addExit(e.Exit, e.Reason, e.Leads)
	}
	s.Time.merge(&o.Time)
}
