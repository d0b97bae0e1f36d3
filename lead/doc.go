// Package lead is leadkit's shared vocabulary: the words marketing and
// sales use for the same things, as Go types.
//
// A [Lead] is a snapshot of one prospect: the [Person] (demographic data),
// the [Company] (firmographic data), the [Source] marketing acquired it
// from, its current [Stage] and owner, its stage [Transition] history and
// its [Activity] list. Activities with an Actor are sales touches; those
// without one were done by the prospect. A [Persona] names a segment of
// leads by a criteria expression that package scoring evaluates.
//
// The package holds data and the checks that make data trustworthy
// ([Lead.Validate]); it computes no scores or KPIs and does no I/O. It
// depends only on github.com/shopspring/decimal, so every other leadkit
// package, and a host that only needs the types, can import it cheaply.
//
// # Zero values
//
// Every zero value is usable: nil maps and slices are empty, the zero
// [Stage] means "not in the lifecycle yet", an empty [Activity.Actor] means
// the prospect acted, a zero [Company.AnnualRevenue] means unknown. The
// zero [Lead] is not valid (it has no ID and no creation time), and
// [Lead.Validate] says so.
//
// # Order
//
// History and Activities may be in any order; nothing in leadkit assumes
// they are sorted. [Lead.EnteredAt], [Lead.StageAt] and
// [Lead.SortedHistory] answer the common questions without sorting in
// place.
//
// # JSON
//
// Every field has a snake_case JSON name, and a Lead round-trips through
// encoding/json exactly: decimals are strings, times RFC 3339 with
// nanoseconds. Numbers inside Fields come back as float64, as
// encoding/json decodes them.
//
// # Concurrency
//
// The types are plain data. Methods only read the receiver, so any number
// of goroutines may call them on a lead that nobody is modifying.
package lead
