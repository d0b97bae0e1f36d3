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
// ([Lead.Validate], [CheckUnique]); it computes no scores or KPIs and
// opens no file: it reads only from an io.Reader the host hands it. It
// depends only on github.com/shopspring/decimal and the root leadkit
// package, so every other leadkit package, and a host that only needs the
// types, can import it cheaply.
//
// # Segment keys
//
// A [Key] is a field path ("source.channel", "owner", "fields.region")
// whose value names a lead's segment. The analyses take keys instead of Go
// functions, so their definitions and state describe themselves.
//
// # Bringing a CRM's data
//
// The mapping helpers turn what CRMs export into leads without a line of
// glue per host: [CSVRows] reads the rows of a CSV export (BOM, separator,
// line numbers), a [Mapping] (JSON, [ParseMapping]) says which column is
// which field and which stage-date columns make the history
// ([HistoryFromDates]), a [Format] says how the export writes missing
// values, decimals and times, [CountryCode] normalizes countries to ISO
// 3166-1 alpha-2, and a [TitleTable] guesses seniority and department
// from a job title. [DecodeLines] and [Lines] stream JSON lines of leads
// (and of any other record) several times faster than encoding/json,
// refusing unknown fields unless told otherwise; with [Parallel] they
// decode on several goroutines ahead of the loop, yielding the same
// sequence. Every problem is a
// *leadkit.Error naming the row or line and the column.
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
