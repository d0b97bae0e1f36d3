package scoring

import (
	"github.com/leadkit/leadkit/internal/jsonstrict"
)

// ParseModel decodes a [Model] from its JSON form, strictly, and
// validates it. It is the loader for a model a person wrote or edited.
//
// Unlike encoding/json, it refuses what would otherwise be lost without a
// word: an unknown field (a misspelt "halflife" is an error, with a
// suggestion: did you mean "half_life"?), a field written with other
// letter case ("Points"), a field given twice in one object, a value of
// the wrong JSON type, anything after the model, and input that is not a
// JSON object. Each such problem is a *[leadkit.Error] with the field's
// path ("rules[2].halflife"), the whole document as Source and the line
// and column of the field in it; all of them are reported at once,
// joined with errors.Join. A model that decodes is then compiled (and the
// compiled form discarded), so ParseModel returns exactly the errors
// [Compile] would, and a nil error means Compile will succeed.
//
// On error the returned Model is the zero Model.
func ParseModel(data []byte) (Model, error) {
	m, _, err := parseModel(data)
	return m, err
}

// parseModel is ParseModel, also returning the model compiled with opts.
func parseModel(data []byte, opts ...Option) (Model, *Scorer, error) {
	var m Model
	if err := jsonstrict.Decode(data, &m, "model"); err != nil {
		return Model{}, nil, err
	}
	s, err := Compile(m, opts...)
	if err != nil {
		return Model{}, nil, err
	}
	return m, s, nil
}
