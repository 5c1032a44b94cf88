package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// The catalog model: every kind Callboard accepts, the apiVersions and spec
// types of each, the schema of their spec and the spec fields that become
// relations. It follows the newest @backstage/catalog-model (1.10): its
// default model, its AiResource and MCP server layers and the scaffolder's
// Template layer. To support another kind, add one entry to kindTable and
// its relation pairs to relationPairs; nothing else changes.
//
// Environment, which some of Backstage's own examples use, is not part of
// any published model layer yet, so Backstage rejects it as a foreign kind
// and so does Callboard, with the same message.

// relationField says that a spec field holds entity references which
// become relations of the given type.
type relationField struct {
	field        string
	relation     string
	defaultKind  string   // "": the reference must name its kind
	allowedKinds []string // nil: any kind; otherwise targets of other kinds are ignored
	// reverse, when set, is emitted for every target whatever its kind;
	// the scaffolder's own processor does this for a Template's owner.
	reverse string
}

// kindVersion is the schema and relations of one kind at some apiVersions,
// for one spec.type ("" for every type without its own entry).
type kindVersion struct {
	apiVersions []string
	specType    string
	spec        *schema
	relations   []relationField
	// check, when set, finds what the schema cannot say about a spec it
	// accepted.
	check func(spec map[string]any) []violation
}

// kindDef is one kind of the model.
type kindDef struct {
	name     string
	versions []kindVersion
}

var (
	backstageV1       = []string{"backstage.io/v1alpha1", "backstage.io/v1beta1"}
	backstageV1alpha1 = []string{"backstage.io/v1alpha1"}
	scaffolderV1beta3 = []string{"scaffolder.backstage.io/v1beta3"}
	groupOrUser       = []string{"Group", "User"}
)

func ownerField() relationField {
	return relationField{field: "owner", relation: RelOwnedBy, defaultKind: "Group", allowedKinds: groupOrUser}
}

func systemField(allowed []string) relationField {
	return relationField{field: "system", relation: RelPartOf, defaultKind: "System", allowedKinds: allowed}
}

func refField(field, relation, defaultKind string, allowed ...string) relationField {
	if len(allowed) == 0 {
		allowed = nil
	}
	return relationField{field: field, relation: relation, defaultKind: defaultKind, allowedKinds: allowed}
}

func profile() *schema {
	return obj(nil, map[string]*schema{"displayName": str(), "email": str(), "picture": str()})
}

func permissions() *schema {
	return obj(nil, map[string]*schema{"tags": list(anyStr())})
}

func stringOrBool() *schema { return &schema{types: tString | tBool} }

func object() *schema { return &schema{types: tObject} }

func aiResource(specType string, required []string, extra map[string]*schema, rels ...relationField) kindVersion {
	props := map[string]*schema{"type": str(), "lifecycle": str(), "owner": str(), "system": str()}
	if specType != "" {
		props["type"] = oneOfStr(specType)
	}
	for k, v := range extra {
		props[k] = v
	}
	return kindVersion{
		apiVersions: backstageV1alpha1,
		specType:    specType,
		spec:        obj(append(req("type", "lifecycle", "owner"), required...), props),
		relations:   append([]relationField{ownerField(), systemField([]string{"System"})}, rels...),
	}
}

var kindTable = []kindDef{
	{name: "Component", versions: []kindVersion{{
		apiVersions: backstageV1,
		spec: obj(req("type", "lifecycle", "owner"), map[string]*schema{
			"type": str(), "lifecycle": str(), "owner": str(), "system": str(), "subcomponentOf": str(),
			"providesApis": strs(), "consumesApis": strs(), "dependsOn": strs(),
		}),
		relations: []relationField{
			ownerField(),
			refField("subcomponentOf", RelPartOf, "Component"),
			refField("providesApis", RelProvidesAPI, "API"),
			refField("consumesApis", RelConsumesAPI, "API"),
			refField("dependsOn", RelDependsOn, ""),
			refField("dependencyOf", RelDependencyOf, ""),
			systemField(nil),
		},
	}}},
	{name: "API", versions: []kindVersion{
		{
			apiVersions: backstageV1,
			spec: obj(req("type", "lifecycle", "owner", "definition"), map[string]*schema{
				"type": str(), "lifecycle": str(), "owner": str(), "system": str(), "definition": str(),
			}),
			relations: []relationField{ownerField(), systemField(nil)},
		},
		{
			apiVersions: backstageV1,
			specType:    "mcp-server",
			spec: obj(req("type", "lifecycle", "owner", "remotes"), map[string]*schema{
				"type": {enum: []string{"mcp-server"}}, "lifecycle": str(), "owner": str(), "system": str(),
				"remotes": {types: tArray, minItems: 1, items: obj(req("type", "url"), map[string]*schema{"type": str(), "url": str()})},
			}),
			relations: []relationField{ownerField(), systemField(nil)},
		},
	}},
	{name: "Resource", versions: []kindVersion{{
		apiVersions: backstageV1,
		spec: obj(req("type", "owner"), map[string]*schema{
			"type": str(), "owner": str(), "dependsOn": strs(), "system": str(),
		}),
		relations: []relationField{
			ownerField(),
			refField("dependsOn", RelDependsOn, ""),
			refField("dependencyOf", RelDependencyOf, ""),
			systemField(nil),
		},
	}}},
	{name: "System", versions: []kindVersion{{
		apiVersions: backstageV1,
		spec:        obj(req("owner"), map[string]*schema{"owner": str(), "domain": str(), "type": str()}),
		relations:   []relationField{ownerField(), refField("domain", RelPartOf, "Domain")},
	}}},
	{name: "Domain", versions: []kindVersion{{
		apiVersions: backstageV1,
		spec:        obj(req("owner"), map[string]*schema{"owner": str(), "subdomainOf": str(), "type": str()}),
		relations:   []relationField{ownerField(), refField("subdomainOf", RelPartOf, "Domain")},
	}}},
	{name: "Group", versions: []kindVersion{{
		apiVersions: backstageV1,
		spec: obj(req("type", "children"), map[string]*schema{
			"type": str(), "profile": profile(), "parent": str(), "children": strs(), "members": strs(),
		}),
		relations: []relationField{
			refField("parent", RelChildOf, "Group", "Group"),
			refField("children", RelParentOf, "Group", "Group"),
			refField("members", RelHasMember, "User", "User"),
		},
	}}},
	{name: "User", versions: []kindVersion{{
		apiVersions: backstageV1,
		spec:        obj(req("memberOf"), map[string]*schema{"profile": profile(), "memberOf": strs()}),
		relations:   []relationField{refField("memberOf", RelMemberOf, "Group", "Group")},
	}}},
	{name: "Location", versions: []kindVersion{{
		apiVersions: backstageV1,
		spec: obj(nil, map[string]*schema{
			"type": str(), "target": str(), "targets": strs(), "presence": oneOfStr("required", "optional"),
		}),
	}}},
	{name: "Template", versions: []kindVersion{{
		apiVersions: scaffolderV1beta3,
		spec: obj(req("type", "steps"), map[string]*schema{
			"type": str(), "owner": str(), "lifecycle": str(),
			"parameters": {oneOf: []*schema{
				obj(nil, map[string]*schema{"backstage:permissions": permissions()}),
				list(obj(nil, map[string]*schema{"when": stringOrBool(), "backstage:permissions": permissions()})),
			}},
			"secrets": obj(nil, map[string]*schema{"schema": object()}),
			"presentation": obj(nil, map[string]*schema{"buttonLabels": obj(nil, map[string]*schema{
				"backButtonText": anyStr(), "createButtonText": anyStr(), "reviewButtonText": anyStr(),
			})}),
			"EXPERIMENTAL_recovery":       obj(nil, map[string]*schema{"EXPERIMENTAL_strategy": anyStr()}),
			"formDecorators":              list(obj(nil, map[string]*schema{"id": anyStr(), "input": object()})),
			"EXPERIMENTAL_formDecorators": list(obj(nil, map[string]*schema{"id": anyStr(), "input": object()})),
			"steps": list(obj(req("action"), map[string]*schema{
				"id": anyStr(), "name": anyStr(), "action": anyStr(), "input": object(), "if": stringOrBool(),
				"backstage:permissions": permissions(),
			})),
			"output": {
				types: tObject,
				props: map[string]*schema{
					"links": list(obj(nil, map[string]*schema{"if": stringOrBool(), "url": str(), "entityRef": str(), "title": str(), "icon": str()})),
					"text":  list(obj(nil, map[string]*schema{"if": stringOrBool(), "title": str(), "icon": str(), "content": anyStr()})),
				},
				additional: anyStr(),
			},
		}),
		relations: []relationField{{field: "owner", relation: RelOwnedBy, defaultKind: "Group", reverse: RelOwnerOf}},
	}}},
	{name: "AiResource", versions: []kindVersion{
		aiResource("", nil, nil),
		aiResource("skill", nil, map[string]*schema{
			"disciplines": strs(), "categories": strs(), "agents": strs(), "dependsOn": strs(),
			"allowedTools": str(), "license": str(), "compatibility": {types: tString, minLength: 1, maxLength: 500},
		}, refField("dependsOn", RelDependsOn, "AiResource", "AiResource")),
		aiResource("rule", req("category", "rationale"), map[string]*schema{
			"disciplines": strs(), "category": str(), "rationale": str(),
		}),
		aiResource("plugin", req("skills"), map[string]*schema{"skills": strs(), "version": str()},
			refField("skills", RelHasPart, "AiResource", "AiResource")),
		aiResource("marketplace", req("plugins"), map[string]*schema{"plugins": strs(), "version": str()},
			refField("plugins", RelHasPart, "AiResource", "AiResource")),
	}},
	scorecardKind(),
}

// relationPair declares that relation from one of the from kinds to one of
// the to kinds has the given reverse; the reverse edge is only emitted for
// declared pairs, as in Backstage's model.
type relationPair struct {
	from     []string
	relation string
	to       []string
	reverse  string
}

var relationPairs = []relationPair{
	{[]string{"Component", "API", "Resource", "System", "Domain", "Group", "User", "Location", "AiResource", KindScorecard}, RelOwnedBy, groupOrUser, RelOwnerOf},
	{[]string{"Group", "User"}, RelOwnerOf, []string{"API", "Component", "Domain", "Group", "Location", "Resource", "System", "User", "AiResource", KindScorecard}, RelOwnedBy},
	{[]string{"Component"}, RelProvidesAPI, []string{"API"}, RelAPIProvidedBy},
	{[]string{"Component"}, RelConsumesAPI, []string{"API"}, RelAPIConsumedBy},
	{[]string{"API"}, RelAPIProvidedBy, []string{"Component"}, RelProvidesAPI},
	{[]string{"API"}, RelAPIConsumedBy, []string{"Component"}, RelConsumesAPI},
	{[]string{"Component", "Resource"}, RelDependsOn, []string{"Component", "Resource"}, RelDependencyOf},
	{[]string{"Component", "Resource"}, RelDependencyOf, []string{"Component", "Resource"}, RelDependsOn},
	{[]string{"AiResource"}, RelDependsOn, []string{"AiResource"}, RelDependencyOf},
	{[]string{"AiResource"}, RelDependencyOf, []string{"AiResource"}, RelDependsOn},
	{[]string{"Component", "API", "Resource"}, RelPartOf, []string{"Component", "System"}, RelHasPart},
	{[]string{"System"}, RelPartOf, []string{"Domain"}, RelHasPart},
	{[]string{"Domain"}, RelPartOf, []string{"Domain"}, RelHasPart},
	{[]string{"AiResource"}, RelPartOf, []string{"System", "AiResource"}, RelHasPart},
	{[]string{"Component"}, RelHasPart, []string{"Component", "API", "Resource"}, RelPartOf},
	{[]string{"System"}, RelHasPart, []string{"Component", "API", "Resource", "AiResource"}, RelPartOf},
	{[]string{"Domain"}, RelHasPart, []string{"System", "Domain"}, RelPartOf},
	{[]string{"AiResource"}, RelHasPart, []string{"AiResource"}, RelPartOf},
	{[]string{"Group"}, RelParentOf, []string{"Group"}, RelChildOf},
	{[]string{"Group"}, RelChildOf, []string{"Group"}, RelParentOf},
	{[]string{"Group"}, RelHasMember, []string{"User"}, RelMemberOf},
	{[]string{"User"}, RelMemberOf, []string{"Group"}, RelHasMember},
}

// reverseOf is the reverse type of relation from a fromKind entity to a
// toKind one, or "" when the model declares no such pair.
func reverseOf(fromKind, relation, toKind string) string {
	for _, p := range relationPairs {
		if p.relation == relation && containsFold(p.from, fromKind) && containsFold(p.to, toKind) {
			return p.reverse
		}
	}
	return ""
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// lookupKind finds the schema and relations for an entity's kind,
// apiVersion and spec.type. Kind and apiVersion match exactly, as in
// Backstage; a spec.type without its own entry uses the kind's default.
func lookupKind(kind, apiVersion string, spec map[string]any) (*kindVersion, error) {
	i := slices.IndexFunc(kindTable, func(k kindDef) bool { return k.name == kind })
	if i < 0 {
		if j := slices.IndexFunc(kindTable, func(k kindDef) bool { return strings.EqualFold(k.name, kind) }); j >= 0 {
			return nil, fmt.Errorf("unknown kind %q: no processor recognizes it (kinds are case-sensitive: did you mean %q?)", kind, kindTable[j].name)
		}
		names := make([]string, len(kindTable))
		for j, k := range kindTable {
			names[j] = k.name
		}
		return nil, fmt.Errorf("unknown kind %q: no processor recognizes it; the catalog knows %s", kind, strings.Join(names, ", "))
	}
	def := &kindTable[i]
	specType, hasType := spec["type"]
	typeKey := ""
	if hasType && specType != nil {
		typeKey = jsString(specType)
	}
	var fallback *kindVersion
	known := false
	for j := range def.versions {
		v := &def.versions[j]
		if !slices.Contains(v.apiVersions, apiVersion) {
			continue
		}
		known = true
		if v.specType == typeKey {
			return v, nil
		}
		if v.specType == "" {
			fallback = v
		}
	}
	if !known {
		var versions []string
		for _, v := range def.versions {
			for _, a := range v.apiVersions {
				if !slices.Contains(versions, a) {
					versions = append(versions, a)
				}
			}
		}
		return nil, fmt.Errorf("kind %s has no apiVersion %q: use %s", kind, apiVersion, quoteList(versions))
	}
	return fallback, nil
}

// jsString is how JavaScript turns a value into a string in a template literal.
func jsString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return v
	case float64:
		return jsNumber(v)
	case bool:
		return fmt.Sprint(v)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			if x != nil {
				parts[i] = jsString(x)
			}
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}
