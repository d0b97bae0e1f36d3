// Package scoring turns leads into scores that marketing and sales both
// read: a fit score (who the lead is), an engagement score (what the lead
// did), their total, a grade, the qualification stage reached with the
// criteria met and unmet, the matching personas, and one explanation line
// per rule that fired.
//
// A [Model] is plain data with JSON tags: rules (with frequency
// limits), group limits, grade and engagement bands (the fit × engagement
// matrix), resets, a qualification ladder and personas. [Compile] validates it,
// reporting every problem at once with its path
// ("rules[3].when: unknown name \"titel\"; did you mean \"title\"? (1:1)"),
// and returns an immutable [Scorer]. Lint findings that do not stop
// compilation (a rule that can never fire, a grade band the fit score
// can never reach) are in [Scorer.Warnings].
//
// A model a person wrote or edited is best loaded with [ParseModel], which
// refuses unknown, repeated and mistyped fields with their path, line and
// column (a misspelt "halflife" is an error, not a rule that silently
// never decays) and then validates the model as Compile does.
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
// # Frequency limits
//
// An engagement rule's [Frequency] limits the matching activities it
// counts: once ever ({}), at most N per day, week or other calendar
// period in a zone ({"max": 20, "per": "day"}), at most N in any rolling
// window ({"max": 3, "window": "1h"}), and each of these per distinct
// value of an activity field ({"distinct": "fields.email_id"}: re-opens
// of one email count once). No limit means every time. Activities are
// taken in time order, so the earliest count. The parts of a rule apply
// in this order:
//
//  1. resets: activities at or before the last reset do not count;
//  2. When, and Within (age at most Within);
//  3. the frequency limit, over what is left;
//  4. the half-life decay of each counted activity;
//  5. the rule's Min and Max;
//  6. the engagement limit (with the adjustments), then the total limit.
//
// The rule's [Contribution] says what the limit removed: Limited
// activities, worth LimitedPoints after decay.
//
// # Resets and adjustments
//
// A model's [Reset] rules reset the engagement score or adjust it on an
// event: the lead entering a stage (recycled), an activity matching an
// expression (type == "opportunity_lost"), or a date every year
// ("01-01" in a zone). A reset drops every activity and adjustment at or
// before the last reset at or before now; [Result.Reset] names it, when
// it happened and how many activities it dropped. An adjustment adds its
// points each time it triggered after that reset, as a contribution line
// of kind [Adjustment]. Scored as of an earlier instant, a lead is scored
// with the resets that had happened by then only.
//
// # The fit × engagement matrix
//
// The model's Grades cut the fit score and its Bands the engagement
// score; a lead's [Result.Cell] is its grade followed by its band ("A1"
// for the best fit and the most engaged, "C3" for neither).
//
// # The rule language
//
// Expressions are written by marketing-ops people, not Go programmers.
// Names are snake_case. Fit rules, personas and qualification criteria
// see the lead: id, person.{name, email, title, role, department,
// seniority}, company.{name, domain, industry, employees,
// annual_revenue, country, region, city}, source.{channel, campaign,
// medium, landing_page}, stage, owner, created_at, fields.<custom> (or
// fields["custom key"]), activities and now. Qualification criteria also
// see fit, engagement, total and grade. Engagement rules see one
// activity: type, at, actor, campaign, url, fields.<custom> and now.
// company.annual_revenue compares with plain numbers
// (company.annual_revenue >= 5000000).
//
// Helpers:
//
//	duration("30d")                      a duration; units w, d, h, m, s, ms ("2w", "1w3d")
//	date("2025-01-31")                   a time (midnight UTC), or RFC 3339
//	days_since(created_at)               elapsed days from a time to now
//	activity_count("page_view", "30d")   the lead's activities of a type in the window ending now
//	icontains(person.title, "vp")        case-insensitive contains
//	iin(company.country, ["us", "ca"])   case-insensitive membership
//	free_email(person.email)             whether the address is on a free-mail domain
//
// and the usual operators: and/or/not, == != < <= > >=, in, contains,
// startsWith, endsWith, matches (constant patterns), ?? (a default for a
// missing custom field: (fields.budget ?? 0) >= 10000), lower, upper,
// len, any/all/count/filter over activities.
//
// Rule text is untrusted input: its length, size and nesting are
// limited, no method can be reached and no clock read, integers never
// wrap (overflow is an error), and every evaluation is bounded (below).
// Errors name the rule and point at the column.
//
// # What a rule can cost
//
// [Compile] takes a [Budget] ([WithBudget]; [DefaultBudget] is
// 1,000,000 steps per lead and 8 MiB per evaluation). A step is about
// one node of an expression evaluated once on expr's VM (tens of
// nanoseconds): each evaluation is charged its expression's size, each
// loop iteration (any, all, map, filter, count, sum, reduce, ...) the
// size of its body, and, inside loops, regular expressions and string
// and array operations the length of what they walk. Memory counts the
// arrays and strings an evaluation builds. A lead whose rules exceed the
// budget gets a *[RuleError] wrapping [ErrStepBudget] or
// [ErrMemoryBudget], positioned in the rule; other leads are unaffected.
// Natively compiled rules (comparisons with constants, the helpers,
// and/or/not: most real rules) are not metered: their work is linear in
// the rule and the lead's data. [Scorer.Cost] gives the static bound:
// PerLead + activities × PerActivity steps, or the budget when a rule
// loops. Points, caps, limits and grade bounds beyond ±[MaxPoints] are
// refused, so a [Result] never holds NaN or Inf.
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
// # Evaluating a model against outcomes
//
// An [Evaluation] compares a model with what really happened, so that
// marketing and sales agree on a threshold from data. It follows
// leadkit's analysis contract: [Scorer.NewEvaluation] makes an empty
// accumulator as of an instant with its [EvalOptions];
// [Evaluation.Add] takes an [Outcome] (a lead, when its outcome was
// decided, whether it converted) and scores the lead as of that decision,
// so nothing the lead did afterwards leaks in; outcomes decided after the
// as-of are not known then and are counted as undecided;
// [Evaluation.Merge] combines evaluations built on shards and
// [Evaluation.Report] gives the AUC, conversion by score band, a
// threshold table with precision and recall, and, for a model with
// engagement bands, conversion per fit × engagement matrix cell. Any split of the same
// outcomes, merged in any order, gives the identical report. [Evaluate]
// does all of this for a slice, and refuses duplicate lead ids.
//
// An Evaluation is opaque, and its memory is bounded by the number of
// distinct rounded scores, not by the number of leads. Its JSON form is
// self-describing: a format version ("leadkit.scoring/1"), the model in
// full, its fingerprint, the options, the as-of and the counts.
// json.Unmarshal into a zero Evaluation compiles the model again, so the
// decoded evaluation can Add, Merge and Report with nothing to re-attach.
// Decoding is strict: tampered, inconsistent or out-of-range state is an
// error at decode, never a panic or a wrong number later.
//
// # Closing the loop
//
// Sales' outcomes make the shared model better, in numbers both teams can
// read. [Learn] fits an L2-regularised logistic regression on outcomes
// (the firing of an existing model's rules, one-hot lead fields, binned
// numbers) and turns it into an ordinary [Model] whose points a person
// reads and edits, on a "points to double the odds" scale.
// [Evaluation.Diagnostics] adds the AUC's standard error (DeLong), lift
// by decile and calibration to an evaluation, from its mergeable state.
// [Compare] runs a champion and a challenger over the same outcomes and
// says, with DeLong's paired test, whether the challenger is better, and
// which leads change grade or stage. [Evaluation.Recommend] finds the
// threshold that fits the team's capacity or a precision or recall goal,
// or says why the data cannot support it. [Scorer.Replay] shows how a
// lead's score grew, activity by activity. Learn and Compare take
// slices, not accumulators: the regression and the paired test need each
// lead's own scores, so their memory grows with the leads.
//
// # Zero values
//
// The zero [Model] is valid and scores every lead 0, with no grade, stage
// or persona. A zero [Result] is a valid target for [Scorer.ScoreInto].
// An empty rule Kind means [Fit]. The zero [EvalOptions] means every
// default. A zero [Evaluation] is not ready: its methods return an error,
// except UnmarshalJSON, which makes it ready.
//
// # Concurrency and performance
//
// A [Scorer] is safe for concurrent use. [Scorer.ScoreInto] reuses a
// Result's slices and does not allocate in steady state;
// [Scorer.ScoreAll] uses all cores and keeps input order. Simple
// conditions run as native Go closures; see BENCHMARKS.md for figures.
// An [Evaluation] is not safe for concurrent use: give each goroutine
// its own, from one shared Scorer, and Merge them.
//
// Package scoring does no I/O and keeps no global state.
package scoring
