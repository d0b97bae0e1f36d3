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
// Package account does no I/O and keeps no global state; a Matcher is
// safe for concurrent use.
package account
