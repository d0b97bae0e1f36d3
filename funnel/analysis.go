package funnel

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/leadkit/leadkit/internal/hist"
	"github.com/leadkit/leadkit/internal/period"
	"github.com/leadkit/leadkit/lead"
)

// Analysis is the funnel-analysis accumulator: [Analysis.Add] feeds it
// leads, [Analysis.Merge] combines two of them, and [Analysis.Report]
// computes the figures. Adding the same leads in any order, or split over
// any number of accumulators that are then merged in any order, gives the
// identical report. Its state is opaque and self-describing: it encodes
// to JSON with the definition, fingerprint and as-of time it was made
// with ([Analysis.MarshalJSON]), and decoding that JSON into a zero
// Analysis gives a working accumulator, with nothing to set again.
//
// Make one with [Analyzer.NewAnalysis]. The zero Analysis has no
// definition: Add, Merge and Report return an error until it is decoded
// from JSON. An Analysis is not safe for concurrent use; give each
// goroutine its own and merge them.
//
// # Rules
//
// For each lead, only transitions at or before the as-of time are seen,
// and a lead created after it is not counted in the funnel but counted in
// [Report.NotYetCreated]. A lead with no history is taken to have entered
// [lead.Lead.Stage] at its creation. Transitions are sorted by time (ties
// keep their order in History).
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
// the definition's zone.
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
// won before first contact, is not timed for that pair). The durations
// are kept in a bounded histogram: exact up to 128 per stage and cell,
// within 0.5% beyond (see [leadkit.DurationSummary]).
//
// Data-quality problems are never dropped silently: a transition with a
// zero time, an empty or unknown stage is ignored and reported; a
// transition before the lead was created, a stage first entered before
// the lead's first entry into the first stage (won before first
// contact), and an exit reason that is not in [Exit.Reasons] are used as
// they are and reported. Leads that entered no stage of the funnel are
// counted in Unstaged.
type Analysis struct {
	an      *Analyzer // nil: the zero Analysis
	asOf    time.Time // UTC, no monotonic reading; zero means no cut
	hasAsOf bool
	asOfI   instant

	leads, notYetCreated, unstaged int64
	cells                          map[int64]map[string]*cell // by cohort ordinal (0 without cohorts), then segment
	findings                       []Finding                  // at most 2 × MaxFindings between trims
	findingCounts                  map[FindingKind]int64
	findingTotal                   int64 // the sum of findingCounts

	// Scratch and caches for Add; rebuilt after decoding.
	slots   map[int64]*cohortSlot // by period ordinal
	ranges  []*cohortSlot         // slots with valid bounds, sorted by lo
	last    *cohortSlot           // the previous lead's slot
	steps   []step
	first   []instant
	firstHi []int32
}

// cell holds the counts of one cohort and segment.
type cell struct {
	stages []stageState // aligned with the funnel's stages
}

// stageState holds the counts of one stage in one cell.
type stageState struct {
	reached   int64           // leads that reached the stage
	stillIn   int64           // leads whose latest transition went into it
	reentered int64           // leads that entered it more than once
	exits     []ExitCount     // leads that exited from it, by exit and reason
	time      hist.Durations  // durations to the next stage, but pending
	pending   []time.Duration // durations not yet in time (see maxPending)
}

// maxPending is the number of durations a stage of a cell collects
// before Add moves them into its histogram in one go. Adding them one by
// one touches the histograms' counters (up to 35 KB each, hundreds of
// them) at random for every lead; in batches a histogram stays in the
// CPU cache while its batch goes in. On the benchmark (a million leads by
// month and channel) this takes Add from 93 to 79 ns per lead, the
// speed of the old exact mode. The batch is at most 32 KB per stage and
// cell whatever the number of leads, and never more than the 8 bytes per
// timed lead the old exact mode kept for ever; it is never part of the
// state: Report, Merge and MarshalJSON see it through
// [stageState.times] and [stageState.encodable].
const maxPending = 4096

// times returns a fresh histogram of every duration of s, the pending
// ones included, and ErrOverflow if their sum does not fit. It does not
// modify s.
func (s *stageState) times() (hist.Durations, error) {
	var h hist.Durations
	if err := h.Merge(&s.time); err != nil {
		return h, err
	}
	for _, d := range s.pending {
		if !h.Add(d) {
			return h, hist.ErrOverflow
		}
	}
	return h, nil
}

// flush moves the pending durations of s into its histogram. A duration
// the histogram refuses (its sum would overflow: only a tampered state
// gets there) is counted in one FindingUntimed against lead l, the lead
// whose Add filled the batch.
func (a *Analysis) flush(l *lead.Lead, path string, s *stageState) {
	dropped := 0
	for _, d := range s.pending {
		if !s.time.Add(d) {
			dropped++
		}
	}
	s.pending = s.pending[:0]
	if dropped > 0 {
		a.find(l, path, FindingUntimed, fmt.Sprintf("%d times to the next stage not kept: the sum of durations would overflow", dropped))
	}
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
	// FindingUntimed: times to the next stage that could not be kept
	// because the sum of their cell's durations would overflow (about 290
	// years times 2^63 leads: only a tampered state gets there); the
	// leads are counted, the durations are not. Durations are kept in
	// batches, so the finding names the lead whose Add filled the batch.
	FindingUntimed FindingKind = "untimed"
)

// IsValid reports whether k is one of the FindingKind constants.
func (k FindingKind) IsValid() bool {
	switch k {
	case FindingZeroTime, FindingEmptyStage, FindingUnknownStage, FindingBeforeCreated,
		FindingBeforeStart, FindingUnknownReason, FindingUntimed:
		return true
	}
	return false
}

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

// NewAnalysis returns an empty analysis as of asOf: transitions after
// asOf are invisible and leads created after it are counted as not yet
// created. The zero asOf means no cut: everything is visible. A nil
// analyzer gives an analysis whose methods return errors.
func (an *Analyzer) NewAnalysis(asOf time.Time) *Analysis {
	a := &Analysis{an: an}
	a.setAsOf(asOf)
	a.init()
	return a
}

func (a *Analysis) setAsOf(asOf time.Time) {
	a.asOf = asOf.UTC()
	if asOf.IsZero() {
		a.asOf = time.Time{}
	}
	a.hasAsOf = !a.asOf.IsZero()
	a.asOfI = instantOf(a.asOf)
}

// init makes the empty maps and the scratch space of Add.
func (a *Analysis) init() {
	if a.an == nil {
		return
	}
	n := len(a.an.def.Funnel.Stages)
	if a.cells == nil {
		a.cells = map[int64]map[string]*cell{}
	}
	if a.findingCounts == nil {
		a.findingCounts = map[FindingKind]int64{}
	}
	a.first = make([]instant, n)
	a.firstHi = make([]int32, n)
	a.slots = map[int64]*cohortSlot{}
	a.ranges, a.last, a.steps = nil, nil, nil
}

// AsOf returns the analysis's as-of time, in UTC; the zero time means no
// cut.
func (a *Analysis) AsOf() time.Time {
	if a == nil {
		return time.Time{}
	}
	return a.asOf
}

// Fingerprint returns the fingerprint of the definition the analysis
// measures (see [Analyzer.Fingerprint]); empty for a nil or zero
// Analysis.
func (a *Analysis) Fingerprint() string {
	if a == nil {
		return ""
	}
	return a.an.Fingerprint()
}

// errNoDefinition is returned by the methods of a nil or zero Analysis.
var errNoDefinition = errors.New("funnel: the analysis has no definition; make it with Analyzer.NewAnalysis or decode it from JSON")

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

// Add adds one lead. Problems with the lead's data are not errors: they
// are counted and listed as findings. Add returns an error, and adds
// nothing, for a nil lead, for a nil or zero Analysis, and when a count
// would overflow (2^63 − 1 leads, or findings).
func (a *Analysis) Add(l *lead.Lead) error {
	if a == nil || a.an == nil {
		return errNoDefinition
	}
	if l == nil {
		return errors.New("funnel: Add: nil lead")
	}
	an := a.an
	// Every cell count is at most the number of leads, so checking it
	// checks them all; a lead adds at most 2 findings per transition, one
	// for its stage and 2 per funnel stage.
	if a.leads == math.MaxInt64 || a.findingTotal > math.MaxInt64-2*int64(len(l.History))-1-2*int64(len(an.def.Funnel.Stages)) {
		return errors.New("funnel: Add: a count would overflow int64")
	}
	a.leads++
	d := &an.def
	window := time.Duration(d.Window)
	asOf, hasAsOf := a.asOfI, a.hasAsOf
	created := instantOf(l.CreatedAt)
	if hasAsOf && asOf.before(created) {
		a.notYetCreated++
		return nil
	}

	// Collect the visible, known transitions.
	steps := a.steps[:0]
	if len(l.History) == 0 && l.Stage != "" {
		if c, ok := an.idx.lookup(l.Stage); ok {
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
		c, ok := an.idx.lookup(tr.To)
		if !ok {
			a.find(l, fmt.Sprintf("history[%d].to", i), FindingUnknownStage, fmt.Sprintf("unknown stage %q; transition ignored", tr.To))
			continue
		}
		if at.before(created) {
			a.find(l, fmt.Sprintf("history[%d].at", i), FindingBeforeCreated,
				fmt.Sprintf("entered %q at %s, before the lead was created at %s", tr.To, stamp(tr.At), stamp(l.CreatedAt)))
		}
		if c < 0 {
			if rs := d.Funnel.Exits[-1-c].Reasons; len(rs) > 0 && !slices.Contains(rs, tr.Reason) {
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
	case seen == 0 || d.Strict:
		a.unstaged++
		return nil
	default:
		start = first[bits.TrailingZeros64(seen)]
		for m := seen & (seen - 1); m != 0; m &= m - 1 {
			if i := bits.TrailingZeros64(m); first[i].before(start) {
				start = first[i]
			}
		}
	}
	inWindow := func(i int) bool { return window == 0 || first[i].sub(start) <= window }
	furthest := -1
	if d.Strict {
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
						d.Funnel.Stages[k].Name, stamp(first[k].time()), d.Funnel.Stages[0].Name, stamp(first[0].time())))
			}
		}
	}

	c := a.cell(l, start)
	for i := 0; i <= furthest; i++ {
		st := &c.stages[i]
		st.reached++
		if i < furthest && seen>>i&3 == 3 && !first[i+1].before(first[i]) {
			st.pending = append(st.pending, first[i+1].sub(first[i]))
			if len(st.pending) >= maxPending {
				a.flush(l, histPath(firstHi[i+1], "at"), st)
			}
		}
	}
	for m := reent; m != 0; m &= m - 1 {
		c.stages[bits.TrailingZeros64(m)].reentered++
	}
	if last := steps[len(steps)-1]; last.idx >= 0 {
		c.stages[last.idx].stillIn++
	} else if exitFrom >= 0 {
		reason := ""
		if last.hi >= 0 {
			reason = l.History[last.hi].Reason
		}
		c.stages[exitFrom].addExit(d.Funnel.Exits[-1-last.idx].Stage, reason, 1)
	}
	return nil
}

// addExit counts n leads that left through exit for reason. Exit lists
// are short (a few exits times a few agreed reasons), so a linear search
// beats a map; free-text reasons make it slower, not wrong.
func (s *stageState) addExit(exit lead.Stage, reason string, n int64) {
	for i := range s.exits {
		if e := &s.exits[i]; sameString(e.Reason, reason) && sameString(string(e.Exit), string(exit)) {
			e.Leads += n
			return
		}
	}
	s.exits = append(s.exits, ExitCount{Exit: exit, Reason: reason, Leads: n})
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
	key    int64   // the period's ordinal; 0 without cohorts
	segs   []string
	cells  []*cell
	bySeg  map[string]*cell // once there are more than maxLinearSegs
}

const maxLinearSegs = 8

// newSlot builds the slot of the cohort period with ordinal key (see
// internal/period). The bounds are checked against period.Of, so a time
// zone whose midnight falls in a daylight-saving gap only loses the
// shortcut, not correctness.
func (a *Analysis) newSlot(key int64) *cohortSlot {
	u, loc := a.an.unit, a.an.loc
	if u == 0 {
		return &cohortSlot{lo: instant{sec: math.MinInt64}, hi: instant{sec: math.MaxInt64}}
	}
	slot := &cohortSlot{key: key}
	lo := period.Start(u, key, loc)
	hi := period.Start(u, period.Next(u, key), loc)
	in := func(t time.Time) bool { return period.Of(u, t, loc) == key }
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
	var key int64
	if u := a.an.unit; u != 0 {
		key = period.Of(u, start.time(), a.an.loc)
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
func (a *Analysis) cell(l *lead.Lead, start instant) *cell {
	slot := a.slotOf(start)
	seg := ""
	if get := a.an.getSeg; get != nil {
		seg = get(l)
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
	c := a.cellOf(slot.key, seg)
	if len(slot.segs) < maxLinearSegs {
		slot.segs, slot.cells = append(slot.segs, seg), append(slot.cells, c)
	} else {
		if slot.bySeg == nil {
			slot.bySeg = map[string]*cell{}
		}
		slot.bySeg[seg] = c
	}
	return c
}

// cellOf returns the cell of a cohort and segment, creating it.
func (a *Analysis) cellOf(key int64, seg string) *cell {
	bySeg := a.cells[key]
	if bySeg == nil {
		bySeg = map[string]*cell{}
		a.cells[key] = bySeg
	}
	c := bySeg[seg]
	if c == nil {
		c = &cell{stages: make([]stageState, len(a.an.def.Funnel.Stages))}
		bySeg[seg] = c
	}
	return c
}

func (a *Analysis) find(l *lead.Lead, path string, kind FindingKind, problem string) {
	a.findingCounts[kind]++
	a.findingTotal++
	a.findings = append(a.findings, Finding{LeadID: l.ID, Path: path, Kind: kind, Problem: problem})
	a.trimFindings()
}

// trimFindings keeps the MaxFindings smallest findings, letting the list
// grow to twice the limit between trims so trimming stays cheap.
func (a *Analysis) trimFindings() {
	max := a.an.def.MaxFindings
	if len(a.findings) <= 2*max {
		return
	}
	slices.SortFunc(a.findings, compareFindings)
	a.findings = slices.Clip(a.findings[:max])
}

// keptFindings returns the findings kept, sorted, at most MaxFindings:
// a fresh slice.
func (a *Analysis) keptFindings() []Finding {
	f := slices.Clone(a.findings)
	slices.SortFunc(f, compareFindings)
	if max := a.an.def.MaxFindings; len(f) > max {
		f = f[:max]
	}
	return slices.Clip(f)
}

// Merge adds the leads counted by o into a. It refuses, with an error
// and without changing a, a nil o, o == a, a nil or zero receiver or o,
// an o of a different definition (fingerprint) or as-of time, and a
// merge whose counts or duration sums would overflow. o is not modified,
// and a shares no memory with o afterwards.
func (a *Analysis) Merge(o *Analysis) error {
	switch {
	case a == nil || a.an == nil:
		return errNoDefinition
	case o == nil:
		return errors.New("funnel: Merge: nil analysis")
	case o == a:
		return errors.New("funnel: Merge: an analysis cannot be merged into itself")
	case o.an == nil:
		return errors.New("funnel: Merge: the other analysis has no definition")
	case o.an.fingerprint != a.an.fingerprint:
		return fmt.Errorf("funnel: Merge: different definitions (fingerprint %.12s…, not %.12s…)", o.an.fingerprint, a.an.fingerprint)
	case !o.asOf.Equal(a.asOf):
		return fmt.Errorf("funnel: Merge: different as-of times (%s, not %s)", fmtAsOf(o.asOf), fmtAsOf(a.asOf))
	case a.leads > math.MaxInt64-o.leads || a.findingTotal > math.MaxInt64-o.findingTotal:
		return errors.New("funnel: Merge: a count would overflow int64")
	}
	// Every count of a cell is at most the analysis's number of leads, so
	// the check above covers them. Only the duration sums are left: merge
	// them into fresh histograms first, and change a only if all fit.
	type pending struct {
		key  int64
		seg  string
		i    int
		time hist.Durations
	}
	var hs []pending
	for key, bySeg := range o.cells {
		for seg, oc := range bySeg {
			var mc *cell
			if m := a.cells[key]; m != nil {
				mc = m[seg]
			}
			for i := range oc.stages {
				var h hist.Durations
				if mc != nil {
					t, err := mc.stages[i].times()
					if err == nil {
						err = h.Merge(&t)
					}
					if err != nil {
						return fmt.Errorf("funnel: Merge: times: %w", err)
					}
				}
				t, err := oc.stages[i].times()
				if err == nil {
					err = h.Merge(&t)
				}
				if err != nil {
					return fmt.Errorf("funnel: Merge: times: %w", err)
				}
				hs = append(hs, pending{key, seg, i, h})
			}
		}
	}
	a.leads += o.leads
	a.notYetCreated += o.notYetCreated
	a.unstaged += o.unstaged
	for key, bySeg := range o.cells {
		for seg, oc := range bySeg {
			c := a.cellOf(key, seg)
			for i := range oc.stages {
				s, os := &c.stages[i], &oc.stages[i]
				s.reached += os.reached
				s.stillIn += os.stillIn
				s.reentered += os.reentered
				for _, e := range os.exits {
					s.addExit(e.Exit, e.Reason, e.Leads)
				}
			}
		}
	}
	for _, p := range hs {
		st := &a.cells[p.key][p.seg].stages[p.i]
		st.time, st.pending = p.time, st.pending[:0]
	}
	for k, v := range o.findingCounts {
		a.findingCounts[k] += v
	}
	a.findingTotal += o.findingTotal
	a.findings = append(a.findings, o.findings...)
	a.trimFindings()
	// The slots cache pointers to cells, which cellOf keeps; nothing to
	// reset.
	return nil
}

func fmtAsOf(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.Format(time.RFC3339Nano)
}
