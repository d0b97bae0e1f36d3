// Package funnel is the shared map of the lead lifecycle and the tools to
// measure and plan it.
//
// A [Funnel] is an ordered list of stages, each owned by a team
// (marketing owns the top, sales the bottom), the handoff point between
// them, and the exits through which leads leave (recycled,
// disqualified). [Standard] returns the demand waterfall and [HubSpot] a
// HubSpot-style lifecycle; hosts may define their own and check them with
// [Funnel.Validate].
//
// The package does no I/O and never reads the clock.
package funnel
