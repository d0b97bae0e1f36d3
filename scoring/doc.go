// Package scoring turns leads into scores that marketing and sales both
// read: a fit score (who the lead is), an engagement score (what the lead
// did), their total, a grade, the qualification stage reached with the
// criteria met and unmet, the matching personas, and one explanation line
// per rule that fired.
//
// A [Model] is plain data with JSON tags: rules, group limits, grade
// bands, a qualification ladder and personas. [Compile] validates it,
// reporting every problem at once with its path
// ("rules[3].when: unknown name \"titel\"; did you mean \"title\"? (1:1)"),
// and returns an immutable [Scorer]. Lint findings that do not stop
// compilation (a rule that can never fire, a grade band the fit score
// can never reach) are in [Scorer.Warnings].
//
// # Rules
//
// A fit rule's When is a boolean over the lead; it adds Points once. An
// engagement rule's When is a boolean over one activity; it adds Points
// per matching activity at or before now, only those no older than Within
// when set, each multiplied by 0.5^(age/HalfLife) when a half-life is
// set, and the rule's sum is then kept within Min and Max. Points may be
// negative. Limits cap the fit total, the engagement total and their sum,
// in that order; [Result.Clipped] says how much each cap removed.
//
// Rule expressions use snake_case names (person.title, company.employees,
// company.annual_revenue, source.channel, fields.budget, ...), durations
// with days and weeks ("30d", "2w"), and a few helpers:
// activity_count("page_view", "30d"), days_since(created_at),
// icontains(person.title, "vp"), iin(company.country, ["us", "ca"]),
// free_email(person.email). Qualification criteria can also use fit,
// engagement, total and grade. The full language is described in the
// documentation of leadkit's rules layer (internal/rules/doc.go).
//
// # Time
//
// Scoring never reads the clock: [Scorer.Score] takes now, activities
// after now are invisible, and `now` in expressions is that instant. The
// same lead, model and now always give the same result, so scores can be
// reproduced and backtested.
//
// # Results
//
// Every [Result] carries the model's fingerprint (a hash of its canonical
// JSON), so a stored score says which model produced it. A runtime error
// in one rule for one lead (a custom field of the wrong type) is a
// *[RuleError] naming the lead and the rule; [Scorer.ScoreAll] reports it
// per lead and goes on with the others.
//
// # Zero values
//
// The zero [Model] is valid and scores every lead 0, with no grade, stage
// or persona. A zero [Result] is a valid target for [Scorer.ScoreInto].
// An empty rule Kind means [Fit].
//
// # Concurrency and performance
//
// A [Scorer] is safe for concurrent use. [Scorer.ScoreInto] reuses a
// Result's slices and does not allocate in steady state;
// [Scorer.ScoreAll] uses all cores and keeps input order. Simple
// conditions run as native Go closures; see BENCHMARKS.md for figures.
//
// Package scoring does no I/O and keeps no global state.
package scoring
