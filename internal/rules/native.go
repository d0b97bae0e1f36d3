package rules

import (
	"cmp"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/leadkit/leadkit/lead"
)

// The native path. Most scoring rules are a handful of comparisons of a
// lead field with constants. Those are compiled to Go closures that read
// the lead directly, without building an environment or running the VM.
// A closure answers true, false or "unknown": unknown means a value had a
// type the closure does not handle (a custom field holding a time, say),
// and the VM program, always compiled too, gives the authoritative answer
// (or the error). A differential test checks that both paths agree.

type tri int8

const (
	tFalse   tri = 0
	tTrue    tri = 1
	tUnknown tri = -1
)

type nativeFn func(c *Ctx, a *lead.Activity) tri

type valKind int

const (
	vStr valKind = iota + 1
	vNum
	vAny
)

type val struct {
	kind valKind
	str  func(c *Ctx, a *lead.Activity) string
	num  func(c *Ctx, a *lead.Activity) float64
	any  func(c *Ctx, a *lead.Activity) any
}

type nativeCompiler struct {
	set   *Set
	scope Scope
}

func numConst(n ast.Node) (float64, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.UnaryNode:
		if n.Operator == "-" {
			v, ok := numConst(n.Node)
			return -v, ok
		}
		if n.Operator == "+" {
			return numConst(n.Node)
		}
	}
	return 0, false
}

func strList(n ast.Node) ([]string, bool) {
	arr, ok := n.(*ast.ArrayNode)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(arr.Nodes))
	for _, e := range arr.Nodes {
		s, ok := e.(*ast.StringNode)
		if !ok {
			return nil, false
		}
		out = append(out, s.Value)
	}
	return out, true
}

func numList(n ast.Node) ([]float64, bool) {
	arr, ok := n.(*ast.ArrayNode)
	if !ok {
		return nil, false
	}
	out := make([]float64, 0, len(arr.Nodes))
	for _, e := range arr.Nodes {
		v, ok := numConst(e)
		if !ok {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

func constFn(b bool) nativeFn {
	if b {
		return func(*Ctx, *lead.Activity) tri { return tTrue }
	}
	return func(*Ctx, *lead.Activity) tri { return tFalse }
}

func triOf(b bool) tri {
	if b {
		return tTrue
	}
	return tFalse
}

// flip mirrors a comparison so that the constant is on the right.
func flip(op string) string {
	switch op {
	case "<":
		return ">"
	case "<=":
		return ">="
	case ">":
		return "<"
	case ">=":
		return "<="
	}
	return op
}

func isCmp(op string) bool {
	switch op {
	case "==", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func (nc *nativeCompiler) bool(n ast.Node) (nativeFn, bool) {
	switch n := n.(type) {
	case *ast.BoolNode:
		return constFn(n.Value), true
	case *ast.UnaryNode:
		if n.Operator != "!" && n.Operator != "not" {
			return nil, false
		}
		f, ok := nc.bool(n.Node)
		if !ok {
			return nil, false
		}
		return func(c *Ctx, a *lead.Activity) tri {
			switch f(c, a) {
			case tTrue:
				return tFalse
			case tFalse:
				return tTrue
			}
			return tUnknown
		}, true
	case *ast.BinaryNode:
		return nc.binary(n)
	case *ast.CallNode:
		return nc.call(n)
	}
	return nil, false
}

func (nc *nativeCompiler) binary(n *ast.BinaryNode) (nativeFn, bool) {
	switch n.Operator {
	case "&&", "and", "||", "or":
		l, ok1 := nc.bool(n.Left)
		r, ok2 := nc.bool(n.Right)
		if !ok1 || !ok2 {
			return nil, false
		}
		if n.Operator == "&&" || n.Operator == "and" {
			return func(c *Ctx, a *lead.Activity) tri {
				if x := l(c, a); x != tTrue {
					return x
				}
				return r(c, a)
			}, true
		}
		return func(c *Ctx, a *lead.Activity) tri {
			if x := l(c, a); x != tFalse {
				return x
			}
			return r(c, a)
		}, true
	}
	left, right, op := n.Left, n.Right, n.Operator
	if isCmp(op) {
		if _, isConst := constant(left); isConst {
			left, right, op = right, left, flip(op)
		}
	}
	v, ok := nc.value(left)
	if !ok {
		return nil, false
	}
	switch {
	case isCmp(op):
		return cmpConst(v, op, right)
	case op == "in":
		return inList(v, right)
	case op == "contains" || op == "startsWith" || op == "endsWith":
		s, ok := right.(*ast.StringNode)
		if !ok || v.kind != vStr {
			return nil, false
		}
		get, sub := v.str, s.Value
		var f func(string, string) bool
		switch op {
		case "contains":
			f = strings.Contains
		case "startsWith":
			f = strings.HasPrefix
		default:
			f = strings.HasSuffix
		}
		return func(c *Ctx, a *lead.Activity) tri { return triOf(f(get(c, a), sub)) }, true
	case op == "matches":
		s, ok := right.(*ast.StringNode)
		if !ok || v.kind != vStr {
			return nil, false
		}
		re, err := regexp.Compile(s.Value)
		if err != nil {
			return nil, false
		}
		get := v.str
		return func(c *Ctx, a *lead.Activity) tri { return triOf(re.MatchString(get(c, a))) }, true
	}
	return nil, false
}

// constant reports whether n is a string, number or bool literal.
func constant(n ast.Node) (any, bool) {
	switch n := n.(type) {
	case *ast.StringNode:
		return n.Value, true
	case *ast.BoolNode:
		return n.Value, true
	}
	if v, ok := numConst(n); ok {
		return v, true
	}
	return nil, false
}

// compare applies the comparison operator op (==, !=, <, <=, >, >=) to x
// and k.
func compare[T cmp.Ordered](op string, x, k T) bool {
	switch op {
	case "==":
		return x == k
	case "!=":
		return x != k
	case "<":
		return x < k
	case "<=":
		return x <= k
	case ">":
		return x > k
	default:
		return x >= k
	}
}

// toFloat converts a Go number to float64; ok is false for non-numbers and
// for integers too large to convert exactly.
func toFloat(x any) (float64, bool) {
	const exact = 1 << 53
	switch v := x.(type) {
	case int:
		return float64(v), v >= -exact && v <= exact
	case int8:
		return float64(v), true
	case int16:
		return float64(v), true
	case int32:
		return float64(v), true
	case int64:
		return float64(v), v >= -exact && v <= exact
	case uint8:
		return float64(v), true
	case uint16:
		return float64(v), true
	case uint32:
		return float64(v), true
	case float32:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func cmpConst(v val, op string, right ast.Node) (nativeFn, bool) {
	k, ok := constant(right)
	if !ok {
		return nil, false
	}
	eq := op == "==" || op == "!="
	switch v.kind {
	case vStr:
		ks, ok := k.(string)
		if !ok {
			return nil, false
		}
		get := v.str
		switch op { // the common cases without the op switch per call
		case "==":
			return func(c *Ctx, a *lead.Activity) tri { return triOf(get(c, a) == ks) }, true
		case "!=":
			return func(c *Ctx, a *lead.Activity) tri { return triOf(get(c, a) != ks) }, true
		}
		return func(c *Ctx, a *lead.Activity) tri { return triOf(compare(op, get(c, a), ks)) }, true
	case vNum:
		kf, ok := k.(float64)
		if !ok {
			return nil, false
		}
		get := v.num
		switch op {
		case ">=":
			return func(c *Ctx, a *lead.Activity) tri { return triOf(get(c, a) >= kf) }, true
		case "<":
			return func(c *Ctx, a *lead.Activity) tri { return triOf(get(c, a) < kf) }, true
		}
		return func(c *Ctx, a *lead.Activity) tri { return triOf(compare(op, get(c, a), kf)) }, true
	case vAny:
		get := v.any
		ne := op == "!="
		switch kv := k.(type) {
		case string:
			return func(c *Ctx, a *lead.Activity) tri {
				switch x := get(c, a).(type) {
				case string:
					return triOf(compare(op, x, kv))
				case nil, bool, int, int64, float64:
					if eq {
						return triOf(ne)
					}
				}
				return tUnknown
			}, true
		case float64:
			return func(c *Ctx, a *lead.Activity) tri {
				x := get(c, a)
				if f, ok := toFloat(x); ok {
					return triOf(compare(op, f, kv))
				}
				switch x.(type) {
				case nil, string, bool:
					if eq {
						return triOf(ne)
					}
				}
				return tUnknown
			}, true
		case bool:
			if !eq {
				return nil, false
			}
			return func(c *Ctx, a *lead.Activity) tri {
				switch x := get(c, a).(type) {
				case bool:
					return triOf((x == kv) != ne)
				case nil, string, int, int64, float64:
					return triOf(ne)
				}
				return tUnknown
			}, true
		}
	}
	return nil, false
}

func inList(v val, right ast.Node) (nativeFn, bool) {
	if list, ok := strList(right); ok {
		set := make(map[string]struct{}, len(list))
		for _, s := range list {
			set[s] = struct{}{}
		}
		switch v.kind {
		case vStr:
			get := v.str
			if len(list) <= 8 {
				return func(c *Ctx, a *lead.Activity) tri { return triOf(slices.Contains(list, get(c, a))) }, true
			}
			return func(c *Ctx, a *lead.Activity) tri { _, ok := set[get(c, a)]; return triOf(ok) }, true
		case vAny:
			get := v.any
			return func(c *Ctx, a *lead.Activity) tri {
				if s, ok := get(c, a).(string); ok {
					_, in := set[s]
					return triOf(in)
				}
				return tUnknown
			}, true
		}
		return nil, false
	}
	if list, ok := numList(right); ok && v.kind == vNum {
		get := v.num
		return func(c *Ctx, a *lead.Activity) tri { return triOf(slices.Contains(list, get(c, a))) }, true
	}
	return nil, false
}

func (nc *nativeCompiler) call(n *ast.CallNode) (nativeFn, bool) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil, false
	}
	switch id.Value {
	case "icontains":
		v, ok := nc.value(n.Arguments[0])
		s, ok2 := n.Arguments[1].(*ast.StringNode)
		if !ok || !ok2 || v.kind != vStr {
			return nil, false
		}
		get, sub := v.str, s.Value
		return func(c *Ctx, a *lead.Activity) tri { return triOf(IContains(get(c, a), sub)) }, true
	case "iin":
		v, ok := nc.value(n.Arguments[0])
		list, ok2 := strList(n.Arguments[1])
		if !ok || !ok2 || v.kind != vStr {
			return nil, false
		}
		get := v.str
		return func(c *Ctx, a *lead.Activity) tri {
			s := get(c, a)
			for _, t := range list {
				if strings.EqualFold(s, t) {
					return tTrue
				}
			}
			return tFalse
		}, true
	case "free_email":
		v, ok := nc.value(n.Arguments[0])
		if !ok || v.kind != vStr {
			return nil, false
		}
		get := v.str
		return func(c *Ctx, a *lead.Activity) tri { return triOf(FreeEmail(get(c, a))) }, true
	}
	return nil, false
}

func strVal(f func(c *Ctx, a *lead.Activity) string) (val, bool) {
	return val{kind: vStr, str: f}, true
}

func numVal(f func(c *Ctx, a *lead.Activity) float64) (val, bool) {
	return val{kind: vNum, num: f}, true
}

// value resolves a name or helper call to a getter.
func (nc *nativeCompiler) value(n ast.Node) (val, bool) {
	act := nc.scope == ScopeActivity
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if act {
			switch n.Value {
			case "type":
				return strVal(func(_ *Ctx, a *lead.Activity) string { return string(a.Type) })
			case "actor":
				return strVal(func(_ *Ctx, a *lead.Activity) string { return a.Actor })
			case "campaign":
				return strVal(func(_ *Ctx, a *lead.Activity) string { return a.Campaign })
			case "url":
				return strVal(func(_ *Ctx, a *lead.Activity) string { return a.URL })
			}
			return val{}, false
		}
		switch n.Value {
		case "id":
			return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.ID })
		case "stage":
			return strVal(func(c *Ctx, _ *lead.Activity) string { return string(c.lead.Stage) })
		case "owner":
			return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Owner })
		}
		if nc.scope == ScopeQualify {
			switch n.Value {
			case "grade":
				return strVal(func(c *Ctx, _ *lead.Activity) string { return c.grade })
			case "fit":
				return numVal(func(c *Ctx, _ *lead.Activity) float64 { return c.fit })
			case "engagement":
				return numVal(func(c *Ctx, _ *lead.Activity) float64 { return c.engagement })
			case "total":
				return numVal(func(c *Ctx, _ *lead.Activity) float64 { return c.total })
			}
		}
	case *ast.MemberNode:
		base, ok := n.Node.(*ast.IdentifierNode)
		prop, ok2 := n.Property.(*ast.StringNode)
		if !ok || !ok2 {
			return val{}, false
		}
		k := prop.Value
		if base.Value == "fields" {
			if act {
				return val{kind: vAny, any: func(_ *Ctx, a *lead.Activity) any { return a.Fields[k] }}, true
			}
			return val{kind: vAny, any: func(c *Ctx, _ *lead.Activity) any { return c.lead.Fields[k] }}, true
		}
		if act {
			return val{}, false
		}
		return leadMember(base.Value, k)
	case *ast.BinaryNode:
		// fields.x ?? constant: the custom field, or the default when the
		// field is missing or nil.
		if n.Operator != "??" {
			return val{}, false
		}
		v, ok := nc.value(n.Left)
		if !ok || v.kind != vAny {
			return val{}, false
		}
		var def any
		switch k := n.Right.(type) {
		case *ast.StringNode:
			def = k.Value
		case *ast.IntegerNode:
			def = k.Value
		case *ast.FloatNode:
			def = k.Value
		case *ast.BoolNode:
			def = k.Value
		default:
			return val{}, false
		}
		get := v.any
		return val{kind: vAny, any: func(c *Ctx, a *lead.Activity) any {
			if x := get(c, a); x != nil {
				return x
			}
			return def
		}}, true
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return val{}, false
		}
		switch id.Value {
		case "_count":
			i := n.Arguments[1].(*ast.IntegerNode).Value
			return numVal(func(c *Ctx, _ *lead.Activity) float64 { return float64(c.counts[i]) })
		case "_days_since":
			t, ok := n.Arguments[1].(*ast.IdentifierNode)
			if !ok {
				return val{}, false
			}
			switch {
			case t.Value == "created_at" && !act:
				return numVal(func(c *Ctx, _ *lead.Activity) float64 { return DaysSince(c.now, c.lead.CreatedAt) })
			case t.Value == "at" && act:
				return numVal(func(c *Ctx, a *lead.Activity) float64 { return DaysSince(c.now, a.At) })
			}
		}
	}
	return val{}, false
}

func leadMember(base, k string) (val, bool) {
	switch base + "." + k {
	case "person.name":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Person.Name })
	case "person.email":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Person.Email })
	case "person.title":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Person.Title })
	case "person.role":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Person.Role })
	case "person.department":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Person.Department })
	case "person.seniority":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return string(c.lead.Person.Seniority) })
	case "company.name":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Company.Name })
	case "company.domain":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Company.Domain })
	case "company.industry":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Company.Industry })
	case "company.country":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Company.Country })
	case "company.region":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Company.Region })
	case "company.city":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Company.City })
	case "company.employees":
		return numVal(func(c *Ctx, _ *lead.Activity) float64 { return float64(c.lead.Company.Employees) })
	case "company.annual_revenue":
		return numVal(func(c *Ctx, _ *lead.Activity) float64 { return c.revenue() })
	case "source.channel":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return string(c.lead.Source.Channel) })
	case "source.campaign":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Source.Campaign })
	case "source.medium":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Source.Medium })
	case "source.landing_page":
		return strVal(func(c *Ctx, _ *lead.Activity) string { return c.lead.Source.LandingPage })
	}
	return val{}, false
}
