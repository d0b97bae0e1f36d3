// Package rules is leadkit's expression layer: it compiles the boolean
// expressions that marketing-ops users write (scoring rules, personas,
// qualification criteria, SLA filters) and evaluates them against leads.
// It wraps github.com/expr-lang/expr; no expr type appears in its API, so
// the engine can be upgraded or replaced without breaking callers.
//
// # The simple entry point
//
//	p, err := rules.CompileLeadBool(`company.employees >= 200 && person.seniority in ["vp", "executive"]`)
//	ok, err := p.Eval(&l, now)
//
// [CompileLeadBool] returns a *[LeadBool]; [LeadBool.Eval] evaluates it for
// one lead as of now. A LeadBool is safe for concurrent use. Both
// signatures are stable.
//
// # Scopes and names
//
// Names are snake_case. The lead scope ([ScopeLead]) has id,
// person.{name, email, title, role, department, seniority},
// company.{name, domain, industry, employees, annual_revenue, country,
// region, city}, source.{channel, campaign, medium, landing_page}, stage,
// owner, created_at, fields.<custom> (or fields["custom key"]),
// activities (the activities at or before now, each with the names of the
// activity scope) and now. company.annual_revenue compares with plain
// numbers (company.annual_revenue >= 5000000); it is converted to float64,
// exact for whole amounts below 2^53. The qualification scope
// ([ScopeQualify]) adds fit, engagement, total and grade. The activity
// scope ([ScopeActivity]) has type, at, actor, campaign, url,
// fields.<custom> and now.
//
// A custom field that a lead lacks is nil: fields.budget >= 1000 is then a
// runtime error, so guard it: (fields.budget ?? 0) >= 1000.
//
// # Helpers
//
//	duration("30d")                      a duration; units w, d, h, m, s, ms ("2w", "1w3d", "36h")
//	date("2025-01-31")                   a time (midnight UTC), or RFC 3339
//	days_since(created_at)               elapsed days from a time to now (hours / 24)
//	activity_count("page_view", "30d")   the lead's activities of a type within the window ending now
//	activity_count("demo_request")       ... of a type, at any time up to now
//	icontains(person.title, "vp")        case-insensitive contains
//	iin(company.country, ["us", "ca"])   case-insensitive membership
//	free_email(person.email)             whether the address is on a free-mail domain (gmail.com, ...)
//
// Besides these, expr's operators and most builtins work: and/or/not,
// in, contains, startsWith, endsWith, matches (constant patterns only),
// lower, upper, trim, split, len, abs, int, float, max, min, ?? and ?:,
// and the predicates any/all/none/one/filter/map/count/sum/find/reduce.
// Builtins that build strings or arrays of unbounded size (repeat,
// replace, join, string, toJSON, concat, ...), that sort, group or
// reshape arrays (sort, sortBy, groupBy, uniq, keys, values, take, ...),
// and the bit operators are not available; a string built with + is
// limited to [MaxStringLen]. Days and weeks are absolute spans of 24
// and 168 hours.
//
// # Numbers
//
// Integers are 64-bit and never wrap: +, -, *, unary minus, abs, int()
// and sum that overflow are runtime errors. Custom fields of any Go
// integer type compare exactly; a uint64 above the int64 range is a
// runtime error, not a negative number. / and ** give floats (1/0 is
// +Inf), % by zero is an error. [ParseDuration] (and duration("...")) is
// exact to the nanosecond and refuses anything longer than
// [MaxDuration] (100 years).
//
// # Determinism and untrusted input
//
// `now` is the evaluation time the caller passes; expr's clock-reading and
// time-zone-loading builtins (now(), date(), timezone()) are replaced or
// removed, and no method can be reached: a member access that resolves
// to a method (now.Unix, now.Local) is refused at compile time wherever
// it appears (directly, through let, a pipe or a predicate), and only
// the helpers above can be called. So the same lead and now always give
// the same answer, whatever the host's TZ (a test runs the rule tables
// under two zones and requires identical results).
//
// Rule text is untrusted: it is limited in length ([MaxSourceLen]),
// size ([MaxNodes]), nesting ([MaxDepth]) and constant ranges
// ([MaxRange]); regular expressions must be constants (Go's regexp runs
// in linear time, so there is no catastrophic backtracking).
//
// # What a rule can cost
//
// expr's VM bounds the elements a program allocates but not the steps it
// takes, and has no hook in its loops; rather than fork it, Compile
// rewrites each checked expression so that every source of unbounded
// work is charged to a meter in the [Ctx], against [Limits] set on the
// [Set]:
//
//   - Steps, per lead (from one [Ctx.Reset] to the next, all programs
//     together; default [DefaultSteps]): each VM evaluation is charged
//     the size of its syntax tree before it starts ([Program.Cost]);
//     each iteration of a predicate is charged the size of its body;
//     inside a predicate, an operation whose work grows with its
//     operands (matches, contains, ==, in, upper, split, max, ...) is
//     charged by the operand's length (a regular expression also by the
//     size of its compiled program). A step is about one node evaluated
//     once: tens of nanoseconds.
//   - Memory, per evaluation (default [DefaultMemory]): half for the
//     arrays the VM builds (ranges, map, filter, literals; 16 bytes an
//     element), half for the strings and slices builtins and + build.
//
// Exceeding either is a runtime *[Error] positioned in the expression,
// wrapping [ErrStepBudget] or [ErrMemoryBudget]. What is not metered is
// linear in the expression's size and the lead's data: natively compiled
// expressions, and operations outside any loop. So the worst case for
// one lead is about Steps × 50 ns of VM time plus a linear pass over the
// lead per expression; with the defaults, each attack of the hostile
// suite (nested loops over 10,000-element ranges, a regular expression
// over 16 KiB inside a 10,000-iteration loop, ranges sized by data)
// stops within about 30 ms, having allocated at most about 35 MB.
//
// # Errors
//
// Every problem is an *[Error] with the expression's path (set by the
// caller through [Options.Path]), 1-based line and column, and a snippet
// with a caret:
//
//	rules[3].when: unknown name "person.titel"; did you mean "person.title"? (1:7)
//	 | person.titel == "CEO"
//	 | ......^
//
// # Performance
//
// Expressions made of comparisons of a field with constants, in over a
// constant list, contains/startsWith/endsWith/matches, the helpers above,
// and and/or/not of those compile to native Go closures that read the lead
// directly; everything else runs in expr's VM with the environment passed
// by value, boxed once per lead. activity_count calls with constant
// arguments across all expressions of a [Set] are computed in one pass
// over the lead's activities by [Ctx.Reset].
//
// # Concurrency
//
// A [Program] and a [LeadBool] are immutable and safe for concurrent use.
// A [Set] is not safe for concurrent compilation. A [Ctx] holds one
// goroutine's evaluation state: use one per goroutine. The zero [Set] is
// ready to use; other zero values are not useful.
package rules
