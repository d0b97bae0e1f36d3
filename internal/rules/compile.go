package rules

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/leadkit/leadkit/lead"
)

// Limits on untrusted expressions. Rule text comes from marketing-ops
// users and from stored models, so every dimension of its cost is bounded.
const (
	// MaxSourceLen is the longest expression accepted, in bytes. A rule
	// is a one-line condition; 4 KiB is ~50 lines of conditions, far more
	// than any real rule, and keeps parsing cheap.
	MaxSourceLen = 4096
	// MaxNodes is the largest syntax tree accepted. The biggest realistic
	// rule (an industry list of ~100 names) has ~150 nodes; 1,000 leaves
	// room and bounds compile time and bytecode size.
	MaxNodes = 1000
	// MaxDepth is the deepest nesting accepted (parentheses do not count,
	// operators and calls do). Real rules nest fewer than 10 levels; 64
	// keeps the recursive checker and optimizer far from stack trouble.
	MaxDepth = 64
	// MaxRange is the largest constant integer range (a..b) accepted. A
	// range materialises an array; 10,000 elements is ~160 KB.
	MaxRange = 10000
	// MaxStringLen is the longest string a rule may build with + (16
	// KiB); the bytes also count against the memory budget ([Limits]).
	// Without it a chain of doublings (let b = a + a; let c = b + b; ...)
	// would reach the budget's size in one string. Strings from the
	// lead's data are not limited.
	MaxStringLen = 16 << 10
)

// Scope says which names an expression may use.
type Scope int

const (
	// ScopeLead is the lead: id, person.*, company.*, source.*, stage,
	// owner, created_at, fields.*, activities and now.
	ScopeLead Scope = iota
	// ScopeActivity is one activity: type, at, actor, campaign, url,
	// fields.* and now.
	ScopeActivity
	// ScopeQualify is the lead scope plus the scores: fit, engagement,
	// total and grade.
	ScopeQualify
)

// Options configure one compilation.
type Options struct {
	// Scope selects the names available. The zero value is ScopeLead.
	Scope Scope
	// Path names the expression in its definition ("rules[3].when") and
	// prefixes every error about it.
	Path string
}

// Set compiles related expressions that share per-lead precomputation:
// every activity_count(type, window) call with constant arguments in any
// expression of the set becomes one counter filled by a single pass over
// the lead's activities in [Ctx.Reset].
//
// The zero Set is ready to use. A Set is not safe for concurrent
// compilation; once the last expression is compiled it is only read, and
// its programs and [Set.NewCtx] may be used from any goroutine.
type Set struct {
	// Limits bound the cost of evaluating the set's programs; zero
	// fields mean the defaults. Set them before the first NewCtx.
	Limits Limits

	specs          []countSpec
	needActivities bool
}

type countSpec struct {
	typ    string
	window time.Duration // 0: no window, every activity up to now
}

// NewCtx returns a fresh evaluation context for the programs compiled so
// far. Call it after the last Compile.
func (s *Set) NewCtx() *Ctx {
	c := &Ctx{set: s, counts: make([]int, len(s.specs)), starts: make([]time.Time, len(s.specs)), lim: s.Limits.WithDefaults()}
	c.steps = c.lim.Steps
	return c
}

func (s *Set) countIndex(typ string, w time.Duration) int {
	for i, sp := range s.specs {
		if sp.typ == typ && sp.window == w {
			return i
		}
	}
	s.specs = append(s.specs, countSpec{typ, w})
	return len(s.specs) - 1
}

// Program is one compiled boolean expression. It is immutable and safe for
// concurrent use; evaluation state lives in a [Ctx].
type Program struct {
	src      string
	path     string
	scope    Scope
	native   nativeFn    // nil when the expression needs the VM
	prog     *vm.Program // always set: the authority when native gives up
	cons     int8        // 1 or 0 when the expression is constant true or false, else -1
	cost     int64       // steps charged before each VM evaluation: the size of the metered tree
	variable bool        // the VM's work depends on the data: loops, charged operands
	cmps     []Comparison
	types    []string // activity scope: a top-level conjunct type == X or type in [...]
	exact    bool     // the expression is nothing but that type test
}

// ActivityTypes returns, for an activity-scope expression that requires
// the activity's type to be one of a constant list (a top-level conjunct
// type == "x" or type in ["x", "y"]), that list, and whether the
// expression is nothing more than that test. Callers may skip activities
// of other types without evaluating the expression, and when exact is
// true skip the evaluation altogether. It returns nil, false otherwise.
func (p *Program) ActivityTypes() (types []string, exact bool) {
	return slices.Clone(p.types), p.exact
}

// Cost returns the steps one evaluation of the expression on the VM is
// charged before it starts (the size of its metered syntax tree), and
// whether the VM may charge more during the evaluation (loops, regular
// expressions and string operations are charged by the size of what
// they walk). When variable is false an evaluation costs at most fixed
// steps. A natively compiled expression is charged nothing unless it
// falls back to the VM: native closures do work linear in the
// expression's size and the lead's data.
func (p *Program) Cost() (fixed int64, variable bool) { return p.cost, p.variable }

// Source returns the expression's text.
func (p *Program) Source() string { return p.src }

// Native reports whether the expression runs as native Go closures
// (falling back to the VM only for values of unexpected types).
func (p *Program) Native() bool { return p.native != nil }

// Constant reports whether the expression's value does not depend on its
// input, and if so the value.
func (p *Program) Constant() (value, ok bool) { return p.cons == 1, p.cons >= 0 }

// Comparison is a top-level conjunct of the form name op number, such as
// "fit >= 50", found in an expression; used to lint thresholds.
type Comparison struct {
	Name  string
	Op    string
	Value float64
}

// Comparisons returns the top-level conjuncts of the expression that
// compare a bare name with a number (see [Comparison]).
func (p *Program) Comparisons() []Comparison { return slices.Clone(p.cmps) }

var (
	leadNames     = []string{"id", "person", "company", "source", "stage", "owner", "created_at", "fields", "activities", "now"}
	qualifyNames  = []string{"fit", "engagement", "total", "grade"}
	activityNames = []string{"type", "at", "actor", "campaign", "url", "fields", "now"}
	helperNames   = []string{"duration", "date", "days_since", "icontains", "iin", "free_email"}
	// disabledNames are expr builtins that rules cannot use: the clock
	// and time zone readers (nondeterministic, file I/O), duration
	// (replaced by one that knows days and weeks), and the builtins that
	// build strings or arrays whose size the VM's memory budget does not
	// bound (repeat, replace, join, string, toJSON, toBase64, concat,
	// flatten, ...), the builtins that sort, group or reshape arrays in
	// work the meter does not see (sort, sortBy, groupBy, uniq, keys,
	// ...), and the bit operators (a shift past 63 bits silently gives
	// 0). Boolean scoring rules do not need them.
	disabledNames = []string{"now", "date", "timezone", "duration",
		"repeat", "replace", "join", "string", "toJSON", "fromJSON", "toBase64", "fromBase64",
		"concat", "flatten", "toPairs", "fromPairs", "splitAfter",
		"groupBy", "sortBy", "sort", "uniq", "reverse", "keys", "values", "take",
		"bitand", "bitor", "bitxor", "bitnand", "bitnot", "bitshl", "bitshr", "bitushr"}
)

func members(v any) []string {
	t := reflect.TypeOf(v)
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Tag.Get("expr")
	}
	return out
}

// Compile compiles a boolean expression. It returns an *Error with the
// expression's path, line and column for every problem: syntax, unknown
// names (with a suggestion), types, a result that is not a boolean, and
// the limits above.
func (s *Set) Compile(src string, opt Options) (_ *Program, err error) {
	path := opt.Path
	defer func() {
		// expr's parser, checker and optimizer are not written for hostile
		// input; a panic there must not take the host down.
		if r := recover(); r != nil {
			err = &Error{Path: path, Source: src, Msg: fmt.Sprintf("cannot compile: %v", r)}
		}
	}()
	if len(src) > MaxSourceLen {
		return nil, &Error{Path: path, Source: src[:64] + "...", Msg: fmt.Sprintf("expression is %d bytes long; the limit is %d", len(src), MaxSourceLen)}
	}
	if strings.TrimSpace(src) == "" {
		return nil, &Error{Path: path, Source: src, Msg: "empty expression"}
	}
	cfg := newConfig(opt.Scope)
	tree, perr := parser.ParseWithConfig(src, cfg)
	err = perr
	if err != nil {
		e := fromExpr(path, src, err)
		if strings.Contains(e.Msg, "exceeds maximum allowed nodes") {
			e.Msg = fmt.Sprintf("expression has more than %d nodes; the limit is %d", MaxNodes, MaxNodes)
		}
		return nil, e
	}
	if d, n := depth(tree.Node); d > MaxDepth {
		return nil, newError(path, src, n.Location().From, fmt.Sprintf("expression nests more than %d levels deep", MaxDepth), nil)
	}
	if e := s.vet(tree.Node, opt.Scope, path, src); e != nil {
		return nil, e
	}
	if e := s.patch(&tree.Node, opt.Scope, path, src); e != nil {
		return nil, e
	}
	t, err := checker.Check(tree, cfg)
	if err != nil {
		return nil, fromExpr(path, src, err)
	}
	if t != nil && t.Kind() != reflect.Bool && t.Kind() != reflect.Interface {
		return nil, newError(path, src, 0, fmt.Sprintf("must be a boolean, got %s", typeName(t)), nil)
	}
	if e := vetChecked(tree.Node, path, src); e != nil {
		return nil, e
	}
	p := &Program{src: src, path: path, scope: opt.Scope, cons: -1}
	nc := nativeCompiler{set: s, scope: opt.Scope}
	if fn, ok := nc.bool(tree.Node); ok {
		p.native = fn
	}
	p.cmps = comparisons(tree.Node)
	if opt.Scope == ScopeActivity {
		p.types, p.exact = typeFilter(tree.Node)
	}
	if b, ok := tree.Node.(*ast.BoolNode); ok {
		p.cons = 0
		if b.Value {
			p.cons = 1
		}
	}
	noNames := !mentionsAnyName(tree.Node)
	changed, variable := meter(&tree.Node)
	p.variable = variable
	if changed {
		// Re-check: the inserted calls need their types resolved for the
		// compiler.
		if _, err = checker.Check(tree, cfg); err != nil {
			return nil, fromExpr(path, src, err)
		}
	}
	p.cost = int64(countNodes(tree.Node))
	if err := optimizer.Optimize(&tree.Node, cfg); err != nil {
		return nil, fromExpr(path, src, err)
	}
	if c, ok := tree.Node.(*ast.ConstantNode); ok {
		if b, ok := c.Value.(bool); ok {
			p.cons = 0
			if b {
				p.cons = 1
			}
		}
	}
	if b, ok := tree.Node.(*ast.BoolNode); ok {
		p.cons = 0
		if b.Value {
			p.cons = 1
		}
	}
	prog, err := compiler.Compile(tree, cfg)
	if err != nil {
		return nil, fromExpr(path, src, err)
	}
	p.prog = prog
	if p.cons < 0 && noNames {
		// No name at all: the value cannot depend on the input. Evaluate
		// it once (bounded by the limits) for lint.
		c := &Ctx{set: s, lim: s.Limits.WithDefaults()}
		c.steps = c.lim.Steps
		var env any = LeadEnv{Ctx: c}
		if opt.Scope == ScopeActivity {
			env = ActivityEnv{Ctx: c}
		}
		if c.startRun(p.cost) != nil {
			return p, nil
		}
		if out, err := c.vm.Run(prog, env); err == nil {
			if b, ok := out.(bool); ok {
				p.cons = 0
				if b {
					p.cons = 1
				}
			}
		}
	}
	if opt.Scope != ScopeActivity && mentions(tree.Node, "activities") {
		s.needActivities = true
	}
	return p, nil
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "int"
	case reflect.Float64, reflect.Float32:
		return "float"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map:
		return "map"
	}
	if t == reflect.TypeOf(time.Time{}) {
		return "time"
	}
	if t == reflect.TypeOf(time.Duration(0)) {
		return "duration"
	}
	return t.String()
}

func newConfig(scope Scope) *conf.Config {
	cfg := conf.CreateNew()
	if scope == ScopeActivity {
		cfg.WithEnv(ActivityEnv{})
	} else {
		cfg.WithEnv(LeadEnv{})
	}
	cfg.MaxNodes = MaxNodes
	for _, n := range disabledNames {
		cfg.Disabled[n] = true
		delete(cfg.Builtins, n)
	}
	for _, f := range functions() {
		cfg.Functions[f.Name] = f
	}
	cfg.Check()
	return cfg
}

// depth returns the depth of the deepest node and that node.
func depth(n ast.Node) (int, ast.Node) {
	best, at := 0, n
	var rec func(n ast.Node, d int)
	rec = func(n ast.Node, d int) {
		if n == nil || d > MaxDepth+1 {
			if d > best {
				best, at = d, n
			}
			return
		}
		if d > best {
			best, at = d, n
		}
		for _, c := range children(n) {
			rec(c, d+1)
		}
	}
	rec(n, 1)
	if at == nil {
		at = n
	}
	return best, at
}

// childSlots returns pointers to n's children, so that a pass can read
// them or replace them in place. Every walk over the tree goes through it.
func childSlots(n ast.Node) []*ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []*ast.Node{&n.Node}
	case *ast.BinaryNode:
		return []*ast.Node{&n.Left, &n.Right}
	case *ast.ChainNode:
		return []*ast.Node{&n.Node}
	case *ast.MemberNode:
		return []*ast.Node{&n.Node, &n.Property}
	case *ast.SliceNode:
		return []*ast.Node{&n.Node, &n.From, &n.To}
	case *ast.CallNode:
		return append([]*ast.Node{&n.Callee}, slots(n.Arguments)...)
	case *ast.BuiltinNode:
		return slots(n.Arguments)
	case *ast.PredicateNode:
		return []*ast.Node{&n.Node}
	case *ast.ConditionalNode:
		return []*ast.Node{&n.Cond, &n.Exp1, &n.Exp2}
	case *ast.VariableDeclaratorNode:
		return []*ast.Node{&n.Value, &n.Expr}
	case *ast.SequenceNode:
		return slots(n.Nodes)
	case *ast.ArrayNode:
		return slots(n.Nodes)
	case *ast.MapNode:
		return slots(n.Pairs)
	case *ast.PairNode:
		return []*ast.Node{&n.Key, &n.Value}
	}
	return nil
}

func slots(ns []ast.Node) []*ast.Node {
	out := make([]*ast.Node, len(ns))
	for i := range ns {
		out[i] = &ns[i]
	}
	return out
}

// children returns n's children.
func children(n ast.Node) []ast.Node {
	var out []ast.Node
	for _, c := range childSlots(n) {
		out = append(out, *c)
	}
	return out
}

func walk(n ast.Node, f func(ast.Node) *Error) *Error {
	if n == nil {
		return nil
	}
	if e := f(n); e != nil {
		return e
	}
	for _, c := range children(n) {
		if e := walk(c, f); e != nil {
			return e
		}
	}
	return nil
}

func mentionsAnyName(n ast.Node) bool {
	found := false
	walk(n, func(n ast.Node) *Error {
		switch n.(type) {
		case *ast.IdentifierNode, *ast.PointerNode, *ast.CallNode:
			found = true
		}
		return nil
	})
	return found
}

func mentions(n ast.Node, name string) bool {
	found := false
	walk(n, func(n ast.Node) *Error {
		if id, ok := n.(*ast.IdentifierNode); ok && id.Value == name {
			found = true
		}
		return nil
	})
	return found
}

// vet checks the parsed expression before type checking: names, member
// names, method calls, constant ranges and regular expressions.
func (s *Set) vet(root ast.Node, scope Scope, path, src string) *Error {
	var vars []string
	switch scope {
	case ScopeActivity:
		vars = slices.Clone(activityNames)
	case ScopeQualify:
		vars = append(slices.Clone(leadNames), qualifyNames...)
	default:
		vars = slices.Clone(leadNames)
	}
	known := append(slices.Clone(vars), helperNames...)
	if scope != ScopeActivity {
		known = append(known, "activity_count")
	}
	walk(root, func(n ast.Node) *Error {
		if v, ok := n.(*ast.VariableDeclaratorNode); ok {
			known = append(known, v.Name)
		}
		return nil
	})
	structs := map[string][]string{}
	if scope != ScopeActivity {
		structs["person"] = members(PersonEnv{})
		structs["company"] = members(CompanyEnv{})
		structs["source"] = members(SourceEnv{})
	}
	errAt := func(n ast.Node, format string, args ...any) *Error {
		return newError(path, src, n.Location().From, fmt.Sprintf(format, args...), nil)
	}
	return walk(root, func(n ast.Node) *Error {
		switch n := n.(type) {
		case *ast.IdentifierNode:
			if !slices.Contains(known, n.Value) {
				msg := fmt.Sprintf("unknown name %q", n.Value)
				if sg := suggest(n.Value, known); sg != "" {
					msg += fmt.Sprintf("; did you mean %q?", sg)
				}
				return errAt(n, "%s", msg)
			}
		case *ast.MemberNode:
			prop, isStr := n.Property.(*ast.StringNode)
			if isStr && strings.HasPrefix(prop.Value, "_") {
				return errAt(n, "unknown name %q", prop.Value)
			}
			if id, ok := n.Node.(*ast.IdentifierNode); ok && isStr {
				if fields, ok := structs[id.Value]; ok && !slices.Contains(fields, prop.Value) {
					msg := fmt.Sprintf("unknown name \"%s.%s\"", id.Value, prop.Value)
					if sg := suggest(prop.Value, fields); sg != "" {
						msg += fmt.Sprintf("; did you mean \"%s.%s\"?", id.Value, sg)
					}
					return errAt(n, "%s", msg)
				}
			}
		case *ast.BuiltinNode:
			// The parser makes some builtins (groupBy, sortBy) whatever
			// the configuration says.
			if slices.Contains(disabledNames, n.Name) {
				return errAt(n, "unknown name %q", n.Name)
			}
		case *ast.CallNode:
			id, ok := n.Callee.(*ast.IdentifierNode)
			if !ok {
				return errAt(n, "method calls are not allowed; use the helper functions")
			}
			if !slices.Contains(helperNames, id.Value) && (scope == ScopeActivity || id.Value != "activity_count") && slices.Contains(known, id.Value) {
				return errAt(n, "%q is a value, not a helper function: only the helpers can be called", id.Value)
			}
		case *ast.BinaryNode:
			switch n.Operator {
			case "..":
				a, aok := intConst(n.Left)
				b, bok := intConst(n.Right)
				if aok && bok {
					if d, ok := checked('-', int64(b), int64(a)); !ok {
						return errAt(n, "range %d..%d has more than %d elements; the limit is %d", a, b, int64(math.MaxInt64), MaxRange)
					} else if d >= MaxRange {
						return errAt(n, "range %d..%d has %d elements; the limit is %d", a, b, d+1, MaxRange)
					}
				}
			case "matches":
				pat, ok := n.Right.(*ast.StringNode)
				if !ok {
					return errAt(n, "matches needs a constant pattern (a string literal): a pattern computed from data is recompiled for every lead")
				}
				if _, err := regexp.Compile(pat.Value); err != nil {
					return newError(path, src, n.Right.Location().From, fmt.Sprintf("invalid pattern: %v", err), err)
				}
			}
		}
		return nil
	})
}

// vetChecked rejects method values the type checker resolved: a member
// access whose value is a function (now.Unix, now.Local), however it is
// reached (directly, through let, a pipe or a predicate). Only the
// callee of a helper call may be a function.
func vetChecked(root ast.Node, path, src string) *Error {
	var rec func(n ast.Node) *Error
	rec = func(n ast.Node) *Error {
		if n == nil {
			return nil
		}
		if m, ok := n.(*ast.MemberNode); ok && m.Method {
			return newError(path, src, m.Location().From, "method calls are not allowed; use the helper functions", nil)
		}
		if _, pred := n.(*ast.PredicateNode); !pred && n.Type() != nil && n.Type().Kind() == reflect.Func {
			return newError(path, src, n.Location().From, "methods are not allowed (a method value cannot be stored, passed or called); use the helper functions", nil)
		}
		for _, c := range childSlots(n) {
			if call, ok := n.(*ast.CallNode); ok && c == &call.Callee {
				continue
			}
			if e := rec(*c); e != nil {
				return e
			}
		}
		return nil
	}
	return rec(root)
}

// patch rewrites the helpers that need per-lead data:
// activity_count(type[, window]) becomes _count(_ctx, i) when both
// arguments are constants (one shared counter per distinct pair) and
// _count_dyn(_ctx, type, window) otherwise; days_since(t) becomes
// _days_since(now, t).
func (s *Set) patch(root *ast.Node, scope Scope, path, src string) *Error {
	var perr *Error
	var rec func(n *ast.Node)
	rec = func(np *ast.Node) {
		if *np == nil || perr != nil {
			return
		}
		for _, c := range childSlots(*np) {
			rec(c)
		}
		x, ok := (*np).(*ast.CallNode)
		if !ok || perr != nil {
			return
		}
		id, _ := x.Callee.(*ast.IdentifierNode)
		if id == nil {
			return
		}
		loc := x.Location()
		switch id.Value {
		case "activity_count":
			if len(x.Arguments) < 1 || len(x.Arguments) > 2 {
				perr = newError(path, src, loc.From, "activity_count takes an activity type and an optional window, as in activity_count(\"page_view\", \"30d\")", nil)
				return
			}
			typ, tok := x.Arguments[0].(*ast.StringNode)
			var win *ast.StringNode
			wok := true
			if len(x.Arguments) == 2 {
				win, wok = x.Arguments[1].(*ast.StringNode)
			}
			if tok && wok {
				var w time.Duration
				if win != nil {
					d, err := ParseDuration(win.Value)
					if err != nil {
						perr = newError(path, src, win.Location().From, err.Error(), err)
						return
					}
					if d <= 0 {
						perr = newError(path, src, win.Location().From, fmt.Sprintf("window %q must be positive", win.Value), nil)
						return
					}
					w = d
				}
				idx := s.countIndex(typ.Value, w)
				*np = call(loc, "_count", ident(loc, "_ctx"), integer(loc, idx))
				return
			}
			args := []ast.Node{ident(loc, "_ctx"), x.Arguments[0]}
			if len(x.Arguments) == 2 {
				args = append(args, x.Arguments[1])
			} else {
				args = append(args, str(loc, ""))
			}
			*np = call(loc, "_count_dyn", args...)
		case "days_since":
			if len(x.Arguments) != 1 {
				perr = newError(path, src, loc.From, "days_since takes one time, as in days_since(created_at)", nil)
				return
			}
			*np = call(loc, "_days_since", ident(loc, "now"), x.Arguments[0])
		}
	}
	rec(root)
	if perr != nil {
		return perr
	}
	return nil
}

func ident(loc fileLocation, name string) ast.Node {
	n := &ast.IdentifierNode{Value: name}
	n.SetLocation(loc)
	return n
}

func integer(loc fileLocation, v int) ast.Node {
	n := &ast.IntegerNode{Value: v}
	n.SetLocation(loc)
	return n
}

func str(loc fileLocation, v string) ast.Node {
	n := &ast.StringNode{Value: v}
	n.SetLocation(loc)
	return n
}

func call(loc fileLocation, name string, args ...ast.Node) ast.Node {
	n := &ast.CallNode{Callee: ident(loc, name), Arguments: args}
	n.SetLocation(loc)
	return n
}

func kindOf(n ast.Node) reflect.Kind {
	t := n.Type()
	if t == nil {
		return reflect.Interface
	}
	return t.Kind()
}

// typeFilter finds a top-level conjunct that tests the activity type
// against constants.
func typeFilter(n ast.Node) ([]string, bool) {
	b, ok := n.(*ast.BinaryNode)
	if !ok {
		return nil, false
	}
	switch b.Operator {
	case "&&", "and":
		if t, _ := typeFilter(b.Left); t != nil {
			return t, false
		}
		t, _ := typeFilter(b.Right)
		return t, false
	case "==":
		id, ok1 := b.Left.(*ast.IdentifierNode)
		s, ok2 := b.Right.(*ast.StringNode)
		if !ok1 || !ok2 {
			id, ok1 = b.Right.(*ast.IdentifierNode)
			s, ok2 = b.Left.(*ast.StringNode)
		}
		if ok1 && ok2 && id.Value == "type" {
			return []string{s.Value}, true
		}
	case "in":
		id, ok := b.Left.(*ast.IdentifierNode)
		list, ok2 := strList(b.Right)
		if ok && ok2 && id.Value == "type" && len(list) > 0 {
			return list, true
		}
	}
	return nil, false
}

// comparisons finds top-level conjuncts "name op number".
func comparisons(n ast.Node) []Comparison {
	var out []Comparison
	var rec func(n ast.Node)
	rec = func(n ast.Node) {
		b, ok := n.(*ast.BinaryNode)
		if !ok {
			return
		}
		if b.Operator == "&&" || b.Operator == "and" {
			rec(b.Left)
			rec(b.Right)
			return
		}
		id, ok := b.Left.(*ast.IdentifierNode)
		if !ok {
			return
		}
		v, ok := numConst(b.Right)
		if !ok {
			return
		}
		switch b.Operator {
		case "<", "<=", ">", ">=", "==":
			out = append(out, Comparison{Name: id.Value, Op: b.Operator, Value: v})
		}
	}
	rec(n)
	return out
}

// Ctx holds the state of evaluating programs of one Set for one lead: the
// lead, now, the precomputed activity counts, the boxed environment and a
// VM. It is not safe for concurrent use: use one per goroutine and reuse
// it across leads.
type Ctx struct {
	set    *Set
	lead   *lead.Lead
	now    time.Time
	counts []int
	starts []time.Time

	fit, engagement, total float64
	grade                  string

	rev    float64 // company.annual_revenue as float64, when revSet
	revSet bool

	env   LeadEnv
	boxed any // the boxed env; nil until a program needs the VM
	acts  []ActivityEnv
	vm    vm.VM

	lim   Limits // with defaults
	steps int64  // left for this lead
	mem   int64  // bytes left for this evaluation
}

// Reset points the context at a lead as of now and counts the lead's
// activities for every activity_count in the set, in one pass. Scores are
// reset to zero.
func (c *Ctx) Reset(l *lead.Lead, now time.Time) {
	c.lead, c.now, c.boxed, c.revSet = l, now, nil, false
	c.fit, c.engagement, c.total, c.grade = 0, 0, 0, ""
	c.steps = c.lim.Steps
	specs := c.set.specs
	if len(c.counts) < len(specs) { // a program compiled after NewCtx
		c.counts = make([]int, len(specs))
		c.starts = make([]time.Time, len(specs))
	}
	for i, sp := range specs {
		c.counts[i] = 0
		if sp.window > 0 {
			c.starts[i] = now.Add(-sp.window)
		}
	}
	if len(specs) == 0 {
		return
	}
	for i := range l.Activities {
		a := &l.Activities[i]
		if a.At.After(now) {
			continue
		}
		for j := range specs {
			if string(a.Type) == specs[j].typ && (specs[j].window == 0 || !a.At.Before(c.starts[j])) {
				c.counts[j]++
			}
		}
	}
}

// Clear drops the context's references to the last lead, so that a
// pooled context does not keep it alive.
func (c *Ctx) Clear() {
	c.lead, c.boxed, c.env = nil, nil, LeadEnv{}
	clear(c.acts)
	c.acts = c.acts[:0]
}

// SetScores sets fit, engagement, total and grade for qualification-scope
// programs.
func (c *Ctx) SetScores(fit, engagement, total float64, grade string) {
	c.fit, c.engagement, c.total, c.grade = fit, engagement, total, grade
	c.boxed = nil
}

// Lead returns the lead the context was last reset to.
func (c *Ctx) Lead() *lead.Lead { return c.lead }

// Now returns the evaluation time the context was last reset to.
func (c *Ctx) Now() time.Time { return c.now }

// revenue converts the lead's annual revenue once per lead.
func (c *Ctx) revenue() float64 {
	if !c.revSet {
		c.rev, c.revSet = DecimalFloat(c.lead.Company.AnnualRevenue), true
	}
	return c.rev
}

func (c *Ctx) box() any {
	if c.boxed != nil {
		return c.boxed
	}
	l := c.lead
	rev := c.revenue()
	c.env = LeadEnv{
		ID: l.ID,
		Person: PersonEnv{Name: l.Person.Name, Email: l.Person.Email, Title: l.Person.Title,
			Role: l.Person.Role, Department: l.Person.Department, Seniority: string(l.Person.Seniority)},
		Company: CompanyEnv{Name: l.Company.Name, Domain: l.Company.Domain, Industry: l.Company.Industry,
			Employees: l.Company.Employees, AnnualRevenue: rev, Country: l.Company.Country,
			Region: l.Company.Region, City: l.Company.City},
		Source: SourceEnv{Channel: string(l.Source.Channel), Campaign: l.Source.Campaign,
			Medium: l.Source.Medium, LandingPage: l.Source.LandingPage},
		Stage: string(l.Stage), Owner: l.Owner, CreatedAt: l.CreatedAt, Fields: l.Fields, Now: c.now,
		Fit: c.fit, Engagement: c.engagement, Total: c.total, Grade: c.grade,
		Ctx: c,
	}
	if c.set.needActivities {
		c.acts = c.acts[:0]
		for i := range l.Activities {
			if !l.Activities[i].At.After(c.now) {
				c.acts = append(c.acts, activityEnv(&l.Activities[i], c))
			}
		}
		c.env.Activities = c.acts
	}
	c.boxed = c.env
	return c.boxed
}

// Eval evaluates a lead- or qualification-scope program for the context's
// lead.
func (p *Program) Eval(c *Ctx) (bool, error) {
	if p.native != nil {
		switch p.native(c, nil) {
		case tTrue:
			return true, nil
		case tFalse:
			return false, nil
		}
	}
	if p.scope == ScopeActivity {
		return false, &Error{Path: p.path, Source: p.src, Msg: "activity-scope expression evaluated without an activity"}
	}
	if err := c.startRun(p.cost); err != nil {
		return false, newError(p.path, p.src, 0, err.Error(), err)
	}
	return p.result(c.vm.Run(p.prog, c.box()))
}

// EvalActivity evaluates an activity-scope program for one activity of
// the context's lead.
func (p *Program) EvalActivity(c *Ctx, a *lead.Activity) (bool, error) {
	if p.native != nil {
		switch p.native(c, a) {
		case tTrue:
			return true, nil
		case tFalse:
			return false, nil
		}
	}
	if p.scope != ScopeActivity {
		return p.Eval(c)
	}
	if err := c.startRun(p.cost); err != nil {
		return false, newError(p.path, p.src, 0, err.Error(), err)
	}
	return p.result(c.vm.Run(p.prog, activityEnv(a, c)))
}

func (p *Program) result(out any, err error) (bool, error) {
	if err != nil {
		e := fromExpr(p.path, p.src, err)
		if e.Err == nil && strings.Contains(e.Msg, "memory budget exceeded") {
			// The VM's own element budget panics with a string.
			e.Err = ErrMemoryBudget
		}
		return false, e
	}
	b, ok := out.(bool)
	if !ok {
		return false, &Error{Path: p.path, Source: p.src, Msg: fmt.Sprintf("must be a boolean, got %s", valueTypeName(out))}
	}
	return b, nil
}

func valueTypeName(v any) string {
	if v == nil {
		return "nil"
	}
	return typeName(reflect.TypeOf(v))
}
