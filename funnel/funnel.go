package funnel

import (
	"errors"
	"fmt"
	"slices"

	"github.com/leadkit/leadkit"
	"github.com/leadkit/leadkit/lead"
)

// Funnel is the shared map of the lifecycle: an ordered list of stages,
// each owned by a team, the handoff point where marketing passes leads to
// sales, and the exits through which leads leave.
//
// A Funnel is plain data with JSON tags, so a host can store, diff and
// version it. [ParseFunnel] decodes one strictly; call [Funnel.Validate]
// before using one built otherwise; [Compile] and [Plan] validate it
// themselves. The zero Funnel is not valid: it has no stages.
type Funnel struct {
	// Name is an optional label ("demand waterfall").
	Name string `json:"name,omitempty"`
	// Stages lists the stages in order, top of the funnel first.
	Stages []Stage `json:"stages"`
	// Handoff is the first sales-owned stage: every stage before it is
	// owned by marketing. It must be one of Stages.
	Handoff lead.Stage `json:"handoff"`
	// Exits lists the stages through which a lead leaves the funnel
	// (recycled, disqualified). They are not part of the ordered list.
	Exits []Exit `json:"exits,omitempty"`
}

// Stage is one step of a [Funnel].
type Stage struct {
	// Name is the stage as it appears in lead histories. Required.
	Name lead.Stage `json:"name"`
	// Team is the team that owns leads in this stage. Required.
	Team lead.Team `json:"team"`
	// Description says what a lead must have done or be to be in this
	// stage: the written part of the agreement.
	Description string `json:"description,omitempty"`
}

// Exit is a stage through which leads leave a [Funnel].
type Exit struct {
	// Stage is the exit as it appears in lead histories. Required.
	Stage lead.Stage `json:"stage"`
	// Description says when a lead is sent to this exit.
	Description string `json:"description,omitempty"`
	// Reasons lists the agreed reasons for this exit. When it is not
	// empty, an analysis reports a transition into the exit with any
	// other reason (or none) as a data-quality finding; the lead still
	// counts as exited. When it is empty, every reason is accepted.
	Reasons []string `json:"reasons,omitempty"`
}

// Standard returns the demand waterfall: lead (inquiry), MQL, SAL, SQL,
// opportunity, customer, with marketing owning lead and MQL, sales owning
// the rest, the handoff at SAL, and the two standard exits. Each call
// returns a fresh value the caller may modify.
func Standard() Funnel {
	return Funnel{
		Name: "demand waterfall",
		Stages: []Stage{
			{Name: lead.StageLead, Team: lead.TeamMarketing, Description: "an inquiry: the prospect raised a hand (form, download, event)"},
			{Name: lead.StageMQL, Team: lead.TeamMarketing, Description: "marketing-qualified: fit and engagement meet the agreed threshold"},
			{Name: lead.StageSAL, Team: lead.TeamSales, Description: "sales-accepted: a rep accepted the lead and owns the follow-up"},
			{Name: lead.StageSQL, Team: lead.TeamSales, Description: "sales-qualified: a rep confirmed need, budget and timing"},
			{Name: lead.StageOpportunity, Team: lead.TeamSales, Description: "an opportunity with an amount and a close date"},
			{Name: lead.StageCustomer, Team: lead.TeamSales, Description: "the deal is won"},
		},
		Handoff: lead.StageSAL,
		Exits:   standardExits(),
	}
}

// HubSpot returns a HubSpot-style lifecycle: subscriber, lead, MQL, SQL,
// opportunity, customer, evangelist. Marketing owns subscriber, lead and
// MQL; the handoff is at SQL; sales owns SQL, opportunity and customer;
// marketing owns evangelists again (advocacy programmes). It has the two
// standard exits. Each call returns a fresh value.
func HubSpot() Funnel {
	return Funnel{
		Name: "hubspot lifecycle",
		Stages: []Stage{
			{Name: lead.StageSubscriber, Team: lead.TeamMarketing, Description: "opted in to hear more (blog, newsletter)"},
			{Name: lead.StageLead, Team: lead.TeamMarketing, Description: "showed interest beyond a subscription"},
			{Name: lead.StageMQL, Team: lead.TeamMarketing, Description: "marketing-qualified"},
			{Name: lead.StageSQL, Team: lead.TeamSales, Description: "sales-qualified"},
			{Name: lead.StageOpportunity, Team: lead.TeamSales, Description: "a deal is open"},
			{Name: lead.StageCustomer, Team: lead.TeamSales, Description: "a deal is won"},
			{Name: lead.StageEvangelist, Team: lead.TeamMarketing, Description: "a customer who advocates for the company"},
		},
		Handoff: lead.StageSQL,
		Exits:   standardExits(),
	}
}

func standardExits() []Exit {
	return []Exit{
		{Stage: lead.StageRecycled, Description: "sent back to marketing for nurturing; may come back"},
		{Stage: lead.StageDisqualified, Description: "will never buy"},
	}
}

// Index returns the position of stage s in f.Stages, or -1.
func (f Funnel) Index(s lead.Stage) int {
	for i := range f.Stages {
		if f.Stages[i].Name == s {
			return i
		}
	}
	return -1
}

// ExitIndex returns the position of stage s in f.Exits, or -1.
func (f Funnel) ExitIndex(s lead.Stage) int {
	for i := range f.Exits {
		if f.Exits[i].Stage == s {
			return i
		}
	}
	return -1
}

// Ladder returns the names of the funnel's stages in order, top first:
// the stage ladder a sibling analysis (such as kpi's scorecard) can be
// given without importing funnel. Exits are not part of it. It returns a
// fresh slice, nil for a funnel without stages.
func (f Funnel) Ladder() []lead.Stage {
	if len(f.Stages) == 0 {
		return nil
	}
	out := make([]lead.Stage, len(f.Stages))
	for i, s := range f.Stages {
		out[i] = s.Name
	}
	return out
}

// clone returns a deep copy of f: no slice is shared.
func (f Funnel) clone() Funnel {
	c := f
	c.Stages = slices.Clone(f.Stages)
	c.Exits = slices.Clone(f.Exits)
	for i := range c.Exits {
		c.Exits[i].Reasons = slices.Clone(c.Exits[i].Reasons)
	}
	return c
}

// MaxStages is the largest number of stages a funnel may have. Analyses
// keep a lead's stage set in a 64-bit mask.
const MaxStages = 64

// Validate reports every problem with the funnel at once, joined with
// [errors.Join]; each is a *[leadkit.Error] whose Path names the field
// in JSON names ("stages[2].team"). The rules: one to
// [MaxStages] stages; every stage has a name, no name appears twice, and every team is
// marketing or sales; the handoff is set, is one of the stages and is
// owned by sales, and every stage before it is owned by marketing; every
// exit has a stage name that is neither a funnel stage nor another exit,
// and no reason is empty or listed twice.
func (f Funnel) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, leadkit.Errorf(path, format, args...))
	}
	if len(f.Stages) == 0 {
		add("stages", "no stages; a funnel needs at least one")
	}
	if len(f.Stages) > MaxStages {
		add("stages", "%d stages; a funnel has at most %d", len(f.Stages), MaxStages)
	}
	seen := make(map[lead.Stage]int, len(f.Stages))
	for i, s := range f.Stages {
		p := fmt.Sprintf("stages[%d]", i)
		if s.Name == "" {
			add(p+".name", "empty")
		} else if j, dup := seen[s.Name]; dup {
			add(p+".name", "%q already used by stages[%d]", s.Name, j)
		} else {
			seen[s.Name] = i
		}
		if !s.Team.IsValid() {
			add(p+".team", "%q is not a team; use %q or %q", s.Team, lead.TeamMarketing, lead.TeamSales)
		}
	}
	switch h, ok := seen[f.Handoff]; {
	case f.Handoff == "":
		add("handoff", "empty; name the first sales-owned stage")
	case !ok:
		add("handoff", "%q is not one of the stages", f.Handoff)
	default:
		if t := f.Stages[h].Team; t != lead.TeamSales {
			add("handoff", "%q is owned by %q; the handoff must be the first sales-owned stage", f.Handoff, t)
		}
		for i := 0; i < h; i++ {
			if f.Stages[i].Team == lead.TeamSales {
				add(fmt.Sprintf("stages[%d].team", i), "%q is owned by sales but comes before the handoff %q", f.Stages[i].Name, f.Handoff)
			}
		}
	}
	exits := make(map[lead.Stage]int, len(f.Exits))
	for i, e := range f.Exits {
		p := fmt.Sprintf("exits[%d]", i)
		switch j, dupExit := exits[e.Stage]; {
		case e.Stage == "":
			add(p+".stage", "empty")
		case dupExit:
			add(p+".stage", "%q already used by exits[%d]", e.Stage, j)
		default:
			if k, isStage := seen[e.Stage]; isStage {
				add(p+".stage", "%q is also stages[%d]; an exit cannot be a funnel stage", e.Stage, k)
			}
			exits[e.Stage] = i
		}
		reasons := make(map[string]int, len(e.Reasons))
		for k, r := range e.Reasons {
			rp := fmt.Sprintf("%s.reasons[%d]", p, k)
			if r == "" {
				add(rp, "empty")
			} else if j, dup := reasons[r]; dup {
				add(rp, "%q already listed as reasons[%d]", r, j)
			} else {
				reasons[r] = k
			}
		}
	}
	return errors.Join(errs...)
}
