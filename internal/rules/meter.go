package rules

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp/syntax"
	"strconv"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/vm/runtime"
)

// The cost meter. expr's VM (v1.17) bounds the elements a program
// allocates but not the steps it takes: its loops (all, any, map, ...)
// have no hook. Patching or forking the VM would tie leadkit to one
// version of it, so the bound is made from the outside instead, in three
// parts:
//
//   - Compile refuses what no scoring rule needs and what the meter could
//     not see: method values, calls of anything but the helpers, and the
//     builtins that sort, group, reshape or build unbounded values
//     (sort, sortBy, groupBy, uniq, keys, repeat, join, toJSON, ...).
//   - Compile rewrites the checked syntax tree so that every source of
//     unbounded work goes through a helper that charges a per-lead
//     budget held in the [Ctx]: each iteration of every predicate (the
//     body of all, any, map, filter, count, reduce, ...) is charged the
//     size of the body; inside a predicate, every operation whose cost
//     grows with its operands (matches, contains, ==, in, upper, split,
//     max, ...) is charged in proportion to the operand's length (outside
//     one it runs once, in time linear in the lead's data); every string
//     or slice a builtin builds is charged its bytes against the memory
//     budget; and a range from data (a..fields.n) is built by a checked
//     helper.
//   - Every evaluation on the VM is charged the size of the whole
//     program before it starts, so straight-line code is counted too.
//
// A step is roughly one node of the syntax tree executed once: tens of
// nanoseconds. What the meter does not charge is linear in the size of
// the rule (bounded by [MaxNodes]) times the size of the lead's own data.

// Limits bound what evaluating rules may cost. The zero value of each
// field means its default (see [DefaultLimits]).
type Limits struct {
	// Steps is the most work the programs of one [Set] may do for one
	// lead: everything evaluated between two calls of [Ctx.Reset]. A
	// step is about one syntax-tree node executed once (tens of
	// nanoseconds); loops, regular expressions and string operations
	// are charged by the size of what they walk.
	Steps int64
	// Memory is the most bytes one evaluation may build: arrays (16
	// bytes an element, the size of an interface) and strings and
	// slices built by builtins (their length) each get half.
	Memory int64
}

// Defaults of [Limits]. One million steps is 10-60 ms of VM time for one
// lead: a rule that walks a lead's 10,000 activities with a 20-node
// condition uses a fifth of it. Eight MiB of memory per evaluation is
// more than 200,000 array elements.
const (
	DefaultSteps  = 1_000_000
	DefaultMemory = 8 << 20
)

// DefaultLimits returns the limits used when none are set.
func DefaultLimits() Limits { return Limits{Steps: DefaultSteps, Memory: DefaultMemory} }

// WithDefaults returns l with every zero or negative field replaced by
// its default.
func (l Limits) WithDefaults() Limits {
	if l.Steps <= 0 {
		l.Steps = DefaultSteps
	}
	if l.Memory <= 0 {
		l.Memory = DefaultMemory
	}
	return l
}

// ErrStepBudget is the cause of a runtime error when the rules of one
// lead exceed [Limits.Steps].
var ErrStepBudget = errors.New("step budget exceeded")

// ErrMemoryBudget is the cause of a runtime error when one evaluation
// exceeds [Limits.Memory].
var ErrMemoryBudget = errors.New("memory budget exceeded")

// elemBytes is what the meter counts for one element of an array that
// the VM builds: the size of an interface value.
const elemBytes = 16

// spend charges n steps.
func (c *Ctx) spend(n int64) error {
	c.steps -= n
	if c.steps < 0 {
		return fmt.Errorf("%w: the rules of one lead may take %d steps", ErrStepBudget, c.lim.Steps)
	}
	return nil
}

// alloc charges n bytes of memory.
func (c *Ctx) alloc(n int64) error {
	c.mem -= n
	if c.mem < 0 {
		return fmt.Errorf("%w: one evaluation may build %d bytes", ErrMemoryBudget, c.lim.Memory)
	}
	return nil
}

// startRun prepares the meter for one VM evaluation of a program of the
// given static cost.
func (c *Ctx) startRun(cost int64) error {
	c.mem = c.lim.Memory / 2
	c.vm.MemoryBudget = uint(max(1, c.lim.Memory/2/elemBytes))
	return c.spend(cost)
}

// Cost classes of a charged operand: the steps per byte of a string (or
// per element of an array) walked.
const (
	scanBytesPerStep = 64 // memcmp, strings.Contains, upper: fast byte loops
)

// size returns the length of a string, array or slice, 1 for a map
// (every operation the rules allow on a map is a lookup) and 0 otherwise.
func size(v any) int64 {
	switch v := v.(type) {
	case nil:
		return 0
	case string:
		return int64(len(v))
	case []any:
		return int64(len(v))
	case []int:
		return int64(len(v))
	case []string:
		return int64(len(v))
	case []float64:
		return int64(len(v))
	case map[string]any:
		return 1
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String, reflect.Slice, reflect.Array:
		return int64(rv.Len())
	case reflect.Map:
		return 1
	}
	return 0
}

// chargeWork charges the work of walking v: a string's bytes at
// scanBytesPerStep (times weight), an array's elements one step each
// (times weight).
func (c *Ctx) chargeWork(v any, weight int64) error {
	n := size(v)
	if _, isStr := v.(string); isStr || reflect.TypeOf(v) != nil && reflect.TypeOf(v).Kind() == reflect.String {
		n /= scanBytesPerStep
	}
	return c.spend(1 + n*weight)
}

// builtBytes is the memory a value built by a builtin takes.
func builtBytes(v any) int64 {
	switch v := v.(type) {
	case string:
		return int64(len(v))
	case []string:
		n := int64(len(v)) * elemBytes
		for _, s := range v {
			n += int64(len(s))
		}
		return n
	case []any:
		return int64(len(v)) * elemBytes
	}
	return 0
}

func ctxArg(v any) (*Ctx, error) {
	c, _ := v.(*Ctx)
	if c == nil {
		return nil, errors.New("rule evaluated without a context")
	}
	return c, nil
}

// sameType is a Validate for a helper whose last argument passes through.
func sameType(args []reflect.Type) (reflect.Type, error) {
	if len(args) == 0 || args[len(args)-1] == nil {
		return anyType, nil
	}
	return args[len(args)-1], nil
}

var (
	anyType      = reflect.TypeOf((*any)(nil)).Elem()
	intType      = reflect.TypeOf(0)
	stringType   = reflect.TypeOf("")
	durationType = reflect.TypeOf(time.Duration(0))
	timeType     = reflect.TypeOf(time.Time{})
	intsType     = reflect.TypeOf([]int(nil))
)

// meterFunctions are the internal helpers the rewrite inserts. Their
// names start with "_", which rule text cannot use.
func meterFunctions() []*builtin.Function {
	return []*builtin.Function{
		{ // _tick(_ctx, n): one iteration of a predicate whose body has n nodes
			Name: "_tick",
			Func: func(args ...any) (any, error) {
				c, err := ctxArg(args[0])
				if err != nil {
					return nil, err
				}
				return nil, c.spend(int64(args[1].(int)))
			},
			Types: []reflect.Type{reflect.TypeOf(func(*Ctx, int) any { return nil })},
		},
		{ // _work(_ctx, weight, x): charge walking x, return x
			Name: "_work",
			Func: func(args ...any) (any, error) {
				c, err := ctxArg(args[0])
				if err != nil {
					return nil, err
				}
				return args[2], c.chargeWork(args[2], int64(args[1].(int)))
			},
			Validate: sameType,
		},
		{ // _built(_ctx, x): charge the bytes of x, built by a builtin, return x
			Name: "_built",
			Func: func(args ...any) (any, error) {
				c, err := ctxArg(args[0])
				if err != nil {
					return nil, err
				}
				return args[1], c.alloc(builtBytes(args[1]))
			},
			Validate: sameType,
		},
		{ // _norm(x): a value read from data, with unsigned and sized integers made int
			Name: "_norm",
			Func: func(args ...any) (any, error) { return normalize(args[0]) },
			Validate: func(args []reflect.Type) (reflect.Type, error) {
				if len(args) == 1 && args[0] != nil && args[0].Kind() != reflect.Interface {
					return args[0], nil
				}
				return anyType, nil
			},
		},
		{ // _range(_ctx, a, b): a..b with the size checked and charged
			Name: "_range",
			Func: func(args ...any) (any, error) {
				c, err := ctxArg(args[0])
				if err != nil {
					return nil, err
				}
				return makeRange(c, args[1], args[2])
			},
			Validate: func([]reflect.Type) (reflect.Type, error) { return intsType, nil },
		},
		{
			Name:     "_add",
			Func:     func(args ...any) (any, error) { return arith(args[0], '+', args[1], args[2]) },
			Validate: arithType('+'),
		},
		{
			Name:     "_sub",
			Func:     func(args ...any) (any, error) { return arith(args[0], '-', args[1], args[2]) },
			Validate: arithType('-'),
		},
		{
			Name:     "_mul",
			Func:     func(args ...any) (any, error) { return arith(args[0], '*', args[1], args[2]) },
			Validate: arithType('*'),
		},
		{
			Name: "_neg",
			Func: func(args ...any) (any, error) { return negate(args[0]) },
			Validate: func(args []reflect.Type) (reflect.Type, error) {
				if len(args) == 1 && args[0] != nil && args[0].Kind() != reflect.Interface {
					return args[0], nil
				}
				return anyType, nil
			},
		},
		{
			Name:     "_int",
			Func:     func(args ...any) (any, error) { return toInt(args[0]) },
			Validate: func([]reflect.Type) (reflect.Type, error) { return intType, nil },
		},
		{
			Name: "_abs",
			Func: func(args ...any) (any, error) {
				if i, ok := args[0].(int); ok {
					if i == math.MinInt {
						return nil, overflow("abs", args[0], nil)
					}
					if i < 0 {
						return -i, nil
					}
					return i, nil
				}
				return builtin.Abs(args[0]), nil
			},
			Validate: func(args []reflect.Type) (reflect.Type, error) {
				if len(args) == 1 && args[0] != nil && args[0].Kind() != reflect.Interface {
					return args[0], nil
				}
				return anyType, nil
			},
		},
	}
}

// normalize makes the integers of a custom field int, so that the VM
// compares and adds them exactly: a uint64 above the int range is an
// error rather than a silently negative number.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case int8:
		return int(x), nil
	case int16:
		return int(x), nil
	case int32:
		return int(x), nil
	case int64:
		if int64(int(x)) != x {
			return nil, fmt.Errorf("custom field value %d does not fit in a rule's integer", x)
		}
		return int(x), nil
	case uint8:
		return int(x), nil
	case uint16:
		return int(x), nil
	case uint32:
		return int(x), nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return nil, fmt.Errorf("custom field value %d is larger than %d, the largest integer rules handle", x, int64(math.MaxInt64))
		}
		return int(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return nil, fmt.Errorf("custom field value %d is larger than %d, the largest integer rules handle", x, int64(math.MaxInt64))
		}
		return int(x), nil
	case uintptr:
		return nil, fmt.Errorf("custom field of type uintptr is not supported")
	case float32:
		return float64(x), nil
	}
	return v, nil
}

func overflow(op string, a, b any) error {
	if b == nil {
		return fmt.Errorf("integer overflow: %s(%v)", op, a)
	}
	return fmt.Errorf("integer overflow: %v %s %v is outside the range of a 64-bit integer", a, op, b)
}

// checked computes a op b on int64, reporting overflow.
func checked(op byte, a, b int64) (int64, bool) {
	switch op {
	case '+':
		r := a + b
		return r, (r > a) == (b > 0)
	case '-':
		r := a - b
		return r, (r < a) == (b > 0)
	default:
		if a == 0 || b == 0 {
			return 0, true
		}
		r := a * b
		if (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) || r/b != a {
			return 0, false
		}
		return r, true
	}
}

// arith is +, - or * with integer and duration overflow refused and
// string concatenation bounded by MaxStringLen and the memory budget.
// Other operand types get expr's own operators.
func arith(ctx any, op byte, a, b any) (any, error) {
	opName := string(op)
	switch x := a.(type) {
	case int:
		switch y := b.(type) {
		case int:
			r, ok := checked(op, int64(x), int64(y))
			if !ok {
				return nil, overflow(opName, a, b)
			}
			return int(r), nil
		case time.Duration:
			if op == '*' {
				r, ok := checked(op, int64(x), int64(y))
				if !ok {
					return nil, overflow(opName, a, b)
				}
				return time.Duration(r), nil
			}
		}
	case time.Duration:
		switch y := b.(type) {
		case time.Duration:
			if op != '*' {
				r, ok := checked(op, int64(x), int64(y))
				if !ok {
					return nil, overflow(opName, a, b)
				}
				return time.Duration(r), nil
			}
		case int:
			if op == '*' {
				r, ok := checked(op, int64(x), int64(y))
				if !ok {
					return nil, overflow(opName, a, b)
				}
				return time.Duration(r), nil
			}
		}
	case string:
		if y, ok := b.(string); ok && op == '+' {
			if c, _ := ctx.(*Ctx); c != nil {
				if err := c.alloc(int64(len(x) + len(y))); err != nil {
					return nil, err
				}
			}
			return concat(x, y)
		}
	case time.Time:
		if y, ok := b.(time.Duration); ok && op == '-' && y == math.MinInt64 {
			return nil, overflow(opName, a, b)
		}
	}
	// expr's operators panic on bad types; the VM recovers and reports.
	switch op {
	case '+':
		return runtime.Add(a, b), nil
	case '-':
		return runtime.Subtract(a, b), nil
	default:
		return runtime.Multiply(a, b), nil
	}
}

// arithType gives the checked operators the result types of expr's own,
// for the operand types that may overflow; anything else is unknown
// until run time.
func arithType(op byte) func(args []reflect.Type) (reflect.Type, error) {
	return func(args []reflect.Type) (reflect.Type, error) {
		if len(args) != 3 || args[1] == nil || args[2] == nil {
			return anyType, nil
		}
		a, b := args[1], args[2]
		switch {
		case a == intType && b == intType:
			return intType, nil
		case a == durationType && b == durationType && op != '*':
			return durationType, nil
		case op == '*' && (a == durationType && b == intType || a == intType && b == durationType):
			return durationType, nil
		case a == stringType && b == stringType && op == '+':
			return stringType, nil
		case a == timeType && b == durationType && op != '*':
			return timeType, nil
		}
		return anyType, nil
	}
}

func negate(v any) (any, error) {
	switch x := v.(type) {
	case int:
		if x == math.MinInt {
			return nil, overflow("-", v, nil)
		}
		return -x, nil
	case time.Duration:
		if x == math.MinInt64 {
			return nil, overflow("-", v, nil)
		}
		return -x, nil
	}
	return runtime.Negate(v), nil
}

// toInt is the builtin int() with out-of-range floats refused.
func toInt(v any) (any, error) {
	v, err := normalize(v)
	if err != nil {
		return nil, err
	}
	switch x := v.(type) {
	case int:
		return x, nil
	case float64:
		if math.IsNaN(x) || x >= 1<<63 || x < -(1<<63) {
			return nil, fmt.Errorf("int(%v): out of the range of a 64-bit integer", x)
		}
		return int(x), nil
	case string:
		i, err := strconv.Atoi(x)
		if err != nil {
			if len(x) > 32 {
				x = x[:32] + "..."
			}
			return nil, fmt.Errorf("int(%q): not an integer", x)
		}
		return i, nil
	}
	return builtin.Int(v), nil // panics on a bad type; the VM recovers
}

// makeRange builds a..b, refusing operands that are not integers and
// charging the range's memory.
func makeRange(c *Ctx, a, b any) ([]int, error) {
	a, err := normalize(a)
	if err != nil {
		return nil, err
	}
	b, err = normalize(b)
	if err != nil {
		return nil, err
	}
	lo, ok1 := a.(int)
	hi, ok2 := b.(int)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("range %v..%v: both ends must be integers", a, b)
	}
	if hi < lo {
		return []int{}, nil
	}
	n, ok := checked('-', int64(hi), int64(lo))
	if !ok || n >= math.MaxInt64/8 {
		return nil, fmt.Errorf("%w: range %d..%d is too large", ErrMemoryBudget, lo, hi)
	}
	n++
	if err := c.alloc(n * 8); err != nil {
		return nil, err
	}
	if err := c.spend(n / 8); err != nil {
		return nil, err
	}
	out := make([]int, n)
	for i := range out {
		out[i] = lo + i
	}
	return out, nil
}

// regexWeight is half the steps charged per byte of input for a
// regular expression (the rewrite scales it): Go's regexp runs in time
// proportional to the input times the size of the compiled program.
func regexWeight(pattern string) int64 {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return 64
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return 64
	}
	return int64(max(1, len(prog.Inst)/2))
}

// meter rewrites the checked tree so that evaluation is charged to the
// context (see the top of this file). It reports whether it changed
// anything (the tree must then be checked again), and whether the cost
// of an evaluation depends on the data (loops, operations charged by the
// size of their operands).
func meter(root *ast.Node) (changed, variable bool) {
	ctx := func(loc fileLocation) ast.Node { return ident(loc, "_ctx") }
	inLoop := 0 // how many predicate bodies enclose the node
	// wrapWork charges the work of walking an operand. Outside a loop
	// an operation runs once per evaluation, its work linear in the
	// lead's data and already bounded; inside one it runs per iteration.
	wrapWork := func(np *ast.Node, weight int) {
		n := *np
		if isConst(n) || inLoop == 0 {
			return
		}
		*np = call(n.Location(), "_work", ctx(n.Location()), integer(n.Location(), weight), n)
		changed, variable = true, true
	}
	var rec func(np *ast.Node, parent ast.Node)
	rec = func(np *ast.Node, parent ast.Node) {
		n := *np
		if n == nil {
			return
		}
		_, isPred := n.(*ast.PredicateNode)
		if isPred {
			inLoop++
		}
		for _, c := range childSlots(n) {
			rec(c, n)
		}
		if isPred {
			inLoop--
		}
		loc := n.Location()
		switch n := n.(type) {
		case *ast.PredicateNode:
			// The body's nodes, the tick call's own 4 and 2 for the loop.
			cost := countNodes(n.Node) + 6
			seq := &ast.SequenceNode{Nodes: []ast.Node{call(loc, "_tick", ctx(loc), integer(loc, cost)), n.Node}}
			seq.SetLocation(n.Node.Location())
			n.Node = seq
			changed, variable = true, true
		case *ast.MemberNode, *ast.ChainNode, *ast.PointerNode:
			if kindOf(n) != reflect.Interface {
				return
			}
			if _, ok := parent.(*ast.ChainNode); ok {
				return
			}
			if m, ok := parent.(*ast.MemberNode); ok && m.Node == n {
				return
			}
			if p, ok := n.(*ast.PointerNode); ok && p.Name == "acc" {
				return
			}
			*np = call(loc, "_norm", n)
			changed = true
		case *ast.UnaryNode:
			if n.Operator == "-" && mayOverflow(kindOf(n.Node)) && !isConst(n.Node) {
				*np = call(loc, "_neg", n.Node)
				changed = true
			}
		case *ast.BinaryNode:
			switch n.Operator {
			case "+", "-", "*":
				lk, rk := kindOf(n.Left), kindOf(n.Right)
				if !mayOverflow(lk) && !mayOverflow(rk) && lk != reflect.String && rk != reflect.String {
					return
				}
				name := map[string]string{"+": "_add", "-": "_sub", "*": "_mul"}[n.Operator]
				*np = call(loc, name, ctx(loc), n.Left, n.Right)
				changed = true
			case "..":
				_, aok := intConst(n.Left)
				_, bok := intConst(n.Right)
				if aok && bok {
					return // vetted against MaxRange
				}
				*np = call(loc, "_range", ctx(loc), n.Left, n.Right)
				changed, variable = true, true
			case "contains", "startsWith", "endsWith":
				wrapWork(&n.Left, 1)
				wrapWork(&n.Right, 1)
			case "matches":
				w := int64(64)
				if s, ok := n.Right.(*ast.StringNode); ok {
					w = regexWeight(s.Value)
				}
				wrapWork(&n.Left, int(w*scanBytesPerStep/8))
			case "in":
				if _, ok := n.Right.(*ast.ArrayNode); ok {
					wrapWork(&n.Left, 1)
					return
				}
				wrapWork(&n.Right, 1)
			case "==", "!=", "<", ">", "<=", ">=":
				if isConst(n.Left) || isConst(n.Right) {
					return
				}
				switch kindOf(n.Left) {
				case reflect.String, reflect.Interface, reflect.Slice, reflect.Map, reflect.Array:
					wrapWork(&n.Left, 1)
				}
			}
		case *ast.BuiltinNode:
			switch n.Name {
			case "upper", "lower", "trim", "trimPrefix", "trimSuffix", "split":
				for i := range n.Arguments {
					wrapWork(&n.Arguments[i], 1)
				}
				*np = call(loc, "_built", ctx(loc), n)
				changed = true
			case "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix", "float",
				"max", "min", "mean", "median":
				for i := range n.Arguments {
					wrapWork(&n.Arguments[i], 1)
				}
			case "int":
				if len(n.Arguments) == 1 {
					wrapWork(&n.Arguments[0], 1)
					*np = call(loc, "_int", n.Arguments[0])
					changed = true
				}
			case "abs":
				if len(n.Arguments) == 1 && mayOverflow(kindOf(n.Arguments[0])) {
					*np = call(loc, "_abs", n.Arguments[0])
					changed = true
				}
			case "sum":
				// sum adds with expr's unchecked +: make it a reduce
				// with the checked one. The predicate, if any, already
				// carries its tick.
				var body ast.Node
				if len(n.Arguments) == 2 {
					if p, ok := n.Arguments[1].(*ast.PredicateNode); ok {
						body = p.Node
						// Charge the checked add too.
						if seq, ok := body.(*ast.SequenceNode); ok {
							if tick, ok := seq.Nodes[0].(*ast.CallNode); ok {
								if w, ok := tick.Arguments[1].(*ast.IntegerNode); ok {
									w.Value += 12
								}
							}
						}
					}
				}
				if body == nil {
					ptr := &ast.PointerNode{}
					ptr.SetLocation(loc)
					body = &ast.SequenceNode{Nodes: []ast.Node{call(loc, "_tick", ctx(loc), integer(loc, 12)), ptr}} // the add, the tick, the pointer and the boxing of each partial sum
					body.SetLocation(loc)
				}
				acc := &ast.PointerNode{Name: "acc"}
				acc.SetLocation(loc)
				pred := &ast.PredicateNode{Node: call(loc, "_add", ctx(loc), acc, body)}
				pred.SetLocation(loc)
				red := &ast.BuiltinNode{Name: "reduce", Arguments: []ast.Node{n.Arguments[0], pred, integer(loc, 0)}}
				red.SetLocation(loc)
				*np = red
				changed = true
			}
		}
	}
	rec(root, nil)
	return changed, variable
}

// mayOverflow reports whether arithmetic on a value of kind k may wrap:
// integers (ints and durations) and values whose type is unknown.
func mayOverflow(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8,
		reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Uint16, reflect.Uint8, reflect.Interface:
		return true
	}
	return false
}

// isConst reports whether n is a literal: its cost is bounded by the
// rule's own length.
func isConst(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.StringNode, *ast.BoolNode, *ast.NilNode, *ast.ConstantNode:
		return true
	case *ast.UnaryNode:
		return isConst(n.Node)
	}
	return false
}

// intConst returns the value of an integer literal, possibly negated.
func intConst(n ast.Node) (int, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return n.Value, true
	case *ast.UnaryNode:
		if v, ok := intConst(n.Node); ok && v != math.MinInt {
			switch n.Operator {
			case "-":
				return -v, true
			case "+":
				return v, true
			}
		}
	}
	return 0, false
}

// countNodes returns the number of nodes of the tree at n.
func countNodes(n ast.Node) int {
	if n == nil {
		return 0
	}
	c := 1
	for _, ch := range children(n) {
		c += countNodes(ch)
	}
	return c
}
