package scaffold

// Extension is a filter or global a template's ${{ }} can use, for the
// templating extensions page.
type Extension struct {
	Name string
	// Kind is filter or global.
	Kind string
	// From is backstage (the scaffolder's own), nunjucks (its built-ins)
	// or callboard.
	From        string
	Signature   string
	Description string
	// Example is an expression that uses it, evaluated with ExampleValues.
	Example string
}

// ExampleValues are the form values the extensions' examples read, as
// `parameters`.
var ExampleValues = map[string]any{
	"name":    "Payments API",
	"repoUrl": "github.com?owner=acme&repo=payments",
	"owner":   "group:default/payments-team",
	"tags":    []any{"go", "api", "payments"},
	"service": map[string]any{"port": 8080, "tier": "gold"},
}

// Extensions lists every filter and global of a step's ${{ }}: Backstage's
// filters first, then nunjucks' built-ins, then the globals.
func Extensions() []Extension {
	out := []Extension{
		{Name: "parseRepoUrl", Kind: "filter", From: "backstage", Signature: "repoUrl | parseRepoUrl", Description: "Splits a RepoUrlPicker value into host, owner, repo, organization, workspace and project.", Example: "${{ parameters.repoUrl | parseRepoUrl }}"},
		{Name: "parseEntityRef", Kind: "filter", From: "backstage", Signature: "ref | parseEntityRef(context?: {defaultKind, defaultNamespace})", Description: "Splits an entity reference into kind, namespace and name.", Example: "${{ parameters.owner | parseEntityRef }}"},
		{Name: "pick", Kind: "filter", From: "backstage", Signature: "object | pick(path: string)", Description: "The value at a path of an object (lodash's get), e.g. the name out of parseEntityRef's answer.", Example: "${{ parameters.owner | parseEntityRef | pick('name') }}"},
		{Name: "projectSlug", Kind: "filter", From: "backstage", Signature: "repoUrl | projectSlug", Description: "owner/repo of a RepoUrlPicker value.", Example: "${{ parameters.repoUrl | projectSlug }}"},
	}
	for _, f := range nunjucksFilters {
		out = append(out, Extension{Name: f[0], Kind: "filter", From: "nunjucks", Signature: f[1], Description: f[2], Example: f[3]})
	}
	return append(out,
		Extension{Name: "range", Kind: "global", From: "nunjucks", Signature: "range([start,] stop[, step])", Description: "A list of numbers from start (0) up to, not including, stop.", Example: "${{ range(1, 4) }}"},
		Extension{Name: "cycler", Kind: "global", From: "nunjucks", Signature: "cycler(...items)", Description: "An object whose next() gives its items in turn, starting again after the last.", Example: "${{ cycler('odd', 'even').next() }}"},
		Extension{Name: "joiner", Kind: "global", From: "nunjucks", Signature: "joiner(separator = ',')", Description: "A function that gives '' the first time it is called and the separator after.", Example: "{% set comma = joiner() %}{% for t in parameters.tags %}${{ comma() }}${{ t }}{% endfor %}"},
		Extension{Name: "always", Kind: "global", From: "callboard", Signature: "always()", Description: "True: a step's if: ${{ always() }} runs it even after a failed step.", Example: "${{ always() }}"},
		Extension{Name: "failure", Kind: "global", From: "callboard", Signature: "failure()", Description: "Whether a step before has failed: if: ${{ failure() }} runs a step only then.", Example: "${{ failure() }}"},
	)
}

// nunjucksFilters are nunjucks' built-in filters: name, signature,
// description, example.
var nunjucksFilters = [][4]string{
	{"abs", "number | abs", "The absolute value.", "${{ -3 | abs }}"},
	{"batch", "list | batch(size, fill?)", "The list cut into lists of size items, the last padded with fill.", "${{ parameters.tags | batch(2) }}"},
	{"capitalize", "text | capitalize", "The first letter upper case, the rest lower case.", "${{ 'hello WORLD' | capitalize }}"},
	{"center", "text | center(width = 80)", "The text centred in width spaces.", "${{ 'go' | center(6) }}"},
	{"d", "value | d(default, boolean = false)", "Short for default.", "${{ parameters.missing | d('none') }}"},
	{"default", "value | default(default, boolean = false)", "default when the value is undefined (or falsy, with boolean true).", "${{ parameters.missing | default('none') }}"},
	{"dictsort", "object | dictsort(caseSensitive = false, by = 'key')", "The object's [key, value] pairs sorted by key or value.", "${{ parameters.service | dictsort }}"},
	{"dump", "value | dump(indent?)", "The value as JSON text.", "${{ parameters.service | dump }}"},
	{"e", "text | e", "Short for escape.", "${{ '<b>' | e }}"},
	{"escape", "text | escape", "The text with &, <, >, \" and ' escaped for HTML.", "${{ '<b>' | escape }}"},
	{"first", "list | first", "The first item (or character).", "${{ parameters.tags | first }}"},
	{"float", "value | float(default = 0)", "The value as a number with decimals, default when it is none.", "${{ '2.5' | float }}"},
	{"forceescape", "text | forceescape", "Escapes the text for HTML even when it is marked safe.", "${{ '<b>' | forceescape }}"},
	{"groupby", "list | groupby(attribute)", "The items grouped by an attribute, as an object of lists.", "${{ [{'t': 'a', 'n': 1}, {'t': 'b', 'n': 2}] | groupby('t') }}"},
	{"indent", "text | indent(width = 4, first = false)", "Every line but the first (all with first true) indented by width spaces.", "${{ 'a\\nb' | indent(2) }}"},
	{"int", "value | int(default = 0)", "The value as a whole number, default when it is none.", "${{ '42' | int }}"},
	{"join", "list | join(separator = '', attribute?)", "The items (or an attribute of each) joined by the separator.", "${{ parameters.tags | join(', ') }}"},
	{"last", "list | last", "The last item (or character).", "${{ parameters.tags | last }}"},
	{"length", "value | length", "How many items, characters or keys.", "${{ parameters.tags | length }}"},
	{"list", "value | list", "The value as a list: a text's characters, an object's values.", "${{ 'abc' | list }}"},
	{"lower", "text | lower", "The text in lower case.", "${{ parameters.name | lower }}"},
	{"nl2br", "text | nl2br", "The text with line breaks as <br />.", "${{ 'a\\nb' | nl2br }}"},
	{"random", "list | random", "A random item.", "${{ ['only'] | random }}"},
	{"reject", "list | reject(test, ...args)", "The items for which the test fails.", "${{ [1, 2, 3, 4] | reject('odd') }}"},
	{"rejectattr", "list | rejectattr(attribute)", "The items whose attribute is falsy.", "${{ [{'on': true, 'n': 1}, {'on': false, 'n': 2}] | rejectattr('on') }}"},
	{"replace", "text | replace(old, new, count?)", "The text with old (a text or r/regex/flags) replaced by new.", "${{ parameters.name | replace(' ', '-') }}"},
	{"reverse", "value | reverse", "The list or text reversed.", "${{ parameters.tags | reverse }}"},
	{"round", "number | round(precision = 0, method = 'common')", "The number rounded (method: common, ceil or floor).", "${{ 2.567 | round(1) }}"},
	{"safe", "text | safe", "Marks the text as safe: it is not escaped.", "${{ '<b>' | safe }}"},
	{"select", "list | select(test, ...args)", "The items for which the test passes.", "${{ [1, 2, 3, 4] | select('even') }}"},
	{"selectattr", "list | selectattr(attribute)", "The items whose attribute is truthy.", "${{ [{'on': true, 'n': 1}, {'on': false, 'n': 2}] | selectattr('on') }}"},
	{"slice", "list | slice(slices, fill?)", "The list cut into that many lists.", "${{ [1, 2, 3, 4] | slice(2) }}"},
	{"sort", "list | sort(reverse = false, caseSensitive = false, attribute?)", "The list sorted.", "${{ parameters.tags | sort }}"},
	{"string", "value | string", "The value as text.", "${{ 42 | string }}"},
	{"striptags", "text | striptags(preserveLinebreaks = false)", "The text without HTML tags, its white space collapsed.", "${{ '<p>Hello  <b>you</b></p>' | striptags }}"},
	{"sum", "list | sum(attribute?, start = 0)", "The sum of the items (or of an attribute of each).", "${{ [1, 2, 3] | sum }}"},
	{"title", "text | title", "Every word capitalised.", "${{ 'payments api' | title }}"},
	{"trim", "text | trim", "The text without white space at either end.", "${{ '  go  ' | trim }}"},
	{"truncate", "text | truncate(length = 255, killwords = false, end = '...')", "The text cut at length, at a word's end unless killwords.", "${{ 'a long description' | truncate(9) }}"},
	{"upper", "text | upper", "The text in upper case.", "${{ parameters.name | upper }}"},
	{"urlencode", "value | urlencode", "The text, or an object's keys and values, encoded for a URL.", "${{ 'a b&c' | urlencode }}"},
	{"urlize", "text | urlize(length?, nofollow = false)", "Addresses in the text made into links.", "${{ 'see https://backstage.io' | urlize }}"},
	{"wordcount", "text | wordcount", "How many words.", "${{ 'one two three' | wordcount }}"},
}
