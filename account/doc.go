// Package account works with accounts, the companies B2B teams sell to,
// rather than with single leads.
//
// # Matching leads to accounts
//
// A Matcher, built once from the host's account list with NewMatcher,
// matches a lead to an account by the domain of its email address (never a
// free-mail domain such as gmail.com), then by its company's website
// domain, then by its company's normalised name. Every Match carries a
// score and the reason in words ("email domain acme.com = account
// domain"); a lead that matches several accounts equally well is reported
// as ambiguous with its candidates, never guessed. NormalizeDomain and
// NormalizeName are the normalisations it uses: "https://www.Acme.com/",
// "mail.acme.com" and "jo@acme.com" are all "acme.com"; "U.S. Bank", "US
// bank" and "U. S. Bank N.A." all "us bank". AccountOf keys a lead without
// an account list.
//
// # Duplicates
//
// FindDuplicates finds leads that are one person: the same mailbox once
// NormalizeEmail has applied the provider's rules (gmail ignores dots and
// "+tags"), or the same person's name at the same account. Each finding
// says why.
//
// # Account scoring
//
// Account scoring follows leadkit's analysis contract. A Definition is
// plain data: the lead field that keys a lead to its account (Key; empty
// means AccountOf), the scoring.Model each lead is scored with (its
// engagement and personas), account fit rules over the company's
// firmographics with grade bands, the engagement roll-up (Sum, Max, or
// TopN with a decay), the buying group (the personas sales wants engaged)
// and a qualification ladder (for example a marketing-qualified account).
// ParseDefinition loads one strictly; Compile validates it, reporting every
// problem with its path, and returns an immutable Scorer, safe for
// concurrent use, with a Fingerprint.
//
// Scorer.NewAccounts(asOf) makes an empty Accounts accumulator. Add scores
// a lead as of asOf (activities after it are invisible) and adds it to its
// account; leads created after asOf are counted as skipped and leads
// without an account key as unkeyed. Account scoring needs an as-of: with
// a zero one Add returns an error. Merge combines accumulators built on
// shards (it refuses another definition, another as-of, nil and itself,
// and checks overflow); Report ranks the accounts by total (fit plus
// engagement) and explains the top ones: grade, stage and the next rung's
// unmet conditions, buying-group coverage and gaps, the most engaged leads
// and the fit rules that fired, with counts per grade, per stage and per
// missing persona over all accounts. The same leads in any order and split
// give the identical report: engagement is kept in millionths of a point,
// as integers.
//
// An Accounts is opaque. Its JSON form is self-describing
// ({"format":"leadkit.account/1", "definition", "fingerprint", "as_of",
// ...}); json.Unmarshal into a zero Accounts compiles the definition and
// checks everything, so bad state is an error at decode, never a panic or
// a wrong number later. Its memory grows with the number of accounts, each
// holding its company, counts and at most max(LeadsPerAccount, N) leads,
// never with the number of leads per account (about 460 bytes of JSON per
// account in the benchmarks). Adding one lead twice counts it twice: run
// FindDuplicates first.
//
// Package account does no I/O and keeps no global state; a Matcher is
// safe for concurrent use; an Accounts is not (give each goroutine its own and
// Merge them).
package account
