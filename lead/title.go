package lead

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/leadkit/leadkit"
)

// TitleTable is the data that classifies a job title into a seniority
// and a department: two ordered lists of rules. It is plain data with
// JSON tags, so a host can store it and extend it; [TitleTable.Classifier]
// checks it and returns the [TitleClassifier] that applies it.
//
// A rule matches a title when its words appear in the title, in order and
// next to each other, as whole words. Titles and rules are compared in
// lower case, with every character other than a letter, a digit or "&"
// read as a space: "Sr. Mgr, Marketing" is the words "sr", "mgr",
// "marketing", and "R&D" is the word "r&d". The first matching rule of
// each list gives the class, so specific rules come before general ones
// ("vice president" before "president", "account executive" before
// "executive"). A title that no rule matches gets the empty class:
// unknown, never guessed.
type TitleTable struct {
	// Seniority are the rules for the person's level.
	Seniority []SeniorityRule `json:"seniority,omitempty"`
	// Departments are the rules for the person's department.
	Departments []DepartmentRule `json:"departments,omitempty"`
}

// SeniorityRule gives the seniority of the titles that contain Match.
type SeniorityRule struct {
	// Match is one or more words ("vice president", "vp").
	Match string `json:"match"`
	// Seniority is the class the rule gives. Required.
	Seniority Seniority `json:"seniority"`
}

// DepartmentRule gives the department of the titles that contain Match.
type DepartmentRule struct {
	// Match is one or more words ("demand generation", "seo").
	Match string `json:"match"`
	// Department is the class the rule gives. Required.
	Department string `json:"department"`
}

// Before returns a table whose rules are t's followed by base's, so that
// t's rules take precedence: the way a host extends
// [DefaultTitleTable]. Neither table is modified.
func (t TitleTable) Before(base TitleTable) TitleTable {
	return TitleTable{
		Seniority:   slices.Concat(t.Seniority, base.Seniority),
		Departments: slices.Concat(t.Departments, base.Departments),
	}
}

// Validate reports every problem with the table at once, each a
// *[leadkit.Error] with its path ("seniority[3].match").
func (t TitleTable) Validate() error {
	_, err := t.Classifier()
	return err
}

// TitleClassifier applies a [TitleTable]. It is immutable and safe for
// concurrent use; the zero TitleClassifier, and a nil one, classify
// nothing.
type TitleClassifier struct {
	seniority   []titleRule
	departments []titleRule
}

type titleRule struct {
	words []string
	class string
}

// Classifier checks the table and returns the classifier that applies
// it, or every problem with the table.
func (t TitleTable) Classifier() (*TitleClassifier, error) {
	var errs []error
	c := &TitleClassifier{}
	for i, r := range t.Seniority {
		w := titleWords(r.Match)
		if len(w) == 0 {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("seniority[%d].match", i), "no words in %q", r.Match))
		}
		if r.Seniority == "" {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("seniority[%d].seniority", i), "empty"))
		}
		c.seniority = append(c.seniority, titleRule{w, string(r.Seniority)})
	}
	for i, r := range t.Departments {
		w := titleWords(r.Match)
		if len(w) == 0 {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("departments[%d].match", i), "no words in %q", r.Match))
		}
		if r.Department == "" {
			errs = append(errs, leadkit.Errorf(fmt.Sprintf("departments[%d].department", i), "empty"))
		}
		c.departments = append(c.departments, titleRule{w, r.Department})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// Classify returns the seniority and the department of a job title, each
// empty when no rule matches.
func (c *TitleClassifier) Classify(title string) (Seniority, string) {
	if c == nil {
		return "", ""
	}
	words := titleWords(title)
	return Seniority(firstMatch(c.seniority, words)), firstMatch(c.departments, words)
}

func firstMatch(rules []titleRule, words []string) string {
	for _, r := range rules {
		if containsRun(words, r.words) {
			return r.class
		}
	}
	return ""
}

// containsRun reports whether run occurs in words as consecutive words.
func containsRun(words, run []string) bool {
	if len(run) == 0 {
		return false
	}
	for i := 0; i+len(run) <= len(words); i++ {
		if words[i] == run[0] && slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// titleWords splits a title into lower-case words of letters, digits
// and "&". A title is cut at 200 bytes: no real title is longer.
func titleWords(s string) []string {
	if len(s) > 200 {
		s = s[:200]
	}
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&')
	})
}

// DefaultTitleTable returns leadkit's table for English job titles. Each
// call returns a fresh table the caller may modify.
//
// Seniority follows the title's words, not the person's real authority:
//   - [SeniorityOwner]: founder, co-founder, owner, partner;
//   - [SeniorityExecutive]: chief ... officer and its abbreviations
//     (CEO, CFO, CTO, ...), president, chair, managing director, general
//     manager, executive director, general counsel;
//   - [SeniorityVP]: vice president, VP, SVP, EVP;
//   - [SeniorityDirector]: director, head of;
//   - [SeniorityManager]: manager, supervisor, team lead, tech lead;
//   - [SeniorityEntry]: individual contributors (engineer, analyst,
//     specialist, representative, account executive, assistant,
//     intern, ...), senior or not.
//
// Exceptions come first: "product owner", "executive assistant",
// "account executive", "HR business partner" and "associate product
// manager" are entry level, "partner manager" is a manager.
//
// Departments are "executive" (general management), "sales",
// "marketing", "product", "design", "data", "it", "engineering",
// "finance", "hr", "legal", "support" (customer service and success) and
// "operations"; a title such as "Consultant" or "Team Lead" has none.
func DefaultTitleTable() TitleTable {
	var t TitleTable
	sen := func(s Seniority, matches ...string) {
		for _, m := range matches {
			t.Seniority = append(t.Seniority, SeniorityRule{Match: m, Seniority: s})
		}
	}
	dep := func(d string, matches ...string) {
		for _, m := range matches {
			t.Departments = append(t.Departments, DepartmentRule{Match: m, Department: d})
		}
	}
	// Seniority: exceptions, then from the top down.
	sen(SeniorityEntry, "assistant to", "executive assistant", "personal assistant", "product owner",
		"process owner", "account executive", "sales executive", "business partner",
		"associate product manager", "partner marketing")
	sen(SeniorityManager, "partner manager")
	sen(SeniorityVP, "vice president", "vp", "svp", "evp", "avp", "vice pres")
	sen(SeniorityOwner, "founder", "co founder", "cofounder", "owner", "proprietor", "partner")
	sen(SeniorityExecutive, "chief", "ceo", "cfo", "cto", "coo", "cmo", "cio", "cro", "ciso", "cpo", "chro",
		"cdo", "cso", "cco", "cao", "president", "chairman", "chairwoman", "chairperson", "chair",
		"managing director", "general manager", "gm", "executive director", "general counsel", "board member")
	sen(SeniorityDirector, "director", "dir", "head")
	sen(SeniorityManager, "manager", "mgr", "supervisor", "team lead", "team leader", "tech lead",
		"technical lead", "engineering lead", "foreman")
	sen(SeniorityEntry, "engineer", "developer", "programmer", "architect", "analyst", "scientist",
		"specialist", "coordinator", "representative", "rep", "sdr", "bdr", "assistant", "intern",
		"student", "trainee", "apprentice", "consultant", "designer", "accountant", "bookkeeper",
		"controller", "auditor", "recruiter", "generalist", "attorney", "lawyer", "paralegal", "counsel",
		"officer", "administrator", "admin", "technician", "writer", "copywriter", "marketer",
		"salesperson", "buyer", "receptionist", "researcher", "teacher", "clerk", "agent", "editor",
		"planner", "strategist", "advisor", "tester", "operator", "associate", "staff")

	// Departments: compound phrases first, then functions, then general
	// management.
	dep("sales", "sales engineer", "sales operations", "sales ops", "revenue operations", "revops")
	dep("marketing", "marketing operations", "product marketing", "partner marketing")
	dep("hr", "people operations", "hr business partner", "human resources")
	dep("design", "product designer", "product design", "art director", "creative director")
	dep("product", "product owner", "product manager", "product management")
	dep("support", "support engineer", "customer success", "customer service", "customer support",
		"customer experience", "chief customer officer")
	dep("it", "it support", "help desk", "helpdesk", "information technology", "chief information officer",
		"information security", "it", "cio", "ciso", "security", "network", "systems administrator",
		"sysadmin", "database", "dba", "infrastructure")
	dep("support", "support")
	dep("data", "data", "analytics", "business intelligence", "bi", "machine learning", "ml", "ai")
	dep("sales", "business development", "sales", "salesperson", "account executive", "account manager",
		"key account", "partner manager", "partnerships", "channel", "sdr", "bdr", "cro", "revenue",
		"regional vice president")
	dep("marketing", "marketing", "marketer", "cmo", "brand", "content", "seo", "sem", "demand generation",
		"growth", "communications", "pr", "public relations", "social media", "event", "events",
		"copywriter")
	dep("finance", "finance", "financial", "cfo", "accountant", "accounting", "accounts payable",
		"accounts receivable", "controller", "bookkeeper", "treasurer", "payroll", "auditor", "audit",
		"fp&a", "tax")
	dep("hr", "hr", "people", "recruiter", "recruiting", "recruitment", "talent", "chro")
	dep("legal", "legal", "counsel", "attorney", "lawyer", "paralegal", "compliance", "clo")
	dep("engineering", "engineer", "engineering", "developer", "development", "programmer", "software",
		"devops", "sre", "site reliability", "qa", "quality assurance", "test", "architect", "cto",
		"technology", "frontend", "backend", "full stack", "tech lead", "technical lead", "r&d")
	dep("product", "product", "cpo")
	dep("design", "design", "designer", "ux", "ui", "creative", "graphic")
	dep("operations", "operations", "operating", "ops", "coo", "project manager", "program manager",
		"office", "facilities", "supply chain", "procurement", "purchasing", "logistics", "buyer",
		"administrative", "receptionist", "business analyst")
	dep("executive", "executive assistant", "ceo", "chief executive", "president", "founder", "co founder",
		"cofounder", "owner", "proprietor", "managing director", "general manager", "chairman",
		"chairwoman", "chair", "executive director", "partner", "chief of staff", "board member")
	return t
}
