package rules_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/leadkit/leadkit/internal/rules"
	"github.com/leadkit/leadkit/lead"
)

func ExampleCompileLeadBool() {
	p, err := rules.CompileLeadBool(`company.employees >= 200 && activity_count("page_view", "30d") >= 2`)
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	l := lead.Lead{
		ID: "l1", CreatedAt: now.AddDate(0, -2, 0),
		Company: lead.Company{Employees: 450},
		Activities: []lead.Activity{
			{Type: lead.ActivityPageView, At: now.AddDate(0, 0, -3)},
			{Type: lead.ActivityPageView, At: now.AddDate(0, 0, -12)},
		},
	}
	ok, err := p.Eval(&l, now)
	fmt.Println(ok, err)
	// Output: true <nil>
}

func ExampleCompileLeadBool_error() {
	_, err := rules.CompileLeadBool(`person.titel icontains "vp"`)
	fmt.Println(err)
	_, err = rules.CompileLeadBool(`icontains(person.titel, "vp")`)
	fmt.Println(err)
	// Output:
	// unexpected token Identifier("icontains") (1:14)
	//  | person.titel icontains "vp"
	//  | .............^
	// unknown name "person.titel"; did you mean "person.title"? (1:18)
	//  | icontains(person.titel, "vp")
	//  | .................^
}

func ExampleLeadBool_Eval_runtimeError() {
	// A custom field holding the wrong type is an error for that lead,
	// with the position of the failing operation.
	p, _ := rules.CompileLeadBool(`fields.budget >= 10000`)
	l := lead.Lead{ID: "l2", Fields: map[string]any{"budget": "about 20k"}}
	_, err := p.Eval(&l, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	fmt.Println(err)
	// Output:
	// invalid operation: string >= int (1:15)
	//  | fields.budget >= 10000
	//  | ..............^
}

func ExampleLimits() {
	// Nested loops over ranges would take 10^8 iterations; the step
	// budget stops them for this lead, at the inner loop.
	s := rules.Set{Limits: rules.Limits{Steps: 100_000}}
	p, err := s.Compile(`let r = 0..9999; all(r, all(r, # >= 0))`, rules.Options{Path: "rules[0].when"})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := s.NewCtx()
	c.Reset(&lead.Lead{ID: "l3"}, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	_, err = p.Eval(c)
	fmt.Println(errors.Is(err, rules.ErrStepBudget))
	fmt.Println(err)
	// Output:
	// true
	// rules[0].when: step budget exceeded: the rules of one lead may take 100000 steps (1:32)
	//  | let r = 0..9999; all(r, all(r, # >= 0))
	//  | ...............................^
}
