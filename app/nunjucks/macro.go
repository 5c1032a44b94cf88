package nunjucks

import "errors"

// macro returns a callable for a macro definition whose body reads def (the
// template's exported scope; for a call block's caller, the call site).
func (ev *evaluator) macro(m *macroNode, def *scope) *callable {
	return &callable{name: m.name, macro: true, caller: m.caller, call: func(ev *evaluator, args []any, kwargs *Object) (any, error) {
		return ev.invokeMacro(m, def, args, kwargs)
	}}
}

// invokeMacro binds arguments as nunjucks does — surplus positional values
// fill the defaulted parameters in order, missing ones are taken by name from
// the keywords — and renders the body as a safe string.
func (ev *evaluator) invokeMacro(m *macroNode, def *scope, args []any, kwargs *Object) (any, error) {
	local := newScope(def, true)
	keyword := NewObject()
	if kwargs != nil {
		for _, k := range kwargs.keys {
			keyword.Set(k, kwargs.vals[k])
		}
	}
	positional := args
	if len(args) > len(m.params) {
		positional = args[:len(m.params)]
		for i, v := range args[len(m.params):] {
			if i < len(m.defaults) {
				keyword.Set(m.defaults[i].key.(*symbolNode).name, v)
			}
		}
	}
	declaresCaller := false
	for i, name := range m.params {
		v := any(Undefined)
		if i < len(positional) {
			v = positional[i]
		} else if kv, ok := keyword.Get(name); ok {
			v = kv
			keyword.delete(name)
		}
		local.define(name, v, true)
		declaresCaller = declaresCaller || name == "caller"
	}
	for _, d := range m.defaults {
		name := d.key.(*symbolNode).name
		v, ok := keyword.Get(name)
		if !ok {
			var err error
			if v, err = ev.expr(d.value, local); err != nil {
				return nil, err
			}
		}
		local.define(name, v, true)
		declaresCaller = declaresCaller || name == "caller"
	}
	if c, ok := keyword.Get("caller"); ok && !declaresCaller {
		local.define("caller", c, true)
	}
	out := &output{}
	fr := macroFrame
	if m.caller {
		fr = loopFrame
	}
	if err := ev.exec(m.body, local, out, fr); err != nil {
		return nil, err
	}
	return &safeString{out.b.String()}, nil
}

func (o *Object) delete(key string) {
	if _, ok := o.vals[key]; !ok {
		return
	}
	delete(o.vals, key)
	for i, k := range o.keys {
		if k == key {
			o.keys = append(o.keys[:i], o.keys[i+1:]...)
			break
		}
	}
}

// callBlock renders `{% call m(args) %}body{% endcall %}`: m is invoked with
// the body as its caller.
func (ev *evaluator) callBlock(n *callBlockNode, sc *scope, out *output) error {
	target, err := ev.expr(n.call.target, sc)
	if err != nil {
		return err
	}
	c, ok := target.(*callable)
	if !ok || !c.macro || c.caller {
		return errors.New("call blocks can target only template macros")
	}
	args, kwargs, err := ev.evalArgs(n.call.args, sc)
	if err != nil {
		return err
	}
	if kwargs == nil {
		kwargs = NewObject()
	}
	kwargs.Set("caller", ev.macro(n.caller, sc))
	v, err := c.call(ev, args, kwargs)
	if err != nil {
		return err
	}
	text, err := render(v)
	if err != nil {
		return err
	}
	return ev.write(out, text, text)
}
