// Package sample generates a deterministic, realistic B2B SaaS data set
// (leads with their histories and activities, deals, customers, marketing
// spend and website visits) for leadkit's tests, benchmarks and examples.
//
// [Generate] takes a [Config] (seed, number of leads, creation period) and
// returns a [Dataset]. The same Config always gives the same data, down to
// the bytes of its JSON encoding: randomness comes only from PCG streams
// (math/rand/v2) seeded from Config.Seed, and the generator never reads the
// clock. The distributions are fixed constants in the source; the figures
// below are what they produce, and the package tests check each one on
// 20,000 leads.
//
// # What a data set holds
//
// Companies: about one per three leads, with unique names ("Bluebridge
// Software", "Oakforge Capital Group", "Pinevale Media 3") and domains,
// one of ten industries, a lognormal head count (median 120, 1 to
// 250,000), annual revenue in whole thousands of currency units (zero,
// meaning unknown, for about 4%), and a country (US, GB, DE, FR, CA, AU, NL, IN, BR, JP, ES, SE) with a
// region and a city.
//
// People: a name, an email, a title ("VP Marketing", "Head of Sales
// Operations", "Software Engineer", "CFO", "Marketing Manager",
// "Student", ...) with its role, department and lead.Seniority. About 15%
// of emails (13-17% tested) are on free-mail domains (gmail.com,
// yahoo.com, hotmail.com, outlook.com, icloud.com). Students (about 3.5%)
// always use free mail and have no company: only its country, region and
// city are set. No student ever gets past MQL.
//
// Source: one of the lead.Channel constants (organic_search 24%,
// paid_search 18%, social 12%, email 11%, referral 8%, events 10%, direct
// 17%) with a campaign of that channel (direct has none), a medium and a
// landing page. Custom Fields: "use_case" (string, always), "trial" (bool,
// always) and "budget" (float64, 5,000 to 250,000, present for about 60%).
//
// Prospect activities (Actor empty): the first is at CreatedAt on the
// landing page (form_submit, or event_attended / webinar_attended for
// events leads); later ones are page_view (with URLs such as "/pricing",
// "/product", "/blog/mql-vs-sql", "/docs"), email_open, email_click,
// content_download, form_submit, webinar_attended, event_attended and
// demo_request, a mean of 21 days after creation. A hidden engagement tier
// sets both the number of activities and the chance of converting at every
// stage, so engagement predicts outcomes: customers have about 17 prospect
// activities on average, other leads about 9. Counting sales touches a lead
// has 11 to 12 activities on average.
//
// # Lifecycle
//
// Every lead's history starts with a transition from "" to lead.StageLead
// at CreatedAt, and Lead.Stage is the To of its last transition. Rates
// below count a lead as having reached a stage when its history enters it
// or any later lifecycle stage (skipped stages count as passed through),
// over a whole cohort; measured with seed 1 on 100,000 leads:
//
//	lead -> MQL                 about 32%  (tested 29-36%)
//	MQL -> SAL                  about 72%  (tested 66-78%)
//	SAL -> SQL                  about 55%  (tested 49-61%)
//	SQL -> opportunity          about 62%  (tested 56-68%)
//	opportunity -> customer     about 33%  (tested 28-38%)
//	new-business deals won      about 33%  (tested 29-40%, of won+lost)
//
// A lead becomes an MQL a minute to half an hour after one of its first
// activities (a third of the time a demo_request), so a few hours to a few
// weeks after creation; marketing automation makes that move
// (Transition.By = [Automation]). At MQL the lead gets an owner, "rep-01"
// to "rep-20" (reps carry uneven loads); leads that never reach MQL (nor
// a fast-track) stay unassigned. Every sales move is made by the owner
// (Transition.By = Owner), on the business calendar (Monday to Friday, 09:00 to 17:00
// UTC): the first sales touch, then acceptance or rejection within three
// business days, SQL about a week later (a median of 4 business days),
// an opportunity a median of 6 business days after that and the deal's
// close a median of 30 business days (six weeks) later.
//
// Rejections carry a Reason: an MQL that sales does not accept goes to
// recycled ("no response", "no budget", "bad timing") or disqualified
// ("wrong persona", "student", "competitor", "too small", "duplicate");
// later exits give "no project", "no decision maker", "chose competitor"
// or "closed lost: price" and the like. A quarter of recycled leads come
// back once to MQL 30 to 150 days later (Reason "re-engaged", By
// [Automation]) and go through sales again. Marketing disqualifies some
// leads that never reach MQL ("student", "competitor", "spam"). About 1%
// of leads skip stages: sales fast-tracks them from lead straight to SQL
// (Reason "fast-track: demo request"). About 8% of customers become
// evangelists two to eight months after winning.
//
// # Sales touches and the response SLA
//
// Sales touches are activities with Actor = the owner, of type call,
// email_sent or meeting, always inside business hours and never before the
// lead's first entry into MQL (or, for a fast-tracked lead, its creation).
// Measured against [ResponseSLA] (8 working hours from the first MQL
// entry), about 20% of first touches are late (tested 15-25%); each rep
// has a fixed lateness probability from 8% to 32%. MQL entries at weekends
// and at night count from the next working morning.
//
// # Deals and customers
//
// Each entry into opportunity opens a kpi.Deal (LeadID, Account = company
// name, Owner, Product among "Leadkit Starter", "Leadkit Growth", "Leadkit
// Enterprise" by company size, Amount with cents around the list price,
// CreatedAt = the transition). It is won when the lead becomes a customer
// (ClosedAt = that transition), lost when the lead leaves to recycled or
// disqualified, and open when its decision would fall after End+FollowOn.
// An account becomes a kpi.Customer (ID = company name, Since = its first
// won deal) once; a deal is NewCustomer unless its account was already a
// customer when the deal was created. Customers churn with an exponential
// time of mean 900 days (ChurnedAt is zero when that falls after
// End+FollowOn); 30% get one expansion deal ("Analytics Add-on" or
// "Premium Support", NewCustomer false, LeadID of the account's first won
// lead) 90 to 300 days after Since, won 65% of the time.
//
// # Accounts and duplicates
//
// [Accounts] derives the account list a CRM would hold from a data set's
// leads: one account per company domain, named with a legal form
// ("Oakforge Capital, Inc.", "Pinevale Media GmbH") and written
// "www.domain" for one in three, so that matching leads to accounts goes
// through normalisation. Accounts have about three leads each. [Planted]
// makes extra leads for testing duplicate detection, in turn: three kinds
// of duplicate of an existing lead (the same address re-typed, a gmail
// address with dots and a "+tag", the same name at the same company with
// another address) and two kinds of near-duplicate that are other people
// (a namesake at another company, a name one letter longer at the same
// company). Neither changes what Generate returns. On seed 1 with 3,000
// leads the data set itself holds 2 duplicate findings; 50 planted leads
// add exactly 30.
//
// # Spend and visits
//
// Spend has one row per paid campaign and UTC day of [Start, End) (At =
// the day's midnight, or Start on the first day), in cents, following the
// expected leads of the day at a fixed cost per lead per campaign (from $8
// for email to $400 for roadshows; organic search has a small content
// cost, referral a partner fee, direct and customer referrals none).
// Days whose spend rounds to zero cents have no row. A channel's
// sessions of a day are 12.5 to 100 times its expected leads (visit-to-lead
// rates of 1% to 8%; about 55 visits per lead over all channels), and
// never fewer than the leads actually created that day. Visits has one
// row per day, channel and landing page of the channel's campaigns (22
// pages): each page gets at least the leads created on it that day, and
// the rest by its share, so that within a channel pages with forms
// ([FormPage]) turn sessions into leads 4 times better than content
// pages. Each row has its channel's medium (organic search organic, paid
// search and social paid, email email, referral and events referral,
// direct direct) and a GA4 engagement: engaged sessions about 42% of paid
// sessions against 58% to 70% for the other media (so paid traffic
// bounces most), engaged sessions lasting 50 s (paid) to 95 s (organic)
// on average and bounces 4 s.
//
// # Time bounds
//
// Every CreatedAt lies in [Start, End). Stage changes, activities, deal
// closes, churn and expansions follow their lead and may run past End, but
// never past End+[FollowOn]; leads created late in the period therefore
// have shorter, censored histories. Nothing happens before CreatedAt except
// the deliberate data-quality problem below.
//
// # Deliberate data-quality problems
//
// To give funnel and validation code something to find, at fixed rates:
//
//   - about 0.1% of leads have their first transition (to lead) 1 to 72
//     hours before CreatedAt; they still pass lead.Lead.Validate;
//   - about 0.05% of leads have an email without "@" ("ana.silva(at)x.com");
//     these, and only these, fail lead.Lead.Validate.
//
// # Zero values and concurrency
//
// The zero Config is valid and yields an empty data set (no leads, no
// records of any kind). Generate keeps no state between calls and may be
// called from any number of goroutines; each call uses one goroutine. The
// History and Activities slices of all leads share large backing arrays,
// each with its capacity capped at its length, so appending to one lead's
// slice never changes another's.
package sample
