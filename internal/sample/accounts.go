package sample

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/leadkit/leadkit/lead"
)

// streamPlanted seeds the duplicates Planted makes, apart from the
// streams Generate uses, so that planting never changes a data set.
const streamPlanted = 0x706c616e // "plan"

// legalForms are the legal-form endings Accounts writes account names
// with, as a CRM holds them: the lead says "Oakforge Capital", the
// account "Oakforge Capital, Inc.".
var legalForms = []string{"", " Inc.", ", Inc.", " LLC", " Ltd", " GmbH", " S.A.", " Corp.", " & Co.", " Pty Ltd"}

// Account is one account of a CRM's account list: an id, a name and the
// company's domains. It has the fields of account.Account, in the same
// order, so a host converts it with account.Account(a); the sample does
// not import package account, whose dependencies' tests use the sample.
type Account struct {
	ID      string
	Name    string
	Domains []string
}

// Accounts returns the account list of a data set's leads, as a host's
// CRM would hold it: one account per company domain, in order of first
// appearance, with ID "A" and a six-digit number, the company's name with
// a legal form added (", Inc.", " GmbH", ...; one in ten as is) and its
// domain, written "www.domain" for one in three. Every lead with a company
// belongs to one account; a company has about three leads. Nil leads give
// no accounts. The same leads always give the same list.
func Accounts(leads []lead.Lead) []Account {
	seen := map[string]bool{}
	var out []Account
	for i := range leads {
		c := &leads[i].Company
		if c.Domain == "" || seen[c.Domain] {
			continue
		}
		seen[c.Domain] = true
		n := len(out)
		d := c.Domain
		if n%3 == 1 {
			d = "www." + d
		}
		out = append(out, Account{
			ID:      "A" + pad6(n+1),
			Name:    c.Name + legalForms[n%len(legalForms)],
			Domains: []string{d},
		})
	}
	return out
}

func pad6(n int) string {
	s := string(appendID(nil, ' ', n, 6))
	return s[1:]
}

// PlantedKind says how a planted lead relates to the lead it was made
// from.
type PlantedKind string

// The kinds of planted lead: the first three are duplicates of their
// original (the same person), the last two are near-duplicates that are
// not (another person).
const (
	// Resubmit: the same address in other letter case, with spaces
	// around it.
	Resubmit PlantedKind = "resubmit"
	// PlusTag: a gmail address with its dots moved and a "+tag" added,
	// which gmail delivers to the same mailbox.
	PlusTag PlantedKind = "plus_tag"
	// NewAddress: the same name at the same company with another work
	// address ("jane.doe@" becomes "jdoe@").
	NewAddress PlantedKind = "new_address"
	// Namesake: the same name at another company: not a duplicate.
	Namesake PlantedKind = "namesake"
	// SimilarName: a name one letter longer at the same company, with its
	// own address: not a duplicate.
	SimilarName PlantedKind = "similar_name"
)

// Duplicate reports whether a lead of kind k is the same person as its
// original.
func (k PlantedKind) Duplicate() bool {
	return k == Resubmit || k == PlusTag || k == NewAddress
}

// PlantedLead is one lead Planted made, with what it is.
type PlantedLead struct {
	// Lead is the new lead: ID "D" and a six-digit number, created 1 to
	// 30 days after its original, in stage lead with one form fill.
	Lead lead.Lead
	// Of is the ID of the lead it was made from.
	Of string
	// Kind says how it relates to that lead.
	Kind PlantedKind
}

// Planted returns n leads made from leads for testing duplicate
// detection, deterministically from seed: the kinds in turn (Resubmit,
// PlusTag, NewAddress, Namesake, SimilarName), each from a different
// original with a company and a well-formed email (a PlusTag from a
// gmail lead). It leaves leads unchanged and returns fewer than n when
// leads lack originals (too few leads, no gmail lead for PlusTag, a
// single company for Namesake).
func Planted(leads []lead.Lead, seed uint64, n int) []PlantedLead {
	if n <= 0 || len(leads) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(seed, streamPlanted))
	used := map[int]bool{}
	kinds := []PlantedKind{Resubmit, PlusTag, NewAddress, Namesake, SimilarName}
	var out []PlantedLead
	pick := func(ok func(*lead.Lead) bool) int {
		for range 64 * len(kinds) {
			i := r.IntN(len(leads))
			if !used[i] && ok(&leads[i]) {
				used[i] = true
				return i
			}
		}
		return -1
	}
	good := func(l *lead.Lead) bool {
		local, _, ok := strings.Cut(l.Person.Email, "@")
		dot := strings.IndexByte(local, '.')
		return ok && l.Company.Domain != "" && strings.Count(l.Person.Email, "@") == 1 && dot > 0 && dot < len(local)-1
	}
	for k := 0; len(out) < n && k < 4*n; k++ {
		kind := kinds[k%len(kinds)]
		var ok func(*lead.Lead) bool
		switch kind {
		case PlusTag:
			ok = func(l *lead.Lead) bool { return good(l) && strings.HasSuffix(l.Person.Email, "@gmail.com") }
		case NewAddress, SimilarName:
			ok = func(l *lead.Lead) bool { return good(l) && strings.HasSuffix(l.Person.Email, "@"+l.Company.Domain) }
		default:
			ok = good
		}
		i := pick(ok)
		if i < 0 {
			continue
		}
		o := &leads[i]
		p := PlantedLead{Of: o.ID, Kind: kind}
		created := o.CreatedAt.Add(time.Duration(1+r.IntN(30)) * 24 * time.Hour)
		l := lead.Lead{
			ID: "D" + pad6(len(out)+1), CreatedAt: created, Stage: lead.StageLead,
			Person: o.Person, Company: o.Company, Source: o.Source,
			History:    []lead.Transition{{To: lead.StageLead, At: created}},
			Activities: []lead.Activity{{Type: lead.ActivityFormSubmit, At: created, URL: o.Source.LandingPage}},
		}
		local, domain, _ := strings.Cut(o.Person.Email, "@")
		first, last, _ := strings.Cut(local, ".")
		switch kind {
		case Resubmit:
			l.Person.Email = " " + strings.ToUpper(local[:1]) + local[1:] + "@" + strings.ToUpper(domain) + " "
		case PlusTag:
			l.Person.Email = first[:1] + "." + first[1:] + last + "+webinar@gmail.com"
		case NewAddress:
			l.Person.Email = first[:1] + last + "@" + domain
		case Namesake:
			j := pick(func(x *lead.Lead) bool { return good(x) && x.Company.Domain != o.Company.Domain })
			if j < 0 {
				continue
			}
			l.Company = leads[j].Company
			l.Person.Email = local + "@" + l.Company.Domain
		case SimilarName:
			l.Person.Name += "s"
			l.Person.Email = local + "s@" + domain
		}
		p.Lead = l
		out = append(out, p)
	}
	return out
}
