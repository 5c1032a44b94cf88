package scaffold

import (
	"encoding/json"
	"strings"
)

// roadieCases are the differential test's cases (roadie_conformance_test.go).
func roadieCases() []roadieCase {
	type files = map[string]string
	c := func(name, action, input string, fs files) roadieCase {
		if !json.Valid([]byte(input)) {
			panic("case " + name + ": input is not JSON")
		}
		return roadieCase{Name: name, Action: action, Input: json.RawMessage(input), Files: fs}
	}
	same := func(rc roadieCase) roadieCase { rc.SameError = true; return rc }
	refuse := func(rc roadieCase, why string) roadieCase { rc.Refuse = why; return rc }
	invalid := func(rc roadieCase) roadieCase { rc.Invalid = true; return rc }
	links := func(rc roadieCase, l files) roadieCase { rc.Links = l; return rc }

	const (
		write    = "roadiehq:utils:fs:write"
		appendA  = "roadiehq:utils:fs:append"
		parse    = "roadiehq:utils:fs:parse"
		replace  = "roadiehq:utils:fs:replace"
		merge    = "roadiehq:utils:merge"
		jmerge   = "roadiehq:utils:json:merge"
		jsonata  = "roadiehq:utils:jsonata"
		jyaml    = "roadiehq:utils:jsonata:yaml:transform"
		jjson    = "roadiehq:utils:jsonata:json:transform"
		syaml    = "roadiehq:utils:serialize:yaml"
		sjson    = "roadiehq:utils:serialize:json"
		zipA     = "roadiehq:utils:zip"
		sleepA   = "roadiehq:utils:sleep"
		catalogY = "apiVersion: backstage.io/v1alpha1\nkind: Component # the kind\nmetadata:\n  name: svc\n  tags: [a, b]\nspec:\n  type: service\n  owner: team-a\n"
		multiY   = "kind: Component\nmetadata:\n  name: one\n---\nkind: API\nmetadata:\n  name: two\n  id: 2\n"
		pkgJSON  = "{\n    \"name\": \"app\",\n    \"scripts\": {\n        \"build\": \"tsc\"\n    },\n    \"files\": [\"dist\"],\n    \"1\": \"one\"\n}\n"
	)
	return []roadieCase{
		// fs:write
		c("write", write, `{"path":"a/b.txt","content":"hi ünïcödé 💩\n"}`, nil),
		c("write over", write, `{"path":"x.txt","content":"new"}`, files{"x.txt": "old content"}),
		c("write pretty json", write, `{"path":"p.json","content":"{\"a\":[1,2,{\"b\":null}],\"c\":\"d\",\"2\":1}","preserveFormatting":true}`, nil),
		c("write pretty not json", write, `{"path":"p.json","content":"{nope","preserveFormatting":true}`, nil),
		c("write empty", write, `{"path":"e.txt","content":""}`, nil),
		same(c("write escape", write, `{"path":"../x.txt","content":"hi"}`, nil)),
		c("write into a folder", write, `{"path":"d","content":"hi"}`, files{"d/f": "x"}),
		c("write no content", write, `{"path":"d.txt"}`, nil),

		// fs:append
		c("append", appendA, `{"path":"a.txt","content":"two\n"}`, files{"a.txt": "one\n"}),
		c("append new file", appendA, `{"path":"new.txt","content":"first"}`, nil),
		c("append missing folder", appendA, `{"path":"no/such.txt","content":"x"}`, nil),
		same(c("append escape", appendA, `{"path":"a/../../x","content":"x"}`, nil)),

		// fs:parse
		c("parse text", parse, `{"path":"a.txt"}`, files{"a.txt": "plain ✓\n"}),
		c("parse yaml", parse, `{"path":"c.yaml","parser":"yaml"}`, files{"c.yaml": catalogY}),
		c("parse yaml scalars", parse, `{"path":"s.yaml","parser":"yaml"}`, files{"s.yaml": "a: 0x1F\nb: 0o17\nc: 1e3\nd: .inf\ne: ~\nf: yes\ng: 2001-12-14\nh: '123'\ni: !!str 5\nj: -0.5\nk: 12345678901234567890\n\"3\": three\nl: [1, two, {m: null}]\n<<: merge\n"}),
		c("parse yaml keys", parse, `{"path":"k.yaml","parser":"yaml"}`, files{"k.yaml": "~: a\ntrue: b\n1.0: c\n0x10: d\n.5: e\nnull: f\n\"q\": g\n? [x, y]\n: h\n? {z: 1}\n: i\n"}),
		c("parse yaml odd keys", parse, `{"path":"k.yaml","parser":"yaml"}`, files{"k.yaml": "~: a\ntrue: b\n1.0: c\n0x10: d\n.5: e\n\"q\": g\n-1: h\n"}),
		c("parse yaml numbers", parse, `{"path":"n.yaml","parser":"yaml"}`, files{"n.yaml": "- 017\n- +12\n- 1e400\n- -.INF\n- .NaN\n- 0X1F\n- 0o8\n- 1_000\n- 1:20\n- 0.1e1\n- !!float 3\n- !!str 4\n- !!int \"5\"\n- !custom 6\n- 12e\n- -0\n"}),
		c("parse yaml anchors", parse, `{"path":"s.yaml","parser":"yaml"}`, files{"s.yaml": "base: &b {x: 1, y: [2]}\nuse: *b\n"}),
		c("parse yaml comments", parse, `{"path":"s.yaml","parser":"yaml"}`, files{"s.yaml": "# head\na: 1 # one\n# tail\n"}),
		c("parse yaml empty", parse, `{"path":"s.yaml","parser":"yaml"}`, files{"s.yaml": ""}),
		c("parse yaml two documents", parse, `{"path":"m.yaml","parser":"yaml"}`, files{"m.yaml": multiY}),
		c("parse multiyaml", parse, `{"path":"m.yaml","parser":"multiyaml"}`, files{"m.yaml": multiY}),
		c("parse json", parse, `{"path":"p.json","parser":"json"}`, files{"p.json": pkgJSON}),
		c("parse bad json", parse, `{"path":"p.json","parser":"json"}`, files{"p.json": "{\"a\":"}),
		c("parse bad yaml", parse, `{"path":"p.yaml","parser":"yaml"}`, files{"p.yaml": "a: [1, 2\nb: c\n"}),
		c("parse missing", parse, `{"path":"nope.txt"}`, nil),
		c("parse escape", parse, `{"path":"../outside/secret.txt"}`, nil),
		links(c("parse through a link", parse, `{"path":"l/secret.txt"}`, nil), files{"l": "<outside>"}),

		// fs:replace
		c("replace literal", replace, `{"files":[{"file":"a.txt","find":"foo","replaceWith":"bar"}]}`, files{"a.txt": "foo foo food\n"}),
		c("replace patterns", replace, `{"files":[{"file":"a.txt","find":"o","replaceWith":"[$&|$$|$1]"}]}`, files{"a.txt": "foo\n"}),
		c("replace regex", replace, `{"files":[{"file":"*.txt","find":"(\\w+)@(\\w+)","matchRegex":true,"replaceWith":"$2 at $1"}]}`, files{"a.txt": "me@home you@work\n", "b.txt": "x@y", "c.md": "a@b"}),
		c("replace glob", replace, `{"files":[{"file":"**/*.md","find":"TODO","replaceWith":"DONE"}]}`, files{"a.md": "TODO", "d/e/f.md": "TODO TODO", ".hidden/g.md": "TODO", ".h.md": "TODO"}),
		c("replace dotfiles", replace, `{"files":[{"file":"**/*.md","find":"TODO","replaceWith":"DONE","includeDotFiles":true}]}`, files{"a.md": "TODO", ".hidden/g.md": "TODO", ".h.md": "TODO"}),
		c("replace no match", replace, `{"files":[{"file":"none/*","find":"a","replaceWith":"b"}]}`, files{"a.txt": "a"}),
		same(c("replace empty find", replace, `{"files":[{"file":"a.txt","find":"","replaceWith":"b"}]}`, files{"a.txt": "a"})),
		same(c("replace no file", replace, `{"files":[{"find":"a","replaceWith":"b"}]}`, files{"a.txt": "a"})),
		same(c("replace not a list", replace, `{"files":{"file":"a.txt"}}`, files{"a.txt": "a"})),
		c("replace lookahead", replace, `{"files":[{"file":"a.txt","find":"a(?=b)","matchRegex":true,"replaceWith":"X"}]}`, files{"a.txt": "ab ac ab"}),
		c("replace unicode", replace, `{"files":[{"file":"a.txt","find":"é+","matchRegex":true,"replaceWith":"<$&>"}]}`, files{"a.txt": "café éé 💩é"}),
		links(c("replace through a link", replace, `{"files":[{"file":"l/*.txt","find":"secret","replaceWith":"leaked"}]}`, nil), files{"l": "<outside>"}),
		refuse(links(c("replace through a link by glob", replace, `{"files":[{"file":"**/*.txt","find":"secret","replaceWith":"leaked"}]}`, files{"a.txt": "secret"}), files{"l": "<outside>"}),
			"the npm package's fast-glob follows a symbolic link and rewrites a file outside the workspace"),

		// merge
		c("merge yaml", merge, `{"path":"c.yaml","content":{"metadata":{"tags":["c"],"annotations":{"a/b":"x"}},"spec":{"lifecycle":"production"}}}`, files{"c.yaml": catalogY}),
		c("merge yaml arrays", merge, `{"path":"c.yaml","content":{"metadata":{"tags":["b","c"]}},"mergeArrays":true}`, files{"c.yaml": catalogY}),
		c("merge yaml string", merge, `{"path":"c.yaml","content":"spec:\n  owner: team-b\n  deps: [x]\n"}`, files{"c.yaml": catalogY}),
		c("merge yaml comments", merge, `{"path":"c.yaml","content":{"spec":{"owner":"team-b"}},"preserveYamlComments":false}`, files{"c.yaml": "# top\na: 1 # one\nspec:\n  owner: x\n"}),
		c("merge nested arrays", merge, `{"path":"n.json","content":{"a":[[1,2],{"b":[3]}],"c":{"d":[1,1,2]}},"mergeArrays":true}`, files{"n.json": `{"a":[[1,2],{"b":[3]}],"c":{"d":[2,3]},"e":null}`}),
		c("merge nested arrays replaced", merge, `{"path":"n.json","content":{"a":[{"x":1}],"c":{"d":null}}}`, files{"n.json": `{"a":[[1,2],{"b":[3]}],"c":{"d":[2,3]}}`}),
		c("merge json", merge, `{"path":"package.json","content":"{\"scripts\":{\"test\":\"jest\"},\"files\":[\"lib\"]}"}`, files{"package.json": pkgJSON}),
		c("merge multiple documents", merge, `{"path":"m.yaml","content":{"metadata":{"owner":"x"}},"useDocumentIncludingField":{"key":"kind","value":"API"}}`, files{"m.yaml": multiY}),
		c("merge multiple documents by number", merge, `{"path":"m.yaml","content":{"spec":{}},"useDocumentIncludingField":{"key":"metadata","value":"2"}}`, files{"m.yaml": multiY}),
		same(c("merge multiple documents dotted key", merge, `{"path":"m.yaml","content":{"a":1},"useDocumentIncludingField":{"key":"metadata.name","value":"two"}}`, files{"m.yaml": multiY})),
		c("merge multiple documents none match", merge, `{"path":"m.yaml","content":{"a":1},"useDocumentIncludingField":{"key":"kind","value":"Group"}}`, files{"m.yaml": multiY}),
		c("merge yaml quoted and long", merge, `{"path":"q.yaml","content":{"spec":{"when":"2024-01-01","on":"yes","ver":"1.10","cmd":"echo \"hi\" && exit 0","desc":"A service that does a great many things, all of them described here at a length beyond eighty"}}}`, files{"q.yaml": "spec:\n  owner: 'team'\n  port: \"8080\"\n"}),
		same(c("merge multiple documents no field", merge, `{"path":"m.yaml","content":{"a":1}}`, files{"m.yaml": multiY})),
		same(c("merge empty yaml", merge, `{"path":"e.yaml","content":{"a":1}}`, files{"e.yaml": ""})),
		same(c("merge missing", merge, `{"path":"nope.yaml","content":{"a":1}}`, nil)),
		c("merge other extension", merge, `{"path":"a.txt","content":{"a":1}}`, files{"a.txt": "a: 2\n"}),
		c("merge yaml options", merge, `{"path":"c.yaml","content":{"spec":{"description":"a long description that goes on and on past the line width of eighty characters for sure"}},"options":{"lineWidth":40,"indent":4,"indentSeq":false}}`, files{"c.yaml": catalogY}),
		c("merge unicode", merge, `{"path":"u.yaml","content":{"名前":"値 ✓","emoji":"💩 🎉"}}`, files{"u.yaml": "a: ü\n"}),

		// json:merge
		c("json merge", jmerge, `{"path":"package.json","content":{"scripts":{"lint":"eslint"}}}`, files{"package.json": pkgJSON}),
		c("json merge indent", jmerge, `{"path":"package.json","content":{"scripts":{"lint":"eslint"}},"matchFileIndent":true}`, files{"package.json": pkgJSON}),
		c("json merge proto keys", jmerge, `{"path":"p.json","content":"{\"__proto__\":{\"polluted\":1},\"constructor\":{\"prototype\":{\"x\":1}},\"a\":{\"__proto__\":2}}"}`, files{"p.json": `{"a":{"b":1},"__proto__":{"keep":true}}`}),
		c("merge yaml proto keys", merge, `{"path":"p.yaml","content":"__proto__:\n  polluted: 1\nconstructor: x\n"}`, files{"p.yaml": "a: 1\n"}),
		c("json merge new file", jmerge, `{"path":"new.json","content":"{\"a\":[1]}"}`, nil),

		// jsonata
		c("jsonata sum", jsonata, `{"data":{"items":[{"price":2},{"price":3.5}]},"expression":"$sum(items.price)"}`, nil),
		c("jsonata object", jsonata, `{"data":{"name":"svc","owner":"team"},"expression":"{\"id\": name, \"by\": owner, \"tags\": [\"a\", \"b\"]}"}`, nil),
		c("jsonata passthrough", jsonata, `{"data":{"z":1,"a":{"y":2,"b":3}},"expression":"$"}`, nil),
		c("jsonata filter", jsonata, `{"data":{"items":[{"n":"x","v":3},{"n":"y","v":7}]},"expression":"items[v > 5].n"}`, nil),
		c("jsonata undefined", jsonata, `{"data":{},"expression":"nothing"}`, nil),
		c("jsonata syntax error", jsonata, `{"data":{},"expression":"1 +"}`, nil),
		c("jsonata type error", jsonata, `{"data":{},"expression":"'a' + 1"}`, nil),
		c("jsonata unicode", jsonata, `{"data":{"s":"héllo 💩"},"expression":"$substring(s, 1, 3) & '!'"}`, nil),
		c("jsonata string", jsonata, `{"data":{"a":[1,2]},"expression":"$string(a)"}`, nil),

		// jsonata:yaml:transform
		c("jsonata yaml", jyaml, `{"path":"c.yaml","expression":"metadata"}`, files{"c.yaml": catalogY}),
		c("jsonata yaml object", jyaml, `{"path":"c.yaml","expression":"metadata.tags","as":"object"}`, files{"c.yaml": catalogY}),
		c("jsonata yaml all", jyaml, `{"path":"m.yaml","expression":"$.metadata.name","loadAll":true}`, files{"m.yaml": multiY}),
		c("jsonata yaml undefined", jyaml, `{"path":"c.yaml","expression":"nope"}`, files{"c.yaml": catalogY}),
		c("jsonata yaml number", jyaml, `{"path":"c.yaml","expression":"$count(metadata.tags)"}`, files{"c.yaml": catalogY}),
		c("jsonata yaml missing", jyaml, `{"path":"none.yaml","expression":"$"}`, nil),

		// jsonata:json:transform
		c("jsonata json", jjson, `{"path":"package.json","expression":"scripts"}`, files{"package.json": pkgJSON}),
		c("jsonata json space", jjson, `{"path":"package.json","expression":"$","space":"\t"}`, files{"package.json": pkgJSON}),
		c("jsonata json replacer", jjson, `{"path":"package.json","expression":"$","replacer":["name","files"],"space":"  "}`, files{"package.json": pkgJSON}),
		c("jsonata json object", jjson, `{"path":"package.json","expression":"files","as":"object"}`, files{"package.json": pkgJSON}),
		c("jsonata json undefined", jjson, `{"path":"package.json","expression":"nope"}`, files{"package.json": pkgJSON}),
		c("jsonata json bad", jjson, `{"path":"package.json","expression":"$"}`, files{"package.json": "{"}),

		// serialize:yaml
		c("yaml plain", syaml, `{"data":{"a":"x","b":1,"c":true,"d":null,"e":[],"f":{},"g":[1,[2,3],{"h":"i"}],"j":-0.5,"k":1e21}}`, nil),
		c("yaml quoting", syaml, `{"data":{"colon":"a: b","hash":"a #b","lead":" x","trail":"x ","star":"*x","dash":"- x","q":"it's","qq":"say \"hi\"","both":"'\"","num":"123","float":"1.5","bool":"true","null":"null","empty":"","tilde":"~","date":"2001-12-14","oct":"0o17","hex":"0x1F","yes":"yes","ctrl":"a\u0007b","tab":"a\tb","doc":"--- x","at":"@x","pct":"%x","bq":"`+"`"+`x"}}`, nil),
		c("yaml keys", syaml, `{"data":{"a b":1,"a: b":2,"123":3,"true":4,"":5,"- x":6,"é":7}}`, nil),
		c("yaml multiline", syaml, `{"data":{"lit":"line1\nline2\n","strip":"a\nb","keep":"a\nb\n\n","lead":"  indented\nx\n","blank":"\n\nx","trail":"a\n  \n"}}`, nil),
		c("yaml long", syaml, `{"data":{"long":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv","nested":{"deeper":{"still":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq"}},"list":["aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr"],"word":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","quoted":"aaaa: bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss","folded":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss\nsecond line"}}`, nil),
		c("yaml long double", syaml, `{"data":{"d":"say \"aaaa\" bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq 'rrrr' ssss\nnext\n\nlast  \n"}}`, nil),
		c("yaml unicode", syaml, `{"data":{"名前":"値","emoji":"💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩 💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩💩 💩💩💩💩💩💩💩💩💩💩💩💩","nbsp":"a\u00a0b","ls":"a\u2028b"}}`, nil),
		c("yaml options", syaml, `{"data":{"a":"x","b":["y",{"c":"it's"}],"d":null,"e":true,"f":"line1\nline2"},"options":{"indent":4,"indentSeq":false,"singleQuote":true,"nullStr":"~","trueStr":"yes","defaultStringType":"QUOTE_DOUBLE","defaultKeyType":"PLAIN"}}`, nil),
		c("yaml flow", syaml, `{"data":{"a":[1,2,{"b":"c, d"}],"e":{"f":"g"},"h":[]},"options":{"collectionStyle":"flow"}}`, nil),
		c("yaml block style", syaml, `{"data":{"a":"x","h":[],"i":{}},"options":{"collectionStyle":"block","directives":true}}`, nil),
		c("yaml no line width", syaml, `{"data":{"long":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt"},"options":{"lineWidth":0}}`, nil),
		c("yaml block quote folded", syaml, `{"data":{"t":"aaaa bbbb\ncccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu\n  more indented\nback\n"},"options":{"blockQuote":"folded"}}`, nil),
		c("yaml block quote off", syaml, `{"data":{"t":"a\nb\n"},"options":{"blockQuote":false}}`, nil),
		same(c("yaml bad indent", syaml, `{"data":{"a":1},"options":{"indent":0}}`, nil)),
		invalid(c("yaml not an object", syaml, `{"data":"x"}`, nil)),
		invalid(c("json not an object", sjson, `{"data":[1]}`, nil)),
		invalid(c("write content not a string", write, `{"path":"a.txt","content":1}`, nil)),

		// serialize:json
		c("json", sjson, `{"data":{"b":1,"a":[true,null,"x"],"2":"two","1":{"é":"💩"}}}`, nil),
		c("json space", sjson, `{"data":{"a":{"b":[1,{}],"c":[]}},"space":"  "}`, nil),
		c("json replacer", sjson, `{"data":{"a":1,"b":{"a":2,"c":3},"c":4},"replacer":["c","a","a"]}`, nil),
		c("json empty replacer", sjson, `{"data":{"a":1},"replacer":[]}`, nil),
		c("json long space", sjson, `{"data":{"a":[1]},"space":"------------"}`, nil),
		c("json control", sjson, `{"data":{"s":"a\u0000b\u001fc\"\\\n\u2028"}}`, nil),

		// zip
		c("zip folder", zipA, `{"path":"src","outputPath":"out/src.zip"}`, files{"src/a.txt": "A", "src/d/b.txt": "B", "src/d/e/c.txt": "C", "other.txt": "O"}),
		c("zip file", zipA, `{"path":"src/a.txt","outputPath":"a.zip"}`, files{"src/a.txt": "A"}),
		c("zip workspace", zipA, `{"path":".","outputPath":"all.zip"}`, files{"a.txt": "A", "d/b.txt": "B"}),
		same(c("zip missing", zipA, `{"path":"nope","outputPath":"n.zip"}`, nil)),
		same(c("zip escape", zipA, `{"path":"..","outputPath":"n.zip"}`, nil)),
		refuse(links(c("zip through a link", zipA, `{"path":".","outputPath":"all.zip"}`, files{"a.txt": "A"}), files{"l": "<outside>"}),
			"adm-zip follows a symbolic link and zips files from outside the workspace"),

		// More of what real templates do.
		c("merge catalog annotations", merge, `{"path":"catalog-info.yaml","content":{"metadata":{"annotations":{"github.com/project-slug":"org/repo","backstage.io/techdocs-ref":"dir:.","sonarqube.org/project-key":"org_repo:main"},"links":[{"url":"https://example.com/a/very/long/path/that/goes/on/and/on/and/on/for/quite/a/while/really","title":"Dashboard"}]}}}`, files{"catalog-info.yaml": catalogY}),
		invalid(c("merge content list", merge, `{"path":"l.yaml","content":["c","a"],"mergeArrays":true}`, files{"l.yaml": "- a\n- b\n"})),
		c("merge top-level list", merge, `{"path":"l.yaml","content":"- c\n- a\n- x: 1\n","mergeArrays":true}`, files{"l.yaml": "- a\n- b\n- x: 2\n  y: 3\n"}),
		c("merge string content scalar", merge, `{"path":"l.yaml","content":"just text"}`, files{"l.yaml": "a: 1\n"}),
		c("merge null into object", merge, `{"path":"n.yaml","content":{"a":{"b":1},"c":null,"d":[1]}}`, files{"n.yaml": "a: null\nc:\n  x: 1\nd: 5\n"}),
		c("merge object over list", merge, `{"path":"n.yaml","content":{"a":{"b":1}},"mergeArrays":true}`, files{"n.yaml": "a: [1, 2]\n"}),
		c("merge list over object", merge, `{"path":"n.yaml","content":{"a":[1,{"b":2}]}}`, files{"n.yaml": "a:\n  x: 1\n"}),
		c("merge dedupe objects", merge, `{"path":"n.json","content":{"a":[{"x":1},"s",2]},"mergeArrays":true}`, files{"n.json": `{"a":[{"x":1},"s",2,2]}`}),
		c("merge json string into yaml", merge, `{"path":"n.yaml","content":"{\"a\": {\"b\": [1, 2]}}"}`, files{"n.yaml": "a:\n  c: 3\n"}),
		c("merge duplicate keys", merge, `{"path":"n.yaml","content":{"a":1}}`, files{"n.yaml": "a: 1\na: 2\n"}),
		c("yaml special strings", syaml, `{"data":{"brace":"{x}","bracket":"[x]","comma":"a, b","q":"?","qx":"? x","excl":"!x","amp":"&x","pipe":"|x","gt":">x","colonend":"x:","url":"https://x.y/z?a=b#c","wild":"*","minus":"-","dot":".5","plus":"+1","num1":"1.","e":"1e3","E":"1E3","inf":".inf","nan":".NaN","under":"1_000","sp":"a  b","nl":"a\nb","crlf":"a\r\nb","key\nnl":1}}`, nil),
		c("yaml numbers", syaml, `{"data":{"a":1.0,"b":0.1,"c":1e-7,"d":123456789012345680000,"e":-0,"f":5e-324,"g":0.000001}}`, nil),
		c("yaml long key", syaml, `{"data":{"`+strings.Repeat("k", 1100)+`":"v"}}`, nil),
		c("yaml deep lists", syaml, `{"data":{"a":[[["x",{"b":[1,[]]}]],{}],"c":[{"d":{"e":[{"f":"g","h":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp"}]}}]}}`, nil),
		c("yaml flow long", syaml, `{"data":{"a":["aaaa bbbb cccc dddd","eeee ffff gggg hhhh","iiii jjjj kkkk llll","mmmm nnnn oooo pppp"],"b":{"c":{"d":["x","y"]}},"m":"line1\nline2"},"options":{"collectionStyle":"flow"}}`, nil),
		c("yaml single quote long", syaml, `{"data":{"s":"aaaa 'bbbb' cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr: ssss"},"options":{"singleQuote":true}}`, nil),
		c("yaml literal", syaml, `{"data":{"t":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr\nx\n"},"options":{"blockQuote":"literal","defaultStringType":"BLOCK_LITERAL"}}`, nil),
		c("yaml doc markers", syaml, `{"data":{"a":"---\nx\n","b":"...","c":"% x"}}`, nil),
		c("yaml min content width", syaml, `{"data":{"a":{"b":{"c":{"d":{"e":{"f":{"g":"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"}}}}}}},"options":{"lineWidth":30,"minContentWidth":10,"indent":3}}`, nil),
		c("yaml double quoted json", syaml, `{"data":{"a":"x\ny: z \u0001 aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp"},"options":{"doubleQuotedAsJSON":true,"defaultStringType":"QUOTE_DOUBLE"}}`, nil),
		c("yaml double quoted multiline", syaml, `{"data":{"a":"first line\n second line with a leading space\n\nthird\n","b":"short\nx"},"options":{"defaultStringType":"QUOTE_DOUBLE","doubleQuotedMinMultiLineLength":10}}`, nil),
		c("jsonata merge", jsonata, `{"data":{"a":{"x":1,"y":2},"b":{"z":3,"x":4}},"expression":"$merge([a, b])"}`, nil),
		c("jsonata map objects", jsonata, `{"data":{"items":[{"name":"a","v":1},{"name":"b","v":2}]},"expression":"items.{\"label\": $uppercase(name), \"value\": v * 10, \"meta\": {\"z\": 1, \"a\": 2}}"}`, nil),
		c("jsonata keys", jsonata, `{"data":{"b":1,"a":2,"c":{"y":1}},"expression":"$keys($)"}`, nil),
		c("jsonata sort", jsonata, `{"data":{"l":[{"n":"b"},{"n":"a"}]},"expression":"$sort(l, function($x, $y){ $x.n > $y.n })"}`, nil),
		c("jsonata numbers", jsonata, `{"data":{},"expression":"[0.1 + 0.2, 1/3, 2e21, -0, 10 % 3, $round(2.5), $floor(-1.5), $power(2, 0.5)]"}`, nil),
		c("jsonata strings", jsonata, `{"data":{},"expression":"[$uppercase('straße'), $lowercase('İ'), $length('💩'), $trim('  a  b '), $pad('x', -4, '#'), $join(['a','b'], ', '), $string(true), $string(null), $split('a,b,,c', ',')]"}`, nil),
		c("jsonata base64", jsonata, `{"data":{},"expression":"[$base64encode('hi'), $base64decode('aGk=')]"}`, nil),
		c("jsonata regex", jsonata, `{"data":{},"expression":"[$replace('hello world', /o/, '0'), $match('a1b22', /[0-9]+/).match, $contains('abc', /b/)]"}`, nil),
		c("jsonata lookup", jsonata, `{"data":{"a b":{"c":[1,2]}},"expression":"$lookup($, 'a b').c[-1]"}`, nil),
		c("jsonata no data", jsonata, `{"expression":"1 + 1"}`, nil),
		c("jsonata singleton", jsonata, `{"data":{"a":[{"b":1}]},"expression":"a.b"}`, nil),
		c("jsonata singleton array", jsonata, `{"data":{"a":[{"b":1}]},"expression":"a.b[]"}`, nil),
		refuse(c("jsonata recursion", jsonata, `{"data":{},"expression":"($f := function($n){ $n <= 1 ? 1 : $n * $f($n - 1) }; $f(5))"}`, nil),
			"jsonata-go does not bound recursion and a Go stack overflow ends the process, so recursive functions are refused"),
		same(c("jsonata $error", jsonata, `{"expression":"$exists(parameters.owner) ? true : $error(\"owner required\")"}`, nil)),
		c("jsonata $error passes", jsonata, `{"data":{"parameters":{"owner":"me"}},"expression":"$exists(parameters.owner) ? true : $error(\"owner required\")"}`, nil),
		c("jsonata quoted key", jsonata, `{"data":{"annotations":{"terasky.backstage.io/source-file-url":"https://x/y.yaml"}},"expression":"annotations.\"terasky.backstage.io/source-file-url\"\n"}`, nil),
		c("jsonata nulls", jsonata, `{"data":{"a":null},"expression":"{\"a\": a, \"b\": [null, 1], \"c\": null, 'd e': {'f': \"x\".\"y\"}}"}`, nil),
		c("jsonata quoted steps", jsonata, `{"data":{"a b":{"c'd":[{"e":1},{"e":2}]}},"expression":"$.'a b'.\"c'd\".e /* a \"comment\" */"}`, nil),
		c("jsonata conditional", jsonata, `{"data":{"annotationUrl":"a"},"expression":"$exists(sourceFileUrl) ? sourceFileUrl : annotationUrl"}`, nil),
		c("jsonata string result object", jsonata, `{"data":{"a":{"b":[1,2]}},"expression":"$string(a, true)"}`, nil),
		c("replace dot slash", replace, `{"files":[{"file":"./BACKSTAGE_ENTITY_NAME.sln","find":"BACKSTAGE_ENTITY_NAME","replaceWith":"my.app"},{"file":"./src/BACKSTAGE_ENTITY_NAME.csproj","find":"BACKSTAGE_ENTITY_NAME","replaceWith":"my.app"}]}`, files{"BACKSTAGE_ENTITY_NAME.sln": "Project BACKSTAGE_ENTITY_NAME\nBACKSTAGE_ENTITY_NAME.csproj\n", "src/BACKSTAGE_ENTITY_NAME.csproj": "<Name>BACKSTAGE_ENTITY_NAME</Name>"}),
		c("parse markdown", parse, `{"path":"file.md"}`, files{"file.md": "# Things\n- a\n- b\n"}),
		c("jsonata error message", jsonata, `{"data":{},"expression":"$undefinedFunction()"}`, nil),
		c("replace regex flags", replace, `{"files":[{"file":"a.txt","find":"^x","matchRegex":true,"replaceWith":"y"}]}`, files{"a.txt": "x\nx\n"}),
		c("replace empty match", replace, `{"files":[{"file":"a.txt","find":"z*","matchRegex":true,"replaceWith":"-"}]}`, files{"a.txt": "abc"}),
		c("replace $10", replace, `{"files":[{"file":"a.txt","find":"(a)","matchRegex":true,"replaceWith":"$10$0$<n>"}]}`, files{"a.txt": "a"}),
		c("replace named", replace, `{"files":[{"file":"a.txt","find":"(?<n>b)","matchRegex":true,"replaceWith":"[$<n>]"}]}`, files{"a.txt": "abc"}),
		c("replace bad regex", replace, `{"files":[{"file":"a.txt","find":"(","matchRegex":true,"replaceWith":"x"}]}`, files{"a.txt": "abc"}),
		c("replace keeps others", replace, `{"files":[{"file":"d/**","find":"a","replaceWith":"b"},{"file":"a.txt","find":"a","replaceWith":"c"}]}`, files{"a.txt": "aa", "d/x": "a", "d/y/z": "a"}),
		c("write dot path", write, `{"path":"./a/./b/../c.txt","content":"x"}`, nil),
		c("write workspace", write, `{"path":"","content":"x"}`, nil),
		c("parse multiyaml empty docs", parse, `{"path":"m.yaml","parser":"multiyaml"}`, files{"m.yaml": "---\n---\na: 1\n...\n"}),
		c("parse yaml bom", parse, `{"path":"b.yaml","parser":"yaml"}`, files{"b.yaml": "\ufeffa: 1\n"}),
		c("parse json bom", parse, `{"path":"b.json","parser":"json"}`, files{"b.json": "\ufeff{}"}),
		c("json merge indent tabs", jmerge, `{"path":"p.json","content":{"b":[1]},"matchFileIndent":true}`, files{"p.json": "{\n\t\"a\": {\n\t\t\"c\": 1\n\t}\n}\n"}),
		c("json merge no indent", jmerge, `{"path":"p.json","content":{"b":1},"matchFileIndent":true}`, files{"p.json": `{"a":1}`}),
		c("json merge missing indent", jmerge, `{"path":"p.json","content":{"b":1},"matchFileIndent":true}`, nil),
		c("zip empty folder", zipA, `{"path":"d","outputPath":"d.zip"}`, files{"d/e/.keep": ""}),
		c("zip into itself", zipA, `{"path":".","outputPath":"a.zip"}`, files{"a.zip": "old", "b.txt": "B"}),
		c("sleep negative", sleepA, `{"amount":-1}`, nil),

		// Symbolic links out of the workspace: both refuse them.
		links(c("write through a link", write, `{"path":"l/new.txt","content":"x"}`, nil), files{"l": "<outside>"}),
		links(c("append through a link", appendA, `{"path":"l/secret.txt","content":"x"}`, nil), files{"l": "<outside>"}),
		links(c("merge through a link", merge, `{"path":"s.yaml","content":{"a":1}}`, nil), files{"s.yaml": "<outside>/secret.txt"}),
		links(c("zip into a link", zipA, `{"path":"a.txt","outputPath":"l/out.zip"}`, files{"a.txt": "A"}), files{"l": "<outside>"}),
		links(c("jsonata yaml through a link", jyaml, `{"path":"l/secret.txt","expression":"$"}`, nil), files{"l": "<outside>"}),

		// sleep
		c("sleep", sleepA, `{"amount":0}`, nil),
		same(c("sleep too long", sleepA, `{"amount":601}`, nil)),
		same(c("sleep not a number", sleepA, `{"amount":"soon"}`, nil)),
	}
}
