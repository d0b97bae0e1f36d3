package lead

// Stage is a lifecycle stage. The constants are the standard B2B
// lifecycle; hosts may use their own names, and every package in leadkit
// accepts any non-empty stage.
type Stage string

// The standard lifecycle stages, in order, followed by the two exits.
const (
	StageSubscriber  Stage = "subscriber"
	StageLead        Stage = "lead"
	StageMQL         Stage = "mql" // marketing-qualified lead
	StageSAL         Stage = "sal" // sales-accepted lead
	StageSQL         Stage = "sql" // sales-qualified lead
	StageOpportunity Stage = "opportunity"
	StageCustomer    Stage = "customer"
	StageEvangelist  Stage = "evangelist"

	// StageRecycled is the exit for a lead sent back to marketing for
	// nurturing; it may come back later.
	StageRecycled Stage = "recycled"
	// StageDisqualified is the exit for a lead that will never buy.
	StageDisqualified Stage = "disqualified"
)

// String returns the stage's name.
func (s Stage) String() string { return string(s) }

// IsExit reports whether s is one of the standard exits,
// [StageRecycled] or [StageDisqualified].
func (s Stage) IsExit() bool { return s == StageRecycled || s == StageDisqualified }

// Lifecycle returns the standard lifecycle stages in order, without the
// exits. Each call returns a fresh slice the caller may modify.
func Lifecycle() []Stage {
	return []Stage{
		StageSubscriber, StageLead, StageMQL, StageSAL, StageSQL,
		StageOpportunity, StageCustomer, StageEvangelist,
	}
}

// Team is one side of the agreement: marketing or sales.
type Team string

// The two teams.
const (
	TeamMarketing Team = "marketing"
	TeamSales     Team = "sales"
)

// String returns the team's name.
func (t Team) String() string { return string(t) }

// IsValid reports whether t is [TeamMarketing] or [TeamSales].
func (t Team) IsValid() bool { return t == TeamMarketing || t == TeamSales }
